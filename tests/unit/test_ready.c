/*
 * Unit tests: readiness (lib/ready.c) and the graph in the supervisor
 * (lib/plan.c) with the fake sys layer: starts are scripted forks, the
 * ready pipe gets its bytes before the start, notify datagrams come from a
 * real socket pair with a scripted sender, probes are reaped by hand.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "ask.h"
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
static struct ask_more more;

static int
setup(void **state)
{
	(void)fake_setup(state);
	fake_now = 0;
	fake_cred_pid = 0;
	return 0;
}

/* Parse text (no errors expected unless nerr) and bring the supervisor to its first step. */
static void
load(const char *text, int nerr)
{
	assert_int_equal(conf_parse(&c, text, strlen(text)), nerr);
	loop_init(&l, tab, LOOP_SRC_MAX);
	klog_init(&ks, &l, pipes);
	run_init(&r, &c, 1, true, &l, &ks);
}

/* A few wake-ups of the loop: reports, ready pipes, datagrams, timers. */
static void
wake(void)
{
	int k;

	for (k = 0; k < 3; k++)
		loop_once(&l);
}

static enum svc_state
st(int i)
{
	return r.svc[i].state;
}

/* fd:N: a newline on the pipe makes it ready; dependents start only then. */
static void
test_fd_ready(void **state)
{
	(void)state;
	load("service db ready=fd:3 /bin/db\n"
	    "service web needs=db /bin/web\n", 0);
	fake_pipe_feed("ok\n", 3);	/* the ready pipe is the first of db's start */
	forks(11);
	run_step(&r, 0);
	assert_int_equal(st(0), SV_STARTING);
	assert_int_equal(st(1), SV_WAITING);
	forks(12);
	wake();
	assert_int_equal(st(0), SV_RUNNING);
	assert_true(fake_logged("db is ready"));
	run_step(&r, 1);
	assert_int_equal(r.svc[1].pid, 12);
	assert_int_equal(run_wait_of(&r, 0), RW_UP);
}

/* fd:N closed without a newline: still starting, then not ready in time: a failed start. */
static void
test_fd_closed_then_timeout(void **state)
{
	(void)state;
	load("service db ready=fd:3 ready-timeout=5s /bin/db\n", 0);
	fake_pipe_feed("no newline", 10);
	forks(11);
	run_step(&r, 0);
	wake();
	assert_int_equal(st(0), SV_STARTING);
	assert_true(fake_logged("db closed its readiness fd without a newline"));
	assert_int_equal(run_deadline(&r), 5000);
	fake_will_kill(-11, SIGTERM);
	fake_will_kill(-11, SIGCONT);
	fake_now = 5000;
	run_tick(&r, 5000);
	assert_true(fake_logged("db not ready in 5000 ms"));
	assert_int_equal(st(0), SV_STOPPING);
	reaped(11, REAP_KILLED, SIGTERM);
	assert_int_equal(st(0), SV_BACKOFF);	/* restarted per restart=, with its delay */
	assert_int_equal(run_deadline(&r), 5000 + RESTART_DELAY_MS);
	forks(12);
	run_tick(&r, 5000 + RESTART_DELAY_MS);
	assert_int_equal(r.svc[0].pid, 12);
	assert_int_equal(r.svc[0].restarts, 1);
}

/* Not ready in time with restart=never: failed for good, and so is what needs it. */
static void
test_timeout_never(void **state)
{
	(void)state;
	load("service db ready=fd:3 ready-timeout=1s restart=never /bin/db\n"
	    "service web needs=db /bin/web\n"
	    "service log after=db /bin/log\n", 0);
	forks(11);
	run_step(&r, 0);
	fake_will_kill(-11, SIGTERM);
	fake_will_kill(-11, SIGCONT);
	run_tick(&r, 1000);
	forks(13);				/* log: after= goes on past a failure */
	reaped(11, REAP_KILLED, SIGTERM);
	run_step(&r, 1001);
	assert_int_equal(st(0), SV_FAILED);
	assert_int_equal(st(1), SV_WAITING);
	assert_int_equal(r.svc[2].pid, 13);
	assert_int_equal(run_wait_of(&r, 0), RW_FAILED);
	assert_int_equal(run_wait_of(&r, 1), RW_FAILED);	/* it waits for what will not come */
}

