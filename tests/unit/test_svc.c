/* Unit tests: the supervisor's state machine, with spawning and kill faked. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "evt.h"
#include "fake_sys.h"
#include "log.h"
#include "spawn.h"
#include "svc.h"

static struct conf c;
static struct svc s;

/* The fake spawner: the pid queued by the test, or -1 for a failed fork. */
pid_t
spawn_service(const struct conf_entry *e, struct spawn_io *io)
{
	pid_t pid = mock_type(pid_t);

	(void)e;
	io->report = -1;
	if (pid < 0)
		errno = EAGAIN;
	return pid;
}

/* Linked for start.c, which these tests do not drive. */
int
spawn_report(int fd, const char *name)
{
	(void)fd; (void)name;
	fail_msg("spawn_report reached");
	return -1;
}

static void
load(const char *text)
{
	assert_int_equal(conf_parse(&c, text, strlen(text)), 0);
	svc_init(&s, &c.ent[0]);
}

static struct svc_exit
exited(int code)
{
	struct svc_exit how = { SX_EXITED, code, false };

	return how;
}

static struct svc_exit
killed(int sig)
{
	struct svc_exit how = { SX_KILLED, sig, false };

	return how;
}

static void
start(pid_t pid, int64_t now)
{
	struct spawn_io io = { -1, -1, "/dev/kmsg", -1, NULL, -1, -1 };

	will_return(spawn_service, pid);
	svc_start(&s, &io, now);
	if (pid > 0) {
		assert_int_equal(s.state, SV_STARTING);
		svc_exec_ok(&s, now);	/* the exec report's end of file */
	}
}

/* The backoff is over: svc_tick asks for a start, which the supervisor makes. */
static void
restart(pid_t pid, int64_t now)
{
	assert_true(svc_tick(&s, now));
	start(pid, now);
}

/* The group of pid 10 is empty: kill(-10, 0) says ESRCH. */
static void
will_find_group_gone(void)
{
	expect_value(sys_kill, pid, -10);
	expect_value(sys_kill, sig, 0);
	will_return(sys_kill, -1);
	will_return(sys_kill, ESRCH);
}

/* web (pid 10) started at 0 and asked to stop with SIGTERM at 0. */
static void
start_then_stop(const char *text)
{
	load(text);
	start(10, 0);
	fake_will_kill(-10, SIGTERM);
	fake_will_kill(-10, SIGCONT);
	svc_stop(&s, 0);
	assert_int_equal(s.state, SV_STOPPING);
}

static void
test_crash_loop_backs_off(void **state)
{
	static const int64_t want[] = { 200, 400, 800, 1600, 3200, 5000, 5000 };
	int64_t now = 0;
	size_t i;

	(void)state;
	load("service web backoff-max=5s /bin/web\n");
	start(10, now);
	assert_int_equal(s.state, SV_RUNNING);
	assert_int_equal(s.pid, 10);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		now += 50;			/* dies right after starting */
		svc_exited(&s, exited(1), now);
		assert_int_equal(s.state, SV_BACKOFF);
		assert_int_equal(svc_deadline(&s) - now, want[i]);
		svc_tick(&s, svc_deadline(&s) - 1);
		assert_int_equal(s.state, SV_BACKOFF);	/* not a moment early */
		now = svc_deadline(&s);
		restart(11 + (pid_t)i, now);
		assert_int_equal(s.state, SV_RUNNING);
		assert_int_equal(s.restarts, (int)i + 1);
	}
}

static void
test_stable_run_resets_backoff(void **state)
{
	(void)state;
	load("service web /bin/web\n");
	start(10, 0);
	svc_exited(&s, exited(1), 100);
	assert_int_equal(svc_deadline(&s), 300);	/* 200 */
	restart(11, 300);
	svc_exited(&s, exited(1), 400);
	assert_int_equal(svc_deadline(&s), 800);	/* 400 */
	restart(12, 800);
	svc_exited(&s, exited(1), 800 + SVC_STABLE_MS);	/* up 10 s: start over */
	assert_int_equal(svc_deadline(&s), 800 + SVC_STABLE_MS + 200);
}

