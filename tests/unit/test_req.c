/* Unit tests: reaperctl request lines into verbs and words. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "req.h"

static struct req q;
static char line[256];

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reading),
		cmocka_unit_test(test_unknown),
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_changing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
