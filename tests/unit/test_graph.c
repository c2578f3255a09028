/* Unit tests: the dependency graph of after= and needs=, its errors and its questions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "graph.h"

static struct graph g;
static struct graph_in in[CONF_ENTRIES_MAX + 1];
static struct graph_err err[CONF_ERRORS_MAX];
static enum graph_st st[CONF_ENTRIES_MAX];
static int nin;
static char names[CONF_ENTRIES_MAX][CONF_NAME_MAX + 1];	/* for made-up tables */
static char lists[CONF_ENTRIES_MAX][GRAPH_DEPS_MAX * (CONF_NAME_MAX + 1) + 64];

static int
reset(void **state)
{
	(void)state;
	memset(in, 0, sizeof(in));
	memset(err, 0, sizeof(err));
	memset(st, 0, sizeof(st));	/* every entry GS_PENDING */
	nin = 0;
	return 0;
}

/* A once or service entry. */
static void
add(const char *name, const char *after, const char *needs)
{
	in[nin].name = name;
	in[nin].orderable = true;
	in[nin].after = after;
	in[nin].needs = needs;
	nin++;
}

/* A sysinit or shutdown entry. */
static void
add_boot(const char *name, const char *after, const char *needs)
{
	add(name, after, needs);
	in[nin - 1].orderable = false;
}

static int
build(void)
{
	return graph_build(&g, in, nin, err, CONF_ERRORS_MAX);
}

static int
ix(const char *name)
{
	int i;

	for (i = 0; i < nin; i++)
		if (strcmp(in[i].name, name) == 0)
			return i;
	fail_msg("no entry %s", name);
	return -1;
}

static void
set(const char *name, enum graph_st s)
{
	st[ix(name)] = s;
}

static bool
may_start(const char *name)
{
	return graph_may_start(&g, ix(name), st);
}

static bool
held(const char *name)
{
	return graph_held(&g, ix(name), st);
}

static bool
may_stop(const char *name)
{
	return graph_may_stop(&g, ix(name), st);
}

/* The names of out[0..n), space-separated, to compare with one string. */
static const char *
joined(const int *out, int n)
{
	static char text[CONF_ENTRIES_MAX * (CONF_NAME_MAX + 1) + 1];
	size_t used = 0;
	int k;

	text[0] = '\0';
	for (k = 0; k < n; k++)
		used += (size_t)snprintf(text + used, sizeof(text) - used, "%s%s",
		    k ? " " : "", in[out[k]].name);
	return text;
}

static const char *
takes(const char *name)
{
	int out[CONF_ENTRIES_MAX];
	int n = graph_takes(&g, ix(name), out, CONF_ENTRIES_MAX);

	return joined(out, n);
}

static const char *
start_first(const char *name)
{
	int out[CONF_ENTRIES_MAX];
	int n = graph_start_first(&g, ix(name), out, CONF_ENTRIES_MAX);

	return joined(out, n);
}

/* Exactly one error, on entry name, saying msg. */
static void
one_error(const char *name, const char *msg)
{
	assert_int_equal(build(), 1);
	assert_int_equal(err[0].ent, ix(name));
	assert_string_equal(err[0].msg, msg);
	assert_true(graph_bad(&g, ix(name)));
}

/* The name of made-up entry i: "e<i>", padded with 'a' to len characters. */
static const char *
made_name(int i, size_t len)
{
	size_t k;

	(void)snprintf(names[i], sizeof(names[i]), "e%d", i);
	for (k = strlen(names[i]); k < len; k++)
		names[i][k] = 'a';
	names[i][k] = '\0';
	return names[i];
}

/* ---- good graphs ---- */

static void
test_no_entries(void **state)
{
	(void)state;
	assert_int_equal(build(), 0);
	assert_int_equal(g.n, 0);
	assert_false(graph_bad(&g, 0));
}

static void
test_independents_start_at_once(void **state)
{
	(void)state;
	add("a", NULL, NULL);
	add("b", NULL, NULL);
	add("c", NULL, NULL);
	assert_int_equal(build(), 0);
	assert_true(may_start("a"));
	assert_true(may_start("b"));
	assert_true(may_start("c"));
	assert_false(held("a"));
	assert_string_equal(takes("a"), "");
	assert_string_equal(start_first("a"), "");
}

