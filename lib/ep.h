/* The entrypoint engine: one main child, forwarding, reaping, then the end. */
#ifndef REAPER_EP_H
#define REAPER_EP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "end.h"
#include "fwd.h"
#include "opt.h"
#include "reap.h"
#include "sys.h"

/*
 * RUN: the main child lives (or -P pauses). When it is gone: DRAIN waits
 * for every descendant (-a); END ends what is left (struct end: TERM,
 * the grace, KILL). DONE: exit.
 */
enum ep_phase { EP_RUN, EP_DRAIN, EP_END, EP_DONE };

/* The fast wait: set up at the first wake-up that finds the main child on. */
enum ep_catch { EP_CATCH_LATER, EP_CATCH_ON, EP_CATCH_FAILED };

struct loop;

struct ep {
	const struct opts *o;
	struct fwd	fwd;
	pid_t		self;
	bool		pid1;
	pid_t		child;		/* main child; 0 when none or reaped */
	int		tty;		/* controlling terminal, or -1 */
	enum ep_phase	phase;
	struct end	end;		/* END: what is left, ended */
	struct loop	*loop;		/* the loop ep_run runs on */
	int		status;		/* what reaper exits with */
	unsigned long	orphans;	/* adopted orphans reaped */
	bool		timed;		/* -D holds some: forwarding reads the clock */
	enum ep_catch	catch;		/* the fast wait (catch.c) */
	bool		nochild;	/* the last wait found no child at all */
	bool		chld;		/* the slow wait read a SIGCHLD: reap */
	bool		sig_lately;	/* signals came last, not orphans: the slow wait */
};

void	ep_init(struct ep *e, const struct opts *o, pid_t self, bool pid1);
void	ep_started(struct ep *e, pid_t child, int tty);
void	ep_signal(struct ep *e, const struct sys_siginfo *si, int64_t now);
void	ep_reaped(void *ctx, const struct reap_ev *ev);
void	ep_nochild(struct ep *e);
void	ep_tick(struct ep *e, int64_t now);
int64_t	ep_deadline(const struct ep *e);
int	ep_run(struct ep *e, struct loop *l, int sigfd);

#endif
