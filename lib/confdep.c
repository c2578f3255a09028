/*
 * The config's after= and needs=, resolved once the whole file is read
 * (a name may come before its entry): graph.c finds the errors, this puts
 * each on its entry's line. An entry in error stays in the table, marked
 * bad in the graph: it never runs, and those that name it know it failed.
 */
#include "confval.h"

void
conf_deps(struct conf *c)
{
	struct graph_in in[CONF_ENTRIES_MAX];
	struct graph_err err[CONF_ERRORS_MAX];
	int i, n;

	for (i = 0; i < c->n; i++) {
		const struct conf_entry *e = &c->ent[i];

		in[i].name = e->name;
		in[i].orderable = e->kind == CK_ONCE || e->kind == CK_SERVICE;
		in[i].after = e->after;
		in[i].needs = e->needs;
	}
	n = graph_build(&c->graph, in, c->n, err, CONF_ERRORS_MAX);
	for (i = 0; i < n; i++) {
		const char *file = c->file;
		const struct conf_entry *e;

		if (i >= CONF_ERRORS_MAX) {	/* counted, past the ones with text */
			c->nerr++;
			continue;
		}
		e = &c->ent[err[i].ent];
		c->file = e->file;
		(void)conf_error(c, e->line, "%s", err[i].msg);
		c->file = file;
	}
}
