/* Starting processes: the main child as reaper was started, services as configured. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>

#include "conf.h"
#include "envfile.h"
#include "fmt.h"
#include "ids.h"
#include "limits.h"
#include "log.h"
#include "num.h"
#include "spawn.h"
#include "sys.h"

extern char **environ;

/*
 * Socket activation names the process that holds the sockets; once the
 * child holds them, LISTEN_PID must name the child. The child's own copy
 * of environ is edited in place: no allocation between fork and exec.
 */
static void
spawn_listen_pid(pid_t old, pid_t now)
{
	static char buf[32];
	unsigned long v;
	char **e;

	for (e = environ; e && *e; e++) {
		if (strncmp(*e, "LISTEN_PID=", 11) != 0)
			continue;
		if (num_ulong(*e + 11, 0x7fffffff, &v) == 0 && (pid_t)v == old) {
			(void)fmt_print(buf, sizeof(buf), "LISTEN_PID=%d", (int)now);
			*e = buf;
		}
		return;
	}
}

/*
 * The child side: tiny, and it ends in exec or _exit. Every signal is
 * still blocked here, so tcsetpgrp cannot stop us with SIGTTOU.
 */
static void
spawn_child(const struct spawn *sp)
{
	pid_t me = sys_getpid();
	int err;

	if (sys_setpgid(0, 0) < 0)
		log_sys(LV_WARN, "setpgid");
	if (sp->tty >= 0 && sys_tcsetpgrp(sp->tty, me) < 0)
		log_sys(LV_WARN, "unable to give the terminal to %s", sp->argv[0]);
	spawn_listen_pid(sp->listen_pid, me);
	/* Ignored dispositions survive execve, so restore the one we changed. */
	if (sp->chld_ignored && sys_sig_set(SIGCHLD, true) < 0)
		log_sys(LV_WARN, "unable to ignore SIGCHLD again");
	if (sys_sigmask(SIG_SETMASK, &sp->mask, NULL) < 0)
		log_sys(LV_WARN, "unable to restore the signal mask");
	(void)sys_execvp(sp->argv);
	err = errno;
	log_sys(LV_ERR, "unable to run %s", sp->argv[0]);
	sys_exit_child(err == ENOENT ? 127 : 126);
}

/* Fork and exec the main child; its pid, or -1 if fork failed. */
pid_t
spawn_main(const struct spawn *sp)
{
	pid_t pid = sys_fork();

	if (pid != 0) {
		/* Both sides set the group, so neither races the other. */
		if (pid > 0)
			(void)sys_setpgid(pid, pid);
		return pid;
	}
	spawn_child(sp);
	return -1;	/* not reached: spawn_child never returns for real */
}

static const char *const spawn_steps[] = {
	"exec", "setsid", "stdin", "tty", "stdout", "stderr", "cwd",
	"user or group", "environment", "readiness fd", "cgroup", "env-file",
};

enum { ST_EXEC, ST_SETSID, ST_STDIN, ST_TTY, ST_STDOUT, ST_STDERR, ST_CWD,
	ST_IDS, ST_ENV, ST_READY, ST_CGROUP, ST_ENVFILE };

#define SPAWN_ENV_MAX	(SPAWN_ENVIRON_MAX + CONF_ENVFILE_VARS + CONF_ENV_MAX + 1)

static void
spawn_fail_msg(int fd, int step, const char *msg)
{
	struct spawn_fail f;

	f.step = step;
	f.err = errno;
	(void)fmt_print(f.msg, sizeof(f.msg), "%s", msg);
	(void)sys_write(fd, &f, sizeof(f));
	sys_exit_child(f.err == ENOENT && step == ST_EXEC ? 127 : 126);
}

static void
spawn_fail(int fd, int step)
{
	spawn_fail_msg(fd, step, "");
}

/* Open path onto fd; O_NONBLOCK so a FIFO or a tty cannot hang the open. */
static int
spawn_open(const char *path, int flags, int fd)
{
	int nfd = sys_open(path, flags | O_NONBLOCK | O_NOCTTY);

	if (nfd < 0 || sys_blocking(nfd) < 0 || sys_dup2(nfd, fd) < 0)
		return -1;
	if (nfd != fd)
		(void)sys_close(nfd);
	return 0;
}

