/*
 * Unit tests: what reaperctl status shows of an entry's last exit, from the
 * reap event through run_reaped to the text and the JSON.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "evt.h"
#include "fake_sys.h"
#include "report.h"

static struct conf c;
static struct run r;
static char out[16384];

/*
 * The entries of text, none of them started. /proc cannot be opened, so
 * the status has no adopted children and never reads the host's.
 */
static int
setup(void **state)
{
	static const char text[] =
	    "service e200 restart=never sh -c 'exit 200'\n"
	    "service k restart=never sleep 1\n"
	    "service e137 restart=never sh -c 'exit 137'\n"
	    "service idle sleep 2\n";

	(void)fake_setup(state);
	fake_script("open", -1, ENOENT, -1);
	assert_int_equal(conf_parse(&c, text, strlen(text)), 0);
	run_init(&r, &c, 1, false, NULL, NULL);
	return 0;
}

/* Entry i runs as pid and then ends as the kernel says (kind, code). */
static void
ends(int i, pid_t pid, enum reap_kind kind, int code)
{
	struct reap_ev ev;

	r.svc[i].pid = pid;
	r.svc[i].state = SV_RUNNING;
	memset(&ev, 0, sizeof(ev));
	ev.pid = pid;
	ev.kind = kind;
	ev.code = code;
	will_return(sys_now, (int64_t)100);
	run_reaped(&r, &ev);
	assert_int_equal(r.svc[i].pid, 0);
}

static const char *sock;	/* the control socket status names, or NULL */
static const struct pkeys *pk;	/* the power key status shows; NULL: none */

/* reaperctl status [--json], into out. */
static const char *
status(bool json)
{
	struct report_ctx x = { &r, "container", 0, 1000, 0, NULL, sock, pk };
	struct buf b;

	buf_init(&b, out, sizeof(out));
	assert_int_equal(report_status(&b, &x, NULL, json), 0);
	assert_false(b.cut);
	return out;
}

/* The LAST EXIT column of name's row in the text status. */
static const char *
text_last_exit(const char *name)
{
	static char col[32];
	char want[40];
	const char *row, *end, *from;

	(void)snprintf(want, sizeof(want), "\n%-16s ", name);
	row = strstr(status(false), want);
	assert_non_null(row);
	end = strchr(row + 1, '\n');
	assert_non_null(end);
	/* The column follows the last two blanks of the row. */
	for (from = end; from > row + 1 && !(from[-1] == ' ' && from[-2] == ' '); from--)
		;
	assert_true(end - from < (ptrdiff_t)sizeof(col));
	(void)snprintf(col, sizeof(col), "%.*s", (int)(end - from), from);
	return col;
}

/* name's object in the JSON status (it holds no nested object). */
static const char *
json_of(const char *name)
{
	static char obj[512];
	char want[48];
	const char *from, *end;

	(void)snprintf(want, sizeof(want), "{\"name\":\"%s\",", name);
	from = strstr(status(true), want);
	assert_non_null(from);
	end = strchr(from, '}');
	assert_non_null(end);
	assert_true(end - from < (ptrdiff_t)sizeof(obj));
	(void)snprintf(obj, sizeof(obj), "%.*s}", (int)(end - from), from);
	return obj;
}

static void
assert_has(const char *text, const char *part)
{
	if (strstr(text, part) == NULL)
		fail_msg("no '%s' in '%s'", part, text);
}

static void
test_text_says_exit_or_signal(void **state)
{
	(void)state;
	ends(0, 10, REAP_EXITED, 200);
	ends(1, 11, REAP_KILLED, SIGKILL);
	ends(2, 12, REAP_EXITED, 137);
	assert_string_equal(text_last_exit("e200"), "exit 200");
	assert_string_equal(text_last_exit("k"), "signal 9");
	assert_string_equal(text_last_exit("e137"), "exit 137");
	assert_string_equal(text_last_exit("idle"), "-");
}

static void
test_json_tells_exit_137_from_sigkill(void **state)
{
	(void)state;
	ends(0, 10, REAP_EXITED, 200);
	ends(1, 11, REAP_KILLED, SIGKILL);
	ends(2, 12, REAP_EXITED, 137);
	assert_has(json_of("e200"), "\"last_exit\":200,\"last_exit_kind\":\"exited\","
	    "\"last_exit_code\":200,\"last_exit_signal\":null}");
	assert_has(json_of("k"), "\"last_exit\":137,\"last_exit_kind\":\"killed\","
	    "\"last_exit_code\":null,\"last_exit_signal\":9}");
	assert_has(json_of("e137"), "\"last_exit\":137,\"last_exit_kind\":\"exited\","
	    "\"last_exit_code\":137,\"last_exit_signal\":null}");
	assert_has(json_of("idle"), "\"last_exit\":-1,\"last_exit_kind\":null,"
	    "\"last_exit_code\":null,\"last_exit_signal\":null}");
}

