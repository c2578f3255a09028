/*
 * The control socket. Fixed slots, non-blocking I/O, one request line per
 * connection and one answer; a client that says nothing or reads slowly
 * is dropped at its deadline. PID 1 never waits on a client. A request
 * the answer function cannot answer yet (a wait) is parked in its slot:
 * asked again after every wake-up, and a last time at its deadline. At
 * most CTL_WAITS_MAX are parked, so waiters never hold every slot.
 * Followers (events --follow) are lib/ctlfollow.c's.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "ctl.h"
#include "ctlfollow.h"
#include "evt.h"
#include "fmt.h"
#include "ids.h"
#include "log.h"
#include "loop.h"
#include "sys.h"

static char ctl_mem[CTL_CLIENTS_MAX][CTL_RESP_MAX] PAGE_ALIGNED;

/* The control socket's state, on loop l; fn answers each request. */
void
ctl_init(struct ctl *c, struct loop *l, ctl_answer_fn *fn, void *ctx)
{
	int i;

	c->loop = l;
	c->fn = fn;
	c->ctx = ctx;
	c->lfd = -1;
	c->lid = -1;
	c->gid = (gid_t)-1;
	c->uid = 0;	/* until it listens */
	c->resume = -1;
	c->path[0] = '\0';
	for (i = 0; i < CTL_CLIENTS_MAX; i++) {
		c->cl[i].fd = -1;
		c->cl[i].lid = -1;
		c->cl[i].c = c;
		c->cl[i].follow = CTL_ONCE;
	}
	evt_listen(ctlfollow_on_evt, c);	/* one control socket per process */
}

static void ctl_on_listen(void *ctx, int revents, int64_t now);

/* When the listener pauses (resume), and so is due. */
static int64_t
ctl_listen_due(const void *ctx)
{
	return ((const struct ctl *)ctx)->resume;
}

/* Full, or pausing after a failed accept: newcomers wait in the backlog. */
static void
ctl_listen_events(struct ctl *c)
{
	bool room = false;
	int i;

	for (i = 0; i < CTL_CLIENTS_MAX; i++)
		room |= c->cl[i].fd < 0;
	loop_events(c->loop, c->lid, room && c->resume < 0 ? POLLIN : 0);
}

/* control-group's gid, or (gid_t)-1 for root only (also when it is unknown). */
gid_t
ctl_gid(const char *group)
{
	struct ids ids;

	if (!group)
		return (gid_t)-1;
	if (ids_get(IDS_PASSWD, IDS_GROUP, NULL, group, &ids) == 0)
		return ids.gid;
	log_msg(LV_WARN, "control-group %s is unknown; root only", group);
	return (gid_t)-1;
}

/*
 * Listen on path: mode 0600, or 0660 for gid (control-group group). 0;
 * -1 with errno when the socket cannot be made there (not said: the
 * caller may try elsewhere); -2 when it was made but cannot be watched,
 * or given its group (said). Not root, a group reaper is not in is not
 * its to give: then the socket is 0600, for root and reaper's own user.
 */
int
ctl_listen(struct ctl *c, const char *path, gid_t gid, const char *group)
{
	const char *g = group ? group : "?";

	c->lfd = sys_listen_unix(path, gid == (gid_t)-1 ? 0600 : 0660, gid);
	if (c->lfd == -2 && errno == EPERM && sys_geteuid() != 0) {
		log_msg(LV_WARN, "control-group %s is not taken (%s): %s is uid %lu's only", g,
		    strerror(EPERM), path, (unsigned long)sys_geteuid());
		gid = (gid_t)-1;
		c->lfd = sys_listen_unix(path, 0600, gid);
	}
	if (c->lfd == -2) {
		log_sys(LV_WARN, "unable to give %s to control-group %s; no reaperctl", path, g);
		c->lfd = -1;
		return -2;
	}
	if (c->lfd < 0)
		return -1;
	if ((c->lid = loop_add(c->loop, c->lfd, POLLIN, ctl_on_listen, ctl_listen_due,
	    c)) < 0) {
		log_sys(LV_ERR, "control socket %s", path);
		(void)sys_close(c->lfd);
		c->lfd = -1;
		return -2;
	}
	c->gid = gid;
	c->uid = sys_geteuid();
	(void)fmt_print(c->path, sizeof(c->path), "%s", path);	/* fits: it was bound */
	return 0;
}

