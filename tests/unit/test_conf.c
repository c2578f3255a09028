/* Unit tests: the config parser, a table of good and bad inputs, and limits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <pthread.h>
#include <string.h>
#include <cmocka.h>

#include "conf.h"
#include "word.h"

static struct conf c;

static int
parse(const char *text)
{
	return conf_parse(&c, text, strlen(text));
}

/* One case: the text, how many entries survive, and the first error if any. */
static const struct {
	const char	*text;
	int		entries;
	int		errline;	/* 0: no error expected */
	const char	*msg;
} cases[] = {
	/* good */
	{ "", 0, 0, NULL },
	{ "\n\n   \n\t\n", 0, 0, NULL },
	{ "# only a comment\n", 0, 0, NULL },
	{ "service web /bin/httpd\n", 1, 0, NULL },
	{ "service web /bin/httpd", 1, 0, NULL },	/* no final newline */
	{ "service web -- /bin/httpd -f\n", 1, 0, NULL },
	{ "sysinit mnt mount -a\nonce hello echo hi\nshutdown bye sync\n", 3, 0, NULL },
	{ "service a x # trailing comment\n", 1, 0, NULL },
	{ "service a 'x y'\n", 1, 0, NULL },
	{ "service a \"x \\\"y\\\" \\\\z\"\n", 1, 0, NULL },
	{ "service a x \\\n  y \\\n  z\n", 1, 0, NULL },
	{ "service a\\\nb\n", 1, 0, NULL },	/* a continuation is a blank */
	{ "  service   a   x  \r\n", 1, 0, NULL },
	{ "service a restart=on-failure restart-delay=1s backoff-max=1m x\n", 1, 0, NULL },
	{ "service a restart-limit=5/10s x\n", 1, 0, NULL },
	{ "service a stop-signal=INT stop-timeout=500ms x\n", 1, 0, NULL },
	{ "service a user=nobody group=nogroup cwd=/tmp umask=027 x\n", 1, 0, NULL },
	{ "service a env=A=1 env=B= env=C=x=y x\n", 1, 0, NULL },
	{ "service a tty=/dev/tty1 stdout=null stderr=kmsg x\n", 1, 0, NULL },
	{ "service a stdout=/var/log/a.log x\n", 1, 0, NULL },
	{ "service a stdout=prefix stderr=prefix x\n", 1, 0, NULL },
	{ "sysinit a timeout=0 x\nshutdown b timeout=2s x\n", 2, 0, NULL },
	{ "once a stop-signal=HUP x\n", 1, 0, NULL },
	{ "service a -- restart=never\n", 1, 0, NULL },	/* after --: the command */
	{ "service a X=1 env\n", 1, 0, NULL },	/* upper-case key: the command */
	{ "service A.b_c-9 x\n", 1, 0, NULL },
	{ "service aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa x\n", 1, 0, NULL },	/* 31 */
	{ "set grace=1s shutdown-timeout=1m ctrlaltdel=poweroff\n", 0, 0, NULL },
	{ "set hostname=box control=/run/r.sock control-group=wheel\n", 0, 0, NULL },
	{ "set log=kmsg watchdog=/dev/watchdog watchdog-timeout=10s\n", 0, 0, NULL },
	{ "set grace=0\n", 0, 0, NULL },
	{ "set log=prefix\n", 0, 0, NULL },
	{ "service a env-file=/a env-file=/b env-file=c failure-action=reboot x\n", 1, 0, NULL },
	{ "sysinit a failure-action=halt x\nonce b failure-action=poweroff y\n"
	  "service c failure-action=none z\nshutdown d env-file=/e w\n", 4, 0, NULL },
	/* bad: each names its line */
	{ "bogus a x\n", 0, 1, "unknown kind 'bogus'" },
	{ "\n\nservice\n", 0, 3, "service entry without a name" },
	{ "service a\n", 0, 1, "a has no command" },
	{ "service a --\n", 0, 1, "a has no command" },
	{ "service a restart=never\n", 0, 1, "a has no command" },
	{ "service a x\nservice a y\n", 1, 2, "duplicate name 'a' (first on line 1)" },
	{ "service aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa x\n", 0, 1, "1 to 31 characters" },
	{ "service a/b x\n", 0, 1, "bad character in name 'a/b'" },
	{ "service '' x\n", 0, 1, "1 to 31 characters" },
	{ "service a foo=1 x\n", 0, 1, "unknown option 'foo'" },
	{ "service a restart=sometimes x\n", 0, 1, "bad value for restart=: 'sometimes'" },
	{ "service a restart-delay=0 x\n", 0, 1, "bad value for restart-delay=" },
	{ "service a restart-delay=fast x\n", 0, 1, "bad value for restart-delay=" },
	{ "service a backoff-max=1s restart-delay=2s x\n", 0, 1, "backoff-max is below" },
	{ "service a restart-limit=5 x\n", 0, 1, "bad value for restart-limit=" },
	{ "service a restart-limit=0/10s x\n", 0, 1, "bad value for restart-limit=" },
	{ "service a restart-limit=5/0 x\n", 0, 1, "bad value for restart-limit=" },
	{ "service a stop-signal=NOPE x\n", 0, 1, "bad value for stop-signal=: 'NOPE'" },
	{ "service a stop-timeout=5 stop-timeout=6 x\n", 0, 1, "stop-timeout= given twice" },
	{ "service a cwd=tmp x\n", 0, 1, "bad value for cwd=: 'tmp'" },
	{ "service a umask=8 x\n", 0, 1, "bad value for umask=" },
	{ "service a umask=1777 x\n", 0, 1, "bad value for umask=" },
	{ "service a umask= x\n", 0, 1, "bad value for umask=" },
	{ "service a x \\\r\n y\r\nservice b z\r\n", 2, 0, NULL },	/* CRLF */
	{ "service a env=NOEQUALS x\n", 0, 1, "bad value for env=" },
	{ "service a env==x x\n", 0, 1, "bad value for env=" },
	{ "service a stdout=file.log x\n", 0, 1, "bad value for stdout=" },
	{ "service a tty=tty1 x\n", 0, 1, "bad value for tty=" },
	{ "service a user= x\n", 0, 1, "bad value for user=" },
	{ "service a group=a:b x\n", 0, 1, "bad value for group=" },
	{ "sysinit a restart=never x\n", 0, 1, "restart= does not apply to sysinit" },
	{ "service a timeout=5s x\n", 0, 1, "timeout= does not apply to service" },
	{ "shutdown a stop-signal=INT x\n", 0, 1, "stop-signal= does not apply to shutdown" },
	{ "service a 'x\n", 0, 1, "unterminated quote" },
	{ "service a \"x\n", 0, 1, "unterminated quote" },
	{ "set\n", 0, 1, "set without KEY=VALUE" },
	{ "set grace\n", 0, 1, "set wants KEY=VALUE, not 'grace'" },
	{ "set color=blue\n", 0, 1, "unknown setting 'color'" },
	{ "set grace=soon\n", 0, 1, "bad value for grace: 'soon'" },
	{ "set shutdown-timeout=0\n", 0, 1, "bad value for shutdown-timeout" },
	{ "set ctrlaltdel=explode\n", 0, 1, "bad value for ctrlaltdel" },
	{ "set powerkey=suspend\n", 0, 1, "bad value for powerkey: 'suspend'" },
	{ "set powerkey=\n", 0, 1, "bad value for powerkey" },
	{ "set log=null\n", 0, 1, "bad value for log" },
	{ "set control=relative.sock\n", 0, 1, "bad value for control" },
	{ "set watchdog-timeout=1s\n", 0, 1, "bad value for watchdog-timeout" },
	{ "set watchdog-timeout=2h\n", 0, 1, "bad value for watchdog-timeout" },
	{ "set kmsg=log.txt\n", 0, 1, "bad value for kmsg: 'log.txt'" },
	{ "set hostname=\n", 0, 1, "bad value for hostname" },
	{ "shutdown a failure-action=poweroff x\n", 0, 1,
	  "failure-action= does not apply to shutdown entries" },
	{ "service a failure-action=explode x\n", 0, 1,
	  "bad value for failure-action=: 'explode'" },
	{ "once a failure-action=halt failure-action=halt x\n", 0, 1,
	  "failure-action= given twice" },
	{ "service a env-file= x\n", 0, 1, "bad value for env-file=: ''" },
	{ "service a env-file=/1 env-file=/2 env-file=/3 env-file=/4 env-file=/5 x\n", 0, 1,
	  "too many env-file= options (limit 4)" },
	/* errors do not hide the good lines around them */
	{ "service a x\nservice b bad=1 y\nservice c z\n", 2, 2, "unknown option 'bad'" },
	{ "service a 'open\nservice b y\n", 1, 1, "unterminated quote" },
	{ "service a x \\\n 'open\nservice b y\n", 1, 2, "unterminated quote" },
};

