/*
 * What both parts of the config parser use (conf.c for entries, confset.c
 * for set lines): an error with its place, a string kept in the table, a
 * word out of a list, a user or group name. It calls neither part.
 */
#include <stdarg.h>
#include <string.h>

#include "confval.h"
#include "fmt.h"

int
conf_error(struct conf *c, int line, const char *fmt, ...)
{
	if (c->nerr < CONF_ERRORS_MAX) {
		va_list ap;

		c->err[c->nerr].file = c->file;
		c->err[c->nerr].line = line;
		va_start(ap, fmt);
		(void)fmt_vprint(c->err[c->nerr].msg, CONF_ERRMSG_MAX, fmt, ap);
		va_end(ap);
	}
	c->nerr++;
	return -1;
}

/* Keep a copy of s for as long as c lives; NULL when there is no room. */
const char *
conf_str(struct conf *c, const char *s)
{
	size_t len = strlen(s) + 1;
	char *p;

	if (len > sizeof(c->str) - c->used)
		return NULL;
	p = c->str + c->used;
	memcpy(p, s, len);
	c->used += len;
	return p;
}

/*
 * Keep path, a relative one put in the directory of the file being parsed
 * (as it is named: relative to reaper's own directory when that is).
 */
const char *
conf_str_rel(struct conf *c, const char *path)
{
	const char *slash = strrchr(c->file, '/');
	size_t dlen, plen = strlen(path) + 1;
	char *p;

	if (path[0] == '/' || !slash)
		return conf_str(c, path);
	dlen = (size_t)(slash - c->file) + 1;	/* "dir/" */
	if (dlen + plen > sizeof(c->str) - c->used)
		return NULL;
	p = c->str + c->used;
	memcpy(p, c->file, dlen);
	memcpy(p + dlen, path, plen);
	c->used += dlen + plen;
	return p;
}

int
conf_word(const char *v, const char *const *words, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(v, words[i]) == 0)
			return i;
	return -1;
}

/* A user or group: a name or a number, as /etc/passwd and /etc/group have them. */
int
conf_ident(const char *v)
{
	size_t i, len = strlen(v);

	if (len == 0 || len > CONF_IDENT_MAX)
		return -1;
	for (i = 0; i < len; i++)
		if (v[i] == ':' || v[i] == '/' || v[i] == ',')
			return -1;
	return 0;
}
