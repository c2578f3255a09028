/*
 * Unit tests: the supervisor's top level (lib/run.c, lib/ask.c) with the
 * fake sys layer: what each event does (a start's report, a reap, time)
 * and what each request of the control socket does.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ask.h"
#include "evt.h"
#include "fake_run.h"
#include "fake_sys.h"
#include "klog.h"
#include "loop.h"
#include "run.h"
#include "spawn.h"

#define forks(pid)	fake_forks(pid)
#define reaped(pid, kind, code)	fake_reaped(&r, pid, kind, code)

static struct ask_more more;	/* what ask_svc moves besides: unused here */

static struct conf c;
static struct run r;
static struct loop l;
static struct loop_src tab[LOOP_SRC_MAX];
static struct klogs ks;
static struct klog pipes[KLOG_PIPES_MAX];

static const char text[] =
	"sysinit mnt /bin/mount -a\n"
	"service web /bin/web\n"
	"service db /bin/db\n"
	"once mig /bin/migrate\n"
	"shutdown bye /bin/bye\n";

enum { MNT, WEB, DB, MIG, BYE };

static int
setup(void **state)
{
	(void)fake_setup(state);
	assert_int_equal(conf_parse(&c, text, sizeof(text) - 1), 0);
	loop_init(&l, tab, LOOP_SRC_MAX);
	klog_init(&ks, &l, pipes);
	run_init(&r, &c, 1, true, &l, &ks);
	fake_now = 0;
	return 0;
}

/* A wake-up of the loop: the reports of the starts in flight are read. */
static void
reports(void)
{
	loop_once(&l);
}

static enum svc_state
st(int i)
{
	return r.svc[i].state;
}

/* Boot to up: sysinit first, alone; then services and once in file order. */
static void
boot(void)
{
	forks(10);
	run_step(&r, 0);
	assert_int_equal(r.phase, RUN_BOOT);
	assert_int_equal(st(MNT), SV_STARTING);
	assert_int_equal(st(WEB), SV_STOPPED);	/* not before sysinit is over */
	reports();
	assert_int_equal(st(MNT), SV_RUNNING);
	forks(11);
	forks(12);
	forks(13);
	reaped(10, REAP_EXITED, 0);
	run_step(&r, 1);
	assert_int_equal(r.phase, RUN_UP);
	assert_int_equal(st(MNT), SV_DONE);
	assert_int_equal(r.svc[WEB].pid, 11);
	assert_int_equal(r.svc[DB].pid, 12);
	assert_int_equal(r.svc[MIG].pid, 13);
	assert_int_equal(st(WEB), SV_STARTING);
	assert_false(svc_is_up(&r.svc[WEB]));
	reports();
	assert_int_equal(st(WEB), SV_RUNNING);
	assert_true(svc_is_up(&r.svc[WEB]));
	assert_int_equal(st(MIG), SV_RUNNING);
	assert_false(svc_is_up(&r.svc[MIG]));	/* a once is up when it exited 0 */
}

static void
test_boot_order(void **state)
{
	(void)state;
	boot();
	reaped(13, REAP_EXITED, 0);
	assert_int_equal(st(MIG), SV_DONE);
	assert_true(svc_is_up(&r.svc[MIG]));
	assert_int_equal(r.orphans, 0);
}

static void
test_requests_refused(void **state)
{
	(void)state;
	forks(10);
	run_step(&r, 0);
	assert_int_equal(ask_svc(&r, ASK_START, "web", 0, &more), ASK_NOT_NOW);	/* booting */
	assert_int_equal(ask_svc(&r, ASK_STOP, "nope", 0, &more), ASK_NO_ENTRY);
	reports();
	forks(11);
	forks(12);
	forks(13);
	reaped(10, REAP_EXITED, 0);
	run_step(&r, 1);
	reports();
	assert_int_equal(ask_svc(&r, ASK_START, "mnt", 2, &more), ASK_BOOT_ONLY);
	assert_int_equal(ask_svc(&r, ASK_RESTART, "bye", 2, &more), ASK_BOOT_ONLY);
	assert_int_equal(st(MNT), SV_DONE);		/* nothing changed */
}

/* stop, then start while it stops: started again once it is down. */
static void
test_stop_then_start(void **state)
{
	(void)state;
	boot();
	fake_will_kill(-11, SIGTERM);
	fake_will_kill(-11, SIGCONT);
	assert_int_equal(ask_svc(&r, ASK_STOP, "web", 5, &more), ASK_OK);
	assert_int_equal(st(WEB), SV_STOPPING);
	assert_int_equal(ask_svc(&r, ASK_START, "web", 6, &more), ASK_OK);
	assert_int_equal(st(WEB), SV_STOPPING);		/* waits for the old one */
	reaped(11, REAP_KILLED, SIGTERM);
	assert_int_equal(st(WEB), SV_WAITING);		/* down, and coming back */
	assert_int_equal(r.svc[WEB].last.kind, SX_KILLED);
	forks(21);
	run_tick(&r, 7);
	assert_int_equal(r.svc[WEB].pid, 21);
	reports();
	assert_int_equal(st(WEB), SV_RUNNING);
}

