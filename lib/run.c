/*
 * System mode: the machine goes boot, up, stop, shutdown, kill, final.
 * Signals and requests only ask for a phase; run_step moves along when
 * what a phase waits for is over. Nothing here allocates or exits.
 */
#include <errno.h>
#include <string.h>

#include "evt.h"
#include "failact.h"
#include "fmt.h"
#include "log.h"
#include "num.h"
#include "orphan.h"
#include "plan.h"
#include "run.h"
#include "start.h"
#include "sys.h"

static void run_started(void *ctx, pid_t pid, bool ok, int64_t now);
static void run_news(void *ctx, pid_t pid, const char *status, int64_t now);
static const struct conf_entry *run_entry(void *ctx, pid_t pid);
static void run_emptied(void *ctx, const char *name, int64_t now);

/* Entry i of the table at hand: an entry in error never runs. */
static void
run_svc_init(struct run *r, int i, const struct conf_entry *e)
{
	svc_init(&r->svc[i], e);
	if (graph_bad(&r->conf->graph, i))
		r->svc[i].state = SV_FAILED;
}

/* The supervisor of c's entries; services' starts are watched on loop l. */
void
run_init(struct run *r, struct conf *c, pid_t self, bool pid1, struct loop *l,
    struct klogs *k)
{
	int i;

	/* Field by field, not one memset: the tables are in static storage,
	 * already zero, and only the entries in use need their pages. */
	r->conf = c;
	start_init(&r->starts, l, k, &r->ready, &r->cg, run_started, r);
	r->next = NULL;
	r->phase = RUN_BOOT;
	r->cur = -1;
	r->action = RA_NONE;
	r->halt_by = -1;
	r->self = self;
	r->pid1 = pid1;
	r->machine = false;	/* the caller says when it is one */
	r->fail_status = -1;
	r->orphans = 0;
	end_init(&r->end, self, pid1);
	ready_init(&r->ready, l, k, run_news, run_entry, r);
	cgroup_init(&r->cg, l, run_emptied, r);
	for (i = 0; i < c->n; i++)
		run_svc_init(r, i, &c->ent[i]);
}

/* The entry whose process is pid, or NULL. */
const struct svc *
run_lookup(const struct run *r, pid_t pid)
{
	int i;

	for (i = 0; pid > 0 && i < r->conf->n; i++)
		if (r->svc[i].pid == pid)
			return &r->svc[i];
	return NULL;
}

struct svc *
run_find(struct run *r, pid_t pid)
{
	return (struct svc *)run_lookup(r, pid);	/* r is ours to change */
}

static struct run *
r_of(void *ctx)
{
	return ctx;
}

/* A start is over (start.c): the exec happened, or it failed and said why. */
static void
run_started(void *ctx, pid_t pid, bool ok, int64_t now)
{
	struct svc *s = run_find(ctx, pid);

	if (!s)
		return;
	if (!ok) {
		ready_gone(&r_of(ctx)->ready, pid);
		svc_start_failed(s, now);
		return;
	}
	svc_exec_ok(s, now);
	if (s->state == SV_STARTING)
		ready_exec(&r_of(ctx)->ready, pid, now);
}

/* The cgroup of entry name is empty (cgroup.events): what was left of it is gone. */
static void
run_emptied(void *ctx, const char *name, int64_t now)
{
	struct run *r = ctx;
	int i = conf_find(r->conf, name);
	char gone[CONF_NAME_MAX + 1];

	if (i >= 0) {
		r->svc[i].cg_busy = false;	/* the next step may remove it */
		svc_emptied(&r->svc[i], now);
		return;
	}
	/* An entry a reload removed while its leftovers lived on: its cgroup goes now. */
	(void)fmt_print(gone, sizeof(gone), "%s", name);
	cgroup_remove(&r->cg, gone);
}

/* The entry of process pid, for its ready-check. */
static const struct conf_entry *
run_entry(void *ctx, pid_t pid)
{
	const struct svc *s = run_lookup(ctx, pid);

	return s ? s->e : NULL;
}

/* News from a service's readiness: ready (status NULL), or its STATUS= text. */
static void
run_news(void *ctx, pid_t pid, const char *status, int64_t now)
{
	struct svc *s = run_find(ctx, pid);

	if (!s)
		return;
	if (status == NULL) {
		svc_ready(s, now);
		return;
	}
	(void)fmt_print(s->status_text, sizeof(s->status_text), "%s", status);
}