static void
test_chain_starts_in_order(void **state)
{
	(void)state;
	add("c", "b", NULL);	/* file order is not start order */
	add("b", NULL, "a");
	add("a", NULL, NULL);
	assert_int_equal(build(), 0);
	assert_true(may_start("a"));
	assert_false(may_start("b"));
	assert_false(may_start("c"));
	set("a", GS_STARTING);
	assert_false(may_start("b"));	/* started is not ready */
	set("a", GS_UP);
	assert_true(may_start("b"));
	assert_false(may_start("c"));
	set("b", GS_UP);
	assert_true(may_start("c"));
}

static void
test_diamond(void **state)
{
	(void)state;
	add("top", NULL, "left,right");
	add("left", NULL, "base");
	add("right", "base", NULL);
	add("base", NULL, NULL);
	assert_int_equal(build(), 0);
	set("base", GS_UP);
	assert_true(may_start("left"));
	assert_true(may_start("right"));
	set("left", GS_UP);
	assert_false(may_start("top"));	/* both, not either */
	set("right", GS_UP);
	assert_true(may_start("top"));
	/* Only needs= is started first; right is needed, its after=base is not. */
	assert_string_equal(start_first("top"), "base left right");
	assert_string_equal(takes("base"), "top left");
}

static void
test_fan_out(void **state)
{
	(void)state;
	add("base", NULL, NULL);
	add("w1", NULL, "base");
	add("w2", NULL, "base");
	add("w3", "base", NULL);
	add("w4", NULL, "base");
	assert_int_equal(build(), 0);
	assert_false(may_start("w1"));
	set("base", GS_UP);
	assert_true(may_start("w1"));
	assert_true(may_start("w2"));
	assert_true(may_start("w3"));
	assert_true(may_start("w4"));
	assert_string_equal(takes("base"), "w4 w2 w1");	/* after= takes nothing */
}

static void
test_fan_in_at_the_limit(void **state)
{
	char list[GRAPH_DEPS_MAX * 8];
	size_t used = 0;
	int i;

	(void)state;
	list[0] = '\0';
	for (i = 0; i < GRAPH_DEPS_MAX; i++) {
		add(made_name(i, 2), NULL, NULL);
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? "," : "",
		    names[i]);
	}
	add("sink", NULL, list);
	assert_int_equal(build(), 0);
	for (i = 0; i < GRAPH_DEPS_MAX - 1; i++)
		st[i] = GS_UP;
	assert_false(may_start("sink"));
	st[GRAPH_DEPS_MAX - 1] = GS_UP;
	assert_true(may_start("sink"));
	assert_int_equal(graph_takes(&g, 0, (int[CONF_ENTRIES_MAX]){ 0 }, CONF_ENTRIES_MAX), 1);
	assert_int_equal(graph_start_first(&g, ix("sink"), (int[CONF_ENTRIES_MAX]){ 0 },
	    CONF_ENTRIES_MAX), GRAPH_DEPS_MAX);
}

static void
test_once_done_is_up(void **state)
{
	(void)state;
	add("mkdirs", NULL, NULL);	/* a once */
	add("web", NULL, "mkdirs");
	assert_int_equal(build(), 0);
	set("mkdirs", GS_STARTING);	/* running */
	assert_false(may_start("web"));
	assert_false(held("web"));
	set("mkdirs", GS_UP);		/* exited 0 */
	assert_true(may_start("web"));
	set("mkdirs", GS_FAILED);	/* exited non-zero */
	assert_false(may_start("web"));
	assert_true(held("web"));
}

/* ---- after= against needs= ---- */

static void
test_after_goes_on_past_a_failure(void **state)
{
	(void)state;
	add("db", NULL, NULL);
	add("web", "db", NULL);
	assert_int_equal(build(), 0);
	set("db", GS_FAILED);
	assert_true(may_start("web"));
	set("db", GS_STOPPED);
	assert_true(may_start("web"));
	assert_false(held("web"));	/* after= never holds */
}

