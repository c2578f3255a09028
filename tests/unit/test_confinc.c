/* Unit tests: include lines, through a fake hook of made-up files. */
#include <errno.h>
#include <fnmatch.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "conf.h"

static struct conf c;

/* The made-up files: a path, its text (NULL: reading it fails with err). */
struct ffile {
	const char	*path;
	const char	*text;
	int		err;
};

static const struct ffile *files;
static int nfiles;
static int list_err;			/* the next list fails with it */
static char asked_dir[256], asked_glob[256];
static int nlists, nreads;

/* The hook's list: the files of dir matching glob, in table order. */
static int
fake_list(void *ctx, const char *dir, const char *glob, const char **names, int max)
{
	size_t dlen = strlen(dir);
	int i, n = 0;

	(void)ctx;
	nlists++;
	snprintf(asked_dir, sizeof(asked_dir), "%s", dir);
	snprintf(asked_glob, sizeof(asked_glob), "%s", glob);
	if (list_err) {
		errno = list_err;
		return -1;
	}
	for (i = 0; i < nfiles; i++) {
		const char *p = files[i].path, *name;

		if (strcmp(dir, ".") == 0 && !strchr(p, '/')) {
			name = p;
		} else if (strcmp(dir, "/") == 0 && p[0] == '/' && !strchr(p + 1, '/')) {
			name = p + 1;
		} else if (strncmp(p, dir, dlen) == 0 && p[dlen] == '/' &&
		    !strchr(p + dlen + 1, '/')) {
			name = p + dlen + 1;
		} else {
			continue;
		}
		if (fnmatch(glob, name, FNM_PERIOD) != 0)
			continue;
		if (n < max)
			names[n] = name;
		n++;
	}
	return n;
}

static ssize_t
fake_read(void *ctx, const char *path, const char **text)
{
	int i;

	(void)ctx;
	nreads++;
	for (i = 0; i < nfiles; i++) {
		if (strcmp(files[i].path, path) != 0)
			continue;
		if (!files[i].text) {
			errno = files[i].err;
			return -1;
		}
		*text = files[i].text;
		return (ssize_t)strlen(files[i].text);
	}
	errno = ENOENT;
	return -1;
}

static const struct conf_hook hook = { fake_list, fake_read, NULL };

static int
parse_with(const char *file, const char *text, const struct ffile *f, int n)
{
	files = f;
	nfiles = n;
	list_err = 0;
	nlists = nreads = 0;
	asked_dir[0] = asked_glob[0] = '\0';
	return conf_parse_hook(&c, file, text, strlen(text), &hook);
}

#define PARSE(file, text, f)	parse_with(file, text, f, (int)(sizeof(f) / sizeof(f[0])))

/* The entries of the matched files come where the include line is, file by file. */
static void
test_order_and_place(void **state)
{
	static const struct ffile f[] = {
		{ "/etc/reaper.d/a.conf", "service a1 /bin/a\nservice a2 /bin/a\n", 0 },
		{ "/etc/reaper.d/b.conf", "\n\nonce b /bin/b\n", 0 },
		{ "/etc/reaper.d/c.txt", "service c /bin/c\n", 0 },
	};

	(void)state;
	assert_int_equal(PARSE("/etc/reaper.conf", "service first /bin/x\n"
	    "include /etc/reaper.d/*.conf\nservice last /bin/y\n", f), 0);
	assert_int_equal(c.n, 5);
	assert_string_equal(c.ent[0].name, "first");
	assert_string_equal(c.ent[1].name, "a1");
	assert_string_equal(c.ent[2].name, "a2");
	assert_string_equal(c.ent[3].name, "b");
	assert_string_equal(c.ent[4].name, "last");
	/* Each entry names its own file and line. */
	assert_string_equal(c.ent[0].file, "/etc/reaper.conf");
	assert_string_equal(c.ent[2].file, "/etc/reaper.d/a.conf");
	assert_int_equal(c.ent[2].line, 2);
	assert_string_equal(c.ent[3].file, "/etc/reaper.d/b.conf");
	assert_int_equal(c.ent[3].line, 3);
	assert_string_equal(c.ent[4].file, "/etc/reaper.conf");
	assert_int_equal(c.ent[4].line, 3);
	assert_string_equal(asked_dir, "/etc/reaper.d");
	assert_string_equal(asked_glob, "*.conf");
	assert_int_equal(nreads, 2);
	assert_int_equal(c.nfiles, 2);
}

/* An error in an included file names that file and its line; the main file's names the main file. */
static void
test_errors_name_the_included_file(void **state)
{
	static const struct ffile f[] = {
		{ "/etc/reaper.d/web.conf", "service web /bin/web\n\nservice bad foo=1 x\n", 0 },
	};

	(void)state;
	assert_int_equal(PARSE("/etc/reaper.conf", "include /etc/reaper.d/*.conf\n"
	    "bogus\n", f), 2);
	assert_string_equal(c.err[0].file, "/etc/reaper.d/web.conf");
	assert_int_equal(c.err[0].line, 3);
	assert_string_equal(c.err[0].msg, "unknown option 'foo'");
	assert_string_equal(c.err[1].file, "/etc/reaper.conf");
	assert_int_equal(c.err[1].line, 2);
	assert_int_equal(c.n, 1);
}

