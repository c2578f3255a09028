/*
 * failure-action=: an entry that failed for good on its own (given up, a
 * once or sysinit that exited non-zero or was killed) ends everything.
 * On a machine as reaperctl poweroff, reboot or halt would: services
 * stop, shutdown entries run. Anywhere else (a container, not PID 1,
 * combined mode) it is the stop of SIGTERM, and reaper exits with that
 * entry's last status.
 */
#include "evt.h"
#include "failact.h"
#include "log.h"
#include "run.h"

/*
 * Take the failure-action of the first entry that asks for one, if no
 * stop is under way yet: true when it asked for the stop (run_request
 * has stepped the system already). Later ones, and any once a stop is
 * under way, are only forgotten: the first one decides.
 */
bool
failact_take(struct run *r, int64_t now)
{
	static const enum run_action act[] = {
		[CFA_NONE] = RA_NONE, [CFA_POWEROFF] = RA_POWEROFF,
		[CFA_REBOOT] = RA_REBOOT, [CFA_HALT] = RA_HALT,
	};
	int i;

	for (i = 0; i < r->conf->n; i++) {
		struct svc *s = &r->svc[i];
		const struct conf_entry *e = s->e;
		int status = svc_exit_status(s->last);

		if (!s->failed_now)
			continue;
		s->failed_now = false;
		if (r->action != RA_NONE)
			continue;
		log_msg(LV_ERR, "%s failed; failure-action=%s", e->name,
		    conf_fa_name(e->failure_action));
		evt_add(now, EVT_FAILACT, e->name, 0, status);
		/* Its exit code or 128+signal; a success or no process at all
		 * (a failed start) must not look like one: 1. */
		r->fail_status = status > 0 ? status : 1;
		run_request(r, r->machine ? act[e->failure_action] : RA_EXIT, now);
		return true;
	}
	return false;
}