static void
test_after_waits_for_what_is_coming(void **state)
{
	(void)state;
	add("db", NULL, NULL);
	add("web", "db", NULL);
	assert_int_equal(build(), 0);
	assert_false(may_start("web"));	/* pending */
	set("db", GS_STARTING);
	assert_false(may_start("web"));
	set("db", GS_STOPPING);		/* may be a restart */
	assert_false(may_start("web"));
	set("db", GS_UP);
	assert_true(may_start("web"));
}

static void
test_needs_stops_at_a_failure(void **state)
{
	(void)state;
	add("db", NULL, NULL);
	add("web", NULL, "db");
	assert_int_equal(build(), 0);
	set("db", GS_FAILED);
	assert_false(may_start("web"));
	assert_true(held("web"));
	set("db", GS_UP);
	assert_true(may_start("web"));
	assert_false(held("web"));
}

static void
test_waiting_while_a_needed_one_stops(void **state)
{
	(void)state;
	add("db", NULL, NULL);
	add("web", NULL, "db");
	assert_int_equal(build(), 0);
	set("web", GS_UP);
	set("db", GS_UP);
	assert_false(held("web"));
	set("db", GS_STOPPING);
	assert_true(held("web"));
	set("db", GS_STOPPED);
	assert_true(held("web"));
	assert_false(may_start("web"));
	set("db", GS_PENDING);		/* asked to start again: web waits, not held */
	assert_false(held("web"));
	assert_false(may_start("web"));
	set("db", GS_UP);
	assert_true(may_start("web"));	/* starts again once it is up */
}

static void
test_takes_is_transitive_and_needs_only(void **state)
{
	(void)state;
	add("db", NULL, NULL);
	add("api", NULL, "db");
	add("web", NULL, "api");
	add("cron", "db", NULL);
	add("stats", "web", NULL);
	assert_int_equal(build(), 0);
	assert_string_equal(takes("db"), "web api");	/* each before what it needs */
	assert_string_equal(takes("api"), "web");
	assert_string_equal(takes("web"), "");
	assert_string_equal(takes("cron"), "");
}

static void
test_takes_cuts_at_max(void **state)
{
	int out[2] = { -1, -1 };

	(void)state;
	add("db", NULL, NULL);
	add("a", NULL, "db");
	add("b", NULL, "db");
	add("c", NULL, "db");
	assert_int_equal(build(), 0);
	assert_int_equal(graph_takes(&g, ix("db"), out, 1), 3);
	assert_int_equal(out[0], ix("c"));
	assert_int_equal(out[1], -1);
	assert_int_equal(graph_start_first(&g, ix("a"), out, 0), 1);
	assert_int_equal(out[0], ix("c"));
}

/* ---- stop order ---- */

static void
test_stop_order_chain(void **state)
{
	(void)state;
	add("a", NULL, NULL);
	add("b", NULL, "a");
	add("c", "b", NULL);
	assert_int_equal(build(), 0);
	set("a", GS_STOPPING);		/* a shutdown: all of them */
	set("b", GS_STOPPING);
	set("c", GS_STOPPING);
	assert_true(may_stop("c"));
	assert_false(may_stop("b"));
	assert_false(may_stop("a"));
	set("c", GS_STOPPED);
	assert_true(may_stop("b"));
	assert_false(may_stop("a"));
	set("b", GS_STOPPED);
	assert_true(may_stop("a"));
}

static void
test_stop_order_diamond(void **state)
{
	(void)state;
	add("top", "left", "right");
	add("left", NULL, "base");
	add("right", "base", NULL);
	add("base", NULL, NULL);
	assert_int_equal(build(), 0);
	set("top", GS_STOPPING);
	set("left", GS_STOPPING);
	set("right", GS_STOPPING);
	set("base", GS_STOPPING);
	assert_true(may_stop("top"));
	assert_false(may_stop("left"));
	assert_false(may_stop("right"));
	assert_false(may_stop("base"));
	set("top", GS_STOPPED);
	assert_true(may_stop("left"));	/* in parallel */
	assert_true(may_stop("right"));
	assert_false(may_stop("base"));
	set("left", GS_STOPPED);
	assert_false(may_stop("base"));	/* right still stopping */
	set("right", GS_FAILED);
	assert_true(may_stop("base"));
}

