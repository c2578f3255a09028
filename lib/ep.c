/* The entrypoint engine: forward signals to the main child, reap, end cleanly. */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "catch.h"
#include "ep.h"
#include "log.h"
#include "loop.h"
#include "num.h"
#include "orphan.h"
#include "sig.h"
#include "tty.h"

void
ep_init(struct ep *e, const struct opts *o, pid_t self, bool pid1)
{
	memset(e, 0, sizeof(*e));
	e->o = o;
	fwd_init(&e->fwd, o);
	e->self = self;
	e->pid1 = pid1;
	e->tty = -1;
	e->phase = EP_RUN;
	end_init(&e->end, self, pid1);
	for (int sig = 1; sig <= SIG_COUNT; sig++)
		e->timed = e->timed || o->delay_ms[sig] > 0;
}

void
ep_started(struct ep *e, pid_t child, int tty)
{
	e->child = child;
	e->tty = tty;
}

/* Pass sig on: to the main child (or its group, -g), else to what is left. */
static void
ep_deliver(struct ep *e, int sig)
{
	char name[16];
	pid_t to;

	if (e->phase == EP_DONE)
		return;
	if (e->phase != EP_RUN) {
		end_all(&e->end, sig);
		return;
	}
	if (e->child <= 0)
		return;
	to = e->o->group ? -e->child : e->child;
	if (sys_kill(to, sig) < 0 && errno != ESRCH)
		log_sys(LV_WARN, "unable to forward %s to %d",
		    sig_name(sig, name, sizeof(name)), (int)to);
	else if (log_on(LV_DEBUG))	/* no name spelt on the latency path */
		log_msg(LV_DEBUG, "forwarded %s to %d",
		    sig_name(sig, name, sizeof(name)), (int)to);
}

/* A signal read from the signalfd. */
void
ep_signal(struct ep *e, const struct sys_siginfo *si, int64_t now)
{
	int sig;

	/* Our own doing (SIGPIPE from a write to a closed stderr): not news. */
	if (si->pid == e->self && si->code == SI_USER)
		return;
	if (!sig_forwardable(si->sig))
		return;
	if (e->o->pause) {
		if (si->sig == SIGTERM || si->sig == SIGINT) {
			e->status = 0;
			e->phase = EP_DONE;
		}
		return;
	}
	/* fg after a background start: the shell gave reaper the terminal. */
	if (si->sig == SIGCONT && e->phase == EP_RUN && e->child > 0)
		tty_give(e->tty, e->child);
	if ((sig = fwd_route(&e->fwd, si->sig, now)) > 0)
		ep_deliver(e, sig);
}

/*
 * The main child stopped. As a job of an interactive shell, reaper stops
 * too, so the shell sees the job stopped; when continued (fg), it gives
 * the terminal back to the child and continues its group. As PID 1, with
 * no terminal, or in an orphaned group (nobody would ever continue it),
 * it only notes the stop and leaves the child to whoever stopped it.
 */
static void
ep_job_stop(struct ep *e, const struct reap_ev *ev)
{
	char how[48];

	reap_describe(ev, how, sizeof(how));
	if (e->pid1 || e->tty < 0 || !tty_can_stop()) {
		log_msg(LV_INFO, "main child %d %s", (int)e->child, how);
		return;
	}
	/* Brought to the foreground (fg) while running: the shell sent no
	 * SIGCONT, so the child learns it only by reading the terminal. */
	if ((ev->code == SIGTTIN || ev->code == SIGTTOU) && tty_is_fg(e->tty)) {
		tty_give(e->tty, e->child);
		if (sys_kill(-e->child, SIGCONT) < 0)
			log_sys(LV_WARN, "unable to continue the main child");
		return;
	}
	log_msg(LV_DEBUG, "main child %s; stopping too", how);
	tty_take(e->tty, e->child);
	if (sys_kill(e->self, SIGSTOP) < 0)
		log_sys(LV_WARN, "unable to stop");
	/* Continued: the terminal goes back only if the shell gave it (fg, not bg). */
	tty_give(e->tty, e->child);
	if (sys_kill(-e->child, SIGCONT) < 0)
		log_sys(LV_WARN, "unable to continue the main child");
}

