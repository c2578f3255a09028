/*
 * One entry's part of reaperctl status: its row and second line as text,
 * its object in JSON. The same columns as ever (scripts read them).
 */
#include <string.h>

#include "fmt.h"
#include "repsvc.h"
#include "word.h"

/* The LAST EXIT column: "-", "exit 200" or "signal 9", never a folded number. */
static const char *
rep_how(struct svc_exit how, char *buf, size_t len)
{
	if (how.kind == SX_NONE)
		return "-";
	(void)fmt_print(buf, len, "%s %d%s", how.kind == SX_KILLED ? "signal" : "exit",
	    how.code, how.oom ? ", out of memory" : "");
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

	buf_add(b, ",\"last_exit_oom\":%s,\"last_exit\":%d,\"last_exit_kind\":%s",
	    how.oom ? "true" : "false", svc_exit_status(how), kind[how.kind]);
	rep_int_or_null(b, "last_exit_code", how.kind == SX_EXITED, how.code);
	rep_int_or_null(b, "last_exit_signal", how.kind == SX_KILLED, how.code);
}

/* ,"key":n, or null where the kernel did not tell (-1). */
static void
rep_ll_or_null(struct buf *b, const char *key, long long n)
{
	if (n >= 0)
		buf_add(b, ",\"%s\":%lld", key, n);
	else
		buf_add(b, ",\"%s\":null", key);
}

/* n bytes for people: "512 B", "3.4 KiB", "12.0 MiB", "1.5 GiB" (integers only). */
static void
rep_bytes(struct buf *b, long long n)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	long long d = 1024;
	int u = 0;

	if (n < 1024) {
		buf_add(b, "%lld B", n);
		return;
	}
	while (u < 3 && n >= d * 1024) {
		d *= 1024;
		u++;
	}
	buf_add(b, "%lld.%lld %s", n / d, n % d * 10 / d, unit[u]);
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

	p += word_span(p, ", \t", true);
	if (*p == '\0')
		return false;
	n = word_span(p, ", \t", false);
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

/* "orphans 3; memory 12.0 MiB (peak 20.5 MiB); cpu 1.234 s": what it used, where known. */
static void
rep_use_text(struct buf *b, int *parts, const struct svc *s, const struct cgroups *cg)
{
	struct cgroup_use u;

	if (s->orphans) {
		rep_part(b, parts, "");
		buf_add(b, "orphans %lu", s->orphans);
	}
	if (!cgroup_usage(cg, s->e->name, &u))
		return;
	if (u.memory >= 0) {
		rep_part(b, parts, "memory ");
		rep_bytes(b, u.memory);
		if (u.peak >= 0) {
			buf_add(b, " (peak ");
			rep_bytes(b, u.peak);
			buf_add(b, ")");
		}
	}
	if (u.cpu_usec >= 0) {
		rep_part(b, parts, "");
		buf_add(b, "cpu %lld.%03lld s", u.cpu_usec / 1000000, u.cpu_usec / 1000 % 1000);
	}
}

/*
 * The row of an entry, with the same columns as ever (scripts read them),
 * then an indented line with its dependencies and its STATUS= text, only
 * when it has any: "    needs db,cache; after log; status: accepting".
 */
void
repsvc_text(struct buf *b, const struct svc *s, int64_t now, const struct cgroups *cg)
{
	char how[40];
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
	rep_use_text(b, &parts, s, cg);
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

void
repsvc_json(struct buf *b, const struct svc *s, int64_t now, bool first,
    const struct cgroups *cg)
{
	struct cgroup_use u;

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
	buf_add(b, ",\"orphans\":%lu", s->orphans);
	(void)cgroup_usage(cg, s->e->name, &u);
	rep_ll_or_null(b, "memory_bytes", u.memory);
	rep_ll_or_null(b, "memory_peak_bytes", u.peak);
	rep_ll_or_null(b, "cpu_usec", u.cpu_usec);
	rep_how_json(b, s->last);
	buf_add(b, "}");
}