static void
test_restart_limit_gives_up(void **state)
{
	int64_t now = 0;
	int i;

	(void)state;
	load("service web restart-limit=3/60s /bin/web\n");
	start(10, now);
	for (i = 0; i < 3; i++) {
		svc_exited(&s, exited(1), ++now);
		assert_int_equal(s.state, SV_BACKOFF);
		now = svc_deadline(&s);
		restart(20 + i, now);
	}
	svc_exited(&s, exited(1), ++now);
	assert_int_equal(s.state, SV_FAILED);
	assert_int_equal(svc_deadline(&s), -1);
	svc_tick(&s, now + 1000000);	/* stays failed: no spawn expected */
	assert_int_equal(s.state, SV_FAILED);
}

static void
test_restart_limit_window_slides_on(void **state)
{
	(void)state;
	load("service web restart-limit=1/1s /bin/web\n");
	start(10, 0);
	svc_exited(&s, exited(1), 10);
	assert_int_equal(s.state, SV_BACKOFF);
	restart(11, svc_deadline(&s));
	svc_exited(&s, exited(1), 5000);	/* outside the 1 s window: a new window */
	assert_int_equal(s.state, SV_BACKOFF);
}

static void
test_policies(void **state)
{
	(void)state;
	load("service web restart=on-failure /bin/web\n");
	start(10, 0);
	svc_exited(&s, exited(0), 5);
	assert_int_equal(s.state, SV_DONE);
	assert_int_equal(s.last.kind, SX_EXITED);
	assert_int_equal(s.last.code, 0);
	start(11, 10);
	svc_exited(&s, exited(3), 15);
	assert_int_equal(s.state, SV_BACKOFF);
	load("service web restart=never /bin/web\n");
	start(10, 0);
	svc_exited(&s, killed(SIGSEGV), 5);
	assert_int_equal(s.state, SV_FAILED);
	assert_int_equal(s.last.kind, SX_KILLED);
	assert_int_equal(s.last.code, SIGSEGV);
	load("once hello /bin/echo\n");
	start(10, 0);
	svc_exited(&s, exited(1), 5);
	assert_int_equal(s.state, SV_FAILED);
	load("once hello /bin/echo\n");
	start(10, 0);
	svc_exited(&s, exited(0), 5);
	assert_int_equal(s.state, SV_DONE);
}

/* The value of the last event, which must be an exit of s. */
static int
last_exit_event(void)
{
	const struct evt *ev = evt_get(evt_count() - 1);

	assert_int_equal(ev->kind, EVT_EXIT);
	return ev->value;
}

/*
 * Exit 137 and SIGKILL are kept apart, exit 200 stays an exit; events and
 * the log line still say the shell's number, as before.
 */
static void
test_exit_kept_as_what_it_was(void **state)
{
	(void)state;
	load("service web restart=never /bin/web\n");
	assert_int_equal(s.last.kind, SX_NONE);
	assert_int_equal(svc_exit_status(s.last), -1);
	start(10, 0);
	svc_exited(&s, exited(200), 5);
	assert_int_equal(s.last.kind, SX_EXITED);
	assert_int_equal(s.last.code, 200);
	assert_int_equal(svc_exit_status(s.last), 200);
	assert_int_equal(last_exit_event(), 200);
	assert_true(fake_logged("web exited with status 200"));
	start(11, 10);
	svc_exited(&s, killed(SIGKILL), 15);
	assert_int_equal(s.last.kind, SX_KILLED);
	assert_int_equal(s.last.code, SIGKILL);
	assert_int_equal(svc_exit_status(s.last), 137);
	assert_int_equal(last_exit_event(), 137);
	assert_true(fake_logged("web exited with status 137"));
	start(12, 20);
	svc_exited(&s, exited(137), 25);
	assert_int_equal(s.last.kind, SX_EXITED);
	assert_int_equal(s.last.code, 137);
	assert_int_equal(svc_exit_status(s.last), 137);
	/* A failed spawn leaves no end of a process to show. */
	start(-1, 30);
	assert_int_equal(s.last.kind, SX_NONE);
}

