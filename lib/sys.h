/* The system call seam: the only module that talks to the kernel directly. */
#ifndef REAPER_SYS_H
#define REAPER_SYS_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "limits.h"

/* What a process drops to: groups, then gid, then uid (when user is set). */
struct ids {
	bool	user;
	uid_t	uid;
	gid_t	gid;
	int	ngroups;
	gid_t	groups[IDS_GROUPS_MAX];
};

struct stat;

/*
 * Every function returns -1 with errno set on failure and retries EINTR
 * itself, so no caller ever sees EINTR. Signal sets are the kernel's
 * 64-bit masks (bit N-1 is signal N), so reaper handles signals 32-34 that
 * libcs reserve for themselves.
 */

struct sys_siginfo {
	int sig;
	int code;
	pid_t pid;		/* sender */
};

/* A child's news as waitid wrote it: kept in the caller's memory (see catch.c). */
struct sys_child {
	siginfo_t si;
};

int64_t	sys_now(void);				/* CLOCK_MONOTONIC, ms */
pid_t	sys_getpid(void);
pid_t	sys_getppid(void);
pid_t	sys_getpgrp(void);
pid_t	sys_getpgid(pid_t pid);
pid_t	sys_getsid(pid_t pid);

int	sys_sigmask(int how, const uint64_t *set, uint64_t *old);
int	sys_sig_ignored(int sig, bool *ignored);
int	sys_sig_set(int sig, bool ignore);	/* SIG_IGN or SIG_DFL */
int	sys_sig_catch(int sig, void (*fn)(int, siginfo_t *, void *));	/* SA_RESTART */
int	sys_signalfd(uint64_t mask);		/* CLOEXEC, NONBLOCK, fd >= 3 */
int	sys_signalfd_read(int fd, struct sys_siginfo *si);	/* 1, 0 none, -1 */
int	sys_sigwait(struct sys_siginfo *si, int64_t timeout_ms);	/* 1, 0 none, -1 */
int	sys_wait_fd(int fd, int64_t timeout_ms);	/* 1 readable, 0 timeout */
int	sys_wait_out(int fd, int64_t timeout_ms);	/* 1 writable, 0 timeout */

pid_t	sys_fork(void);
int	sys_execvp(char **argv);		/* only returns on failure */
void	sys_exit_child(int code);		/* _exit */
pid_t	sys_waitpid(pid_t pid, int *status, int flags);
pid_t	sys_wait_peek(void);			/* pid with news, 0 none */
int	sys_wait_child(struct sys_child *c, bool peek);	/* sleeps: 1, or -1 */
void	sys_child_clear(struct sys_child *c);
pid_t	sys_child_pid(const struct sys_child *c);		/* 0: none */
int	sys_child_status(const struct sys_child *c);	/* as waitpid's */
int	sys_kill(pid_t pid, int sig);
int	sys_pidfd_open(pid_t pid);
int	sys_pidfd_kill(int pidfd, int sig);
int	sys_setpgid(pid_t pid, pid_t pgid);
int	sys_tcgetpgrp(int fd);
int	sys_tcsetpgrp(int fd, pid_t pgid);
bool	sys_isatty(int fd);			/* a terminal (TIOCGWINSZ answers) */

int	sys_subreaper(void);
int	sys_pdeathsig(int sig);
int	sys_chdir(const char *dir);
int	sys_close_from(int lowfd, const int *keep, int nkeep);
int	sys_open(const char *path, int flags);	/* adds O_CLOEXEC */
ssize_t	sys_read(int fd, void *buf, size_t len);
ssize_t	sys_write(int fd, const void *buf, size_t len);
ssize_t	sys_pread(int fd, void *buf, size_t len, off_t off);
int	sys_rmdir(const char *path);
int	sys_close(int fd);
int	sys_getdents(int fd, void *buf, size_t len);

/* A directory read name by name (include lines): opendir and readdir, no allocation. */
struct sys_dir {
	int	fd;
	int	len, off;			/* of what buf holds */
	char	buf[2048];			/* struct linux_dirent64 records */
};

