/*
 * System mode: the machine goes boot, up, stop, shutdown, kill, final.
 * Signals and requests only ask for a phase; run_step moves along when
 * what a phase waits for is over. Nothing here allocates or exits.
 */
#include <errno.h>
#include <string.h>

#include "evt.h"
#include "log.h"
#include "num.h"
#include "orphan.h"
#include "run.h"
#include "start.h"
#include "sys.h"

static void run_started(void *ctx, pid_t pid, bool ok, int64_t now);

/* The supervisor of c's entries; services' starts are watched on loop l. */
void
run_init(struct run *r, struct conf *c, pid_t self, bool pid1, struct loop *l,
    struct klogs *k)
{
	int i;

	/* Field by field, not one memset: the tables are in static storage,
	 * already zero, and only the entries in use need their pages. */
	start_init(&r->starts, l, k, run_started, r);
	r->conf = c;
	r->norder = 0;
	r->phase = RUN_BOOT;
	r->cur = -1;
	r->action = RA_NONE;
	r->halt_by = -1;
	r->self = self;
	r->pid1 = pid1;
	r->orphans = 0;
	r->nretired = 0;
	end_init(&r->end, self, pid1);
	for (i = 0; i < c->n; i++) {
		svc_init(&r->svc[i], &c->ent[i]);
		r->pending[i] = false;
	}
}

/* The entry (or retired one) whose process is pid, or NULL. */
const struct svc *
run_lookup(const struct run *r, pid_t pid)
{
	int i;

	for (i = 0; i < r->conf->n; i++)
		if (r->svc[i].pid == pid)
			return &r->svc[i];
	for (i = 0; i < r->nretired; i++)
		if (r->retired[i].pid == pid)
			return &r->retired[i];
	return NULL;
}

struct svc *
run_find(struct run *r, pid_t pid)
{
	return (struct svc *)run_lookup(r, pid);	/* r is ours to change */
}

/* A start is over (start.c): the exec happened, or it failed and said why. */
static void
run_started(void *ctx, pid_t pid, bool ok, int64_t now)
{
	struct svc *s = run_find(ctx, pid);

	if (!s)
		return;
	if (ok)
		svc_exec_ok(s, now);
	else
		svc_start_failed(s, now);
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
		if ((r->cur = run_next_of(r, kind, r->cur)) < 0)
			return true;
		start_svc(&r->starts, &r->svc[r->cur], now);
	}
	return false;
}

static void
run_up(struct run *r, int64_t now)
{
	int i;

	for (i = 0; i < r->conf->n; i++) {
		enum conf_kind k = r->conf->ent[i].kind;

		if (k != CK_ONCE && k != CK_SERVICE)
			continue;
		start_svc(&r->starts, &r->svc[i], now);
		r->order[r->norder++] = i;
	}
	r->phase = RUN_UP;
	log_msg(LV_INFO, "system up");
}

/* Stop what runs, last started first, one at a time; true when none is left. */
static bool
run_stop_all(struct run *r, int64_t now)
{
	while (r->norder > 0) {
		struct svc *s = &r->svc[r->order[r->norder - 1]];

		if (!svc_has_proc(s)) {
			svc_stop(s, now);	/* no restart from backoff */
			r->norder--;
			continue;
		}
		svc_stop(s, now);
		return false;
	}
	return true;
}

/* Whether an entry is still between its fork and its exec. */
bool
run_starting(const struct run *r)
{
	int i;

	for (i = 0; i < r->conf->n; i++)
		if (r->svc[i].state == SV_STARTING)
			return true;
	return false;
}

/* Whether any process of the table (or retired by a reload) is still there. */
static bool
run_any_up(const struct run *r)
{
	int i;

	for (i = 0; i < r->conf->n; i++)
		if (svc_has_proc(&r->svc[i]))
			return true;
	for (i = 0; i < r->nretired; i++)
		if (svc_has_proc(&r->retired[i]))
			return true;
	return false;
}

