/* Start the main child exactly as reaper itself was started. */
#ifndef REAPER_SPAWN_H
#define REAPER_SPAWN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct spawn {
	char		**argv;
	uint64_t	mask;		/* the signal mask reaper started with */
	bool		chld_ignored;	/* SIGCHLD was SIG_IGN when reaper started */
	int		tty;		/* give this terminal's foreground, or -1 */
	pid_t		listen_pid;	/* LISTEN_PID naming this is rewritten */
};

pid_t	spawn_main(const struct spawn *sp);

#endif
