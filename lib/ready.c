/*
 * Readiness in the one loop. ready=fd:N: a pipe whose write end the
 * service gets as fd N; a newline read from it means ready. ready=notify:
 * a datagram socket of the service's own under an abstract name (nothing
 * in the file system), heard only from processes of the service's session
 * (the kernel's credentials on each datagram; see ready_heard). ready-check=: a probe run
 * every ready-interval, killed when it runs longer, until one exits 0.
 * Once a service is ready its pipe and probe timer are gone: nothing here
 * wakes PID 1 again, unless a notify service sends a new STATUS=.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>

#include "fmt.h"
#include "klog.h"
#include "log.h"
#include "loop.h"
#include "ready.h"
#include "reap.h"
#include "spawn.h"
#include "sys.h"
#include "word.h"

#define READY_READS	16	/* reads of one source per wake-up: a flood waits its turn */
#define READY_FDS_MAX	4	/* fds taken with one datagram (a barrier sends one) */

void
ready_init(struct readies *rd, struct loop *l, struct klogs *k, ready_news_fn *news,
    ready_entry_fn *entry, void *ctx)
{
	int i;

	for (i = 0; i < CONF_ENTRIES_MAX; i++)	/* free, as static storage starts */
		if (rd->tab[i].pid || rd->tab[i].probe)
			rd->tab[i].pid = rd->tab[i].probe = 0;
	rd->loop = l;
	rd->klog = k;
	rd->news = news;
	rd->entry = entry;
	rd->ctx = ctx;
}

static struct rdy *
ready_of(struct readies *rd, pid_t pid)
{
	int i;

	for (i = 0; i < CONF_ENTRIES_MAX; i++)
		if (rd->tab[i].pid == pid && (pid != 0 || rd->tab[i].probe == 0))
			return &rd->tab[i];
	return NULL;
}

/* Its fd and its timer off the loop; the slot stays while a probe runs. */
static void
ready_close(struct rdy *t)
{
	if (t->lid >= 0)
		loop_del(t->set->loop, t->lid);
	if (t->fd >= 0)
		(void)sys_close(t->fd);
	if (t->tid >= 0)
		loop_del(t->set->loop, t->tid);
	t->fd = t->lid = t->tid = -1;
}

/* The service is ready: what watched it goes, then the supervisor hears. */
static void
ready_now(struct rdy *t, int64_t now)
{
	pid_t pid = t->pid;

	if (t->kind != RD_NOTIFY) {	/* notify keeps its socket for STATUS= */
		ready_close(t);
		if (t->probe == 0)
			t->pid = 0;
	}
	t->set->news(t->set->ctx, pid, NULL, now);
}

/* fd:N: a newline anywhere in what came; end of file without one leaves it starting. */
static void
ready_line(struct rdy *t, int64_t now)
{
	char buf[64];
	ssize_t n = 1;
	int k;

	for (k = 0; k < READY_READS && n > 0; k++) {
		if ((n = sys_read(t->fd, buf, sizeof(buf))) > 0 && memchr(buf, '\n', (size_t)n)) {
			ready_now(t, now);
			return;
		}
	}
	if (n < 0 && errno == EAGAIN)
		return;
	if (n < 0)
		log_sys(LV_WARN, "%s: readiness fd", t->name);
	else if (n == 0)
		log_msg(LV_INFO, "%s closed its readiness fd without a newline", t->name);
	if (n <= 0) {		/* nothing more will come: stop listening */
		loop_del(t->set->loop, t->lid);
		(void)sys_close(t->fd);
		t->fd = t->lid = -1;
	}
}

/*
 * A sender is heard when it is the service or of its session (the service
 * leads it), asked while its datagram is at hand. One that has gone by
 * then cannot be told from a stranger and is not heard: a short-lived
 * sender (a shell script's notify tool) sends BARRIER=1 with an fd and
 * waits for it to close (systemd-notify does), which happens only after
 * this question.
 */
static bool
ready_heard(const struct rdy *t, pid_t from)
{
	return from > 0 && (from == t->pid || sys_getsid(from) == t->pid);
}

