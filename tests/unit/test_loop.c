/* Unit tests: the loop's source table, its deadline, and its dispatch. */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_sys.h"
#include "loop.h"

static struct loop l;
static struct loop_src tab[LOOP_SRC_MAX];

/* What a test source saw, and what it does when called. */
struct probe {
	int	calls;
	int	revents;		/* of the last call */
	int64_t	due;			/* -1: never */
	int	self;			/* its id */
	int	del;			/* remove this id when called; -1 none */
	bool	readd;			/* then register a fresh source */
	int	fresh;			/* the fresh one's id */
};

static struct probe pa, pb, pc, fresh;
static int steps;

static void
probe_fn(void *ctx, int revents, int64_t now)
{
	struct probe *p = ctx;

	(void)now;
	p->calls++;
	p->revents = revents;
	if (p->del >= 0)
		loop_del(&l, p->del);
	if (p->readd)
		p->fresh = loop_add(&l, p->fresh, POLLIN, probe_fn, NULL, &fresh);
}

static int64_t
probe_due(const void *ctx)
{
	return ((const struct probe *)ctx)->due;
}

static void
step_fn(void *ctx, int revents, int64_t now)
{
	(void)ctx; (void)revents; (void)now;
	steps++;
}

static int
setup(void **state)
{
	struct probe none = { 0, 0, -1, -1, -1, false, -1 };

	(void)fake_setup(state);
	loop_init(&l, tab, LOOP_SRC_MAX);
	pa = pb = pc = fresh = none;
	steps = 0;
	return 0;
}

/* A pipe with a byte in it: its read end polls readable. */
static int
ready_fd(int *w)
{
	int p[2];

	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "x", 1), 1);
	*w = p[1];
	return p[0];
}

static void
test_add_del_reuse(void **state)
{
	int a, b, c, d, fds[8];

	(void)state;
	a = loop_add(&l, 10, POLLIN, probe_fn, NULL, &pa);
	b = loop_add(&l, 11, POLLIN, probe_fn, NULL, &pb);
	c = loop_add(&l, 12, 0, probe_fn, NULL, &pc);	/* held, not polled */
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	assert_int_equal(c, 2);
	assert_int_equal(l.top, 3);
	loop_del(&l, b);
	assert_int_equal(loop_fds(&l, fds, 8), 2);
	assert_int_equal(fds[0], 10);
	assert_int_equal(fds[1], 12);
	d = loop_add(&l, 13, POLLIN, probe_fn, NULL, &pb);
	assert_int_equal(d, 1);		/* the free slot, taken again */
	loop_del(&l, c);
	loop_del(&l, d);
	assert_int_equal(l.top, 1);	/* the table ends at its last source */
	loop_del(&l, -1);		/* no source: nothing happens */
	loop_del(&l, a);
	assert_int_equal(l.top, 0);
	assert_int_equal(loop_fds(&l, fds, 8), 0);
}

static void
test_table_full(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < LOOP_SRC_MAX; i++)
		assert_int_equal(loop_add(&l, -1, 0, probe_fn, NULL, &pa), i);
	errno = 0;
	assert_int_equal(loop_add(&l, -1, 0, probe_fn, NULL, &pa), -1);
	assert_int_equal(errno, ENOSPC);
	loop_del(&l, 7);
	assert_int_equal(loop_add(&l, -1, 0, probe_fn, NULL, &pa), 7);
}

static int64_t step_at = -1;

static int64_t
step_due(const void *ctx)
{
	(void)ctx;
	return step_at;
}

static void
test_earliest_deadline(void **state)
{
	int w, r = ready_fd(&w);

	(void)state;
	assert_int_equal(loop_deadline(&l), -1);
	pa.due = 500;
	pb.due = -1;
	pc.due = 200;
	step_at = 300;
	(void)loop_add(&l, -1, 0, probe_fn, probe_due, &pa);
	(void)loop_add(&l, -1, 0, probe_fn, probe_due, &pb);
	(void)loop_add(&l, -1, 0, probe_fn, probe_due, &pc);
	loop_step(&l, step_fn, step_due, NULL);
	assert_int_equal(loop_deadline(&l), 200);
	step_at = 150;
	assert_int_equal(loop_deadline(&l), 150);
	pc.due = 100;
	assert_int_equal(loop_deadline(&l), 100);
	/* At 40, with an fd to poll: the wait is for the 60 ms left. */
	(void)loop_add(&l, r, POLLOUT, probe_fn, NULL, &fresh);
	fake_script("poll", 0, 0, 1);
	fake_now = 40;
	loop_once(&l);
	assert_int_equal(fake_wait_timeout, 60);
	assert_int_equal(steps, 1);
	assert_int_equal(pa.calls + pb.calls + pc.calls, 0);	/* none due yet */
	step_at = -1;
	close(r);
	close(w);
}

static void
test_timers_and_step(void **state)
{
	(void)state;
	pa.due = 100;
	pb.due = 101;
	(void)loop_add(&l, -1, 0, probe_fn, probe_due, &pa);
	(void)loop_add(&l, -1, 0, probe_fn, probe_due, &pb);
	(void)loop_add(&l, -1, 0, probe_fn, NULL, &pc);	/* never due */
	loop_step(&l, step_fn, NULL, NULL);
	/* Only timers: no fd to poll, no signalfd: a poll of none. */
	fake_now = 100;
	loop_once(&l);
	assert_int_equal(fake_wait_timeout, 0);
	assert_int_equal(pa.calls, 1);
	assert_int_equal(pa.revents, 0);
	assert_int_equal(pb.calls, 0);
	assert_int_equal(pc.calls, 0);
	assert_int_equal(steps, 1);
}

