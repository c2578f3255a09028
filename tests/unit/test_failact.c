/*
 * Unit tests: failure-action= (lib/failact.c with lib/run.c and lib/svc.c):
 * which failures take it, what it asks for on a machine and elsewhere,
 * the status reaper is to exit with, and that the first one decides.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "evt.h"
#include "fake_run.h"
#include "fake_sys.h"
#include "klog.h"
#include "loop.h"
#include "run.h"

#define forks(pid)	fake_forks(pid)
#define reaped(pid, kind, code)	fake_reaped(&r, pid, kind, code)

static struct conf c;
static struct run r;
static struct loop l;
static struct loop_src tab[LOOP_SRC_MAX];
static struct klogs ks;
static struct klog pipes[KLOG_PIPES_MAX];

static int
setup(void **state)
{
	return fake_setup(state);
}

/* Parse text and make its supervisor; nothing started yet. */
static void
load(const char *text)
{
	assert_int_equal(conf_parse(&c, text, strlen(text)), 0);
	loop_init(&l, tab, LOOP_SRC_MAX);
	klog_init(&ks, &l, pipes);
	run_init(&r, &c, 1, true, &l, &ks);
	fake_now = 0;
}

/* The last event recorded. */
static const struct evt *
last_evt(void)
{
	assert_true(evt_count() > 0);
	return evt_get(evt_count() - 1);
}

/* The failure-action= event of name, if one was recorded (the last one). */
static const struct evt *
failact_evt(const char *name)
{
	int i;

	for (i = evt_count() - 1; i >= 0; i--)
		if (evt_get(i)->kind == EVT_FAILACT && strcmp(evt_get(i)->name, name) == 0)
			return evt_get(i);
	return NULL;
}

/* Up, with web (pid 11) running and the once job (pid 12) running. */
static void
up(const char *text)
{
	load(text);
	forks(11);
	forks(12);
	run_step(&r, 0);
	loop_once(&l);			/* their exec reports */
	assert_int_equal(r.phase, RUN_UP);
	assert_int_equal(r.svc[0].state, SV_RUNNING);
	assert_int_equal(r.svc[1].state, SV_RUNNING);
}

/*
 * Outside a machine: a once that exits 3 stops everything as SIGTERM
 * would (RA_EXIT), and reaper is to exit 3; the line and the event say so.
 */
static void
test_once_exit_code(void **state)
{
	(void)state;
	up("service web /bin/web\nonce job failure-action=poweroff /bin/job\n");
	reaped(12, REAP_EXITED, 3);
	assert_int_equal(r.svc[1].state, SV_FAILED);
	fake_will_kill(-11, SIGTERM);
	fake_will_kill(-11, SIGCONT);
	run_step(&r, 5);
	assert_int_equal(r.action, RA_EXIT);
	assert_int_equal(r.phase, RUN_STOP);
	assert_int_equal(r.fail_status, 3);
	assert_int_equal(r.svc[0].state, SV_STOPPING);
	assert_true(fake_logged("reaper: error: job failed; failure-action=poweroff\n"));
	assert_non_null(failact_evt("job"));
	assert_int_equal(failact_evt("job")->value, 3);
	assert_int_equal(last_evt()->kind, EVT_STOP);	/* then the stops */
}

/* On a machine it is the action itself, as reaperctl would ask it. */
static void
test_machine_takes_the_action(void **state)
{
	static const struct {
		const char	*word;
		enum run_action	want;
	} acts[] = {
		{ "poweroff", RA_POWEROFF }, { "reboot", RA_REBOOT }, { "halt", RA_HALT },
	};
	char text[160];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		fake_reset();
		snprintf(text, sizeof(text), "service web /bin/web\n"
		    "service job restart=never failure-action=%s /bin/job\n", acts[i].word);
		up(text);
		r.machine = true;
		reaped(12, REAP_KILLED, SIGSEGV);
		fake_will_kill(-11, SIGTERM);
		fake_will_kill(-11, SIGCONT);
		run_step(&r, 5);
		assert_int_equal(r.action, acts[i].want);
		assert_int_equal(r.fail_status, 128 + SIGSEGV);
		assert_int_equal(r.phase, RUN_STOP);
	}
}

/* failure-action=none, the default, and a success: nothing happens to the others. */
static void
test_none_and_success(void **state)
{
	(void)state;
	up("service web /bin/web\nonce job /bin/job\n");
	reaped(12, REAP_EXITED, 1);
	run_step(&r, 5);
	assert_int_equal(r.svc[1].state, SV_FAILED);
	assert_int_equal(r.action, RA_NONE);
	assert_int_equal(r.phase, RUN_UP);
	assert_int_equal(r.fail_status, -1);
	fake_reset();
	up("service web /bin/web\nonce job failure-action=halt /bin/job\n");
	reaped(12, REAP_EXITED, 0);
	run_step(&r, 5);
	assert_int_equal(r.svc[1].state, SV_DONE);
	assert_int_equal(r.action, RA_NONE);
	assert_false(fake_logged("failure-action"));
}

