/*
 * Whether two entries are the same, by everything that shapes the process:
 * an entry that only moved to another line (or file) is the same, one with
 * any other option or word changed is a new service that replaces the old
 * one at a reload. env-file= names count (in order: the later file wins),
 * not what the files hold, which is read again at each start anyway.
 * failure-action= does not shape the process: a kept one takes the new
 * entry, and with it the new failure-action, without a restart.
 */
#include <stdbool.h>
#include <string.h>

#include "conf.h"

static bool
conf_same_str(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

static bool
conf_same_list(const char *const *a, int na, const char *const *b, int nb)
{
	int i;

	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (!conf_same_str(a[i], b[i]))
			return false;
	return true;
}

static int
conf_same_argc(const char *const *v)
{
	int n = 0;

	while (v[n])
		n++;
	return n;
}

bool
conf_same(const struct conf_entry *a, const struct conf_entry *b)
{
	return a->kind == b->kind && strcmp(a->name, b->name) == 0 &&
	    conf_same_list(a->argv, a->argc, b->argv, b->argc) &&
	    conf_same_list(a->env, a->nenv, b->env, b->nenv) &&
	    conf_same_list(a->env_file, a->nenvfile, b->env_file, b->nenvfile) &&
	    a->restart == b->restart &&
	    a->restart_delay_ms == b->restart_delay_ms &&
	    a->backoff_max_ms == b->backoff_max_ms &&
	    a->limit_n == b->limit_n && a->limit_ms == b->limit_ms &&
	    a->stop_signal == b->stop_signal &&
	    a->stop_timeout_ms == b->stop_timeout_ms &&
	    a->timeout_ms == b->timeout_ms && a->umask == b->umask &&
	    conf_same_str(a->user, b->user) && conf_same_str(a->group, b->group) &&
	    conf_same_str(a->cwd, b->cwd) && conf_same_str(a->tty, b->tty) &&
	    a->out_kind == b->out_kind && a->err_kind == b->err_kind &&
	    conf_same_str(a->out_path, b->out_path) &&
	    conf_same_str(a->err_path, b->err_path) &&
	    conf_same_str(a->after, b->after) && conf_same_str(a->needs, b->needs) &&
	    a->ready == b->ready && a->ready_fd == b->ready_fd &&
	    a->ready_interval_ms == b->ready_interval_ms &&
	    a->ready_timeout_ms == b->ready_timeout_ms &&
	    a->memory_max == b->memory_max && a->pids_max == b->pids_max &&
	    a->cpu_weight == b->cpu_weight &&
	    conf_same_list(a->check, conf_same_argc(a->check), b->check,
	    conf_same_argc(b->check));
}
