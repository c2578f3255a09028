/* Unit tests: the reload comparison, conf_same(), one option at a time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "conf.h"

static struct conf a, b;

/* Others the lines may name in after= and needs=. */
#define OTHERS "service db sleep 1\nservice cache sleep 2\n"

/* Entry "web" of each text, parsed without an error; whether they are the same. */
static bool
same(const char *ta, const char *tb)
{
	char buf[1024];
	int i, j;

	snprintf(buf, sizeof(buf), OTHERS "%s\n", ta);
	assert_int_equal(conf_parse(&a, buf, strlen(buf)), 0);
	assert_int_equal(a.nerr, 0);
	snprintf(buf, sizeof(buf), "%s\n" OTHERS, tb);	/* moved to another line */
	assert_int_equal(conf_parse(&b, buf, strlen(buf)), 0);
	assert_int_equal(b.nerr, 0);
	i = conf_find(&a, "web");
	j = conf_find(&b, "web");
	assert_true(i >= 0 && j >= 0);
	return conf_same(&a.ent[i], &b.ent[j]);
}

/* Each pair differs in one thing only: every one is a new entry. */
static const struct {
	const char *a, *b;
} changed[] = {
	{ "service web sleep 10", "once web sleep 10" },
	{ "service web sleep 10", "service web sleep 11" },
	{ "service web sleep 10", "service web sleep 10 20" },
	{ "service web sleep 10", "service web /bin/sleep 10" },
	{ "service web restart=always sleep 10", "service web restart=on-failure sleep 10" },
	{ "service web restart-delay=1s sleep 10", "service web restart-delay=2s sleep 10" },
	{ "service web backoff-max=10s sleep 10", "service web backoff-max=20s sleep 10" },
	{ "service web restart-limit=3/1m sleep 10", "service web restart-limit=4/1m sleep 10" },
	{ "service web restart-limit=3/1m sleep 10", "service web restart-limit=3/2m sleep 10" },
	{ "service web stop-signal=TERM sleep 10", "service web stop-signal=INT sleep 10" },
	{ "service web stop-timeout=1s sleep 10", "service web stop-timeout=2s sleep 10" },
	{ "service web user=nobody sleep 10", "service web user=daemon sleep 10" },
	{ "service web sleep 10", "service web user=nobody sleep 10" },
	{ "service web group=daemon sleep 10", "service web group=nogroup sleep 10" },
	{ "service web cwd=/ sleep 10", "service web cwd=/tmp sleep 10" },
	{ "service web env=A=1 sleep 10", "service web env=A=2 sleep 10" },
	{ "service web env=A=1 sleep 10", "service web env=A=1 env=B=1 sleep 10" },
	{ "service web umask=022 sleep 10", "service web umask=077 sleep 10" },
	{ "service web sleep 10", "service web umask=022 sleep 10" },
	{ "service web tty=/dev/tty1 sleep 10", "service web tty=/dev/tty2 sleep 10" },
	{ "service web stdout=null sleep 10", "service web stdout=console sleep 10" },
	{ "service web stdout=/a sleep 10", "service web stdout=/b sleep 10" },
	{ "service web stderr=null sleep 10", "service web stderr=kmsg sleep 10" },
	{ "service web stderr=/a sleep 10", "service web stderr=/b sleep 10" },
	{ "service web after=db sleep 10", "service web after=cache sleep 10" },
	{ "service web sleep 10", "service web after=db sleep 10" },
	{ "service web needs=db sleep 10", "service web needs=db,cache sleep 10" },
	{ "service web sleep 10", "service web needs=db sleep 10" },
	{ "service web ready=exec sleep 10", "service web ready=notify sleep 10" },
	{ "service web ready=fd:3 sleep 10", "service web ready=fd:4 sleep 10" },
	{ "service web ready-check='true' sleep 10", "service web ready-check='false' sleep 10" },
	{ "service web ready-check='test -e /a' sleep 10",
	  "service web ready-check='test -e /b' sleep 10" },
	{ "service web ready-check='test -e /a' sleep 10",
	  "service web ready-check='test -e' sleep 10" },
	{ "service web ready-check=true ready-interval=1s sleep 10",
	  "service web ready-check=true ready-interval=2s sleep 10" },
	{ "service web ready-timeout=10s sleep 10", "service web ready-timeout=20s sleep 10" },
	{ "sysinit web timeout=1s sleep 10", "sysinit web timeout=2s sleep 10" },
	{ "service web memory-max=1M sleep 10", "service web memory-max=2M sleep 10" },
	{ "service web pids-max=10 sleep 10", "service web pids-max=20 sleep 10" },
	{ "service web cpu-weight=10 sleep 10", "service web cpu-weight=20 sleep 10" },
	{ "service web sleep 10", "service web env-file=/a.env sleep 10" },
	{ "service web env-file=/a.env sleep 10", "service web env-file=/b.env sleep 10" },
	{ "service web env-file=/a.env sleep 10",
	  "service web env-file=/a.env env-file=/b.env sleep 10" },
	{ "service web env-file=/a.env env-file=/b.env sleep 10",
	  "service web env-file=/b.env env-file=/a.env sleep 10" },	/* the later wins */
};

