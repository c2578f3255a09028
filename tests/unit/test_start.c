/* Unit tests: a start in flight is a loop source, and PID 1 never waits on it. */
#include <errno.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "conf.h"
#include "fake_sys.h"
#include "klog.h"
#include "loop.h"
#include "ready.h"
#include "spawn.h"
#include "start.h"
#include "svc.h"

static struct conf c;
static struct svc s;
static struct loop l;
static struct loop_src tab[LOOP_SRC_MAX];
static struct klogs ks;
static struct klog pipes[KLOG_PIPES_MAX];
static struct starts st;
static int done_calls;

/* What the supervisor does with a start's end (run.c's run_started). */
static void
done(void *ctx, pid_t pid, bool ok, int64_t now)
{
	(void)ctx;
	assert_int_equal(pid, s.pid);
	done_calls++;
	if (ok)
		svc_exec_ok(&s, now);
	else
		svc_start_failed(&s, now);
}

static struct readies rd;	/* ready=exec entries only: never used */

static int
setup(void **state)
{
	const char text[] = "service web /bin/web\n";

	(void)fake_setup(state);
	assert_int_equal(conf_parse(&c, text, sizeof(text) - 1), 0);
	svc_init(&s, &c.ent[0]);
	loop_init(&l, tab, LOOP_SRC_MAX);
	klog_init(&ks, &l, pipes);
	start_init(&st, &l, &ks, &rd, NULL, done, NULL);
	done_calls = 0;
	fake_now = 0;
	return 0;
}

/* Fork "succeeds" as pid 42; the child is slow: it still holds the
 * report's write end (the parent's close of it is skipped). */
static int
slow_child(void)
{
	fake_script("fork", 42, 0, 1);
	fake_script("close", 0, 0, 1);
	start_svc(&st, &s, 0);
	return fake_pipe[1];
}

static void
test_slow_exec_never_waited_for(void **state)
{
	int w;

	(void)state;
	w = slow_child();
	assert_int_equal(s.state, SV_STARTING);
	assert_int_equal(s.pid, 42);
	assert_int_equal(l.top, 1);		/* the report pipe, on the loop */
	loop_once(&l);				/* nothing from it: still starting */
	assert_int_equal(s.state, SV_STARTING);
	assert_int_equal(fake_wait_timeout, -1);
	start_settle(&st, 0);			/* reaperctl's look: nothing yet */
	assert_int_equal(done_calls, 0);
	(void)close(w);				/* exec: CLOEXEC closes it */
	fake_now = 5;
	loop_once(&l);
	assert_int_equal(done_calls, 1);
	assert_int_equal(s.state, SV_RUNNING);
	assert_int_equal(l.top, 0);		/* and off the loop */
	assert_true(fake_logged("started web as 42"));
}

static void
test_failure_report_backs_off(void **state)
{
	struct spawn_fail r = { 0, ENOENT, "" };
	int w;	/* step exec, No such file */

	(void)state;
	w = slow_child();
	assert_int_equal(write(w, &r, sizeof(r)), (ssize_t)sizeof(r));
	(void)close(w);
	expect_value(sys_waitpid, pid, 42);	/* it exits right after telling */
	will_return(sys_waitpid, 42);
	will_return(sys_waitpid, 127 << 8);
	fake_now = 10;
	loop_once(&l);
	assert_int_equal(s.state, SV_BACKOFF);
	assert_int_equal(s.pid, 0);
	assert_true(fake_logged("unable to start web: exec: No such file or directory"));
	assert_false(fake_logged("started web"));
}

/* A child that told its failure but has not exited yet (stopped, traced):
 * PID 1 does not wait for it; its reap ends the start. */
static void
test_failure_not_yet_exited(void **state)
{
	struct spawn_fail r = { 0, ENOENT, "" };
	int w;

	(void)state;
	w = slow_child();
	assert_int_equal(write(w, &r, sizeof(r)), (ssize_t)sizeof(r));
	(void)close(w);
	expect_value(sys_waitpid, pid, 42);	/* WNOHANG: nothing yet */
	will_return(sys_waitpid, 0);
	loop_once(&l);
	assert_true(fake_logged("unable to start web: exec: No such file or directory"));
	assert_int_equal(s.state, SV_STARTING);
	assert_int_equal(l.top, 0);		/* its pipe is off the loop */
	start_settle(&st, 1);			/* reaperctl: nothing to read, no wait */
	assert_int_equal(done_calls, 0);
	start_reaped(&st, 42, 2);
	assert_int_equal(done_calls, 1);
	assert_int_equal(s.state, SV_BACKOFF);
}

/* Reaped before its report was read: the report is settled first, with no
 * second wait for the child. */
static void
test_reaped_first(void **state)
{
	struct spawn_fail r = { 6, EACCES, "" };
	int w;	/* step cwd */

	(void)state;
	w = slow_child();
	assert_int_equal(write(w, &r, sizeof(r)), (ssize_t)sizeof(r));
	(void)close(w);
	start_reaped(&st, 42, 3);	/* no sys_waitpid expected */
	assert_int_equal(s.state, SV_BACKOFF);
	assert_true(fake_logged("unable to start web: cwd: Permission denied"));
	assert_int_equal(l.top, 0);
	start_reaped(&st, 42, 4);	/* nothing left for it */
	assert_int_equal(done_calls, 1);
}

/* A stop while starting: no restart when the start then fails. */
static void
test_stopped_while_starting(void **state)
{
	struct spawn_fail r = { 0, ENOENT, "" };
	int w;

	(void)state;
	w = slow_child();
	fake_will_kill(-42, SIGTERM);
	fake_will_kill(-42, SIGCONT);
	svc_stop(&s, 1);
	assert_int_equal(s.state, SV_STOPPING);
	assert_int_equal(write(w, &r, sizeof(r)), (ssize_t)sizeof(r));
	(void)close(w);
	start_reaped(&st, 42, 2);
	assert_int_equal(s.state, SV_STOPPED);
	assert_int_equal(svc_deadline(&s), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_slow_exec_never_waited_for, setup),
		cmocka_unit_test_setup(test_failure_report_backs_off, setup),
		cmocka_unit_test_setup(test_failure_not_yet_exited, setup),
		cmocka_unit_test_setup(test_reaped_first, setup),
		cmocka_unit_test_setup(test_stopped_while_starting, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
