/* Unit tests: the small formatter, against the host's snprintf on the formats reaper uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "fmt.h"

/* The cut cases truncate on purpose, and "" is a format reaper passes too. */
#pragma GCC diagnostic ignored "-Wformat-truncation"
#pragma GCC diagnostic ignored "-Wformat-zero-length"

/* Both formatters into len bytes: same text, same return value. */
#define SAME(len, ...) do {						\
	char want_[128], got_[128];					\
	int w_, g_;							\
									\
	memset(want_, 'X', sizeof(want_));				\
	memset(got_, 'X', sizeof(got_));				\
	w_ = snprintf(want_, (len), __VA_ARGS__);			\
	g_ = fmt_print(got_, (len), __VA_ARGS__);			\
	assert_int_equal(g_, w_);					\
	assert_memory_equal(got_, want_, sizeof(got_));			\
} while (0)

static void
test_conversions(void **state)
{
	(void)state;
	SAME(128, "plain text");
	SAME(128, "");
	SAME(128, "%s and %s", "one", "");
	SAME(128, "%d %d %d %d", 0, -1, 2147483647, -2147483647 - 1);
	SAME(128, "%u %lu %ld", 4294967295u, 18446744073709551615ul, -9223372036854775807l - 1);
	SAME(128, "%lld %llu", -9223372036854775807ll - 1, 18446744073709551615ull);
	SAME(128, "%x %c%c %%", 0xbeefu, 'a', '?');
	SAME(128, "\\u%04x \\u%04x", 0x1fu, 0x7fu);
	SAME(128, "[%-16s][%-8s][%7s][%8s]", "web", "service", "PID", "RESTARTS");
	SAME(128, "[%7d][%8lld][%8d][%-7d]", 42, -3ll, 0, 1234567);
	SAME(128, "[%-13s][%9s]", "orphan-reaped", "12.345");
	SAME(128, "[%*s][%*spid]", 4, "", 1, "");
	SAME(128, "[%*s]", -3, "x");
	SAME(128, "[%.*s][%.40s]", 3, "abcdef", "short");
	SAME(128, "[%.*s]", 0, "abc");
	SAME(128, "[%05d][%-5d][%08x]", -42, 7, 0xabcu);
	SAME(128, "[mode %04o][%o]", 0664u, 0u);	/* file modes */
	SAME(128, "[%3s]", "longer than three");
}

static void
test_cut_reports_the_whole_length(void **state)
{
	(void)state;
	SAME(1, "abc");
	SAME(4, "abc");
	SAME(3, "abc");
	SAME(5, "%s=%d", "key", 12345);
	SAME(10, "%-16s|", "web");
	SAME(10, "%8lld", 123456789012ll);
	SAME(6, "%*s.", 20, "");
	/* A zero length writes nothing at all, and still counts. */
	{
		char c = 'X';

		assert_int_equal(fmt_print(&c, 0, "%s", "abc"), 3);
		assert_int_equal(c, 'X');
	}
}

/* fmt_vprint, the va_list entry point log.c, buf.c and conf.c call, through
 * fmt_print, its one wrapper. */
static void
test_vprint(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(fmt_print(out, sizeof(out), "%s: %d", "web", -7), 7);
	assert_string_equal(out, "web: -7");
	assert_int_equal(fmt_print(out, 4, "%s", "abcdef"), 6);
	assert_string_equal(out, "abc");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_conversions),
		cmocka_unit_test(test_cut_reports_the_whole_length),
		cmocka_unit_test(test_vprint),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
