/* An adopted orphan's state change: counted when gone, logged at level, an event. */
#include "evt.h"
#include "log.h"
#include "orphan.h"

/*
 * level is the mode's: a machine logs every orphan (info); a container
 * only with -w, since 20,000 orphans a second must cost no text that
 * nobody reads. A stop or a continue is only ever debug. now < 0: no
 * event (the entrypoint keeps none: nobody could ask for them).
 */
void
orphan_reaped(unsigned long *count, const struct reap_ev *ev, int level, int64_t now)
{
	bool gone = ev->kind == REAP_EXITED || ev->kind == REAP_KILLED;
	char how[48];

	if (gone) {
		(*count)++;
		if (now >= 0)
				evt_add_from(now, EVT_ORPHAN, ev->comm, ev->pid, reap_status(ev),
			    ev->from);
	} else {
		level = LV_DEBUG;
	}
	if (!log_on(level))
		return;
	reap_describe(ev, how, sizeof(how));
	if (gone)
		log_msg(level, "reaped orphan %d (%s)%s%s: %s", (int)ev->pid, ev->comm,
		    ev->from[0] ? " from " : "", ev->from, how);
	else
		log_msg(level, "orphan %d (%s)%s%s %s", (int)ev->pid, ev->comm,
		    ev->from[0] ? " from " : "", ev->from, how);
}
