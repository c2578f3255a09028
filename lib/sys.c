/* The system call seam: every kernel quirk and every EINTR retry lives here. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/reboot.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sys.h"

/*
 * The kernel's struct sigaction (x86_64 and arm64 agree on this layout).
 * The kernel reads every member, though only the handler is set here.
 */
struct ksigaction {
	void		(*handler)(int);
	/* cppcheck-suppress unusedStructMember */
	unsigned long	flags;
	/* cppcheck-suppress unusedStructMember */
	void		(*restorer)(void);
	/* cppcheck-suppress unusedStructMember */
	uint64_t	mask;
};

int64_t
sys_now(void)
{
	struct timespec ts;

	/* The system call, not libc's vDSO lookup (1 KB): reaper reads the clock
	 * a few times per wake-up, where 0.1 us more is lost in the noise. */
	if (syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) < 0)
		return 0;	/* cannot fail with a valid clock id */
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

pid_t sys_getpid(void) { return getpid(); }
pid_t sys_getppid(void) { return getppid(); }
pid_t sys_getpgrp(void) { return getpgrp(); }
pid_t sys_getpgid(pid_t pid) { return getpgid(pid); }
pid_t sys_getsid(pid_t pid) { return getsid(pid); }

/* Raw rt_sigprocmask: libc wrappers hide the signals they reserve. */
int
sys_sigmask(int how, const uint64_t *set, uint64_t *old)
{
	return (int)syscall(SYS_rt_sigprocmask, how, set, old, sizeof(uint64_t));
}

int
sys_sig_ignored(int sig, bool *ignored)
{
	struct ksigaction old = { 0 };

	if (syscall(SYS_rt_sigaction, sig, NULL, &old, sizeof(uint64_t)) < 0)
		return -1;
	*ignored = old.handler == SIG_IGN;
	return 0;
}

int
sys_sig_set(int sig, bool ignore)
{
	struct ksigaction sa = { 0 };

	sa.handler = ignore ? SIG_IGN : SIG_DFL;
	return (int)syscall(SYS_rt_sigaction, sig, &sa, NULL, sizeof(uint64_t));
}

/*
 * The kernel returns from a handler through the restorer, which must make
 * the rt_sigreturn system call; libc's own is only reachable through its
 * sigaction, which refuses the signals it reserves (32-34 on musl).
 */
#if defined(__x86_64__)
__asm__(".text\n.globl sys_sigreturn\n.hidden sys_sigreturn\n"
    ".type sys_sigreturn,@function\nsys_sigreturn:\n\tmov $15, %rax\n\tsyscall\n");
#elif defined(__aarch64__)
__asm__(".text\n.globl sys_sigreturn\n.hidden sys_sigreturn\n"
    ".type sys_sigreturn,%function\nsys_sigreturn:\n\tmov x8, #139\n\tsvc #0\n");
#else
#error "sys_sigreturn: x86_64 and aarch64 only"
#endif
void	sys_sigreturn(void);
#ifndef SA_RESTORER		/* the kernel's flag; glibc keeps it to itself */
#define SA_RESTORER	0x04000000
#endif

/* fn runs with every signal blocked; interrupted calls restart. */
int
sys_sig_catch(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct ksigaction sa = { 0 };

	sa.handler = (void (*)(int))(void (*)(void))fn;
	sa.flags = SA_SIGINFO | SA_RESTART | SA_RESTORER;
	sa.restorer = sys_sigreturn;
	sa.mask = ~(uint64_t)0;
	return (int)syscall(SYS_rt_sigaction, sig, &sa, NULL, sizeof(uint64_t));
}

/* A signalfd kept off fds 0-2, which belong to the child's world. */

int
sys_signalfd(uint64_t mask)
{
	int fd, hi;

	fd = (int)syscall(SYS_signalfd4, -1, &mask, sizeof(mask),
	    SFD_CLOEXEC | SFD_NONBLOCK);
	if (fd < 0 || fd >= 3)
		return fd;
	hi = (int)syscall(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 3);
	(void)close(fd);
	return hi;
}

