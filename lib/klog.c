/*
 * stdout=kmsg, stderr=kmsg: the service writes into a pipe, PID 1 cuts
 * what comes out into lines and writes each as one kernel log record,
 * "<6>NAME: text" for stdout and "<4>NAME: text" for stderr. Written raw
 * to /dev/kmsg instead, a program's output would become one record per
 * write(2), with no name and at the default level.
 *
 * stdout=prefix, stderr=prefix: the same pipes and the same cutting, each
 * line written to reaper's own fd 1 or 2 as "NAME | text" (docker compose
 * style), so a container's log shows who said what. One write(2) per line,
 * shorter than PIPE_BUF, so no other writer of that pipe cuts into it.
 * PID 1 never blocks on fds 1 and 2 (a stalled log reader, Ctrl-S, a
 * serial line held by flow control): a line goes out only when poll says
 * it can, else it waits, the pipes feeding that fd are not read, and
 * their services block on them, until the fd takes writes again. O_NONBLOCK
 * is not set on fds 1 and 2: services with stdout=console share them.
 *
 * A pipe outlives its service when the service's children keep it open;
 * it is read until its last writer is gone. PID 1 reads at most
 * KLOG_READ_MAX bytes of one pipe per wake-up, so a chatty service cannot
 * hold up reaping or reaperctl; what it writes meanwhile waits in the
 * pipe (the service blocks when the pipe is full), so no line is lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "fmt.h"
#include "klog.h"
#include "klogout.h"
#include "log.h"
#include "loop.h"
#include "sys.h"

/*
 * The pipes are read from loop l; the device is /dev/kmsg until klog_path.
 * tab is the caller's, of KLOG_PIPES_MAX slots, in static storage: a slot
 * is free while its set is NULL, as such storage starts, so the table
 * (29 KB of line buffers) is touched only as pipes are made.
 */
void
klog_init(struct klogs *ks, struct loop *l, struct klog *tab)
{
	int i;

	ks->kl = tab;
	for (i = 0; i < KLOG_PIPES_MAX; i++)
		if (ks->kl[i].set)	/* a test's second klogs in the same table */
			ks->kl[i].set = NULL;
	ks->loop = l;
	ks->dev = -1;
	klogout_init(ks);
	ks->width = 0;
	ks->conf = NULL;
	(void)fmt_print(ks->path, sizeof(ks->path), "%s", KLOG_DEV_DEFAULT);
}

/* A reload may name another device: the next line opens it. */
void
klog_path(struct klogs *ks, const char *path)
{
	size_t len;

	if (!path || strcmp(path, ks->path) == 0)
		return;
	if ((len = strlen(path)) > KLOG_PATH_MAX) {
		log_msg(LV_ERR, "kmsg path too long: %s", path);
		return;
	}
	memcpy(ks->path, path, len + 1);
	if (ks->dev >= 0)
		(void)sys_close(ks->dev);
	ks->dev = -1;
}

/* Whether e's stdout (fd 1) or stderr (fd 2) is prefixed: a tty= takes the ones not given. */
static bool
klog_prefixed(const struct conf_entry *e, int fd)
{
	enum conf_out kind = fd == 1 ? e->out_kind : e->err_kind;

	return kind == CO_PREFIX && (!e->tty || CONF_GIVEN(e, fd == 1 ? CONF_O_STDOUT :
	    CONF_O_STDERR));
}

/* An entry's colour: its index in the config at hand (0 when gone from it). */
static int
klog_index(const struct klogs *ks, const char *name)
{
	int i = ks->conf ? conf_find(ks->conf, name) : -1;

	return i < 0 ? 0 : i;
}

/*
 * The config at hand, at boot and at each reload: prefixed names are
 * padded to its longest prefixed entry's, each pipe takes its entry's
 * index as its colour, and fds 1 and 2 get colours if each is a terminal
 * and NO_COLOR is unset or empty (no-color.org). c stays the caller's.
 */
