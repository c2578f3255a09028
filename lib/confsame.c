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
#include <stddef.h>
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

/*
 * The fields that shape the process, besides the lists: numbers and kinds
 * compared byte for byte, strings (NULL when not set) by their text.
 * failure-action=, file and line are left out on purpose.
 */
#define FIELD(f)	{ offsetof(struct conf_entry, f), sizeof(((struct conf_entry *)0)->f) }
static const struct {
	unsigned short	off, len;
} same_values[] = {
	FIELD(kind), FIELD(restart), FIELD(restart_delay_ms), FIELD(backoff_max_ms),
	FIELD(limit_n), FIELD(limit_ms), FIELD(stop_signal), FIELD(stop_timeout_ms),
	FIELD(timeout_ms), FIELD(umask), FIELD(out_kind), FIELD(err_kind), FIELD(ready),
	FIELD(ready_fd), FIELD(ready_interval_ms), FIELD(ready_timeout_ms),
	FIELD(memory_max), FIELD(pids_max), FIELD(cpu_weight),
};
#undef FIELD
#define AT(f)	offsetof(struct conf_entry, f)
static const unsigned short same_strs[] = {
	AT(user), AT(group), AT(cwd), AT(tty), AT(out_path), AT(err_path), AT(after),
	AT(needs),
};
#undef AT

bool
conf_same(const struct conf_entry *a, const struct conf_entry *b)
{
	const char *pa = (const char *)a, *pb = (const char *)b;
	size_t i;

	for (i = 0; i < sizeof(same_values) / sizeof(same_values[0]); i++)
		if (memcmp(pa + same_values[i].off, pb + same_values[i].off,
		    same_values[i].len) != 0)
			return false;
	for (i = 0; i < sizeof(same_strs) / sizeof(same_strs[0]); i++)
		if (!conf_same_str(*(const char *const *)(pa + same_strs[i]),
		    *(const char *const *)(pb + same_strs[i])))
			return false;
	return strcmp(a->name, b->name) == 0 &&
	    conf_same_list(a->argv, a->argc, b->argv, b->argc) &&
	    conf_same_list(a->env, a->nenv, b->env, b->nenv) &&
	    conf_same_list(a->env_file, a->nenvfile, b->env_file, b->nenvfile) &&
	    conf_same_list(a->check, conf_same_argc(a->check), b->check,
	    conf_same_argc(b->check));
}