/* The main child is gone: its status is ours; now end what it left. */
static void
ep_child_gone(struct ep *e, const struct reap_ev *ev)
{
	int64_t now = sys_now(), grace = e->o->grace_ms;
	pid_t pgid = e->child;
	char how[48];
	bool alone;

	e->status = opt_status(e->o, reap_status(ev));
	reap_describe(ev, how, sizeof(how));
	log_msg(LV_INFO, "main child %d %s", (int)e->child, how);
	tty_take(e->tty, pgid);
	e->child = 0;
	if (e->o->all) {
		e->phase = EP_DRAIN;
		return;
	}
	e->phase = EP_END;
	/* No child left, so no descendant either: nothing to walk /proc for.
	 * Its group still hears, in case the subreaper bit failed. */
	alone = sys_wait_peek() < 0 && errno == ECHILD;
	end_start(&e->end, pgid, !alone, grace, now + grace, now);
}

/* One state change from the reap loop (a struct reap_cb callback). */
void
ep_reaped(void *ctx, const struct reap_ev *ev)
{
	struct ep *e = ctx;

	if (ev->pid == e->child && e->child > 0) {
		if (ev->kind == REAP_EXITED || ev->kind == REAP_KILLED)
			ep_child_gone(e, ev);
		else if (ev->kind == REAP_STOPPED)
			ep_job_stop(e, ev);
		else
			log_msg(LV_INFO, "main child %d continued", (int)ev->pid);
		return;
	}
	orphan_reaped(&e->orphans, ev, e->o->warn_orphans ? LV_WARN : LV_DEBUG, -1);
}

/* reaper has no child left at all. */
void
ep_nochild(struct ep *e)
{
	end_nochild(&e->end);
	if (e->phase == EP_DRAIN || (e->phase == EP_END && e->end.phase == END_OVER))
		e->phase = EP_DONE;
}

/* Time passed: release held signals, and move the end along. */
void
ep_tick(struct ep *e, int64_t now)
{
	int sig;

	while ((sig = fwd_due(&e->fwd, now)) > 0)
		ep_deliver(e, sig);
	if (e->phase != EP_END)
		return;
	end_tick(&e->end, now);
	if (e->end.phase == END_OVER)
		e->phase = EP_DONE;
}

/* The next moment something is due, or -1: then reaper sleeps until a signal. */
int64_t
ep_deadline(const struct ep *e)
{
	return num_earliest(fwd_deadline(&e->fwd),
	    e->phase == EP_END ? end_deadline(&e->end) : -1);
}

static int64_t
ep_due(const void *ctx)
{
	return ep_deadline(ctx);
}

/*
 * A signal from the slow wait, now -1 when the clock was not read yet
 * (sig_clockless). A forwarded signal keeps the slow wait for the next
 * ones: rt_sigtimedwait hands it over with no handler's frame to build.
 */
static void
ep_on_signal(void *ctx, const struct sys_siginfo *si, int64_t now)
{
	struct ep *e = ctx;

	if (si->sig == SIGCHLD)
		e->chld = true;
	else if (sig_forwardable(si->sig))
		e->sig_lately = true;
	ep_signal(e, si, now >= 0 ? now : e->timed ? sys_now() : 0);
}

/* How the reaping goes: a child's name is read first only when it is logged. */
static void
ep_cb(struct ep *e, struct reap_cb *cb)
{
	memset(cb, 0, sizeof(*cb));
	cb->fn = ep_reaped;
	cb->ctx = e;
	cb->names = e->o->warn_orphans || log_on(LV_DEBUG);
	cb->noname = e->child;
}

/* After every wake-up of the slow wait: reap (SIGCHLD coalesces), then move along. */
static void
ep_step(void *ctx, int revents, int64_t now)
{
	struct ep *e = ctx;
	struct reap_cb cb;

	(void)revents;
	/* Every child's news comes with a SIGCHLD while all are blocked:
	 * without one, nothing to drain (a forwarded signal's wake-up). An
	 * orphan reaped means orphans come: the fast wait again. */
	if (e->chld) {
		unsigned long before = e->orphans;

		e->chld = false;
		ep_cb(e, &cb);
		if ((e->nochild = reap_all(&cb)))
			ep_nochild(e);
		if (e->orphans != before)
			e->sig_lately = false;
	}
	ep_tick(e, now);
	if (e->phase == EP_DONE)
		loop_stop(e->loop);
}