static void
test_table(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = parse(cases[i].text);

		print_message("case %zu: %s", i, cases[i].text);
		assert_int_equal(c.n, cases[i].entries);
		if (!cases[i].errline) {
			assert_int_equal(n, 0);
			continue;
		}
		assert_int_equal(n, 1);
		assert_int_equal(c.err[0].line, cases[i].errline);
		if (!strstr(c.err[0].msg, cases[i].msg))
			fail_msg("case %zu: got '%s', want '%s'", i, c.err[0].msg,
			    cases[i].msg);
	}
	assert_true(i >= 60);
}

static void
test_defaults(void **state)
{
	const struct conf_entry *e;

	(void)state;
	assert_int_equal(parse("service web /bin/httpd -f x\nsysinit s a\n"
	    "shutdown d b\nonce o c\n"), 0);
	e = &c.ent[0];
	assert_int_equal(e->kind, CK_SERVICE);
	assert_string_equal(e->name, "web");
	assert_int_equal(e->line, 1);
	assert_int_equal(e->argc, 3);
	assert_string_equal(e->argv[0], "/bin/httpd");
	assert_string_equal(e->argv[2], "x");
	assert_null(e->argv[3]);
	assert_int_equal(e->restart, CR_ALWAYS);
	assert_int_equal(e->restart_delay_ms, 200);
	assert_int_equal(e->backoff_max_ms, 30000);
	assert_int_equal(e->limit_n, 0);
	assert_int_equal(e->stop_signal, 15);
	assert_int_equal(e->stop_timeout_ms, 5000);
	assert_null(e->user);
	assert_int_equal(e->umask, -1);
	assert_int_equal(e->out_kind, CO_CONSOLE);
	assert_int_equal(e->nenvfile, 0);
	assert_int_equal(e->failure_action, CFA_NONE);
	assert_string_equal(conf_fa_name(CFA_NONE), "none");
	assert_int_equal(c.ent[1].timeout_ms, 60000);
	assert_int_equal(c.ent[2].timeout_ms, 10000);
	assert_int_equal(c.ent[3].kind, CK_ONCE);
	assert_int_equal(c.grace_ms, 3000);
	assert_int_equal(c.shutdown_timeout_ms, 30000);
	assert_int_equal(c.ctrlaltdel, CAD_REBOOT);
	assert_int_equal(c.powerkey, CPK_POWEROFF);
	assert_string_equal(c.control, "/run/reaper.sock");
	assert_null(c.control_group);
	assert_null(c.hostname);
	assert_int_equal(c.log, CO_CONSOLE);
	assert_int_equal(c.watchdog_timeout_ms, 30000);
	assert_string_equal(c.kmsg, "/dev/kmsg");
	assert_int_equal(conf_find(&c, "o"), 3);
	assert_int_equal(conf_find(&c, "nope"), -1);
	assert_string_equal(conf_kind_name(CK_SHUTDOWN), "shutdown");
}

