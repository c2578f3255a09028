/* Events: a fixed ring of the last EVT_MAX things that happened, for reaperctl. */
#ifndef REAPER_EVT_H
#define REAPER_EVT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "limits.h"

enum evt_kind {
	EVT_SPAWN, EVT_EXIT, EVT_RESTART, EVT_GAVEUP, EVT_PAUSED,
	EVT_CONTINUED, EVT_ORPHAN, EVT_RELOAD, EVT_STOP, EVT_SHUTDOWN, EVT_READY,
	EVT_FAILACT,
	EVT_POWERKEY,
};

struct evt {
	int64_t		t;		/* CLOCK_MONOTONIC, ms */
	enum evt_kind	kind;
	pid_t		pid;
	int		value;		/* exit status, delay in ms, ... */
	char		name[CONF_NAME_MAX + 1];	/* entry, or an orphan's command */
	char		from[CONF_NAME_MAX + 1];	/* the entry an orphan came from; "": unknown */
};

/* Told of each event as it is recorded (the control socket's followers). */
typedef void evt_fn(void *ctx, const struct evt *e);

void		evt_add(int64_t now, enum evt_kind kind, const char *name,
		    pid_t pid, int value);
void		evt_add_from(int64_t now, enum evt_kind kind, const char *name,
		    pid_t pid, int value, const char *from);
int		evt_count(void);
const struct evt *evt_get(int i);
const char	*evt_kind_name(enum evt_kind kind);
void		evt_listen(evt_fn *fn, void *ctx);
void		evt_format(struct buf *b, const struct evt *e, int64_t now, bool json);

#endif