static void
test_stop_independents_at_once(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 8; i++)
		add(made_name(i, 3), NULL, NULL);
	assert_int_equal(build(), 0);
	for (i = 0; i < 8; i++)
		st[i] = GS_STOPPING;
	for (i = 0; i < 8; i++)
		assert_true(graph_may_stop(&g, i, st));
}

static void
test_stop_of_one_spares_after_dependents(void **state)
{
	(void)state;
	add("db", NULL, NULL);
	add("web", NULL, "db");
	add("cron", "db", NULL);
	assert_int_equal(build(), 0);
	set("db", GS_STOPPING);		/* reaperctl stop db */
	set("web", GS_UP);
	set("cron", GS_UP);
	assert_false(may_stop("db"));	/* web needs it: it goes first */
	assert_string_equal(takes("db"), "web");
	set("web", GS_STOPPING);
	assert_false(may_stop("db"));
	set("web", GS_PENDING);		/* down, waiting for db */
	assert_true(may_stop("db"));	/* cron runs on: after= only orders */
}

/* ---- start first ---- */

static void
test_start_first_order(void **state)
{
	(void)state;
	add("web", NULL, "api,cache");
	add("api", NULL, "db");
	add("cache", "db", NULL);
	add("db", NULL, "disk");
	add("disk", NULL, NULL);
	add("logs", NULL, NULL);
	assert_int_equal(build(), 0);
	/* cache comes after db, so it is ordered after db though only web needs it. */
	assert_string_equal(start_first("web"), "disk db api cache");
	assert_string_equal(start_first("api"), "disk db");
	assert_string_equal(start_first("cache"), "");
	assert_string_equal(start_first("logs"), "");
}

static void
test_start_first_leaves_out_bad(void **state)
{
	(void)state;
	add("db", NULL, "nosuch");
	add("web", NULL, "db,cache");
	add("cache", NULL, NULL);
	assert_int_equal(build(), 1);
	assert_true(graph_bad(&g, ix("db")));
	assert_false(graph_bad(&g, ix("web")));
	assert_string_equal(start_first("web"), "cache");
	set("cache", GS_UP);
	set("db", GS_UP);		/* whatever st says, a bad entry never comes up */
	assert_false(may_start("web"));
	assert_true(held("web"));
	assert_false(may_start("db"));
}

/* ---- errors ---- */

static void
test_unknown_name(void **state)
{
	(void)state;
	add("web", "db", NULL);
	add("api", NULL, NULL);
	one_error("web", "web: after= names unknown entry 'db'");
	assert_false(graph_bad(&g, ix("api")));
	assert_true(may_start("api"));
	assert_false(may_start("web"));
}

static void
test_unknown_among_good(void **state)
{
	(void)state;
	add("db", NULL, NULL);
	add("web", NULL, "db,dbx,cache");
	add("cache", NULL, NULL);
	one_error("web", "web: needs= names unknown entry 'dbx'");
	assert_string_equal(takes("db"), "");	/* a bad entry keeps no dependencies */
}

static void
test_naming_itself(void **state)
{
	(void)state;
	add("web", NULL, "web");
	one_error("web", "web: needs= names itself");
	reset(NULL);
	add("db", NULL, NULL);
	add("web", "db,web", NULL);
	one_error("web", "web: after= names itself");
	assert_false(graph_bad(&g, ix("db")));
}

static void
test_cycle_of_two(void **state)
{
	(void)state;
	add("web", NULL, "db");
	add("db", NULL, "web");
	add("other", NULL, NULL);
	one_error("web", "dependency cycle: web -> db -> web");
	assert_true(graph_bad(&g, ix("db")));
	assert_false(graph_bad(&g, ix("other")));
	assert_true(may_start("other"));
}

static void
test_cycle_of_three(void **state)
{
	(void)state;
	add("a", "b", NULL);
	add("b", NULL, "c");
	add("c", "a", NULL);
	one_error("a", "dependency cycle: a -> b -> c -> a");
	assert_true(graph_bad(&g, ix("b")));
	assert_true(graph_bad(&g, ix("c")));
}

static void
test_cycle_starts_at_its_first_entry(void **state)
{
	(void)state;
	add("x", NULL, NULL);
	add("c", NULL, "a");
	add("a", NULL, "b");
	add("b", NULL, "c");
	one_error("c", "dependency cycle: c -> a -> b -> c");
	assert_false(graph_bad(&g, ix("x")));
}

