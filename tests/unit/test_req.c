/* Unit tests: reaperctl request lines into verbs and words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "req.h"

static struct req q;
static char line[CTL_REQ_MAX];

static enum req_verb
parse(const char *s)
{
	(void)strcpy(line, s);
	req_parse(line, &q);
	return q.verb;
}

static void
test_reading(void **state)
{
	(void)state;
	assert_int_equal(parse("status"), REQ_STATUS);
	assert_null(q.name);
	assert_false(q.json);
	assert_int_equal(parse(" \tstatus  web\r"), REQ_STATUS);
	assert_string_equal(q.name, "web");
	assert_int_equal(parse("status --json"), REQ_STATUS);
	assert_null(q.name);
	assert_true(q.json);
	assert_int_equal(parse("events --json"), REQ_EVENTS);
	assert_true(q.json);
	assert_int_equal(parse("tree"), REQ_TREE);
	assert_false(req_changes(REQ_STATUS) || req_changes(REQ_TREE));
}

/* Reading requests with words they do not take are not requests at all. */
static void
test_unknown(void **state)
{
	(void)state;
	assert_int_equal(parse("status a b"), REQ_UNKNOWN);
	assert_string_equal(q.word, "status");
	assert_int_equal(parse("events web"), REQ_UNKNOWN);
	assert_int_equal(parse("tree --json"), REQ_UNKNOWN);
	assert_false(q.json);
	assert_int_equal(parse("frobnicate"), REQ_UNKNOWN);
	assert_string_equal(q.word, "frobnicate");
	assert_int_equal(parse("Status"), REQ_UNKNOWN);
}

static void
test_usage(void **state)
{
	(void)state;
	assert_int_equal(parse(""), REQ_USAGE);
	assert_null(q.word);
	assert_int_equal(parse(" \t\r "), REQ_USAGE);
	assert_int_equal(parse("a b c d e"), REQ_USAGE);
	assert_int_equal(parse("stop a b c"), REQ_STOP);
	assert_true(q.bad_args);
	assert_int_equal(q.bad, RB_NAME);
	assert_int_equal(parse("reload now"), REQ_RELOAD);
	assert_int_equal(q.bad, RB_NOTHING);
}

static void
test_changing(void **state)
{
	(void)state;
	assert_int_equal(parse("stop web"), REQ_STOP);
	assert_string_equal(q.name, "web");
	assert_false(q.bad_args);
	assert_true(req_changes(q.verb) && req_named(q.verb));
	assert_int_equal(parse("restart"), REQ_RESTART);
	assert_true(q.bad_args);
	assert_null(q.name);
	assert_int_equal(parse("reload"), REQ_RELOAD);
	assert_false(q.bad_args);
	assert_false(req_named(q.verb));
	assert_int_equal(parse("poweroff now"), REQ_POWEROFF);
	assert_true(q.bad_args);
	assert_int_equal(parse("reboot"), REQ_REBOOT);
	assert_int_equal(parse("halt"), REQ_HALT);
	assert_true(req_changes(REQ_HALT));
	assert_int_equal(parse("start --json"), REQ_START);
	assert_false(q.json);
	assert_string_equal(q.name, "--json");
}

/* wait [--timeout DURATION] NAME...: anyone may ask it, with up to 16 names. */
static void
test_wait(void **state)
{
	(void)state;
	assert_int_equal(parse("wait db"), REQ_WAIT);
	assert_false(q.bad_args);
	assert_false(req_changes(REQ_WAIT) || req_named(REQ_WAIT));
	assert_int_equal(q.nnames, 1);
	assert_string_equal(q.names[0], "db");
	assert_int_equal(q.timeout_ms, -1);
	assert_int_equal(parse("wait --timeout 90s db web"), REQ_WAIT);
	assert_false(q.bad_args);
	assert_int_equal(q.timeout_ms, 90000);
	assert_int_equal(q.nnames, 2);
	assert_string_equal(q.names[0], "db");
	assert_string_equal(q.names[1], "web");
	assert_int_equal(parse("wait --timeout 250ms a"), REQ_WAIT);
	assert_int_equal(q.timeout_ms, 250);
	assert_int_equal(parse("wait --timeout 0 a"), REQ_WAIT);
	assert_false(q.bad_args);
	assert_int_equal(q.timeout_ms, 0);
	assert_int_equal(parse("wait --json"), REQ_WAIT);	/* a name, like start's */
	assert_false(q.json);
	assert_string_equal(q.names[0], "--json");
}

