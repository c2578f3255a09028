/*
 * The control socket. Fixed slots, non-blocking I/O, one request line per
 * connection and one answer; a client that says nothing or reads slowly
 * is dropped at its deadline. PID 1 never waits on a client.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>

#include "ctl.h"
#include "fmt.h"
#include "ids.h"
#include "log.h"
#include "num.h"
#include "sys.h"

static char ctl_mem[CTL_CLIENTS_MAX][CTL_RESP_MAX];

void
ctl_init(struct ctl *c)
{
	int i;

	c->lfd = -1;
	c->gid = (gid_t)-1;
	c->resume = -1;
	c->path[0] = '\0';
	for (i = 0; i < CTL_CLIENTS_MAX; i++)
		c->cl[i].fd = -1;
}

/* Listen on path: mode 0600, or 0660 for control-group. */
int
ctl_open(struct ctl *c, const char *path, const char *group)
{
	gid_t gid = (gid_t)-1;
	struct ids ids;

	if (group && ids_get(IDS_PASSWD, IDS_GROUP, NULL, group, &ids) == 0)
		gid = ids.gid;
	else if (group) {
		log_msg(LV_WARN, "control-group %s is unknown; root only", group);
		gid = (gid_t)-1;
	}
	if ((c->lfd = sys_listen_unix(path, gid == (gid_t)-1 ? 0600 : 0660, gid)) < 0) {
		log_sys(LV_WARN, "unable to listen on %s; no reaperctl", path);
		return -1;
	}
	c->gid = gid;
	(void)fmt_print(c->path, sizeof(c->path), "%s", path);	/* fits: it was bound */
	return 0;
}

/* Whether the peer may change things: root, or a member of control-group. */
static bool
ctl_member(const struct ctl *c, const struct sys_peer *p)
{
	int i;

	if (p->uid == 0)
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
	(void)sys_close(cl->fd);
	cl->fd = -1;
}

/*
 * The poll entries, from index at: the listener (when a slot is free), then
 * each slot. Returns the number of entries to poll: up to the last slot in
 * use only, since poll(2) refuses more entries than RLIMIT_NOFILE (EINVAL),
 * which under a low fd limit would leave PID 1 spinning, deaf to clients.
 */
int
ctl_fds(const struct ctl *c, void *pfds, int at)
{
	struct pollfd *p = (struct pollfd *)pfds + at;
	bool room = false;
	int i, used = 0;

	for (i = 0; i < CTL_CLIENTS_MAX; i++) {
		const struct ctl_client *cl = &c->cl[i];

		p[1 + i].fd = cl->fd;
		p[1 + i].events = cl->answered ? POLLOUT : POLLIN;
		p[1 + i].revents = 0;
		room |= cl->fd < 0;
		if (cl->fd >= 0)
			used = i + 1;
	}
	/* Full, or pausing after a failed accept: newcomers wait in the backlog. */
	p[0].fd = room && c->resume < 0 ? c->lfd : -1;
	p[0].events = POLLIN;
	p[0].revents = 0;
	return at + 1 + used;
}

/* Send what is left of the answer; drop the client once it is all out. */
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
	if (cl->outoff == cl->out.len)
		ctl_drop(cl);
}

/* Read the request; once its line is whole, answer it. */
static void
ctl_read(struct ctl_client *cl, int slot, ctl_answer_fn *fn, void *ctx)
{
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
	buf_init(&cl->out, ctl_mem[slot], sizeof(ctl_mem[slot]));
	if (!nl) {
		buf_add(&cl->out, "2\nrequest too long (limit %d bytes)\n", CTL_REQ_MAX - 1);
	} else {
		*nl = '\0';
		fn(ctx, cl->in, cl->may_change, &cl->out);
	}
	cl->answered = true;
	cl->outoff = 0;
	cl->deadline += CTL_TIMEOUT_MS;	/* now to read the answer */
	ctl_send(cl);
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
		struct ctl_client *cl = &c->cl[i];

		if (cl->fd >= 0)
			continue;
		if ((fd = sys_accept(c->lfd, &peer)) < 0) {
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				log_sys(LV_WARN, "control socket: accept");
				c->resume = now + CTL_PAUSE_MS;
			}
			return;
		}
		if (nfree == 1 && peer.uid != 0) {
			(void)sys_close(fd);	/* kept for root */
			continue;
		}
		nfree--;
		cl->fd = fd;
		cl->may_change = ctl_member(c, &peer);
		cl->inlen = 0;
		cl->answered = false;
		cl->deadline = now + CTL_REQ_TIMEOUT_MS;
	}
}

/* Serve what poll reported, drop the clients past their deadline. */
void
ctl_work(struct ctl *c, const void *pfds, int at, int64_t now,
    ctl_answer_fn *fn, void *ctx)
{
	const struct pollfd *p = (const struct pollfd *)pfds + at;
	int i;

	for (i = 0; i < CTL_CLIENTS_MAX; i++) {
		struct ctl_client *cl = &c->cl[i];

		if (cl->fd < 0 || cl->fd != p[1 + i].fd)
			continue;
		if (p[1 + i].revents & POLLIN && !cl->answered)
			ctl_read(cl, i, fn, ctx);
		else if (p[1 + i].revents & POLLOUT && cl->answered)
			ctl_send(cl);
		else if (p[1 + i].revents & (POLLERR | POLLHUP | POLLNVAL))
			ctl_drop(cl);
		if (cl->fd >= 0 && now >= cl->deadline)
			ctl_drop(cl);	/* silent, or reading too slowly */
	}
	if (c->resume >= 0 && now >= c->resume)
		c->resume = -1;
	if (c->lfd >= 0 && p[0].fd == c->lfd && p[0].revents & POLLNVAL) {
		log_msg(LV_ERR, "control socket lost; no reaperctl from now on");
		c->lfd = -1;	/* never poll a dead fd: it would wake us forever */
	} else if (c->lfd >= 0 && p[0].fd == c->lfd && p[0].revents & POLLIN) {
		ctl_accept(c, now);
	}
}

/* The listener's fd, for the fds PID 1 keeps open, or -1. */
int
ctl_fd(const struct ctl *c)
{
	return c->lfd;
}

/* The listener and the clients' fds, for a caller that closes all others. */
int
ctl_keep(const struct ctl *c, int *fds, int max)
{
	int i, n = 0;

	if (c->lfd >= 0 && n < max)
		fds[n++] = c->lfd;
	for (i = 0; i < CTL_CLIENTS_MAX && n < max; i++)
		if (c->cl[i].fd >= 0)
			fds[n++] = c->cl[i].fd;
	return n;
}

int64_t
ctl_deadline(const struct ctl *c)
{
	int64_t dl = -1;
	int i;

	for (i = 0; i < CTL_CLIENTS_MAX; i++)
		if (c->cl[i].fd >= 0)
			dl = num_earliest(dl, c->cl[i].deadline);
	return num_earliest(dl, c->resume);
}

/* At exit (outside a machine): the socket this reaper made goes with it. */
void
ctl_close(struct ctl *c)
{
	int i;

	for (i = 0; i < CTL_CLIENTS_MAX; i++)
		if (c->cl[i].fd >= 0)
			ctl_drop(&c->cl[i]);
	if (c->lfd < 0)
		return;
	(void)sys_close(c->lfd);
	c->lfd = -1;
	if (sys_is_socket(c->path))	/* never anything else put there since */
		(void)sys_unlink(c->path);
}
