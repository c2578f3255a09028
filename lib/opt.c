/* Options: stop at the first non-option word (no permutation), accept "--". */
#include <string.h>

#include "fmt.h"
#include "log.h"
#include "num.h"
#include "opt.h"
#include "sig.h"

struct opt_ctx {
	struct opts	*o;
	char		*err;
	size_t		errlen;
};

static int
opt_fail(struct opt_ctx *c, const char *fmt, const char *what)
{
	(void)fmt_print(c->err, c->errlen, fmt, what);
	return -1;
}

/* The value of NAME in envp, or NULL. */
static const char *
opt_env(char *const *envp, const char *name)
{
	size_t len = strlen(name);

	for (; envp && *envp; envp++)
		if (strncmp(*envp, name, len) == 0 && (*envp)[len] == '=')
			return *envp + len + 1;
	return NULL;
}

/* tini's variables first, so reaper's own win where both are set. */
static int
opt_environ(struct opt_ctx *c, char *const *envp)
{
	static const char *const pfx[] = { "TINI_", "REAPER_" };
	char name[32];
	unsigned long n;
	size_t i;

	for (i = 0; i < 2; i++) {
		const char *v;

		(void)fmt_print(name, sizeof(name), "%sSUBREAPER", pfx[i]);
		if (opt_env(envp, name))
			c->o->subreaper = true;
		(void)fmt_print(name, sizeof(name), "%sKILL_PROCESS_GROUP", pfx[i]);
		if (opt_env(envp, name))
			c->o->group = true;
		(void)fmt_print(name, sizeof(name), "%sVERBOSITY", pfx[i]);
		if ((v = opt_env(envp, name)) == NULL)
			continue;
		if (num_ulong(v, 9, &n) < 0) {
			(void)fmt_print(c->err, c->errlen,
			    "%s must be a number from 0 to 9, not '%s'", name, v);
			return -1;
		}
		/* tini counts from 1 (its default: fatal errors only). */
		c->o->verbosity = i == 0 ? (int)n - 1 : (int)n;
	}
	return 0;
}

/* "FROM:TO" into two words; the colon is required. */
static int
opt_pair(const char *v, char *a, char *b, size_t len)
{
	const char *colon = strchr(v, ':');
	size_t blen;

	if (!colon || (size_t)(colon - v) >= len || (blen = strlen(colon + 1)) >= len)
		return -1;
	memcpy(a, v, (size_t)(colon - v));
	a[colon - v] = '\0';
	memcpy(b, colon + 1, blen + 1);
	return 0;
}

static int
opt_rewrite(struct opt_ctx *c, const char *v)
{
	char from[32], to[32];
	int f, t;

	if (opt_pair(v, from, to, sizeof(from)) < 0)
		return opt_fail(c, "-r wants FROM:TO, not '%s'", v);
	f = sig_parse(from);
	if (f < 0 || !sig_forwardable(f))
		return opt_fail(c, "-r: '%s' is not a signal reaper forwards", from);
	t = strcmp(to, "0") == 0 ? 0 : sig_parse(to);
	if (t < 0)
		return opt_fail(c, "-r: unknown signal '%s'", to);
	c->o->rewrite[f] = t;
	return 0;
}

static int
opt_delay(struct opt_ctx *c, const char *v)
{
	char sig[32], dur[32];
	int s;

	if (opt_pair(v, sig, dur, sizeof(sig)) < 0)
		return opt_fail(c, "-D wants SIG:DURATION, not '%s'", v);
	s = sig_parse(sig);
	if (s < 0 || !sig_forwardable(s))
		return opt_fail(c, "-D: '%s' is not a signal reaper forwards", sig);
	if (num_duration(dur, &c->o->delay_ms[s]) < 0)
		return opt_fail(c, "-D: bad duration '%s'", dur);
	return 0;
}

