/*
 * libFuzzer target: the control protocol, from the bytes a client sends to
 * the answer PID 1 gives. lib/ctl.c frames the request line (reads in
 * pieces, the size limit, the end of input) on the loop of lib/loop.c, and
 * the answer is init/control.c's control_answer, the code that runs, over
 * a small fixed supervisor table (lib/run.c on a parsed config, lib/ask.c
 * for start/stop/restart, lib/report.c and lib/repsvc.c for status and
 * tree). A stub kernel below stands in for lib/sys*.c: it never forks,
 * signals, sleeps or touches a file. The input is what the client sends;
 * its last byte (xor its length) also chooses who the client is (root, a
 * member of control-group either way, or anyone else), how the entries
 * stand, what reload says and how a parked wait ends. A follower (events
 * --follow) is sent a few events, then hangs up. Each input starts from
 * the same table and the same event ring.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "control.h"
#include "ctl.h"
#include "evt.h"
#include "klog.h"
#include "loop.h"
#include "req.h"
#include "run.h"
#include "sys.h"

#define LISTEN_FD	3
#define CLIENT_FD	5
#define FAKE_FD0	100		/* pipes and sockets the stub hands out */
#define FAKE_FDS	64
#define SELF		1		/* reaper is PID 1 */
#define PID0		101		/* the entries' processes: PID0.. */
#define NPIDS		4
#define CONTROL_GID	50
#define T0		1000000		/* the clock at the start of each input (ms) */

static const uint8_t *in;
static size_t inlen, inpos, piece, sent;
static int accepts, answers, closes, sends, kills, reloads, fds_open;
static int hangup;		/* the client has gone: its fd polls as hung up */
static bool fd_used[FAKE_FDS];
static int64_t clock_ms;
static uint8_t sel;		/* the input's choices (see the top) */
static char sink[4 * CTL_RESP_MAX];

/* --- the stub kernel: every sys_* the linked code names --- */

