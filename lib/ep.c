/* The entrypoint engine: forward signals to the main child, reap, end cleanly. */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "desc.h"
#include "ep.h"
#include "log.h"
#include "num.h"
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
	e->deadline = -1;
}

void
ep_started(struct ep *e, pid_t child, int tty)
{
	e->child = child;
	e->tty = tty;
}

static void
ep_all(struct ep *e, int sig)
{
	if (desc_signal(e->self, e->pid1, sig) < 0) {
		char name[16];

		log_sys(LV_WARN, "unable to send %s to the remaining processes",
		    sig_name(sig, name, sizeof(name)));
	}
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
		ep_all(e, sig);
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

/*
 * The main child's group, besides the descendants: it catches them even
 * where /proc cannot be read. Only ever at the start of a phase, right
 * after the leader was reaped, while members keep the group id taken.
 */
static void
ep_group(pid_t pgid, int sig)
{
	if (pgid > 0 && sys_kill(-pgid, sig) < 0 && errno != ESRCH)
		log_sys(LV_WARN, "unable to signal group %d", (int)pgid);
}

static void
ep_kill(struct ep *e, pid_t pgid, int64_t now)
{
	ep_group(pgid, SIGKILL);
	ep_all(e, SIGKILL);
	e->phase = EP_KILL;
	e->kill_until = now + KILL_WAIT_MS;
	e->deadline = now + EP_REKILL_MS;
}

/* The main child is gone: its status is ours; now end what it left. */
static void
ep_child_gone(struct ep *e, const struct reap_ev *ev)
{
	int64_t now = sys_now();
	pid_t pgid = e->child;
	char how[48];

	e->status = opt_status(e->o, reap_status(ev));
	reap_describe(ev, how, sizeof(how));
	log_msg(LV_INFO, "main child %d %s", (int)e->child, how);
	tty_take(e->tty, pgid);
	e->child = 0;
	e->pgid = pgid;
	if (e->o->all) {
		e->phase = EP_DRAIN;
	} else if (sys_wait_peek() < 0 && errno == ECHILD) {
		/* No child left, so no descendant either: nothing to walk /proc
		 * for. Its group still hears, in case the subreaper bit failed. */
		ep_group(pgid, SIGTERM);
		ep_group(pgid, SIGCONT);
		e->phase = EP_TERM;
		e->deadline = now + e->o->grace_ms;
	} else if (e->o->grace_ms == 0) {
		ep_kill(e, pgid, now);
	} else {
		ep_group(pgid, SIGTERM);
		ep_group(pgid, SIGCONT);
		ep_all(e, SIGTERM);
		ep_all(e, SIGCONT);
		e->phase = EP_TERM;
		e->deadline = now + e->o->grace_ms;
	}
}

/* One state change from the reap loop (a struct reap_cb callback). */
void
ep_reaped(void *ctx, const struct reap_ev *ev)
{
	struct ep *e = ctx;
	char how[48];
	bool gone = ev->kind == REAP_EXITED || ev->kind == REAP_KILLED;
	int level;

	if (ev->pid == e->child && e->child > 0) {
		if (gone)
			ep_child_gone(e, ev);
		else if (ev->kind == REAP_STOPPED)
			ep_job_stop(e, ev);
		else
			log_msg(LV_INFO, "main child %d continued", (int)ev->pid);
		return;
	}
	if (gone)
		e->orphans++;
	level = gone && e->o->warn_orphans ? LV_WARN : LV_DEBUG;
	if (!log_on(level))
		return;	/* 20,000 orphans a second: no text nobody reads */
	reap_describe(ev, how, sizeof(how));
	if (gone)
		log_msg(level, "reaped orphan %d (%s): %s", (int)ev->pid, ev->comm, how);
	else
		log_msg(level, "orphan %d (%s) %s", (int)ev->pid, ev->comm, how);
}

/* reaper has no child left at all. */
void
ep_nochild(struct ep *e)
{
	if (e->phase == EP_DRAIN || e->phase == EP_TERM || e->phase == EP_KILL)
		e->phase = EP_DONE;
}

/* Time passed: release held signals, and move the end along. */
void
ep_tick(struct ep *e, int64_t now)
{
	int sig;

	while ((sig = fwd_due(&e->fwd, now)) > 0)
		ep_deliver(e, sig);
	if (e->phase == EP_TERM && now >= e->deadline) {
		log_msg(LV_INFO, "grace of %lld ms is over; sending SIGKILL",
		    (long long)e->o->grace_ms);
		ep_kill(e, e->pgid, now);
	} else if (e->phase == EP_KILL && now >= e->deadline) {
		if (now >= e->kill_until) {
			log_msg(LV_WARN, "processes left after SIGKILL; exiting anyway");
			e->phase = EP_DONE;
			return;
		}
		ep_all(e, SIGKILL);	/* anything forked since the last round */
		e->deadline = now + EP_REKILL_MS;
	}
}

/* The next moment something is due, or -1: then reaper sleeps until a signal. */
int64_t
ep_deadline(const struct ep *e)
{
	bool timed = e->phase == EP_TERM || e->phase == EP_KILL;

	return num_earliest(fwd_deadline(&e->fwd), timed ? e->deadline : -1);
}

/* The loop: sleep in the kernel, read signals, reap, tick; until DONE. */
int
ep_run(struct ep *e, int sigfd)
{
	struct reap_cb cb = { ep_reaped, e, false, 0 };
	struct sys_siginfo si;

	while (e->phase != EP_DONE) {
		int64_t now = sys_now(), dl = ep_deadline(e);
		int r = sys_sigwait(&si, dl < 0 ? -1 : (dl > now ? dl - now : 0));

		if (r > 0)	/* straight on: the signal latency is this path */
			ep_signal(e, &si, sys_now());
		else if (r < 0)
			log_sys(LV_ERR, "waiting for signals");
		while ((r = sys_signalfd_read(sigfd, &si)) > 0)
			ep_signal(e, &si, sys_now());
		if (r < 0)
			log_sys(LV_ERR, "reading signals");
		cb.names = e->o->warn_orphans || log_on(LV_DEBUG);
		cb.noname = e->child;
		if (reap_all(&cb))
			ep_nochild(e);
		ep_tick(e, sys_now());
	}
	return e->status;
}