static void
test_long_cycle(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 6; i++)
		add(made_name(i, 2), NULL, NULL);
	for (i = 0; i < 6; i++)
		in[i].after = names[(i + 1) % 6];
	one_error("e0", "dependency cycle: e0 -> e1 -> e2 -> e3 -> e4 -> e5 -> e0");
	for (i = 0; i < 6; i++)
		assert_true(graph_bad(&g, i));
}

static void
test_two_separate_cycles(void **state)
{
	(void)state;
	add("a", NULL, "b");
	add("b", NULL, "a");
	add("ok", NULL, "x");
	add("x", NULL, NULL);
	add("p", "q", NULL);
	add("q", "r", NULL);
	add("r", NULL, "p");
	assert_int_equal(build(), 2);
	assert_int_equal(err[0].ent, ix("a"));
	assert_string_equal(err[0].msg, "dependency cycle: a -> b -> a");
	assert_int_equal(err[1].ent, ix("p"));
	assert_string_equal(err[1].msg, "dependency cycle: p -> q -> r -> p");
	assert_false(graph_bad(&g, ix("ok")));
	assert_false(graph_bad(&g, ix("x")));
	set("x", GS_UP);
	assert_true(may_start("ok"));
}

static void
test_tangled_cycles_each_told_once(void **state)
{
	(void)state;
	/* a -> c -> a and b -> c -> a -> b share a and c; d hangs off the tangle. */
	add("a", NULL, "b,c");
	add("b", NULL, "c");
	add("c", "a", NULL);
	add("d", NULL, "c");
	assert_int_equal(build(), 2);
	assert_string_equal(err[0].msg, "dependency cycle: a -> c -> a");
	assert_int_equal(err[1].ent, ix("b"));
	assert_string_equal(err[1].msg, "dependency cycle: b -> c -> a -> b");
	assert_false(graph_bad(&g, ix("d")));
	assert_true(held("d"));		/* what it needs is bad: it waits */
}

/* "e<a>,e<b>,..." into lists[i], for the entries from..to but skip. */
static const char *
made_list(int i, int from, int to, int skip)
{
	size_t used = 0;
	int j;

	lists[i][0] = '\0';
	for (j = from; j <= to; j++)
		if (j != skip)
			used += (size_t)snprintf(lists[i] + used, sizeof(lists[i]) - used, "%s%s",
			    used ? "," : "", names[j]);
	return lists[i];
}

static void
test_dense_knot(void **state)
{
	static const char *want[] = {
		"dependency cycle: e0 -> e9 -> e8 -> e1 -> e0",
		"dependency cycle: e2 -> e1 -> e2", "dependency cycle: e3 -> e1 -> e3",
		"dependency cycle: e4 -> e1 -> e4", "dependency cycle: e5 -> e1 -> e5",
		"dependency cycle: e6 -> e1 -> e6", "dependency cycle: e7 -> e1 -> e7",
	};
	int i;

	(void)state;
	/* e1..e8 all come after each other; e0 closes the long way round, through e9. */
	for (i = 0; i < 10; i++)
		add(made_name(i, 2), NULL, NULL);
	in[0].after = names[9];
	in[1].after = made_list(1, 0, 8, 1);
	for (i = 2; i <= 8; i++)
		in[i].after = made_list(i, 1, 8, i);
	in[9].after = names[8];
	assert_int_equal(build(), 7);
	for (i = 0; i < 7; i++)
		assert_string_equal(err[i].msg, want[i]);
	for (i = 0; i < 10; i++)
		assert_true(graph_bad(&g, i));
}

static void
test_entries_around_a_cycle_stand(void **state)
{
	(void)state;
	add("db", NULL, "web");
	add("web", NULL, "db");
	add("api", NULL, "db");
	add("cron", "db", NULL);
	assert_int_equal(build(), 1);
	assert_false(graph_bad(&g, ix("api")));
	assert_false(graph_bad(&g, ix("cron")));
	assert_false(may_start("api"));
	assert_true(held("api"));
	assert_true(may_start("cron"));	/* after= goes on past it */
	assert_string_equal(takes("db"), "api");
}

