/*
 * The dependency graph of after= and needs=, pure: graph_build resolves the
 * names once and finds every error with its entry, which is then bad (it
 * does not run, the rest do); the supervisor's questions are answered from
 * a state per entry that the caller gives with each. A name twice is an
 * error, not a silent dedupe, as a duplicate entry name is.
 */
#include <stdarg.h>
#include <string.h>

#include "fmt.h"
#include "graph.h"
#include "word.h"

/* What graph_build carries from one check to the next. */
struct graph_run {
	struct graph		*g;
	const struct graph_in	*in;
	struct graph_err	*err;
	int			maxerr;
	int			nerr;		/* every error found, kept or not */
};

static uint64_t
graph_bit(int j)
{
	return (uint64_t)1 << j;
}

static bool
graph_has(uint64_t set, int j)
{
	return ((set >> j) & 1u) != 0;
}

/* An error on entry i, which makes it bad; the first maxerr keep their text. */
static void __attribute__((format(printf, 3, 4)))
graph_error(struct graph_run *r, int i, const char *fmt, ...)
{
	r->g->bad |= graph_bit(i);
	if (r->nerr < r->maxerr) {
		va_list ap;

		r->err[r->nerr].ent = i;
		va_start(ap, fmt);
		(void)fmt_vprint(r->err[r->nerr].msg, sizeof(r->err[r->nerr].msg), fmt, ap);
		va_end(ap);
	}
	r->nerr++;
}

/* The entry named by the len bytes at name; -1 when there is none. */
static int
graph_find(const struct graph_run *r, const char *name, size_t len)
{
	int j;

	for (j = 0; j < r->g->n; j++)
		if (strncmp(r->in[j].name, name, len) == 0 && r->in[j].name[len] == '\0')
			return j;
	return -1;
}

/* One name (len bytes) of entry i's list opt, added to set unless it is an error. */
static void
graph_name(struct graph_run *r, int i, const char *opt, const char *name, size_t len,
    uint64_t *set)
{
	const char *me = r->in[i].name;
	int j;

	if (len == 0) {
		graph_error(r, i, "%s: empty name in %s=", me, opt);
		return;
	}
	j = graph_find(r, name, len);
	if (j < 0)
		graph_error(r, i, "%s: %s= names unknown entry '%.*s'", me, opt, (int)len, name);
	else if (j == i)
		graph_error(r, i, "%s: %s= names itself", me, opt);
	else if (!r->in[j].orderable)
		graph_error(r, i, "%s: %s= names %s, a sysinit or shutdown entry", me, opt,
		    r->in[j].name);
	else if (graph_has(*set, j))
		graph_error(r, i, "%s: %s= names %s twice", me, opt, r->in[j].name);
	else
		*set |= graph_bit(j);
}

/* Entry i's list opt ("a,b,c", NULL when not given), resolved into set. */
static void
graph_list(struct graph_run *r, int i, const char *opt, const char *list, uint64_t *set)
{
	const char *p, *end;
	int count = 1;

	if (list == NULL)
		return;
	if (!r->in[i].orderable) {
		graph_error(r, i, "%s: %s= is for once and service entries only",
		    r->in[i].name, opt);
		return;
	}
	for (p = list; *p != '\0'; p++)
		count += *p == ',';
	if (count > GRAPH_DEPS_MAX) {
		graph_error(r, i, "%s: too many names in %s= (limit %d)", r->in[i].name, opt,
		    GRAPH_DEPS_MAX);
		return;
	}
	for (p = list;; p = end + 1) {
		end = p + word_span(p, ",", false);
		graph_name(r, i, opt, p, (size_t)(end - p), set);
		if (*end == '\0')
			break;
	}
}

/* Entry i's two lists; needs= already orders, so a name in both says nothing. */
static void
graph_entry(struct graph_run *r, int i)
{
	struct graph *g = r->g;
	uint64_t after = 0;
	int j;

	graph_list(r, i, "after", r->in[i].after, &after);
	graph_list(r, i, "needs", r->in[i].needs, &g->need[i]);
	for (j = 0; j < g->n; j++)
		if (graph_has(after & g->need[i], j))
			graph_error(r, i, "%s: %s is in both after= and needs=",
			    r->in[i].name, r->in[j].name);
	g->dep[i] = after | g->need[i];
}

/* reach[i]: every entry i comes after, directly or not (Warshall, a word a row). */
static void
graph_reach(const struct graph *g, uint64_t reach[CONF_ENTRIES_MAX])
{
	int i, k;

	memcpy(reach, g->dep, sizeof(g->dep));
	for (k = 0; k < g->n; k++)
		for (i = 0; i < g->n; i++)
			if (graph_has(reach[i], k))
				reach[i] |= reach[k];
}