/* Names are unique across files; the error says where the first one was. */
static void
test_duplicate_across_files(void **state)
{
	static const struct ffile f[] = {
		{ "/etc/reaper.d/a.conf", "service db /bin/db\n", 0 },
		{ "/etc/reaper.d/b.conf", "# again\nservice web /bin/other\nservice db /bin/db2\n", 0 },
	};

	(void)state;
	assert_int_equal(PARSE("/etc/reaper.conf", "service web /bin/web\n"
	    "include /etc/reaper.d/*.conf\n", f), 2);
	assert_string_equal(c.err[0].file, "/etc/reaper.d/b.conf");
	assert_int_equal(c.err[0].line, 2);
	assert_string_equal(c.err[0].msg, "duplicate name 'web' (first at /etc/reaper.conf:1)");
	assert_int_equal(c.err[1].line, 3);
	assert_string_equal(c.err[1].msg,
	    "duplicate name 'db' (first at /etc/reaper.d/a.conf:1)");
	assert_int_equal(c.n, 2);
}

/* An include inside an included file is an error there, and reads nothing. */
static void
test_no_nesting(void **state)
{
	static const struct ffile f[] = {
		{ "/etc/reaper.d/a.conf", "service a /bin/a\ninclude /etc/more/*.conf\n", 0 },
		{ "/etc/more/m.conf", "service m /bin/m\n", 0 },
	};

	(void)state;
	assert_int_equal(PARSE("/etc/reaper.conf", "include /etc/reaper.d/*\n", f), 1);
	assert_string_equal(c.err[0].file, "/etc/reaper.d/a.conf");
	assert_int_equal(c.err[0].line, 2);
	assert_non_null(strstr(c.err[0].msg, "include in an included file"));
	assert_int_equal(nlists, 1);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.ent[0].name, "a");
}

static char many_path[40][32], many_text[40][32];
static struct ffile many[40];

/* Files f00..f39: the first `inx` in /d/x, the rest in /d/y. */
static void
many_in(int inx)
{
	int i;

	for (i = 0; i < 40; i++) {
		snprintf(many_path[i], sizeof(many_path[i]), "/d/%c/f%02d.conf",
		    i < inx ? 'x' : 'y', i);
		snprintf(many_text[i], sizeof(many_text[i]), "once e%02d /bin/x\n", i);
		many[i] = (struct ffile){ many_path[i], many_text[i], 0 };
	}
}

/* At most CONF_INCLUDES_MAX files in all: more is an error at the include line. */
static void
test_too_many_files(void **state)
{
	(void)state;
	many_in(40);
	assert_int_equal(parse_with("/main.conf", "include /d/x/*.conf\n", many, 40), 1);
	assert_int_equal(c.err[0].line, 1);
	assert_string_equal(c.err[0].file, "/main.conf");
	assert_non_null(strstr(c.err[0].msg, "too many files (limit 32 in all)"));
	assert_int_equal(c.n, 0);
	assert_int_equal(nreads, 0);
	/* 20 and 20: the first include stands, the second is the error. */
	many_in(20);
	assert_int_equal(parse_with("/main.conf", "include /d/x/*.conf\n\ninclude /d/y/*\n",
	    many, 40), 1);
	assert_int_equal(c.err[0].line, 3);
	assert_int_equal(c.n, 20);
	/* Exactly 32 is fine. */
	assert_int_equal(parse_with("/main.conf", "include /d/x/*.conf\n"
	    "include /d/y/f2[0-9].conf\ninclude /d/y/f3[01].conf\n", many, 40), 0);
	assert_int_equal(c.n, 32);
	assert_int_equal(c.nfiles, 32);
}

/* A relative pattern is in the directory of the file holding the include. */
static void
test_relative_pattern(void **state)
{
	static const struct ffile f[] = {
		{ "/etc/reaper.d/a.conf", "service a env-file=a.env /bin/a\n", 0 },
		{ "here.conf", "service h /bin/h\n", 0 },
		{ "/top.conf", "service t /bin/t\n", 0 },
	};

	(void)state;
	assert_int_equal(PARSE("/etc/reaper.conf", "include reaper.d/*.conf\n", f), 0);
	assert_string_equal(asked_dir, "/etc/reaper.d");
	assert_int_equal(c.n, 1);
	assert_string_equal(c.ent[0].file, "/etc/reaper.d/a.conf");
	/* env-file= in an included file: relative to that file's directory. */
	assert_string_equal(c.ent[0].env_file[0], "/etc/reaper.d/a.env");
	/* A file named without a directory: the pattern is relative as it is. */
	assert_int_equal(PARSE("main.conf", "include here.*\n", f), 0);
	assert_string_equal(asked_dir, ".");
	assert_string_equal(c.ent[0].file, "here.conf");
	/* The root directory. */
	assert_int_equal(PARSE("/etc/reaper.conf", "include /top.conf\n", f), 0);
	assert_string_equal(asked_dir, "/");
	assert_string_equal(asked_glob, "top.conf");
	assert_string_equal(c.ent[0].file, "/top.conf");
	/* A literal name that matches nothing: no error. */
	assert_int_equal(PARSE("/etc/reaper.conf", "include /etc/none/x.conf\n", f), 0);
	assert_int_equal(c.n, 0);
}

