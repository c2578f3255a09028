/* Unit tests: the entrypoint state machine (forwarding, job control, grace). */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "fake_sys.h"
#include "ep.h"
#include "log.h"
#include "loop.h"

#define CHILD	100
#define OTHER	555	/* some process that sends signals */

static struct opts o;
static struct ep e;

static int
setup(void **state)
{
	char err[160];
	char *argv[] = { "reaper", "x", NULL };

	(void)state;
	assert_int_equal(opt_parse(&o, 2, argv, NULL, err, sizeof(err)), OPT_RUN);
	ep_init(&e, &o, 1, true);	/* PID 1: descendants are kill(-1) */
	ep_started(&e, CHILD, -1);
	return 0;
}

static void
send(int sig, pid_t from, int64_t now)
{
	struct sys_siginfo si = { sig, SI_USER, from };

	ep_signal(&e, &si, now);
}

/* Others still there: a child has news for waitid(WNOWAIT). */
static void
others_left(void)
{
	will_return(sys_wait_peek, CHILD + 1);
}

static void
child_ends(int kind, int code, int64_t now)
{
	struct reap_ev ev = { CHILD, kind, code, "", "" };

	will_return(sys_now, now);
	ep_reaped(&e, &ev);
}

static void
test_forwards_to_child(void **state)
{
	int s;

	(void)state;
	for (s = 1; s <= SIG_COUNT; s++) {
		if (s == SIGKILL || s == SIGSTOP || s == SIGCHLD)
			continue;
		fake_will_kill(CHILD, s);
		send(s, OTHER, 0);
	}
	/* SIGCHLD is reaper's own business: nothing is sent (a call would fail). */
	send(SIGCHLD, OTHER, 0);
}

static void
test_group_with_g(void **state)
{
	(void)state;
	o.group = true;
	fake_will_kill(-CHILD, SIGUSR1);
	send(SIGUSR1, OTHER, 0);
}

static void
test_own_signals_not_forwarded(void **state)
{
	(void)state;
	/* SIGPIPE from reaper's own write to a closed pipe names reaper. */
	send(SIGPIPE, 1, 0);
	/* The same signal from anyone else is forwarded. */
	fake_will_kill(CHILD, SIGPIPE);
	send(SIGPIPE, OTHER, 0);
}

static void
test_rewrite_drop_hold(void **state)
{
	(void)state;
	o.rewrite[SIGUSR1] = SIGUSR2;
	o.rewrite[SIGHUP] = 0;
	o.delay_ms[SIGTERM] = 500;
	fake_will_kill(CHILD, SIGUSR2);
	send(SIGUSR1, OTHER, 0);
	send(SIGHUP, OTHER, 0);
	send(SIGTERM, OTHER, 1000);
	assert_int_equal(ep_deadline(&e), 1500);
	ep_tick(&e, 1499);
	fake_will_kill(CHILD, SIGTERM);
	ep_tick(&e, 1500);
	assert_int_equal(ep_deadline(&e), -1);
}

static void
test_grace_term_then_kill(void **state)
{
	(void)state;
	others_left();
	o.grace_ms = 2000;
	assert_int_equal(ep_deadline(&e), -1);	/* idle: no timer at all */
	fake_will_kill(-CHILD, SIGTERM);		/* its group, even without /proc */
	fake_will_kill(-CHILD, SIGCONT);
	fake_will_kill(-1, SIGTERM);			/* and every descendant */
	fake_will_kill(-1, SIGCONT);
	child_ends(REAP_EXITED, 7, 10000);
	assert_int_equal(e.end.phase, END_TERM);
	assert_int_equal(e.status, 7);
	assert_int_equal(ep_deadline(&e), 12000);
	ep_tick(&e, 11999);
	assert_int_equal(e.end.phase, END_TERM);
	fake_will_kill(-CHILD, SIGKILL);
	fake_will_kill(-1, SIGKILL);
	ep_tick(&e, 12000);
	assert_int_equal(e.end.phase, END_KILL);
	ep_nochild(&e);
	assert_int_equal(e.phase, EP_DONE);
	assert_int_equal(e.status, 7);
}