void
klog_conf(struct klogs *ks, const struct conf *c)
{
	const char *no = getenv("NO_COLOR");
	int i;

	ks->conf = c;
	ks->width = 0;
	for (i = 0; i < c->n; i++) {
		size_t n = strlen(c->ent[i].name);

		if ((klog_prefixed(&c->ent[i], 1) || klog_prefixed(&c->ent[i], 2)) &&
		    n > ks->width)
			ks->width = n;
	}
	for (i = 0; i < 2; i++)
		ks->out[i].colour = (!no || !*no) && sys_isatty(ks->out[i].fd);
	for (i = 0; i < KLOG_PIPES_MAX; i++)
		if (ks->kl[i].set && ks->kl[i].sink != KLOG_SINK_KMSG)
			ks->kl[i].colour = klog_index(ks, ks->kl[i].name);
}

const char *
klog_dev(const struct klogs *ks)
{
	return ks->path;
}

/* The device's fd if it is open, else -1: for a caller that closes all others. */
int
klog_dev_fd(const struct klogs *ks)
{
	return ks->dev;
}

static int
klog_device(struct klogs *ks)
{
	/* O_APPEND: a plain file standing in for /dev/kmsg in tests. */
	if (ks->dev < 0 && (ks->dev = sys_open(ks->path, O_WRONLY | O_APPEND)) < 0)
		log_sys(LV_ERR, "unable to open %s", ks->path);
	return ks->dev;
}

/* A kernel log record: "<L>NAME: text\n". */
static size_t
klog_record(const struct klog *k, char *rec, const char *text, size_t len)
{
	size_t nl = strlen(k->name), n = 0;

	rec[n++] = '<';
	rec[n++] = k->level;
	rec[n++] = '>';
	memcpy(rec + n, k->name, nl);
	n += nl;
	rec[n++] = ':';
	rec[n++] = ' ';
	memcpy(rec + n, text, len);
	n += len;
	rec[n++] = '\n';
	return n;
}

/* The fd sink of k's lines, fd 1 or 2 (for a pipe whose sink is not kmsg). */
static struct klog_out *
klog_out_of(const struct klog *k)
{
	return &k->set->out[k->sink == KLOG_SINK_ERR];
}

/* Whether k's fd sink holds lines back: k's pipe is not read meanwhile. */
static bool
klog_held_back(const struct klog *k)
{
	return k->sink != KLOG_SINK_KMSG && klogout_busy(klog_out_of(k));
}

/*
 * A prefixed line: "NAME   | text\n", the name padded to the widest, and
 * "NAME   + text" for each piece of a long line after its first. On a
 * terminal the name and its padding are in the entry's colour.
 */
static size_t
klog_line(const struct klog *k, struct klog_out *o, const char *text, size_t len)
{
	static const char colours[] = "632541";	/* 36, 33, 32, 35, 34, 31 */
	const struct klogs *ks = k->set;
	char *rec = o->rec;
	bool colour = o->colour;
	size_t nl = strlen(k->name), n = 0;

	if (colour) {	/* ESC [ 3 N m */
		rec[n++] = '\033';
		rec[n++] = '[';
		rec[n++] = '3';
		rec[n++] = colours[k->colour % 6];
		rec[n++] = 'm';
	}
	memcpy(rec + n, k->name, nl);
	n += nl;
	for (; nl < ks->width; nl++)
		rec[n++] = ' ';
	if (colour) {	/* ESC [ 0 m */
		rec[n++] = '\033';
		rec[n++] = '[';
		rec[n++] = '0';
		rec[n++] = 'm';
	}
	rec[n++] = ' ';
	rec[n++] = k->cont ? '+' : '|';
	rec[n++] = ' ';
	memcpy(rec + n, text, len);
	n += len;
	rec[n++] = '\n';
	return n;
}

/* A kernel log record, written at once. */
static void
klog_emit_kmsg(const struct klog *k, const char *text, size_t len)
{
	char rec[KLOG_REC_MAX];
	struct klogs *ks = k->set;
	size_t n = klog_record(k, rec, text, len);
	int fd = klog_device(ks);

	if (fd >= 0 && sys_write(fd, rec, n) == (ssize_t)n)
		ks->failed[k->sink] = false;
	else
		klogout_lost(ks, k->sink, k->name);
}

static void klog_on_out(void *ctx, int revents, int64_t now);

/*
 * One line to its sink, written at once so lines never mix. True: the
 * sink takes more; false: this line waits in its sink, and nothing more
 * may go there until it is out.
 */
