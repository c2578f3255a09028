/* Setting up either mode: signals, the main child, system mode, the last resort. */
#ifndef REAPER_ENTRY_H
#define REAPER_ENTRY_H

#include <stdbool.h>

#include "opt.h"
#include "spawn.h"

int	entry_signals(struct spawn *sp);
int	entry_run(const struct opts *o, bool pid1);
int	entry_system(const struct opts *o, bool pid1);
void	entry_last_resort(void);

#endif