static void
test_grace_ends_early_when_all_gone(void **state)
{
	(void)state;
	others_left();
	expect_value(sys_kill, pid, -CHILD);	/* an empty group is no error */
	expect_value(sys_kill, sig, SIGTERM);
	will_return(sys_kill, -1);
	will_return(sys_kill, ESRCH);
	fake_will_kill(-CHILD, SIGCONT);
	fake_will_kill(-1, SIGTERM);
	fake_will_kill(-1, SIGCONT);
	child_ends(REAP_KILLED, SIGSEGV, 0);
	assert_int_equal(e.status, 128 + SIGSEGV);
	ep_nochild(&e);
	assert_int_equal(e.phase, EP_DONE);
}

/* No child at all after the main one: nothing below, so no /proc walk and
 * no signal; the reap loop's ECHILD ends it at once. */
static void
test_alone_skips_the_grace(void **state)
{
	(void)state;
	o.grace_ms = 2000;
	will_return(sys_wait_peek, -1);
	will_return(sys_wait_peek, ECHILD);
	expect_value(sys_kill, pid, -CHILD);	/* the group only, no kill(-1) */
	expect_value(sys_kill, sig, SIGTERM);
	will_return(sys_kill, -1);
	will_return(sys_kill, ESRCH);
	expect_value(sys_kill, pid, -CHILD);
	expect_value(sys_kill, sig, SIGCONT);
	will_return(sys_kill, -1);
	will_return(sys_kill, ESRCH);
	child_ends(REAP_EXITED, 4, 100);
	assert_int_equal(e.end.phase, END_TERM);
	ep_nochild(&e);
	assert_int_equal(e.phase, EP_DONE);
	assert_int_equal(e.status, 4);
}

static void
test_grace_zero_kills_at_once(void **state)
{
	(void)state;
	others_left();
	o.grace_ms = 0;
	fake_will_kill(-CHILD, SIGKILL);
	fake_will_kill(-1, SIGKILL);
	child_ends(REAP_EXITED, 0, 0);
	assert_int_equal(e.end.phase, END_KILL);
}

static void
test_kill_phase_is_bounded(void **state)
{
	(void)state;
	others_left();
	o.grace_ms = 0;
	fake_will_kill(-CHILD, SIGKILL);
	fake_will_kill(-1, SIGKILL);
	child_ends(REAP_EXITED, 3, 0);
	/* Late forks are caught by a new round now and then (not the group:
	 * its id may have been taken by then)... */
	assert_int_equal(ep_deadline(&e), END_REKILL_MS);
	fake_will_kill(-1, SIGKILL);
	ep_tick(&e, END_REKILL_MS);
	assert_int_equal(ep_deadline(&e), 2 * END_REKILL_MS);
	/* ...until reaper stops waiting for the unkillable. */
	ep_tick(&e, KILL_WAIT_MS);
	assert_int_equal(e.phase, EP_DONE);
	assert_int_equal(e.status, 3);
}

static void
test_expect_maps_to_zero(void **state)
{
	(void)state;
	o.expect[143 / 64] |= (uint64_t)1 << (143 % 64);
	o.all = true;
	child_ends(REAP_KILLED, SIGTERM, 0);
	assert_int_equal(e.status, 0);
}

static void
test_all_waits_and_forwards_to_the_rest(void **state)
{
	(void)state;
	o.all = true;
	child_ends(REAP_EXITED, 5, 0);
	assert_int_equal(e.phase, EP_DRAIN);
	assert_int_equal(ep_deadline(&e), -1);	/* no timer: waits on SIGCHLD */
	fake_will_kill(-1, SIGTERM);
	send(SIGTERM, OTHER, 10);
	ep_tick(&e, 1000000);
	assert_int_equal(e.phase, EP_DRAIN);
	ep_nochild(&e);
	assert_int_equal(e.phase, EP_DONE);
	assert_int_equal(e.status, 5);
}

static void
test_orphans_counted_not_fatal(void **state)
{
	struct reap_ev ev = { 4242, REAP_EXITED, 0, "sleep", "" };

	(void)state;
	ep_reaped(&e, &ev);
	ev.kind = REAP_KILLED;
	ev.code = SIGKILL;
	ep_reaped(&e, &ev);
	ev.kind = REAP_STOPPED;
	ep_reaped(&e, &ev);
	assert_int_equal(e.orphans, 2);
	assert_int_equal(e.phase, EP_RUN);
	ep_nochild(&e);	/* cannot happen while the child lives; changes nothing */
	assert_int_equal(e.phase, EP_RUN);
}

