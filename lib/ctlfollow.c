/*
 * Followers of reaperctl events --follow: a follower keeps its slot after
 * its answer and is sent each event as it is recorded; one that reads too
 * slowly is never waited for: what does not fit its buffer is counted, and
 * it is told how many it missed once it has room again. At most
 * CTL_FOLLOW_MAX follow.
 */
#include <poll.h>
#include <string.h>

#include "ctl.h"
#include "ctlfollow.h"
#include "evt.h"
#include "loop.h"

/*
 * n more bytes for a follower, after what it has not read yet; false when
 * they do not fit, even with what it has read moved out of the way.
 */
static bool
ctlfollow_put(struct ctl_client *cl, const char *s, size_t n)
{
	struct buf *b = &cl->out;

	if (b->len + n > b->cap && cl->outoff > 0) {
		memmove(b->p, b->p + cl->outoff, b->len - cl->outoff);
		b->len -= cl->outoff;
		cl->outoff = 0;
	}
	if (b->len + n > b->cap)
		return false;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
	return true;
}

/*
 * The count of events a follower missed, said once it has room again: half
 * its buffer read, so that a reader just too slow gets a count now and then
 * rather than one after every event. True when nothing is left to say.
 */
bool
ctlfollow_missed(struct ctl_client *cl)
{
	char mem[64];
	struct buf line;

	if (cl->missed == 0)
		return true;
	if (cl->out.len - cl->outoff > cl->out.cap / 2)
		return false;
	buf_init(&line, mem, sizeof(mem));
	if (cl->follow == CTL_FOLLOW_JSON)
		buf_add(&line, "{\"missed\":%lu}\n", cl->missed);
	else
		buf_add(&line, "... %lu event%s missed\n", cl->missed, cl->missed == 1 ? "" : "s");
	if (!ctlfollow_put(cl, line.p, line.len))
		return false;
	cl->missed = 0;
	return true;
}

/* One event for a follower, as one line; counted as missed when it does not fit. */
static void
ctlfollow_feed(struct ctl_client *cl, const struct evt *e, int64_t now)
{
	char mem[CTL_EVT_LINE_MAX];
	struct buf line;

	if (!ctlfollow_missed(cl)) {
		cl->missed++;
		return;
	}
	buf_init(&line, mem, sizeof(mem));
	evt_format(&line, e, now, cl->follow == CTL_FOLLOW_JSON);
	if (cl->follow == CTL_FOLLOW_JSON)
		buf_add(&line, "\n");
	if (!ctlfollow_put(cl, line.p, line.len))
		cl->missed++;
}

/* A follower is polled for room while it has bytes to read, else for its hang-up alone. */
void
ctlfollow_events(struct ctl_client *cl)
{
	loop_events(cl->c->loop, cl->lid, cl->outoff < cl->out.len ? POLLOUT : POLLPRI);
}

/* Each follower gets the event just recorded; sent when it has room. */
void
ctlfollow_on_evt(void *ctx, const struct evt *e)
{
	struct ctl *c = ctx;
	int i;

	for (i = 0; i < CTL_CLIENTS_MAX; i++) {
		struct ctl_client *cl = &c->cl[i];

		if (cl->fd < 0 || cl->follow == CTL_ONCE || !cl->answered)
			continue;
		ctlfollow_feed(cl, e, e->t);
		ctlfollow_events(cl);
	}
}

static int
ctlfollow_count(const struct ctl *c)
{
	int i, n = 0;

	for (i = 0; i < CTL_CLIENTS_MAX; i++)
		n += c->cl[i].fd >= 0 && c->cl[i].follow != CTL_ONCE;
	return n;
}

/*
 * The answer asks to follow: the ring after it, oldest first, then each
 * event as it comes, with no deadline; unless CTL_FOLLOW_MAX follow already.
 */
void
ctlfollow_start(struct ctl_client *cl, enum ctl_follow how, int64_t now)
{
	int i;

	if (ctlfollow_count(cl->c) >= CTL_FOLLOW_MAX) {
		buf_reset(&cl->out);
		buf_add(&cl->out, "1\ntoo many followers\n");
		ctl_answered(cl, now);
		return;
	}
	cl->follow = how;
	cl->missed = 0;
	cl->outoff = 0;		/* the slot's last client may have left it anywhere */
	for (i = 0; i < evt_count(); i++)
		ctlfollow_feed(cl, evt_get(i), now);
	ctl_answered(cl, now);
}

