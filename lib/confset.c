/* The config parser's set lines: KEY=VALUE settings for the whole file, and their defaults. */
#include <string.h>

#include "confset.h"
#include "confval.h"
#include "num.h"

static int
conf_path(const char *v, size_t max, const char **out)
{
	if (v[0] != '/' || strlen(v) >= max)
		return -1;
	*out = v;
	return 0;
}

static int
conf_dur(const char *v, int64_t min, int64_t *out)
{
	int64_t ms;

	if (num_duration(v, &ms) < 0 || ms < min)
		return -1;
	*out = ms;
	return 0;
}

static int
conf_dur_max(const char *v, int64_t min, int64_t max, int64_t *out)
{
	int64_t ms;

	if (conf_dur(v, min, &ms) < 0 || ms > max)
		return -1;
	*out = ms;
	return 0;
}

/* One KEY=VALUE of a set line; a bad value leaves the setting as it was. */
static int
conf_setkey(struct conf *c, const char *key, const char *v)
{
	static const char *const cads[] = { "reboot", "poweroff", "halt", "ignore" };
	static const char *const logs[] = { "console", "null", "kmsg", "prefix" };
	static const char *const pkeys[] = { "poweroff", "reboot", "halt", "ignore" };
	int k;

	if (strcmp(key, "grace") == 0)
		return conf_dur(v, 0, &c->grace_ms);
	if (strcmp(key, "shutdown-timeout") == 0)
		return conf_dur(v, 1, &c->shutdown_timeout_ms);
	if (strcmp(key, "watchdog-timeout") == 0)
		return conf_dur_max(v, 2000, WDOG_TIMEOUT_MAX_MS,
		    &c->watchdog_timeout_ms);
	if (strcmp(key, "ctrlaltdel") == 0) {
		if ((k = conf_word(v, cads, 4)) < 0)
			return -1;
		c->ctrlaltdel = (enum conf_cad)k;
		return 0;
	}
	if (strcmp(key, "powerkey") == 0) {
		if ((k = conf_word(v, pkeys, 4)) < 0)
			return -1;
		c->powerkey = (enum conf_pkey)k;
		return 0;
	}
	if (strcmp(key, "log") == 0) {
		if ((k = conf_word(v, logs, 4)) < 0 || k == CO_NULL)
			return -1;
		c->log = (enum conf_out)k;
		return 0;
	}
	if (strcmp(key, "hostname") == 0) {
		if (!v[0] || strlen(v) > CONF_HOSTNAME_MAX)
			return -1;
		c->hostname = v;
		return 0;
	}
	if (strcmp(key, "control") == 0) {	/* must fit sun_path */
		if (conf_path(v, CTL_PATH_MAX, &c->control) < 0)
			return -1;
		c->control_set = true;
		return 0;
	}
	if (strcmp(key, "control-group") == 0) {
		if (conf_ident(v) < 0)
			return -1;
		c->control_group = v;
		return 0;
	}
	if (strcmp(key, "watchdog") == 0)
		return conf_path(v, 255, &c->watchdog);
	if (strcmp(key, "kmsg") == 0)
		return conf_path(v, KLOG_PATH_MAX, &c->kmsg);
	return -2;
}

/* set KEY=VALUE [KEY=VALUE]...; a later value wins over an earlier one. */
int
conf_set(struct conf *c, const struct word_line *wl)
{
	char key[32];
	int i;

	if (wl->nwords < 2)
		return conf_error(c, wl->line, "set without KEY=VALUE");
	for (i = 1; i < wl->nwords; i++) {
		const char *w = wl->words[i], *eq = strchr(w, '='), *v;
		int r;

		if (!eq || eq == w || (size_t)(eq - w) >= sizeof(key))
			return conf_error(c, wl->line, "set wants KEY=VALUE, not '%s'", w);
		memcpy(key, w, (size_t)(eq - w));
		key[eq - w] = '\0';
		if ((v = conf_str(c, eq + 1)) == NULL)
			return conf_error(c, wl->line, "too much text (limit %d bytes)",
			    CONF_STR_MAX);
		if ((r = conf_setkey(c, key, v)) == -2)
			return conf_error(c, wl->line, "unknown setting '%s'", key);
		if (r < 0)
			return conf_error(c, wl->line, "bad value for %s: '%s'", key, v);
	}
	return 0;
}

/* The file's settings before its set lines, and an empty table. */
void
conf_set_init(struct conf *c)
{
	c->file = "";
	c->n = 0;
	c->nerr = 0;
	c->used = 0;
	c->grace_ms = GRACE_DEFAULT_MS;
	c->shutdown_timeout_ms = SHUTDOWN_ALL_MS;
	c->ctrlaltdel = CAD_REBOOT;
	c->powerkey = CPK_POWEROFF;
	c->hostname = NULL;
	c->control = CONTROL_PATH_DEFAULT;
	c->control_set = false;
	c->control_group = NULL;
	c->log = CO_CONSOLE;
	c->watchdog = NULL;
	c->kmsg = KLOG_DEV_DEFAULT;
	c->watchdog_timeout_ms = WDOG_TIMEOUT_DEFAULT_MS;
}
