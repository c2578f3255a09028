/*
 * fds 1 and 2 as sinks of prefixed lines (stdout=prefix, stderr=prefix):
 * a line goes out only when poll says the fd takes it, so PID 1 never
 * blocks on a stalled reader; else it waits in its sink, and klog.c reads
 * none of the pipes feeding that sink until it is out. Lost lines are
 * said here for every sink, /dev/kmsg's too.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>

#include "klog.h"
#include "klogout.h"
#include "log.h"
#include "loop.h"
#include "sys.h"

/* No line waits; fds 1 and 2; no loss said yet. */
void
klogout_init(struct klogs *ks)
{
	int i;

	for (i = 0; i < 3; i++) {
		ks->failed[i] = false;
		ks->said[i] = -1;
	}
	ks->flushing = false;
	ks->until = -1;
	for (i = 0; i < 2; i++) {
		struct klog_out *o = &ks->out[i];

		o->set = ks;
		o->fd = i + 1;
		o->lid = -1;
		o->colour = false;
		o->off = o->len = 0;
		o->held = NULL;
		o->in_off = o->in_len = 0;
	}
}

/*
 * A line of name's lost: said on the first loss after a line went out,
 * and then at most once per KLOG_LOST_QUIET_MS, however losses and
 * successes take turns.
 */
void
klogout_lost(struct klogs *ks, enum klog_sink sink, const char *name)
{
	static const char *const sinks[] = { NULL, "stdout", "stderr" };
	int saved = errno;
	int64_t now;

	if (ks->failed[sink])
		return;
	ks->failed[sink] = true;
	now = sys_now();
	if (ks->said[sink] >= 0 && now - ks->said[sink] < KLOG_LOST_QUIET_MS)
		return;
	ks->said[sink] = now;
	errno = saved;
	log_sys(LV_ERR, "%s: output line lost: unable to write %s", name,
	    sink == KLOG_SINK_KMSG ? ks->path : sinks[sink]);
}

static enum klog_sink
klogout_sink(const struct klog_out *o)
{
	return o == &o->set->out[1] ? KLOG_SINK_ERR : KLOG_SINK_OUT;
}

/*
 * Whether o's fd takes a write now; while klog_flush runs, within what
 * is left of its KLOG_FLUSH_MS, counted from the first wait.
 */
static int
klogout_writable(const struct klog_out *o)
{
	struct klogs *ks = o->set;
	int64_t now, left;
	int r = sys_wait_out(o->fd, 0);

	if (r != 0 || !ks->flushing)
		return r;
	now = sys_now();
	if (ks->until < 0)
		ks->until = now + KLOG_FLUSH_MS;
	left = ks->until - now;
	return left > 0 ? sys_wait_out(o->fd, left) : 0;
}

/*
 * Write the rest of o's line, poll first so PID 1 never blocks. A short
 * write (someone set O_NONBLOCK on the file description) keeps the rest
 * for the next turn, so no other line goes between. False: the line
 * waits; true: it went out, or is lost (said).
 */
bool
klogout_write(struct klog_out *o)
{
	struct klogs *ks = o->set;

	while (o->off < o->len) {
		int r = klogout_writable(o);
		ssize_t n = 0;

		if (r > 0 && (n = sys_write(o->fd, o->rec + o->off, o->len - o->off)) > 0) {
			o->off += (size_t)n;
			continue;
		}
		if (r == 0 || (n < 0 && errno == EAGAIN)) {
			if (!ks->flushing)
				return false;
			errno = EAGAIN;	/* klog_flush's time is up: no waiting now */
		} else if (n == 0) {
			errno = EIO;
		}
		klogout_lost(ks, klogout_sink(o), o->name);
		o->off = o->len = 0;
		return true;
	}
	o->off = o->len = 0;
	ks->failed[klogout_sink(o)] = false;
	return true;
}

/* Start or stop reading every pipe whose lines go to o. */
static void
klogout_listen(struct klog_out *o, int events)
{
	struct klogs *ks = o->set;
	enum klog_sink sink = klogout_sink(o);
	int i;

	for (i = 0; i < KLOG_PIPES_MAX; i++)
		if (ks->kl[i].set && ks->kl[i].sink == sink)
			loop_events(ks->loop, ks->kl[i].lid, events);
}

/* Whether o holds a line or a read not all fed: its pipes are not read then. */
bool
klogout_busy(const struct klog_out *o)
{
	return o->len > 0 || o->held;
}

/*
 * o's fd takes no write: its pipes wait, and the loop watches the fd. No
 * slot for that (LOOP_SRC_MAX counts it: never): the line is lost rather
 * than kept with nothing to send it later.
 */
bool
klogout_wait(struct klog_out *o, loop_fn *on_out)
{
	if (o->lid < 0 &&
	    (o->lid = loop_add(o->set->loop, o->fd, POLLOUT, on_out, NULL, o)) < 0) {
		klogout_lost(o->set, klogout_sink(o), o->name);
		o->off = o->len = 0;
		return true;
	}
	klogout_listen(o, 0);
	return false;
}

/* o is free again: its pipes are read, the loop no longer watches its fd. */
void
klogout_free(struct klog_out *o)
{
	loop_del(o->set->loop, o->lid);
	o->lid = -1;
	klogout_listen(o, POLLIN);
}

