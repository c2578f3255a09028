/*
 * The one loop of every mode. Sources register when they open and leave
 * when they close; each wake-up reads the signals first, then serves the
 * ready fds, then runs the mode's step (reaping: SIGCHLD coalesces, so
 * every wake-up drains waitpid), then the sources whose time has come.
 * It sleeps in the kernel until one of those, never on a tick.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "log.h"
#include "loop.h"
#include "num.h"

/*
 * An empty loop on the caller's table of max slots (at most LOOP_SRC_MAX:
 * the entrypoint needs none, system mode all). Only the slots in use are
 * cleared: the table lives in static storage, already zero, and writing
 * all of it would make PID 1 hold pages it never needs.
 */
void
loop_init(struct loop *l, struct loop_src *tab, int max)
{
	if (l->src == tab) {
		int id;

		for (id = 0; id < l->top; id++)
			l->src[id].fn = NULL;
	}
	l->src = tab;
	l->max = max < LOOP_SRC_MAX ? max : LOOP_SRC_MAX;
	l->top = 0;
	l->sigfd = -1;
	l->sig = NULL;
	l->step = NULL;
	l->step_due = NULL;
	l->done = false;
	l->sig_clockless = false;
}

/* The signalfd: its signals go to fn one by one, before anything else. */
void
loop_signals(struct loop *l, int sigfd, loop_sig_fn *fn, void *ctx)
{
	l->sigfd = sigfd;
	l->sig = fn;
	l->sigctx = ctx;
}

/* What runs after every wake-up, and when it next wants one of its own. */
void
loop_step(struct loop *l, loop_fn *fn, loop_due_fn *due, void *ctx)
{
	l->step = fn;
	l->step_due = due;
	l->step_ctx = ctx;
}

/* Register a source; its id, or -1 with ENOSPC when the table is full. */
int
loop_add(struct loop *l, int fd, int events, loop_fn *fn, loop_due_fn *due, void *ctx)
{
	int id;

	for (id = 0; id < l->max && l->src[id].fn; id++)
		;
	if (id == l->max) {
		errno = ENOSPC;
		return -1;
	}
	l->src[id].fd = fd;
	l->src[id].events = events;
	l->src[id].fn = fn;
	l->src[id].due = due;
	l->src[id].ctx = ctx;
	l->src[id].gen++;
	if (id >= l->top)
		l->top = id + 1;
	return id;
}

/* A source leaves; safe from its own handler, and for an id of -1. */
void
loop_del(struct loop *l, int id)
{
	if (id < 0 || id >= l->max)
		return;
	l->src[id].fn = NULL;
	l->src[id].fd = -1;
	while (l->top > 0 && !l->src[l->top - 1].fn)
		l->top--;
}

void
loop_events(struct loop *l, int id, int events)
{
	if (id >= 0 && id < l->max && l->src[id].fn)
		l->src[id].events = events;
}

/* Whether poll watches s: in use, with an fd and events (else only kept). */
static bool
loop_polled(const struct loop_src *s)
{
	return s->fn && s->fd >= 0 && s->events;
}

/* The earliest moment a source or the step is due, or -1: none. */
int64_t
loop_deadline(const struct loop *l)
{
	int64_t dl = l->step_due ? l->step_due(l->step_ctx) : -1;
	int id;

	for (id = 0; id < l->top; id++)
		if (l->src[id].fn && l->src[id].due)
			dl = num_earliest(dl, l->src[id].due(l->src[id].ctx));
	return dl;
}

/* Every fd the loop holds, the signalfd first: for a caller closing all others. */
int
loop_fds(const struct loop *l, int *fds, int max)
{
	int id, n = 0;

	if (l->sigfd >= 0 && n < max)
		fds[n++] = l->sigfd;
	for (id = 0; id < l->top && n < max; id++)
		if (l->src[id].fn && l->src[id].fd >= 0)
			fds[n++] = l->src[id].fd;
	return n;
}

static void
loop_read_signals(struct loop *l, int64_t now)
{
	struct sys_siginfo si;
	int r;

	if (l->sigfd < 0)
		return;
	while ((r = sys_signalfd_read(l->sigfd, &si)) > 0)
		l->sig(l->sigctx, &si, now);
	if (r < 0)
		log_sys(LV_ERR, "reading signals");
}

/*
 * Only the signals to wait for: rt_sigtimedwait takes the signal in the
 * same call that sleeps, one system call fewer per signal than poll and
 * a read (the entrypoint's signal latency is this path).
 */
