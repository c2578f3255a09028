/*
 * The supervisor: each entry is an explicit state machine, moved by one
 * small function per event (start, stop, exit, pause, time). Signals to
 * a service go to its process group: each one runs in its own session.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "cgroup.h"
#include "evt.h"
#include "log.h"
#include "spawn.h"
#include "svc.h"
#include "sys.h"

static const char *const state_names[] = {
	"stopped", "starting", "running", "paused", "stopping",
	"backoff", "failed", "done", "waiting",
};

const char *
svc_state_name(enum svc_state st)
{
	return state_names[st];
}

void
svc_init(struct svc *s, const struct conf_entry *e)
{
	memset(s, 0, sizeof(*s));
	s->e = e;
	s->state = SV_STOPPED;
	s->deadline = -1;
	s->delay = e->restart_delay_ms;
	s->last.kind = SX_NONE;
}

/*
 * The shell's number for how: the exit code, or 128 + the signal; -1 for
 * none. Events, logs and the JSON last_exit keep speaking it.
 */
int
svc_exit_status(struct svc_exit how)
{
	if (how.kind == SX_NONE)
		return -1;
	return how.kind == SX_KILLED ? 128 + how.code : how.code;
}

/* Whether a process of s is there (and so must be stopped or waited for). */
bool
svc_has_proc(const struct svc *s)
{
	return s->pid > 0 || s->lingering;
}

/*
 * Up, as SPEC means it for those that wait on s: a service that is ready
 * (RUNNING: its exec, its line on fd N, READY=1, a probe that passed), a
 * once that exited 0.
 */
bool
svc_is_up(const struct svc *s)
{
	if (s->e->kind == CK_ONCE)
		return s->state == SV_DONE && s->last.kind == SX_EXITED && s->last.code == 0;
	return s->state == SV_RUNNING || s->state == SV_PAUSED;
}

/* Down for good (shutdown): never restarted, and a pending restart is off. */
void
svc_forbid(struct svc *s)
{
	s->down = true;
	s->again = false;
	if (s->state == SV_BACKOFF || s->state == SV_WAITING) {
		s->state = SV_STOPPED;
		s->deadline = -1;
	}
}

/* To be started as soon as the graph allows (no process now). */
void
svc_wait(struct svc *s)
{
	s->down = false;
	s->again = false;
	s->unready = false;
	s->state = SV_WAITING;
	s->deadline = -1;
}

/* Stop, and come back (WAITING) once down: a restart, or held by needs=. */
void
svc_cycle(struct svc *s)
{
	if (!svc_has_proc(s)) {
		svc_wait(s);
		return;
	}
	s->down = true;
	s->again = true;
}


/* Asked for by name: a start gets a fresh restart-limit window. */
void
svc_fresh(struct svc *s)
{
	s->window_n = 0;
}

/*
 * To the whole group: a service's helpers go with it. A child still
 * starting may not have its own session yet (setsid comes after it
 * resets its signals): then the group is not there, and the child itself
 * gets the signal, which waits, blocked, until just before its exec.
 */
static void
svc_signal(struct svc *s, int sig)
{
	int n;

	if (!svc_has_proc(s))
		return;
	/* Its cgroup empty while it runs: the child has not joined it yet, nor
	 * made its session (both come after the fork): the child itself. */
	if (s->cg && (n = cgroup_signal(s->cg, s->e->name, sig)) >= 0) {
		if (n > 0 || s->pid <= 0 || sys_kill(s->pid, sig) == 0 || errno == ESRCH)
			return;
	} else if (sys_kill(-s->pgid, sig) == 0) {
		return;
	}
	if (errno == ESRCH && (s->pid <= 0 || sys_kill(s->pid, sig) == 0 || errno == ESRCH))
		return;		/* gone: the reap will tell */
	log_sys(LV_WARN, "unable to signal %s", s->e->name);
}

/*
 * Failed for good, on its own (no stop asked for it): a failure-action=
 * other than none is the supervisor's to take (failact.c).
 */
static void
svc_failed(struct svc *s)
{
	s->state = SV_FAILED;
	s->failed_now = s->e->failure_action != CFA_NONE;
}

/* Restart after the current delay, unless restart-limit says give up. */
static void
svc_backoff(struct svc *s, int64_t now)
{
	const struct conf_entry *e = s->e;

	if (e->limit_n > 0) {
		if (s->window_n == 0 || now - s->window > e->limit_ms) {
			s->window = now;
			s->window_n = 0;
		}
		if (++s->window_n > e->limit_n) {
			log_msg(LV_WARN, "%s: %d restarts within %lld ms; giving up",
			    e->name, e->limit_n, (long long)e->limit_ms);
			evt_add(now, EVT_GAVEUP, e->name, 0, e->limit_n);
			svc_failed(s);
			return;
		}
	}
	s->state = SV_BACKOFF;
	s->deadline = now + s->delay;
	log_msg(LV_INFO, "%s: restarting in %lld ms", e->name, (long long)s->delay);
	evt_add(now, EVT_RESTART, e->name, 0, (int)s->delay);
	s->delay = s->delay * 2 > e->backoff_max_ms ? e->backoff_max_ms : s->delay * 2;
}