/*
 * Sleep until a signal comes, at most timeout_ms (-1: no limit): 1 with
 * *si, 0 when none came. The entrypoint's wait: one system call between a
 * signal and reaper's forwarding, where poll and a signalfd read are two
 * wake-ups' worth. Every signal is blocked, so nothing interrupts it but a
 * stop and continue, which reads as none.
 */
int
sys_sigwait(struct sys_siginfo *si, int64_t timeout_ms)
{
	uint64_t all = ~(uint64_t)0;
	struct timespec ts, *tp = NULL;
	siginfo_t info;
	long r;

	if (timeout_ms >= 0) {
		ts.tv_sec = (time_t)(timeout_ms / 1000);
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000;
		tp = &ts;
	}
	r = syscall(SYS_rt_sigtimedwait, &all, &info, tp, sizeof(all));
	if (r < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -1;
	si->sig = (int)r;
	si->code = info.si_code;
	si->pid = info.si_pid;
	return 1;
}

int
sys_signalfd_read(int fd, struct sys_siginfo *si)
{
	struct signalfd_siginfo ssi;
	ssize_t n;

	do
		n = read(fd, &ssi, sizeof(ssi));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? 0 : -1;
	if (n != (ssize_t)sizeof(ssi)) {
		errno = EIO;
		return -1;
	}
	si->sig = (int)ssi.ssi_signo;
	si->code = ssi.ssi_code;
	si->pid = (pid_t)ssi.ssi_pid;
	return 1;
}

/* poll(2) over struct pollfd; an interruption reads as a timeout. */
int
sys_poll(void *pfds, int n, int64_t timeout_ms)
{
	struct timespec ts, *tp = NULL;
	int r;

	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (timeout_ms % 1000) * 1000000;
		tp = &ts;
	}
	r = (int)syscall(SYS_ppoll, pfds, (nfds_t)n, tp, NULL, (size_t)8);
	return r < 0 && errno == EINTR ? 0 : r;
}

/*
 * Sleep until fd is readable or timeout_ms passes (-1: no timeout). An
 * interruption reads as a timeout: the caller recomputes its deadlines.
 */
int
sys_wait_fd(int fd, int64_t timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	return sys_poll(&pfd, 1, timeout_ms);
}

/*
 * Whether fd takes a write within timeout_ms (0: now, -1: no timeout): 1
 * yes, 0 not yet. For a pipe, a free slot: a write of at most PIPE_BUF
 * then cannot block. An error state (no reader left, a closed fd) is 1
 * too: the write says what it is.
 */
int
sys_wait_out(int fd, int64_t timeout_ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLOUT };
	int r = sys_poll(&pfd, 1, timeout_ms);

	return r > 0 ? pfd.revents != 0 : r;
}

/* Single-threaded: no atfork handlers or locks to take, so _Fork, not fork. */
pid_t sys_fork(void) { return _Fork(); }

int
sys_execvp(char **argv)
{
	return execvp(argv[0], argv);
}

void sys_exit_child(int code) { _exit(code); }

pid_t
sys_waitpid(pid_t pid, int *status, int flags)
{
	pid_t r;

	do
		r = waitpid(pid, status, flags);
	while (r < 0 && errno == EINTR);
	return r;
}

/* Which child has news, without consuming it, so its name can still be read. */
pid_t
sys_wait_peek(void)
{
	siginfo_t si;
	int r;

	si.si_pid = 0;
	do
		r = waitid(P_ALL, 0, &si,
		    WEXITED | WSTOPPED | WCONTINUED | WNOHANG | WNOWAIT);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -1 : si.si_pid;
}

/*
 * Sleep until a child has news (peek: leave it waitable). waitid, not
 * wait4: it writes the news into *c, where a handler's jump past the
 * return (catch.c) cannot lose it.
 */