/* STATUS= text, made printable, to the supervisor. */
static void
ready_status(struct rdy *t, char *text, int64_t now)
{
	char *p;

	for (p = text; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	t->set->news(t->set->ctx, t->pid, text, now);
}

/* One datagram: lines of KEY=VALUE; READY=1 and STATUS= mean something. */
static void
ready_dgram(struct rdy *t, char *msg, int64_t now)
{
	bool ready = false;
	char *line;

	while ((line = word_cut(&msg, "\n")) != NULL) {
		if (strcmp(line, "READY=1") == 0)
			ready = true;
		else if (strncmp(line, "STATUS=", 7) == 0)
			ready_status(t, line + 7, now);
	}
	if (ready)
		ready_now(t, now);
}

static void
ready_notify(struct rdy *t, int64_t now)
{
	static char buf[READY_DGRAM_MAX + 1];
	int fds[READY_FDS_MAX], nfds, k;
	pid_t from;

	for (k = 0; k < READY_READS && t->fd >= 0; k++) {
		ssize_t n = sys_recv_cred(t->fd, buf, READY_DGRAM_MAX, &from, fds,
		    READY_FDS_MAX, &nfds);
		bool heard = n >= 0 && ready_heard(t, from);

		while (nfds > 0)	/* a barrier's sender goes on once they close */
			(void)sys_close(fds[--nfds]);
		if (n < 0) {
			if (errno != EAGAIN)
				log_sys(LV_WARN, "%s: notify socket", t->name);
			return;
		}
		if (!heard) {
			log_msg(LV_INFO, "%s: ignored a notification from pid %d, not of its "
			    "session", t->name, (int)from);
			continue;
		}
		buf[n] = '\0';
		ready_dgram(t, buf, now);
	}
}

static void
ready_on_fd(void *ctx, int revents, int64_t now)
{
	struct rdy *t = ctx;

	(void)revents;
	if (t->kind == RD_FD)
		ready_line(t, now);
	else
		ready_notify(t, now);
}

/* The pipe or the socket of entry e, kept in t; its child's end in io. */
static int
ready_make(struct readies *rd, struct rdy *t, const struct conf_entry *e,
    struct spawn_io *io)
{
	int p[2], k;

	if (e->ready == RD_FD) {
		if (sys_pipe(p) < 0)
			return -1;
		if (sys_nonblock(p[0]) < 0) {
			(void)sys_close(p[0]);
			(void)sys_close(p[1]);
			return -1;
		}
		t->fd = p[0];
		io->ready = p[1];
		return 0;
	}
	/* A name of its own each time: a stale one is never reused. */
	for (k = 0; k < 8 && t->fd < 0; k++) {
		const char *name = t->addr + strlen("NOTIFY_SOCKET=@");

		(void)fmt_print(t->addr, sizeof(t->addr), "NOTIFY_SOCKET=@reaper/%d/%u/%s",
		    (int)sys_getpid(), ++rd->seq, e->name);
		t->fd = sys_dgram_abstract(name, strlen(name));
		if (t->fd < 0 && errno != EADDRINUSE)
			return -1;
	}
	if (t->fd < 0)
		return -1;
	io->notify = t->addr;
	return 0;
}

/*
 * Before the fork: what entry e's readiness needs, its child's part in io.
 * NULL when it needs nothing here (ready=exec), or when its pipe or socket
 * cannot be had: then it is taken as ready at its exec, with a warning.
 */
struct rdy *
ready_open(struct readies *rd, const struct conf_entry *e, struct spawn_io *io)
{
	struct rdy *t;

	io->ready = -1;
	io->notify = NULL;
	if (e->ready == RD_EXEC)
		return NULL;
	if ((t = ready_of(rd, 0)) == NULL) {
		log_msg(LV_ERR, "%s: no room to watch its readiness; ready at its exec", e->name);
		return NULL;
	}
	t->set = rd;
	t->kind = e->ready;
	t->fd = t->lid = t->tid = -1;
	t->due = -1;
	t->interval = e->ready_interval_ms;
	(void)fmt_print(t->name, sizeof(t->name), "%s", e->name);
	if (e->ready != RD_CHECK && ready_make(rd, t, e, io) < 0) {
		log_sys(LV_WARN, "%s: readiness unavailable; ready at its exec", e->name);
		return NULL;
	}
	t->pid = -1;	/* taken, until ready_watch says whose */
	return t;
}

/* After the fork: the child's end closes here, and t listens for pid (0: no child). */
void
ready_watch(struct rdy *t, struct spawn_io *io, pid_t pid)
{
	if (io->ready >= 0)
		(void)sys_close(io->ready);
	io->ready = -1;
	if (!t)
		return;
	t->pid = pid > 0 ? pid : 0;
	if (t->pid == 0 || t->fd < 0) {
		if (t->pid == 0)
			ready_close(t);
		return;
	}
	if ((t->lid = loop_add(t->set->loop, t->fd, POLLIN, ready_on_fd, NULL, t)) < 0) {
		log_sys(LV_ERR, "%s: its readiness is not watched; ready at its exec", t->name);
		(void)sys_close(t->fd);
		t->fd = -1;
		t->kind = RD_EXEC;	/* ready_exec says ready */
	}
}

static int64_t
ready_due(const void *ctx)
{
	const struct rdy *t = ctx;

	return t->due;
}

/* The probe of t, with its service's user, directory, environment and output. */
static void
ready_probe(struct rdy *t, int64_t now)
{
	const struct conf_entry *e = t->set->entry(t->set->ctx, t->pid);
	struct spawn_io io = { -1, -1, NULL, -1, NULL, -1, -1 };
	struct conf_entry pe;
	int k;

	t->due = now + t->interval;	/* the next one, or this one's end */
	if (!e)
		return;
	pe = *e;
	for (k = 0; e->check[k]; k++)
		pe.argv[k] = e->check[k];
	pe.argv[k] = NULL;
	pe.argc = k;
	pe.tty = NULL;		/* the terminal is the service's */
	io.kmsg = klog_dev(t->set->klog);
	if ((t->probe = spawn_service(&pe, &io)) < 0)
		t->probe = 0;
	if (io.report >= 0)	/* a probe that cannot run just fails */
		(void)sys_close(io.report);
}

/* The probe timer: start the next probe, or end one that overran. */
static void
ready_on_timer(void *ctx, int revents, int64_t now)
{
	struct rdy *t = ctx;

	(void)revents;
	if (t->due < 0 || now < t->due)
		return;
	if (t->probe > 0) {
		log_msg(LV_WARN, "%s: ready-check still running after %lld ms; killing it",
		    t->name, (long long)t->interval);
		if (sys_kill(-t->probe, SIGKILL) < 0 && sys_kill(t->probe, SIGKILL) < 0 &&
		    errno != ESRCH)
			log_sys(LV_WARN, "%s: ready-check", t->name);
		t->due = -1;	/* the next one once it is reaped */
		return;
	}
	ready_probe(t, now);
}

/* pid's exec happened: probes begin; one without a watch is ready now. */
void
ready_exec(struct readies *rd, pid_t pid, int64_t now)
{
	struct rdy *t = pid > 0 ? ready_of(rd, pid) : NULL;

	if (!t || t->kind == RD_EXEC) {
		rd->news(rd->ctx, pid, NULL, now);
		return;
	}
	if (t->kind != RD_CHECK)
		return;
	t->due = now;
	if ((t->tid = loop_add(rd->loop, -1, 0, ready_on_timer, ready_due, t)) < 0) {
		log_sys(LV_ERR, "%s: its ready-check cannot run; ready now", t->name);
		ready_now(t, now);
	}
}

/* The service pid is gone: so is its watch, and a probe still running is killed. */
void
ready_gone(struct readies *rd, pid_t pid)
{
	struct rdy *t = pid > 0 ? ready_of(rd, pid) : NULL;

	if (!t)
		return;
	ready_close(t);
	t->pid = 0;
	if (t->probe > 0 && sys_kill(-t->probe, SIGKILL) < 0 && sys_kill(t->probe, SIGKILL) < 0
	    && errno != ESRCH)
		log_sys(LV_WARN, "%s: ready-check", t->name);
}

/* A process was reaped: true when it was a probe, which this has dealt with. */
bool
ready_reaped(struct readies *rd, const struct reap_ev *ev, int64_t now)
{
	int i;

	for (i = 0; i < CONF_ENTRIES_MAX; i++) {
		struct rdy *t = &rd->tab[i];

		if (t->probe != ev->pid || ev->pid <= 0)
			continue;
		if (ev->kind == REAP_STOPPED || ev->kind == REAP_CONTINUED)
			return true;
		t->probe = 0;
		if (t->pid <= 0)
			return true;	/* its service is gone: the slot is free */
		if (ev->kind == REAP_EXITED && ev->code == 0) {
			ready_now(t, now);
			return true;
		}
		if (t->due < 0 || t->due < now)
			t->due = now;	/* overran and was killed: the next one now */
		return true;
	}
	return false;
}