/* Every code stays an exit and every signal a signal, around 128 too. */
static void
test_every_code_and_signal(void **state)
{
	static const int codes[] = { 0, 1, 2, 126, 127, 128, 129, 137, 143, 200, 255 };
	static const int sigs[] = { SIGHUP, SIGINT, SIGKILL, SIGSEGV, SIGTERM, 31, 34, 64 };
	char want[96];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		ends(0, 10, REAP_EXITED, codes[i]);
		(void)snprintf(want, sizeof(want), "exit %d", codes[i]);
		assert_string_equal(text_last_exit("e200"), want);
		(void)snprintf(want, sizeof(want), "\"last_exit\":%d,\"last_exit_kind\":"
		    "\"exited\",\"last_exit_code\":%d,\"last_exit_signal\":null}",
		    codes[i], codes[i]);
		assert_has(json_of("e200"), want);
	}
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		ends(0, 10, REAP_KILLED, sigs[i]);
		(void)snprintf(want, sizeof(want), "signal %d", sigs[i]);
		assert_string_equal(text_last_exit("e200"), want);
		(void)snprintf(want, sizeof(want), "\"last_exit\":%d,\"last_exit_kind\":"
		    "\"killed\",\"last_exit_code\":null,\"last_exit_signal\":%d}",
		    128 + sigs[i], sigs[i]);
		assert_has(json_of("e200"), want);
	}
}

/* Entries with dependencies and each way of saying ready, none started. */
static int
setup_deps(void **state)
{
	static const char text[] =
	    "service log sleep 1\n"
	    "service db ready=notify sleep 1\n"
	    "service cache ready=fd:4 sleep 1\n"
	    "service web after=log needs=db,cache ready-check='true' sleep 1\n"
	    "once mig after=db true\n";

	(void)fake_setup(state);
	fake_script("open", -1, ENOENT, -1);
	assert_int_equal(conf_parse(&c, text, strlen(text)), 0);
	run_init(&r, &c, 1, false, NULL, NULL);
	return 0;
}

/* The row of name in the text status and the line after it ("" at the end). */
static const char *
text_after_row(const char *name)
{
	static char line[256];
	char want[40];
	const char *row, *next, *end;

	(void)snprintf(want, sizeof(want), "\n%-16s ", name);
	row = strstr(status(false), want);
	assert_non_null(row);
	next = strchr(row + 1, '\n');
	assert_non_null(next);
	end = strchr(next + 1, '\n');
	(void)snprintf(line, sizeof(line), "%.*s", end ? (int)(end - next - 1) : 0, next + 1);
	return line;
}

static void
test_json_ready_and_deps(void **state)
{
	(void)state;
	r.svc[conf_find(&c, "db")].state = SV_RUNNING;
	(void)strcpy(r.svc[conf_find(&c, "db")].status_text, "serving \"main\"");
	r.svc[conf_find(&c, "web")].state = SV_WAITING;
	assert_has(json_of("log"), "\"ready\":\"exec\",\"after\":[],\"needs\":[],"
	    "\"status_text\":\"\",");
	assert_has(json_of("db"), "\"state\":\"running\",\"up\":true,");
	assert_has(json_of("db"), "\"ready\":\"notify\",\"after\":[],\"needs\":[],"
	    "\"status_text\":\"serving \\\"main\\\"\",");
	assert_has(json_of("cache"), "\"ready\":\"fd:4\",");
	assert_has(json_of("web"), "\"state\":\"waiting\",\"up\":false,");
	assert_has(json_of("web"), "\"ready\":\"check\",\"after\":[\"log\"],"
	    "\"needs\":[\"db\",\"cache\"],\"status_text\":\"\",");
	assert_has(json_of("mig"), "\"after\":[\"db\"],\"needs\":[],");
}

/* The columns stay; a second, indented line only for what has something to say. */
static void
test_text_deps_and_status(void **state)
{
	(void)state;
	(void)strcpy(r.svc[conf_find(&c, "db")].status_text, "accepting\nfake row");
	(void)strcpy(r.svc[conf_find(&c, "web")].status_text, "warming up");
	r.svc[conf_find(&c, "web")].state = SV_WAITING;
	assert_string_equal(text_after_row("log"), "db               service  stopped        0"
	    "        0        0  -");
	assert_string_equal(text_after_row("db"), "    status: accepting?fake row");
	assert_string_equal(text_after_row("web"),
	    "    needs db,cache; after log; status: warming up");
	assert_string_equal(text_after_row("mig"), "    after db");
	assert_has(status(false), "\nweb              service  waiting        0        0"
	    "        0  -\n");
}

