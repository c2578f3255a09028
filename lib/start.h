/* Starts in flight: a service's output pipes, its fork, and its exec report on the loop. */
#ifndef REAPER_START_H
#define REAPER_START_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "limits.h"

struct klogs;
struct loop;
struct readies;
struct cgroups;
struct svc;
struct starts;

/* A start is over: ok, the exec happened; else it failed and said why. */
typedef void start_done_fn(void *ctx, pid_t pid, bool ok, int64_t now);

struct start {
	struct starts	*set;
	pid_t		pid;		/* 0: slot free */
	int		fd;		/* the report pipe's read end */
	int		lid;		/* its loop source */
	char		name[CONF_NAME_MAX + 1];
};

struct starts {
	/* One per entry, and as many for a reload's retired entries whose
	 * child is still slow to exec. */
	struct start	tab[START_MAX];
	struct loop	*loop;
	struct klogs	*klog;
	struct readies	*ready;
	struct cgroups	*cg;
	start_done_fn	*done;
	void		*ctx;
};

void	start_init(struct starts *st, struct loop *l, struct klogs *k,
	    struct readies *rd, struct cgroups *cg, start_done_fn *done, void *ctx);
void	start_svc(struct starts *st, struct svc *s, int64_t now);
void	start_reaped(struct starts *st, pid_t pid, int64_t now);
void	start_settle(struct starts *st, int64_t now);

#endif