/* The signals the fast wait caught, in order; the clock only for -D. */
static void
ep_caught(struct ep *e)
{
	struct sys_siginfo si;

	while (catch_take(&si))
		ep_signal(e, &si, e->timed ? sys_now() : 0);
}

/*
 * The fast wait (catch.c) serves while nothing is due and a child is
 * there to wait for: the main child runs, or -a drains, and orphans came
 * last rather than signals. Held signals, the end's grace, a reaper
 * without children and a run of signals take the slow one.
 */
static bool
ep_fast_now(const struct ep *e)
{
	return e->catch == EP_CATCH_ON && !e->nochild && !e->sig_lately &&
	    ep_deadline(e) < 0 && (e->phase == EP_RUN || e->phase == EP_DRAIN);
}

static void
ep_fast(struct ep *e)
{
	struct sys_child got;
	struct reap_cb cb;
	int r;

	ep_cb(e, &cb);
	r = catch_wait(&got, cb.names);
	ep_caught(e);
	if (r == 0)		/* signals, no child: the slow wait takes the next */
		e->sig_lately = true;
	if (r > 0 && cb.names) {
		if ((e->nochild = reap_all(&cb)))	/* its name first, then reaped */
			ep_nochild(e);
	} else if (r > 0) {
		reap_child(&cb, &got);
	} else if (r < 0) {
		if (errno != ECHILD)
			log_sys(LV_ERR, "waitid");
		e->nochild = true;	/* the slow wait, until a child has news */
		ep_nochild(e);
	}
}

/* The slow wait: every signal blocked, read from the signalfd, and the loop's time. */
static void
ep_slow(struct ep *e, struct loop *l, bool was_fast)
{
	if (catch_arm(false) < 0)
		log_sys(LV_ERR, "unable to block signals");
	ep_caught(e);
	/* Out of the fast wait (the main child just ended, say): what is
	 * ready is served before any sleep. */
	if (was_fast) {
		e->chld = true;
		ep_step(e, 0, sys_now());
	}
	if (e->phase != EP_DONE)
		loop_once(l);
}

/* The signals the fast wait catches: all that are forwarded. */
static uint64_t
ep_catch_set(void)
{
	uint64_t set = 0;
	int sig;

	for (sig = 1; sig <= SIG_COUNT; sig++)
		if (sig_forwardable(sig))
			set |= SIG_BIT(sig);
	return set;
}

/*
 * Sets the fast wait up once the first wake-up finds a child still to
 * wait for: a command that only runs and ends never pays its sixty
 * sigactions (start-up overhead), a storm of orphans or of signals does
 * after its first.
 */
static void
ep_catch_later(struct ep *e)
{
	if (e->catch != EP_CATCH_LATER || e->nochild ||
	    (e->phase != EP_RUN && e->phase != EP_DRAIN))
		return;
	e->catch = EP_CATCH_ON;
	if (catch_setup(ep_catch_set(), ~(uint64_t)0) < 0) {
		log_sys(LV_WARN, "unable to catch signals; waiting the slow way");
		e->catch = EP_CATCH_FAILED;
	}
}

/* Entrypoint mode: the fast wait while it serves, else the loop's. */
int
ep_run(struct ep *e, struct loop *l, int sigfd)
{
	bool fast = false;

	if (e->phase == EP_DONE)	/* -P, and the parent died during set-up */
		return e->status;
	e->loop = l;
	e->chld = true;		/* the first wake-up drains, whatever woke it */
	loop_signals(l, sigfd, ep_on_signal, e);
	l->sig_clockless = true;
	loop_step(l, ep_step, ep_due, e);
	while (e->phase != EP_DONE) {
		if (ep_fast_now(e) && catch_arm(true) == 0) {
			fast = true;
			ep_fast(e);
		} else {
			ep_slow(e, l, fast);
			fast = false;
			ep_catch_later(e);
		}
	}
	return e->status;
}
