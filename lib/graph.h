/* The dependency graph of after= and needs=: names resolved once, then pure questions. */
#ifndef REAPER_GRAPH_H
#define REAPER_GRAPH_H

#include <stdbool.h>
#include <stdint.h>

#include "limits.h"

/* A set of entries is one word: bit j is entry j. */
#if CONF_ENTRIES_MAX > 64
#error "graph.c keeps a set of entries in a uint64_t"
#endif

/*
 * What the caller says of each entry at the moment it asks. STOPPED and
 * FAILED are alike to the graph (neither is coming up); they are kept apart
 * so the caller's mapping reads as what it means.
 */
enum graph_st {
	GS_PENDING,	/* down, to be started: at boot, in backoff, a start asked */
	GS_STARTING,	/* started, not ready yet; a once still running */
	GS_UP,		/* ready; a once that exited 0 */
	GS_STOPPING,	/* to stop: asked to, and not down yet (signalled or not) */
	GS_STOPPED,	/* down on purpose: reaperctl stop, a service done for good */
	GS_FAILED,	/* failed for good: restart-limit, a once that exited non-zero */
};

/*
 * One entry as the config wrote it. after and needs are the option values,
 * comma-separated names ("db,cache"), NULL when not given. orderable is
 * false for sysinit and shutdown entries: they keep file order, may not
 * have after= or needs=, and cannot be named by them.
 */
struct graph_in {
	const char	*name;		/* unique among the entries */
	bool		orderable;
	const char	*after;		/* order only */
	const char	*needs;		/* order, and must be up */
};

struct graph_err {
	int	ent;			/* the entry whose line it is on */
	char	msg[GRAPH_ERRMSG_MAX];
};

/*
 * dep[i] has bit j when i starts after j (after= or needs=), need[i] when
 * i needs j. A bad entry never runs and keeps no dependencies of its own,
 * so the graph kept is acyclic; entries that name it still do.
 */
struct graph {
	int		n;
	uint64_t	dep[CONF_ENTRIES_MAX];
	uint64_t	need[CONF_ENTRIES_MAX];
	uint64_t	bad;
};

int	graph_build(struct graph *g, const struct graph_in *in, int n,
	    struct graph_err *err, int maxerr);
bool	graph_bad(const struct graph *g, int i);
bool	graph_may_start(const struct graph *g, int i, const enum graph_st *st);
bool	graph_held(const struct graph *g, int i, const enum graph_st *st);
bool	graph_may_stop(const struct graph *g, int i, const enum graph_st *st);
int	graph_takes(const struct graph *g, int i, int *out, int max);
int	graph_start_first(const struct graph *g, int i, int *out, int max);

#endif