/* With nothing but signals to wait for, the loop sleeps in rt_sigtimedwait. */
static void
test_signals_only_sigwait(void **state)
{
	(void)state;
	loop_signals(&l, 5, NULL, NULL);
	pa.due = 250;
	(void)loop_add(&l, -1, 0, probe_fn, probe_due, &pa);
	fake_script("sigwait", 0, 0, 1);	/* the timeout passed */
	fake_now = 200;
	loop_once(&l);
	assert_int_equal(fake_wait_timeout, 50);
	assert_int_equal(pa.calls, 0);
}

/* Ready fds: each handler called once with what poll said. */
static void
test_ready_fds(void **state)
{
	int wa, wb, ra = ready_fd(&wa), rb;
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);	/* empty: not readable */
	rb = p[0];
	wb = p[1];
	(void)loop_add(&l, ra, POLLIN, probe_fn, NULL, &pa);
	(void)loop_add(&l, rb, POLLIN, probe_fn, NULL, &pb);
	(void)loop_add(&l, ra, 0, probe_fn, NULL, &pc);	/* held only */
	fake_now = 0;
	loop_once(&l);
	assert_int_equal(fake_wait_timeout, -1);	/* nothing due: no timeout */
	assert_int_equal(pa.calls, 1);
	assert_true(pa.revents & POLLIN);
	assert_int_equal(pb.calls, 0);
	assert_int_equal(pc.calls, 0);
	close(ra); close(wa); close(rb); close(wb);
}

/*
 * A handler that removes itself and registers a new source (which takes
 * the same slot), and one that removes another ready source: neither the
 * new one nor the removed one hears of this round's events.
 */
static void
test_handler_removes_itself(void **state)
{
	int wa, wb, ra = ready_fd(&wa), rb = ready_fd(&wb);

	(void)state;
	pa.self = loop_add(&l, ra, POLLIN, probe_fn, NULL, &pa);
	pb.self = loop_add(&l, rb, POLLIN, probe_fn, NULL, &pb);
	pa.del = pa.self;
	pa.readd = true;
	pa.fresh = ra;	/* the fd the fresh source polls */
	fake_now = 0;
	loop_once(&l);
	assert_int_equal(pa.calls, 1);
	assert_int_equal(pa.fresh, pa.self);	/* the freed slot, reused */
	assert_int_equal(fresh.calls, 0);	/* registered after the poll */
	assert_int_equal(pb.calls, 1);
	/* Next round: the fresh source hears; b removes a, which is ready too. */
	pa.readd = false;
	pb.del = pa.self;
	l.src[pa.self].ctx = &pc;	/* the fresh slot now probes pc */
	pc.del = -1;
	loop_del(&l, pb.self);
	pb.self = loop_add(&l, rb, POLLIN, probe_fn, NULL, &pb);
	assert_true(pb.self > pa.self);
	loop_once(&l);
	/* a's slot comes first, so it ran; b then removed it. */
	assert_int_equal(pc.calls, 1);
	assert_int_equal(pb.calls, 2);
	assert_null(l.src[pa.self].fn);
	close(ra); close(wa); close(rb); close(wb);
}

/* A source removed by an earlier handler of the same round is not called. */
static void
test_removed_by_another(void **state)
{
	int wa, wb, ra = ready_fd(&wa), rb = ready_fd(&wb);

	(void)state;
	pa.self = loop_add(&l, ra, POLLIN, probe_fn, NULL, &pa);
	pb.self = loop_add(&l, rb, POLLIN, probe_fn, NULL, &pb);
	pa.del = pb.self;
	fake_now = 0;
	loop_once(&l);
	assert_int_equal(pa.calls, 1);
	assert_int_equal(pb.calls, 0);
	assert_int_equal(l.top, 1);
	close(ra); close(wa); close(rb); close(wb);
}

/* poll fails (a lowered fd limit): said once, no spin: it waits for
 * signals a while, then tries again; a success clears it. */
static void
test_poll_fails(void **state)
{
	int w, r = ready_fd(&w);

	(void)state;
	(void)loop_add(&l, r, POLLIN, probe_fn, NULL, &pa);
	fake_now = 0;
	fake_script("poll", -1, EINVAL, 2);
	fake_script("sigwait", 0, 0, 2);
	loop_once(&l);
	assert_int_equal(fake_wait_timeout, LOOP_RETRY_MS);
	assert_int_equal(pa.calls, 0);
	assert_true(fake_logged("error: poll; waiting for signals only, trying again: "
	    "Invalid argument"));
	fake_log_buf[0] = '\0';
	fake_log_len = 0;
	loop_once(&l);
	assert_false(fake_logged("poll"));	/* once */
	loop_once(&l);				/* poll works again */
	assert_int_equal(pa.calls, 1);
	close(r);
	close(w);
}

static void
stop_fn(void *ctx, int revents, int64_t now)
{
	(void)revents; (void)now;
	steps++;
	if (steps == 3)
		loop_stop(ctx);
}

static void
test_run_until_stopped(void **state)
{
	(void)state;
	loop_step(&l, stop_fn, NULL, &l);
	fake_script("poll", 0, 0, -1);
	fake_now = 0;
	loop_run(&l);
	assert_int_equal(steps, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_add_del_reuse, setup),
		cmocka_unit_test_setup(test_table_full, setup),
		cmocka_unit_test_setup(test_earliest_deadline, setup),
		cmocka_unit_test_setup(test_timers_and_step, setup),
		cmocka_unit_test_setup(test_signals_only_sigwait, setup),
		cmocka_unit_test_setup(test_ready_fds, setup),
		cmocka_unit_test_setup(test_handler_removes_itself, setup),
		cmocka_unit_test_setup(test_removed_by_another, setup),
		cmocka_unit_test_setup(test_poll_fails, setup),
		cmocka_unit_test_setup(test_run_until_stopped, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
