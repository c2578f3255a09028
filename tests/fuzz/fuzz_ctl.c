/*
 * libFuzzer target: the control protocol, from the bytes a client sends to
 * the answer it gets. lib/ctl.c frames the request line (reads in pieces,
 * the size limit, the end of input) on the loop of lib/loop.c, lib/req.c
 * parses it; a stub kernel below stands in for lib/sys.c. The input is what the client sends.
 * A follower (events --follow) is sent a few events, then hangs up.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctl.h"
#include "evt.h"
#include "loop.h"
#include "req.h"
#include "sys.h"

#define CLIENT_FD	5

static const uint8_t *in;
static size_t inlen, inpos, piece, sent;
static int accepts, answers, closes, sends;
static int hangup;		/* the client has gone: its fd polls as hung up */
static char sink[CTL_RESP_MAX];

/* The client sends its bytes piece by piece, then closes its end. */
ssize_t
sys_read(int fd, void *buf, size_t len)
{
	size_t n = inlen - inpos;

	if (fd != CLIENT_FD)
		abort();
	if (n > len)
		n = len;
	if (n > piece)
		n = piece;
	memcpy(buf, in + inpos, n);
	inpos += n;
	return (ssize_t)n;
}

/* The client reads the answer a piece at a time, with a full buffer in between. */
ssize_t
sys_send(int fd, const void *buf, size_t len)
{
	if (fd != CLIENT_FD || sent + len > sizeof(sink))
		abort();
	if (++sends % 3 == 0) {
		errno = EAGAIN;
		return -1;
	}
	if (len > piece * 16)
		len = piece * 16;
	memcpy(sink + sent, buf, len);
	sent += len;
	return (ssize_t)len;
}

int
sys_accept(int lfd, struct sys_peer *peer)
{
	if (lfd != 3 || accepts++ > 0) {
		errno = EAGAIN;
		return -1;
	}
	memset(peer, 0, sizeof(*peer));
	peer->uid = inlen % 2 ? 0 : 1000;
	return CLIENT_FD;
}

int
sys_close(int fd)
{
	if (fd != CLIENT_FD)
		abort();
	closes++;
	return 0;
}

/* The listener is fd 3. */
int sys_listen_unix(const char *p, int m, gid_t g) { (void)p; (void)m; (void)g; return 3; }

/* Every fd the loop polls is ready for what it asks: a client that never waits. */
int
sys_poll(void *pfds, int n, int64_t timeout_ms)
{
	struct pollfd *p = pfds;
	int i;

	(void)timeout_ms;
	for (i = 0; i < n; i++)
		p[i].revents = hangup && p[i].fd == CLIENT_FD ? POLLHUP : p[i].events;
	return n;
}

int64_t sys_now(void) { return 0; }

/* Not reached from here: no signalfd, no config file. */
int sys_open(const char *path, int flags) { (void)path; (void)flags; abort(); }
int sys_signalfd_read(int fd, struct sys_siginfo *si) { (void)fd; (void)si; abort(); }
int sys_sigwait(struct sys_siginfo *si, int64_t t) { (void)si; (void)t; abort(); }
bool sys_is_socket(const char *path) { (void)path; abort(); }
int sys_unlink(const char *path) { (void)path; abort(); }
ssize_t sys_write(int fd, const void *buf, size_t len) { (void)fd; (void)buf; return (ssize_t)len; }

/* The line ctl should hand over: up to the first newline, or all of a short input. */
static long
expected_line(void)
{
	size_t n = inlen < CTL_REQ_MAX ? inlen : CTL_REQ_MAX;
	const uint8_t *nl = memchr(in, '\n', n);

	if (nl)
		return nl - in;
	return inlen < CTL_REQ_MAX ? (long)inlen : -1;
}

/*
 * The answer function: parse, check, and answer the way init/control.c
 * does. A good wait is parked the first time, due at once, so that the
 * loop's timers ask it again late and it is answered then.
 */
