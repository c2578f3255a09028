/* Requests by name to the supervisor (reaperctl start, stop, restart): its rules, once. */
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
};

enum ask_answer ask_svc(struct run *r, enum ask_verb v, const char *name, int64_t now);

#endif