/* notify: a foreign sender is not heard; the service's own READY=1 and STATUS= are. */
static void
test_notify(void **state)
{
	(void)state;
	load("service db ready=notify /bin/db\n", 0);
	forks(11);
	run_step(&r, 0);
	wake();
	assert_int_equal(st(0), SV_STARTING);
	fake_cred_pid = 999;			/* of another session */
	expect_value(sys_getsid, pid, 999);
	will_return(sys_getsid, 500);
	assert_int_equal(send(fake_dgram[1], "READY=1", 7, 0), 7);
	wake();
	assert_int_equal(st(0), SV_STARTING);
	assert_true(fake_logged("ignored a notification from pid 999"));
	fake_cred_pid = 12;			/* a child of the service: its session */
	expect_value(sys_getsid, pid, 12);
	will_return(sys_getsid, 11);
	assert_int_equal(send(fake_dgram[1], "X=1\nSTATUS=warming up\nMAINPID=3", 31, 0), 31);
	wake();
	assert_int_equal(st(0), SV_STARTING);
	assert_string_equal(r.svc[0].status_text, "warming up");
	fake_cred_pid = 11;			/* the service itself */
	assert_int_equal(send(fake_dgram[1], "READY=1\nSTATUS=serving", 22, 0), 22);
	wake();
	assert_int_equal(st(0), SV_RUNNING);
	assert_string_equal(r.svc[0].status_text, "serving");
	/* Its exit closes the socket: the next start has a new one. */
	reaped(11, REAP_EXITED, 1);
	assert_int_equal(fcntl(fake_dgram[0], F_GETFD), -1);
}

/* notify with no socket to be had: one warning, ready at its exec. */
static void
test_notify_degrades(void **state)
{
	(void)state;
	load("service db ready=notify /bin/db\n", 0);
	fake_script("dgram", -1, EPERM, 1);
	forks(11);
	run_step(&r, 0);
	wake();
	assert_int_equal(st(0), SV_RUNNING);
	assert_true(fake_logged("db: readiness unavailable; ready at its exec"));
}

/* ready-check: probes every interval until one exits 0; one that hangs is killed. */
static void
test_probes(void **state)
{
	(void)state;
	load("service db ready-check='/bin/probe db' ready-interval=1s /bin/db\n", 0);
	forks(11);
	run_step(&r, 0);
	forks(50);				/* the first probe, at the exec */
	wake();
	assert_int_equal(st(0), SV_STARTING);
	reaped(50, REAP_EXITED, 1);		/* not yet */
	assert_int_equal(r.orphans, 0);		/* a probe is no orphan */
	assert_int_equal(loop_deadline(&l), 1000);
	fake_now = 1000;
	forks(51);
	wake();
	fake_now = 2000;			/* 51 hangs: killed at the interval */
	fake_will_kill(-51, SIGKILL);
	wake();
	assert_true(fake_logged("ready-check still running after 1000 ms"));
	reaped(51, REAP_KILLED, SIGKILL);
	forks(52);				/* the next one at once */
	wake();
	reaped(52, REAP_EXITED, 0);
	assert_int_equal(st(0), SV_RUNNING);
	assert_int_equal(loop_deadline(&l), -1);	/* no wake-ups once it is up */
	assert_int_equal(r.orphans, 0);
}

/* A probe running when its service exits is killed, and reaped as a probe. */
static void
test_probe_outlives_service(void **state)
{
	(void)state;
	load("service db ready-check=/bin/probe /bin/db\n", 0);
	forks(11);
	run_step(&r, 0);
	forks(50);
	wake();
	fake_will_kill(-50, SIGKILL);
	reaped(11, REAP_EXITED, 1);
	reaped(50, REAP_KILLED, SIGKILL);
	assert_int_equal(r.orphans, 0);
}

/* A chain starts in order, each when the one before is up, a diamond's sides at once. */
static void
test_chain_and_diamond(void **state)
{
	(void)state;
	load("service top needs=left,right /bin/top\n"
	    "service left needs=base /bin/left\n"
	    "service right after=base /bin/right\n"
	    "once base /bin/base\n", 0);
	forks(14);
	run_step(&r, 0);
	assert_int_equal(r.svc[3].pid, 14);
	assert_int_equal(st(0), SV_WAITING);
	assert_int_equal(st(1), SV_WAITING);
	wake();
	forks(12);
	forks(13);
	reaped(14, REAP_EXITED, 0);		/* the once is up: both sides start */
	run_step(&r, 1);
	assert_int_equal(r.svc[1].pid, 12);
	assert_int_equal(r.svc[2].pid, 13);
	assert_int_equal(st(0), SV_WAITING);
	forks(11);
	wake();					/* both exec'd: ready */
	run_step(&r, 2);
	assert_int_equal(r.svc[0].pid, 11);
}