static void
test_pause_mode(void **state)
{
	(void)state;
	o.pause = true;
	ep_init(&e, &o, 1, true);
	send(SIGUSR1, OTHER, 0);	/* ignored: no kill expected */
	send(SIGHUP, OTHER, 0);
	ep_nochild(&e);
	assert_int_equal(e.phase, EP_RUN);
	send(SIGINT, OTHER, 0);
	assert_int_equal(e.phase, EP_DONE);
	assert_int_equal(e.status, 0);
	ep_init(&e, &o, 1, true);
	send(SIGTERM, OTHER, 0);
	assert_int_equal(e.phase, EP_DONE);
}

/* -P, and the parent died while reaper set up (-p): done before any wait. */
static void
test_done_before_the_loop(void **state)
{
	struct loop l = { 0 };

	(void)state;
	o.pause = true;
	ep_init(&e, &o, 1, true);
	send(SIGTERM, OTHER, 0);
	assert_int_equal(e.phase, EP_DONE);
	loop_init(&l, NULL, 0);
	assert_int_equal(ep_run(&e, &l, 5), 0);	/* no sys_sigwait: it would fail */
}

static void
test_pid1_does_not_stop(void **state)
{
	struct reap_ev ev = { CHILD, REAP_STOPPED, SIGTSTP, "", "" };

	(void)state;
	fake_reset();
	log_setup(LV_INFO, FAKE_LOG_FD);	/* -v: the README promises these lines */
	ep_started(&e, CHILD, 0);
	ep_reaped(&e, &ev);	/* logs only: no kill, no terminal calls */
	assert_string_equal(fake_log_buf, "reaper: main child 100 stopped by signal 20 (TSTP)\n");
	ev.kind = REAP_CONTINUED;
	ev.code = SIGCONT;
	ep_reaped(&e, &ev);
	assert_string_equal(fake_log_buf, "reaper: main child 100 stopped by signal 20 (TSTP)\n"
	    "reaper: main child 100 continued\n");
	assert_int_equal(e.phase, EP_RUN);
	log_setup(LV_WARN, 2);
}

/* reaper's parent is a shell in group 7 of session 7; reaper's group is 50. */
static void
will_have_shell(bool orphaned)
{
	will_return(sys_getppid, 40);
	expect_value(sys_getpgid, pid, 40);
	will_return(sys_getpgid, orphaned ? 50 : 7);
	will_return(sys_getpgrp, 50);
	if (orphaned)
		return;
	expect_value(sys_getsid, pid, 40);
	will_return(sys_getsid, 7);
	expect_value(sys_getsid, pid, 0);
	will_return(sys_getsid, 7);
}

static void
job_stop(pid_t fg_after)
{
	struct reap_ev ev = { CHILD, REAP_STOPPED, SIGTSTP, "", "" };

	ep_init(&e, &o, 50, false);
	ep_started(&e, CHILD, 0);
	will_have_shell(false);
	will_return(sys_getpgrp, 50);
	will_return(sys_tcgetpgrp, CHILD);	/* the child has the terminal */
	expect_value(sys_tcsetpgrp, pgid, 50);	/* reaper takes it back */
	will_return(sys_tcsetpgrp, 0);
	fake_will_kill(50, SIGSTOP);			/* and stops: the shell sees it */
	will_return(sys_tcgetpgrp, fg_after);	/* continued by fg or bg */
	will_return(sys_getpgrp, 50);
	if (fg_after == 50) {
		expect_value(sys_tcsetpgrp, pgid, CHILD);
		will_return(sys_tcsetpgrp, 0);
	}
	fake_will_kill(-CHILD, SIGCONT);
	ep_reaped(&e, &ev);
}

static void
test_job_stop_fg(void **state)
{
	(void)state;
	job_stop(50);
}

static void
test_job_stop_bg_keeps_terminal_away(void **state)
{
	(void)state;
	job_stop(7);	/* the shell kept the terminal: reaper must not take it */
}

/* In an orphaned group nobody would continue reaper: it must not stop. */
static void
test_orphaned_group_does_not_stop(void **state)
{
	struct reap_ev ev = { CHILD, REAP_STOPPED, SIGTTIN, "", "" };

	(void)state;
	ep_init(&e, &o, 50, false);
	ep_started(&e, CHILD, 0);
	will_have_shell(true);
	ep_reaped(&e, &ev);	/* no kill, no terminal calls */
	assert_int_equal(e.phase, EP_RUN);
}

