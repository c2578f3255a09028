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
#include "ctlpath.h"
#include "log.h"
#include "num.h"
#include "report.h"
#include "req.h"
#include "sys.h"
#include "word.h"

static const char control_usage[] =
"usage: reaperctl [--socket PATH] COMMAND\n"
"  status [NAME]   status --json   tree   events [--json] [--follow|-f]\n"
"  wait [--timeout DURATION] NAME...\n"
"  start NAME   stop NAME   restart NAME   reload   poweroff   reboot   halt\n";

/* "; stopping first: web api", when the graph moves other entries first. */
static void
control_more(const struct conf *cf, enum ask_verb v, const struct ask_more *more,
    struct buf *out)
{
	int i;

	if (more->n <= 0)
		return;
	buf_add(out, "; %s first:", v == ASK_STOP ? "stopping" : "starting");
	for (i = 0; i < more->n && i < CONF_ENTRIES_MAX; i++)
		buf_add(out, " %s", cf->ent[more->ent[i]].name);
}

/* start, stop, restart NAME: the supervisor decides, this says what it did. */
static void
control_svc(struct control *c, enum req_verb verb, const char *word, const char *name,
    struct buf *out)
{
	enum ask_verb v = verb == REQ_STOP ? ASK_STOP : verb == REQ_RESTART ? ASK_RESTART :
	    ASK_START;
	const struct conf *cf = c->r->conf;
	struct ask_more more;
	const struct svc *s;

