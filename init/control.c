/*
 * reaperctl: the requests PID 1 answers on its control socket, and the
 * client side (the same binary called as reaperctl). An answer's first
 * line is the client's exit status: 0 ok, 1 refused or unknown, 2 usage.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "ask.h"
#include "control.h"
#include "log.h"
#include "report.h"
#include "req.h"
#include "sys.h"
#include "word.h"

static const char control_usage[] =
"usage: reaperctl [--socket PATH] COMMAND\n"
"  status [NAME]   status --json   tree   events [--json]\n"
"  start NAME   stop NAME   restart NAME   reload   poweroff   reboot   halt\n";

/* start, stop, restart NAME: the supervisor decides, this says what it did. */
static void
control_svc(struct control *c, enum req_verb verb, const char *word, const char *name,
    struct buf *out)
{
	enum ask_verb v = verb == REQ_STOP ? ASK_STOP : verb == REQ_RESTART ? ASK_RESTART :
	    ASK_START;
	const struct conf *cf = c->r->conf;
	struct ask_more more;

	switch (ask_svc(c->r, v, name, sys_now(), &more)) {
	case ASK_NO_ENTRY:
		buf_add(out, "1\nno entry called %s\n", name);
		return;
	case ASK_NOT_NOW:
		buf_add(out, "1\nnot now: the system is booting or shutting down\n");
		return;
	case ASK_BOOT_ONLY:
		buf_add(out, "1\n%s is a %s entry: it runs at boot or shutdown only\n",
		    name, conf_kind_name(cf->ent[conf_find(cf, name)].kind));
		return;
	case ASK_IN_ERROR:
		buf_add(out, "1\n%s has a config error in its after= or needs=; it does not run\n",
		    name);
		return;
	case ASK_OK:
		break;
	}
	log_msg(LV_INFO, "reaperctl: %s %s", word, name);
	buf_add(out, "0\n%s %s: %s\n", word, name,
	    svc_state_name(c->r->svc[conf_find(cf, name)].state));
}

static void
control_halt(struct control *c, const struct req *q, struct buf *out)
{
	enum run_action a = q->verb == REQ_POWEROFF ? RA_POWEROFF :
	    q->verb == REQ_REBOOT ? RA_REBOOT : RA_HALT;
	const char *verb = q->word;

	run_request(c->r, c->container ? RA_EXIT : a, sys_now());
	buf_add(out, "0\n%s requested\n", verb);
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
	struct req q;

	/* Every exec report that has come is taken first: status says what runs. */
	start_settle(&c->r->starts, x.now);
	req_parse(req, &q);
	if (q.verb == REQ_USAGE) {
		buf_add(out, "2\n%s", control_usage);
	} else if (q.verb == REQ_STATUS) {
		if (q.name && conf_find(c->r->conf, q.name) < 0) {
			buf_add(out, "1\nno entry called %s\n", q.name);
		} else {
			buf_add(out, "0\n");
			(void)report_status(out, &x, q.name, q.json);
			control_whole(out, q.json);
		}
	} else if (q.verb == REQ_EVENTS) {
		buf_add(out, "0\n");
		report_events(out, x.now, q.json);
		control_whole(out, q.json);
	} else if (q.verb == REQ_TREE) {
		buf_add(out, "0\n");
		report_tree(out, &x);
	} else if (q.verb == REQ_UNKNOWN) {
		buf_add(out, "2\nunknown request '%.40s'\n%s", q.word, control_usage);
	} else if (!may_change) {
		buf_add(out, "1\nrefused: only root or control-group may %s\n", q.word);
	} else if (q.bad_args) {
		buf_add(out, "2\n%s %s\n", q.word, req_named(q.verb) ? "wants a NAME" :
		    "takes nothing more");
	} else if (req_named(q.verb)) {
		control_svc(c, q.verb, q.word, q.name, out);
	} else if (q.verb == REQ_RELOAD) {
		buf_add(out, c->reload(c->r, sys_now()) == 0 ? "0\nreloaded\n" :
		    "1\nreload refused; see the log\n");
	} else {
		control_halt(c, &q, out);
	}
}

/* The client: reaperctl [--socket PATH] COMMAND [ARG]... */
int
control_client(int argc, char **argv)
{
	static char ans[CTL_RESP_MAX + 64];
	const char *path = CONTROL_PATH_DEFAULT;
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
	while (got < sizeof(ans) - 1 && sys_poll(&pfd, 1, CTL_CLIENT_WAIT_MS) > 0 &&
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
