/* System mode: boot (sysinit), run (once, service), stop, shutdown, the end. */
#ifndef REAPER_RUN_H
#define REAPER_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cgroup.h"
#include "conf.h"
#include "end.h"
#include "ready.h"
#include "reap.h"
#include "start.h"
#include "svc.h"

/*
 * BOOT runs sysinit entries one at a time; UP has once and service
 * entries started as the graph allows; STOP stops them, dependents first;
 * SHUTDOWN runs shutdown entries one at a time; KILL has sent SIGTERM to
 * every process left and waits out the grace, then SIGKILL; FINAL: the
 * caller syncs, unmounts and reboots (or exits).
 */
enum run_phase { RUN_BOOT, RUN_UP, RUN_STOP, RUN_SHUTDOWN, RUN_KILL, RUN_FINAL };
enum run_action { RA_NONE, RA_REBOOT, RA_POWEROFF, RA_HALT, RA_EXIT };

/* The small fields first, the tables last: a table's pages are written
 * only as far as it is used. */
struct run {
	struct conf	*conf;
	struct conf	*next;		/* a reload's, once the stops it needs are over */
	enum run_phase	phase;
	int		cur;		/* the entry BOOT or SHUTDOWN waits for */
	enum run_action	action;
	struct end	end;		/* KILL: what is left, ended */
	int64_t		halt_by;	/* shutdown-timeout */
	pid_t		self;
	bool		pid1;
	bool		machine;	/* PID 1 of a machine: failure-action= powers it off */
	int		fail_status;	/* the status of the entry whose failure-action
					 * stopped everything; -1: none did */
	unsigned long	orphans;
	/* A reload: of next's entries, those kept (same process) and those to
	 * start; of the current ones, those that go. */
	bool		kept[CONF_ENTRIES_MAX];
	bool		start[CONF_ENTRIES_MAX];
	bool		gone[CONF_ENTRIES_MAX];
	struct svc	svc[CONF_ENTRIES_MAX];
	struct starts	starts;		/* exec reports awaited */
	struct readies	ready;		/* readiness awaited */
	struct cgroups	cg;		/* a cgroup per entry, when there are cgroups */
};

/* For reaperctl wait: whether an entry is up, failed for good, or neither yet. */
enum run_wait { RW_PENDING, RW_UP, RW_FAILED };

void	run_init(struct run *r, struct conf *c, pid_t self, bool pid1, struct loop *l,
	    struct klogs *k);
void	run_step(struct run *r, int64_t now);
void	run_request(struct run *r, enum run_action a, int64_t now);
void	run_reaped(void *ctx, const struct reap_ev *ev);
void	run_nochild(struct run *r, int64_t now);
void	run_tick(struct run *r, int64_t now);
int64_t	run_deadline(const struct run *r);
struct svc *run_find(struct run *r, pid_t pid);
const struct svc *run_lookup(const struct run *r, pid_t pid);
bool	run_can_reload(const struct run *r);
void	run_resume(struct run *r);
void	run_reload(struct run *r, struct conf *nc, int64_t now);
void	run_swap(struct run *r, int64_t now);
enum run_wait run_wait_of(const struct run *r, int i);
void	run_owner(void *ctx, pid_t pid, char *from, size_t len);
void	owner_of(const struct run *r, pid_t pid, char *from, size_t len);

#endif
