/* PID 1 on a machine: what only the first process has to do. */
#ifndef REAPER_BOOT_H
#define REAPER_BOOT_H

#include <stdbool.h>

#include "run.h"

bool	boot_in_container(void);
void	boot_early(void);
void	boot_hostname(const char *name);
bool	boot_emergency_asked(void);
void	halt_final(enum run_action a);	/* halt_prepare, then halt_reboot */
void	halt_prepare(enum run_action a);
void	halt_reboot(enum run_action a);

#endif
