/* Starting processes: the main child exactly as reaper was started, services as configured. */
#ifndef REAPER_SPAWN_H
#define REAPER_SPAWN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "limits.h"

struct spawn {
	char		**argv;
	uint64_t	mask;		/* the signal mask reaper started with */
	bool		chld_ignored;	/* SIGCHLD was SIG_IGN when reaper started */
	int		tty;		/* give this terminal's foreground, or -1 */
	pid_t		listen_pid;	/* LISTEN_PID naming this is rewritten */
};

/*
 * What a service's child gets besides its config entry; readiness and
 * cgroups add their fds here. report is set by spawn_service.
 */
struct spawn_io {
	int		out;		/* stdout=kmsg or prefix: its pipe's write end, or -1 */
	int		err;		/* stderr=kmsg or prefix: the same */
	const char	*kmsg;		/* the log device, for kmsg with no pipe */
	int		ready;		/* ready=fd:N: the pipe's write end, or -1 */
	const char	*notify;	/* ready=notify: "NOTIFY_SOCKET=@...", or NULL */
	int		cgroup;		/* its cgroup's cgroup.procs, to join; or -1 */
	int		report;		/* out: the exec report's read end, or -1 */
};

/*
 * What failed in a service's child, sent up the CLOEXEC pipe in one
 * write (less than PIPE_BUF: never in pieces): the step (0 is the exec),
 * errno (0: none), and what the step says of itself (an env file and its
 * line), if anything.
 */
struct spawn_fail {
	int	step;
	int	err;
	char	msg[SPAWN_MSG_MAX];
};

struct conf_entry;

pid_t	spawn_main(const struct spawn *sp);
pid_t	spawn_service(const struct conf_entry *e, struct spawn_io *io);
int	spawn_report(int fd, const char *name);

#endif