static bool
klog_emit(const struct klog *k, const char *text, size_t len)
{
	struct klog_out *o;

	if (k->sink == KLOG_SINK_KMSG) {
		klog_emit_kmsg(k, text, len);
		return true;
	}
	o = klog_out_of(k);
	o->len = klog_line(k, o, text, len);
	o->off = 0;
	memcpy(o->name, k->name, sizeof(o->name));
	return klogout_write(o) || klogout_wait(o, klog_on_out);
}

/*
 * Cut what came into lines; a line longer than KLOG_LINE_MAX goes in
 * pieces, and the pieces after the first are marked as going on (cont).
 * It stops after a line its sink keeps waiting: the bytes taken.
 */
static size_t
klog_feed(struct klog *k, const char *p, size_t n)
{
	size_t all = n;

	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;
		bool end, sent;

		if (k->split && nl == p) {	/* that line's end: no empty record */
			k->split = false;
			k->cont = false;
			p++;
			n--;
			continue;
		}
		k->split = false;
		if (take > KLOG_LINE_MAX - k->len)
			take = KLOG_LINE_MAX - k->len;
		memcpy(k->line + k->len, p, take);
		k->len += take;
		p += take;
		n -= take;
		end = n > 0 && *p == '\n';
		if (end) {
			p++;
			n--;
		} else if (k->len < KLOG_LINE_MAX) {
			break;	/* the rest of this line comes later */
		} else {
			k->split = true;
		}
		sent = klog_emit(k, k->line, k->len);
		k->len = 0;
		k->cont = !end;
		if (!sent)
			break;
	}
	return all - n;
}

/* What o's fd could not take yet of its last read: true when all is fed. */
static bool
klog_out_feed(struct klog_out *o)
{
	struct klog *k = o->held;

	if (!k)
		return true;
	o->in_off += klog_feed(k, o->in + o->in_off, o->in_len - o->in_off);
	if (o->in_off < o->in_len)
		return false;
	o->held = NULL;
	o->in_off = o->in_len = 0;
	return true;
}

/*
 * o's fd takes writes again (or says why not): the waiting line first,
 * then the rest of the last read, then its pipes are read again.
 */
static void
klog_on_out(void *ctx, int revents, int64_t now)
{
	struct klog_out *o = ctx;

	(void)revents;
	(void)now;
	if (klogout_write(o) && klog_out_feed(o))
		klogout_free(o);
}

/* The slot leaves the loop and is free again (its fd closed, or lost). */
static void
klog_free(struct klog *k)
{
	int i;

	for (i = 0; i < 2; i++)
		if (k->set->out[i].held == k) {	/* never fed now */
			k->set->out[i].held = NULL;
			k->set->out[i].in_off = k->set->out[i].in_len = 0;
		}
	loop_del(k->set->loop, k->lid);
	k->fd = -1;
	k->lid = -1;
	k->len = 0;
	k->set = NULL;
}

/* One read; at the end of the stream, the last partial line and the close.
 * 1: bytes came, 0: none for now, -1: the stream is over. */
static int
klog_drain(struct klog *k)
{
	static char chunk[KLOG_READ_MAX];
	struct klog_out *o = k->sink == KLOG_SINK_KMSG ? NULL : klog_out_of(k);
	char *buf = o ? o->in : chunk;	/* what o cannot take yet stays there */
	ssize_t n = sys_read(k->fd, buf, KLOG_READ_MAX);

	if (n > 0) {
		size_t used = klog_feed(k, buf, (size_t)n);

		if (o && used < (size_t)n) {
			o->held = k;
			o->in_off = used;
			o->in_len = (size_t)n;
		}
		return 1;
	}
	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n < 0)
		log_sys(LV_WARN, "%s: reading its output", k->name);
	if (k->len > 0)
		(void)klog_emit(k, k->line, k->len);	/* if it waits, it waits in its sink */
	(void)sys_close(k->fd);
	klog_free(k);
	return -1;
}