/* A once that fails keeps what needs it waiting; after= goes on. */
static void
test_once_fails(void **state)
{
	(void)state;
	load("once migrate /bin/migrate\n"
	    "service web needs=migrate /bin/web\n"
	    "service api after=migrate /bin/api\n", 0);
	forks(10);
	run_step(&r, 0);
	wake();
	forks(12);
	reaped(10, REAP_EXITED, 1);
	run_step(&r, 1);
	assert_int_equal(st(0), SV_FAILED);
	assert_int_equal(st(1), SV_WAITING);
	assert_int_equal(r.svc[2].pid, 12);
}

/* stop db: web (needs db) stops first, waits, and comes back with db. */
static void
test_stop_takes_dependents(void **state)
{
	(void)state;
	load("service db /bin/db\n"
	    "service web needs=db /bin/web\n", 0);
	forks(11);
	run_step(&r, 0);
	wake();
	forks(12);
	run_step(&r, 1);
	wake();
	assert_int_equal(st(1), SV_RUNNING);
	fake_will_kill(-12, SIGTERM);		/* web first; db not yet */
	fake_will_kill(-12, SIGCONT);
	assert_int_equal(ask_svc(&r, ASK_STOP, "db", 2, &more), ASK_OK);
	assert_int_equal(more.n, 1);
	assert_int_equal(more.ent[0], 1);
	assert_int_equal(st(0), SV_RUNNING);
	assert_int_equal(st(1), SV_STOPPING);
	reaped(12, REAP_KILLED, SIGTERM);
	fake_will_kill(-11, SIGTERM);		/* web is down: now db */
	fake_will_kill(-11, SIGCONT);
	run_step(&r, 3);
	assert_int_equal(st(1), SV_WAITING);
	assert_int_equal(st(0), SV_STOPPING);
	reaped(11, REAP_KILLED, SIGTERM);
	run_step(&r, 4);
	assert_int_equal(st(0), SV_STOPPED);
	assert_int_equal(st(1), SV_WAITING);	/* held: what it needs is stopped */
	/* start web: db starts first, then web once db is up. */
	forks(21);
	assert_int_equal(ask_svc(&r, ASK_START, "web", 5, &more), ASK_OK);
	assert_int_equal(more.n, 1);
	assert_int_equal(more.ent[0], 0);
	assert_int_equal(r.svc[0].pid, 21);
	forks(22);
	wake();
	run_step(&r, 6);
	assert_int_equal(r.svc[1].pid, 22);
}

/* Shutdown along a chain: c, then b, then a; each only when the one after it is down. */
static void
test_shutdown_chain(void **state)
{
	(void)state;
	load("service a /bin/a\n"
	    "service b needs=a /bin/b\n"
	    "service c after=b /bin/c\n", 0);
	forks(11);
	run_step(&r, 0);
	wake();
	forks(12);
	run_step(&r, 1);
	wake();
	forks(13);
	run_step(&r, 2);
	wake();
	fake_will_kill(-13, SIGTERM);
	fake_will_kill(-13, SIGCONT);
	run_request(&r, RA_POWEROFF, 3);
	assert_int_equal(st(0), SV_RUNNING);
	assert_int_equal(st(1), SV_RUNNING);
	reaped(13, REAP_KILLED, SIGTERM);
	fake_will_kill(-12, SIGTERM);
	fake_will_kill(-12, SIGCONT);
	run_step(&r, 4);
	assert_int_equal(st(0), SV_RUNNING);
	reaped(12, REAP_KILLED, SIGTERM);
	fake_will_kill(-11, SIGTERM);
	fake_will_kill(-11, SIGCONT);
	run_step(&r, 5);
	assert_int_equal(st(0), SV_STOPPING);
}

