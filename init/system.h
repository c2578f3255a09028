/* System mode: PID 1 of a machine or a container, driven by reaper.conf. */
#ifndef REAPER_SYSTEM_H
#define REAPER_SYSTEM_H

#include <stdbool.h>

#include "opt.h"
#include "spawn.h"

#include "run.h"

int	system_main(const struct opts *o, struct spawn *sp, bool pid1, int sigfd);
int	system_reload(struct run *r, int64_t now);

#endif
