/*
 * The config's files: the lines of the one given, and of the files its
 * include lines name, read through the caller's hook as if written at
 * the include line. No I/O of its own; includes do not nest.
 */
#include <errno.h>
#include <string.h>

#include "conf.h"
#include "confset.h"
#include "confval.h"
#include "word.h"

/* A path an include line makes: its pattern, or a directory and a name. */
#define CONF_PATH_MAX	(CONF_LINE_MAX + CONF_INC_NAME_MAX + 2)

static void conf_lines(struct conf *c, struct word_src *src);

/* dir (dlen bytes), '/' and name into buf: 0, or -1 when it does not fit. */
int
conf_join(char *buf, size_t len, const char *dir, size_t dlen, const char *name)
{
	size_t nlen = strlen(name);

	if (dlen + 1 + nlen + 1 > len)
		return -1;
	memcpy(buf, dir, dlen);
	buf[dlen] = '/';
	memcpy(buf + dlen + 1, name, nlen + 1);
	return 0;
}

/* An included file's lines, with its own name and line numbers. */
static void
conf_inner(struct conf *c, const char *file, const char *text, size_t len)
{
	const char *outer = c->file;
	struct word_src src;

	c->file = file;
	c->inside = true;
	word_init(&src, text, len);
	conf_lines(c, &src);
	c->file = outer;
	c->inside = false;
}

/* One file an include matched, dir/name (or name alone where dir is NULL). */
static void
conf_include_one(struct conf *c, int line, const char *dir, const char *name)
{
	char path[CONF_PATH_MAX];
	const char *text, *file;
	ssize_t len;

	if (!dir && strlen(name) < sizeof(path)) {
		memcpy(path, name, strlen(name) + 1);
	} else if (!dir || conf_join(path, sizeof(path), dir,
	    strcmp(dir, "/") == 0 ? 0 : strlen(dir), name) < 0) {
		(void)conf_error(c, line, "include: path too long");
		return;
	}
	c->nfiles++;
	if ((len = c->hook->read(c->hook->ctx, path, &text)) < 0) {
		(void)conf_error(c, line, "include %s: %s", path,
		    errno == EINVAL ? "not a regular file" : strerror(errno));
		return;
	}
	if (len > CONF_FILE_MAX) {
		(void)conf_error(c, line, "include %s: file too large (limit %d bytes)",
		    path, CONF_FILE_MAX);
		return;
	}
	if ((file = conf_str(c, path)) == NULL) {
		(void)conf_error(c, line, "too much text (limit %d bytes)", CONF_STR_MAX);
		return;
	}
	conf_inner(c, file, text, (size_t)len);
}

/*
 * include PATTERN: the files of one directory whose names match the last
 * component, in byte order of the names; a relative PATTERN is in the
 * directory of the file that holds the line.
 */
static int
conf_include(struct conf *c, const struct word_line *wl)
{
	char pat[CONF_PATH_MAX];
	const char *names[CONF_INCLUDES_MAX + 1];
	const char *dir = NULL, *glob = pat, *slash = strrchr(c->file, '/'), *w;
	int line = wl->line, room = CONF_INCLUDES_MAX - c->nfiles, n, i;
	char *last;

	if (wl->nwords != 2)
		return conf_error(c, line, "include wants one PATTERN");
	if (c->inside)
		return conf_error(c, line, "include in an included file (includes do not nest)");
	if (!c->hook)
		return conf_error(c, line, "include: no files can be read here");
	w = wl->words[1];
	if (w[0] != '/' && slash) {
		if (conf_join(pat, sizeof(pat), c->file, (size_t)(slash - c->file), w) < 0)
			return conf_error(c, line, "include: path too long");
	} else if (strlen(w) < sizeof(pat)) {
		memcpy(pat, w, strlen(w) + 1);
	} else {
		return conf_error(c, line, "include: path too long");
	}
	/* wl is the parser's line: the included files' lines overwrite it. */
	if ((last = strrchr(pat, '/')) != NULL) {
		*last = '\0';
		dir = pat[0] ? pat : "/";
		glob = last + 1;
	}
	if (*glob == '\0')
		return conf_error(c, line, "include %s/: no file name to match", pat);
	if ((n = c->hook->list(c->hook->ctx, dir ? dir : ".", glob, names, room)) < 0)
		return conf_error(c, line, "include %s: %s", dir ? dir : ".", strerror(errno));
	if (n > room)
		return conf_error(c, line, "include %s/%s: too many files (limit %d in all)",
		    dir ? dir : ".", glob, CONF_INCLUDES_MAX);
	for (i = 0; i < n; i++)
		conf_include_one(c, line, dir, names[i]);
	return 0;
}

/* Every line of src: settings, entries, includes. */
static void
conf_lines(struct conf *c, struct word_src *src)
{
	struct word_line *wl = &c->wl;	/* large: in c, off PID 1's stack */

	while (word_next(src, wl)) {
		if (wl->err)
			(void)conf_error(c, wl->line, "%s", wl->err);
		else if (strcmp(wl->words[0], "set") == 0)
			(void)conf_set(c, wl);
		else if (strcmp(wl->words[0], "include") == 0)
			(void)conf_include(c, wl);
		else
			(void)conf_entry(c, wl);
	}
}

/*
 * Parse text, the contents of file, into c; its include lines read their
 * files through hook (NULL: an include is an error). Returns the number
 * of errors (c->err holds the first CONF_ERRORS_MAX of them, each with its
 * file and line); the entries without error are in c->ent.
 */
int
conf_parse_hook(struct conf *c, const char *file, const char *text, size_t len,
    const struct conf_hook *hook)
{
	struct word_src src;
	int i;

	conf_set_init(c);
	c->hook = hook;
	c->nfiles = 0;
	c->inside = false;
	if (file && (c->file = conf_str(c, file)) == NULL) {
		c->file = "";
		return conf_error(c, 1, "file name too long (limit %d bytes)",
		    CONF_STR_MAX - 1), c->nerr;
	}
	if (len > CONF_FILE_MAX)
		return conf_error(c, 1, "file too large (limit %d bytes)",
		    CONF_FILE_MAX), c->nerr;
	word_init(&src, text, len);
	conf_lines(c, &src);
	/* set log= is the default for every entry that did not choose. */
	for (i = 0; i < c->n; i++) {
		if (!(c->ent[i].given & (1u << CONF_O_STDOUT)))
			c->ent[i].out_kind = c->log;
		if (!(c->ent[i].given & (1u << CONF_O_STDERR)))
			c->ent[i].err_kind = c->log;
	}
	conf_deps(c);
	return c->nerr;
}

/* The text of file, with no include read (an include line is an error). */
int
conf_parse_file(struct conf *c, const char *file, const char *text, size_t len)
{
	return conf_parse_hook(c, file, text, len, NULL);
}

/* Text that comes from no file (an emergency config, a test). */
int
conf_parse(struct conf *c, const char *text, size_t len)
{
	return conf_parse_file(c, NULL, text, len);
}
