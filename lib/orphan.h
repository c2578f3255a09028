/* Orphans: a reaped process nobody started, counted, logged and recorded once for all modes. */
#ifndef REAPER_ORPHAN_H
#define REAPER_ORPHAN_H

#include <stdint.h>

#include "reap.h"

void	orphan_reaped(unsigned long *count, const struct reap_ev *ev, int level,
	    int64_t now);

#endif