/*
 * pipe: the output pipe for this stream (kmsg, prefix), or -1 to write
 * raw to kmsg, or to reaper's own fd for prefix (a full pipe table, a probe).
 */
static int
spawn_out(enum conf_out kind, const char *path, int fd, int pipe, const char *kmsg)
{
	switch (kind) {
	case CO_NULL: return spawn_open("/dev/null", O_WRONLY, fd);
	case CO_KMSG: return pipe >= 0 ? sys_dup2(pipe, fd) :
	    spawn_open(kmsg, O_WRONLY | O_APPEND, fd);
	case CO_PREFIX: return pipe >= 0 ? sys_dup2(pipe, fd) : 0;
	case CO_FILE: return spawn_open(path, O_WRONLY | O_CREAT | O_APPEND, fd);
	default: return 0;	/* the console: PID 1's own fd */
	}
}

/* KEY=VALUE into env (n of them), replacing KEY's value; -1 when full. */
static int
spawn_setenv(char **env, int *n, const char *kv)
{
	size_t klen = (size_t)(strchr(kv, '=') - kv) + 1;
	int j;

	for (j = 0; j < *n && strncmp(env[j], kv, klen) != 0; j++)
		;
	if (j == *n && *n == SPAWN_ENV_MAX)
		return errno = E2BIG, -1;
	env[j] = (char *)kv;
	*n += j == *n;
	return 0;
}

/*
 * The service's environment: PID 1's, its env files' variables in order,
 * its env= options, then its notify socket, each on top of the one before.
 * NULL with errno set, or with errno 0 and msg saying what is wrong.
 */
static char **
spawn_env(const struct conf_entry *e, const char *const *vars, int nvars, const char *notify,
    char *msg, size_t msglen)
{
	static char *env[SPAWN_ENV_MAX + 1];
	int n = 0, i;
	char **p;

	msg[0] = '\0';
	for (p = environ; p && *p; p++) {
		if (n == SPAWN_ENVIRON_MAX) {	/* never cut silently */
			(void)fmt_print(msg, msglen, "more than %d variables in reaper's "
			    "environment", SPAWN_ENVIRON_MAX);
			errno = 0;
			return NULL;
		}
		env[n++] = *p;
	}
	for (i = 0; i < nvars; i++)
		if (spawn_setenv(env, &n, vars[i]) < 0)
			return NULL;
	for (i = 0; i < e->nenv; i++)
		if (spawn_setenv(env, &n, e->env[i]) < 0)
			return NULL;
	if (notify && spawn_setenv(env, &n, notify) < 0)
		return NULL;
	env[n] = NULL;
	return env;
}

/*
 * ready=fd:N: the pipe's write end becomes fd N, the only fd past 2 that
 * survives the exec. The report and output pipes move out of its way
 * first (they are CLOEXEC, so their copies close at exec too).
 */
static int
spawn_ready_fd(const struct conf_entry *e, int ready, int *report, int *out, int *err)
{
	int *fds[3] = { report, out, err }, k;

	if (ready < 0)
		return 0;
	for (k = 0; k < 3; k++)
		if (*fds[k] == e->ready_fd && (*fds[k] = sys_fd_above(*fds[k], 10)) < 0)
			return -1;
	return sys_dup2(ready, e->ready_fd);
}

