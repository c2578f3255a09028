/* What the fake sys layer offers the unit tests beyond the sys_* symbols. */
#ifndef REAPER_FAKE_SYS_H
#define REAPER_FAKE_SYS_H

#include <setjmp.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

void	fake_will_kill(pid_t pid, int sig);

/*
 * Fault injection: the next `times` calls of sys_CALL (-1: all of them)
 * return ret, with errno err when ret < 0. fake_fail(call, err) is one
 * failure. fake_reset forgets every script and the captured log.
 */
void	fake_script(const char *call, long ret, int err, int times);
void	fake_fail(const char *call, int err);
void	fake_reset(void);
int	fake_setup(void **state);
const char *fake_slurp(const char *path);	/* a file's text, 1 MiB at most */	/* fake_reset, the log to FAKE_LOG_FD */

/* log_setup(LV_DEBUG, FAKE_LOG_FD) sends reaper's log lines here. */
#define FAKE_LOG_FD	1000
#define FAKE_LOG_MAX	16384
extern char	fake_log_buf[FAKE_LOG_MAX];
extern size_t	fake_log_len;
bool	fake_logged(const char *text);

/* A scripted fork that returned 0 runs the child side in the test: its
 * sys_exit_child(code) stores code and jumps to *fake_exit_to. */
extern jmp_buf	*fake_exit_to;
extern int	fake_exit_code;

/* catch.c's handler as sys_sig_catch got it, and how often; the hook run
 * inside sys_wait_child (before its scripted answer). */
struct sys_child;
extern void	(*fake_catch_fn)(int, siginfo_t *, void *);
extern int	fake_catch_calls;
extern void	(*fake_wait_hook)(struct sys_child *c);

/* The environment the last sys_execve_path was given. */
extern char	**fake_exec_env;

/* While >= 0, the clock: sys_now answers it, not a will_return (fake_reset: -1). */
extern int64_t	fake_now;

/* The timeout the last sys_poll or sys_sigwait was asked to sleep (ms, -1: none). */
extern int64_t	fake_wait_timeout;

/* While not (uid_t)-1, sys_geteuid's answer (fake_reset: -1). */
extern uid_t	fake_euid;

/* The paths sys_connect_unix was asked to, one a line (fake_reset: none). */
extern char	fake_connects[512];

/* The mode and group the last sys_listen_unix was asked for. */
extern int	fake_listen_mode;
extern gid_t	fake_listen_gid;

/* sys_file_owner and sys_link_owner answer this instead of the real file's owner and mode. */
void	fake_owner(uid_t uid, gid_t gid, unsigned mode);

/* The next `times` sys_writes (-1: all) of more than max bytes write max of them, for real. */
void	fake_short_write(size_t max, int times);

/* sys_pipe makes real pipes: the last one's fds, and bytes to put in the next. */
extern int	fake_pipe[2];
void	fake_pipe_feed(const void *data, size_t len);

/* sys_dgram_abstract makes a real datagram pair: [1] is the sender's end;
 * sys_recv_cred says each datagram came from fake_cred_pid (with no fds). */
extern int	fake_dgram[2];
extern pid_t	fake_cred_pid;

/* sys_evdev_keys on a node called name: 1 has KEY_POWER, 0 has keys but not
 * that one, -ERRNO fails; a node never named fails with ENOTTY. */
void	fake_evdev(const char *name, int keys);

#endif
