/*
 * Starting a service without waiting for it. The supervisor forks; the
 * child's exec report comes back through a pipe that the loop watches,
 * so PID 1 goes on serving signals and reaperctl while a child is slow
 * to exec (a hung name service, a dead NFS cwd). The service is STARTING
 * until the pipe's end of file (the exec happened) or a failure report.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/wait.h>

#include "cgroup.h"
#include "conf.h"
#include "fmt.h"
#include "klog.h"
#include "log.h"
#include "loop.h"
#include "ready.h"
#include "spawn.h"
#include "start.h"
#include "svc.h"
#include "sys.h"

void
start_init(struct starts *st, struct loop *l, struct klogs *k, struct readies *rd,
    struct cgroups *cg, start_done_fn *done, void *ctx)
{
	int i;

	for (i = 0; i < START_MAX; i++)	/* free: pid 0, as storage starts */
		if (st->tab[i].pid)
			st->tab[i].pid = 0;
	st->loop = l;
	st->klog = k;
	st->ready = rd;
	st->cg = cg;
	st->done = done;
	st->ctx = ctx;
}

static struct start *
start_of(struct starts *st, pid_t pid)
{
	int i;

	for (i = 0; i < START_MAX; i++)
		if (st->tab[i].pid == pid)
			return &st->tab[i];
	return NULL;
}

/* The start is over: the slot is free, the supervisor told. */
static void
start_end(struct start *t, bool ok, int64_t now)
{
	pid_t pid = t->pid;

	t->pid = 0;
	t->set->done(t->set->ctx, pid, ok, now);
}

/*
 * Read the report (reaped: the child is gone already). A failure is over
 * once the child is reaped too: taken now if it has exited (WNOHANG,
 * never a wait in PID 1), else when the reap loop brings it.
 */
static void
start_read(struct start *t, bool reaped, int64_t now)
{
	int r, status;

	if (t->fd < 0) {	/* failed and said so; waiting for the reap */
		if (reaped)
			start_end(t, false, now);
		return;
	}
	if ((r = spawn_report(t->fd, t->name)) == 0 && !reaped)
		return;		/* nothing yet */
	loop_del(t->set->loop, t->lid);
	(void)sys_close(t->fd);
	t->fd = -1;
	t->lid = -1;
	if (r == -1 && !reaped && sys_waitpid(t->pid, &status, WNOHANG) != t->pid)
		return;		/* not gone yet (stopped, traced): run_reaped ends it */
	start_end(t, r != -1, now);
}

static void
start_on_report(void *ctx, int revents, int64_t now)
{
	(void)revents;
	start_read(ctx, false, now);
}

/* The write end of the pipe stream fd (1 or 2) of e needs: kmsg or prefix; else -1. */
static int
start_pipe(struct starts *st, const struct conf_entry *e, enum conf_out kind, int fd)
{
	if (kind == CO_KMSG)
		return klog_pipe(st->klog, e->name, fd == 1 ? KLOG_INFO : KLOG_WARN);
	if (kind == CO_PREFIX)
		return klog_prefix(st->klog, e->name, fd);
	return -1;
}

/* The write ends of the output pipes a service's stdout and stderr need. */
static void
start_klog(struct starts *st, const struct conf_entry *e, struct spawn_io *io)
{
	bool out = !e->tty || CONF_GIVEN(e, CONF_O_STDOUT);
	bool err = !e->tty || CONF_GIVEN(e, CONF_O_STDERR);

	io->out = out ? start_pipe(st, e, e->out_kind, 1) : -1;
	io->err = err ? start_pipe(st, e, e->err_kind, 2) : -1;
	io->kmsg = klog_dev(st->klog);
}

/* Start s; what its exec does comes later, to st->done. */
void
start_svc(struct starts *st, struct svc *s, int64_t now)
{
	struct start *t = start_of(st, 0);
	struct spawn_io io;
	struct rdy *rt;

	if (!t) {	/* a reload's retired entries hold the rest */
		log_msg(LV_ERR, "unable to start %s: more than %d starts at once",
		    s->e->name, START_MAX);
		svc_start_failed(s, now);
		return;
	}
	start_klog(st, s->e, &io);
	rt = ready_open(st->ready, s->e, &io);
	io.cgroup = st->cg ? cgroup_prepare(st->cg, s->e) : -1;
	s->cg = io.cgroup >= 0 ? st->cg : NULL;
	s->cg_busy = false;
	svc_start(s, &io, now);
	if (io.out >= 0)	/* the read ends stay with the klog module */
		(void)sys_close(io.out);
	if (io.err >= 0)
		(void)sys_close(io.err);
	if (io.cgroup >= 0)
		(void)sys_close(io.cgroup);
	ready_watch(rt, &io, s->state == SV_STARTING ? s->pid : 0);
	if (s->state != SV_STARTING)
		return;
	t->lid = loop_add(st->loop, io.report, POLLIN, start_on_report, NULL, t);
	if (t->lid < 0) {
		/* Unwatched, it would stay STARTING: take it as started, the
		 * same way a report would (readiness, probes and all). */
		log_sys(LV_ERR, "%s: its start is not watched", s->e->name);
		(void)sys_close(io.report);
		st->done(st->ctx, s->pid, true, now);
		return;
	}
	t->set = st;
	t->pid = s->pid;
	t->fd = io.report;
	(void)fmt_print(t->name, sizeof(t->name), "%s", s->e->name);
}

/*
 * pid was just reaped: its report is in the pipe already (written before
 * it exited, or its end of file), so the start is settled first and the
 * exit comes after.
 */
void
start_reaped(struct starts *st, pid_t pid, int64_t now)
{
	struct start *t = pid > 0 ? start_of(st, pid) : NULL;

	if (t)
		start_read(t, true, now);
}

/* Take every report that has come, before answering what runs. */
void
start_settle(struct starts *st, int64_t now)
{
	int i;

	for (i = 0; i < START_MAX; i++)
		if (st->tab[i].pid > 0 && st->tab[i].fd >= 0)
			start_read(&st->tab[i], false, now);
}
