/*
 * The graph consulted: after every event the supervisor asks what must
 * stop and what may start, from each entry's state at that moment. No
 * order is kept anywhere else: a stop waits for the entries that depend
 * on it to be down, a start for what it comes after to be up, and
 * everything else happens at once, in parallel.
 */
#include "evt.h"
#include "log.h"
#include "plan.h"
#include "run.h"
#include "start.h"

/* once and service entries are ordered; sysinit and shutdown keep file order. */
static bool
plan_orderable(const struct svc *s)
{
	return s->e->kind == CK_ONCE || s->e->kind == CK_SERVICE;
}

/* What an entry is to the graph now. */
enum graph_st
plan_st(const struct svc *s)
{
	if (svc_has_proc(s))
		return s->down || s->state == SV_STOPPING ? GS_STOPPING :
		    svc_is_up(s) ? GS_UP : GS_STARTING;
	if (svc_is_up(s))
		return GS_UP;		/* a once that exited 0 */
	switch (s->state) {
	case SV_WAITING: case SV_BACKOFF: case SV_STARTING:
		return GS_PENDING;
	case SV_FAILED:
		return GS_FAILED;
	default:	/* stopped; done (a service not to be restarted) */
		return GS_STOPPED;
	}
}

void
plan_states(const struct run *r, enum graph_st *st)
{
	int i;

	for (i = 0; i < r->conf->n; i++)
		st[i] = plan_st(&r->svc[i]);
}

/* The first entry i needs that is the reason it is held, for the log. */
static const char *
plan_why(const struct run *r, int i, const enum graph_st *st)
{
	int j;

	for (j = 0; j < r->conf->n; j++)
		if ((r->conf->graph.need[i] >> j & 1u) && st[j] != GS_UP)
			return r->conf->ent[j].name;
	return "?";
}

/*
 * Entries that need one that is stopping or gone go down too, and come
 * back (WAITING) when it is up again; one in backoff just waits.
 */
static void
plan_hold(struct run *r, const enum graph_st *st)
{
	int i;

	for (i = 0; i < r->conf->n; i++) {
		struct svc *s = &r->svc[i];

		if (!plan_orderable(s) || s->down || !graph_held(&r->conf->graph, i, st))
			continue;
		if (svc_has_proc(s)) {
			log_msg(LV_INFO, "%s: stopping, it needs %s", s->e->name,
			    plan_why(r, i, st));
			svc_cycle(s);
		} else if (s->state == SV_BACKOFF) {
			svc_wait(s);
		}
	}
}

/*
 * Send its stop to each entry to stop whose dependents are down. Only
 * processes hold a stop back: an entry without one (a once that is over,
 * one waiting) is down already, whatever it is to those that wait on it.
 */
static void
plan_stops(struct run *r, int64_t now)
{
	enum graph_st st[CONF_ENTRIES_MAX] = { GS_PENDING };	/* all set: for the analyzers */
	int i;

	plan_states(r, st);
	plan_hold(r, st);
	for (i = 0; i < r->conf->n; i++)
		st[i] = svc_has_proc(&r->svc[i]) ? plan_st(&r->svc[i]) : GS_STOPPED;
	for (i = 0; i < r->conf->n; i++) {
		struct svc *s = &r->svc[i];

		if (svc_has_proc(s) && s->down && s->state != SV_STOPPING &&
		    graph_may_stop(&r->conf->graph, i, st))
			svc_stop(s, now);
	}
}

/* Start each waiting entry whose dependencies allow it, all at once. */
static void
plan_starts(struct run *r, int64_t now)
{
	enum graph_st st[CONF_ENTRIES_MAX] = { GS_PENDING };	/* all set: for the analyzers */
	int i;

	plan_states(r, st);
	for (i = 0; i < r->conf->n; i++) {
		struct svc *s = &r->svc[i];

		if (s->state == SV_WAITING && graph_may_start(&r->conf->graph, i, st))
			start_svc(&r->starts, s, now);
	}
}

/* One step: what must stop is told, then (when starts) what may start starts. */
void
plan_step(struct run *r, bool starts, int64_t now)
{
	plan_stops(r, now);
	if (starts)
		plan_starts(r, now);
}

/*
 * The entries failed for good, as reaperctl wait and combined mode mean
 * it: given up, a once that failed, an entry in error, one stopped on
 * purpose, a service done; and, once those are known, every entry that
 * needs one of them (it waits for what will not come).
 */
uint64_t
plan_failed(const struct run *r)
{
	const struct graph *g = &r->conf->graph;
	uint64_t failed = g->bad, before;
	int i;

	for (i = 0; i < r->conf->n; i++) {
		enum graph_st st = plan_st(&r->svc[i]);

		if (plan_orderable(&r->svc[i]) && (st == GS_FAILED || st == GS_STOPPED))
			failed |= (uint64_t)1 << i;
	}
	do {
		before = failed;
		for (i = 0; i < r->conf->n; i++)
			if ((g->need[i] & failed) != 0 && !svc_is_up(&r->svc[i]))
				failed |= (uint64_t)1 << i;
	} while (failed != before);
	return failed;
}

/* Whether an entry asked to stop still has a process. */
bool
plan_stopping(const struct run *r)
{
	int i;

	for (i = 0; i < r->conf->n; i++)
		if (r->svc[i].down && svc_has_proc(&r->svc[i]))
			return true;
	return false;
}