int
sys_wait_child(struct sys_child *c, bool peek)
{
	int r;

	do
		r = waitid(P_ALL, 0, &c->si,
		    WEXITED | WSTOPPED | WCONTINUED | (peek ? WNOWAIT : 0));
	while (r < 0 && errno == EINTR);
	return r < 0 ? -1 : 1;
}

void sys_child_clear(struct sys_child *c) { c->si.si_pid = 0; }
pid_t sys_child_pid(const struct sys_child *c) { return c->si.si_pid; }

/* waitid's code and status as the status word waitpid would have given. */
int
sys_child_status(const struct sys_child *c)
{
	int st = c->si.si_status;

	switch (c->si.si_code) {
	case CLD_EXITED:
		return (st & 0xff) << 8;
	case CLD_KILLED:
		return st & 0x7f;
	case CLD_DUMPED:
		return (st & 0x7f) | 0x80;
	case CLD_CONTINUED:
		return 0xffff;
	default:		/* CLD_STOPPED, CLD_TRAPPED */
		return ((st & 0xff) << 8) | 0x7f;
	}
}

int sys_kill(pid_t pid, int sig) { return kill(pid, sig); }

/* A handle on one process that a reused pid can never redirect. */
int
sys_pidfd_open(pid_t pid)
{
	return (int)syscall(SYS_pidfd_open, pid, 0);
}

int
sys_pidfd_kill(int pidfd, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0);
}
int sys_setpgid(pid_t pid, pid_t pgid) { return setpgid(pid, pgid); }
/* The terminal and prctl calls as plain system calls: libc's are wrappers. */
int
sys_tcgetpgrp(int fd)
{
	pid_t pgid;

	return syscall(SYS_ioctl, fd, TIOCGPGRP, &pgid) < 0 ? -1 : (int)pgid;
}

int
sys_tcsetpgrp(int fd, pid_t pgid)
{
	return (int)syscall(SYS_ioctl, fd, TIOCSPGRP, &pgid);
}

int sys_subreaper(void) { return (int)syscall(SYS_prctl, PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0); }
int sys_pdeathsig(int sig) { return (int)syscall(SYS_prctl, PR_SET_PDEATHSIG, sig, 0, 0, 0); }
int sys_chdir(const char *dir) { return chdir(dir); }


int sys_setsid(void) { return setsid() < 0 ? -1 : 0; }
void sys_umask(int mask) { (void)umask((mode_t)mask); }
int sys_ctty(int fd) { return (int)syscall(SYS_ioctl, fd, TIOCSCTTY, 0); }

/* As musl's isatty: only a terminal has a window size. */
bool
sys_isatty(int fd)
{
	struct winsize ws;

	return syscall(SYS_ioctl, fd, TIOCGWINSZ, &ws) == 0;
}

/*
 * Drop to ids: supplementary groups first, then the gid, then the uid, the
 * only order in which each step is still allowed. Raw system calls: the
 * child is single-threaded, so libc's all-threads set*id machinery is
 * not needed.
 */
#ifdef SYS_setuid32	/* 32-bit arches: the plain calls take 16-bit ids */
#define SYS_ID_GROUPS	SYS_setgroups32
#define SYS_ID_GID	SYS_setgid32
#define SYS_ID_UID	SYS_setuid32
#else
#define SYS_ID_GROUPS	SYS_setgroups
#define SYS_ID_GID	SYS_setgid
#define SYS_ID_UID	SYS_setuid
#endif

int
sys_ids(const struct ids *ids)
{
	if (syscall(SYS_ID_GROUPS, (size_t)ids->ngroups, ids->groups) < 0 ||
	    syscall(SYS_ID_GID, ids->gid) < 0)
		return -1;
	return ids->user ? (int)syscall(SYS_ID_UID, ids->uid) : 0;
}

int
sys_execve_path(char **argv, char **envp)
{
	extern char **environ;

	environ = envp;		/* execvp searches the PATH of the new env */
	return execvp(argv[0], argv);
}

uid_t sys_geteuid(void) { return geteuid(); }
