/* Requests to the supervisor (reaperctl start, stop, restart; the power key): its rules, once. */
#ifndef REAPER_ASK_H
#define REAPER_ASK_H

#include <stdint.h>

#include "run.h"

enum ask_verb { ASK_START, ASK_STOP, ASK_RESTART };
enum ask_answer {
	ASK_OK,			/* done, or under way */
	ASK_NO_ENTRY,		/* no entry has that name */
	ASK_NOT_NOW,		/* booting or shutting down */
	ASK_BOOT_ONLY,		/* a sysinit or shutdown entry */
	ASK_IN_ERROR,		/* its after= or needs= is in error: it never runs */
};

/* What else a request moves, by the graph: for a stop, the entries that
 * stop first (they need it); for a start, what it needs that starts first. */
struct ask_more {
	int	n;
	int	ent[CONF_ENTRIES_MAX];	/* indexes into r->conf */
};

enum ask_answer ask_svc(struct run *r, enum ask_verb v, const char *name, int64_t now,
	    struct ask_more *more);
enum run_action ask_power_key(struct run *r, const char *dev, int64_t now);

#endif
