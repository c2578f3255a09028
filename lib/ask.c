/*
 * What reaperctl may ask of an entry by name, decided here and nowhere
 * else: a start is made now or once the entry is down (a restart, or a
 * start while it stops), with a fresh restart-limit window; a stop is for
 * good; sysinit and shutdown entries run at their phase only; nothing is
 * asked while the system boots or shuts down.
 */
#include <string.h>

#include "ask.h"

enum ask_answer
ask_svc(struct run *r, enum ask_verb v, const char *name, int64_t now,
    struct ask_more *more)
{
	int i = conf_find(r->conf, name);
	struct svc *s;

	more->n = 0;
	if (i < 0)
		return ASK_NO_ENTRY;
	if (r->phase != RUN_UP)
		return ASK_NOT_NOW;
	if (r->conf->ent[i].kind == CK_SYSINIT || r->conf->ent[i].kind == CK_SHUTDOWN)
		return ASK_BOOT_ONLY;
	s = &r->svc[i];
	r->pending[i] = false;
	if (v == ASK_STOP) {
		svc_stop(s, now);
		return ASK_OK;
	}
	if (v == ASK_RESTART)
		svc_stop(s, now);
	svc_fresh(s);
	r->pending[i] = true;	/* run_step starts it once it is down */
	run_step(r, now);
	return ASK_OK;
}