static int64_t
loop_sigwait(struct loop *l, int64_t timeout)
{
	struct sys_siginfo si;
	int r = sys_sigwait(&si, timeout);
	int64_t now;

	/* The entrypoint's forwarding first: the clock read waits for after the kill. */
	if (r > 0 && l->sig && l->sig_clockless)
		l->sig(l->sigctx, &si, -1);
	now = sys_now();
	if (r > 0 && l->sig) {	/* (none: a loop polling without a signalfd) */
		if (!l->sig_clockless)
			l->sig(l->sigctx, &si, now);
		loop_read_signals(l, now);	/* more may be queued behind it */
	} else if (r < 0) {
		log_sys(LV_ERR, "waiting for signals");
	}
	return now;
}

/*
 * poll failed (EINVAL: more fds than a lowered RLIMIT_NOFILE, ENOMEM):
 * said once, and rather than spin, wait for a signal for a while
 * (LOOP_RETRY_MS at most) and try again; the fds wait meanwhile.
 */
static int64_t
loop_poll_failed(struct loop *l, int64_t timeout)
{
	if (!l->pollerr)
		log_sys(LV_ERR, "poll; waiting for signals only, trying again");
	l->pollerr = true;
	return loop_sigwait(l, timeout < 0 || timeout > LOOP_RETRY_MS ?
	    LOOP_RETRY_MS : timeout);
}

/*
 * Poll the signalfd and every source with events. Only what is in use is
 * passed: poll(2) refuses more entries than RLIMIT_NOFILE (EINVAL).
 */
static int64_t
loop_poll(struct loop *l, int64_t timeout)
{
	struct pollfd pfd[1 + LOOP_SRC_MAX];
	int id[1 + LOOP_SRC_MAX];
	unsigned gen[1 + LOOP_SRC_MAX];
	int i, n = 0, r;
	int64_t now;

	if (l->sigfd >= 0) {
		pfd[n].fd = l->sigfd;
		pfd[n].events = POLLIN;
		id[n++] = -1;
	}
	for (i = 0; i < l->top; i++) {
		if (!loop_polled(&l->src[i]))
			continue;
		pfd[n].fd = l->src[i].fd;
		pfd[n].events = (short)l->src[i].events;
		gen[n] = l->src[i].gen;
		id[n++] = i;
	}
	for (i = 0; i < n; i++)
		pfd[i].revents = 0;
	if ((r = sys_poll(pfd, n, timeout)) < 0)
		return loop_poll_failed(l, timeout);
	l->pollerr = false;
	now = sys_now();
	if (r == 0)
		return now;
	if (l->sigfd >= 0 && pfd[0].revents)
		loop_read_signals(l, now);
	for (i = 0; i < n; i++) {
		struct loop_src *s = id[i] >= 0 ? &l->src[id[i]] : NULL;

		/* Gone, or taken by another, since the poll: not this one's news. */
		if (!s || !pfd[i].revents || !s->fn || s->gen != gen[i])
			continue;
		s->fn(s->ctx, pfd[i].revents, now);
	}
	return now;
}

/* The sources whose time has come, called with no events. */
static void
loop_timers(struct loop *l, int64_t now)
{
	int id;

	for (id = 0; id < l->top; id++) {
		struct loop_src *s = &l->src[id];
		int64_t dl;

		if (s->fn && s->due && (dl = s->due(s->ctx)) >= 0 && now >= dl)
			s->fn(s->ctx, 0, now);
	}
}

/*
 * One wake-up: sleep until a signal, an fd or the earliest deadline, then
 * serve. The clock is read once after the wait (and before it only when
 * something is due): every handler of this wake-up sees that one now.
 */
void
loop_once(struct loop *l)
{
	int64_t dl = loop_deadline(l), timeout = -1, now;
	bool polled = false;
	int id;

	if (dl >= 0) {
		now = sys_now();
		timeout = dl > now ? dl - now : 0;
	}
	for (id = 0; id < l->top && !polled; id++)
		polled = loop_polled(&l->src[id]);
	if (polled || l->sigfd < 0)
		now = loop_poll(l, timeout);
	else
		now = loop_sigwait(l, timeout);
	if (l->step)
		l->step(l->step_ctx, 0, now);
	loop_timers(l, now);
}

void
loop_run(struct loop *l)
{
	while (!l->done)
		loop_once(l);
}

/* The end: loop_run returns after this wake-up. */
void
loop_stop(struct loop *l)
{
	l->done = true;
}