/*
 * The shortest cycle through i, which is on one: path[0] is i, path[k + 1]
 * what path[k] comes after; returns its length (i is not repeated at the
 * end). Breadth first from i against the edges (next[u]: an entry after u),
 * until an entry i comes after: the way back is then the cycle in order.
 */
static int
graph_cycle(const struct graph *g, int i, int *path)
{
	int next[CONF_ENTRIES_MAX], queue[CONF_ENTRIES_MAX];
	int head = 0, tail = 0, u = i, j, len = 1;
	uint64_t seen = graph_bit(i);

	for (j = 0; j < g->n; j++)
		next[j] = i;
	queue[tail++] = i;
	while (head < tail) {
		u = queue[head++];
		if (graph_has(g->dep[i], u))
			break;
		for (j = 0; j < g->n; j++)
			if (!graph_has(seen, j) && graph_has(g->dep[j], u)) {
				seen |= graph_bit(j);
				next[j] = u;
				queue[tail++] = j;
			}
	}
	path[0] = i;
	for (j = u; j != i; j = next[j])
		path[len++] = j;
	return len;
}

/* s after the used bytes of msg, cut to fit; returns the bytes now used. */
static size_t
graph_put(char *msg, size_t used, const char *s)
{
	size_t n = strlen(s);

	if (n > GRAPH_ERRMSG_MAX - 1 - used)
		n = GRAPH_ERRMSG_MAX - 1 - used;
	memcpy(msg + used, s, n);
	msg[used + n] = '\0';
	return used + n;
}

/*
 * "dependency cycle: a -> b -> a", on a's line. A cycle too long for one
 * message keeps where it starts and closes: "a -> b -> ... -> a".
 */
static void
graph_cycle_error(struct graph_run *r, const int *path, int len)
{
	const char *first = r->in[path[0]].name;
	size_t whole = strlen("dependency cycle: ") + strlen(first);
	size_t tail = strlen(" -> ... -> ") + strlen(first), used;
	char msg[GRAPH_ERRMSG_MAX];
	int k;

	for (k = 0; k < len; k++)
		whole += strlen(" -> ") + strlen(r->in[path[k]].name);
	used = graph_put(msg, graph_put(msg, 0, "dependency cycle: "), first);
	for (k = 1; k < len; k++) {
		const char *name = r->in[path[k]].name;

		if (whole >= sizeof(msg)
		    && used + strlen(" -> ") + strlen(name) + tail >= sizeof(msg)) {
			used = graph_put(msg, used, " -> ...");
			break;
		}
		used = graph_put(msg, graph_put(msg, used, " -> "), name);
	}
	(void)graph_put(msg, graph_put(msg, used, " -> "), first);
	graph_error(r, path[0], "%s", msg);
	for (k = 1; k < len; k++)
		r->g->bad |= graph_bit(path[k]);
}

/*
 * Every entry on a cycle is bad. A tangle of cycles is told one cycle at a
 * time, the shortest through its first entry not named yet, until every
 * entry in it has been named: no entry is bad without a message naming it,
 * and no cycle is told twice.
 */
static void
graph_cycles(struct graph_run *r)
{
	uint64_t reach[CONF_ENTRIES_MAX], told = 0;
	int path[CONF_ENTRIES_MAX];
	int i, k, len;

	graph_reach(r->g, reach);
	for (i = 0; i < r->g->n; i++) {
		if (!graph_has(reach[i], i) || graph_has(told, i))
			continue;
		len = graph_cycle(r->g, i, path);
		for (k = 0; k < len; k++)
			told |= graph_bit(path[k]);
		graph_cycle_error(r, path, len);
	}
}

/*
 * The graph of n entries into g; errors go to err (the first maxerr of them)
 * and make their entries bad. Returns how many errors there were, or -1 when
 * n is out of range (a caller's bug: the config never has more entries).
 */
int
graph_build(struct graph *g, const struct graph_in *in, int n, struct graph_err *err,
    int maxerr)
{
	struct graph_run r = { g, in, err, maxerr, 0 };
	int i;

	memset(g, 0, sizeof(*g));
	if (n < 0 || n > CONF_ENTRIES_MAX)
		return -1;
	g->n = n;
	for (i = 0; i < n; i++)
		graph_entry(&r, i);
	graph_cycles(&r);
	/* A bad entry never runs: what it waits for no longer matters, and no cycle is left. */
	for (i = 0; i < n; i++)
		if (graph_has(g->bad, i))
			g->dep[i] = g->need[i] = 0;
	return r.nerr;
}

