/* The one loop: a fixed table of event sources, one wait on the earliest deadline. */
#ifndef REAPER_LOOP_H
#define REAPER_LOOP_H

#include <stdbool.h>
#include <stdint.h>

#include "limits.h"
#include "sys.h"

/*
 * A source is {fd, events, handler, context}, plus, if it has one, a
 * function that says when it is next due. The handler runs when its fd
 * is ready (revents set) or its time has come (revents 0). A source with
 * no events is not polled, only kept: an fd held open (the watchdog's) or
 * a pure timer (fd -1). The loop knows nothing of what a source means.
 */
typedef void loop_fn(void *ctx, int revents, int64_t now);
typedef int64_t loop_due_fn(const void *ctx);	/* ms, or -1: no deadline */
typedef void loop_sig_fn(void *ctx, const struct sys_siginfo *si, int64_t now);

struct loop_src {
	int		fd;		/* -1: none */
	int		events;		/* POLLIN, POLLOUT; 0: not polled */
	loop_fn		*fn;		/* NULL: slot free */
	loop_due_fn	*due;		/* NULL: never due */
	void		*ctx;
	unsigned	gen;		/* changes whenever the slot is taken */
};

struct loop {
	struct loop_src	*src;		/* the caller's table of max slots */
	int		max;
	int		top;		/* slots at or past top are free */
	int		sigfd;		/* the signalfd; -1: none */
	loop_sig_fn	*sig;
	void		*sigctx;
	loop_fn		*step;		/* after every wake-up: reap, move on */
	loop_due_fn	*step_due;
	void		*step_ctx;
	bool		done;
	bool		pollerr;	/* poll failed: said once */
	bool		sig_clockless;	/* sig reads the clock itself: the first
					 * signal of a wait goes to it before any
					 * clock read, with now -1 */
};

void	loop_init(struct loop *l, struct loop_src *tab, int max);
void	loop_signals(struct loop *l, int sigfd, loop_sig_fn *fn, void *ctx);
void	loop_step(struct loop *l, loop_fn *fn, loop_due_fn *due, void *ctx);
int	loop_add(struct loop *l, int fd, int events, loop_fn *fn, loop_due_fn *due,
	    void *ctx);
void	loop_del(struct loop *l, int id);
void	loop_events(struct loop *l, int id, int events);
int64_t	loop_deadline(const struct loop *l);
int	loop_fds(const struct loop *l, int *fds, int max);
void	loop_once(struct loop *l);
void	loop_run(struct loop *l);
void	loop_stop(struct loop *l);

#endif