static void
test_not_orderable_entry_with_deps(void **state)
{
	(void)state;
	add("web", NULL, NULL);
	add_boot("mnt", "web", NULL);
	one_error("mnt", "mnt: after= is for once and service entries only");
	reset(NULL);
	add("web", NULL, NULL);
	add_boot("bye", NULL, "web");
	one_error("bye", "bye: needs= is for once and service entries only");
}

static void
test_naming_a_not_orderable_entry(void **state)
{
	(void)state;
	add_boot("mnt", NULL, NULL);
	add("web", NULL, "mnt");
	add_boot("bye", NULL, NULL);
	one_error("web", "web: needs= names mnt, a sysinit or shutdown entry");
	assert_false(graph_bad(&g, ix("mnt")));
	reset(NULL);
	add_boot("bye", NULL, NULL);
	add("web", "bye", NULL);
	one_error("web", "web: after= names bye, a sysinit or shutdown entry");
}

static void
test_name_twice(void **state)
{
	(void)state;
	add("db", NULL, NULL);
	add("web", NULL, "db,db");
	one_error("web", "web: needs= names db twice");
	reset(NULL);
	add("db", NULL, NULL);
	add("web", "db", "db");
	one_error("web", "web: db is in both after= and needs=");
}

static void
test_empty_names(void **state)
{
	static const char *bad[] = { "", ",", "db,", ",db", "db,,db2" };
	size_t k;

	(void)state;
	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		reset(NULL);
		add("db", NULL, NULL);
		add("db2", NULL, NULL);
		add("web", bad[k], NULL);
		assert_int_equal(build(), k == 1 ? 2 : 1);
		assert_string_equal(err[0].msg, "web: empty name in after=");
		assert_true(graph_bad(&g, ix("web")));
	}
}

static void
test_one_over_the_deps_limit(void **state)
{
	size_t used = 0;
	int i;

	(void)state;
	lists[0][0] = '\0';
	for (i = 0; i < GRAPH_DEPS_MAX + 1; i++) {
		add(made_name(i, 2), NULL, NULL);
		used += (size_t)snprintf(lists[0] + used, sizeof(lists[0]) - used, "%s%s",
		    i ? "," : "", names[i]);
	}
	add("sink", lists[0], NULL);
	one_error("sink", "sink: too many names in after= (limit 16)");
	assert_int_equal(GRAPH_DEPS_MAX, 16);
}

static void
test_every_error_counted_first_ones_kept(void **state)
{
	struct graph_err two[2];

	(void)state;
	add("a", "x", NULL);
	add("b", "y", NULL);
	add("c", "z", NULL);
	add("d", "d", NULL);
	assert_int_equal(graph_build(&g, in, nin, two, 2), 4);
	assert_string_equal(two[0].msg, "a: after= names unknown entry 'x'");
	assert_string_equal(two[1].msg, "b: after= names unknown entry 'y'");
	assert_true(graph_bad(&g, ix("d")));
	assert_int_equal(graph_build(&g, in, nin, NULL, 0), 4);
}

static void
test_several_errors_on_one_entry(void **state)
{
	(void)state;
	add("db", NULL, NULL);
	add("web", "nope,web", "db,db");
	assert_int_equal(build(), 3);
	assert_string_equal(err[0].msg, "web: after= names unknown entry 'nope'");
	assert_string_equal(err[1].msg, "web: after= names itself");
	assert_string_equal(err[2].msg, "web: needs= names db twice");
	assert_false(graph_bad(&g, ix("db")));
}

static void
test_entries_out_of_range(void **state)
{
	(void)state;
	assert_int_equal(graph_build(&g, in, -1, err, 1), -1);
	assert_int_equal(graph_build(&g, in, CONF_ENTRIES_MAX + 1, err, 1), -1);
	assert_int_equal(g.n, 0);
	assert_false(graph_may_start(&g, 0, st));
	assert_false(graph_held(&g, 0, st));
	assert_false(graph_may_stop(&g, 0, st));
	assert_int_equal(graph_takes(&g, 0, NULL, 0), 0);
	assert_int_equal(graph_start_first(&g, -1, NULL, 0), 0);
}

/* ---- at the limits ---- */