/* The child side of a service: its own session, clean signals, then exec. */
static void
spawn_service_child(const struct conf_entry *e, const struct spawn_io *io, int report)
{
	static const char *vars[CONF_ENVFILE_VARS];	/* the child's: PID 1 never writes it */
	static char msg[SPAWN_MSG_MAX];
	int keep[4] = { report, io->out, io->err, io->ready };
	int out = io->out, err = io->err, nvars;
	uint64_t none = 0;
	struct ids ids;
	char **env;
	int sig;

	/* Into its cgroup first: all it does from here on is counted there. */
	if (io->cgroup >= 0 && sys_write(io->cgroup, "0", 1) != 1)
		spawn_fail(report, ST_CGROUP);
	for (sig = 1; sig <= SIG_COUNT; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			(void)sys_sig_set(sig, false);
	/*
	 * A service gets fds 0-2 and nothing else: the report pipe and the
	 * output pipes' write ends are CLOEXEC and close at exec.
	 */
	(void)sys_close_from(3, keep, 4);
	if (spawn_ready_fd(e, io->ready, &report, &out, &err) < 0)
		spawn_fail(report, ST_READY);
	if (sys_setsid() < 0)
		spawn_fail(report, ST_SETSID);
	if (e->tty) {
		if (spawn_open(e->tty, O_RDWR, 0) < 0 || sys_ctty(0) < 0 ||
		    sys_dup2(0, 1) < 0 || sys_dup2(0, 2) < 0)
			spawn_fail(report, ST_TTY);
	} else if (spawn_open("/dev/null", O_RDONLY, 0) < 0) {
		spawn_fail(report, ST_STDIN);
	}
	if ((!e->tty || CONF_GIVEN(e, CONF_O_STDOUT)) &&
	    spawn_out(e->out_kind, e->out_path, 1, out, io->kmsg) < 0)
		spawn_fail(report, ST_STDOUT);
	if ((!e->tty || CONF_GIVEN(e, CONF_O_STDERR)) &&
	    spawn_out(e->err_kind, e->err_path, 2, err, io->kmsg) < 0)
		spawn_fail(report, ST_STDERR);
	if (sys_chdir(e->cwd ? e->cwd : "/") < 0)
		spawn_fail(report, ST_CWD);
	if (e->umask >= 0)
		sys_umask(e->umask);
	/* As root still: an env file may hold secrets only root may read. */
	if ((nvars = envfile_read(e, environ, vars, msg, sizeof(msg))) < 0)
		spawn_fail_msg(report, ST_ENVFILE, msg);
	if ((e->user || e->group) && (ids_get(IDS_PASSWD, IDS_GROUP, e->user, e->group,
	    &ids) < 0 || sys_ids(&ids) < 0))
		spawn_fail(report, ST_IDS);
	if ((env = spawn_env(e, vars, nvars, io->notify, msg, sizeof(msg))) == NULL)
		spawn_fail_msg(report, ST_ENV, msg);
	(void)sys_sigmask(SIG_SETMASK, &none, NULL);
	(void)sys_execve_path((char **)e->argv, env);
	spawn_fail(report, ST_EXEC);
}

/*
 * Start a service: fork, and in the child set up and exec. A failure
 * before exec comes up a CLOEXEC pipe whose read end (non-blocking) is
 * left in io->report; its end of file says the exec happened. PID 1
 * never waits for it here: a child stuck before exec (a hung name
 * service, a dead NFS cwd) must not stall it. The pid, or -1.
 */
pid_t
spawn_service(const struct conf_entry *e, struct spawn_io *io)
{
	int p[2];
	pid_t pid;

	io->report = -1;
	if (sys_pipe(p) < 0) {
		log_sys(LV_WARN, "unable to start %s: pipe", e->name);
		return -1;
	}
	if (sys_nonblock(p[0]) < 0) {
		log_sys(LV_WARN, "unable to start %s: pipe", e->name);
		(void)sys_close(p[0]);
		(void)sys_close(p[1]);
		return -1;
	}
	if ((pid = sys_fork()) == 0) {
		(void)sys_close(p[0]);
		spawn_service_child(e, io, p[1]);
	}
	(void)sys_close(p[1]);
	if (pid < 0) {
		log_sys(LV_WARN, "unable to start %s: fork", e->name);
		(void)sys_close(p[0]);
		return -1;
	}
	io->report = p[0];
	return pid;
}

/*
 * Read a start's report: 1 the exec happened (end of file), 0 nothing yet,
 * -1 the child failed before exec, and this says why (the child exits
 * right after telling; the caller reaps it).
 */
int
spawn_report(int fd, const char *name)
{
	struct spawn_fail f;
	ssize_t n = sys_read(fd, &f, sizeof(f));

	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n != (ssize_t)sizeof(f))
		return 1;	/* 0 bytes: exec closed the pipe */
	errno = f.err;
	f.msg[sizeof(f.msg) - 1] = '\0';
	if (f.msg[0] && f.err)		/* "web: env-file /etc/web.env: No such file..." */
		log_sys(LV_WARN, "%s: %s", name, f.msg);
	else if (f.msg[0])		/* "web: env-file /etc/web.env:3: no variable name" */
		log_msg(LV_WARN, "%s: %s", name, f.msg);
	else
		log_sys(LV_WARN, "unable to start %s: %s", name,
		    f.step >= 0 && f.step <= ST_ENVFILE ? spawn_steps[f.step] : "?");
	return -1;
}