/*
 * No process is left of s, which was stopped: stopped, or waiting to come
 * back; one stopped for not being ready is a failed start instead.
 */
static void
svc_downed(struct svc *s, int64_t now)
{
	s->deadline = -1;
	if (s->again)
		svc_wait(s);
	else if (!s->down && s->unready && s->e->restart != CR_NEVER)
		svc_backoff(s, now);
	else if (s->down)
		s->state = SV_STOPPED;
	else
		svc_failed(s);	/* not ready in time, and no restart */
}

/* A start that failed (fork, or the child before exec): back off, or give up. */
void
svc_start_failed(struct svc *s, int64_t now)
{
	s->pid = 0;
	s->lingering = false;
	s->last.kind = SX_NONE;	/* no process, so no end of one */
	s->last.oom = false;
	s->deadline = -1;
	if (s->down)
		svc_downed(s, now);	/* stopped while starting: nothing to retry */
	else if (s->e->kind == CK_SERVICE)
		svc_backoff(s, now);
	else
		svc_failed(s);
}

/*
 * Start (or restart) the process of s with what io gives its child. It is
 * STARTING until svc_exec_ok (the exec happened) or svc_start_failed.
 */
void
svc_start(struct svc *s, struct spawn_io *io, int64_t now)
{
	pid_t pid;

	s->down = false;
	s->again = false;
	s->unready = false;
	s->killed = false;
	s->started = now;
	s->deadline = -1;
	s->status_text[0] = '\0';
	if ((pid = spawn_service(s->e, io)) < 0) {	/* spawn_service said why */
		svc_start_failed(s, now);
		return;
	}
	s->pid = pid;
	s->sid_prev = s->pgid;	/* its last run's leftovers still name it */
	s->pgid = pid;	/* spawn_service makes it a session leader */
	s->lingering = false;
	s->state = SV_STARTING;
	if (s->e->timeout_ms > 0)
		s->deadline = now + s->e->timeout_ms;
	/* A service must be ready in time, its exec included (a hung NSS). */
	if (s->e->kind == CK_SERVICE && s->e->ready_timeout_ms > 0)
		s->deadline = now + s->e->ready_timeout_ms;
}

/* Ready: RUNNING, and the ready-timeout is off. */
void
svc_ready(struct svc *s, int64_t now)
{
	if (s->state != SV_STARTING || s->pid <= 0)
		return;		/* stopped meanwhile: STOPPING says more */
	s->state = SV_RUNNING;
	if (s->e->kind == CK_SERVICE)
		s->deadline = -1;
	if (s->e->ready != RD_EXEC) {
		log_msg(LV_INFO, "%s is ready", s->e->name);
		evt_add(now, EVT_READY, s->e->name, s->pid, 0);
	}
}

/* The exec happened: s runs its program, and is ready if that is its sign. */
void
svc_exec_ok(struct svc *s, int64_t now)
{
	if (s->state != SV_STARTING)
		return;		/* stopped meanwhile: STOPPING says more */
	log_msg(LV_INFO, "started %s as %d", s->e->name, (int)s->pid);
	evt_add(now, EVT_SPAWN, s->e->name, s->pid, 0);
	if (s->e->ready == RD_EXEC)
		svc_ready(s, now);
}

/* Ask s to stop: its stop signal now, SIGKILL after stop-timeout. */
void
svc_stop(struct svc *s, int64_t now)
{
	s->down = true;
	if (!svc_has_proc(s)) {
		if (s->state == SV_BACKOFF || s->state == SV_STARTING || s->state == SV_WAITING)
			svc_downed(s, now);
		s->deadline = -1;
		return;
	}
	if (s->state == SV_STOPPING)
		return;
	evt_add(now, EVT_STOP, s->e->name, s->pid, s->e->stop_signal);
	svc_signal(s, s->e->stop_signal);
	svc_signal(s, SIGCONT);	/* a paused service must see it */
	s->state = SV_STOPPING;
	s->deadline = now + s->e->stop_timeout_ms;
}

/*
 * Whether some of s is left after its main process: with a cgroup, any
 * process in it, whatever the state; without, only while stopping (a
 * service's helpers may outlive it as before), its process group.
 */
static bool
svc_rest_alive(const struct svc *s)
{
	if (s->cg)
		return cgroup_populated(s->cg, s->e->name);
	return s->state == SV_STOPPING && !s->killed && sys_kill(-s->pgid, 0) == 0;
}

/* The last of s is gone, its main process and the rest: stopped, or the exit decides. */
static void
svc_over(struct svc *s, int64_t now)
{
	const struct conf_entry *e = s->e;
	bool ok = s->last.kind == SX_EXITED && s->last.code == 0;

	s->lingering = false;
	s->deadline = -1;
	if (s->down || s->unready) {
		svc_downed(s, now);
		return;
	}
	if (e->kind != CK_SERVICE || e->restart == CR_NEVER ||
	    (e->restart == CR_ON_FAILURE && ok)) {
		if (ok)
			s->state = SV_DONE;
		else
			svc_failed(s);
		return;
	}
	if (now - s->started >= SVC_STABLE_MS)
		s->delay = e->restart_delay_ms;	/* it was stable: start over */
	svc_backoff(s, now);
}

