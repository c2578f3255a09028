/* System mode: PID 1 of a machine or a container, driven by reaper.conf. */
#ifndef REAPER_SYSTEM_H
#define REAPER_SYSTEM_H

#include <stdbool.h>

int	system_main(const char *path, bool pid1, int sigfd);

#endif