static void
test_64_entries_in_a_chain(void **state)
{
	int out[CONF_ENTRIES_MAX], i;

	(void)state;
	for (i = 0; i < CONF_ENTRIES_MAX; i++)
		add(made_name(i, CONF_NAME_MAX), NULL, i ? names[i - 1] : NULL);
	assert_int_equal(build(), 0);
	assert_int_equal(graph_start_first(&g, CONF_ENTRIES_MAX - 1, out, CONF_ENTRIES_MAX),
	    CONF_ENTRIES_MAX - 1);
	for (i = 0; i < CONF_ENTRIES_MAX - 1; i++)
		assert_int_equal(out[i], i);
	assert_int_equal(graph_takes(&g, 0, out, CONF_ENTRIES_MAX), CONF_ENTRIES_MAX - 1);
	for (i = 0; i < CONF_ENTRIES_MAX - 1; i++)
		assert_int_equal(out[i], CONF_ENTRIES_MAX - 1 - i);
	for (i = 0; i < CONF_ENTRIES_MAX; i++) {
		assert_true(graph_may_start(&g, i, st));
		if (i + 1 < CONF_ENTRIES_MAX)
			assert_false(graph_may_start(&g, i + 1, st));
		st[i] = GS_UP;
	}
	st[0] = GS_FAILED;
	assert_true(graph_held(&g, 1, st));
	assert_false(graph_held(&g, CONF_ENTRIES_MAX - 1, st));	/* only what it needs itself */
}

static void
test_64_entries_all_need_one(void **state)
{
	int i;

	(void)state;
	add("base", NULL, NULL);
	for (i = 1; i < CONF_ENTRIES_MAX; i++)
		add(made_name(i, 4), "base", i % 2 ? "base" : NULL);
	assert_int_equal(build(), CONF_ENTRIES_MAX / 2);	/* odd ones name base twice */
	for (i = 1; i < CONF_ENTRIES_MAX; i++)
		in[i].after = i % 2 ? NULL : "base";
	assert_int_equal(build(), 0);
	st[0] = GS_UP;
	for (i = 1; i < CONF_ENTRIES_MAX; i++)
		assert_true(graph_may_start(&g, i, st));
	st[0] = GS_STOPPING;
	for (i = 1; i < CONF_ENTRIES_MAX; i++) {
		st[i] = GS_UP;
		assert_int_equal(graph_held(&g, i, st), i % 2 == 1);
	}
	assert_false(may_stop("base"));
	for (i = 1; i < CONF_ENTRIES_MAX; i += 2)
		st[i] = GS_STOPPED;
	assert_true(may_stop("base"));	/* the after= ones are not stopping */
}

/* A cycle of n entries with the longest names, each needing the next. */
static void
long_cycle(int n)
{
	int i;

	for (i = 0; i < n; i++)
		add(made_name(i, CONF_NAME_MAX), NULL, NULL);
	for (i = 0; i < n; i++)
		in[i].needs = names[(i + 1) % n];
}

static void
test_cycle_of_five_longest_names_fits(void **state)
{
	(void)state;
	long_cycle(5);
	assert_int_equal(build(), 1);
	/* "dependency cycle: " and six names, five arrows */
	assert_int_equal(strlen(err[0].msg), 18 + 6 * CONF_NAME_MAX + 5 * 4);
	assert_null(strstr(err[0].msg, "..."));
	assert_non_null(strstr(err[0].msg, names[4]));
}

static void
test_cycle_of_64_keeps_both_ends(void **state)
{
	const char *m = err[0].msg;
	size_t len;
	int i;

	(void)state;
	long_cycle(CONF_ENTRIES_MAX);
	assert_int_equal(build(), 1);
	assert_int_equal(err[0].ent, 0);
	len = strlen(m);
	assert_true(len < GRAPH_ERRMSG_MAX);
	assert_memory_equal(m, "dependency cycle: e0aaa", 23);
	assert_non_null(strstr(m, names[4]));		/* as many as fit */
	assert_null(strstr(m, names[5]));
	assert_memory_equal(m + len - strlen(names[0]) - 11, " -> ... -> ", 11);
	assert_string_equal(m + len - strlen(names[0]), names[0]);	/* where it closes */
	for (i = 0; i < CONF_ENTRIES_MAX; i++)
		assert_true(graph_bad(&g, i));
}