/* restart: stopped, then started again with a fresh restart-limit window. */
static void
test_restart(void **state)
{
	(void)state;
	boot();
	r.svc[DB].window_n = 3;
	fake_will_kill(-12, SIGTERM);
	fake_will_kill(-12, SIGCONT);
	assert_int_equal(ask_svc(&r, ASK_RESTART, "db", 5, &more), ASK_OK);
	assert_int_equal(r.svc[DB].window_n, 0);
	reaped(12, REAP_EXITED, 0);
	forks(22);
	run_tick(&r, 6);
	assert_int_equal(r.svc[DB].pid, 22);
	assert_int_equal(st(DB), SV_STARTING);
}

/* An unknown pid is an adopted orphan; a start that failed is not one. */
static void
test_orphans_and_starts(void **state)
{
	struct spawn_fail rep = { 0, ENOENT, "" };	/* exec: No such file */

	(void)state;
	boot();
	{
		struct reap_ev ev = { 99, REAP_EXITED, 3, "stray", "" };

		run_reaped(&r, &ev);
	}
	assert_int_equal(r.orphans, 1);
	assert_true(fake_logged("reaped orphan 99 (stray): exited 3"));
	/* web dies; its restart's child fails before exec, and is reaped
	 * before PID 1 reads its report. */
	reaped(11, REAP_EXITED, 1);
	assert_int_equal(st(WEB), SV_BACKOFF);
	fake_pipe_feed(&rep, sizeof(rep));
	forks(31);
	run_tick(&r, r.svc[WEB].deadline);
	assert_int_equal(st(WEB), SV_STARTING);
	{
		struct reap_ev ev = { 31, REAP_EXITED, 127, "", "" };

		run_reaped(&r, &ev);
	}
	assert_int_equal(r.orphans, 1);			/* not an orphan */
	assert_int_equal(st(WEB), SV_BACKOFF);
	assert_true(fake_logged("unable to start web: exec: No such file or directory"));
	assert_false(fake_logged("web exited with status 127"));
}

/*
 * Shutdown: services with no dependency between them stop at once, then
 * shutdown entries run, then the rest is killed.
 */
static void
test_shutdown(void **state)
{
	(void)state;
	boot();
	reaped(13, REAP_EXITED, 0);		/* mig is over */
	fake_will_kill(-11, SIGTERM);		/* web and db together */
	fake_will_kill(-11, SIGCONT);
	fake_will_kill(-12, SIGTERM);
	fake_will_kill(-12, SIGCONT);
	run_request(&r, RA_POWEROFF, 10);
	assert_int_equal(r.phase, RUN_STOP);
	assert_int_equal(st(WEB), SV_STOPPING);
	assert_int_equal(st(DB), SV_STOPPING);
	assert_int_equal(ask_svc(&r, ASK_START, "db", 11, &more), ASK_NOT_NOW);
	reaped(12, REAP_KILLED, SIGTERM);
	run_step(&r, 12);
	assert_int_equal(st(DB), SV_STOPPED);	/* never restarted */
	assert_int_equal(st(WEB), SV_STOPPING);
	forks(40);
	reaped(11, REAP_KILLED, SIGTERM);
	run_step(&r, 13);
	assert_int_equal(r.phase, RUN_SHUTDOWN);
	assert_int_equal(r.svc[BYE].pid, 40);
	reports();
	reaped(40, REAP_EXITED, 0);
	fake_will_kill(-1, SIGTERM);		/* what is left, all at once */
	fake_will_kill(-1, SIGCONT);
	run_step(&r, 14);
	assert_int_equal(r.phase, RUN_KILL);
	assert_int_equal(run_deadline(&r), 14 + c.grace_ms);
	run_nochild(&r, 15);
	assert_int_equal(r.phase, RUN_FINAL);
}

/*
 * A reload: the stops come first (by the old graph), then the tables swap:
 * the same entry keeps its process, a changed one is replaced once its old
 * process is down, a new one starts, a removed one is gone.
 */
static void
test_reload(void **state)
{
	static struct conf nc;
	static const char next[] =
	    "service web /bin/web\n"
	    "service db /bin/db --new\n"
	    "service cache /bin/cache\n";

	(void)state;
	boot();
	reaped(13, REAP_EXITED, 0);
	assert_int_equal(conf_parse(&nc, next, sizeof(next) - 1), 0);
	assert_true(run_can_reload(&r));
	fake_will_kill(-12, SIGTERM);		/* the old db: on its way out */
	fake_will_kill(-12, SIGCONT);
	run_reload(&r, &nc, 20);
	assert_ptr_equal(r.conf, &c);		/* the old table, until db is down */
	assert_ptr_equal(r.next, &nc);
	assert_false(run_can_reload(&r));	/* not while one is stopping */
	forks(50);				/* then db and cache, at once */
	forks(51);
	reaped(12, REAP_KILLED, SIGTERM);
	run_step(&r, 21);
	assert_ptr_equal(r.conf, &nc);
	assert_null(r.next);
	assert_int_equal(r.svc[0].pid, 11);	/* web: untouched */
	assert_int_equal(r.svc[0].state, SV_RUNNING);
	assert_int_equal(r.svc[1].pid, 50);
	assert_int_equal(r.svc[2].pid, 51);
	assert_int_equal(r.svc[1].state, SV_STARTING);
	reports();
	assert_int_equal(r.svc[1].state, SV_RUNNING);
	assert_int_equal(r.svc[2].state, SV_RUNNING);
	assert_true(run_can_reload(&r));
}

