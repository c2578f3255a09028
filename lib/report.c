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

/* The LAST EXIT column: "-", "exit 200" or "signal 9", never a folded number. */
static const char *
rep_how(struct svc_exit how, char *buf, size_t len)
{
	if (how.kind == SX_NONE)
		return "-";
	(void)fmt_print(buf, len, "%s %d", how.kind == SX_KILLED ? "signal" : "exit",
	    how.code);
	return buf;
}

/* ,"key":n, or ,"key":null when n does not apply. */
static void
rep_int_or_null(struct buf *b, const char *key, bool applies, int n)
{
	if (applies)
		buf_add(b, ",\"%s\":%d", key, n);
	else
		buf_add(b, ",\"%s\":null", key);
}

/*
 * The last exit in JSON: last_exit stays the shell's number (scripts read
 * it), and the kind with its code or signal says which it was.
 */
static void
rep_how_json(struct buf *b, struct svc_exit how)
{
	static const char *const kind[] = { "null", "\"exited\"", "\"killed\"" };

	buf_add(b, ",\"last_exit\":%d,\"last_exit_kind\":%s", svc_exit_status(how),
	    kind[how.kind]);
	rep_int_or_null(b, "last_exit_code", how.kind == SX_EXITED, how.code);
	rep_int_or_null(b, "last_exit_signal", how.kind == SX_KILLED, how.code);
}

/*
 * The next name of an after= or needs= list as written ("db,cache"), into
 * name; false at its end. Blanks around the commas are no part of a name.
 */
static bool
rep_next_name(const char **list, char *name, size_t size)
{
	const char *p = *list;
	size_t n;

	p += strspn(p, ", \t");
	if (*p == '\0')
		return false;
	n = strcspn(p, ", \t");
	*list = p + n;
	if (n >= size)		/* longer than any name: a config error, shown cut */
		n = size - 1;
	memcpy(name, p, n);
	name[n] = '\0';
	return true;
}

/* A list as a JSON array of names: ,"key":["a","b"] ([] for none). */
static void
rep_list_json(struct buf *b, const char *key, const char *list)
{
	char name[CONF_NAME_MAX + 1];
	int n = 0;

	buf_add(b, ",\"%s\":[", key);
	while (list && rep_next_name(&list, name, sizeof(name))) {
		buf_add(b, "%s", n++ ? "," : "");
		buf_json(b, name);
	}
	buf_add(b, "]");
}

/* "; " between the parts of the second line, once one is written. */
static void
rep_part(struct buf *b, int *parts, const char *label)
{
	buf_add(b, "%s%s", (*parts)++ ? "; " : "    ", label);
}

/* "needs db,cache" as one part of the second line, names cleaned of blanks. */
static void
rep_list_text(struct buf *b, int *parts, const char *label, const char *list)
{
	char name[CONF_NAME_MAX + 1];
	int n = 0;

	while (list && rep_next_name(&list, name, sizeof(name))) {
		if (n++ == 0)
			rep_part(b, parts, label);
		buf_add(b, "%s", n > 1 ? "," : "");
		buf_text(b, name);
	}
}

/*
 * The row of an entry, with the same columns as ever (scripts read them),
 * then an indented line with its dependencies and its STATUS= text, only
 * when it has any: "    needs db,cache; after log; status: accepting".
 */
static void
rep_svc_text(struct buf *b, const struct svc *s, int64_t now)
{
	char how[24];
	int parts = 0;

	buf_add(b, "%-16s %-8s %-8s %7d %8lld %8d  %s\n", s->e->name,
	    conf_kind_name(s->e->kind), svc_state_name(s->state), (int)s->pid,
	    s->pid > 0 ? (long long)((now - s->started) / 1000) : 0LL, s->restarts,
	    rep_how(s->last, how, sizeof(how)));
	rep_list_text(b, &parts, "needs ", s->e->needs);
	rep_list_text(b, &parts, "after ", s->e->after);
	if (s->status_text[0]) {
		rep_part(b, &parts, "status: ");
		buf_text(b, s->status_text);
	}
	if (parts)
		buf_add(b, "\n");
}

/* ,"ready":"exec" | "fd:N" | "notify" | "check": how the entry says it is ready. */
static void
rep_ready_json(struct buf *b, const struct conf_entry *e)
{
	switch (e->ready) {
	case RD_FD:
		buf_add(b, ",\"ready\":\"fd:%d\"", e->ready_fd);
		break;
	case RD_NOTIFY:
		buf_add(b, ",\"ready\":\"notify\"");
		break;
	case RD_CHECK:
		buf_add(b, ",\"ready\":\"check\"");
		break;
	case RD_EXEC:
	default:
		buf_add(b, ",\"ready\":\"exec\"");
		break;
	}
}

static void
rep_svc_json(struct buf *b, const struct svc *s, int64_t now, bool first)
{
	buf_add(b, "%s{\"name\":", first ? "" : ",");
	buf_json(b, s->e->name);
	buf_add(b, ",\"kind\":\"%s\",\"state\":\"%s\",\"up\":%s,\"pid\":%d,"
	    "\"uptime_ms\":%lld,\"restarts\":%d", conf_kind_name(s->e->kind),
	    svc_state_name(s->state), svc_is_up(s) ? "true" : "false", (int)s->pid,
	    s->pid > 0 ? (long long)(now - s->started) : 0LL, s->restarts);
	rep_ready_json(b, s->e);
	rep_list_json(b, "after", s->e->after);
	rep_list_json(b, "needs", s->e->needs);
	buf_add(b, ",\"status_text\":");
	buf_json(b, s->status_text);
	rep_how_json(b, s->last);
	buf_add(b, "}");
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
		buf_add(b, ",\"services\":[");
	} else if (!name) {
		buf_add(b, "reaper %d, %s mode, up %lld s; orphans adopted and reaped: %lu\n",
		    (int)sys_getpid(), x->mode, (long long)((x->now - x->booted) / 1000),
		    r->orphans);
		rep_wdog(b, x, false);
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
			rep_svc_json(b, &r->svc[i], x->now, shown == 0);
		else
			rep_svc_text(b, &r->svc[i], x->now);
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

static void
rep_node(struct buf *b, const struct report_ctx *x, int i, int depth)
{
	const struct svc *s;
	bool own;
	int j;

	buf_add(b, "%*s", depth * 2, "");
	buf_text(b, rs.p[i].comm);
	buf_add(b, "(%d)", (int)rs.p[i].pid);
	if (rs.p[i].pid == x->main_pid)
		buf_add(b, "  [main command]");
	else if ((s = rep_owner(x->r, rs.p[i].pid, &own)) != NULL)
		buf_add(b, own ? "  [service %s]" : "  [child of %s]", s->e->name);
	else if (rs.p[i].ppid == sys_getpid())
		buf_add(b, "  [adopted orphan]");
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
		if (rs.mark[i] && rs.p[i].ppid == self)
			rep_node(b, x, i, 1);
}
