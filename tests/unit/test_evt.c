/* Unit tests: the event ring and the answer buffer of reaperctl. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "buf.h"
#include "evt.h"

static void
test_ring_keeps_the_last(void **state)
{
	int i;

	(void)state;
	assert_int_equal(evt_count(), 0);
	evt_add(5, EVT_SPAWN, "web", 10, 0);
	assert_int_equal(evt_count(), 1);
	assert_string_equal(evt_get(0)->name, "web");
	for (i = 0; i < EVT_MAX + 10; i++)
		evt_add(100 + i, EVT_ORPHAN, "sleep", 1000 + i, 0);
	assert_int_equal(evt_count(), EVT_MAX);
	/* Oldest first, the first eleven gone. */
	assert_int_equal(evt_get(0)->pid, 1000 + 10);
	assert_int_equal(evt_get(EVT_MAX - 1)->pid, 1000 + EVT_MAX + 9);
	assert_int_equal(evt_get(EVT_MAX - 1)->t, 100 + EVT_MAX + 9);
	assert_string_equal(evt_kind_name(EVT_ORPHAN), "orphan-reaped");
	assert_string_equal(evt_kind_name(EVT_GAVEUP), "gave-up");
}

static void
test_long_names_are_cut_safely(void **state)
{
	char name[100];

	(void)state;
	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	evt_add(1, EVT_EXIT, name, 1, 0);
	assert_int_equal(strlen(evt_get(evt_count() - 1)->name), CONF_NAME_MAX);
	evt_add(1, EVT_RELOAD, NULL, 0, 3);
	assert_string_equal(evt_get(evt_count() - 1)->name, "");
}

static void
test_buf_cuts_and_says_so(void **state)
{
	char mem[64];
	struct buf b;
	int i;

	(void)state;
	buf_init(&b, mem, sizeof(mem));
	buf_add(&b, "%s %d\n", "ok", 7);
	assert_string_equal(mem, "ok 7\n");
	for (i = 0; i < 20; i++)
		buf_add(&b, "0123456789");
	assert_true(b.cut);
	assert_true(b.len < sizeof(mem));
	assert_non_null(strstr(mem, "(cut: answer too long)"));
	assert_int_equal(strlen(mem), b.len);
	buf_add(&b, "more");	/* nothing after the mark */
	assert_null(strstr(mem, "more"));
}

static void
test_buf_json_escapes(void **state)
{
	char mem[128];
	struct buf b;

	(void)state;
	buf_init(&b, mem, sizeof(mem));
	buf_json(&b, "a\"b\\c\n\x01\xe9");
	assert_string_equal(mem, "\"a\\\"b\\\\c\\u000a\\u0001\\u00e9\"");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_keeps_the_last),
		cmocka_unit_test(test_long_names_are_cut_safely),
		cmocka_unit_test(test_buf_cuts_and_says_so),
		cmocka_unit_test(test_buf_json_escapes),
	};

	return cmocka_run_group_tests_name("evt", tests, NULL, NULL);
}
