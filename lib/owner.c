/*
 * Provenance: which entry an adopted orphan came from, asked while it is
 * still a zombie (its cgroup and session are still there). With cgroups,
 * its cgroup says; without, its session: each service is started in a
 * session of its own, which a child keeps unless it makes its own.
 */
#include "fmt.h"
#include "run.h"
#include "sys.h"

/* The entry whose session (this run's or the one before) is sid, or NULL. */
static const struct svc *
owner_by_session(const struct run *r, pid_t sid)
{
	int i;

	for (i = 0; sid > 1 && i < r->conf->n; i++)
		if (r->svc[i].pgid == sid || r->svc[i].sid_prev == sid)
			return &r->svc[i];
	return NULL;
}

/* The name of the entry pid came from into from ("" when none), for the reap loop. */
void
run_owner(void *ctx, pid_t pid, char *from, size_t len)
{
	owner_of(ctx, pid, from, len);
}

/* The same for anyone: the name of the entry an orphan pid leaked from, or "". */
void
owner_of(const struct run *r, pid_t pid, char *from, size_t len)
{
	const struct svc *s;

	from[0] = '\0';
	if (run_lookup(r, pid))
		return;		/* an entry's own process: no orphan */
	/* An entry whose cgroup could not be made leaks into reaper's leaf: its session says. */
	if (r->cg.on && cgroup_owner(&r->cg, pid, from, len) == 0)
		return;
	from[0] = '\0';
	if ((s = owner_by_session(r, sys_getsid(pid))) != NULL)
		(void)fmt_print(from, len, "%s", s->e->name);
}
