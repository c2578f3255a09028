/* Unit tests: the fast wait's signal queue, its jump out of the wait, its mask. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <ucontext.h>
#include <cmocka.h>

#include "fake_sys.h"
#include "catch.h"
#include "sig.h"

#define SET	(SIG_BIT(SIGUSR1) | SIG_BIT(SIGTERM) | SIG_BIT(SIGTTOU) | SIG_BIT(SIGSEGV))

static int
setup(void **state)
{
	struct sys_siginfo si;

	fake_setup(state);
	fake_script("sigmask", 0, 0, -1);
	assert_int_equal(catch_setup(SET, ~(uint64_t)0), 0);
	assert_int_equal(catch_arm(true), 0);
	while (catch_take(&si))		/* what an earlier test left */
		;
	return 0;
}

/* The kernel's side: a signal delivered to the handler, from pid. */
static uint64_t
deliver(int sig, int code, pid_t pid)
{
	siginfo_t si;
	ucontext_t uc;
	uint64_t mask = 0;

	memset(&si, 0, sizeof(si));
	memset(&uc, 0, sizeof(uc));
	si.si_signo = sig;
	si.si_code = code;
	si.si_pid = pid;
	fake_catch_fn(sig, &si, &uc);
	memcpy(&mask, &uc.uc_sigmask, sizeof(mask));
	return mask;	/* what the handler left blocked for its return */
}

static void
test_setup_catches_each(void **state)
{
	(void)state;
	assert_int_equal(fake_catch_calls, 4);
	fake_catch_calls = 0;
	fake_script("sig_catch", -1, EINVAL, 1);
	assert_int_equal(catch_setup(SET, ~(uint64_t)0), -1);
	assert_int_equal(fake_catch_calls, 1);
	fake_catch_calls = 0;
	assert_int_equal(catch_setup(SET, ~(uint64_t)0), 0);
	assert_int_equal(fake_catch_calls, 4);
}

static void
test_queued_in_order(void **state)
{
	struct sys_siginfo si;

	(void)state;
	assert_int_equal(deliver(SIGUSR1, SI_USER, 7), 0);
	assert_int_equal(deliver(SIGTERM, SI_QUEUE, 8), 0);
	assert_true(catch_take(&si));
	assert_int_equal(si.sig, SIGUSR1);
	assert_int_equal(si.code, SI_USER);
	assert_int_equal(si.pid, 7);
	assert_true(catch_take(&si));
	assert_int_equal(si.sig, SIGTERM);
	assert_int_equal(si.pid, 8);
	assert_false(catch_take(&si));
}

/* A TTOU of reaper's own making (the kernel's, SI_KERNEL) is blocked for the restart, not forwarded. */
static void
test_own_ttou_blocked(void **state)
{
	struct sys_siginfo si;

	(void)state;
	assert_int_equal(deliver(SIGTTOU, SI_KERNEL, 0), SIG_BIT(SIGTTOU));
	assert_false(catch_take(&si));
	assert_int_equal(deliver(SIGTTOU, SI_USER, 9), 0);	/* kill -TTOU: forwarded */
	assert_true(catch_take(&si));
	assert_int_equal(si.sig, SIGTTOU);
}

/* A full queue blocks every caught signal on return; none is lost. */
static void
test_full_queue_blocks(void **state)
{
	struct sys_siginfo si;
	int i;

	(void)state;
	for (i = 0; i < CATCH_MAX - 1; i++)
		assert_int_equal(deliver(SIGUSR1, SI_QUEUE, i), 0);
	assert_int_equal(deliver(SIGUSR1, SI_QUEUE, i), SET);
	for (i = 0; i < CATCH_MAX; i++) {
		assert_true(catch_take(&si));
		assert_int_equal(si.pid, i);
	}
	assert_false(catch_take(&si));
}

/* A fault of reaper's own goes back to the default action and is not queued. */
static void
test_fault_not_swallowed(void **state)
{
	struct sys_siginfo si;

	(void)state;
	fake_script("sig_set", 0, 0, 1);
	(void)deliver(SIGSEGV, SEGV_MAPERR, 0);
	assert_false(catch_take(&si));
	assert_int_equal(deliver(SIGSEGV, SI_USER, 5), 0);	/* kill -SEGV: forwarded */
	assert_true(catch_take(&si));
}

/* Signals already queued: the wait returns at once and never sleeps. */
static void
test_queued_no_sleep(void **state)
{
	struct sys_child got;
	struct sys_siginfo si;

	(void)state;
	(void)deliver(SIGUSR1, SI_USER, 3);
	assert_int_equal(catch_wait(&got, false), 0);	/* sys_wait_child would fail the test */
	assert_true(catch_take(&si));
}

/* The race: the signal comes after the queue was found empty, before the sleep. */
static void
arrive_before_sleep(struct sys_child *c)
{
	(void)c;
	(void)deliver(SIGTERM, SI_USER, 11);
}

static void
test_signal_before_sleep(void **state)
{
	struct sys_child got;
	struct sys_siginfo si;

	(void)state;
	fake_wait_hook = arrive_before_sleep;
	fake_script("wait_child", 1, 0, -1);	/* would "sleep" and return a child */
	assert_int_equal(catch_wait(&got, false), 0);
	assert_true(catch_take(&si));
	assert_int_equal(si.sig, SIGTERM);
	assert_int_equal(si.pid, 11);
	assert_false(catch_take(&si));
}

/* The signal comes after waitid wrote a child's news: the news is kept. */
static void
arrive_after_news(struct sys_child *c)
{
	c->si.si_pid = 42;
	(void)deliver(SIGUSR1, SI_USER, 12);
}

static void
test_news_kept_over_jump(void **state)
{
	struct sys_child got;
	struct sys_siginfo si;

	(void)state;
	fake_wait_hook = arrive_after_news;
	assert_int_equal(catch_wait(&got, false), 1);
	assert_int_equal(sys_child_pid(&got), 42);
	assert_true(catch_take(&si));
	assert_int_equal(si.sig, SIGUSR1);
}

/* A wait with nothing in between sleeps once and returns the news. */
static void
news_only(struct sys_child *c)
{
	c->si.si_pid = 43;
}

static void
test_plain_wait(void **state)
{
	struct sys_child got;
	struct sys_siginfo si;

	(void)state;
	fake_wait_hook = news_only;
	fake_script("wait_child", 1, 0, 1);
	assert_int_equal(catch_wait(&got, false), 1);
	assert_int_equal(sys_child_pid(&got), 43);
	assert_false(catch_take(&si));
	fake_wait_hook = NULL;
	fake_script("wait_child", -1, ECHILD, 1);
	assert_int_equal(catch_wait(&got, false), -1);
	assert_int_equal(errno, ECHILD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_setup_catches_each, setup),
		cmocka_unit_test_setup(test_queued_in_order, setup),
		cmocka_unit_test_setup(test_own_ttou_blocked, setup),
		cmocka_unit_test_setup(test_full_queue_blocks, setup),
		cmocka_unit_test_setup(test_fault_not_swallowed, setup),
		cmocka_unit_test_setup(test_queued_no_sleep, setup),
		cmocka_unit_test_setup(test_signal_before_sleep, setup),
		cmocka_unit_test_setup(test_news_kept_over_jump, setup),
		cmocka_unit_test_setup(test_plain_wait, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
