/* The entrypoint engine: forward signals to the main child, reap, end cleanly. */
#include <errno.h>
#include <signal.h>
#include <string.h>

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
	else
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
	orphan_reaped(&e->orphans, ev, e->o->warn_orphans ? LV_WARN : LV_DEBUG, e->now);
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

static void
ep_on_signal(void *ctx, const struct sys_siginfo *si, int64_t now)
{
	ep_signal(ctx, si, now);
}

/* After every wake-up: reap (SIGCHLD coalesces), then move along. */
static void
ep_step(void *ctx, int revents, int64_t now)
{
	struct ep *e = ctx;
	struct reap_cb cb = { ep_reaped, e, false, 0, NULL, NULL };

	(void)revents;
	e->now = now;	/* for the orphans: no clock read for each */
	cb.names = e->o->warn_orphans || log_on(LV_DEBUG);
	cb.noname = e->child;
	if (reap_all(&cb))
		ep_nochild(e);
	ep_tick(e, now);
	if (e->phase == EP_DONE)
		loop_stop(e->loop);
}

/* Entrypoint mode on the loop: only the signals, and the ep's own time. */
int
ep_run(struct ep *e, struct loop *l, int sigfd)
{
	if (e->phase == EP_DONE)	/* -P, and the parent died during set-up */
		return e->status;
	e->loop = l;
	loop_signals(l, sigfd, ep_on_signal, e);
	loop_step(l, ep_step, ep_due, e);
	loop_run(l);
	return e->status;
}