/* A list as written may have blanks and empty places; names alone are shown. */
static void
test_list_split(void **state)
{
	static char list[] = " db ,, cache,";

	(void)state;
	c.ent[conf_find(&c, "web")].needs = list;
	assert_has(json_of("web"), "\"needs\":[\"db\",\"cache\"],");
	assert_string_equal(text_after_row("web"), "    needs db,cache; after log");
}

/* events: the ring as text lines and as one JSON array, an orphan's entry in both. */
static void
test_events_from(void **state)
{
	struct buf b;
	int i;

	(void)state;
	for (i = 0; i < EVT_MAX; i++)	/* the ring holds these alone */
		evt_add(i, EVT_SPAWN, "web", 2, 0);
	evt_add_from(5000, EVT_ORPHAN, "sleep", 86, 0, "orphan-maker");
	evt_add(6000, EVT_ORPHAN, "sleep", 87, 0);
	buf_init(&b, out, sizeof(out));
	report_events(&b, 6000, false);
	assert_non_null(strstr(out, "\n    1.000 s ago  orphan-reaped sleep from orphan-maker pid 86      0\n"
	    "    0.000 s ago  orphan-reaped sleep            pid 87      0\n"));
	buf_reset(&b);
	report_events(&b, 6000, true);
	assert_int_equal(out[0], '[');
	assert_string_equal(out + strlen(out) - 3, "}]\n");
	assert_non_null(strstr(out, ",{\"t_ms\":5000,\"kind\":\"orphan-reaped\",\"name\":\"sleep\","
	    "\"from\":\"orphan-maker\",\"pid\":86,\"value\":0},{\"t_ms\":6000,"
	    "\"kind\":\"orphan-reaped\",\"name\":\"sleep\",\"from\":null,\"pid\":87,\"value\":0}]"));
}

/* The control socket's path in the header and the JSON; none: no line, null. */
static void
test_control_path(void **state)
{
	(void)state;
	sock = NULL;
	assert_null(strstr(status(false), "control:"));
	assert_has(status(true), ",\"control\":null,");
	sock = "/tmp/reaper-1000/reaper.sock";
	assert_has(status(false), "\ncontrol: /tmp/reaper-1000/reaper.sock\nadopted children");
	assert_has(status(true), ",\"control\":\"/tmp/reaper-1000/reaper.sock\",");
	sock = NULL;
}

/*
 * The power key: its action and the devices watched, in text and JSON;
 * nothing of it outside a machine (no pkeys, or not started).
 */
static void
test_power_key_status(void **state)
{
	static struct pkeys p;

	(void)state;
	pk = NULL;
	assert_null(strstr(status(false), "power key"));
	assert_has(status(true), "\"power_key\":null,");
	pkeys_init(&p, NULL, NULL, NULL);
	pk = &p;
	assert_null(strstr(status(false), "power key"));	/* not started: no machine */
	p.dir = "/dev/input";
	assert_has(status(false), "\npower key: poweroff; no device with KEY_POWER yet; presses: 0\n");
	assert_has(status(true), "\"power_key\":{\"action\":\"poweroff\",\"presses\":0,"
	    "\"devices\":[]},");
	p.dev[3].fd = 7;
	p.dev[3].num = 1;
	strcpy(p.dev[3].name, "Power Button");
	p.dev[5].fd = 8;
	p.dev[5].num = 0;
	strcpy(p.dev[5].name, "AT \"Translated\" keyboard");
	p.n = 2;
	p.presses = 3;
	c.powerkey = CPK_IGNORE;
	assert_has(status(false), "\npower key: ignore; watching /dev/input/event1 (Power Button), "
	    "/dev/input/event0 (AT \"Translated\" keyboard); presses: 3\n");
	assert_has(status(true), "\"power_key\":{\"action\":\"ignore\",\"presses\":3,"
	    "\"devices\":[{\"path\":\"/dev/input/event1\",\"name\":\"Power Button\"},"
	    "{\"path\":\"/dev/input/event0\",\"name\":\"AT \\\"Translated\\\" keyboard\"}]},");
	pk = NULL;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_text_says_exit_or_signal, setup),
		cmocka_unit_test_setup(test_json_tells_exit_137_from_sigkill, setup),
		cmocka_unit_test_setup(test_every_code_and_signal, setup),
		cmocka_unit_test_setup(test_json_ready_and_deps, setup_deps),
		cmocka_unit_test_setup(test_text_deps_and_status, setup_deps),
		cmocka_unit_test_setup(test_list_split, setup_deps),
		cmocka_unit_test(test_events_from),
		cmocka_unit_test_setup(test_control_path, setup),
		cmocka_unit_test_setup(test_power_key_status, setup),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
