/* The end of life of what is left: SIGTERM, the grace, then SIGKILL, for every mode. */
#ifndef REAPER_END_H
#define REAPER_END_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * OFF: not started. TERM: SIGTERM (and SIGCONT) sent, the grace runs.
 * KILL: SIGKILL sent; again every END_REKILL_MS for what forked since,
 * until KILL_WAIT_MS have passed. OVER: nothing left, or given up on.
 */
enum end_phase { END_OFF, END_TERM, END_KILL, END_OVER };

struct end {
	enum end_phase	phase;
	pid_t		self;
	bool		pid1;
	pid_t		group;		/* a group signalled too at each phase; 0: none */
	bool		all;		/* every descendant too */
	int64_t		grace_ms;	/* as asked, for the log */
	int64_t		deadline;	/* of the phase */
	int64_t		kill_until;	/* KILL: when to stop waiting for the dead */
};

void	end_init(struct end *d, pid_t self, bool pid1);
void	end_all(const struct end *d, int sig);
void	end_start(struct end *d, pid_t group, bool all, int64_t grace_ms,
	    int64_t until, int64_t now);
void	end_tick(struct end *d, int64_t now);
void	end_nochild(struct end *d);
int64_t	end_deadline(const struct end *d);

#endif