static bool
answer(void *ctx, struct ctl_req *r, struct buf *out)
{
	long want = expected_line();
	char *line = r->line;
	struct req q;
	int i;

	(void)ctx;
	answers++;
	if (want < 0 || memcmp(line, in, (size_t)want) != 0 || line[want] != '\0')
		abort();	/* not the line the client sent */
	req_parse(line, &q);
	if ((q.word && (q.word < line || q.word > line + want)) ||
	    (q.name && (q.name < line || q.name > line + want)))
		abort();	/* words point into the line */
	for (i = 0; i < q.nnames; i++)
		if (q.names[i] < line || q.names[i] > line + want)
			abort();
	if (q.verb != REQ_USAGE && q.word == NULL)
		abort();
	if (req_named(q.verb) && !q.bad_args && q.name == NULL)
		abort();
	if (q.verb == REQ_WAIT && !q.bad_args && (q.nnames < 1 || q.nnames > CTL_WAIT_NAMES_MAX))
		abort();
	if (q.json && q.verb != REQ_STATUS && q.verb != REQ_EVENTS)
		abort();
	if (q.verb == REQ_WAIT && !q.bad_args && !r->late) {
		r->until = r->now;
		return false;
	}
	if (q.follow && q.verb != REQ_EVENTS)
		abort();
	if (q.verb == REQ_EVENTS && q.follow) {
		buf_add(out, "0\n");
		r->follow = q.json ? CTL_FOLLOW_JSON : CTL_FOLLOW_TEXT;
	} else if (q.verb == REQ_USAGE)
		buf_add(out, "2\nusage\n");
	else if (q.verb == REQ_UNKNOWN)
		buf_add(out, "2\nunknown request '%.40s'\n", q.word);
	else if (req_changes(q.verb) && !r->may_change)
		buf_add(out, "1\nrefused: only root or control-group may %s\n", q.word);
	else if (q.verb == REQ_WAIT)
		buf_add(out, "%d\nwait %d\n", q.bad_args ? 2 : 1, q.nnames);
	else
		buf_add(out, "0\n%s %s%s\n", q.word, q.name ? q.name : "", q.json ? " json" : "");
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ctl c;
	static struct loop l;
	static struct loop_src tab[LOOP_SRC_MAX];
	bool followed = false;
	int i;

	in = data;
	inlen = size;
	inpos = sent = 0;
	accepts = answers = closes = sends = hangup = 0;
	piece = size % 13 ? size % 13 : CTL_REQ_MAX;	/* varies with the input */
	loop_init(&l, tab, LOOP_SRC_MAX);
	ctl_init(&c, &l, answer, NULL);
	if (ctl_open(&c, "/run/fuzz.sock", NULL) < 0)
		abort();
	loop_once(&l);		/* the listener: the client comes in */
	for (i = 0; i < 100000 && c.cl[0].fd >= 0; i++) {
		loop_once(&l);	/* its request, in pieces; its answer, in pieces */
		ctl_recheck(&c, 0);	/* as system mode's step does */
		if (c.cl[0].fd < 0 || c.cl[0].follow == CTL_ONCE)
			continue;
		followed = true;
		if (i < 40)	/* a few events for the follower, then it goes */
			evt_add(i, EVT_ORPHAN, "fz", i, 0);
		else
			hangup = 1;
	}
	if (c.cl[0].fd >= 0 || closes != 1)
		abort();	/* the client is always served and let go */
	if (size == 0 ? answers != 0 : (expected_line() < 0) != (answers == 0))
		abort();	/* answered exactly when a line came */
	if (size > 0 && (sent < 2 || sink[0] < '0' || sink[0] > '2' || sink[1] != '\n'))
		abort();	/* an answer went out */
	if (size > 0 && !followed && (sent != c.cl[0].out.len ||
	    memcmp(sink, c.cl[0].out.p, sent) != 0))
		abort();	/* all of it */
	if (followed && (sink[0] != '0' || memchr(sink, '\0', sent) != NULL))
		abort();	/* a follower's lines, its out reused for each */
	return 0;
}
