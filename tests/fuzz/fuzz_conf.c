/*
 * libFuzzer target: the config parser. Any bytes in; the parser must not
 * read or write out of bounds, and what it keeps must be consistent.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static struct conf c;	/* large, as in PID 1 */

/* A string the parser kept: inside its own store, NUL-terminated there. */
static void
kept(const char *s)
{
	if (s == NULL)
		return;
	if (s < c.str || s >= c.str + c.used || memchr(s, '\0', (size_t)(c.str + c.used - s)) == NULL)
		abort();
}

static void
check_entry(int i)
{
	const struct conf_entry *e = &c.ent[i];
	size_t len = strnlen(e->name, sizeof(e->name));
	int j;

	if (len == 0 || len > CONF_NAME_MAX || conf_find(&c, e->name) != i)
		abort();	/* names are short, set and unique */
	if (e->argc < 1 || e->argc > CONF_ARGS_MAX || e->argv[e->argc] != NULL)
		abort();
	for (j = 0; j < e->argc; j++)
		kept(e->argv[j]);
	if (e->nenv < 0 || e->nenv > CONF_ENV_MAX)
		abort();
	for (j = 0; j < e->nenv; j++)
		kept(e->env[j]);
	if (e->nenvfile < 0 || e->nenvfile > CONF_ENV_FILES_MAX ||
	    (unsigned)e->failure_action > CFA_HALT)
		abort();
	for (j = 0; j < e->nenvfile; j++)
		kept(e->env_file[j]);
	kept(e->file);
	kept(e->user);
	kept(e->group);
	kept(e->cwd);
	kept(e->tty);
	if ((e->out_kind == CO_FILE && e->out_path == NULL) ||
	    (e->err_kind == CO_FILE && e->err_path == NULL))
		abort();
	if (e->restart_delay_ms < 0 || e->backoff_max_ms < 0 || e->stop_timeout_ms < 0 ||
	    e->timeout_ms < 0 || e->limit_n < 0 || e->limit_ms < 0 || e->umask > 0777 ||
	    e->stop_signal < 0 || e->line < 1)
		abort();
	(void)conf_kind_name(e->kind);
}

/*
 * Include lines: every directory holds two files whose text is the input
 * itself, so an include reads the same bytes again (and their include
 * lines must be refused: no nesting).
 */
static const char *inc_text;
static size_t inc_len;

static int
inc_list(void *ctx, const char *dir, const char *glob, const char **names, int max)
{
	static const char *const two[] = { "a.conf", "b.conf" };
	int i;

	(void)ctx;
	(void)dir;
	(void)glob;
	for (i = 0; i < 2 && i < max; i++)
		names[i] = two[i];
	return 2;
}

static ssize_t
inc_read(void *ctx, const char *path, const char **text)
{
	(void)ctx;
	if (path[0] == '\0')
		abort();
	*text = inc_text;
	return (ssize_t)inc_len;
}

static const struct conf_hook hook = { inc_list, inc_read, NULL };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact copy, so that ASan sees any read past the end. */
	char *text = malloc(size ? size : 1);
	int i, nerr;

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	inc_text = text;
	inc_len = size;
	nerr = conf_parse_hook(&c, "/etc/reaper.conf", text, size, &hook);
	if (c.nfiles < 0 || c.nfiles > CONF_INCLUDES_MAX)
		abort();
	if (nerr != c.nerr || nerr < 0 || c.n < 0 || c.n > CONF_ENTRIES_MAX ||
	    c.used > sizeof(c.str))
		abort();
	for (i = 0; i < nerr && i < CONF_ERRORS_MAX; i++)
		if (c.err[i].line < 1 || memchr(c.err[i].msg, '\0', CONF_ERRMSG_MAX) == NULL)
			abort();
	for (i = 0; i < c.n; i++)
		check_entry(i);
	free(text);
	return 0;
}
