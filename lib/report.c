/*
 * What reaperctl shows. Status and events come from PID 1's own tables;
 * the tree and the adopted children still alive are read from /proc on
 * request only, into fixed tables.
 */
#include <stdlib.h>
#include <string.h>

#include "desc.h"
#include "evt.h"
#include "fmt.h"
#include "report.h"
#include "repsvc.h"
#include "sys.h"

struct rep_proc {
	pid_t	pid;
	pid_t	ppid;
	char	comm[COMM_MAX];
};

/*
 * One look at /proc, sorted by pid (p); pp mirrors it for desc_mark. One
 * page-aligned struct, the count first: each table is used from its
 * start, so a look at a few processes writes the first page of each.
 */
static struct {
	int		n;
	unsigned char	mark[CTL_TREE_MAX];
	struct desc_proc pp[CTL_TREE_MAX];
	struct rep_proc	p[CTL_TREE_MAX];
} rs PAGE_ALIGNED;

static int
rep_cmp(const void *a, const void *b)
{
	pid_t x = ((const struct rep_proc *)a)->pid, y = ((const struct rep_proc *)b)->pid;

	return (x > y) - (x < y);
}

/* The index of pid in rs.p (rs.pp mirrors its order), or -1. */
static int
rep_find(pid_t pid)
{
	return desc_find(rs.pp, rs.n, pid);
}

static void
rep_add(void *ctx, pid_t pid)
{
	(void)ctx;
	if (rs.n < CTL_TREE_MAX &&
	    desc_stat(pid, &rs.p[rs.n].ppid, rs.p[rs.n].comm, COMM_MAX) == 0) {
		rs.p[rs.n].pid = pid;
		rs.n++;
	}
}

/* Every process below reaper, marked in rs.mark. */
static void
rep_scan(void)
{
	int i;

	rs.n = 0;
	(void)desc_each(rep_add, NULL);
	desc_sort(rs.p, (size_t)rs.n, sizeof(rs.p[0]), rep_cmp);
	for (i = 0; i < rs.n; i++) {
		rs.pp[i].pid = rs.p[i].pid;
		rs.pp[i].ppid = rs.p[i].ppid;
	}
	/* Already sorted with unique pids, so desc_mark keeps this order. */
	(void)desc_mark(rs.pp, rs.n, sys_getpid(), rs.mark);
}

/* The entry a process belongs to: its own, or its nearest ancestor's. */
static const struct svc *
rep_owner(const struct run *r, pid_t pid, bool *own)
{
	int guard;

	*own = true;
	for (guard = 0; guard < 64 && pid > 1; guard++) {
		const struct svc *s = run_lookup(r, pid);
		int i;

		if (s != NULL)
			return s;
		if ((i = rep_find(pid)) < 0)
			return NULL;
		pid = rs.p[i].ppid;
		*own = false;
	}
	return NULL;
}

/* The children of reaper that are no entry (nor the main command): adopted. */
static int
rep_adopted(const struct report_ctx *x, struct buf *b, bool json)
{
	pid_t self = sys_getpid();
	bool own;
	int i, n = 0;

	for (i = 0; i < rs.n; i++) {
		if (rs.p[i].ppid != self || rs.p[i].pid == x->main_pid ||
		    rep_owner(x->r, rs.p[i].pid, &own))
			continue;
		if (json) {
			buf_add(b, "%s{\"pid\":%d,\"comm\":", n ? "," : "", (int)rs.p[i].pid);
			buf_json(b, rs.p[i].comm);
			buf_add(b, "}");
		} else {
			buf_add(b, "  %d (", (int)rs.p[i].pid);
			buf_text(b, rs.p[i].comm);
			buf_add(b, ")\n");
		}
		n++;
	}
	return n;
}

/* The watchdog line of status: device, timeout, keepalives, the last one. */
static void
rep_wdog(struct buf *b, const struct report_ctx *x, bool json)
{
	const struct wdog *w = x->wd;
	long long ago = w && w->last ? (long long)(x->now - w->last) : -1;

	if (!w || !w->path[0]) {
		if (json)
			buf_add(b, "null");
		return;
	}
	if (json) {
		buf_add(b, "{\"device\":");
		buf_json(b, w->path);
		buf_add(b, ",\"armed\":%s,\"timeout_s\":%d,\"keepalives\":%lu,"
		    "\"last_keepalive_ms_ago\":%lld}", w->fd >= 0 ? "true" : "false",
		    w->timeout_s, w->pets, ago);
	} else if (w->fd < 0) {
		buf_add(b, "watchdog %s: not armed\n", w->path);
	} else {
		buf_add(b, "watchdog %s: timeout %d s, %lu keepalives, last %lld ms ago\n",
		    w->path, w->timeout_s, w->pets, ago);
	}
}