/* A once that is over holds nothing back: what it needed stops at once. */
static void
test_shutdown_past_once(void **state)
{
	(void)state;
	load("service db /bin/db\n"
	    "once mig needs=db /bin/mig\n", 0);
	forks(11);
	run_step(&r, 0);
	wake();
	forks(12);
	run_step(&r, 1);
	wake();
	reaped(12, REAP_EXITED, 0);
	assert_true(svc_is_up(&r.svc[1]));
	fake_will_kill(-11, SIGTERM);
	fake_will_kill(-11, SIGCONT);
	run_request(&r, RA_POWEROFF, 2);
	assert_int_equal(st(0), SV_STOPPING);
}

/* A cycle is an error on its line; its entries never run, the rest do. */
static void
test_cycle_in_file(void **state)
{
	(void)state;
	load("service web needs=db /bin/web\n"
	    "service db needs=web /bin/db\n"
	    "service other /bin/other\n", 1);
	assert_string_equal(c.err[0].msg, "dependency cycle: web -> db -> web");
	assert_int_equal(c.err[0].line, 1);
	forks(13);
	run_step(&r, 0);
	assert_int_equal(st(0), SV_FAILED);
	assert_int_equal(st(1), SV_FAILED);
	assert_int_equal(r.svc[2].pid, 13);
	assert_int_equal(ask_svc(&r, ASK_START, "web", 1, &more), ASK_IN_ERROR);
	assert_int_equal(run_wait_of(&r, 0), RW_FAILED);
}

/* The parser's side of readiness: values, limits, and what goes with what. */
static void
test_parse(void **state)
{
	static const struct {
		const char	*text;
		const char	*err;
	} bad[] = {
		{ "service a ready=fd:2 x\n", "bad value for ready=: 'fd:2'" },
		{ "service a ready=fd:10 x\n", "bad value for ready=: 'fd:10'" },
		{ "service a ready=pipe x\n", "bad value for ready=: 'pipe'" },
		{ "once a ready=notify x\n", "ready= does not apply to once entries" },
		{ "sysinit a after=b x\n", "after= does not apply to sysinit entries" },
		{ "service a ready-interval=2s x\n", "ready-interval= needs ready-check=" },
		{ "service a ready=notify ready-check=true x\n",
		    "ready-check= is a readiness of its own: not with ready=" },
		{ "service a ready-interval=0 ready-check=true x\n",
		    "bad value for ready-interval=: '0'" },
		{ "service a needs= x\n", "bad value for needs=: ''" },
		{ "service a needs=b x\n", "a: needs= names unknown entry 'b'" },
		{ "service a after=a x\n", "a: after= names itself" },
	};
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		assert_int_equal(conf_parse(&c, bad[k].text, strlen(bad[k].text)), 1);
		assert_string_equal(c.err[0].msg, bad[k].err);
	}
	load("service a ready=fd:9 ready-timeout=0 x\n"
	    "service b ready-check=\"test -f '/tmp/a b'\" ready-interval=250ms after=a x\n", 0);
	assert_int_equal(c.ent[0].ready, RD_FD);
	assert_int_equal(c.ent[0].ready_fd, 9);
	assert_int_equal(c.ent[0].ready_timeout_ms, 0);
	assert_int_equal(c.ent[1].ready, RD_CHECK);
	assert_string_equal(c.ent[1].check[2], "/tmp/a b");
	assert_null(c.ent[1].check[3]);
	assert_int_equal(c.ent[1].ready_interval_ms, 250);
	assert_int_equal(c.ent[1].ready_timeout_ms, READY_TIMEOUT_MS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_fd_ready, setup),
		cmocka_unit_test_setup(test_fd_closed_then_timeout, setup),
		cmocka_unit_test_setup(test_timeout_never, setup),
		cmocka_unit_test_setup(test_notify, setup),
		cmocka_unit_test_setup(test_notify_degrades, setup),
		cmocka_unit_test_setup(test_probes, setup),
		cmocka_unit_test_setup(test_probe_outlives_service, setup),
		cmocka_unit_test_setup(test_chain_and_diamond, setup),
		cmocka_unit_test_setup(test_once_fails, setup),
		cmocka_unit_test_setup(test_stop_takes_dependents, setup),
		cmocka_unit_test_setup(test_shutdown_chain, setup),
		cmocka_unit_test_setup(test_shutdown_past_once, setup),
		cmocka_unit_test_setup(test_cycle_in_file, setup),
		cmocka_unit_test_setup(test_parse, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