static bool
graph_is(const struct graph *g, int i)
{
	return i >= 0 && i < g->n;
}

/* Entry i had an error: it does not run. */
bool
graph_bad(const struct graph *g, int i)
{
	return graph_is(g, i) && graph_has(g->bad, i);
}

/* What entry j is to the others: a bad entry has failed for good, whatever st says. */
static enum graph_st
graph_st_of(const struct graph *g, const enum graph_st *st, int j)
{
	return graph_has(g->bad, j) ? GS_FAILED : st[j];
}

/* Down and not coming back unless asked: after= goes on past it, needs= does not. */
static bool
graph_gone(enum graph_st s)
{
	return s == GS_STOPPED || s == GS_FAILED;
}

/*
 * Entry i may start: what it needs is up, and what it comes after is up or
 * gone. One stopping may be on its way back (a restart), so it is waited for.
 */
bool
graph_may_start(const struct graph *g, int i, const enum graph_st *st)
{
	int j;

	if (!graph_is(g, i) || graph_has(g->bad, i))
		return false;
	for (j = 0; j < g->n; j++) {
		enum graph_st s = graph_st_of(g, st, j);

		if (graph_has(g->dep[i], j) && s != GS_UP
		    && (graph_has(g->need[i], j) || !graph_gone(s)))
			return false;
	}
	return true;
}

/* Entry i must be down and shown waiting: something it needs is stopping or gone. */
bool
graph_held(const struct graph *g, int i, const enum graph_st *st)
{
	int j;

	if (!graph_is(g, i))
		return false;
	for (j = 0; j < g->n; j++) {
		enum graph_st s = graph_st_of(g, st, j);

		if (graph_has(g->need[i], j) && (s == GS_STOPPING || graph_gone(s)))
			return true;
	}
	return false;
}

/*
 * Entry i may be sent its stop: no entry after it is still stopping, and
 * none that needs it is starting or up. after= orders the stops of entries
 * that stop together (a shutdown stops them all); an entry after i that
 * goes on running does not keep i up, one that needs i does.
 */
bool
graph_may_stop(const struct graph *g, int i, const enum graph_st *st)
{
	int j;

	if (!graph_is(g, i))
		return false;
	for (j = 0; j < g->n; j++)
		if (graph_has(g->dep[j], i) && (st[j] == GS_STOPPING || (graph_has(g->need[j], i)
		    && (st[j] == GS_STARTING || st[j] == GS_UP))))
			return false;
	return true;
}

/*
 * The entries of set ordered by dep among them: each after what it comes
 * after (file order among those ready at once), or backwards each before.
 * Writes at most max to out; returns how many the set holds.
 */
static int
graph_order(const struct graph *g, uint64_t set, bool backwards, int *out, int max)
{
	int order[CONF_ENTRIES_MAX];
	uint64_t done = 0, before;
	int n = 0, j, k;

	do {
		before = done;
		for (j = 0; j < g->n; j++)
			if (graph_has(set & ~done, j) && (g->dep[j] & set & ~done) == 0) {
				order[n++] = j;
				done |= graph_bit(j);
			}
	} while (done != before);
	for (k = 0; k < n && k < max; k++)
		out[k] = order[backwards ? n - 1 - k : k];
	return n;
}

/* set with all it needs, directly or not; up: with all that needs it instead. */
static uint64_t
graph_closure(const struct graph *g, uint64_t set, bool up)
{
	uint64_t before;
	int j;

	do {
		before = set;
		for (j = 0; j < g->n; j++)
			if (up && (g->need[j] & set) != 0)
				set |= graph_bit(j);
			else if (!up && graph_has(set, j))
				set |= g->need[j];
	} while (set != before);
	return set;
}

/*
 * What a failure or a stop of entry i takes down with it: every entry that
 * needs it, directly or not, in an order they may stop in (each before what
 * it needs). after= takes nothing. Returns how many; at most max in out.
 */
int
graph_takes(const struct graph *g, int i, int *out, int max)
{
	if (!graph_is(g, i))
		return 0;
	return graph_order(g, graph_closure(g, graph_bit(i), true) & ~graph_bit(i), true,
	    out, max);
}

/*
 * What reaperctl start of entry i starts first: what it needs, directly or
 * not, each after what it comes after. Bad entries are left out (they never
 * run, so i will wait); the caller skips those already up. Returns how
 * many; at most max in out.
 */
int
graph_start_first(const struct graph *g, int i, int *out, int max)
{
	if (!graph_is(g, i))
		return 0;
	return graph_order(g, graph_closure(g, graph_bit(i), false) & ~(graph_bit(i) | g->bad),
	    false, out, max);
}
