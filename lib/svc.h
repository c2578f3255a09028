/* The supervisor: one explicit state machine per config entry. */
#ifndef REAPER_SVC_H
#define REAPER_SVC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "conf.h"

/*
 * STOPPED: not running, by request or not started yet. STARTING: forked,
 * not yet known to run. RUNNING, PAUSED (stopped by a signal). STOPPING:
 * stop signal sent, SIGKILL at the deadline. BACKOFF: exited, restart at
 * the deadline. FAILED: gave up, or a failure not to be restarted. DONE:
 * exited and not to be restarted (sysinit, once, shutdown, on-failure).
 * WAITING: to be started as soon as what it comes after is up (the
 * graph decides). STARTING also covers a service forked and not ready.
 */
enum svc_state {
	SV_STOPPED, SV_STARTING, SV_RUNNING, SV_PAUSED, SV_STOPPING,
	SV_BACKOFF, SV_FAILED, SV_DONE, SV_WAITING,
};

#define SVC_STABLE_MS	10000	/* up this long, a service's backoff resets */

/*
 * How a process of an entry ended, kept as what it was: an exit code and
 * a signal are different news, even when a shell folds them into one $?.
 */
enum svc_exit_kind { SX_NONE, SX_EXITED, SX_KILLED };

struct svc_exit {
	enum svc_exit_kind kind;
	int		code;		/* SX_EXITED: the exit code; SX_KILLED: the signal */
	bool		oom;		/* SIGKILL by the OOM killer (its cgroup says) */
};

struct cgroups;

struct svc {
	const struct conf_entry	*e;
	enum svc_state	state;
	pid_t		pid;
	pid_t		pgid;		/* its process group (own session) */
	pid_t		sid_prev;	/* the session of its run before */
	struct cgroups	*cg;		/* its cgroup's keeper, NULL: none this run */
	bool		cg_busy;	/* down, its cgroup held leftovers: looked at again when empty */
	unsigned long	orphans;	/* adopted orphans reaped that came from it */
	bool		lingering;	/* STOPPING: main gone, its group not */
	int64_t		started;	/* of the current run */
	int64_t		deadline;	/* BACKOFF, STOPPING, timeouts; -1 none */
	int64_t		delay;		/* the next restart delay */
	int		restarts;
	int64_t		window;		/* restart-limit: start of the window */
	int		window_n;	/* restarts in it */
	struct svc_exit	last;		/* how its last process ended */
	bool		killed;		/* SIGKILL already sent */
	bool		down;		/* stop requested: never restart */
	bool		again;		/* once down, WAITING (a restart, held by needs=) */
	bool		unready;	/* stopped for not being ready: a failed start */
	bool		failed_now;	/* failed for good on its own; failure-action= to take */
	char		status_text[READY_STATUS_MAX];	/* the last STATUS= */
};

void	svc_init(struct svc *s, const struct conf_entry *e);
struct spawn_io;

void	svc_start(struct svc *s, struct spawn_io *io, int64_t now);
void	svc_exec_ok(struct svc *s, int64_t now);
void	svc_ready(struct svc *s, int64_t now);
void	svc_wait(struct svc *s);
void	svc_cycle(struct svc *s);
void	svc_start_failed(struct svc *s, int64_t now);
void	svc_stop(struct svc *s, int64_t now);
void	svc_exited(struct svc *s, struct svc_exit how, int64_t now);
void	svc_paused(struct svc *s, bool paused, int64_t now);
void	svc_emptied(struct svc *s, int64_t now);
bool	svc_tick(struct svc *s, int64_t now);
int64_t	svc_deadline(const struct svc *s);
bool	svc_has_proc(const struct svc *s);
bool	svc_is_up(const struct svc *s);
void	svc_forbid(struct svc *s);
void	svc_fresh(struct svc *s);
int	svc_exit_status(struct svc_exit how);
const char *svc_state_name(enum svc_state st);


#endif