/* A service that restarts is not failed for good; one that gives up is, with status 0 taken as 1. */
static void
test_service_gives_up(void **state)
{
	(void)state;
	up("service web /bin/web\n"
	    "service job restart-limit=1/1m restart-delay=10ms failure-action=poweroff /bin/job\n");
	reaped(12, REAP_EXITED, 0);		/* restart=always: back off */
	run_step(&r, 5);
	assert_int_equal(r.svc[1].state, SV_BACKOFF);
	assert_int_equal(r.action, RA_NONE);
	forks(13);
	run_tick(&r, 15);			/* the restart */
	loop_once(&l);
	assert_int_equal(r.svc[1].pid, 13);
	reaped(13, REAP_EXITED, 0);		/* over the limit: gives up */
	assert_int_equal(r.svc[1].state, SV_FAILED);
	fake_will_kill(-11, SIGTERM);
	fake_will_kill(-11, SIGCONT);
	run_step(&r, 20);
	assert_int_equal(r.action, RA_EXIT);
	assert_int_equal(r.fail_status, 1);	/* its exit 0 would read as a success */
}

/*
 * A sysinit whose start fails at once (fork): the boot does not go on to
 * the next sysinit; the stop comes in the same step, status 1 (no process).
 */
static void
test_sysinit_start_fails(void **state)
{
	(void)state;
	load("sysinit mnt failure-action=reboot /bin/mount -a\nsysinit next /bin/next\n"
	    "service web /bin/web\n");
	fake_fail("fork", EAGAIN);
	fake_will_kill(-1, SIGTERM);	/* nothing runs: the kill phase at once */
	fake_will_kill(-1, SIGCONT);
	run_step(&r, 0);	/* no other fork scripted: any would fail the test */
	assert_int_equal(r.svc[0].state, SV_FAILED);
	assert_int_equal(r.svc[1].state, SV_STOPPED);
	assert_int_equal(r.svc[1].pid, 0);
	assert_int_equal(r.action, RA_EXIT);
	assert_int_equal(r.fail_status, 1);
	assert_int_equal(r.phase, RUN_KILL);
	assert_true(fake_logged("mnt failed; failure-action=reboot"));
}

/* Two failures in one wake-up: the first decides, the second is not acted on. */
static void
test_first_decides(void **state)
{
	(void)state;
	load("once a failure-action=poweroff /bin/a\nonce b failure-action=halt /bin/b\n");
	r.machine = true;
	forks(11);
	forks(12);
	run_step(&r, 0);
	loop_once(&l);
	reaped(11, REAP_EXITED, 2);
	reaped(12, REAP_EXITED, 4);
	fake_will_kill(-1, SIGTERM);
	fake_will_kill(-1, SIGCONT);
	run_step(&r, 5);
	assert_int_equal(r.action, RA_POWEROFF);
	assert_int_equal(r.fail_status, 2);
	assert_true(fake_logged("a failed; failure-action=poweroff"));
	assert_false(fake_logged("b failed"));
	assert_null(failact_evt("b"));
	assert_false(r.svc[1].failed_now);	/* forgotten, not left for later */
}

/* An entry stopped on purpose is no failure, whatever its exit. */
static void
test_stopped_is_no_failure(void **state)
{
	(void)state;
	up("service web /bin/web\nservice job failure-action=poweroff /bin/job\n");
	fake_will_kill(-11, SIGTERM);
	fake_will_kill(-11, SIGCONT);
	fake_will_kill(-12, SIGTERM);
	fake_will_kill(-12, SIGCONT);
	run_request(&r, RA_EXIT, 5);
	reaped(12, REAP_EXITED, 1);
	run_step(&r, 6);
	assert_int_equal(r.svc[1].state, SV_STOPPED);
	assert_int_equal(r.fail_status, -1);
	assert_false(fake_logged("failure-action"));
}

/*
 * A reload that only sets failure-action= keeps the process (conf_same),
 * and the kept service follows its new entry: its failure now acts.
 */
static void
test_reload_changes_only_the_action(void **state)
{
	static struct conf nc;
	static const char next[] = "service web /bin/web\n"
	    "service job restart=never failure-action=halt /bin/job\n";

	(void)state;
	up("service web /bin/web\nservice job restart=never /bin/job\n");
	assert_int_equal(conf_parse(&nc, next, sizeof(next) - 1), 0);
	run_reload(&r, &nc, 5);
	assert_ptr_equal(r.conf, &nc);		/* nothing to stop: swapped at once */
	assert_int_equal(r.svc[1].pid, 12);	/* the same process */
	r.machine = true;
	reaped(12, REAP_EXITED, 1);
	fake_will_kill(-11, SIGTERM);
	fake_will_kill(-11, SIGCONT);
	run_step(&r, 6);
	assert_int_equal(r.action, RA_HALT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_once_exit_code, setup),
		cmocka_unit_test_setup(test_machine_takes_the_action, setup),
		cmocka_unit_test_setup(test_none_and_success, setup),
		cmocka_unit_test_setup(test_service_gives_up, setup),
		cmocka_unit_test_setup(test_sysinit_start_fails, setup),
		cmocka_unit_test_setup(test_first_decides, setup),
		cmocka_unit_test_setup(test_stopped_is_no_failure, setup),
		cmocka_unit_test_setup(test_reload_changes_only_the_action, setup),
	};

	return cmocka_run_group_tests_name("failact", tests, NULL, NULL);
}