static void
test_every_option(void **state)
{
	static const char rel[] = "once o env-file=o.env env-file=../x/p.env "
	    "failure-action=poweroff x\n";
	const struct conf_entry *e;

	(void)state;
	assert_int_equal(parse("service a restart=on-failure restart-delay=1s "
	    "backoff-max=1m restart-limit=5/10s stop-signal=INT "
	    "stop-timeout=500ms user=nobody group=65534 cwd=/tmp umask=027 "
	    "env=A=1 env=B=x=y tty=/dev/tty1 stdout=/var/log/a stderr=null "
	    "env-file=/etc/a.env env-file=rel.env failure-action=halt "
	    "-- /bin/x -y\n"), 0);
	e = &c.ent[0];
	assert_int_equal(e->restart, CR_ON_FAILURE);
	assert_int_equal(e->restart_delay_ms, 1000);
	assert_int_equal(e->backoff_max_ms, 60000);
	assert_int_equal(e->limit_n, 5);
	assert_int_equal(e->limit_ms, 10000);
	assert_int_equal(e->stop_signal, 2);
	assert_int_equal(e->stop_timeout_ms, 500);
	assert_string_equal(e->user, "nobody");
	assert_string_equal(e->group, "65534");
	assert_string_equal(e->cwd, "/tmp");
	assert_int_equal(e->umask, 027);
	assert_int_equal(e->nenv, 2);
	assert_string_equal(e->env[0], "A=1");
	assert_string_equal(e->env[1], "B=x=y");
	assert_string_equal(e->tty, "/dev/tty1");
	assert_int_equal(e->out_kind, CO_FILE);
	assert_string_equal(e->out_path, "/var/log/a");
	assert_int_equal(e->err_kind, CO_NULL);
	assert_string_equal(e->argv[0], "/bin/x");
	assert_string_equal(e->argv[1], "-y");
	assert_int_equal(e->nenvfile, 2);
	assert_string_equal(e->env_file[0], "/etc/a.env");
	assert_string_equal(e->env_file[1], "rel.env");	/* text from no file: as written */
	assert_int_equal(e->failure_action, CFA_HALT);
	assert_string_equal(conf_fa_name(e->failure_action), "halt");
	/* From a file: a relative env-file= is in the file's directory. */
	assert_int_equal(conf_parse_file(&c, "/etc/reaper.conf", rel, sizeof(rel) - 1), 0);
	assert_string_equal(c.ent[0].env_file[0], "/etc/o.env");
	assert_string_equal(c.ent[0].env_file[1], "/etc/../x/p.env");
	assert_int_equal(c.ent[0].failure_action, CFA_POWEROFF);
}

