/* Reload (SIGHUP, reaperctl reload): a new config file, all or nothing. */
#include <errno.h>
#include <string.h>

#include "evt.h"
#include "file.h"
#include "load.h"
#include "log.h"
#include "reload.h"

/*
 * Reload (SIGHUP, reaperctl reload): the file is parsed whole into the
 * spare table first; with any error nothing changes. 0, or -1 if refused.
 */
int
reload_conf(struct run *r, const char *path, struct conf *spare, int64_t now)
{
	int n;

	if (!run_can_reload(r)) {
		log_msg(LV_WARN, "reload refused: booting, shutting down, "
		    "or still stopping for the last reload");
		return -1;
	}
	if ((n = load_conf(path, spare)) < 0) {
		log_msg(LV_ERR, "reload: unable to read %s; nothing changed: %s", path,
		    file_strerror(errno));
		return -1;
	}
	if (n > 0) {
		load_report(path, spare);
		log_msg(LV_ERR, "reload: %d errors in %s; nothing changed", n, path);
		return -1;
	}
	run_reload(r, spare, now);
	return 0;
}

/*
 * A reload whose stops are over: the new table takes the kept processes,
 * and the new and changed entries wait for their dependencies.
 */
void
run_swap(struct run *r, int64_t now)
{
	static struct svc next[CONF_ENTRIES_MAX];	/* big: off PID 1's stack */
	struct conf *nc = r->next;
	int i;

	for (i = 0; i < nc->n; i++) {
		const struct conf_entry *e = &nc->ent[i];
		int j = conf_find(r->conf, e->name);

		svc_init(&next[i], e);
		if (r->kept[i] && j >= 0) {
			next[i] = r->svc[j];	/* untouched: same process */
			next[i].e = e;
		}
	}
	memcpy(r->svc, next, sizeof(next[0]) * (size_t)nc->n);
	r->conf = nc;
	r->next = NULL;
	for (i = 0; i < nc->n; i++) {
		if (graph_bad(&nc->graph, i))
			r->svc[i].state = SV_FAILED;	/* cannot be: a reload has no errors */
		else if (r->start[i])
			svc_wait(&r->svc[i]);
	}
	log_msg(LV_WARN, "config reloaded");
	evt_add(now, EVT_RELOAD, "", 0, nc->n);
}

/*
 * A reload may start only when the system is up and the last one is over:
 * the next config is parsed into the spare table, which the last one may
 * still be on its way to.
 */
bool
run_can_reload(const struct run *r)
{
	return r->phase == RUN_UP && r->next == NULL;
}

/*
 * Move onto a new, error-free config nc: an unchanged entry keeps its
 * process (same pid), a changed one is restarted, a removed one stopped,
 * a new once or service entry started. The stops go by the old graph
 * (dependents first; an unchanged entry that needs a stopped one goes
 * down and comes back with it); once they are over the tables swap and
 * the starts go by the new one.
 */
void
run_reload(struct run *r, struct conf *nc, int64_t now)
{
	int i, j;

	for (j = 0; j < r->conf->n; j++)
		r->gone[j] = true;
	for (i = 0; i < nc->n; i++) {
		const struct conf_entry *e = &nc->ent[i];
		bool runs = e->kind == CK_ONCE || e->kind == CK_SERVICE;

		j = conf_find(r->conf, e->name);
		r->kept[i] = j >= 0 && conf_same(r->conf->ent + j, e);
		/* New, or changed: a changed once that is over stays over. */
		r->start[i] = !r->kept[i] && runs && (j < 0 || e->kind == CK_SERVICE ||
		    svc_has_proc(&r->svc[j]));
		if (r->kept[i])
			r->gone[j] = false;
	}
	for (j = 0; j < r->conf->n; j++) {
		struct svc *s = &r->svc[j];

		if (!r->gone[j])
			continue;
		if (svc_has_proc(s))
			log_msg(LV_INFO, "reload: stopping %s", s->e->name);
		svc_forbid(s);	/* the stop goes out when its dependents are down */
	}
	r->next = nc;
	run_step(r, now);
}