/* A pipe's news: at most KLOG_READ_MAX bytes, so others get their turn. */
static void
klog_on_pipe(void *ctx, int revents, int64_t now)
{
	struct klog *k = ctx;

	(void)now;
	/* Its sink waits since this wake-up's poll: read it later. */
	if (klog_held_back(k))
		return;
	if (revents & POLLNVAL) {
		/* Closed under us: never poll it again, or poll would wake
		 * at once, for ever. */
		log_msg(LV_ERR, "%s: output pipe lost", k->name);
		klog_free(k);
	} else if (revents & (POLLIN | POLLHUP | POLLERR)) {
		(void)klog_drain(k);
	}
}

/* The read end of a new pipe for a service's stream, on the loop; the write end returned. */
static int
klog_open(struct klogs *ks, const char *name, enum klog_sink sink, char level)
{
	static const char *const raw[] = { NULL, "stdout", "stderr" };
	struct klog *k = NULL;
	int i, p[2];

	for (i = 0; i < KLOG_PIPES_MAX && !k; i++)
		if (!ks->kl[i].set)
			k = &ks->kl[i];
	if (!k) {
		log_msg(LV_ERR, "%s: more than %d output pipes; its output goes to "
		    "%s unnamed", name, KLOG_PIPES_MAX,
		    sink == KLOG_SINK_KMSG ? ks->path : raw[sink]);
		return -1;
	}
	if (sink == KLOG_SINK_KMSG && klog_device(ks) < 0)
		return -1;
	if (sys_pipe(p) < 0) {
		log_sys(LV_ERR, "%s: unable to make an output pipe", name);
		return -1;
	}
	if (sys_nonblock(p[0]) < 0) {
		log_sys(LV_ERR, "%s: unable to make an output pipe", name);
		(void)sys_close(p[0]);
		(void)sys_close(p[1]);
		return -1;
	}
	if ((k->lid = loop_add(ks->loop, p[0], POLLIN, klog_on_pipe, NULL, k)) < 0) {
		log_sys(LV_ERR, "%s: output pipe", name);
		(void)sys_close(p[0]);
		(void)sys_close(p[1]);
		return -1;
	}
	k->set = ks;
	k->fd = p[0];
	k->sink = sink;
	if (klog_held_back(k))
		loop_events(ks->loop, k->lid, 0);	/* read once its sink is free */
	k->level = level;
	(void)fmt_print(k->name, sizeof(k->name), "%s", name);	/* cut: a name's limit */
	k->colour = klog_index(ks, k->name);
	k->len = 0;
	k->split = false;
	k->cont = false;
	return p[1];
}

/* stdout=kmsg or stderr=kmsg (level KLOG_INFO or KLOG_WARN): its pipe's write end, or -1. */
int
klog_pipe(struct klogs *ks, const char *name, int level)
{
	return klog_open(ks, name, KLOG_SINK_KMSG, level == KLOG_WARN ? '4' : '6');
}

/* stdout=prefix (fd 1) or stderr=prefix (fd 2): its pipe's write end, or -1. */
int
klog_prefix(struct klogs *ks, const char *name, int fd)
{
	return klog_open(ks, name, fd == 2 ? KLOG_SINK_ERR : KLOG_SINK_OUT, 0);
}

/*
 * Before reaper exits or reboots: what waits for fds 1 and 2 goes first,
 * then what the pipes still hold goes out now, a last line without its
 * newline too, since no later wake-up will read it. Bounded: a writer
 * still alive cannot keep PID 1 here, nor can fds 1 and 2 taking no
 * writes for KLOG_FLUSH_MS (their lines are lost then, said).
 */
void
klog_flush(struct klogs *ks)
{
	int i, rounds;

	ks->flushing = true;
	ks->until = -1;
	for (i = 0; i < 2; i++) {
		struct klog_out *o = &ks->out[i];

		if (!klogout_busy(o))
			continue;
		(void)klogout_write(o);	/* flushing: out or lost, never kept */
		(void)klog_out_feed(o);
		klogout_free(o);
	}
	for (i = 0; i < KLOG_PIPES_MAX; i++) {
		struct klog *k = &ks->kl[i];

		if (!k->set)
			continue;
		for (rounds = 0; rounds < KLOG_FLUSH_READS; rounds++)
			if (klog_drain(k) <= 0)
				break;
		if (k->set && k->len > 0) {
			(void)klog_emit(k, k->line, k->len);
			k->len = 0;
			k->cont = true;	/* its writer may still finish that line */
		}
	}
	ks->flushing = false;
}
