/* What the fake sys layer offers the unit tests beyond the sys_* symbols. */
#ifndef REAPER_FAKE_SYS_H
#define REAPER_FAKE_SYS_H

#include <sys/types.h>

void	fake_will_kill(pid_t pid, int sig);

#endif
