/*
 * The end of life, written once for the entrypoint and for system mode:
 * SIGTERM and SIGCONT to what is left (a stopped process must see the
 * TERM), the grace, then SIGKILL, repeated a few times to catch what
 * forked meanwhile, and a bound on waiting for the unkillable (a process
 * in uninterruptible sleep). Signals go to a group (the main child's,
 * caught even where /proc cannot be read) and to every descendant.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "desc.h"
#include "end.h"
#include "limits.h"
#include "log.h"
#include "sig.h"
#include "sys.h"

void
end_init(struct end *d, pid_t self, bool pid1)
{
	memset(d, 0, sizeof(*d));
	d->self = self;
	d->pid1 = pid1;
	d->deadline = -1;
}

/* sig to every descendant (kill(-1) as PID 1 of a namespace). */
void
end_all(const struct end *d, int sig)
{
	if (desc_signal(d->self, d->pid1, sig) < 0) {
		char name[16];

		log_sys(LV_WARN, "unable to send %s to the remaining processes",
		    sig_name(sig, name, sizeof(name)));
	}
}

/* Only right after its leader is reaped: later its id may be another's. */
static void
end_group(const struct end *d, int sig)
{
	if (d->group > 0 && sys_kill(-d->group, sig) < 0 && errno != ESRCH)
		log_sys(LV_WARN, "unable to signal group %d", (int)d->group);
}

static void
end_kill(struct end *d, int64_t now)
{
	end_group(d, SIGKILL);
	if (d->all)
		end_all(d, SIGKILL);
	d->phase = END_KILL;
	d->kill_until = now + KILL_WAIT_MS;
	d->deadline = now + END_REKILL_MS;
}

/*
 * Begin: TERM now and KILL at until (the grace, or less: shutdown-timeout),
 * at once if there is no grace. all: the descendants too, not only group
 * (false when no child is left: there is no descendant to walk /proc for).
 */
void
end_start(struct end *d, pid_t group, bool all, int64_t grace_ms, int64_t until,
    int64_t now)
{
	d->group = group;
	d->all = all;
	d->grace_ms = grace_ms;
	if (until <= now) {
		end_kill(d, now);
		return;
	}
	end_group(d, SIGTERM);
	end_group(d, SIGCONT);
	if (d->all) {
		end_all(d, SIGTERM);
		end_all(d, SIGCONT);
	}
	d->phase = END_TERM;
	d->deadline = until;
}

void
end_tick(struct end *d, int64_t now)
{
	if (d->phase == END_TERM && now >= d->deadline) {
		end_kill(d, now);
		log_msg(LV_WARN, "grace of %lld ms is over; sent SIGKILL to what is left",
		    (long long)d->grace_ms);
	} else if (d->phase == END_KILL && now >= d->deadline) {
		if (now >= d->kill_until) {
			log_msg(LV_WARN, "processes left after SIGKILL; going on");
			d->phase = END_OVER;
			return;
		}
		if (d->all)
			end_all(d, SIGKILL);	/* what forked since the last round */
		d->deadline = now + END_REKILL_MS;
	}
}

/* No child is left at all: nothing more to wait for. */
void
end_nochild(struct end *d)
{
	if (d->phase == END_TERM || d->phase == END_KILL)
		d->phase = END_OVER;
}

int64_t
end_deadline(const struct end *d)
{
	return d->phase == END_TERM || d->phase == END_KILL ? d->deadline : -1;
}
