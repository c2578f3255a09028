/* Unit tests: finding the descendants of reaper in a process table. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "desc.h"

static unsigned char mark[16];

static int
marked(const struct desc_proc *p, int n, pid_t pid)
{
	int i;

	for (i = 0; i < n; i++)
		if (p[i].pid == pid)
			return mark[i];
	fail_msg("pid %d not in the table", (int)pid);
	return -1;
}

static void
test_tree(void **state)
{
	/* 100 is reaper; 1 init; 50 a stranger with its own child 51. */
	struct desc_proc p[] = {
		{ 1, 0 }, { 300, 200 }, { 100, 1 }, { 200, 100 }, { 201, 100 },
		{ 50, 1 }, { 51, 50 }, { 400, 300 }, { 202, 201 },
	};
	int n = (int)(sizeof(p) / sizeof(p[0]));

	(void)state;
	assert_int_equal(desc_mark(p, n, 100, mark), 5);
	assert_true(marked(p, n, 200) && marked(p, n, 201) && marked(p, n, 300));
	assert_true(marked(p, n, 400) && marked(p, n, 202));
	assert_false(marked(p, n, 100));	/* not its own descendant */
	assert_false(marked(p, n, 1) || marked(p, n, 50) || marked(p, n, 51));
}

static void
test_deep_chain_out_of_order(void **state)
{
	/* Listed leaf first, so each pass finds only one more generation. */
	struct desc_proc p[] = {
		{ 15, 14 }, { 14, 13 }, { 13, 12 }, { 12, 11 }, { 11, 10 }, { 10, 1 },
		{ 2, 1 },
	};

	(void)state;
	assert_int_equal(desc_mark(p, 7, 10, mark), 5);
	assert_int_equal(desc_mark(p, 7, 12, mark), 3);
	assert_int_equal(desc_mark(p, 7, 15, mark), 0);
	assert_int_equal(desc_mark(p, 7, 99, mark), 0);
}

static void
test_vanished_parent(void **state)
{
	/* ppid -1: its stat could not be read (it exited meanwhile). */
	struct desc_proc p[] = { { 5, 4 }, { 6, -1 }, { 7, 6 } };

	(void)state;
	assert_int_equal(desc_mark(p, 3, 4, mark), 1);
	assert_true(marked(p, 3, 5));
	assert_false(marked(p, 3, 7));
}

static void
test_pid1_kills_all(void **state)
{
	(void)state;
	expect_value(sys_kill, pid, -1);
	expect_value(sys_kill, sig, SIGTERM);
	will_return(sys_kill, 0);
	assert_int_equal(desc_signal(1, true, SIGTERM), 1);
	/* Nobody left to signal is not an error. */
	expect_value(sys_kill, pid, -1);
	expect_value(sys_kill, sig, SIGKILL);
	will_return(sys_kill, -1);
	will_return(sys_kill, ESRCH);
	assert_int_equal(desc_signal(1, true, SIGKILL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tree),
		cmocka_unit_test(test_deep_chain_out_of_order),
		cmocka_unit_test(test_vanished_parent),
		cmocka_unit_test(test_pid1_kills_all),
	};

	return cmocka_run_group_tests_name("desc", tests, NULL, NULL);
}
