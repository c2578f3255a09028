/* Events: a fixed ring of the last EVT_MAX things that happened, for reaperctl. */
#ifndef REAPER_EVT_H
#define REAPER_EVT_H

#include <stdint.h>
#include <sys/types.h>

#include "limits.h"

enum evt_kind {
	EVT_SPAWN, EVT_EXIT, EVT_RESTART, EVT_GAVEUP, EVT_PAUSED,
	EVT_CONTINUED, EVT_ORPHAN, EVT_RELOAD, EVT_STOP, EVT_SHUTDOWN, EVT_READY,
};

struct evt {
	int64_t		t;		/* CLOCK_MONOTONIC, ms */
	enum evt_kind	kind;
	pid_t		pid;
	int		value;		/* exit status, delay in ms, ... */
	char		name[CONF_NAME_MAX + 1];	/* entry, or an orphan's command */
};

void		evt_add(int64_t now, enum evt_kind kind, const char *name,
		    pid_t pid, int value);
int		evt_count(void);
const struct evt *evt_get(int i);
const char	*evt_kind_name(enum evt_kind kind);

#endif
