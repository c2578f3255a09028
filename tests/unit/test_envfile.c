/* Unit tests: env-file= lines as Docker's --env-file reads them (envfile_parse, pure). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "envfile.h"

static char *const env[] = { "HOME=/root", "EMPTY=", "PATH=/bin", NULL };
static char text[4096];
static const char *vars[CONF_ENVFILE_VARS];
static int nvars, line;
static const char *why;

/* Parse a copy of t (len bytes, NULs and all); 0 or -1. */
static int
parse_n(const char *t, size_t len)
{
	assert_true(len < sizeof(text));
	memcpy(text, t, len);
	text[len] = '\0';
	nvars = 0;
	line = 0;
	why = NULL;
	return envfile_parse(text, len, env, vars, &nvars, CONF_ENVFILE_VARS, &line, &why);
}

static int
parse(const char *t)
{
	return parse_n(t, strlen(t));
}

/* KEY=VALUE is taken verbatim: no quotes removed, no expansion, blanks after kept. */
static void
test_verbatim(void **state)
{
	(void)state;
	assert_int_equal(parse("A=1\nB='two words'\nC=\"q\"\nD=$HOME\nE=x=y\nF=\nG=tail  \n"), 0);
	assert_int_equal(nvars, 7);
	assert_string_equal(vars[0], "A=1");
	assert_string_equal(vars[1], "B='two words'");
	assert_string_equal(vars[2], "C=\"q\"");
	assert_string_equal(vars[3], "D=$HOME");
	assert_string_equal(vars[4], "E=x=y");
	assert_string_equal(vars[5], "F=");
	assert_string_equal(vars[6], "G=tail  ");
}

/* Blank lines, comments, blanks before the key, CRLF, a BOM, no final newline. */
static void
test_skipped_and_trimmed(void **state)
{
	(void)state;
	assert_int_equal(parse("\n   \n# c\n  \t# indented comment\n\t A=1\nB=2 # not a comment\r\n"
	    "#\nC=3"), 0);
	assert_int_equal(nvars, 3);
	assert_string_equal(vars[0], "A=1");
	assert_string_equal(vars[1], "B=2 # not a comment");
	assert_string_equal(vars[2], "C=3");
	assert_int_equal(parse("\xef\xbb\xbfK=v\n"), 0);
	assert_int_equal(nvars, 1);
	assert_string_equal(vars[0], "K=v");
	assert_int_equal(parse(""), 0);
	assert_int_equal(nvars, 0);
}

/* A bare KEY passes reaper's own value, the very string of its environment; unset: skipped. */
static void
test_bare_key(void **state)
{
	(void)state;
	assert_int_equal(parse("HOME\nNOPE\nEMPTY\n  PATH\nHOM\n"), 0);
	assert_int_equal(nvars, 3);
	assert_ptr_equal(vars[0], env[0]);
	assert_ptr_equal(vars[1], env[1]);
	assert_ptr_equal(vars[2], env[2]);
}

/* A bad line fails the whole file, with its line number. */
static void
test_bad_lines(void **state)
{
	(void)state;
	assert_int_equal(parse("A=1\n\n=2\n"), -1);
	assert_int_equal(line, 3);
	assert_string_equal(why, "no variable name");
	assert_int_equal(parse("A B=1\n"), -1);
	assert_int_equal(line, 1);
	assert_string_equal(why, "blank in variable name");
	assert_int_equal(parse("ok=1\nA\t=1\n"), -1);
	assert_int_equal(line, 2);
	assert_string_equal(why, "blank in variable name");
	assert_int_equal(parse("export A=1\n"), -1);	/* not a shell script */
	assert_int_equal(parse("HOME \n"), -1);	/* a bare KEY too */
	assert_string_equal(why, "blank in variable name");
	assert_int_equal(parse_n("A=1\nB=\0x\nC=3\n", 12), -1);
	assert_int_equal(line, 2);
	assert_string_equal(why, "NUL byte");
}

/* At most max variables, counted across the files of one start. */
static void
test_too_many(void **state)
{
	static char src[4096];	/* parse cuts its copy into lines */
	size_t len = 0;
	int i;

	(void)state;
	for (i = 0; i < CONF_ENVFILE_VARS; i++)
		len += (size_t)snprintf(src + len, sizeof(src) - len, "V%d=%d\n", i, i);
	memcpy(src + len, "# a comment is no variable\nNOPE\n", 33);
	assert_int_equal(parse(src), 0);
	assert_int_equal(nvars, CONF_ENVFILE_VARS);
	strcat(src, "ONE=more\n");
	assert_int_equal(parse(src), -1);
	assert_int_equal(line, CONF_ENVFILE_VARS + 3);
	assert_string_equal(why, "too many variables (limit 64 in all)");
	/* What an earlier file brought counts. */
	memcpy(text, "A=1\nB=2\n", 9);
	nvars = CONF_ENVFILE_VARS - 1;
	assert_int_equal(envfile_parse(text, 8, env, vars, &nvars, CONF_ENVFILE_VARS, &line,
	    &why), -1);
	assert_int_equal(line, 2);
	assert_int_equal(nvars, CONF_ENVFILE_VARS);
	assert_string_equal(vars[CONF_ENVFILE_VARS - 1], "A=1");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_verbatim),
		cmocka_unit_test(test_skipped_and_trimmed),
		cmocka_unit_test(test_bare_key),
		cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_too_many),
	};

	return cmocka_run_group_tests_name("envfile", tests, NULL, NULL);
}