/* The next entry of kind after index from, or -1. */
static int
run_next_of(const struct run *r, enum conf_kind kind, int from)
{
	int i;

	for (i = from + 1; i < r->conf->n; i++)
		if (r->conf->ent[i].kind == kind)
			return i;
	return -1;
}

/* Run entries of kind one at a time, in file order; true when all are over. */
static bool
run_in_turn(struct run *r, enum conf_kind kind, int64_t now)
{
	while (r->cur < 0 || !svc_has_proc(&r->svc[r->cur])) {
		if (r->cur >= 0 && r->svc[r->cur].failed_now)
			return false;	/* its failure-action comes first */
		if ((r->cur = run_next_of(r, kind, r->cur)) < 0)
			return true;
		start_svc(&r->starts, &r->svc[r->cur], now);
	}
	return false;
}

/* Whether entry i is one the graph starts (once and service, not in error). */
static bool
run_ordered(const struct run *r, int i)
{
	enum conf_kind k = r->conf->ent[i].kind;

	return (k == CK_ONCE || k == CK_SERVICE) && !graph_bad(&r->conf->graph, i);
}

/* Sysinit is over: every once and service entry waits for what it comes after. */
static void
run_up(struct run *r)
{
	int i;

	for (i = 0; i < r->conf->n; i++)
		if (run_ordered(r, i))
			svc_wait(&r->svc[i]);
	r->phase = RUN_UP;
	log_msg(LV_INFO, "system up");
}

/* Whether any process of the table is still there. */
static bool
run_any_up(const struct run *r)
{
	int i;

	for (i = 0; i < r->conf->n; i++)
		if (svc_has_proc(&r->svc[i]))
			return true;
	return false;
}

/* From here on nothing restarts: every service is down for good. */
static void
run_all_down(struct run *r)
{
	int i;

	for (i = 0; i < r->conf->n; i++)
		svc_forbid(&r->svc[i]);
}

static void
run_kill_phase(struct run *r, int64_t now)
{
	/* The grace, but never past shutdown-timeout. */
	int64_t until = now + r->conf->grace_ms;

	if (r->halt_by >= 0 && r->halt_by < until)
		until = r->halt_by;
	run_all_down(r);
	r->phase = RUN_KILL;
	end_start(&r->end, 0, true, r->conf->grace_ms, until, now);
}

/* The cgroups of entries down for good go (those that will start again keep theirs). */
static void
run_tidy(struct run *r)
{
	int i;

	for (i = 0; i < r->conf->n; i++) {
		struct svc *s = &r->svc[i];

		/* One whose leftovers live on (a once's) keeps its cgroup until
		 * they are gone; it is looked at again only after its empty event,
		 * not on every wake-up. */
		if (!s->cg || s->cg_busy || svc_has_proc(s) || (s->state != SV_STOPPED &&
		    s->state != SV_DONE && s->state != SV_FAILED))
			continue;
		if (cgroup_populated(s->cg, s->e->name)) {
			s->cg_busy = true;
			continue;
		}
		cgroup_remove(s->cg, s->e->name);
		s->cg = NULL;
	}
}

/*
 * Move along the phases as far as what each waits for allows. An entry's
 * failure-action (one that failed since, or a start that failed at once
 * in this step) asks for the stop before anything else moves.
 */
void
run_step(struct run *r, int64_t now)
{
	if (failact_take(r, now))
		return;		/* the stop request stepped already */
	run_tidy(r);
	if (r->phase == RUN_BOOT && run_in_turn(r, CK_SYSINIT, now))
		run_up(r);
	if (r->phase == RUN_UP) {
		plan_step(r, r->next == NULL, now);
		if (r->next && !plan_stopping(r)) {
			run_swap(r, now);
			plan_step(r, true, now);
		}
	}
	/* Whatever was started, an interrupted sysinit included, is down first. */
	if (r->phase == RUN_STOP) {
		plan_step(r, false, now);
		if (!run_any_up(r)) {
			r->phase = RUN_SHUTDOWN;
			r->cur = -1;
		}
	}
	if (r->phase == RUN_SHUTDOWN && run_in_turn(r, CK_SHUTDOWN, now))
		run_kill_phase(r, now);
	(void)failact_take(r, now);
}

