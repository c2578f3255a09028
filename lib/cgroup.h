/* A cgroup per entry (SPEC section 9): set-up, limits, containment, emptiness on the loop. */
#ifndef REAPER_CGROUP_H
#define REAPER_CGROUP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "conftypes.h"

struct loop;
struct cgroups;

/* The cgroup of entry name has just become empty. */
typedef void cgroup_empty_fn(void *ctx, const char *name, int64_t now);

enum { CG_MEMORY = 1, CG_PIDS = 2, CG_CPU = 4 };

struct cgroup_ent {
	struct cgroups	*set;
	char		name[CONF_NAME_MAX + 1];	/* "": slot free */
	int		evfd;		/* its cgroup.events, watched for POLLPRI; -1 */
	int		lid;
	bool		warned;		/* a missing controller said once */
	long		oom;		/* memory.events oom_kill when it started */
};

struct cgroups {
	bool		on;
	bool		kill;		/* cgroup.kill exists (Linux 5.14) */
	unsigned	avail;		/* controllers reaper's cgroup has */
	unsigned	ctrl;		/* of those, given to the entries' cgroups (on first need) */
	unsigned	refused;	/* of those, refused when asked (said once) */
	char		why[CG_WHY_MAX];	/* off: the reason */
	char		path[CG_PATH_MAX];	/* reaper's cgroup, as /proc/PID/cgroup says */
	char		dir[CG_PATH_MAX];	/* where it is mounted */
	struct loop	*loop;
	cgroup_empty_fn	*empty;
	void		*ctx;
	struct cgroup_ent tab[CONF_ENTRIES_MAX];
};

/* An entry's use of the machine; -1 where the kernel does not tell. */
struct cgroup_use {
	long long	memory, peak;	/* bytes */
	long long	cpu_usec;
};

void	cgroup_init(struct cgroups *g, struct loop *l, cgroup_empty_fn *fn, void *ctx);
void	cgroup_setup(struct cgroups *g, bool machine);
int	cgroup_prepare(struct cgroups *g, const struct conf_entry *e);
bool	cgroup_populated(struct cgroups *g, const char *name);
int	cgroup_signal(struct cgroups *g, const char *name, int sig);
bool	cgroup_oom(struct cgroups *g, const char *name);
void	cgroup_remove(struct cgroups *g, const char *name);
int	cgroup_owner(const struct cgroups *g, pid_t pid, char *name, size_t len);
bool	cgroup_usage(const struct cgroups *g, const char *name, struct cgroup_use *u);

#endif
