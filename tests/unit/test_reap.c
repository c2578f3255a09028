/* Unit tests: the reap loop against a scripted waitpid. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "reap.h"

#define EXITED(c)	((c) << 8)
#define KILLED(s)	(s)
#define STOPPED(s)	(((s) << 8) | 0x7f)
#define CONTINUED	0xffff

static struct reap_ev seen[8];
static int nseen;

static void
record(void *ctx, const struct reap_ev *ev)
{
	(void)ctx;
	assert_true(nseen < 8);
	seen[nseen++] = *ev;
}

static int
setup(void **state)
{
	(void)state;
	nseen = 0;
	memset(seen, 0, sizeof(seen));
	return 0;
}

static void
will_reap(pid_t pid, int status)
{
	expect_value(sys_waitpid, pid, -1);
	will_return(sys_waitpid, pid);
	will_return(sys_waitpid, status);
}

static void
will_fail(int err)
{
	expect_value(sys_waitpid, pid, -1);
	will_return(sys_waitpid, -1);
	will_return(sys_waitpid, err);
}

static void
test_drains_everything(void **state)
{
	struct reap_cb cb = { record, NULL, false, 0, NULL, NULL };

	(void)state;
	will_reap(100, EXITED(3));
	will_reap(200, KILLED(SIGKILL));
	will_reap(300, STOPPED(SIGTSTP));
	will_reap(300, CONTINUED);
	expect_value(sys_waitpid, pid, -1);
	will_return(sys_waitpid, 0);	/* children left, none with news */
	assert_int_equal(reap_all(&cb), 0);
	assert_int_equal(nseen, 4);
	assert_int_equal(seen[0].pid, 100);
	assert_int_equal(seen[0].kind, REAP_EXITED);
	assert_int_equal(seen[0].code, 3);
	assert_int_equal(seen[1].kind, REAP_KILLED);
	assert_int_equal(seen[1].code, SIGKILL);
	assert_int_equal(seen[2].kind, REAP_STOPPED);
	assert_int_equal(seen[2].code, SIGTSTP);
	assert_int_equal(seen[3].kind, REAP_CONTINUED);
	assert_string_equal(seen[0].comm, "");
}

static void
test_echild_means_none_left(void **state)
{
	struct reap_cb cb = { record, NULL, false, 0, NULL, NULL };

	(void)state;
	will_reap(7, EXITED(0));
	will_fail(ECHILD);
	assert_int_equal(reap_all(&cb), 1);
	assert_int_equal(nseen, 1);
	will_fail(ECHILD);
	assert_int_equal(reap_all(&cb), 1);
	assert_int_equal(nseen, 1);
}

static void
test_other_error_is_not_none_left(void **state)
{
	struct reap_cb cb = { record, NULL, false, 0, NULL, NULL };

	(void)state;
	will_fail(EINVAL);
	assert_int_equal(reap_all(&cb), 0);
	assert_int_equal(nseen, 0);
}

/* With names wanted, each child is peeked at and named before it is reaped. */
static void
test_names_read_before_reaping(void **state)
{
	pid_t me = getpid();
	struct reap_cb cb = { record, NULL, true, 42, NULL, NULL };

	(void)state;
	/* Our own pid stands in for a zombie: its /proc/PID/comm is readable. */
	will_return(sys_wait_peek, me);
	expect_value(sys_waitpid, pid, me);
	will_return(sys_waitpid, me);
	will_return(sys_waitpid, EXITED(1));
	/* The main child (noname) is not named. */
	will_return(sys_wait_peek, 42);
	expect_value(sys_waitpid, pid, 42);
	will_return(sys_waitpid, 42);
	will_return(sys_waitpid, EXITED(0));
	will_return(sys_wait_peek, -1);
	will_return(sys_wait_peek, ECHILD);
	assert_int_equal(reap_all(&cb), 1);
	assert_int_equal(nseen, 2);
	assert_string_equal(seen[0].comm, "test_reap");
	assert_string_equal(seen[1].comm, "");
}

static void
test_status_and_words(void **state)
{
	struct reap_ev ev = { 1, REAP_EXITED, 42, "", "" };
	char buf[64];

	(void)state;
	assert_int_equal(reap_status(&ev), 42);
	reap_describe(&ev, buf, sizeof(buf));
	assert_string_equal(buf, "exited 42");
	ev.kind = REAP_KILLED;
	ev.code = SIGSEGV;
	assert_int_equal(reap_status(&ev), 139);
	reap_describe(&ev, buf, sizeof(buf));
	assert_string_equal(buf, "killed by signal 11 (SEGV)");
	ev.kind = REAP_STOPPED;
	ev.code = SIGTSTP;
	reap_describe(&ev, buf, sizeof(buf));
	assert_string_equal(buf, "stopped by signal 20 (TSTP)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_drains_everything, setup),
		cmocka_unit_test_setup(test_echild_means_none_left, setup),
		cmocka_unit_test_setup(test_other_error_is_not_none_left, setup),
		cmocka_unit_test_setup(test_names_read_before_reaping, setup),
		cmocka_unit_test_setup(test_status_and_words, setup),
	};

	return cmocka_run_group_tests_name("reap", tests, NULL, NULL);
}
