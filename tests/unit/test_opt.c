/* Unit tests: the command line and environment parser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <signal.h>
#include <cmocka.h>

#include "log.h"
#include "opt.h"

static struct opts o;
static char err[160];

/* Parse a NULL-terminated argument list with the given environment. */
static int
parse_env(char **env, char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return opt_parse(&o, argc, argv, env, err, sizeof(err));
}

#define ARGS(...) ((char *[]){ "reaper", __VA_ARGS__, NULL })
#define parse(...) parse_env(NULL, ARGS(__VA_ARGS__))

static void
test_defaults(void **state)
{
	int s;

	(void)state;
	assert_int_equal(parse("true"), OPT_RUN);
	assert_string_equal(o.cmd[0], "true");
	assert_null(o.cmd[1]);
	assert_false(o.subreaper || o.group || o.all || o.pause || o.check);
	assert_false(o.warn_orphans);
	assert_int_equal(o.verbosity, LV_WARN);
	assert_int_equal(o.grace_ms, 3000);
	assert_int_equal(o.pdeathsig, 0);
	assert_null(o.conf);
	for (s = 1; s <= SIG_COUNT; s++) {
		assert_int_equal(o.rewrite[s], -1);
		assert_int_equal(o.delay_ms[s], 0);
	}
}

static void
test_no_permutation(void **state)
{
	(void)state;
	/* "ls -l": -l belongs to ls, not to reaper. */
	assert_int_equal(parse("ls", "-l"), OPT_RUN);
	assert_string_equal(o.cmd[0], "ls");
	assert_string_equal(o.cmd[1], "-l");
	assert_int_equal(parse("-g", "--", "sh", "-c", "x"), OPT_RUN);
	assert_true(o.group);
	assert_string_equal(o.cmd[0], "sh");
	assert_string_equal(o.cmd[1], "-c");
	/* "--" ends options even before words that look like options. */
	assert_int_equal(parse("--", "-v"), OPT_RUN);
	assert_string_equal(o.cmd[0], "-v");
	assert_int_equal(o.verbosity, LV_WARN);
	/* "-" alone is a command word. */
	assert_int_equal(parse("-", "x"), OPT_RUN);
	assert_string_equal(o.cmd[0], "-");
}

static void
test_flags(void **state)
{
	(void)state;
	assert_int_equal(parse("-s", "-g", "-a", "-w", "x"), OPT_RUN);
	assert_true(o.subreaper && o.group && o.all && o.warn_orphans);
	assert_int_equal(parse("-sgaw", "x"), OPT_RUN);
	assert_true(o.subreaper && o.group && o.all && o.warn_orphans);
	assert_int_equal(parse("-vv", "-v", "x"), OPT_RUN);
	assert_int_equal(o.verbosity, LV_WARN + 3);
	assert_int_equal(parse("-P"), OPT_RUN);
	assert_true(o.pause);
	assert_null(o.cmd);
	assert_int_equal(parse("x"), OPT_RUN);
	assert_false(o.pause);
}

static void
test_help_version(void **state)
{
	(void)state;
	assert_int_equal(parse("-h"), OPT_HELP);
	assert_int_equal(parse("--help"), OPT_HELP);
	assert_int_equal(parse("-V"), OPT_VERSION);
	assert_int_equal(parse("--version"), OPT_VERSION);
	assert_int_equal(parse("-vh"), OPT_HELP);
	/* After the command, --help is the command's. */
	assert_int_equal(parse("x", "--help"), OPT_RUN);
}

static void
test_values(void **state)
{
	(void)state;
	assert_int_equal(parse("-t", "500ms", "x"), OPT_RUN);
	assert_int_equal(o.grace_ms, 500);
	assert_int_equal(parse("-t2m", "x"), OPT_RUN);
	assert_int_equal(o.grace_ms, 120000);
	assert_int_equal(parse("-t", "0", "x"), OPT_RUN);
	assert_int_equal(o.grace_ms, 0);
	assert_int_equal(parse("-p", "SIGKILL", "x"), OPT_RUN);
	assert_int_equal(o.pdeathsig, 9);
	assert_int_equal(parse("-pusr1", "x"), OPT_RUN);
	assert_int_equal(o.pdeathsig, 10);
	assert_int_equal(parse("-f", "/etc/r.conf", "-n"), OPT_RUN);
	assert_string_equal(o.conf, "/etc/r.conf");
	assert_true(o.check);
	assert_null(o.cmd);
	/* A value may look like an option. */
	assert_int_equal(parse("-f", "-x"), OPT_RUN);
	assert_string_equal(o.conf, "-x");
}

static void
test_expect(void **state)
{
	int c;

	(void)state;
	assert_int_equal(parse("-e", "1", "-e", "143", "-e255", "x"), OPT_RUN);
	assert_int_equal(opt_status(&o, 1), 0);
	assert_int_equal(opt_status(&o, 143), 0);
	assert_int_equal(opt_status(&o, 255), 0);
	for (c = 0; c < 255; c++)
		if (c != 1 && c != 143)
			assert_int_equal(opt_status(&o, c), c);
	assert_int_equal(parse("x"), OPT_RUN);
	for (c = 0; c < 256; c++)
		assert_int_equal(opt_status(&o, c), c);
}