/* A wait with no name, a bad duration or too many names says which. */
static void
test_wait_bad(void **state)
{
	static const char *const bad_duration[] = {
		"wait --timeout", "wait --timeout 5x db", "wait --timeout -1 db",
		"wait --timeout 1.5s db", "wait --timeout 8d db", "wait --timeout 99999999h db",
	};
	size_t i;

	(void)state;
	assert_int_equal(parse("wait"), REQ_WAIT);
	assert_true(q.bad_args);
	assert_int_equal(q.bad, RB_NAME);
	assert_int_equal(parse("wait --timeout 5s"), REQ_WAIT);
	assert_true(q.bad_args);
	assert_int_equal(q.bad, RB_NAME);
	for (i = 0; i < sizeof(bad_duration) / sizeof(bad_duration[0]); i++) {
		assert_int_equal(parse(bad_duration[i]), REQ_WAIT);
		assert_true(q.bad_args);
		assert_int_equal(q.bad, RB_DURATION);
		assert_int_equal(q.timeout_ms, -1);
		assert_int_equal(q.nnames, 0);
	}
	assert_int_equal(parse("wait --timeout"), REQ_WAIT);
	assert_null(q.badword);
	assert_int_equal(parse("wait --timeout 5x db"), REQ_WAIT);
	assert_string_equal(q.badword, "5x");
}

/* events --follow or -f, with --json or not, in any order; each option once. */
static void
test_events_follow(void **state)
{
	(void)state;
	assert_int_equal(parse("events"), REQ_EVENTS);
	assert_false(q.follow || q.json);
	assert_int_equal(parse("events --follow"), REQ_EVENTS);
	assert_true(q.follow);
	assert_false(q.json);
	assert_int_equal(parse("events -f --json"), REQ_EVENTS);
	assert_true(q.follow && q.json);
	assert_int_equal(parse("events --json --follow"), REQ_EVENTS);
	assert_true(q.follow && q.json);
	assert_int_equal(parse("events -f -f"), REQ_UNKNOWN);
	assert_false(q.follow);
	assert_int_equal(parse("events --json --json"), REQ_UNKNOWN);
	assert_false(q.json);
	assert_int_equal(parse("events --follow web"), REQ_UNKNOWN);
	assert_int_equal(parse("events -F"), REQ_UNKNOWN);
	assert_int_equal(parse("status --follow"), REQ_STATUS);	/* a NAME, as ever */
	assert_false(q.follow);
	assert_int_equal(parse("events -f --json -f"), REQ_UNKNOWN);
}

/* 16 names are a wait; 17, or very many more, are too many, never usage. */
static void
test_wait_names_max(void **state)
{
	char many[CTL_REQ_MAX] = "wait --timeout 1m";
	int i;

	(void)state;
	for (i = 0; i < CTL_WAIT_NAMES_MAX; i++)
		(void)snprintf(many + strlen(many), sizeof(many) - strlen(many), " n%d", i);
	assert_int_equal(parse(many), REQ_WAIT);
	assert_false(q.bad_args);
	assert_int_equal(q.nnames, CTL_WAIT_NAMES_MAX);
	assert_string_equal(q.names[CTL_WAIT_NAMES_MAX - 1], "n15");
	(void)strcat(many, " n16");
	assert_int_equal(parse(many), REQ_WAIT);
	assert_true(q.bad_args);
	assert_int_equal(q.bad, RB_NAMES);
	assert_int_equal(q.nnames, 0);
	for (i = 17; i < 40; i++)
		(void)snprintf(many + strlen(many), sizeof(many) - strlen(many), " n%d", i);
	assert_int_equal(parse(many), REQ_WAIT);
	assert_int_equal(q.bad, RB_NAMES);
	assert_int_equal(parse("status a b c d e f"), REQ_USAGE);	/* as before */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reading),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_changing),
		cmocka_unit_test(test_wait),
		cmocka_unit_test(test_wait_bad),
		cmocka_unit_test(test_wait_names_max),
		cmocka_unit_test(test_events_follow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
