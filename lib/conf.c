/*
 * The config parser's entries: one line in, an entry or an error (line,
 * message) out. No I/O, no logging, no globals; an entry with any error
 * is left out whole, and every other entry stands. The file's lines are
 * confinc.c's, set lines confset.c's.
 */
#include <signal.h>
#include <stdarg.h>
#include <string.h>

#include "conf.h"
#include "confval.h"
#include "fmt.h"
#include "num.h"
#include "sig.h"
#include "word.h"

#define KINDS_ALL	0xf
#define KIND(k)		(1u << (k))

static const char *const kind_names[] = { "sysinit", "once", "service", "shutdown" };
static const char *const fa_names[] = { "none", "poweroff", "reboot", "halt" };

static const struct {
	const char	*name;
	unsigned	kinds;
} opt_tab[] = {
	[CONF_O_RESTART] = { "restart", KIND(CK_SERVICE) },
	[CONF_O_DELAY] = { "restart-delay", KIND(CK_SERVICE) },
	[CONF_O_BACKOFF] = { "backoff-max", KIND(CK_SERVICE) },
	[CONF_O_LIMIT] = { "restart-limit", KIND(CK_SERVICE) },
	[CONF_O_STOPSIG] = { "stop-signal", KIND(CK_SERVICE) | KIND(CK_ONCE) },
	[CONF_O_STOPTIME] = { "stop-timeout", KIND(CK_SERVICE) | KIND(CK_ONCE) },
	[CONF_O_TIMEOUT] = { "timeout", KIND(CK_SYSINIT) | KIND(CK_SHUTDOWN) },
	[CONF_O_USER] = { "user", KINDS_ALL }, [CONF_O_GROUP] = { "group", KINDS_ALL },
	[CONF_O_CWD] = { "cwd", KINDS_ALL }, [CONF_O_ENV] = { "env", KINDS_ALL },
	[CONF_O_UMASK] = { "umask", KINDS_ALL }, [CONF_O_TTY] = { "tty", KINDS_ALL },
	[CONF_O_STDOUT] = { "stdout", KINDS_ALL }, [CONF_O_STDERR] = { "stderr", KINDS_ALL },
	[CONF_O_AFTER] = { "after", KIND(CK_SERVICE) | KIND(CK_ONCE) },
	[CONF_O_NEEDS] = { "needs", KIND(CK_SERVICE) | KIND(CK_ONCE) },
	[CONF_O_READY] = { "ready", KIND(CK_SERVICE) },
	[CONF_O_CHECK] = { "ready-check", KIND(CK_SERVICE) },
	[CONF_O_INTERVAL] = { "ready-interval", KIND(CK_SERVICE) },
	[CONF_O_RTIMEOUT] = { "ready-timeout", KIND(CK_SERVICE) },
	[CONF_O_MEMMAX] = { "memory-max", KIND(CK_SERVICE) | KIND(CK_ONCE) },
	[CONF_O_PIDSMAX] = { "pids-max", KIND(CK_SERVICE) | KIND(CK_ONCE) },
	[CONF_O_CPUWEIGHT] = { "cpu-weight", KIND(CK_SERVICE) | KIND(CK_ONCE) },
	[CONF_O_ENVFILE] = { "env-file", KINDS_ALL },
	[CONF_O_FAILACT] = { "failure-action", KINDS_ALL & ~KIND(CK_SHUTDOWN) },
};
#define NOPTS	((int)(sizeof(opt_tab) / sizeof(opt_tab[0])))

/* "console", "null", "kmsg", "prefix" or an absolute path. */
static int
conf_out(const char *v, enum conf_out *kind, const char **path)
{
	static const char *const outs[] = { "console", "null", "kmsg", "prefix" };
	int k = conf_word(v, outs, 4);

	*path = NULL;
	if (k >= 0) {
		*kind = (enum conf_out)k;
		return 0;
	}
	if (v[0] != '/')
		return -1;
	*kind = CO_FILE;
	*path = v;
	return 0;
}