static void
test_set_keys(void **state)
{
	(void)state;
	assert_int_equal(parse("service a x\nset grace=1s shutdown-timeout=1m "
	    "ctrlaltdel=ignore hostname=box control=/run/r.sock "
	    "control-group=wheel log=kmsg watchdog=/dev/watchdog "
	    "watchdog-timeout=10s kmsg=/tmp/kmsg powerkey=halt\nset grace=2s\n"), 0);
	assert_int_equal(c.grace_ms, 2000);	/* the later one wins */
	assert_int_equal(c.shutdown_timeout_ms, 60000);
	assert_int_equal(c.ctrlaltdel, CAD_IGNORE);
	assert_string_equal(c.hostname, "box");
	assert_string_equal(c.control, "/run/r.sock");
	assert_string_equal(c.control_group, "wheel");
	assert_int_equal(c.log, CO_KMSG);
	assert_string_equal(c.watchdog, "/dev/watchdog");
	assert_int_equal(c.watchdog_timeout_ms, 10000);
	assert_string_equal(c.kmsg, "/tmp/kmsg");
	assert_int_equal(c.powerkey, CPK_HALT);
	assert_int_equal(parse("set powerkey=reboot\n"), 0);
	assert_int_equal(c.powerkey, CPK_REBOOT);
	assert_int_equal(parse("set powerkey=ignore\n"), 0);
	assert_int_equal(c.powerkey, CPK_IGNORE);
	assert_int_equal(parse("set powerkey=poweroff\n"), 0);
	assert_int_equal(c.powerkey, CPK_POWEROFF);
	/* log= is the default for entries that did not choose, wherever it is set. */
	assert_int_equal(c.ent[0].out_kind, CO_KMSG);
	assert_int_equal(c.ent[0].err_kind, CO_KMSG);
}

