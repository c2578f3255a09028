/* Unit tests: signal routing, -r rewrites and -D holds. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fwd.h"

static struct opts o;
static struct fwd f;

static int
setup(void **state)
{
	char err[160];
	char *argv[] = { "reaper", "x", NULL };

	(void)state;
	assert_int_equal(opt_parse(&o, 2, argv, NULL, err, sizeof(err)), OPT_RUN);
	fwd_init(&f, &o);
	return 0;
}

static void
test_pass(void **state)
{
	int s;

	(void)state;
	for (s = 1; s <= SIG_COUNT; s++)
		assert_int_equal(fwd_route(&f, s, 0), s);
	assert_int_equal(fwd_deadline(&f), -1);
	assert_int_equal(fwd_due(&f, 1000000), 0);
}

static void
test_rewrite_and_drop(void **state)
{
	(void)state;
	o.rewrite[SIGUSR1] = SIGUSR2;
	o.rewrite[SIGHUP] = 0;
	assert_int_equal(fwd_route(&f, SIGUSR1, 0), SIGUSR2);
	assert_int_equal(fwd_route(&f, SIGHUP, 0), 0);
	assert_int_equal(fwd_route(&f, SIGUSR2, 0), SIGUSR2);
	assert_int_equal(fwd_deadline(&f), -1);	/* dropped is not held */
}

static void
test_hold(void **state)
{
	(void)state;
	o.delay_ms[SIGTERM] = 1000;
	o.delay_ms[SIGINT] = 300;
	assert_int_equal(fwd_route(&f, SIGTERM, 100), 0);
	assert_int_equal(fwd_deadline(&f), 1100);
	assert_int_equal(fwd_route(&f, SIGINT, 200), 0);
	assert_int_equal(fwd_deadline(&f), 500);
	assert_int_equal(fwd_route(&f, SIGUSR1, 200), SIGUSR1);	/* not held */
	assert_int_equal(fwd_due(&f, 499), 0);
	assert_int_equal(fwd_due(&f, 500), SIGINT);
	assert_int_equal(fwd_due(&f, 500), 0);
	assert_int_equal(fwd_deadline(&f), 1100);
	assert_int_equal(fwd_due(&f, 1099), 0);
	assert_int_equal(fwd_due(&f, 5000), SIGTERM);
	assert_int_equal(fwd_deadline(&f), -1);
}

static void
test_rewrite_then_hold(void **state)
{
	(void)state;
	/* -D looks at the signal -r made. */
	o.rewrite[SIGUSR1] = SIGTERM;
	o.delay_ms[SIGTERM] = 50;
	assert_int_equal(fwd_route(&f, SIGUSR1, 0), 0);
	assert_int_equal(fwd_due(&f, 50), SIGTERM);
}

static void
test_merge_and_queue(void **state)
{
	int rt = SIGRTMIN + 1;

	(void)state;
	o.delay_ms[SIGTERM] = 10;
	o.delay_ms[rt] = 10;
	/* A standard signal merges with the held one, as the kernel would. */
	assert_int_equal(fwd_route(&f, SIGTERM, 0), 0);
	assert_int_equal(fwd_route(&f, SIGTERM, 5), 0);
	/* Realtime signals queue: each is delivered. */
	assert_int_equal(fwd_route(&f, rt, 1), 0);
	assert_int_equal(fwd_route(&f, rt, 2), 0);
	assert_int_equal(fwd_due(&f, 100), SIGTERM);
	assert_int_equal(fwd_due(&f, 100), rt);
	assert_int_equal(fwd_due(&f, 100), rt);
	assert_int_equal(fwd_due(&f, 100), 0);
}

static void
test_same_due_keeps_order(void **state)
{
	(void)state;
	o.delay_ms[SIGUSR1] = 10;
	o.delay_ms[SIGUSR2] = 10;
	assert_int_equal(fwd_route(&f, SIGUSR2, 0), 0);
	assert_int_equal(fwd_route(&f, SIGUSR1, 0), 0);
	assert_int_equal(fwd_due(&f, 10), SIGUSR2);
	assert_int_equal(fwd_due(&f, 10), SIGUSR1);
}

static void
test_full_forwards_now(void **state)
{
	int rt = SIGRTMIN, i;

	(void)state;
	o.delay_ms[rt] = 10;
	for (i = 0; i < HOLD_MAX; i++)
		assert_int_equal(fwd_route(&f, rt, i), 0);
	/* The queue is full: the signal goes at once, never lost. */
	assert_int_equal(fwd_route(&f, rt, 100), rt);
	for (i = 0; i < HOLD_MAX; i++)
		assert_int_equal(fwd_due(&f, 1000), rt);
	assert_int_equal(fwd_due(&f, 1000), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_pass, setup),
		cmocka_unit_test_setup(test_rewrite_and_drop, setup),
		cmocka_unit_test_setup(test_hold, setup),
		cmocka_unit_test_setup(test_rewrite_then_hold, setup),
		cmocka_unit_test_setup(test_merge_and_queue, setup),
		cmocka_unit_test_setup(test_same_due_keeps_order, setup),
		cmocka_unit_test_setup(test_full_forwards_now, setup),
	};

	return cmocka_run_group_tests_name("fwd", tests, NULL, NULL);
}