/* "N/DURATION" for restart-limit. */
static int
conf_limit(const char *v, struct conf_entry *e)
{
	char n[16];
	const char *slash = strchr(v, '/');
	unsigned long count;

	if (!slash || (size_t)(slash - v) >= sizeof(n))
		return -1;
	memcpy(n, v, (size_t)(slash - v));
	n[slash - v] = '\0';
	if (num_ulong(n, 1000000, &count) < 0 || count == 0 ||
	    num_duration(slash + 1, &e->limit_ms) < 0 || e->limit_ms == 0)
		return -1;
	e->limit_n = (int)count;
	return 0;
}

/* "exec", "notify" or "fd:N" with N from 3 to 9. */
static int
conf_ready(const char *v, struct conf_entry *e)
{
	if (strcmp(v, "exec") == 0 || strcmp(v, "notify") == 0) {
		e->ready = v[0] == 'e' ? RD_EXEC : RD_NOTIFY;
		return 0;
	}
	if (strncmp(v, "fd:", 3) != 0 || v[3] < '3' || v[3] > '9' || v[4] != '\0')
		return -1;
	e->ready = RD_FD;
	e->ready_fd = v[3] - '0';
	return 0;
}

/* A duration that must not be 0. */
static int
conf_nonzero_duration(const char *v, int64_t *ms)
{
	return num_duration(v, ms) < 0 || *ms == 0 ? -1 : 0;
}

/*
 * The value of one option; v is already kept in c->str. Every option has
 * its case and there is no default: an option added to enum conf_opt but
 * not here fails the build (-Wswitch), it never parses as another one.
 */
static int
conf_optval(struct conf_entry *e, enum conf_opt o, const char *v)
{
	static const char *const restarts[] = { "always", "on-failure", "never" };
	unsigned long n;
	int k;

	switch (o) {
	case CONF_O_RESTART:
		if ((k = conf_word(v, restarts, 3)) < 0)
			return -1;
		e->restart = (enum conf_restart)k;
		return 0;
	case CONF_O_DELAY: return conf_nonzero_duration(v, &e->restart_delay_ms);
	case CONF_O_BACKOFF: return conf_nonzero_duration(v, &e->backoff_max_ms);
	case CONF_O_LIMIT: return conf_limit(v, e);
	case CONF_O_STOPSIG: return (e->stop_signal = sig_parse(v)) < 0 ? -1 : 0;
	case CONF_O_STOPTIME: return num_duration(v, &e->stop_timeout_ms);
	case CONF_O_TIMEOUT: return num_duration(v, &e->timeout_ms);
	case CONF_O_USER: e->user = v; return conf_ident(v);
	case CONF_O_GROUP: e->group = v; return conf_ident(v);
	case CONF_O_CWD: e->cwd = v; return v[0] == '/' ? 0 : -1;
	case CONF_O_TTY: e->tty = v; return v[0] == '/' ? 0 : -1;
	case CONF_O_UMASK:
		if (*v == '\0')
			return -1;
		for (n = 0; *v >= '0' && *v <= '7' && n <= 0777; v++)
			n = n * 8 + (unsigned long)(*v - '0');
		if (*v != '\0' || n > 0777)
			return -1;
		e->umask = (int)n;
		return 0;
	case CONF_O_ENV:
		if (e->nenv == CONF_ENV_MAX || v[0] == '=' || !strchr(v, '='))
			return -1;
		e->env[e->nenv++] = v;
		return 0;
	case CONF_O_STDOUT: return conf_out(v, &e->out_kind, &e->out_path);
	case CONF_O_STDERR: return conf_out(v, &e->err_kind, &e->err_path);
	case CONF_O_AFTER: e->after = v; return *v ? 0 : -1;
	case CONF_O_NEEDS: e->needs = v; return *v ? 0 : -1;
	case CONF_O_READY: return conf_ready(v, e);
	case CONF_O_CHECK: return 0;	/* words: conf_check, which has the table */
	case CONF_O_INTERVAL: return conf_nonzero_duration(v, &e->ready_interval_ms);
	case CONF_O_RTIMEOUT: return num_duration(v, &e->ready_timeout_ms);
	case CONF_O_MEMMAX:
		return num_size(v, CONF_SIZE_MAX, &e->memory_max) < 0 || e->memory_max == 0 ? -1 : 0;
	case CONF_O_PIDSMAX:
		return num_ulong(v, CONF_PIDS_MAX, &e->pids_max) < 0 || e->pids_max == 0 ? -1 : 0;
	case CONF_O_CPUWEIGHT:
		if (num_ulong(v, 10000, &n) < 0 || n == 0)
			return -1;
		e->cpu_weight = (int)n;
		return 0;
	case CONF_O_ENVFILE:
		if (e->nenvfile == CONF_ENV_FILES_MAX || *v == '\0')
			return -1;
		e->env_file[e->nenvfile++] = v;
		return 0;
	case CONF_O_FAILACT:
		if ((k = conf_word(v, fa_names, 4)) < 0)
			return -1;
		e->failure_action = (enum conf_fa)k;
		return 0;
	}
	return -1;	/* not an option: cannot come from opt_tab */
}

