/*
 * What reaperctl may ask of an entry by name, decided here and nowhere
 * else: a start is made now or once the entry is down (a restart, or a
 * start while it stops), with a fresh restart-limit window, and brings up
 * what the entry needs first; a stop is for good, and what needs the
 * entry stops before it (the graph sees to the order); sysinit and
 * shutdown entries run at their phase only; nothing is asked while the
 * system boots, shuts down or reloads.
 */
#include <string.h>

#include "ask.h"
#include "evt.h"
#include "log.h"
#include "plan.h"

/* Start s: now if down, else once it is. */
static void
ask_start(struct svc *s)
{
	svc_fresh(s);
	if (svc_has_proc(s)) {
		if (s->down)
			s->again = true;
		return;
	}
	svc_wait(s);
}

/* What entry i needs and is not up: started first, in more. */
static void
ask_needs(struct run *r, int i, struct ask_more *more)
{
	int list[CONF_ENTRIES_MAX], n, k;

	n = graph_start_first(&r->conf->graph, i, list, CONF_ENTRIES_MAX);
	for (k = 0; k < n; k++) {
		struct svc *s = &r->svc[list[k]];

		if (svc_is_up(s) || (svc_has_proc(s) && !s->down))
			continue;
		ask_start(s);
		more->ent[more->n++] = list[k];
	}
}

/* What needs entry i and runs: stopped first, named in more. */
static void
ask_dependents(struct run *r, int i, struct ask_more *more)
{
	int list[CONF_ENTRIES_MAX], n, k;

	n = graph_takes(&r->conf->graph, i, list, CONF_ENTRIES_MAX);
	for (k = 0; k < n; k++)
		if (svc_has_proc(&r->svc[list[k]]))
			more->ent[more->n++] = list[k];
}

enum ask_answer
ask_svc(struct run *r, enum ask_verb v, const char *name, int64_t now,
    struct ask_more *more)
{
	int i = conf_find(r->conf, name);
	struct svc *s;

	more->n = 0;
	if (i < 0)
		return ASK_NO_ENTRY;
	if (r->phase != RUN_UP || r->next)
		return ASK_NOT_NOW;
	if (r->conf->ent[i].kind == CK_SYSINIT || r->conf->ent[i].kind == CK_SHUTDOWN)
		return ASK_BOOT_ONLY;
	if (graph_bad(&r->conf->graph, i))
		return ASK_IN_ERROR;
	s = &r->svc[i];
	if (v != ASK_START)
		ask_dependents(r, i, more);
	if (v == ASK_STOP)
		svc_forbid(s);		/* the graph sends the stop when it may */
	else if (v == ASK_RESTART)
		svc_cycle(s);
	if (v != ASK_STOP) {
		svc_fresh(s);
		if (v == ASK_START)
			ask_start(s);
		if (more->n == 0)
			ask_needs(r, i, more);
	}
	run_step(r, now);
	return ASK_OK;
}

/*
 * A press of the power key on device dev: set powerkey= says what it asks
 * (poweroff by default), through the same stop request as a signal or
 * reaperctl. Once a stop is under way a press asks nothing new. Said in
 * the log and recorded as an event (value: the action asked, 0 none);
 * the action asked, or RA_NONE.
 */
enum run_action
ask_power_key(struct run *r, const char *dev, int64_t now)
{
	static const enum run_action act[] = { RA_POWEROFF, RA_REBOOT, RA_HALT, RA_NONE };
	static const char *const what[] = { "", "reboot", "power off", "halt" };
	const char *base = strrchr(dev, '/');
	enum run_action a = act[r->conf->powerkey];

	if (r->action != RA_NONE) {
		log_msg(LV_WARN, "power key pressed (%s): already shutting down", dev);
		a = RA_NONE;
	} else if (a == RA_NONE) {
		log_msg(LV_WARN, "power key pressed (%s): ignored (powerkey=ignore)", dev);
	} else {
		log_msg(LV_WARN, "power key pressed (%s): %s", dev, what[a]);
	}
	evt_add(now, EVT_POWERKEY, base ? base + 1 : dev, 0, (int)a);
	if (a != RA_NONE)
		run_request(r, a, now);
	return a;
}
