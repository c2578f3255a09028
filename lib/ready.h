/* Readiness: how a started service says it is ready (SPEC section 8), watched on the loop. */
#ifndef REAPER_READY_H
#define REAPER_READY_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "conftypes.h"

struct klogs;
struct loop;
struct reap_ev;
struct spawn_io;
struct readies;

/* News of the service pid: ready (status NULL), or its STATUS= text. */
typedef void ready_news_fn(void *ctx, pid_t pid, const char *status, int64_t now);
/* The entry of the service pid, looked up when a probe starts (a reload may move it). */
typedef const struct conf_entry *ready_entry_fn(void *ctx, pid_t pid);

/*
 * One service on its way to ready, or ready and still telling its STATUS=.
 * A slot is free when both pid and probe are 0: a probe outlives its
 * service's slot until it is reaped.
 */
struct rdy {
	struct readies	*set;
	pid_t		pid;		/* the service (its session leader) */
	pid_t		probe;		/* ready-check running, or 0 */
	enum conf_ready	kind;
	int		fd;		/* fd:N's read end, or the notify socket; -1 */
	int		lid;		/* fd's loop source; -1 */
	int		tid;		/* the probe timer's loop source; -1 */
	int64_t		due;		/* the next probe, or the end of the one running */
	int64_t		interval;
	char		name[CONF_NAME_MAX + 1];
	char		addr[96];	/* "NOTIFY_SOCKET=@reaper/PID/SEQ/NAME" */
};

struct readies {
	struct loop	*loop;
	struct klogs	*klog;
	ready_news_fn	*news;
	ready_entry_fn	*entry;
	void		*ctx;
	unsigned	seq;		/* makes each notify socket's name new */
	struct rdy	tab[CONF_ENTRIES_MAX];
};

void	ready_init(struct readies *rd, struct loop *l, struct klogs *k, ready_news_fn *news,
	    ready_entry_fn *entry, void *ctx);
struct rdy *ready_open(struct readies *rd, const struct conf_entry *e, struct spawn_io *io);
void	ready_watch(struct rdy *t, struct spawn_io *io, pid_t pid);
void	ready_exec(struct readies *rd, pid_t pid, int64_t now);
void	ready_gone(struct readies *rd, pid_t pid);
bool	ready_reaped(struct readies *rd, const struct reap_ev *ev, int64_t now);

#endif