/* What cannot be read is an error at the include line, naming what. */
static void
test_unreadable(void **state)
{
	static const struct ffile f[] = {
		{ "/etc/reaper.d/a.conf", "service a /bin/a\n", 0 },
		{ "/etc/reaper.d/x.conf", NULL, EACCES },
		{ "/etc/reaper.d/z.conf", "service z /bin/z\n", 0 },
	};

	(void)state;
	assert_int_equal(PARSE("/etc/reaper.conf", "\ninclude /etc/reaper.d/*.conf\n", f), 1);
	assert_string_equal(c.err[0].file, "/etc/reaper.conf");
	assert_int_equal(c.err[0].line, 2);
	assert_string_equal(c.err[0].msg, "include /etc/reaper.d/x.conf: Permission denied");
	assert_int_equal(c.n, 2);	/* the others stand */
	files = f;
	list_err = EACCES;
	assert_int_equal(conf_parse_hook(&c, "/etc/reaper.conf", "include /etc/reaper.d/*\n",
	    24, &hook), 1);
	assert_string_equal(c.err[0].msg, "include /etc/reaper.d: Permission denied");
}

/* The line itself: one PATTERN, a file name to match, a hook to read with. */
static void
test_bad_include_lines(void **state)
{
	static const struct ffile f[] = { { "/a.conf", "service a /bin/a\n", 0 } };

	(void)state;
	assert_int_equal(PARSE("/r.conf", "include\n", f), 1);
	assert_string_equal(c.err[0].msg, "include wants one PATTERN");
	assert_int_equal(PARSE("/r.conf", "include /a.conf /b.conf\n", f), 1);
	assert_string_equal(c.err[0].msg, "include wants one PATTERN");
	assert_int_equal(PARSE("/r.conf", "include /etc/\n", f), 1);
	assert_non_null(strstr(c.err[0].msg, "no file name to match"));
	assert_int_equal(nlists, 0);
	/* Text parsed without a hook has nothing to read includes with. */
	assert_int_equal(conf_parse(&c, "include /a.conf\nservice x y\n", 28), 1);
	assert_string_equal(c.err[0].msg, "include: no files can be read here");
	assert_int_equal(c.n, 1);
}

/* An included file may hold settings: they count as if written at the include line. */
static void
test_included_settings(void **state)
{
	static const struct ffile f[] = {
		{ "/etc/reaper.d/s.conf", "set grace=7s\nset bogus=1\n", 0 },
	};

	(void)state;
	assert_int_equal(PARSE("/etc/reaper.conf", "set grace=1s\n"
	    "include /etc/reaper.d/s.conf\n", f), 1);
	assert_int_equal(c.grace_ms, 7000);
	assert_string_equal(c.err[0].file, "/etc/reaper.d/s.conf");
	assert_int_equal(c.err[0].line, 2);
	assert_int_equal(PARSE("/etc/reaper.conf", "include /etc/reaper.d/s.conf\n"
	    "set grace=1s\n", f), 1);
	assert_int_equal(c.grace_ms, 1000);	/* a later line wins */
}

/* An included file past CONF_FILE_MAX is an error at the include line, its text unread. */
static char huge[CONF_FILE_MAX + 2];

static void
test_included_file_too_large(void **state)
{
	static struct ffile f[] = { { "/d/big.conf", huge, 0 } };

	(void)state;
	memset(huge, '#', CONF_FILE_MAX + 1);
	huge[0] = 'x';	/* would be an unknown kind, were it read */
	assert_int_equal(PARSE("/r.conf", "include /d/*.conf\n", f), 1);
	assert_string_equal(c.err[0].file, "/r.conf");
	assert_string_equal(c.err[0].msg,
	    "include /d/big.conf: file too large (limit 65536 bytes)");
	huge[CONF_FILE_MAX] = '\0';	/* at the limit: read */
	assert_int_equal(PARSE("/r.conf", "include /d/*.conf\n", f), 1);
	assert_string_equal(c.err[0].file, "/d/big.conf");
	assert_non_null(strstr(c.err[0].msg, "line too long"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_place),
		cmocka_unit_test(test_errors_name_the_included_file),
		cmocka_unit_test(test_duplicate_across_files),
		cmocka_unit_test(test_no_nesting),
		cmocka_unit_test(test_too_many_files),
		cmocka_unit_test(test_relative_pattern),
		cmocka_unit_test(test_unreadable),
		cmocka_unit_test(test_bad_include_lines),
		cmocka_unit_test(test_included_settings),
		cmocka_unit_test(test_included_file_too_large),
	};

	return cmocka_run_group_tests_name("confinc", tests, NULL, NULL);
}