/*
 * Started with &, then fg on the running job: bash sends no SIGCONT, so the
 * child's first read of the terminal stops it. reaper, now in the
 * foreground, hands the terminal over and continues it, without stopping.
 */
static void
test_fg_of_running_job_hands_over_on_ttin(void **state)
{
	struct reap_ev ev = { CHILD, REAP_STOPPED, SIGTTIN, "", "" };

	(void)state;
	ep_init(&e, &o, 50, false);
	ep_started(&e, CHILD, 0);
	will_have_shell(false);
	will_return(sys_tcgetpgrp, 50);		/* is reaper in the foreground? */
	will_return(sys_getpgrp, 50);
	will_return(sys_tcgetpgrp, 50);		/* tty_give checks again */
	will_return(sys_getpgrp, 50);
	expect_value(sys_tcsetpgrp, pgid, CHILD);
	will_return(sys_tcsetpgrp, 0);
	fake_will_kill(-CHILD, SIGCONT);		/* and no SIGSTOP to itself */
	ep_reaped(&e, &ev);
}

/* Started with &, then fg: the shell's SIGCONT is when reaper hands over. */
static void
test_cont_hands_terminal_over(void **state)
{
	(void)state;
	ep_init(&e, &o, 50, false);
	ep_started(&e, CHILD, 0);
	will_return(sys_tcgetpgrp, 50);
	will_return(sys_getpgrp, 50);
	expect_value(sys_tcsetpgrp, pgid, CHILD);
	will_return(sys_tcsetpgrp, 0);
	fake_will_kill(CHILD, SIGCONT);
	send(SIGCONT, OTHER, 0);
	/* bg: the shell keeps the terminal; the signal is still forwarded. */
	will_return(sys_tcgetpgrp, 7);
	will_return(sys_getpgrp, 50);
	fake_will_kill(CHILD, SIGCONT);
	send(SIGCONT, OTHER, 0);
}

static void
test_terminal_given_back_at_exit(void **state)
{
	(void)state;
	o.all = true;
	ep_init(&e, &o, 50, false);
	ep_started(&e, CHILD, 0);
	will_return(sys_getpgrp, 50);
	will_return(sys_tcgetpgrp, CHILD);
	expect_value(sys_tcsetpgrp, pgid, 50);
	will_return(sys_tcsetpgrp, 0);
	child_ends(REAP_EXITED, 0, 0);
	/* Not ours to take back when the child's group no longer has it. */
	ep_init(&e, &o, 50, false);
	ep_started(&e, CHILD, 0);
	will_return(sys_getpgrp, 50);
	will_return(sys_tcgetpgrp, 7);
	child_ends(REAP_EXITED, 0, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_forwards_to_child, setup),
		cmocka_unit_test_setup(test_group_with_g, setup),
		cmocka_unit_test_setup(test_own_signals_not_forwarded, setup),
		cmocka_unit_test_setup(test_rewrite_drop_hold, setup),
		cmocka_unit_test_setup(test_grace_term_then_kill, setup),
		cmocka_unit_test_setup(test_grace_ends_early_when_all_gone, setup),
		cmocka_unit_test_setup(test_alone_skips_the_grace, setup),
		cmocka_unit_test_setup(test_grace_zero_kills_at_once, setup),
		cmocka_unit_test_setup(test_kill_phase_is_bounded, setup),
		cmocka_unit_test_setup(test_expect_maps_to_zero, setup),
		cmocka_unit_test_setup(test_all_waits_and_forwards_to_the_rest, setup),
		cmocka_unit_test_setup(test_orphans_counted_not_fatal, setup),
		cmocka_unit_test_setup(test_pause_mode, setup),
		cmocka_unit_test_setup(test_done_before_the_loop, setup),
		cmocka_unit_test_setup(test_pid1_does_not_stop, setup),
		cmocka_unit_test_setup(test_job_stop_fg, setup),
		cmocka_unit_test_setup(test_job_stop_bg_keeps_terminal_away, setup),
		cmocka_unit_test_setup(test_orphaned_group_does_not_stop, setup),
		cmocka_unit_test_setup(test_cont_hands_terminal_over, setup),
		cmocka_unit_test_setup(test_fg_of_running_job_hands_over_on_ttin, setup),
		cmocka_unit_test_setup(test_terminal_given_back_at_exit, setup),
	};

	return cmocka_run_group_tests_name("ep", tests, NULL, NULL);
}