static void
test_quoting(void **state)
{
	const struct conf_entry *e;

	(void)state;
	assert_int_equal(parse("service a 'it''s' \"say \\\"hi\\\"\" 'a\\b' \"c\\d\" "
	    "e\\ f '' \\# '#' \"x\\\ny\" # gone\n"), 0);
	e = &c.ent[0];
	assert_int_equal(e->argc, 9);
	assert_string_equal(e->argv[0], "its");
	assert_string_equal(e->argv[1], "say \"hi\"");
	assert_string_equal(e->argv[2], "a\\b");
	assert_string_equal(e->argv[3], "c\\d");
	assert_string_equal(e->argv[4], "e f");
	assert_string_equal(e->argv[5], "");
	assert_string_equal(e->argv[6], "#");
	assert_string_equal(e->argv[7], "#");
	assert_string_equal(e->argv[8], "xy");
	/* '#' outside quotes starts a comment even inside a word. */
	assert_int_equal(parse("service a x#y z\n"), 0);
	assert_int_equal(c.ent[0].argc, 1);
	assert_string_equal(c.ent[0].argv[0], "x");
}

static void
test_line_numbers_after_continuations(void **state)
{
	(void)state;
	assert_int_equal(parse("service a x \\\n y\n\n# c\nservice b z \\\n w\nbad\n"), 1);
	assert_int_equal(c.ent[0].line, 1);
	assert_int_equal(c.ent[1].line, 5);
	assert_int_equal(c.err[0].line, 7);
}

/* A rejected setting leaves the one before (or the default) in force. */
static void
test_bad_setting_keeps_old(void **state)
{
	(void)state;
	assert_int_equal(parse("set shutdown-timeout=0 hostname= control=rel "
	    "watchdog=dog watchdog-timeout=1s\n"), 1);
	assert_int_equal(c.shutdown_timeout_ms, 30000);
	assert_null(c.hostname);
	assert_string_equal(c.control, "/run/reaper.sock");
	assert_null(c.watchdog);
	assert_int_equal(parse("set grace=5s\nset grace=soon\n"), 1);
	assert_int_equal(c.grace_ms, 5000);
	assert_int_equal(parse("set watchdog-timeout=1s\n"), 1);
	assert_int_equal(c.watchdog_timeout_ms, 30000);
}

static char big[CONF_FILE_MAX + 2];

static void
test_limits(void **state)
{
	size_t len = 0;
	int i;

	(void)state;
	/* Too many entries: the extra ones are errors, the first ones stand. */
	for (i = 0; i < CONF_ENTRIES_MAX + 2; i++)
		len += (size_t)snprintf(big + len, sizeof(big) - len, "once e%d x\n", i);
	assert_int_equal(parse(big), 2);
	assert_int_equal(c.n, CONF_ENTRIES_MAX);
	assert_int_equal(c.err[0].line, CONF_ENTRIES_MAX + 1);
	assert_non_null(strstr(c.err[0].msg, "too many entries (limit 64)"));
	/* Too many arguments. */
	len = (size_t)snprintf(big, sizeof(big), "service a");
	for (i = 0; i < CONF_ARGS_MAX + 1; i++)
		len += (size_t)snprintf(big + len, sizeof(big) - len, " w");
	assert_int_equal(parse(big), 1);
	assert_non_null(strstr(c.err[0].msg, "too many arguments (limit 32)"));
	/* Too many words on one line. */
	len = (size_t)snprintf(big, sizeof(big), "service a");
	for (i = 0; i < CONF_WORDS_MAX; i++)
		len += (size_t)snprintf(big + len, sizeof(big) - len, " w");
	assert_int_equal(parse(big), 1);
	assert_non_null(strstr(c.err[0].msg, "too many words"));
	/* An over-long line, then a good one: the good one stands. */
	memset(big, 'x', CONF_LINE_MAX + 1);
	memcpy(big, "service a ", 10);
	strcpy(big + CONF_LINE_MAX + 1, "\nservice b y\n");
	assert_int_equal(parse(big), 1);
	assert_int_equal(c.err[0].line, 1);
	assert_non_null(strstr(c.err[0].msg, "line too long"));
	assert_int_equal(c.n, 1);
	assert_string_equal(c.ent[0].name, "b");
	assert_int_equal(c.ent[0].line, 2);
	/* Exactly at the limit is fine, continuations counted in. */
	memset(big, 'x', CONF_LINE_MAX);
	memcpy(big, "service a \\\n", 12);
	strcpy(big + CONF_LINE_MAX, "\n# a comment too long to fit on any line of the file"
	    "............................................................"
	    "............................................................"
	    "............................................................"
	    "............................................................"
	    "............................................................"
	    "............................................................"
	    "............................................................"
	    "............................................................"
	    "............................................................"
	    "............................................................"
	    "............................................................"
	    "............................................................"
	    "............................................................"
	    "............................................................"
	    "............................................................"
	    "............................................................"
	    "............................................................\n");
	assert_int_equal(parse(big), 1);	/* the comment line is too long */
	assert_int_equal(c.n, 1);
	assert_int_equal(c.err[0].line, 3);
	/* Too long right at a continuation: the lines after still count right. */
	memset(big, 'x', CONF_LINE_MAX - 2);
	memcpy(big, "service a ", 10);
	strcpy(big + CONF_LINE_MAX - 2, "\\\n y\nservice b z\nbogus\n");
	assert_int_equal(parse(big), 2);
	assert_int_equal(c.err[0].line, 2);	/* where it got too long */
	assert_int_equal(c.err[1].line, 4);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.ent[0].line, 3);
	/* Too many env= options. */
	len = (size_t)snprintf(big, sizeof(big), "service a");
	for (i = 0; i < CONF_ENV_MAX + 1; i++)
		len += (size_t)snprintf(big + len, sizeof(big) - len, " env=K%d=v", i);
	(void)snprintf(big + len, sizeof(big) - len, " x\n");
	assert_int_equal(parse(big), 1);
	assert_non_null(strstr(c.err[0].msg, "too many env= options (limit 16)"));
}