int	sys_dir_open(struct sys_dir *d, const char *path);
int	sys_dir_next(struct sys_dir *d, const char **name);	/* 1, 0 at the end, -1 */
void	sys_dir_close(struct sys_dir *d);
int	sys_file_owner(const char *path, uid_t *uid, gid_t *gid, unsigned *mode);
int	sys_lstat(const char *path, struct stat *st);	/* for lib/sys*.c */
int	sys_fd_stat(int fd, unsigned *mode, uint64_t *rdev);	/* fstat: type, mode, device */
int	sys_path_stat(const char *path, unsigned *mode, uint64_t *rdev);	/* stat, symlinks followed */
uid_t	sys_geteuid(void);

/* The control socket. */
#define SYS_PEER_GROUPS	64

struct sys_peer {
	pid_t	pid;
	uid_t	uid;
	gid_t	gid;
	int	ngroups;			/* supplementary, as the kernel saw them */
	gid_t	groups[SYS_PEER_GROUPS];
};

int	sys_listen_unix(const char *path, int mode, gid_t gid);	/* -2: bound, no group (removed) */
int	sys_accept(int lfd, struct sys_peer *peer);	/* NONBLOCK, CLOEXEC */
int	sys_connect_unix(const char *path, bool nonblock);
bool	sys_is_socket(const char *path);
int	sys_poll(void *pfds, int n, int64_t timeout_ms);
ssize_t	sys_send(int fd, const void *buf, size_t len);	/* no SIGPIPE */
int	sys_unlink(const char *path);
int	sys_link_owner(const char *path, uid_t *uid, unsigned *mode);	/* lstat: no symlink followed */
int	sys_mkdir_private(const char *path);	/* mode 0700 */

/* Readiness: a notify socket of each ready=notify service. */
int	sys_dgram_abstract(const char *name, size_t len);	/* NONBLOCK, CLOEXEC */
ssize_t	sys_recv_cred(int fd, void *buf, size_t len, pid_t *pid, int *fds, int maxfds,
	    int *nfds);

/* PID 1 only: the machine. */
int	sys_mount(const char *src, const char *dst, const char *type,
	    unsigned long flags, const char *data);
int	sys_umount(const char *dst);
int	sys_mkdir(const char *path);
int	sys_sethostname(const char *name);
int	sys_cad_off(void);			/* reboot(RB_DISABLE_CAD) */
int	sys_reboot(int how);			/* 0 reboot, 1 poweroff, 2 halt */
void	sys_sync(void);
int	sys_readlink(const char *path, char *buf, size_t len);
const char *sys_absolute(const char *path);
int	sys_watchdog_set(int fd, int *secs);	/* WDIOC_SETTIMEOUT */
int	sys_watchdog_get(int fd, int *secs);	/* WDIOC_GETTIMEOUT */
int	sys_watchdog_pet(int fd);		/* WDIOC_KEEPALIVE */
int	sys_inotify(void);			/* NONBLOCK, CLOEXEC */
int	sys_inotify_watch(int fd, const char *path, uint32_t mask);	/* the wd */
int	sys_inotify_unwatch(int fd, int wd);
int	sys_evdev_keys(int fd, unsigned long *bits, size_t len);	/* EVIOCGBIT(EV_KEY): bytes */
int	sys_evdev_name(int fd, char *buf, size_t len);	/* EVIOCGNAME, NUL-ended */

/* The child side of a service spawn. */
int	sys_pipe(int fds[2]);			/* both CLOEXEC */
int	sys_setsid(void);
int	sys_dup2(int from, int to);
int	sys_fd_above(int fd, int min);		/* a CLOEXEC copy at min or above */
int	sys_blocking(int fd);			/* clear O_NONBLOCK */
int	sys_nonblock(int fd);			/* set O_NONBLOCK */
int	sys_ctty(int fd);			/* TIOCSCTTY */
void	sys_umask(int mask);
int	sys_ids(const struct ids *ids);		/* groups, gid, then uid */
int	sys_execve_path(char **argv, char **envp);

#endif