/* on-failure: a death by signal is a failure, only exit 0 is a success. */
static void
test_on_failure_by_kind(void **state)
{
	(void)state;
	load("service web restart=on-failure /bin/web\n");
	start(10, 0);
	svc_exited(&s, killed(SIGTERM), 5);
	assert_int_equal(s.state, SV_BACKOFF);
	restart(11, svc_deadline(&s));
	svc_exited(&s, exited(128 + SIGTERM), 500);	/* 143 as a code: a failure too */
	assert_int_equal(s.state, SV_BACKOFF);
	restart(12, svc_deadline(&s));
	svc_exited(&s, exited(0), 2000);
	assert_int_equal(s.state, SV_DONE);
}

/*
 * Stopped while still starting, before the child's setsid: no group yet,
 * so the child itself gets the signal (it waits, blocked, until its exec).
 */
static void
test_stop_before_setsid(void **state)
{
	struct spawn_io io = { -1, -1, "/dev/kmsg", -1, NULL, -1, -1 };

	(void)state;
	load("service web /bin/web\n");
	will_return(spawn_service, 10);
	svc_start(&s, &io, 0);
	assert_int_equal(s.state, SV_STARTING);
	expect_value(sys_kill, pid, -10);
	expect_value(sys_kill, sig, SIGTERM);
	will_return(sys_kill, -1);
	will_return(sys_kill, ESRCH);
	fake_will_kill(10, SIGTERM);
	expect_value(sys_kill, pid, -10);
	expect_value(sys_kill, sig, SIGCONT);
	will_return(sys_kill, -1);
	will_return(sys_kill, ESRCH);
	fake_will_kill(10, SIGCONT);
	svc_stop(&s, 5);
	assert_int_equal(s.state, SV_STOPPING);
	assert_false(fake_logged("unable to signal"));
}

static void
test_fork_failure_backs_off(void **state)
{
	(void)state;
	load("service web /bin/web\n");
	start(-1, 0);
	assert_int_equal(s.state, SV_BACKOFF);
	assert_int_equal(s.pid, 0);
	assert_int_equal(svc_deadline(&s), 200);
	start(-1, 200);
	assert_int_equal(svc_deadline(&s), 600);
	restart(42, 600);
	assert_int_equal(s.state, SV_RUNNING);
	/* Outside services, a failed start is final. */
	load("sysinit mnt /bin/mount -a\n");
	start(-1, 0);
	assert_int_equal(s.state, SV_FAILED);
}

static void
test_stop_escalates_to_kill(void **state)
{
	(void)state;
	load("service web stop-signal=INT stop-timeout=2s /bin/web\n");
	start(10, 0);
	fake_will_kill(-10, SIGINT);
	fake_will_kill(-10, SIGCONT);
	svc_stop(&s, 1000);
	assert_int_equal(s.state, SV_STOPPING);
	svc_stop(&s, 1500);		/* asking again sends nothing more */
	svc_tick(&s, 2999);
	fake_will_kill(-10, SIGKILL);
	svc_tick(&s, 3000);
	assert_true(s.killed);
	svc_exited(&s, killed(SIGKILL), 3001);
	assert_int_equal(s.state, SV_STOPPED);	/* and no restart */
	assert_int_equal(svc_deadline(&s), -1);
}

static void
test_stop_that_works(void **state)
{
	(void)state;
	start_then_stop("service web /bin/web\n");
	will_find_group_gone();			/* anyone left in its group? no */
	svc_exited(&s, exited(0), 10);
	assert_int_equal(s.state, SV_STOPPED);
	svc_tick(&s, 100000);	/* no SIGKILL, no restart */
	start(11, 200000);	/* a start after a stop runs again */
	assert_int_equal(s.state, SV_RUNNING);
	assert_false(s.down);
}