static void
test_each_option_counts(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(changed) / sizeof(changed[0]); i++) {
		if (same(changed[i].a, changed[i].b) || same(changed[i].b, changed[i].a))
			fail_msg("same: '%s' and '%s'", changed[i].a, changed[i].b);
	}
}

/* Written differently, or on another line, it is the same entry. */
static void
test_same_entry_moved_or_respelled(void **state)
{
	(void)state;
	assert_true(same("service web sleep 10", "service web sleep 10"));
	assert_true(same("service web user=nobody env=A=1 after=db sleep 10",
	    "service web after=db env=A=1 user=nobody sleep 10"));
	assert_true(same("service web restart-delay=1s sleep 10",
	    "service web restart-delay=1000ms sleep 10"));
	assert_true(same("service web ready-check='test -e /a' sleep 10",
	    "service web ready-check=\"test -e /a\" sleep 10"));
	assert_true(same("service web stop-signal=TERM sleep 10",
	    "service web stop-signal=SIGTERM sleep 10"));
}

/*
 * failure-action= is what the system does when the entry fails, not how
 * its process runs: a reload that changes only it keeps the process (the
 * kept service takes the new entry: test_failact's reload test).
 */
static void
test_failure_action_keeps_the_process(void **state)
{
	(void)state;
	assert_true(same("service web sleep 10", "service web failure-action=poweroff sleep 10"));
	assert_true(same("service web failure-action=halt sleep 10",
	    "service web failure-action=reboot sleep 10"));
}

/*
 * Every option conf.c knows is in one of the tests above: one added to
 * the parser must be added here too, where it counts or why it does not.
 */
static void
test_every_option_is_covered(void **state)
{
	static const char *const covered[] = {
		"restart=", "restart-delay=", "backoff-max=", "restart-limit=",
		"stop-signal=", "stop-timeout=", "timeout=", "user=", "group=",
		"cwd=", "env=", "umask=", "tty=", "stdout=", "stderr=", "after=",
		"needs=", "ready=", "ready-check=", "ready-interval=", "ready-timeout=",
		"memory-max=", "pids-max=", "cpu-weight=", "env-file=", "failure-action=",
	};
	size_t i, j;

	(void)state;
	assert_int_equal(sizeof(covered) / sizeof(covered[0]), CONF_O_FAILACT + 1);
	for (i = 0; i < sizeof(covered) / sizeof(covered[0]); i++) {
		bool found = strcmp(covered[i], "failure-action=") == 0;

		for (j = 0; j < sizeof(changed) / sizeof(changed[0]) && !found; j++)
			found = strstr(changed[j].a, covered[i]) || strstr(changed[j].b, covered[i]);
		if (!found)
			fail_msg("no pair in changed[] for %s", covered[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_option_counts),
		cmocka_unit_test(test_same_entry_moved_or_respelled),
		cmocka_unit_test(test_failure_action_keeps_the_process),
		cmocka_unit_test(test_every_option_is_covered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