	switch (ask_svc(c->r, v, name, sys_now(), &more)) {
	case ASK_NO_ENTRY:
		buf_add(out, "1\nno entry called %s\n", name);
		return;
	case ASK_NOT_NOW:
		buf_add(out, "1\nnot now: the system is booting, shutting down or reloading\n");
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
	s = &c->r->svc[conf_find(cf, name)];
	/* Asked to stop, its stop waits for its dependents: it is stopping already. */
	buf_add(out, "0\n%s %s: %s", word, name, s->down && svc_has_proc(s) ?
	    "stopping" : svc_state_name(s->state));
	control_more(cf, v, &more, out);
	buf_add(out, "\n");
}

/* What is wrong with the words of a request, with exit status 2 (usage). */
static void
control_bad(const struct req *q, struct buf *out)
{
	switch (q->bad) {
	case RB_NAMES:
		buf_add(out, "2\n%s takes %d names at most\n", q->word, CTL_WAIT_NAMES_MAX);
		break;
	case RB_DURATION:
		if (q->badword)
			buf_add(out, "2\n%s: bad duration '%.40s'\n", q->word, q->badword);
		else
			buf_add(out, "2\n%s: --timeout wants a DURATION\n", q->word);
		break;
	case RB_NAME:
		buf_add(out, "2\n%s wants a NAME\n", q->word);
		break;
	case RB_NONE:
	case RB_NOTHING:
		buf_add(out, "2\n%s takes nothing more\n", q->word);
		break;
	}
}

/*
 * wait NAME...: answered once every name is up, or one failed for good,
 * or at its deadline (late); until then parked (false), asked again after
 * every wake-up. An unknown name is answered at once.
 */
static bool
control_wait(struct control *c, const struct req *q, struct ctl_req *cq, struct buf *out)
{
	const struct conf *cf = c->r->conf;
	int i, up = 0;

	for (i = 0; i < q->nnames; i++)
		if (conf_find(cf, q->names[i]) < 0) {
			buf_add(out, "1\nno entry called %s\n", q->names[i]);
			return true;
		}
	for (i = 0; i < q->nnames; i++) {
		enum run_wait w = run_wait_of(c->r, conf_find(cf, q->names[i]));

		if (w == RW_FAILED) {
			buf_add(out, "1\n%s failed\n", q->names[i]);
			return true;
		}
		up += w == RW_UP;
	}
	if (up == q->nnames) {
		buf_add(out, "0\n");
		for (i = 0; i < q->nnames; i++)
			buf_add(out, "%s up\n", q->names[i]);
		return true;
	}
	if (!cq->late) {	/* its deadline: the timeout from now, if any */
		cq->until = q->timeout_ms < 0 ? -1 : cq->now + q->timeout_ms;
		return false;
	}
	buf_add(out, "1\ntimed out waiting for");
	for (i = 0; i < q->nnames; i++)
		if (run_wait_of(c->r, conf_find(cf, q->names[i])) != RW_UP)
			buf_add(out, " %s", q->names[i]);
	buf_add(out, "\n");
	return true;
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

/* One request line (a ctl_answer_fn): false only for a wait not over yet. */
bool
control_answer(void *ctx, struct ctl_req *cq, struct buf *out)
{
	struct control *c = ctx;
	struct report_ctx x = { c->r, c->mode, c->booted, cq->now, c->main_pid,
		c->wd, c->sock, c->pk };
	struct req q;

	/* Every exec report that has come is taken first: status says what runs. */
	start_settle(&c->r->starts, x.now);
	req_parse(cq->line, &q);
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
	} else if (q.verb == REQ_EVENTS && q.follow) {	/* lib/ctl.c sends the ring, then the rest */
		buf_add(out, "0\n");
		cq->follow = q.json ? CTL_FOLLOW_JSON : CTL_FOLLOW_TEXT;
	} else if (q.verb == REQ_EVENTS) {
		buf_add(out, "0\n");
		report_events(out, x.now, q.json);
		control_whole(out, q.json);
	} else if (q.verb == REQ_TREE) {
		buf_add(out, "0\n");
		report_tree(out, &x);
	} else if (q.verb == REQ_UNKNOWN) {
		buf_add(out, "2\nunknown request '%.40s'\n%s", q.word, control_usage);
	} else if (q.verb == REQ_WAIT) {	/* anyone may wait */
		if (!q.bad_args)
			return control_wait(c, &q, cq, out);
		control_bad(&q, out);
	} else if (!cq->may_change) {
		buf_add(out, "1\nrefused: only root, reaper's own user or control-group may %s\n", q.word);
	} else if (q.bad_args) {
		control_bad(&q, out);
	} else if (req_named(q.verb)) {
		control_svc(c, q.verb, q.word, q.name, out);
	} else if (q.verb == REQ_RELOAD) {
		buf_add(out, c->reload(c->r, sys_now()) == 0 ? "0\nreloaded\n" :
		    "1\nreload refused; see the log\n");
	} else {
		control_halt(c, &q, out);
	}
	return true;
}

/*
 * How long the client waits for each part of the answer: a wait's may
 * take its whole timeout (and PID 1 answers it then), one without a
 * timeout for ever. A bad duration is answered at once.
 */
static int64_t
control_read_timeout(int argc, char **argv, int i)
{
	int64_t ms;

	if (strcmp(argv[i], "wait") != 0)
		return CTL_CLIENT_WAIT_MS;
	if (i + 1 >= argc || strcmp(argv[i + 1], "--timeout") != 0)
		return -1;
	if (i + 2 < argc && num_duration(argv[i + 2], &ms) == 0)
		return ms + CTL_CLIENT_WAIT_MS;
	return CTL_CLIENT_WAIT_MS;
}

/* events ... --follow (or -f): read until reaper closes, with no timeout. */
static bool
control_follows(int argc, char **argv, int i)
{
	int j;

	if (strcmp(argv[i], "events") != 0)
		return false;
	for (j = i + 1; j < argc; j++)
		if (strcmp(argv[j], "--follow") == 0 || strcmp(argv[j], "-f") == 0)
			return true;
	return false;
}

/* All of b to fd; false when it cannot take it (a closed pipe). */
static bool
control_out(int fd, const char *b, size_t n)
{
	ssize_t w;

	for (; n > 0; b += w, n -= (size_t)w)
		if ((w = sys_write(fd, b, n)) <= 0)
			return false;
	return true;
}

/*
 * events --follow: the status line, then each line written out whole as
 * soon as it has come, until reaper closes the connection (or the reader
 * of our output goes away). A line longer than the buffer goes in pieces.
 */
static int
control_stream(int fd, const char *path)
{
	static char b[4096];
	size_t got = 0, end;
	int status = -1, out = 1;
	ssize_t n;

	while ((n = sys_read(fd, b + got, sizeof(b) - got)) > 0) {
		got += (size_t)n;
		if (status < 0) {
			if (got < 2)
				continue;
			if (b[0] < '0' || b[0] > '3' || b[1] != '\n')
				break;
			status = b[0] - '0';
			out = status == 0 ? 1 : 2;
			memmove(b, b + 2, got - 2);
			got -= 2;
		}
		for (end = got; end > 0 && b[end - 1] != '\n'; end--)
			;
		if (end == 0 && got == sizeof(b))
			end = got;
		if (end > 0 && !control_out(out, b, end)) {
			(void)sys_close(fd);
			return status;
		}
		memmove(b, b + end, got - end);
		got -= end;
	}
	(void)sys_close(fd);
	if (status < 0) {
		log_msg(LV_ERR, "no answer from reaper at %s", path);
		return 3;
	}
	if (got > 0)
		(void)control_out(out, b, got);	/* a last line with no newline */
	return status;
}

/*
 * Connect to reaper: to path if --socket gave it, else as ctlpath_connect
 * finds it. The fd, or -1 once said why with the exit status in *rc: 1
 * refused, 3 unreachable. *used: the path connected to.
 */
static int
control_connect(const char *given, const char **used, int *rc)
{
	int fd;

	if (!given)
		return ctlpath_connect(used, rc);
	*used = given;
	if ((fd = sys_connect_unix(given, false)) >= 0)
		return fd;
	*rc = errno == EACCES || errno == EPERM ? 1 : 3;
	log_sys(LV_ERR, "%s %s", *rc == 1 ? "refused (root, reaper's own user or control-group only):" :
	    "cannot reach reaper at", given);
	return -1;
}

/* The client: reaperctl [--socket PATH] COMMAND [ARG]... */
int
control_client(int argc, char **argv)
{
	static char ans[CTL_RESP_MAX + 64];
	const char *given = NULL, *path;
	char req[CTL_REQ_MAX];
	struct pollfd pfd;
	size_t len = 0, got = 0;
	int64_t wait_ms;
	ssize_t n;
	int i = 1, fd, rc;
	bool follow;

	if (argc > 2 && strcmp(argv[1], "--socket") == 0) {
		given = argv[2];
		i = 3;
	}
	if (i >= argc || strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
		(void)sys_write(i >= argc ? 2 : 1, control_usage, strlen(control_usage));
		return i >= argc ? 2 : 0;
	}
	wait_ms = control_read_timeout(argc, argv, i);
	follow = control_follows(argc, argv, i);
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
	if ((fd = control_connect(given, &path, &rc)) < 0)
		return rc;
	if (sys_send(fd, req, len) != (ssize_t)len) {
		log_sys(LV_ERR, "cannot reach reaper at %s", path);
		return 3;
	}
	if (follow)
		return control_stream(fd, path);
	pfd.fd = fd;
	pfd.events = POLLIN;
	while (got < sizeof(ans) - 1 && sys_poll(&pfd, 1, wait_ms) > 0 &&
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