/* One option that takes a value. */
static int
opt_value(struct opt_ctx *c, char flag, const char *v)
{
	unsigned long n;
	int s;

	switch (flag) {
	case 'p':
		if ((s = sig_parse(v)) < 0)
			return opt_fail(c, "-p: unknown signal '%s'", v);
		c->o->pdeathsig = s;
		return 0;
	case 'e':
		if (num_ulong(v, 255, &n) < 0)
			return opt_fail(c, "-e wants an exit code 0-255, not '%s'", v);
		c->o->expect[n / 64] |= (uint64_t)1 << (n % 64);
		return 0;
	case 'r':
		return opt_rewrite(c, v);
	case 'D':
		return opt_delay(c, v);
	case 't':
		if (num_duration(v, &c->o->grace_ms) < 0)
			return opt_fail(c, "-t: bad duration '%s'", v);
		return 0;
	default:	/* 'f' */
		c->o->conf = v;
		return 0;
	}
}

/*
 * One option without a value; 1 when it ends parsing (help, version). A
 * chain of ifs: a switch on letters from 'V' to 'w' was a jump table of 136 bytes.
 */
static int
opt_flag(struct opt_ctx *c, char flag)
{
	char word[3] = { '-', flag, '\0' };

	if (flag == 's')
		c->o->subreaper = true;
	else if (flag == 'g')
		c->o->group = true;
	else if (flag == 'a')
		c->o->all = true;
	else if (flag == 'P')
		c->o->pause = true;
	else if (flag == 'n')
		c->o->check = true;
	else if (flag == 'w')
		c->o->warn_orphans = true;
	else if (flag == 'v')
		c->o->verbosity++;
	else if (flag == 'h')
		return OPT_HELP;
	else if (flag == 'V')
		return OPT_VERSION;
	else
		return opt_fail(c, "unknown option %s", word);
	return 0;
}

/* One word of clustered options ("-vw", "-t3s", "-t" "3s"); *i moves on. */
static int
opt_word(struct opt_ctx *c, int argc, char **argv, int *i)
{
	const char *w = argv[*i];
	int r;

	for (w++; *w; w++) {
		if (!strchr("pertDf", *w)) {
			if ((r = opt_flag(c, *w)) != 0)
				return r;
			continue;
		}
		if (w[1] != '\0')
			return opt_value(c, *w, w + 1);
		if (*i + 1 >= argc) {
			char word[3] = { '-', *w, '\0' };

			return opt_fail(c, "option %s needs a value", word);
		}
		return opt_value(c, *w, argv[++*i]);
	}
	return 0;
}

static void
opt_defaults(struct opts *o)
{
	int s;

	memset(o, 0, sizeof(*o));
	o->verbosity = LV_WARN;
	o->grace_ms = GRACE_DEFAULT_MS;
	for (s = 0; s <= SIG_COUNT; s++)
		o->rewrite[s] = -1;
}

/* Parse argv and envp into o; on OPT_USAGE, err says why in one line. */
int
opt_parse(struct opts *o, int argc, char **argv, char *const *envp,
    char *err, size_t errlen)
{
	struct opt_ctx c = { o, err, errlen };
	int i;

	opt_defaults(o);
	err[0] = '\0';
	if (opt_environ(&c, envp) < 0)
		return OPT_USAGE;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r;

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (strcmp(a, "--help") == 0)
			return OPT_HELP;
		if (strcmp(a, "--version") == 0)
			return OPT_VERSION;
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (a[1] == '-')
			return opt_fail(&c, "unknown option %s", a), OPT_USAGE;
		if ((r = opt_word(&c, argc, argv, &i)) != 0)
			return r < 0 ? OPT_USAGE : r;
	}
	o->cmd = i < argc ? &argv[i] : NULL;
	if (o->pause && o->cmd)
		return opt_fail(&c, "-P runs no command, but '%s' was given",
		    o->cmd[0]), OPT_USAGE;
	if (o->check && !o->conf)
		return opt_fail(&c, "-n needs -f %s", "FILE"), OPT_USAGE;
	return OPT_RUN;
}

/* The status reaper exits with for the child's code (-e maps codes to 0). */
int
opt_status(const struct opts *o, int code)
{
	code &= 255;
	return (o->expect[code / 64] >> (code % 64)) & 1 ? 0 : code;
}