static void
test_rewrite(void **state)
{
	(void)state;
	assert_int_equal(parse("-r", "USR1:USR2", "-r", "TERM:0",
	    "-r", "RTMIN:15", "x"), OPT_RUN);
	assert_int_equal(o.rewrite[10], 12);
	assert_int_equal(o.rewrite[15], 0);
	assert_int_equal(o.rewrite[SIGRTMIN], 15);
	assert_int_equal(o.rewrite[2], -1);
	/* The target may be anything, KILL and STOP included. */
	assert_int_equal(parse("-r", "TSTP:STOP", "x"), OPT_RUN);
	assert_int_equal(o.rewrite[20], 19);
}

static void
test_delay(void **state)
{
	(void)state;
	assert_int_equal(parse("-D", "TERM:2s", "-DUSR2:15ms", "x"), OPT_RUN);
	assert_int_equal(o.delay_ms[15], 2000);
	assert_int_equal(o.delay_ms[12], 15);
	assert_int_equal(o.delay_ms[10], 0);
}

static void
usage(char **argv, const char *why)
{
	assert_int_equal(parse_env(NULL, argv), OPT_USAGE);
	assert_non_null(strstr(err, why));
	assert_null(strchr(err, '\n'));
}

static void
test_usage_errors(void **state)
{
	(void)state;
	usage(ARGS("-x", "cmd"), "unknown option -x");
	usage(ARGS("--frobnicate", "cmd"), "unknown option --frobnicate");
	usage(ARGS("-t"), "option -t needs a value");
	usage(ARGS("-t", "soon", "x"), "-t: bad duration 'soon'");
	usage(ARGS("-t", "-1", "x"), "-t: bad duration");
	usage(ARGS("-e", "256", "x"), "-e wants an exit code 0-255");
	usage(ARGS("-e", "x1", "x"), "-e wants an exit code 0-255");
	usage(ARGS("-p", "NOPE", "x"), "-p: unknown signal 'NOPE'");
	usage(ARGS("-p", "65", "x"), "-p: unknown signal");
	usage(ARGS("-r", "USR1", "x"), "-r wants FROM:TO");
	usage(ARGS("-r", "CHLD:TERM", "x"), "not a signal reaper forwards");
	usage(ARGS("-r", "KILL:TERM", "x"), "not a signal reaper forwards");
	usage(ARGS("-r", "USR1:WHAT", "x"), "-r: unknown signal 'WHAT'");
	usage(ARGS("-D", "TERM", "x"), "-D wants SIG:DURATION");
	usage(ARGS("-D", "STOP:1s", "x"), "not a signal reaper forwards");
	usage(ARGS("-D", "TERM:1y", "x"), "-D: bad duration '1y'");
	usage(ARGS("-P", "sleep", "1"), "-P runs no command");
	usage(ARGS("-n"), "-n needs -f FILE");
	usage(ARGS("-r", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:1", "x"), "-r wants FROM:TO");
}

static void
test_environment(void **state)
{
	char *tini[] = { "TINI_SUBREAPER=", "TINI_KILL_PROCESS_GROUP=1",
	    "TINI_VERBOSITY=3", NULL };
	char *both[] = { "REAPER_VERBOSITY=0", "TINI_VERBOSITY=3", NULL };
	char *ours[] = { "REAPER_SUBREAPER=yes", "REAPER_KILL_PROCESS_GROUP=1",
	    "PATH=/bin", NULL };
	char *bad[] = { "REAPER_VERBOSITY=loud", NULL };
	char *tini1[] = { "TINI_VERBOSITY=1", NULL };
	char *near[] = { "TINI_SUBREAPERX=1", "XTINI_KILL_PROCESS_GROUP=1", NULL };

	(void)state;
	assert_int_equal(parse_env(tini, ARGS("x")), OPT_RUN);
	assert_true(o.subreaper);
	assert_true(o.group);
	assert_int_equal(o.verbosity, LV_INFO);	/* tini's 3 is info */
	/* REAPER_ wins over TINI_, and -v adds to either. */
	assert_int_equal(parse_env(both, ARGS("-v", "x")), OPT_RUN);
	assert_int_equal(o.verbosity, 1);
	assert_int_equal(parse_env(ours, ARGS("x")), OPT_RUN);
	assert_true(o.subreaper && o.group);
	assert_int_equal(parse_env(bad, ARGS("x")), OPT_USAGE);
	assert_non_null(strstr(err, "REAPER_VERBOSITY"));
	assert_int_equal(parse_env(tini1, ARGS("x")), OPT_RUN);
	assert_int_equal(o.verbosity, LV_ERR);	/* tini's default: errors only */
	assert_int_equal(parse_env(near, ARGS("x")), OPT_RUN);
	assert_false(o.subreaper || o.group);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_no_permutation),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_help_version),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_expect),
		cmocka_unit_test(test_rewrite),
		cmocka_unit_test(test_delay),
		cmocka_unit_test(test_usage_errors),
		cmocka_unit_test(test_environment),
	};

	return cmocka_run_group_tests_name("opt", tests, NULL, NULL);
}