/* "key=value" with a lower-case key: the length of key, else 0. */
static size_t
conf_is_opt(const char *w)
{
	size_t i;

	for (i = 0; (w[i] >= 'a' && w[i] <= 'z') || (i > 0 && w[i] == '-'); i++)
		;
	return i > 0 && w[i] == '=' ? i : 0;
}

/*
 * ready-check=COMMAND: split into words as an entry's command is (quotes
 * and all), no shell; each word kept in c->str.
 */
static int
conf_check(struct conf *c, struct conf_entry *e, const char *v)
{
	struct word_src src;
	int i;

	word_init(&src, v, strlen(v));
	if (!word_next(&src, &c->wv) || c->wv.err || c->wv.nwords == 0)
		return conf_error(c, e->line, "bad value for ready-check=: '%s'", v);
	if (c->wv.nwords > CONF_CHECK_ARGS_MAX)
		return conf_error(c, e->line, "too many words in ready-check= (limit %d)",
		    CONF_CHECK_ARGS_MAX);
	for (i = 0; i < c->wv.nwords; i++)
		if ((e->check[i] = conf_str(c, c->wv.words[i])) == NULL)
			return conf_error(c, e->line, "too much text (limit %d bytes)",
			    CONF_STR_MAX);
	e->check[i] = NULL;
	e->ready = RD_CHECK;
	return 0;
}

static int
conf_option(struct conf *c, struct conf_entry *e, const char *w)
{
	size_t klen = conf_is_opt(w);
	const char *v;
	int o;

	for (o = 0; o < NOPTS; o++)
		if (strlen(opt_tab[o].name) == klen &&
		    strncmp(w, opt_tab[o].name, klen) == 0)
			break;
	if (o == NOPTS)
		return conf_error(c, e->line, "unknown option '%.*s'", (int)klen, w);
	if (!(opt_tab[o].kinds & KIND(e->kind)))
		return conf_error(c, e->line, "%s= does not apply to %s entries",
		    opt_tab[o].name, kind_names[e->kind]);
	if (o == CONF_O_ENV && e->nenv == CONF_ENV_MAX)
		return conf_error(c, e->line, "too many env= options (limit %d)",
		    CONF_ENV_MAX);
	if (o == CONF_O_ENVFILE && e->nenvfile == CONF_ENV_FILES_MAX)
		return conf_error(c, e->line, "too many env-file= options (limit %d)",
		    CONF_ENV_FILES_MAX);
	if (o != CONF_O_ENV && o != CONF_O_ENVFILE && (e->given & (1u << o)))
		return conf_error(c, e->line, "%s= given twice", opt_tab[o].name);
	e->given |= 1u << o;
	/* env-file=PATH: a relative PATH is in the directory of its file. */
	if (o == CONF_O_ENVFILE && w[klen + 1])
		v = conf_str_rel(c, w + klen + 1);
	else
		v = conf_str(c, w + klen + 1);
	if (v == NULL)
		return conf_error(c, e->line, "too much text (limit %d bytes)",
		    CONF_STR_MAX);
	if (conf_optval(e, (enum conf_opt)o, v) < 0)
		return conf_error(c, e->line, "bad value for %s=: '%s'",
		    opt_tab[o].name, v);
	return o == CONF_O_CHECK ? conf_check(c, e, v) : 0;
}

/* Options that only make sense together. */
static int
conf_ready_ok(struct conf *c, const struct conf_entry *e)
{
	if (CONF_GIVEN(e, CONF_O_CHECK) && CONF_GIVEN(e, CONF_O_READY))
		return conf_error(c, e->line, "ready-check= is a readiness of its own: "
		    "not with ready=");
	if (CONF_GIVEN(e, CONF_O_INTERVAL) && !CONF_GIVEN(e, CONF_O_CHECK))
		return conf_error(c, e->line, "ready-interval= needs ready-check=");
	return 0;
}