static void
test_file_size_and_nul(void **state)
{
	static const char nul[] = "service a x\nservice b \0y\nservice c z\n";
	int i;

	(void)state;
	for (i = 0; i < CONF_FILE_MAX + 1; i++)
		big[i] = i % 64 == 63 ? '\n' : '#';
	assert_int_equal(conf_parse(&c, big, CONF_FILE_MAX + 1), 1);
	assert_non_null(strstr(c.err[0].msg, "file too large (limit 65536 bytes)"));
	assert_int_equal(c.n, 0);
	assert_int_equal(conf_parse(&c, big, CONF_FILE_MAX), 0);	/* at the limit */
	assert_int_equal(conf_parse(&c, nul, sizeof(nul) - 1), 1);
	assert_int_equal(c.err[0].line, 2);
	assert_non_null(strstr(c.err[0].msg, "NUL byte"));
	assert_int_equal(c.n, 2);
	/* Errors past the kept ones are still counted. */
	for (i = 0; i < CONF_ERRORS_MAX + 5; i++)
		big[i * 2] = 'x', big[i * 2 + 1] = '\n';
	assert_int_equal(conf_parse(&c, big, (CONF_ERRORS_MAX + 5) * 2),
	    CONF_ERRORS_MAX + 5);
	assert_int_equal(c.err[CONF_ERRORS_MAX - 1].line, CONF_ERRORS_MAX);
}

/* word_cut, the strtok_r of reaperctl requests, mount tables and the kernel command line. */
static void
test_word_cut(void **state)
{
	char text[] = "  start\t web\r\n", empty[] = " \t", *at = text;

	(void)state;
	assert_string_equal(word_cut(&at, " \t\r\n"), "start");
	assert_string_equal(word_cut(&at, " \t\r\n"), "web");
	assert_null(word_cut(&at, " \t\r\n"));
	assert_null(word_cut(&at, " \t\r\n"));
	at = empty;
	assert_null(word_cut(&at, " \t"));
}