/* The client sends its bytes piece by piece, then closes its end. */
ssize_t
sys_read(int fd, void *buf, size_t len)
{
	size_t n = inlen - inpos;

	if (fd >= FAKE_FD0 && fd < FAKE_FD0 + FAKE_FDS && fd_used[fd - FAKE_FD0]) {
		errno = EAGAIN;		/* a start's report or a ready pipe: nothing yet */
		return -1;
	}
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

/*
 * Who the client is, by sel's two low bits: root; anyone; a member of
 * control-group by its gid; or by a supplementary group.
 */
int
sys_accept(int lfd, struct sys_peer *peer)
{
	if (lfd != LISTEN_FD || accepts++ > 0) {
		errno = EAGAIN;
		return -1;
	}
	memset(peer, 0, sizeof(*peer));
	peer->pid = 4242;
	peer->uid = (sel & 3) == 0 ? 0 : 1000;
	peer->gid = (sel & 3) == 2 ? CONTROL_GID : (sel & 3) == 0 ? 0 : 1000;
	if ((sel & 3) == 3) {
		peer->ngroups = 2;
		peer->groups[0] = 20;
		peer->groups[1] = CONTROL_GID;
	}
	return CLIENT_FD;
}

/* Pipes and sockets: fds from a small table, each closed once. */
static int
fake_fd(void)
{
	int i;

	for (i = 0; i < FAKE_FDS; i++)
		if (!fd_used[i]) {
			fd_used[i] = true;
			fds_open++;
			return FAKE_FD0 + i;
		}
	errno = EMFILE;
	return -1;
}

int
sys_close(int fd)
{
	if (fd == CLIENT_FD) {
		closes++;
		return 0;
	}
	if (fd < FAKE_FD0 || fd >= FAKE_FD0 + FAKE_FDS || !fd_used[fd - FAKE_FD0])
		abort();	/* not ours, or closed twice */
	fd_used[fd - FAKE_FD0] = false;
	fds_open--;
	return 0;
}

int
sys_pipe(int fds[2])
{
	if ((fds[0] = fake_fd()) < 0)
		return -1;
	if ((fds[1] = fake_fd()) < 0) {
		(void)sys_close(fds[0]);
		return -1;
	}
	return 0;
}

int
sys_nonblock(int fd)
{
	if (fd < FAKE_FD0 || fd >= FAKE_FD0 + FAKE_FDS || !fd_used[fd - FAKE_FD0])
		abort();
	return 0;
}

/* A notify socket of a ready=notify service. */
int
sys_dgram_abstract(const char *name, size_t len)
{
	(void)name;
	(void)len;
	return fake_fd();
}

ssize_t
sys_recv_cred(int fd, void *buf, size_t len, pid_t *pid, int *fds, int maxfds, int *nfds)
{
	(void)fd; (void)buf; (void)len; (void)pid; (void)fds; (void)maxfds;
	*nfds = 0;
	errno = EAGAIN;
	return -1;
}

/* No process is ever made: a start fails as when the kernel has no room. */
pid_t sys_fork(void) { errno = EAGAIN; return -1; }
pid_t sys_waitpid(pid_t p, int *st, int f) { (void)p; (void)st; (void)f; errno = ECHILD; return -1; }
pid_t sys_wait_peek(void) { return 0; }
int sys_sig_catch(int s, void (*fn)(int, siginfo_t *, void *)) { (void)s; (void)fn; return 0; }
int sys_wait_child(struct sys_child *c, bool p) { (void)c; (void)p; errno = ECHILD; return -1; }
void sys_child_clear(struct sys_child *c) { c->si.si_pid = 0; }
pid_t sys_child_pid(const struct sys_child *c) { return c->si.si_pid; }
int sys_child_status(const struct sys_child *c) { (void)c; return 0; }

/* A signal to one of the entries' processes (or their groups, or all) "works". */
int
sys_kill(pid_t pid, int sig)
{
	pid_t p = pid < 0 ? -pid : pid;

	(void)sig;
	if (pid == -1 || (p >= PID0 && p < PID0 + NPIDS)) {
		kills++;
		return 0;
	}
	errno = ESRCH;
	return -1;
}

int sys_pidfd_open(pid_t pid) { (void)pid; errno = ENOSYS; return -1; }
pid_t sys_getpid(void) { return SELF; }
pid_t sys_getsid(pid_t pid) { (void)pid; errno = ESRCH; return -1; }
uid_t sys_geteuid(void) { return 0; }
bool sys_isatty(int fd) { (void)fd; return false; }

/* No file at all: /proc cannot be opened, so status and tree see no other process. */
int sys_open(const char *path, int flags) { (void)path; (void)flags; errno = ENOENT; return -1; }
int sys_getdents(int fd, void *b, size_t n) { (void)fd; (void)b; (void)n; errno = EBADF; return -1; }
int sys_dir_open(struct sys_dir *d, const char *p) { (void)p; d->fd = -1; errno = ENOENT; return -1; }
int sys_dir_next(struct sys_dir *d, const char **n) { (void)d; (void)n; errno = EBADF; return -1; }
void sys_dir_close(struct sys_dir *d) { d->fd = -1; }
ssize_t sys_pread(int fd, void *b, size_t n, off_t o) { (void)fd; (void)b; (void)n; (void)o; errno = EBADF; return -1; }
int sys_readlink(const char *p, char *b, size_t n) { (void)p; (void)b; (void)n; errno = ENOENT; return -1; }
int sys_lstat(const char *p, struct stat *st) { (void)p; (void)st; errno = ENOENT; return -1; }
int sys_file_owner(const char *p, uid_t *u, gid_t *g, unsigned *m) { (void)p; (void)u; (void)g; (void)m; errno = ENOENT; return -1; }
int sys_fd_stat(int fd, unsigned *m, uint64_t *r) { (void)fd; (void)m; (void)r; errno = EBADF; return -1; }
int sys_path_stat(const char *p, unsigned *m, uint64_t *r) { (void)p; (void)m; (void)r; errno = ENOENT; return -1; }
int sys_mkdir(const char *p) { (void)p; errno = EROFS; return -1; }
int sys_mkdir_private(const char *p) { (void)p; errno = EROFS; return -1; }
int sys_link_owner(const char *p, uid_t *u, unsigned *m) { (void)p; (void)u; (void)m; errno = ENOENT; return -1; }
int sys_rmdir(const char *p) { (void)p; errno = ENOENT; return -1; }
ssize_t sys_write(int fd, const void *buf, size_t len) { (void)fd; (void)buf; return (ssize_t)len; }

/* The listener is fd 3. */
int sys_listen_unix(const char *p, int m, gid_t g) { (void)p; (void)m; (void)g; return LISTEN_FD; }

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

/* Output takes every write at once (prefixed lines, reaper's own log). */
int sys_wait_out(int fd, int64_t t) { (void)fd; (void)t; return 1; }

/*
 * The clock: a counter the harness moves a millisecond each round of the
 * loop, so that the slowest client here (a byte a round, or 16 bytes of
 * an answer) stays well inside ctl's timeouts; a parked wait's deadline
 * is the one time it jumps.
 */
int64_t sys_now(void) { return clock_ms; }

/* Not reached from here: no signalfd, no child side of a fork, no client. */
int sys_signalfd_read(int fd, struct sys_siginfo *si) { (void)fd; (void)si; abort(); }
int sys_sigwait(struct sys_siginfo *si, int64_t t) { (void)si; (void)t; abort(); }
bool sys_is_socket(const char *path) { (void)path; abort(); }
int sys_unlink(const char *path) { (void)path; abort(); }
int sys_connect_unix(const char *path, bool nb) { (void)path; (void)nb; abort(); }
int sys_pidfd_kill(int fd, int sig) { (void)fd; (void)sig; abort(); }
int sys_execvp(char **argv) { (void)argv; abort(); }
void sys_exit_child(int code) { (void)code; abort(); }
int sys_setpgid(pid_t p, pid_t g) { (void)p; (void)g; abort(); }
int sys_tcsetpgrp(int fd, pid_t g) { (void)fd; (void)g; abort(); }
int sys_sig_set(int sig, bool ign) { (void)sig; (void)ign; abort(); }
int sys_sigmask(int how, const uint64_t *set, uint64_t *old) { (void)how; (void)set; (void)old; abort(); }
int sys_chdir(const char *dir) { (void)dir; abort(); }
int sys_close_from(int low, const int *keep, int n) { (void)low; (void)keep; (void)n; abort(); }
int sys_setsid(void) { abort(); }
int sys_ctty(int fd) { (void)fd; abort(); }
void sys_umask(int mask) { (void)mask; abort(); }
int sys_ids(const struct ids *ids) { (void)ids; abort(); }
int sys_execve_path(char **argv, char **envp) { (void)argv; (void)envp; abort(); }
int sys_fd_above(int fd, int min) { (void)fd; (void)min; abort(); }
int sys_blocking(int fd) { (void)fd; abort(); }
int sys_dup2(int from, int to) { (void)from; (void)to; abort(); }

/* --- the supervisor table --- */

static const char conf_text[] =
    "sysinit mount true\n"
    "service db ready=notify db-server\n"
    "service web needs=db web-server\n"
    "once migrate after=db migrate\n"
    "service cron restart=on-failure cron -f\n"
    "shutdown save save-state\n";

static struct conf cf;
static struct run r;
static struct klogs ks;
static struct klog pipes[KLOG_PIPES_MAX];
static struct control ctrl;
static struct loop l;
static struct loop_src tab[LOOP_SRC_MAX];

static int
reload_stub(struct run *rr, int64_t now)
{
	(void)rr;
	(void)now;
	reloads++;
	return sel & 4 ? 0 : -1;
}

static struct svc *
ent(const char *name)
{
	int i = conf_find(&cf, name);

	if (i < 0)
		abort();
	return &r.svc[i];
}

static void
runs(struct svc *s, pid_t pid, enum svc_state st)
{
	s->state = st;
	s->pid = s->pgid = pid;
	s->started = T0 - 5000;
}

static void
ended(struct svc *s, enum svc_state st, int code)
{
	s->state = st;
	s->last.kind = SX_EXITED;
	s->last.code = code;
}

/* The table as system mode leaves it, up; sel's bits 3 and 4 say how it stands. */
static void
table(void)
{
	memset(&r, 0, sizeof(r));
	loop_init(&l, tab, LOOP_SRC_MAX);
	klog_init(&ks, &l, pipes);
	run_init(&r, &cf, SELF, true, &l, &ks);
	r.phase = RUN_UP;
	ended(ent("mount"), SV_DONE, 0);
	switch (sel >> 3 & 3) {
	case 0:		/* all up; cron between two runs */
		runs(ent("db"), PID0, SV_RUNNING);
		(void)strcpy(ent("db")->status_text, "serving");
		runs(ent("web"), PID0 + 1, SV_RUNNING);
		ended(ent("migrate"), SV_DONE, 0);
		ended(ent("cron"), SV_BACKOFF, 1);
		ent("cron")->deadline = T0 + 1000;
		ent("cron")->restarts = 2;
		break;
	case 1:		/* coming up: db not ready yet, what needs it waits */
		runs(ent("db"), PID0, SV_STARTING);
		svc_wait(ent("web"));
		svc_wait(ent("migrate"));
		runs(ent("cron"), PID0 + 3, SV_RUNNING);
		break;
	case 2:		/* trouble: db gave up, cron being stopped */
		ended(ent("db"), SV_FAILED, 1);
		svc_wait(ent("web"));
		ended(ent("migrate"), SV_FAILED, 2);
		runs(ent("cron"), PID0 + 3, SV_STOPPING);
		ent("cron")->down = true;
		ent("cron")->deadline = T0 + 3000;
		break;
	default:	/* db stopped by a signal, web stopped on request */
		runs(ent("db"), PID0, SV_PAUSED);
		ent("web")->down = true;
		ended(ent("migrate"), SV_DONE, 0);
		runs(ent("cron"), PID0 + 3, SV_RUNNING);
		break;
	}
	memset(&ctrl, 0, sizeof(ctrl));
	ctrl.r = &r;
	ctrl.mode = "system";
	ctrl.booted = 0;
	ctrl.container = sel & 32;
	ctrl.reload = reload_stub;
}

/* The same ring of events before each input, whatever the last one added. */
static void
ring(void)
{
	static const char *const names[] = { "db", "web", "migrate", "cron", "fz" };
	int i;

	evt_listen(NULL, NULL);
	for (i = 0; i < EVT_MAX; i++)
		evt_add_from(T0 - (EVT_MAX - i) * 100, (enum evt_kind)(i % (EVT_POWERKEY + 1)),
		    names[i % 5], PID0 + i % NPIDS, i, i % 5 == 4 ? "cron" : "");
}

/* --- the checks --- */

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

/* What a request may change, to see that one refused or only reading changed nothing. */
struct seen {
	struct svc	svc[CONF_ENTRIES_MAX];
	enum run_phase	phase;
	enum run_action	action;
	int		kills, reloads;
};

static void
look(struct seen *s)
{
	memcpy(s->svc, r.svc, sizeof(s->svc));
	s->phase = r.phase;
	s->action = r.action;
	s->kills = kills;
	s->reloads = reloads;
}

static bool
same(const struct seen *s)
{
	return memcmp(s->svc, r.svc, sizeof(s->svc)) == 0 && s->phase == r.phase &&
	    s->action == r.action && s->kills == kills && s->reloads == reloads;
}

/*
 * The real answer, between checks: the line is the client's, the words
 * point into it, a request that changes something is refused to a client
 * that may not change things, and then changes nothing, and a reading
 * one never changes anything.
 */
static bool
answer(void *ctx, struct ctl_req *cq, struct buf *out)
{
	static const char refused[] = "1\nrefused: ";
	long want = expected_line();
	char copy[CTL_REQ_MAX];
	bool may = (sel & 3) != 1, done;
	struct seen before;
	struct req q;
	int i;

	answers++;
	if (want < 0 || memcmp(cq->line, in, (size_t)want) != 0 || cq->line[want] != '\0')
		abort();	/* not the line the client sent */
	if (cq->may_change != may)
		abort();	/* SO_PEERCRED's uid, gid and groups against control-group */
	memcpy(copy, cq->line, (size_t)want + 1);
	req_parse(copy, &q);
	if ((q.word && (q.word < copy || q.word > copy + want)) ||
	    (q.name && (q.name < copy || q.name > copy + want)))
		abort();	/* words point into the line */
	for (i = 0; i < q.nnames; i++)
		if (q.names[i] < copy || q.names[i] > copy + want)
			abort();
	if (q.verb != REQ_USAGE && q.word == NULL)
		abort();
	if (req_named(q.verb) && !q.bad_args && q.name == NULL)
		abort();
	if (q.verb == REQ_WAIT && !q.bad_args && (q.nnames < 1 || q.nnames > CTL_WAIT_NAMES_MAX))
		abort();
	if (q.json && q.verb != REQ_STATUS && q.verb != REQ_EVENTS)
		abort();
	if (q.follow && q.verb != REQ_EVENTS)
		abort();

	look(&before);
	done = control_answer(ctx, cq, out);
	if (!done) {	/* parked: only a good wait, with nothing said yet */
		if (q.verb != REQ_WAIT || q.bad_args || cq->late || !same(&before))
			abort();
		return false;
	}
	if (out->len < 2 || out->p[0] < '0' || out->p[0] > '2' || out->p[1] != '\n')
		abort();	/* the status digit first */
	if (!req_changes(q.verb)) {
		if (!same(&before))
			abort();	/* reading changed something */
	} else if (!may) {
		if (out->len < sizeof(refused) - 1 ||
		    memcmp(out->p, refused, sizeof(refused) - 1) != 0 || !same(&before))
			abort();	/* reaper itself refuses, and does nothing */
	} else {
		if (out->len >= sizeof(refused) - 1 &&
		    memcmp(out->p, refused, sizeof(refused) - 1) == 0)
			abort();	/* refused one who may */
		if ((reloads != before.reloads) != (q.verb == REQ_RELOAD && !q.bad_args))
			abort();	/* reload asked exactly when it is the request */
		if (q.verb >= REQ_POWEROFF && !q.bad_args && r.action != (ctrl.container ?
		    RA_EXIT : q.verb == REQ_POWEROFF ? RA_POWEROFF : q.verb == REQ_REBOOT ?
		    RA_REBOOT : RA_HALT))
			abort();	/* the halt asked for */
	}
	return true;
}

static struct ctl c;
static int unparks;

/*
 * A parked wait ends by sel's bits 6 and 7: every entry comes up (and the
 * recheck answers it), its deadline comes (the loop answers it late), or
 * the client hangs up (the slot is freed, nothing sent). True: hung up.
 */
static bool
unpark(void)
{
	int i;

	if (unparks++ > 0)
		goto hang;	/* still parked (a shutdown entry is never up) */
	switch (sel >> 6 & 3) {
	case 0:
		for (i = 0; i < cf.n; i++)
			if (cf.ent[i].kind == CK_SERVICE)
				runs(&r.svc[i], PID0 + i % NPIDS, SV_RUNNING);
			else
				ended(&r.svc[i], SV_DONE, 0);
		return false;
	case 1:
		if (c.cl[0].deadline >= 0) {
			clock_ms = c.cl[0].deadline;
			return false;
		}
		break;
	default:
		break;
	}
hang:
	hangup = 1;
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	bool followed = false, gone = false;
	int i;

	if (cf.n == 0 && conf_parse(&cf, conf_text, sizeof(conf_text) - 1) != 0)
		abort();
	in = data;
	inlen = size;
	inpos = sent = 0;
	accepts = answers = closes = sends = hangup = kills = reloads = unparks = 0;
	piece = size % 13 ? size % 13 : CTL_REQ_MAX;	/* varies with the input */
	sel = size ? (uint8_t)(data[size - 1] ^ (uint8_t)size) : 0;
	clock_ms = T0;
	ring();
	table();
	ctl_init(&c, &l, answer, &ctrl);
	if (ctl_open(&c, "/run/fuzz.sock", NULL) < 0)
		abort();
	c.gid = CONTROL_GID;	/* as if control-group were named and known */
	loop_once(&l);		/* the listener: the client comes in */
	for (i = 0; i < 100000 && c.cl[0].fd >= 0; i++) {
		clock_ms++;
		loop_once(&l);	/* its request, in pieces; its answer, in pieces */
		ctl_recheck(&c, sys_now());	/* as system mode's step does */
		if (c.cl[0].fd < 0)
			continue;
		if (c.cl[0].parked) {
			if (!hangup)
				gone |= unpark();
			continue;
		}
		if (c.cl[0].follow == CTL_ONCE)
			continue;
		followed = true;
		if (i < 40)	/* a few events for the follower, then it goes */
			evt_add(sys_now(), EVT_ORPHAN, "fz", i, 0);
		else
			hangup = 1;
	}
	if (c.cl[0].fd >= 0 || closes != 1)
		abort();	/* the client is always served and let go */
	if (fds_open != 0)
		abort();	/* every pipe and socket a failed start made is closed */
	if (size == 0 ? answers != 0 : (expected_line() < 0) != (answers == 0))
		abort();	/* answered exactly when a line came */
	if (gone)
		return 0;	/* a wait given up by its client: nothing to read */
	if (size > 0 && (sent < 2 || sink[0] < '0' || sink[0] > '2' || sink[1] != '\n'))
		abort();	/* an answer went out */
	if (size > 0 && !followed && (sent != c.cl[0].out.len ||
	    memcmp(sink, c.cl[0].out.p, sent) != 0))
		abort();	/* all of it */
	if (followed && (sink[0] != '0' || memchr(sink, '\0', sent) != NULL))
		abort();	/* a follower's lines, its out reused for each */
	return 0;
}