/*
 * The power key on a machine: its action and the devices watched, as
 * "power key: poweroff; watching /dev/input/event1 (Power Button)", or
 * JSON {"action":..,"presses":N,"devices":[{"path":..,"name":..}]}.
 */
static void
rep_pkeys(struct buf *b, const struct report_ctx *x, bool json)
{
	static const char *const acts[] = { "poweroff", "reboot", "halt", "ignore" };
	const struct pkeys *p = x->pk;
	const char *act = acts[x->r->conf->powerkey];
	char path[PKEY_PATH_MAX];
	int i, n = 0;

	if (!p || !p->dir) {
		if (json)
			buf_add(b, "null");
		return;
	}
	if (json)
		buf_add(b, "{\"action\":\"%s\",\"presses\":%lu,\"devices\":[", act, p->presses);
	else
		buf_add(b, "power key: %s; %s", act, p->n ? "watching" : "no device with KEY_POWER yet");
	for (i = 0; i < PKEY_DEVS_MAX; i++) {
		const struct pkey_dev *d = &p->dev[i];

		if (d->fd < 0)
			continue;
		(void)fmt_print(path, sizeof(path), "%s/event%d", p->dir, d->num);
		if (json) {
			buf_add(b, "%s{\"path\":", n ? "," : "");
			buf_json(b, path);
			buf_add(b, ",\"name\":");
			buf_json(b, d->name);
			buf_add(b, "}");
		} else {
			buf_add(b, "%s %s (", n ? "," : "", path);
			buf_text(b, d->name);
			buf_add(b, ")");
		}
		n++;
	}
	if (json)
		buf_add(b, "]}");
	else
		buf_add(b, "; presses: %lu\n", p->presses);
}

/* "cgroups: on (DIR)" or "cgroups: off (why)"; JSON ,"cgroups":{...}. */
static void
rep_cgroups(struct buf *b, const struct cgroups *g, bool json)
{
	if (json) {
		buf_add(b, ",\"cgroups\":{\"on\":%s,\"%s\":", g->on ? "true" : "false",
		    g->on ? "dir" : "reason");
		buf_json(b, g->on ? g->dir : g->why);
		buf_add(b, "}");
		return;
	}
	buf_add(b, "cgroups: %s (", g->on ? "on" : "off");
	buf_text(b, g->on ? g->dir : g->why);
	buf_add(b, ")\n");
}

/* status [NAME]: 0 done, -1 when NAME is no entry. */
int
report_status(struct buf *b, const struct report_ctx *x, const char *name, bool json)
{
	const struct run *r = x->r;
	int i, shown = 0;

	if (name && conf_find(r->conf, name) < 0)
		return -1;
	rep_scan();
	if (json) {
		buf_add(b, "{\"pid\":%d,\"mode\":\"%s\",\"uptime_ms\":%lld,"
		    "\"orphans_reaped\":%lu,\"adopted\":[", (int)sys_getpid(), x->mode,
		    (long long)(x->now - x->booted), r->orphans);
		(void)rep_adopted(x, b, true);
		buf_add(b, "],\"watchdog\":");
		rep_wdog(b, x, true);
		buf_add(b, ",\"power_key\":");
		rep_pkeys(b, x, true);
		rep_cgroups(b, &r->cg, true);
		buf_add(b, ",\"control\":");
		if (x->sock && x->sock[0])
			buf_json(b, x->sock);
		else
			buf_add(b, "null");
		buf_add(b, ",\"services\":[");
	} else if (!name) {
		buf_add(b, "reaper %d, %s mode, up %lld s; orphans adopted and reaped: %lu\n",
		    (int)sys_getpid(), x->mode, (long long)((x->now - x->booted) / 1000),
		    r->orphans);
		rep_wdog(b, x, false);
		rep_pkeys(b, x, false);
		rep_cgroups(b, &r->cg, false);
		if (x->sock && x->sock[0]) {
			buf_add(b, "control: ");
			buf_text(b, x->sock);
			buf_add(b, "\n");
		}
		buf_add(b, "adopted children alive:\n");
		if (rep_adopted(x, b, false) == 0)
			buf_add(b, "  none\n");
		buf_add(b, "%-16s %-8s %-8s %7s %8s %8s  %s\n", "NAME", "KIND", "STATE",
		    "PID", "UPTIME", "RESTARTS", "LAST EXIT");
	}
	for (i = 0; i < r->conf->n; i++) {
		if (name && strcmp(r->conf->ent[i].name, name) != 0)
			continue;
		if (json)
			repsvc_json(b, &r->svc[i], x->now, shown == 0, &r->cg);
		else
			repsvc_text(b, &r->svc[i], x->now, &r->cg);
		shown++;
	}
	if (json)
		buf_add(b, "]}\n");
	return 0;
}