/* Listen on path (set control=PATH): that path only. */
int
ctl_open(struct ctl *c, const char *path, const char *group)
{
	int r = ctl_listen(c, path, ctl_gid(group), group);

	if (r == -1)
		log_sys(LV_WARN, "unable to listen on %s; no reaperctl", path);
	return r < 0 ? -1 : 0;
}

/* Whether the peer may change things: root, or a member of control-group. */
static bool
ctl_member(const struct ctl *c, const struct sys_peer *p)
{
	int i;

	/* Root, or reaper's own user: that one may signal or trace reaper
	 * and every service anyway (a --user 1000 container has no other). */
	if (p->uid == 0 || p->uid == c->uid)
		return true;
	if (c->gid == (gid_t)-1)
		return false;
	if (p->gid == c->gid)
		return true;
	for (i = 0; i < p->ngroups; i++)	/* as the kernel saw them at connect */
		if (p->groups[i] == c->gid)
			return true;
	return false;
}

static void
ctl_drop(struct ctl_client *cl)
{
	loop_del(cl->c->loop, cl->lid);
	(void)sys_close(cl->fd);
	cl->fd = -1;
	cl->lid = -1;
	cl->follow = CTL_ONCE;
	ctl_listen_events(cl->c);	/* a slot is free again */
}

/*
 * Send what is left of the answer; drop the client once it is all out,
 * unless it follows: then it waits for the next event, and is told what
 * it missed meanwhile.
 */
static void
ctl_send(struct ctl_client *cl)
{
	ssize_t n = sys_send(cl->fd, cl->out.p + cl->outoff, cl->out.len - cl->outoff);

	if (n < 0 && errno == EAGAIN)
		return;
	if (n < 0) {	/* EPIPE: the client went away before its answer */
		log_sys(LV_DEBUG, "control socket: client dropped");
		ctl_drop(cl);
		return;
	}
	cl->outoff += (size_t)n;
	if (cl->follow == CTL_ONCE) {
		if (cl->outoff == cl->out.len)
			ctl_drop(cl);
		return;
	}
	if (cl->outoff == cl->out.len) {
		cl->outoff = 0;
		buf_reset(&cl->out);
	}
	(void)ctlfollow_missed(cl);
	ctlfollow_events(cl);
}

/* The answer is in out: now to send it, and within CTL_TIMEOUT_MS unless it follows. */
void
ctl_answered(struct ctl_client *cl, int64_t now)
{
	cl->answered = true;
	cl->parked = false;
	cl->outoff = 0;
	cl->deadline = cl->follow == CTL_ONCE ? now + CTL_TIMEOUT_MS : -1;
	loop_events(cl->c->loop, cl->lid, POLLOUT);
	ctl_send(cl);
}

static int
ctl_nparked(const struct ctl *c)
{
	int i, n = 0;

	for (i = 0; i < CTL_CLIENTS_MAX; i++)
		n += c->cl[i].fd >= 0 && c->cl[i].parked;
	return n;
}

/*
 * Parked until until (-1: no deadline). Polled for nothing it can send
 * (POLLPRI never comes on a unix socket) but for a hang-up, always
 * reported: a waiter that went away frees its slot, one that only shut
 * its sending side keeps waiting, and bytes it sends on never wake us.
 * An until already come is answered by the loop's timers this wake-up.
 */
static void
ctl_park(struct ctl_client *cl, int64_t until)
{
	cl->parked = true;
	cl->deadline = until;
	loop_events(cl->c->loop, cl->lid, POLLPRI);
}