/* Entries and errors carry the file they came from; text from no file has "". */
static void
test_file_carried(void **state)
{
	static const char text[] = "service web /bin/web\nservice bad frob=1 /bin/x\n";

	(void)state;
	assert_int_equal(conf_parse_file(&c, "/etc/reaper.d/web.conf", text, sizeof(text) - 1), 1);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.ent[0].file, "/etc/reaper.d/web.conf");
	assert_int_equal(c.ent[0].line, 1);
	assert_string_equal(c.err[0].file, "/etc/reaper.d/web.conf");
	assert_int_equal(c.err[0].line, 2);
	assert_int_equal(conf_parse(&c, text, sizeof(text) - 1), 1);
	assert_string_equal(c.ent[0].file, "");
	assert_string_equal(c.err[0].file, "");
}

/*
 * An option the parser does not know is an error on its line and sets
 * nothing: above all not stderr= (the old switch's default).
 */
static void
test_unknown_option_is_an_error(void **state)
{
	static const char text[] = "service web stdin=/tmp/x /bin/web\n"
	    "service ok stderr=null /bin/ok\n";

	(void)state;
	assert_int_equal(conf_parse(&c, text, sizeof(text) - 1), 1);
	assert_string_equal(c.err[0].msg, "unknown option 'stdin'");
	assert_int_equal(c.err[0].line, 1);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.ent[0].name, "ok");
	assert_int_equal(c.ent[0].err_kind, CO_NULL);
}

/* Two tables parsed one after the other keep their own entries, files and
 * words: the parser keeps nothing of its own between calls. */
static void
test_two_tables(void **state)
{
	static struct conf a, b;
	static const char ta[] = "service one \\\n  /bin/one 'a b'\n";
	static const char tb[] = "once two /bin/two\nservice three /bin/three x\n";

	(void)state;
	assert_int_equal(conf_parse_file(&a, "a.conf", ta, sizeof(ta) - 1), 0);
	assert_int_equal(conf_parse_file(&b, "b.conf", tb, sizeof(tb) - 1), 0);
	assert_int_equal(a.n, 1);
	assert_int_equal(b.n, 2);
	assert_string_equal(a.ent[0].argv[1], "a b");
	assert_string_equal(a.ent[0].file, "a.conf");
	assert_string_equal(b.ent[1].argv[1], "x");
	assert_string_equal(b.ent[1].file, "b.conf");
	assert_ptr_not_equal(a.wl.buf, b.wl.buf);
}

/* One of two parsers running at once: its own text, again and again. */
struct parse_job {
	struct conf	c;
	const char	*text;
	const char	*word;		/* its entry's second word, as it must come out */
	int		bad;		/* parses that came out wrong */
};

static void *
parse_often(void *arg)
{
	struct parse_job *j = arg;
	int i;

	for (i = 0; i < 3000; i++)
		if (conf_parse_file(&j->c, "x.conf", j->text, strlen(j->text)) != 0 ||
		    j->c.n != 1 || strcmp(j->c.ent[0].argv[1], j->word) != 0)
			j->bad++;
	return NULL;
}

/*
 * Two threads parse two files at the same time: with any state of the
 * parser's own (the static line buffer it had), their words mix.
 */
static void
test_two_parses_at_once(void **state)
{
	static struct parse_job a = { .text = "service one /bin/one \"a long first word\" x y z\n",
		.word = "a long first word" };
	static struct parse_job b = { .text = "service two /bin/two b\n", .word = "b" };
	pthread_t ta, tb;

	(void)state;
	assert_int_equal(pthread_create(&ta, NULL, parse_often, &a), 0);
	assert_int_equal(pthread_create(&tb, NULL, parse_often, &b), 0);
	assert_int_equal(pthread_join(ta, NULL), 0);
	assert_int_equal(pthread_join(tb, NULL), 0);
	assert_int_equal(a.bad, 0);
	assert_int_equal(b.bad, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_file_carried),
		cmocka_unit_test(test_unknown_option_is_an_error),
		cmocka_unit_test(test_two_tables),
		cmocka_unit_test(test_two_parses_at_once),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_word_cut),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_every_option),
		cmocka_unit_test(test_set_keys),
		cmocka_unit_test(test_quoting),
		cmocka_unit_test(test_line_numbers_after_continuations),
		cmocka_unit_test(test_bad_setting_keeps_old),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_file_size_and_nul),
	};

	return cmocka_run_group_tests_name("conf", tests, NULL, NULL);
}
