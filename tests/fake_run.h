/* What the supervisor's unit tests share: scripted starts and reaps against the fake sys layer. */
#ifndef REAPER_FAKE_RUN_H
#define REAPER_FAKE_RUN_H

#include "fake_sys.h"
#include "run.h"

/* The next start forks pid (no child runs: its report pipe ends at once). */
static inline void
fake_forks(pid_t pid)
{
	fake_script("fork", pid, 0, 1);
}

/* pid ended; a stopping service's group is asked after, and is gone. */
static inline void
fake_reaped(struct run *r, pid_t pid, enum reap_kind kind, int code)
{
	struct reap_ev ev = { pid, kind, code, "", "" };
	const struct svc *s = run_lookup(r, pid);

	if (s && s->state == SV_STOPPING && !s->killed) {
		expect_value(sys_kill, pid, -pid);
		expect_value(sys_kill, sig, 0);
		will_return(sys_kill, -1);
		will_return(sys_kill, ESRCH);
	}
	run_reaped(r, &ev);
}

#endif