/* The main process obeyed; a helper of its group ignored SIGTERM. */
static void
test_stop_kills_a_lingering_group(void **state)
{
	(void)state;
	start_then_stop("service web stop-timeout=1s /bin/web\n");
	fake_will_kill(-10, 0);			/* the group still has members */
	svc_exited(&s, exited(0), 10);
	assert_int_equal(s.state, SV_STOPPING);
	assert_true(svc_has_proc(&s));		/* so shutdown waits for it */
	assert_int_equal(s.pid, 0);
	fake_will_kill(-10, 0);			/* still there at 500 ms */
	svc_tick(&s, 500);
	assert_int_equal(s.state, SV_STOPPING);
	fake_will_kill(-10, 0);
	fake_will_kill(-10, SIGKILL);
	svc_tick(&s, 1000);
	assert_int_equal(s.state, SV_STOPPED);
	assert_false(svc_has_proc(&s));
}

/* The rest of the group goes by itself: stopped without waiting it out. */
static void
test_lingering_group_goes(void **state)
{
	(void)state;
	start_then_stop("service web stop-timeout=1s /bin/web\n");
	fake_will_kill(-10, 0);
	svc_exited(&s, exited(0), 10);
	will_find_group_gone();
	svc_tick(&s, 20);
	assert_int_equal(s.state, SV_STOPPED);
	assert_int_equal(svc_deadline(&s), -1);
}

static void
test_stop_during_backoff(void **state)
{
	(void)state;
	load("service web /bin/web\n");
	start(10, 0);
	svc_exited(&s, exited(1), 10);
	assert_int_equal(s.state, SV_BACKOFF);
	svc_stop(&s, 20);
	assert_int_equal(s.state, SV_STOPPED);
	svc_tick(&s, 100000);	/* no spawn expected */
	assert_int_equal(s.state, SV_STOPPED);
}

static void
test_paused_is_a_state(void **state)
{
	(void)state;
	load("service web /bin/web\n");
	start(10, 0);
	svc_paused(&s, true, 0);
	assert_int_equal(s.state, SV_PAUSED);
	assert_int_equal(s.restarts, 0);
	svc_paused(&s, false, 0);
	assert_int_equal(s.state, SV_RUNNING);
	svc_paused(&s, false, 0);	/* a second continue changes nothing */
	assert_int_equal(s.state, SV_RUNNING);
	svc_paused(&s, true, 0);
	svc_exited(&s, killed(SIGKILL), 50);	/* killed while paused: an exit */
	assert_int_equal(s.state, SV_BACKOFF);
	assert_string_equal(svc_state_name(SV_PAUSED), "paused");
	assert_string_equal(svc_state_name(SV_BACKOFF), "backoff");
}

static void
test_sysinit_timeout(void **state)
{
	(void)state;
	load("sysinit slow timeout=2s /bin/slow\n");
	start(10, 1000);
	assert_int_equal(svc_deadline(&s), 3000);
	svc_tick(&s, 2999);
	fake_will_kill(-10, SIGKILL);
	svc_tick(&s, 3000);
	assert_int_equal(s.state, SV_STOPPING);
	svc_exited(&s, killed(SIGKILL), 3001);
	assert_int_equal(s.state, SV_FAILED);	/* boot goes on without it */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crash_loop_backs_off),
		cmocka_unit_test(test_stable_run_resets_backoff),
		cmocka_unit_test(test_restart_limit_gives_up),
		cmocka_unit_test(test_restart_limit_window_slides_on),
		cmocka_unit_test(test_policies),
		cmocka_unit_test_setup(test_exit_kept_as_what_it_was, fake_setup),
		cmocka_unit_test(test_on_failure_by_kind),
		cmocka_unit_test(test_stop_before_setsid),
		cmocka_unit_test(test_fork_failure_backs_off),
		cmocka_unit_test(test_stop_escalates_to_kill),
		cmocka_unit_test(test_stop_that_works),
		cmocka_unit_test(test_stop_kills_a_lingering_group),
		cmocka_unit_test(test_lingering_group_goes),
		cmocka_unit_test(test_stop_during_backoff),
		cmocka_unit_test(test_paused_is_a_state),
		cmocka_unit_test(test_sysinit_timeout),
	};

	return cmocka_run_group_tests_name("svc", tests, NULL, NULL);
}
