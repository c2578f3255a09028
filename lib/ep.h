/* The entrypoint engine: one main child, forwarding, reaping, then the end. */
#ifndef REAPER_EP_H
#define REAPER_EP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "fwd.h"
#include "opt.h"
#include "reap.h"
#include "sys.h"

/*
 * RUN: the main child lives (or -P pauses). When it is gone: DRAIN waits
 * for every descendant (-a); TERM has sent SIGTERM and waits out the
 * grace; KILL has sent SIGKILL and waits for the dead. DONE: exit.
 */
enum ep_phase { EP_RUN, EP_DRAIN, EP_TERM, EP_KILL, EP_DONE };

#define EP_REKILL_MS	250	/* in KILL, how often to catch late forks */

struct ep {
	const struct opts *o;
	struct fwd	fwd;
	pid_t		self;
	bool		pid1;
	pid_t		child;		/* main child; 0 when none or reaped */
	pid_t		pgid;		/* its group, once it is reaped */
	int		tty;		/* controlling terminal, or -1 */
	enum ep_phase	phase;
	int64_t		deadline;	/* of the phase; -1 for none */
	int64_t		kill_until;	/* end of the KILL phase */
	int		status;		/* what reaper exits with */
	unsigned long	orphans;	/* adopted orphans reaped */
};

void	ep_init(struct ep *e, const struct opts *o, pid_t self, bool pid1);
void	ep_started(struct ep *e, pid_t child, int tty);
void	ep_signal(struct ep *e, const struct sys_siginfo *si, int64_t now);
void	ep_reaped(void *ctx, const struct reap_ev *ev);
void	ep_nochild(struct ep *e);
void	ep_tick(struct ep *e, int64_t now);
int64_t	ep_deadline(const struct ep *e);
int	ep_run(struct ep *e, int sigfd);

#endif
