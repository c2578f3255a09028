/* Unit tests: include's name matcher, against the host libc's fnmatch(FNM_PERIOD) as the oracle. */
#include <fnmatch.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "match.h"

static const char *const globs[] = {
	"*", "*.conf", "?", "??", "a*", "*a", "a*b", "a*b*c", "*.*", ".*", "\\.*", "x.conf",
	"[ab]*", "[!ab]*", "[^ab]*", "[a-c]?", "[]a]", "[!]a]", "[a-]", "[-a]", "[z-a]x",
	"[", "a[", "[ab", "\\*", "a\\?b", "\\[a]", "[\\]]", "*[0-9].conf", "1*-*.conf",
	"**", "*?", "?*", "*x*x*", "", "[.]*", "?conf", "a\\", "[a\\-c]",
	"[]-z]", "[!]-z]", "[^]-z]", "[]-a]x", "[]-]", "[!]-]",
};

static const char *const names[] = {
	"a", "b", "c", "ab", "ba", "abc", "aXbYc", "acb", "x.conf", "10-web.conf",
	"1.conf", ".hidden", ".", "..", "*", "a?b", "axb", "[a]", "]", "-", "a-",
	"conf", "xconf", "zx", "a[", "xx", "xax", "xxx", "a\\", "", "[ab",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaab", "web.conf~", "a.b.c", "^", "_", "z", "{",
};

/* Every glob against every name: the same answer as fnmatch with FNM_PERIOD. */
static void
test_same_as_fnmatch(void **state)
{
	size_t i, j;
	int bad = 0;

	(void)state;
	for (i = 0; i < sizeof(globs) / sizeof(globs[0]); i++)
		for (j = 0; j < sizeof(names) / sizeof(names[0]); j++) {
			int want = fnmatch(globs[i], names[j], FNM_PERIOD) == 0;

			if (match_name(globs[i], names[j]) != want) {
				printf("glob '%s' name '%s': want %d\n", globs[i], names[j], want);
				bad++;
			}
		}
	assert_int_equal(bad, 0);
}

/* What include relies on, said plainly. */
static void
test_include_cases(void **state)
{
	(void)state;
	assert_true(match_name("*.conf", "web.conf"));
	assert_false(match_name("*.conf", "web.conf~"));
	assert_false(match_name("*.conf", ".web.conf"));	/* hidden: only by a written '.' */
	assert_true(match_name(".*.conf", ".web.conf"));
	assert_true(match_name("[0-9]*", "10-db.conf"));
	assert_false(match_name("[!0-9]*", "10-db.conf"));
	assert_true(match_name("a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab"));
	assert_false(match_name("a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_fnmatch),
		cmocka_unit_test(test_include_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