/* events: the ring, oldest first; JSON as one array on one line. */
void
report_events(struct buf *b, int64_t now, bool json)
{
	int i;

	if (json)
		buf_add(b, "[");
	for (i = 0; i < evt_count(); i++) {
		buf_add(b, "%s", json && i ? "," : "");
		evt_format(b, evt_get(i), now, json);
	}
	if (json)
		buf_add(b, "]\n");
}

/* The entry whose main process is alive that adopted child j of reaper leaked from, or NULL. */
static const struct svc *
rep_leaked_from(const struct report_ctx *x, int j)
{
	char from[CONF_NAME_MAX + 1];
	bool own;
	int i;

	if (!rs.mark[j] || rs.p[j].ppid != sys_getpid() || rs.p[j].pid == x->main_pid ||
	    rep_owner(x->r, rs.p[j].pid, &own))
		return NULL;
	owner_of(x->r, rs.p[j].pid, from, sizeof(from));
	if (!from[0] || (i = conf_find(x->r->conf, from)) < 0 || x->r->svc[i].pid <= 0)
		return NULL;
	return &x->r->svc[i];
}

/* "[adopted orphan]", with the entry it leaked from when known. */
static void
rep_orphan_mark(struct buf *b, const struct report_ctx *x, pid_t pid)
{
	char from[CONF_NAME_MAX + 1];

	owner_of(x->r, pid, from, sizeof(from));
	buf_add(b, "  [adopted orphan%s%s]", from[0] ? " from " : "", from);
}

static void
rep_node(struct buf *b, const struct report_ctx *x, int i, int depth)
{
	const struct svc *s;
	bool own;
	int j;

	buf_add(b, "%*s", depth * 2, "");
	buf_text(b, rs.p[i].comm);
	buf_add(b, "(%d)", (int)rs.p[i].pid);
	s = rep_owner(x->r, rs.p[i].pid, &own);
	if (rs.p[i].pid == x->main_pid)
		buf_add(b, "  [main command]");
	else if (s)
		buf_add(b, own ? "  [service %s]" : "  [child of %s]", s->e->name);
	else if (rs.p[i].ppid == sys_getpid())
		rep_orphan_mark(b, x, rs.p[i].pid);
	buf_add(b, "\n");
	for (j = 0; j < rs.n && !b->cut; j++) {
		if (!rs.mark[j] || rs.p[j].ppid != rs.p[i].pid)
			continue;
		if (depth == 32) {	/* deeper still: said, not drawn */
			buf_add(b, "%*s...\n", (depth + 1) * 2, "");
			break;
		}
		rep_node(b, x, j, depth + 1);
	}
	/* The orphans it leaked, adopted by reaper: drawn under it. */
	for (j = 0; s && own && depth == 1 && j < rs.n && !b->cut; j++)
		if (rep_leaked_from(x, j) == s)
			rep_node(b, x, j, depth + 1);
}

/* tree: like pstree -p, each process marked by what it is to reaper. */
void
report_tree(struct buf *b, const struct report_ctx *x)
{
	pid_t self = sys_getpid();
	int i;

	rep_scan();
	buf_add(b, "reaper(%d)\n", (int)self);
	for (i = 0; i < rs.n; i++)
		if (rs.mark[i] && rs.p[i].ppid == self && !rep_leaked_from(x, i))
			rep_node(b, x, i, 1);
}