/* A stop request (signal or control); the first one decides what happens. */
void
run_request(struct run *r, enum run_action a, int64_t now)
{
	if (r->action != RA_NONE)
		return;
	r->action = a;
	r->halt_by = now + r->conf->shutdown_timeout_ms;
	r->next = NULL;		/* a reload under way is dropped: all goes */
	log_msg(LV_WARN, "shutting down");
	evt_add(now, EVT_SHUTDOWN, "", 0, a);
	/* A service that dies while others are being stopped is not restarted. */
	run_all_down(r);
	r->phase = RUN_STOP;
	r->cur = -1;
	run_step(r, now);
}

/* An exit or a death by signal, as the supervisor keeps it. */
static struct svc_exit
run_end(const struct reap_ev *ev)
{
	struct svc_exit how = { SX_NONE, 0, false };

	how.kind = ev->kind == REAP_KILLED ? SX_KILLED : SX_EXITED;
	how.code = ev->code;
	return how;
}

/* One child state change from the reap loop (a struct reap_cb callback). */
void
run_reaped(void *ctx, const struct reap_ev *ev)
{
	struct run *r = ctx;
	struct svc *s = run_find(r, ev->pid);
	int64_t now = sys_now();

	if (!s) {
		int i = ev->from[0] ? conf_find(r->conf, ev->from) : -1;

		if (ready_reaped(&r->ready, ev, now))
			return;
		if (i >= 0 && (ev->kind == REAP_EXITED || ev->kind == REAP_KILLED))
			r->svc[i].orphans++;
		orphan_reaped(&r->orphans, ev, LV_INFO, now);
		return;
	}
	if (ev->kind == REAP_STOPPED || ev->kind == REAP_CONTINUED) {
		svc_paused(s, ev->kind == REAP_STOPPED, now);
		return;
	}
	/* Its exec report first: a start that failed is no exit. */
	start_reaped(&r->starts, ev->pid, now);
	if (s->pid == ev->pid) {
		ready_gone(&r->ready, ev->pid);
		svc_exited(s, run_end(ev), now);
	}
}

/* No child is left: the kill phase is over. */
void
run_nochild(struct run *r, int64_t now)
{
	(void)now;
	end_nochild(&r->end);
	if (r->phase == RUN_KILL)
		r->phase = RUN_FINAL;
}

void
run_tick(struct run *r, int64_t now)
{
	int i;

	for (i = 0; i < r->conf->n; i++)
		(void)svc_tick(&r->svc[i], now);	/* a restart due waits; the plan starts it */
	if (r->halt_by >= 0 && now >= r->halt_by && r->phase < RUN_KILL) {
		log_msg(LV_WARN, "shutdown-timeout reached; killing what is left");
		run_kill_phase(r, now);	/* no grace left: the deadline is now */
	}
	if (r->phase == RUN_KILL) {
		end_tick(&r->end, now);
		if (r->end.phase == END_OVER)
			r->phase = RUN_FINAL;
	}
	run_step(r, now);
}

int64_t
run_deadline(const struct run *r)
{
	int64_t dl = -1;
	int i;

	for (i = 0; i < r->conf->n; i++)
		dl = num_earliest(dl, svc_deadline(&r->svc[i]));
	if (r->phase < RUN_KILL)
		dl = num_earliest(dl, r->halt_by);
	if (r->phase == RUN_KILL)
		dl = num_earliest(dl, end_deadline(&r->end));
	return dl;
}

/*
 * reboot(2) failed and PID 1 is still here: back to running, with nothing
 * started, ready for the next request.
 */
void
run_resume(struct run *r)
{
	r->phase = RUN_UP;
	r->action = RA_NONE;
	r->halt_by = -1;
	end_init(&r->end, r->self, r->pid1);
}

/*
 * reaperctl wait and combined mode: up (a service ready, a once that
 * exited 0), failed for good (see plan_failed), or not yet.
 */
enum run_wait
run_wait_of(const struct run *r, int i)
{
	if (svc_is_up(&r->svc[i]))
		return RW_UP;
	if (r->phase > RUN_UP || graph_bad(&r->conf->graph, i))
		return RW_FAILED;
	if (r->phase == RUN_BOOT || r->next)
		return RW_PENDING;	/* not started yet, or a reload on its way */
	return (plan_failed(r) >> i & 1u) ? RW_FAILED : RW_PENDING;
}