/* The last event recorded, or the one back before it. */
static const struct evt *
last_evt(int back)
{
	return evt_get(evt_count() - 1 - back);
}

/* How far back the last event of kind k is. */
static int
back_to(enum evt_kind k)
{
	int back;

	for (back = 0; back < evt_count() && last_evt(back)->kind != k; back++)
		;
	assert_true(back < evt_count());
	return back;
}

/*
 * The power key: ignore asks nothing; reboot asks a reboot, like SIGTERM;
 * a press while shutting down asks nothing new. Each press is logged and
 * recorded.
 */
static void
test_power_key(void **state)
{
	(void)state;
	boot();
	reaped(13, REAP_EXITED, 0);
	c.powerkey = CPK_IGNORE;
	assert_int_equal(ask_power_key(&r, "/dev/input/event3", 20), RA_NONE);
	assert_int_equal(r.phase, RUN_UP);
	assert_int_equal(r.action, RA_NONE);
	assert_int_equal(st(WEB), SV_RUNNING);
	assert_true(fake_logged("power key pressed (/dev/input/event3): ignored (powerkey=ignore)"));
	assert_int_equal(last_evt(0)->kind, EVT_POWERKEY);
	assert_string_equal(last_evt(0)->name, "event3");
	assert_int_equal(last_evt(0)->value, RA_NONE);
	c.powerkey = CPK_REBOOT;	/* as a reload would have it */
	fake_will_kill(-11, SIGTERM);
	fake_will_kill(-11, SIGCONT);
	fake_will_kill(-12, SIGTERM);
	fake_will_kill(-12, SIGCONT);
	assert_int_equal(ask_power_key(&r, "/dev/input/event3", 21), RA_REBOOT);
	assert_int_equal(r.action, RA_REBOOT);
	assert_int_equal(r.phase, RUN_STOP);
	assert_int_equal(st(WEB), SV_STOPPING);
	assert_true(fake_logged("power key pressed (/dev/input/event3): reboot"));
	/* The press, then the shutdown it asked for (then the stops). */
	assert_int_equal(last_evt(back_to(EVT_POWERKEY))->value, RA_REBOOT);
	assert_int_equal(back_to(EVT_SHUTDOWN), back_to(EVT_POWERKEY) - 1);
	/* Pressed again while stopping: nothing new (no signal, same action). */
	c.powerkey = CPK_POWEROFF;
	assert_int_equal(ask_power_key(&r, "/dev/input/event0", 22), RA_NONE);
	assert_int_equal(r.action, RA_REBOOT);
	assert_int_equal(r.phase, RUN_STOP);
	assert_true(fake_logged("power key pressed (/dev/input/event0): already shutting down"));
	assert_int_equal(last_evt(0)->kind, EVT_POWERKEY);
	assert_int_equal(last_evt(0)->value, RA_NONE);
}

/* poweroff (the default) and halt: what each asks, with nothing left to stop. */
static void
test_power_key_actions(void **state)
{
	static const char *const conf[] = { "", "set powerkey=halt\n", "set powerkey=reboot\n" };
	static const enum run_action want[] = { RA_POWEROFF, RA_HALT, RA_REBOOT };
	static struct conf pc;
	static struct run pr;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_int_equal(conf_parse(&pc, conf[i], strlen(conf[i])), 0);
		run_init(&pr, &pc, 1, true, &l, &ks);
		fake_will_kill(-1, SIGTERM);	/* no entry: straight to what is left */
		fake_will_kill(-1, SIGCONT);
		assert_int_equal(ask_power_key(&pr, "/dev/input/event0", 5), want[i]);
		assert_int_equal(pr.action, want[i]);
		assert_int_equal(pr.phase, RUN_KILL);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_boot_order, setup),
		cmocka_unit_test_setup(test_requests_refused, setup),
		cmocka_unit_test_setup(test_stop_then_start, setup),
		cmocka_unit_test_setup(test_restart, setup),
		cmocka_unit_test_setup(test_orphans_and_starts, setup),
		cmocka_unit_test_setup(test_shutdown, setup),
		cmocka_unit_test_setup(test_reload, setup),
		cmocka_unit_test_setup(test_power_key, setup),
		cmocka_unit_test_setup(test_power_key_actions, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