/*
 * Put the request line (in cl->in) to the answer function: a fresh copy
 * and an empty answer each time. Not answered: parked, if there is room.
 */
static void
ctl_ask(struct ctl_client *cl, int64_t now, bool late)
{
	struct ctl *c = cl->c;
	int slot = (int)(cl - c->cl);
	char line[CTL_REQ_MAX];
	struct ctl_req q = { line, cl->may_change, late, now, -1, CTL_ONCE };

	memcpy(line, cl->in, cl->inlen);
	buf_init(&cl->out, ctl_mem[slot], sizeof(ctl_mem[slot]));
	if (c->fn(c->ctx, &q, &cl->out)) {
		if (q.follow != CTL_ONCE && !cl->out.cut)
			ctlfollow_start(cl, q.follow, now);
		else
			ctl_answered(cl, now);
		return;
	}
	buf_reset(&cl->out);
	if (late) {	/* the fn must answer now; never leave a client hanging */
		buf_add(&cl->out, "1\ntimed out\n");
		ctl_answered(cl, now);
	} else if (!cl->parked && ctl_nparked(c) >= CTL_WAITS_MAX) {
		buf_add(&cl->out, "1\ntoo many waiting clients\n");
		ctl_answered(cl, now);
	} else if (!cl->parked) {
		ctl_park(cl, q.until);
	}	/* else: parked, not yet */
}

/* Read the request; once its line is whole, answer it (or park it). */
static void
ctl_read(struct ctl_client *cl, int64_t now)
{
	int slot = (int)(cl - cl->c->cl);
	ssize_t n = sys_read(cl->fd, cl->in + cl->inlen, sizeof(cl->in) - cl->inlen);
	char *nl;

	if (n < 0 && errno == EAGAIN)
		return;
	if (n < 0 || (n == 0 && cl->inlen == 0)) {
		ctl_drop(cl);	/* gone before asking */
		return;
	}
	cl->inlen += (size_t)n;
	nl = memchr(cl->in, '\n', cl->inlen);
	if (!nl && n == 0 && cl->inlen < sizeof(cl->in))
		nl = cl->in + cl->inlen;	/* the end of input ends the line too */
	else if (!nl && cl->inlen < sizeof(cl->in))
		return;		/* the rest is on its way */
	if (nl) {
		*nl = '\0';
		cl->inlen = (size_t)(nl - cl->in) + 1;	/* the line, its NUL: for ctl_ask */
		ctl_ask(cl, now, false);
		return;
	}
	buf_init(&cl->out, ctl_mem[slot], sizeof(ctl_mem[slot]));
	buf_add(&cl->out, "2\nrequest too long (limit %d bytes)\n", CTL_REQ_MAX - 1);
	ctl_answered(cl, now);
}

/* After every wake-up: each parked request asked again, late at its deadline. */
void
ctl_recheck(struct ctl *c, int64_t now)
{
	int i;

	for (i = 0; i < CTL_CLIENTS_MAX; i++) {
		struct ctl_client *cl = &c->cl[i];

		if (cl->fd >= 0 && cl->parked)
			ctl_ask(cl, now, cl->deadline >= 0 && now >= cl->deadline);
	}
}

/* A client's news: its request, room for its answer, its hang-up or its time. */
static void
ctl_on_client(void *ctx, int revents, int64_t now)
{
	struct ctl_client *cl = ctx;

	if (revents & POLLIN && !cl->answered && !cl->parked)
		ctl_read(cl, now);
	else if (revents & POLLOUT && cl->answered)
		ctl_send(cl);
	else if (revents & (POLLERR | POLLHUP | POLLNVAL))
		ctl_drop(cl);
	if (cl->fd < 0 || cl->deadline < 0 || now < cl->deadline)
		return;
	if (cl->parked)
		ctl_ask(cl, now, true);	/* its time is up: the answer says so */
	else
		ctl_drop(cl);	/* silent, or reading too slowly */
}

static int64_t
ctl_client_due(const void *ctx)
{
	return ((const struct ctl_client *)ctx)->deadline;
}

