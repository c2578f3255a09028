/*
 * env-file=: the lines of Docker's --env-file. KEY=VALUE is taken as it
 * is (no quotes removed, no expansion, blanks kept); a bare KEY passes
 * the value reaper has, if any; blank lines and '#' comments are skipped.
 * The parser is pure; the reading is for a service's child, before exec.
 */
#include <errno.h>
#include <string.h>

#include "envfile.h"
#include "file.h"
#include "fmt.h"
#include "word.h"

#define ENVFILE_STR_(x)	#x
#define ENVFILE_STR(x)	ENVFILE_STR_(x)

/* KEY=VALUE of env whose KEY is key (klen bytes), or NULL. */
static const char *
envfile_lookup(char *const *env, const char *key, size_t klen)
{
	for (; env && *env; env++)
		if (strncmp(*env, key, klen) == 0 && (*env)[klen] == '=')
			return *env;
	return NULL;
}

/* One line (NUL-ended, its end of line gone): 0 with a variable or none, or -1 and why. */
static int
envfile_line(char *s, char *const *env, const char **var, const char **why)
{
	const char *eq;
	size_t klen;

	*var = NULL;
	s += word_span(s, " \t\v\f\r", true);	/* Docker trims the start only */
	if (*s == '\0' || *s == '#')
		return 0;
	eq = strchr(s, '=');
	klen = eq ? (size_t)(eq - s) : strlen(s);
	if (klen == 0)
		return *why = "no variable name", -1;
	if (word_span(s, " \t\v\f\r", false) < klen)
		return *why = "blank in variable name", -1;
	*var = eq ? s : envfile_lookup(env, s, klen);
	return 0;
}

/*
 * The variables of one env file: text (len bytes, with a NUL after them)
 * is cut into lines in place. Each variable goes to vars[*n], at most max
 * in all (the limit named in the error is CONF_ENVFILE_VARS, the one
 * every start uses): a "KEY=VALUE" line itself, or for a bare KEY the string of env
 * that sets it (none when env has none). 0, or -1 with the *line and why.
 */
int
envfile_parse(char *text, size_t len, char *const *env, const char **vars, int *n,
    int max, int *line, const char **why)
{
	char *s = text, *end = text + len;

	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		s += 3;		/* a UTF-8 byte order mark, as Docker skips it */
	for (*line = 1; s < end; ++*line) {
		char *nl = memchr(s, '\n', (size_t)(end - s));
		char *eol = nl ? nl : end;
		const char *var;

		if (memchr(s, '\0', (size_t)(eol - s)))
			return *why = "NUL byte", -1;
		*eol = '\0';
		if (eol > s && eol[-1] == '\r')	/* CRLF reads as LF */
			eol[-1] = '\0';
		if (envfile_line(s, env, &var, why) < 0)
			return -1;
		if (var && *n == max)
			return *why = "too many variables (limit "
			    ENVFILE_STR(CONF_ENVFILE_VARS) " in all)", -1;
		if (var)
			vars[(*n)++] = var;
		s = eol + 1;
	}
	return 0;
}

/*
 * The variables of e's env files, in order, read now: in a service's
 * child, so PID 1 keeps none of it. Their number (at most
 * CONF_ENVFILE_VARS), or -1 with msg saying what failed, and errno set
 * (0 when the file was read but is not right).
 */
int
envfile_read(const struct conf_entry *e, char *const *env, const char **vars,
    char *msg, size_t msglen)
{
	/* Room for one byte past the limit, so an over-long file is seen. */
	static char buf[CONF_ENV_FILES_MAX][CONF_ENVFILE_BYTES + 2];
	const char *why;
	int i, n = 0, line;

	for (i = 0; i < e->nenvfile; i++) {
		const char *path = e->env_file[i];
		ssize_t len;

		if ((len = file_read(path, buf[i], sizeof(buf[i]))) < 0) {
			int err = errno;

			(void)fmt_print(msg, msglen, "env-file %s%s", path,
			    err == EINVAL ? ": not a regular file" : "");
			errno = err == EINVAL ? 0 : err;
			return -1;
		}
		if (len > CONF_ENVFILE_BYTES) {
			(void)fmt_print(msg, msglen, "env-file %s: larger than %d bytes", path,
			    CONF_ENVFILE_BYTES);
			errno = 0;
			return -1;
		}
		if (envfile_parse(buf[i], (size_t)len, env, vars, &n, CONF_ENVFILE_VARS,
		    &line, &why) < 0) {
			(void)fmt_print(msg, msglen, "env-file %s:%d: %s", path, line, why);
			errno = 0;
			return -1;
		}
	}
	return n;
}
