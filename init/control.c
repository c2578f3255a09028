/*
 * reaperctl: the requests PID 1 answers on its control socket, and the
 * client side (the same binary called as reaperctl). An answer's first
 * line is the client's exit status: 0 ok, 1 refused or unknown, 2 usage.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "control.h"
#include "log.h"
#include "report.h"
#include "sys.h"
#include "system.h"
#include "word.h"

#define CONTROL_WORDS	4

static const char control_usage[] =
"usage: reaperctl [--socket PATH] COMMAND\n"
"  status [NAME]   status --json   tree   events [--json]\n"
"  start NAME   stop NAME   restart NAME   reload   poweroff   reboot   halt\n";

static int
control_split(char *req, char **w)
{
	int n = 0;
	char *p = word_cut(&req, " \t\r");

	while (p && n < CONTROL_WORDS) {
		w[n++] = p;
		p = word_cut(&req, " \t\r");
	}
	return p ? -1 : n;
}

/* start, stop, restart NAME. */
static void
control_svc(struct control *c, const char *verb, const char *name, struct buf *out)
{
	struct run *r = c->r;
	int i = conf_find(r->conf, name);
	int64_t now = sys_now();

	if (i < 0) {
		buf_add(out, "1\nno entry called %s\n", name);
		return;
	}
	if (r->phase != RUN_UP) {
		buf_add(out, "1\nnot now: the system is booting or shutting down\n");
		return;
	}
	if (r->conf->ent[i].kind == CK_SYSINIT || r->conf->ent[i].kind == CK_SHUTDOWN) {
		buf_add(out, "1\n%s is a %s entry: it runs at boot or shutdown only\n",
		    name, conf_kind_name(r->conf->ent[i].kind));
		return;
	}
	r->pending[i] = false;
	if (strcmp(verb, "stop") != 0) {
		/* Start, now or once it is down (a restart, or a start while stopping). */
		if (strcmp(verb, "restart") == 0)
			svc_stop(&r->svc[i], now);
		r->svc[i].window_n = 0;		/* asked for: a fresh restart-limit */
		r->pending[i] = true;
		run_step(r, now);
	} else {
		svc_stop(&r->svc[i], now);
	}
	log_msg(LV_INFO, "reaperctl: %s %s", verb, name);
	buf_add(out, "0\n%s %s: %s\n", verb, name, svc_state_name(r->svc[i].state));
}

static void
control_halt(struct control *c, const char *verb, struct buf *out)
{
	enum run_action a = strcmp(verb, "poweroff") == 0 ? RA_POWEROFF :
	    strcmp(verb, "reboot") == 0 ? RA_REBOOT : RA_HALT;

	run_request(c->r, c->container ? RA_EXIT : a, sys_now());
	buf_add(out, "0\n%s requested\n", verb);
}

static bool
control_is(const char *w, const char *a, const char *b)
{
	return strcmp(w, a) == 0 || (b && strcmp(w, b) == 0);
}

/* JSON cut short is no JSON: say so instead, and fail. */
static void
control_whole(struct buf *out, bool json)
{
	if (!json || !out->cut)
		return;
	buf_reset(out);
	buf_add(out, "1\nanswer too long for JSON (limit %d bytes); "
	    "try the text form\n", CTL_RESP_MAX);
}

/* One request line (a ctl_answer_fn). */
void
control_answer(void *ctx, char *req, bool may_change, struct buf *out)
{
	struct control *c = ctx;
	struct report_ctx x = { c->r, c->mode, c->booted, sys_now(), c->main_pid,
		c->wd };
	char *w[CONTROL_WORDS];
	int n = control_split(req, w);
	bool json = n == 2 && strcmp(w[1], "--json") == 0;

	if (n < 1) {
		buf_add(out, "2\n%s", control_usage);
	} else if (strcmp(w[0], "status") == 0 && n <= 2) {
		const char *name = n == 2 && !json ? w[1] : NULL;

		if (name && conf_find(c->r->conf, name) < 0) {
			buf_add(out, "1\nno entry called %s\n", name);
		} else {
			buf_add(out, "0\n");
			(void)report_status(out, &x, name, json);
			control_whole(out, json);
		}
	} else if (strcmp(w[0], "events") == 0 && (n == 1 || json)) {
		buf_add(out, "0\n");
		report_events(out, x.now, json);
		control_whole(out, json);
	} else if (strcmp(w[0], "tree") == 0 && n == 1) {
		buf_add(out, "0\n");
		report_tree(out, &x);
	} else if (!control_is(w[0], "start", "stop") && !control_is(w[0], "restart", "reload") &&
	    !control_is(w[0], "poweroff", "reboot") && strcmp(w[0], "halt") != 0) {
		buf_add(out, "2\nunknown request '%.40s'\n%s", w[0], control_usage);
	} else if (!may_change) {
		buf_add(out, "1\nrefused: only root or control-group may %s\n", w[0]);
	} else if (control_is(w[0], "start", "stop") || strcmp(w[0], "restart") == 0) {
		if (n != 2)
			buf_add(out, "2\n%s wants a NAME\n", w[0]);
		else
			control_svc(c, w[0], w[1], out);
	} else if (n != 1) {
		buf_add(out, "2\n%s takes nothing more\n", w[0]);
	} else if (strcmp(w[0], "reload") == 0) {
		buf_add(out, system_reload(c->r, sys_now()) == 0 ? "0\nreloaded\n" :
		    "1\nreload refused; see the log\n");
	} else {
		control_halt(c, w[0], out);
	}
}

/* The client: reaperctl [--socket PATH] COMMAND [ARG]... */
int
control_client(int argc, char **argv)
{
	static char ans[CTL_RESP_MAX + 64];
	const char *path = "/run/reaper.sock";
	char req[CTL_REQ_MAX];
	struct pollfd pfd;
	size_t len = 0, got = 0;
	ssize_t n;
	int i = 1, fd;

	if (argc > 2 && strcmp(argv[1], "--socket") == 0) {
		path = argv[2];
		i = 3;
	}
	if (i >= argc || strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
		(void)sys_write(i >= argc ? 2 : 1, control_usage, strlen(control_usage));
		return i >= argc ? 2 : 0;
	}
	for (; i < argc; i++) {
		size_t w = strlen(argv[i]);

		if (len + w + 2 > sizeof(req)) {
			log_msg(LV_ERR, "request too long");
			return 2;
		}
		memcpy(req + len, argv[i], w);
		len += w;
		req[len++] = i + 1 < argc ? ' ' : '\n';
	}
	if ((fd = sys_connect_unix(path, false)) < 0) {
		bool denied = errno == EACCES || errno == EPERM;

		log_sys(LV_ERR, "%s %s", denied ? "refused (root or control-group only):" :
		    "cannot reach reaper at", path);
		return denied ? 1 : 3;
	}
	if (sys_send(fd, req, len) != (ssize_t)len) {
		log_sys(LV_ERR, "cannot reach reaper at %s", path);
		return 3;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (got < sizeof(ans) - 1 && sys_poll(&pfd, 1, 10000) > 0 &&
	    (n = sys_read(fd, ans + got, sizeof(ans) - 1 - got)) > 0)
		got += (size_t)n;
	(void)sys_close(fd);
	if (got < 2 || ans[0] < '0' || ans[0] > '3' || ans[1] != '\n') {
		log_msg(LV_ERR, "no answer from reaper at %s", path);
		return 3;
	}
	(void)sys_write(ans[0] == '0' ? 1 : 2, ans + 2, got - 2);
	return ans[0] - '0';
}