static void
test_cycle_that_fits_exactly_is_whole(void **state)
{
	(void)state;
	/* 18 + 31 + 5 * (4 + 31) + 4 + 27 = 255: fits, with its NUL, in 256. */
	long_cycle(6);
	names[5][27] = '\0';
	assert_int_equal(build(), 1);
	assert_int_equal(strlen(err[0].msg), GRAPH_ERRMSG_MAX - 1);
	assert_null(strstr(err[0].msg, "..."));
	reset(NULL);
	long_cycle(6);
	names[5][28] = '\0';
	assert_int_equal(build(), 1);
	assert_non_null(strstr(err[0].msg, " -> ... -> e0"));
	assert_null(strstr(err[0].msg, "e5"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_no_entries, reset),
		cmocka_unit_test_setup(test_independents_start_at_once, reset),
		cmocka_unit_test_setup(test_chain_starts_in_order, reset),
		cmocka_unit_test_setup(test_diamond, reset),
		cmocka_unit_test_setup(test_fan_out, reset),
		cmocka_unit_test_setup(test_fan_in_at_the_limit, reset),
		cmocka_unit_test_setup(test_once_done_is_up, reset),
		cmocka_unit_test_setup(test_after_goes_on_past_a_failure, reset),
		cmocka_unit_test_setup(test_after_waits_for_what_is_coming, reset),
		cmocka_unit_test_setup(test_needs_stops_at_a_failure, reset),
		cmocka_unit_test_setup(test_waiting_while_a_needed_one_stops, reset),
		cmocka_unit_test_setup(test_takes_is_transitive_and_needs_only, reset),
		cmocka_unit_test_setup(test_takes_cuts_at_max, reset),
		cmocka_unit_test_setup(test_stop_order_chain, reset),
		cmocka_unit_test_setup(test_stop_order_diamond, reset),
		cmocka_unit_test_setup(test_stop_independents_at_once, reset),
		cmocka_unit_test_setup(test_stop_of_one_spares_after_dependents, reset),
		cmocka_unit_test_setup(test_start_first_order, reset),
		cmocka_unit_test_setup(test_start_first_leaves_out_bad, reset),
		cmocka_unit_test_setup(test_unknown_name, reset),
		cmocka_unit_test_setup(test_unknown_among_good, reset),
		cmocka_unit_test_setup(test_naming_itself, reset),
		cmocka_unit_test_setup(test_cycle_of_two, reset),
		cmocka_unit_test_setup(test_cycle_of_three, reset),
		cmocka_unit_test_setup(test_cycle_starts_at_its_first_entry, reset),
		cmocka_unit_test_setup(test_long_cycle, reset),
		cmocka_unit_test_setup(test_two_separate_cycles, reset),
		cmocka_unit_test_setup(test_tangled_cycles_each_told_once, reset),
		cmocka_unit_test_setup(test_dense_knot, reset),
		cmocka_unit_test_setup(test_entries_around_a_cycle_stand, reset),
		cmocka_unit_test_setup(test_not_orderable_entry_with_deps, reset),
		cmocka_unit_test_setup(test_naming_a_not_orderable_entry, reset),
		cmocka_unit_test_setup(test_name_twice, reset),
		cmocka_unit_test_setup(test_empty_names, reset),
		cmocka_unit_test_setup(test_one_over_the_deps_limit, reset),
		cmocka_unit_test_setup(test_every_error_counted_first_ones_kept, reset),
		cmocka_unit_test_setup(test_several_errors_on_one_entry, reset),
		cmocka_unit_test_setup(test_entries_out_of_range, reset),
		cmocka_unit_test_setup(test_64_entries_in_a_chain, reset),
		cmocka_unit_test_setup(test_64_entries_all_need_one, reset),
		cmocka_unit_test_setup(test_cycle_of_five_longest_names_fits, reset),
		cmocka_unit_test_setup(test_cycle_of_64_keeps_both_ends, reset),
		cmocka_unit_test_setup(test_cycle_that_fits_exactly_is_whole, reset),
	};

	return cmocka_run_group_tests_name("graph", tests, NULL, NULL);
}