static int
conf_name(struct conf *c, struct conf_entry *e, const char *name)
{
	size_t i, len = strlen(name);
	int dup;

	if (len == 0 || len > CONF_NAME_MAX)
		return conf_error(c, e->line, "name '%s' must have 1 to %d characters",
		    name, CONF_NAME_MAX);
	for (i = 0; i < len; i++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		    "0123456789_.-", name[i]))
			return conf_error(c, e->line, "bad character in name '%s'", name);
	if ((dup = conf_find(c, name)) >= 0 && strcmp(c->ent[dup].file, c->file) == 0)
		return conf_error(c, e->line, "duplicate name '%s' (first on line %d)",
		    name, c->ent[dup].line);
	if (dup >= 0)
		return conf_error(c, e->line, "duplicate name '%s' (first at %s:%d)",
		    name, c->ent[dup].file, c->ent[dup].line);
	memcpy(e->name, name, len + 1);
	return 0;
}

static void
conf_defaults(struct conf_entry *e, enum conf_kind kind, const char *file, int line)
{
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->file = file;
	e->line = line;
	e->restart = CR_ALWAYS;
	e->restart_delay_ms = RESTART_DELAY_MS;
	e->backoff_max_ms = BACKOFF_MAX_MS;
	e->stop_signal = SIGTERM;
	e->stop_timeout_ms = STOP_TIMEOUT_MS;
	e->timeout_ms = kind == CK_SYSINIT ? SYSINIT_TIMEOUT_MS :
	    kind == CK_SHUTDOWN ? SHUTDOWN_TIMEOUT_MS : 0;
	e->umask = -1;
	e->ready = RD_EXEC;
	e->ready_interval_ms = READY_INTERVAL_MS;
	e->ready_timeout_ms = READY_TIMEOUT_MS;
}

/* KIND NAME [OPTION=VALUE]... [--] COMMAND [ARG]... */
int
conf_entry(struct conf *c, const struct word_line *wl)
{
	int k = conf_word(wl->words[0], kind_names, 4);
	enum conf_kind kind = (enum conf_kind)k;
	struct conf_entry e;
	int i = 2;

	if (k < 0)
		return conf_error(c, wl->line, "unknown kind '%s' (want sysinit, once, "
		    "service, shutdown, set or include)", wl->words[0]);
	conf_defaults(&e, kind, c->file, wl->line);
	if (wl->nwords < 2)
		return conf_error(c, e.line, "%s entry without a name", kind_names[kind]);
	if (conf_name(c, &e, wl->words[1]) < 0)
		return -1;
	for (; i < wl->nwords && conf_is_opt(wl->words[i]); i++)
		if (conf_option(c, &e, wl->words[i]) < 0)
			return -1;
	if (i < wl->nwords && strcmp(wl->words[i], "--") == 0)
		i++;
	if (i == wl->nwords)
		return conf_error(c, e.line, "%s has no command", e.name);
	if (wl->nwords - i > CONF_ARGS_MAX)
		return conf_error(c, e.line, "too many arguments (limit %d)",
		    CONF_ARGS_MAX);
	if (e.backoff_max_ms < e.restart_delay_ms)
		return conf_error(c, e.line, "backoff-max is below restart-delay");
	if (conf_ready_ok(c, &e) < 0)
		return -1;
	for (; i < wl->nwords; i++)
		if ((e.argv[e.argc++] = conf_str(c, wl->words[i])) == NULL)
			return conf_error(c, e.line, "too much text (limit %d bytes)",
			    CONF_STR_MAX);
	if (c->n == CONF_ENTRIES_MAX)
		return conf_error(c, e.line, "too many entries (limit %d)",
		    CONF_ENTRIES_MAX);
	c->ent[c->n++] = e;
	return 0;
}

/* The index of the entry called name, or -1. */
int
conf_find(const struct conf *c, const char *name)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->ent[i].name, name) == 0)
			return i;
	return -1;
}

const char *
conf_kind_name(enum conf_kind kind)
{
	return kind_names[kind];
}

const char *
conf_fa_name(enum conf_fa fa)
{
	return fa_names[fa];
}