/* From here on nothing restarts: every service is down for good. */
static void
run_all_down(struct run *r)
{
	int i;

	for (i = 0; i < r->conf->n; i++) {
		svc_forbid(&r->svc[i]);
		r->pending[i] = false;
	}
	for (i = 0; i < r->nretired; i++)
		svc_forbid(&r->retired[i]);
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

/* Whether a service of the old config called name is still on its way out. */
static bool
run_retiring(const struct run *r, const char *name)
{
	int i;

	for (i = 0; i < r->nretired; i++)
		if (strcmp(r->retired[i].e->name, name) == 0)
			return true;
	return false;
}

/* After a reload: forget the retired that are down, start what waited. */
static void
run_settle(struct run *r, int64_t now)
{
	int i, n = 0;

	for (i = 0; i < r->nretired; i++)
		if (svc_has_proc(&r->retired[i]))
			r->retired[n++] = r->retired[i];
	r->nretired = n;
	for (i = 0; i < r->conf->n; i++)
		if (r->pending[i] && !svc_has_proc(&r->svc[i]) &&
		    !run_retiring(r, r->conf->ent[i].name)) {
			r->pending[i] = false;
			start_svc(&r->starts, &r->svc[i], now);
		}
}

/* Move along the phases as far as what each waits for allows. */
void
run_step(struct run *r, int64_t now)
{
	if (r->phase == RUN_UP)
		run_settle(r, now);
	if (r->phase == RUN_BOOT && run_in_turn(r, CK_SYSINIT, now))
		run_up(r, now);
	/* Whatever was started, an interrupted sysinit included, is down first. */
	if (r->phase == RUN_STOP && run_stop_all(r, now) && !run_any_up(r)) {
		r->phase = RUN_SHUTDOWN;
		r->cur = -1;
	}
	if (r->phase == RUN_SHUTDOWN && run_in_turn(r, CK_SHUTDOWN, now))
		run_kill_phase(r, now);
}

/* A stop request (signal or control); the first one decides what happens. */
void
run_request(struct run *r, enum run_action a, int64_t now)
{
	if (r->action != RA_NONE)
		return;
	r->action = a;
	r->halt_by = now + r->conf->shutdown_timeout_ms;
	log_msg(LV_WARN, "shutting down");
	evt_add(now, EVT_SHUTDOWN, "", 0, a);
	/* A service that dies while others are being stopped is not restarted. */
	run_all_down(r);
	if (r->phase == RUN_BOOT && r->cur >= 0)
		svc_stop(&r->svc[r->cur], now);
	r->phase = RUN_STOP;
	r->cur = -1;
	run_step(r, now);
}

/* An exit or a death by signal, as the supervisor keeps it. */
static struct svc_exit
run_end(const struct reap_ev *ev)
{
	struct svc_exit how;

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
		orphan_reaped(&r->orphans, ev, LV_INFO, now);
		return;
	}
	if (ev->kind == REAP_STOPPED || ev->kind == REAP_CONTINUED) {
		svc_paused(s, ev->kind == REAP_STOPPED, now);
		return;
	}
	/* Its exec report first: a start that failed is no exit. */
	start_reaped(&r->starts, ev->pid, now);
	if (s->pid == ev->pid)
		svc_exited(s, run_end(ev), now);
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
		if (svc_tick(&r->svc[i], now))
			start_svc(&r->starts, &r->svc[i], now);
	for (i = 0; i < r->nretired; i++)
		(void)svc_tick(&r->retired[i], now);	/* stopping: never started again */
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
	for (i = 0; i < r->nretired; i++)
		dl = num_earliest(dl, svc_deadline(&r->retired[i]));
	if (r->phase < RUN_KILL)
		dl = num_earliest(dl, r->halt_by);
	if (r->phase == RUN_KILL)
		dl = num_earliest(dl, end_deadline(&r->end));
	return dl;
}

/*
 * A reload may start only when the system is up and the last one is over:
 * retired services still point into the spare config, which a new parse
 * would overwrite.
 */
bool
run_can_reload(const struct run *r)
{
	return r->phase == RUN_UP && r->nretired == 0;
}

/* Put s of the old config on its way out. */
static void
run_retire(struct run *r, const struct svc *s, int64_t now)
{
	struct svc *old = &r->retired[r->nretired++];

	*old = *s;
	svc_stop(old, now);
	log_msg(LV_INFO, "reload: stopping %s", old->e->name);
}

/*
 * Move onto a new, error-free config nc: an unchanged entry keeps its
 * process (same pid), a changed one is restarted, a removed one stopped,
 * a new once or service entry started. Stop order follows the new file.
 */
void
run_reload(struct run *r, struct conf *nc, int64_t now)
{
	static struct svc next[CONF_ENTRIES_MAX];
	bool kept[CONF_ENTRIES_MAX] = { false };
	int i, j;

	for (i = 0; i < nc->n; i++) {
		const struct conf_entry *e = &nc->ent[i];
		bool runs = e->kind == CK_ONCE || e->kind == CK_SERVICE;

		svc_init(&next[i], e);
		r->pending[i] = false;
		j = conf_find(r->conf, e->name);
		if (j >= 0 && conf_same(r->conf->ent + j, e)) {
			next[i] = r->svc[j];	/* untouched: same process */
			next[i].e = e;
			kept[j] = true;
			continue;
		}
		/* New, or changed: a changed once that is over stays over. */
		r->pending[i] = runs && (j < 0 || e->kind == CK_SERVICE ||
		    svc_has_proc(&r->svc[j]));
	}
	for (j = 0; j < r->conf->n; j++)
		if (!kept[j] && svc_has_proc(&r->svc[j]))
			run_retire(r, &r->svc[j], now);
	memcpy(r->svc, next, sizeof(next[0]) * (size_t)nc->n);
	r->conf = nc;
	r->norder = 0;
	for (i = 0; i < nc->n; i++)
		if (nc->ent[i].kind == CK_ONCE || nc->ent[i].kind == CK_SERVICE)
			r->order[r->norder++] = i;
	log_msg(LV_WARN, "config reloaded");
	evt_add(now, EVT_RELOAD, "", 0, nc->n);
	run_settle(r, now);
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
	r->norder = 0;
}

/*
 * reaperctl wait: up (a service ready, a once that exited 0), failed for
 * good (given up, a once that failed, an entry in error, one stopped on
 * purpose while the system is up), or not yet.
 */
enum run_wait
run_wait_of(const struct run *r, int i)
{
	const struct svc *s = &r->svc[i];

	if (svc_is_up(s))
		return RW_UP;
	if (graph_bad(&r->conf->graph, i) || s->state == SV_FAILED ||
	    (s->state == SV_DONE && s->e->kind == CK_SERVICE) ||
	    (r->phase == RUN_UP && s->state == SV_STOPPED && s->down) || r->phase > RUN_UP)
		return RW_FAILED;
	return RW_PENDING;
}