/*
 * The main process of s is gone, as how says (an exit code, or a signal).
 * What is left of it (processes that ignored the stop signal, or with a
 * cgroup, daemons that left its group) is waited for, and stopped first
 * when the exit came on its own: a restart never overlaps them.
 */
void
svc_exited(struct svc *s, struct svc_exit how, int64_t now)
{
	const struct conf_entry *e = s->e;
	int status = svc_exit_status(how);
	bool ok = how.kind == SX_EXITED && how.code == 0;

	if (s->cg && how.kind == SX_KILLED && how.code == SIGKILL && cgroup_oom(s->cg, e->name))
		how.oom = true;
	evt_add(now, EVT_EXIT, e->name, s->pid, status);
	s->pid = 0;
	s->last = how;
	/* An exit asked for by a stop is news only at -v. */
	log_msg(ok || s->down ? LV_INFO : LV_WARN, "%s exited with status %d%s", e->name,
	    status, how.oom ? ", out of memory" : "");
	/* A once, sysinit or shutdown entry that ended on its own is never
	 * started again into what it left: what it started lives on, as ever. */
	if (!svc_rest_alive(s) || (s->state != SV_STOPPING && e->kind != CK_SERVICE)) {
		svc_over(s, now);
		return;
	}
	s->lingering = true;
	if (s->state == SV_STOPPING) {
		log_msg(LV_INFO, "%s: waiting for the rest of it", e->name);
		return;
	}
	log_msg(LV_INFO, "%s: stopping what is left of it", e->name);
	svc_signal(s, e->stop_signal);
	svc_signal(s, SIGCONT);
	s->state = SV_STOPPING;
	s->killed = false;
	s->deadline = now + e->stop_timeout_ms;
}

/* The cgroup of s is empty: what was left of it is gone. */
void
svc_emptied(struct svc *s, int64_t now)
{
	if (!s->lingering || s->pid > 0)
		return;
	log_msg(LV_INFO, "%s stopped", s->e->name);
	svc_over(s, now);
}

/* A stop (WUNTRACED) or continue (WCONTINUED): a state, never an exit. */
void
svc_paused(struct svc *s, bool paused, int64_t now)
{
	if (paused && s->state == SV_RUNNING)
		s->state = SV_PAUSED;
	else if (!paused && s->state == SV_PAUSED)
		s->state = SV_RUNNING;
	else
		return;
	log_msg(LV_INFO, "%s (%d) %s", s->e->name, (int)s->pid,
	    paused ? "paused" : "continued");
	evt_add(now, paused ? EVT_PAUSED : EVT_CONTINUED, s->e->name, s->pid, 0);
}

/*
 * Time passed: escalate a stop, end a timeout. True when the backoff is
 * over and s is to be started again (by the supervisor, which has what a
 * start needs).
 */
bool
svc_tick(struct svc *s, int64_t now)
{
	/* The rest of a stopping group may have gone (reaped as orphans). */
	if (s->lingering && !s->cg && sys_kill(-s->pgid, 0) < 0 && errno == ESRCH) {
		log_msg(LV_INFO, "%s stopped", s->e->name);
		svc_over(s, now);
		return false;
	}
	if (s->deadline < 0 || now < s->deadline)
		return false;
	s->deadline = -1;
	if (s->state == SV_BACKOFF) {
		s->restarts++;
		svc_wait(s);
		return true;
	} else if (s->state == SV_STARTING && s->e->kind == CK_SERVICE) {
		log_msg(LV_WARN, "%s not ready in %lld ms; stopping it", s->e->name,
		    (long long)s->e->ready_timeout_ms);
		svc_stop(s, now);
		s->down = false;	/* its exit is a failed start, restarted per restart= */
		s->unready = true;
	} else if (s->state == SV_STOPPING && !s->killed) {
		log_msg(LV_WARN, "%s did not stop in %lld ms; sending SIGKILL",
		    s->e->name, (long long)s->e->stop_timeout_ms);
		svc_signal(s, SIGKILL);
		s->killed = true;
		if (s->cg)		/* again, until cgroup.events says it is empty */
			s->deadline = now + END_REKILL_MS;
		else if (s->lingering)	/* the rest are orphans now: PID 1 reaps them */
			svc_over(s, now);
	} else if (s->state == SV_STOPPING && s->cg) {
		svc_signal(s, SIGKILL);	/* a fork that raced the last kill */
		s->deadline = now + END_REKILL_MS;
	} else if ((s->state == SV_STARTING || s->state == SV_RUNNING ||
	    s->state == SV_PAUSED) && s->e->timeout_ms > 0) {
		log_msg(LV_WARN, "%s timed out after %lld ms; sending SIGKILL",
		    s->e->name, (long long)s->e->timeout_ms);
		svc_signal(s, SIGKILL);
		s->killed = true;
		s->state = SV_STOPPING;
	}
	return false;
}

int64_t
svc_deadline(const struct svc *s)
{
	return s->deadline;
}
