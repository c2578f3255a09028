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
	assert_string_equal(evt_kind_name(EVT_FAILACT), "failure-action");
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

/* An orphan's entry: "from NAME" after its name in text, "from" in JSON, null when unknown. */
static void
test_from_in_text_and_json(void **state)
{
	char mem[CTL_EVT_LINE_MAX];
	struct buf b;

	(void)state;
	evt_add_from(1000, EVT_ORPHAN, "sleep", 86, 0, "orphan-maker");
	assert_string_equal(evt_get(evt_count() - 1)->from, "orphan-maker");
	buf_init(&b, mem, sizeof(mem));
	evt_format(&b, evt_get(evt_count() - 1), 1250, false);
	assert_string_equal(mem, "    0.250 s ago  orphan-reaped sleep from orphan-maker pid 86      0\n");
	buf_reset(&b);
	evt_format(&b, evt_get(evt_count() - 1), 1250, true);
	assert_string_equal(mem, "{\"t_ms\":1000,\"kind\":\"orphan-reaped\",\"name\":\"sleep\","
	    "\"from\":\"orphan-maker\",\"pid\":86,\"value\":0}");
	evt_add(2000, EVT_ORPHAN, "sleep", 87, 137);
	assert_string_equal(evt_get(evt_count() - 1)->from, "");
	buf_reset(&b);
	evt_format(&b, evt_get(evt_count() - 1), 2000, false);
	assert_string_equal(mem, "    0.000 s ago  orphan-reaped sleep            pid 87      137\n");
	buf_reset(&b);
	evt_format(&b, evt_get(evt_count() - 1), 2000, true);
	assert_non_null(strstr(mem, "\"from\":null,"));
	/* A name that could forge a line is shown with '?', escaped in JSON. */
	evt_add_from(3000, EVT_ORPHAN, "x", 88, 0, "a\nb");
	buf_reset(&b);
	evt_format(&b, evt_get(evt_count() - 1), 3000, false);
	assert_non_null(strstr(mem, "x from a?b "));
	buf_reset(&b);
	evt_format(&b, evt_get(evt_count() - 1), 3000, true);
	assert_non_null(strstr(mem, "\"from\":\"a\\u000ab\""));
	evt_add_from(3000, EVT_ORPHAN, "x", 88, 0, NULL);
	assert_string_equal(evt_get(evt_count() - 1)->from, "");
}

static int heard;
static const struct evt *heard_last;

static void
hear(void *ctx, const struct evt *e)
{
	(void)ctx;
	heard++;
	heard_last = e;
}

/* The listener is told of each event once it is kept, and no more once unset. */
static void
test_listener(void **state)
{
	(void)state;
	heard = 0;
	evt_listen(hear, NULL);
	evt_add(1, EVT_SPAWN, "web", 5, 0);
	assert_int_equal(heard, 1);
	assert_ptr_equal(heard_last, evt_get(evt_count() - 1));
	evt_add_from(2, EVT_ORPHAN, "sleep", 6, 0, "web");
	assert_int_equal(heard, 2);
	assert_string_equal(heard_last->from, "web");
	evt_listen(NULL, NULL);
	evt_add(3, EVT_SPAWN, "web", 7, 0);
	assert_int_equal(heard, 2);
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
		cmocka_unit_test(test_from_in_text_and_json),
		cmocka_unit_test(test_listener),
		cmocka_unit_test(test_buf_cuts_and_says_so),
		cmocka_unit_test(test_buf_json_escapes),
	};

	return cmocka_run_group_tests_name("evt", tests, NULL, NULL);
}