/* A connected client into a free slot, on the loop; 0, or -1 when none is free. */
int
ctl_adopt(struct ctl *c, int fd, bool may_change, int64_t now)
{
	struct ctl_client *cl = NULL;
	int i;

	for (i = 0; i < CTL_CLIENTS_MAX && !cl; i++)
		if (c->cl[i].fd < 0)
			cl = &c->cl[i];
	if (!cl)
		return errno = EBUSY, -1;
	cl->fd = fd;
	cl->may_change = may_change;
	cl->inlen = 0;
	cl->answered = false;
	cl->parked = false;
	cl->follow = CTL_ONCE;
	cl->missed = 0;
	cl->deadline = now + CTL_REQ_TIMEOUT_MS;
	if ((cl->lid = loop_add(c->loop, fd, POLLIN, ctl_on_client, ctl_client_due,
	    cl)) < 0) {
		log_sys(LV_WARN, "control socket: client");
		cl->fd = -1;
		return -1;
	}
	ctl_listen_events(c);
	return 0;
}

/*
 * Take waiting clients into free slots. The last free slot is root's:
 * others holding every slot must not lock root out. A hard failure
 * (EMFILE, ENOMEM) pauses the listener a while instead of spinning on it.
 */
static void
ctl_accept(struct ctl *c, int64_t now)
{
	struct sys_peer peer;
	int i, fd, nfree = 0;

	for (i = 0; i < CTL_CLIENTS_MAX; i++)
		nfree += c->cl[i].fd < 0;
	for (i = 0; i < CTL_CLIENTS_MAX && nfree > 0; i++) {
		if (c->cl[i].fd >= 0)
			continue;
		if ((fd = sys_accept(c->lfd, &peer)) < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				log_sys(LV_WARN, "control socket: accept");
				c->resume = now + CTL_PAUSE_MS;
				ctl_listen_events(c);
			}
			return;
		}
		if (nfree == 1 && peer.uid != 0) {
			(void)sys_close(fd);	/* kept for root */
			continue;
		}
		nfree--;
		if (ctl_adopt(c, fd, ctl_member(c, &peer), now) < 0)
			(void)sys_close(fd);
	}
}

/* The listener leaves the loop, and is closed unless it is gone already. */
static void
ctl_unlisten(struct ctl *c, bool close)
{
	loop_del(c->loop, c->lid);
	if (close)
		(void)sys_close(c->lfd);
	c->lfd = -1;
	c->lid = -1;
}

/* The listener: newcomers, the end of a pause, or the socket lost. */
static void
ctl_on_listen(void *ctx, int revents, int64_t now)
{
	struct ctl *c = ctx;

	if (c->resume >= 0 && now >= c->resume) {
		c->resume = -1;
		ctl_listen_events(c);
	}
	if (revents & (POLLNVAL | POLLERR | POLLHUP)) {
		log_msg(LV_ERR, "control socket lost; no reaperctl from now on");
		/* Never poll a dead fd: it would wake us for ever. */
		ctl_unlisten(c, !(revents & POLLNVAL));
	} else if (revents & POLLIN) {
		ctl_accept(c, now);
	}
}

/* At exit (outside a machine): the socket this reaper made goes with it. */
void
ctl_close(struct ctl *c)
{
	int i;

	evt_listen(NULL, NULL);
	for (i = 0; i < CTL_CLIENTS_MAX; i++) {
		struct ctl_client *cl = &c->cl[i];

		/* A follower's last lines (the shutdown), if its socket takes them now. */
		if (cl->fd >= 0 && cl->follow != CTL_ONCE && cl->outoff < cl->out.len)
			(void)sys_send(cl->fd, cl->out.p + cl->outoff, cl->out.len - cl->outoff);
		if (cl->fd >= 0)
			ctl_drop(cl);
	}
	if (c->lfd < 0)
		return;
	ctl_unlisten(c, true);
	if (sys_is_socket(c->path))	/* never anything else put there since */
		(void)sys_unlink(c->path);
}
