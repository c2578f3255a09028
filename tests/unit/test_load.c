/* Unit tests: reading a config file when open fails, when others may write it, errors quoting bytes, included directories. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_sys.h"
#include "file.h"
#include "load.h"
#include "reload.h"
#include "log.h"
#include "run.h"

static struct conf c;


static void
load(const char *text)
{
	assert_int_equal(conf_parse(&c, text, strlen(text)), 0);
}

/* A reload that cannot read the file changes nothing: web keeps its pid. */
static void
reload_fails(int err, const char *text)
{
	static struct conf spare;
	struct run r;

	fake_reset();
	load("service web /bin/web\n");
	run_init(&r, &c, 1, true, NULL, NULL);
	r.phase = RUN_UP;
	r.svc[0].state = SV_RUNNING;
	r.svc[0].pid = 10;
	fake_fail("open", err);
	assert_int_equal(reload_conf(&r, "/etc/reaper.conf", &spare, 0), -1);
	assert_ptr_equal(r.conf, &c);
	assert_int_equal(r.svc[0].pid, 10);
	assert_int_equal(r.svc[0].state, SV_RUNNING);
	assert_true(fake_logged("error: reload: unable to read /etc/reaper.conf; "
	    "nothing changed: "));
	assert_true(fake_logged(text));
}

static void
test_open_emfile_enfile_reload(void **state)
{
	(void)state;
	reload_fails(EMFILE, "Too many open files\n");
	reload_fails(ENFILE, "Too many open files in system\n");
}

/* A config others than root may change is a way to root: warned, still used. */
static void
owned(uid_t uid, gid_t gid, unsigned mode, const char *text)
{
	static struct conf k;
	char path[] = "/tmp/reaper-fault.XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, "service web /bin/web\n", 21), 21);
	(void)close(fd);
	fake_reset();
	fake_owner(uid, gid, mode);
	assert_int_equal(load_conf(path, &k), 0);
	assert_int_equal(k.n, 1);
	(void)unlink(path);
	if (!text) {
		assert_false(fake_logged("warning"));
		return;
	}
	assert_true(fake_logged("reaper: warning: config /tmp/reaper-fault."));
	assert_true(fake_logged(text));
}

static void
test_config_owner(void **state)
{
	(void)state;
	owned(0, 0, 0100644, NULL);
	owned(0, 0, 0100664, NULL);		/* root's group: root's own */
	owned(geteuid(), 0, 0100600, NULL);	/* reaper's own user */
	owned(0, 0, 0100666, " is writable by everyone (mode 0666)\n");
	owned(0, 50, 0100664, " is writable by group 50 (mode 0664)\n");
	owned(geteuid() + 1, 0, 0100644, " is owned by uid ");
}

/* An error quoting the file's bytes sends no escape sequence to the console. */
static void
test_report_hides_controls(void **state)
{
	static const char text[] = "\x1b]0;pwned\x07 x\n";
	static struct conf k;

	(void)state;
	assert_int_equal(conf_parse(&k, text, sizeof(text) - 1), 1);
	load_report("/etc/reaper.conf", &k);
	assert_true(fake_logged("/etc/reaper.conf:1: unknown kind '?]0;pwned?'"));
	assert_null(strchr(fake_log_buf, 0x1b));
	assert_null(strchr(fake_log_buf, 0x07));
}

/* The file reader: the whole file, NUL-ended; a file longer than the buffer is cut at it. */
static void
test_file_read(void **state)
{
	char path[] = "/tmp/reaper-file.XXXXXX", buf[8];
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "hello\n", 6), 6);
	(void)close(fd);
	assert_int_equal(file_read(path, buf, sizeof(buf)), 6);
	assert_string_equal(buf, "hello\n");
	assert_int_equal(file_read(path, buf, 4), 3);
	assert_string_equal(buf, "hel");
	(void)unlink(path);
	errno = 0;
	assert_int_equal(file_read(path, buf, sizeof(buf)), -1);
	assert_int_equal(errno, ENOENT);
}

/* A file's errors are reported with the file they came from. */
static void
test_report_names_the_file(void **state)
{
	static const char text[] = "service web frob=1 /bin/web\n";
	static struct conf k;

	(void)state;
	assert_int_equal(conf_parse_file(&k, "/etc/reaper.d/x.conf", text, sizeof(text) - 1), 1);
	load_report("/etc/reaper.conf", &k);
	assert_true(fake_logged("error: /etc/reaper.d/x.conf:1: unknown option 'frob'"));
}

/* A file of text in dir. */
static void
put(const char *dir, const char *name, const char *text)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	(void)close(fd);
}

/*
 * load_conf's include hook on a real directory: matches in byte order of
 * their names, hidden ones only for a pattern that starts with '.',
 * regular files only (a directory that matches is skipped), a missing
 * directory is no match, one that cannot be listed is an error.
 */
static void
test_include_directory(void **state)
{
	static struct conf k;
	char dir[] = "/tmp/reaper-inc.XXXXXX", main_conf[300], sub[300], cmd[400];
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/d", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	put(sub, "b.conf", "service b /bin/b\n");
	put(sub, "a.conf", "service a /bin/a\n");
	put(sub, "B.conf", "service B /bin/B\n");	/* 'B' < 'a' in bytes */
	put(sub, ".h.conf", "service h /bin/h\n");
	put(sub, "c.txt", "service c /bin/c\n");
	snprintf(cmd, sizeof(cmd), "%s/d/z.conf", dir);
	assert_int_equal(mkdir(cmd, 0755), 0);	/* matches, not a file */
	snprintf(main_conf, sizeof(main_conf), "%s/reaper.conf", dir);
	put(dir, "reaper.conf", "include d/*.conf\ninclude /nonexistent/*.conf\n");
	assert_int_equal(load_conf(main_conf, &k), 0);
	assert_int_equal(k.n, 3);
	assert_string_equal(k.ent[0].name, "B");
	assert_string_equal(k.ent[1].name, "a");
	assert_string_equal(k.ent[2].name, "b");
	snprintf(cmd, sizeof(cmd), "%s/d/a.conf", dir);
	assert_string_equal(k.ent[1].file, cmd);
	put(dir, "reaper.conf", "include d/.*.conf\n");
	assert_int_equal(load_conf(main_conf, &k), 0);
	assert_int_equal(k.n, 1);
	assert_string_equal(k.ent[0].name, "h");
	/* Listing the directory fails: an error at the include line. */
	put(dir, "reaper.conf", "\ninclude d/*.conf\n");
	fake_fail("dir_open", EACCES);
	assert_int_equal(load_conf(main_conf, &k), 1);
	assert_int_equal(k.err[0].line, 2);
	snprintf(cmd, sizeof(cmd), "include %s/d: Permission denied", dir);
	assert_string_equal(k.err[0].msg, cmd);
	/* More than CONF_INCLUDES_MAX matches. */
	for (i = 0; i < CONF_INCLUDES_MAX; i++) {
		char name[32];

		snprintf(name, sizeof(name), "m%02d.conf", i);
		put(sub, name, "\n");
	}
	put(dir, "reaper.conf", "include d/*.conf\n");
	assert_int_equal(load_conf(main_conf, &k), 1);
	assert_non_null(strstr(k.err[0].msg, "too many files (limit 32 in all)"));
	put(dir, "reaper.conf", "include d/m*.conf\n");
	assert_int_equal(load_conf(main_conf, &k), 0);
	assert_int_equal(k.nfiles, CONF_INCLUDES_MAX);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/*
 * A FIFO (or a folder) where a file was: an error, not a PID 1 blocked in
 * the open or the read. The FIFO has a writer, with bytes in it, that stays:
 * a read would wait for more. alarm: a blocked test fails rather than hangs.
 */
static void
test_file_read_not_regular(void **state)
{
	static struct conf k, spare;
	char dir[] = "/tmp/reaper-fifo.XXXXXX", fifo[64], conf[64], sub[64], text[200], buf[64];
	struct run r;
	int w;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(fifo, sizeof(fifo), "%s/fifo.conf", dir);
	assert_int_equal(mkfifo(fifo, 0644), 0);
	(void)alarm(5);
	errno = 0;
	assert_int_equal(file_read(fifo, buf, sizeof(buf)), -1);	/* no writer */
	assert_int_equal(errno, EINVAL);
	w = open(fifo, O_RDWR | O_NONBLOCK);
	assert_true(w >= 0);
	assert_int_equal(write(w, "service x /bin/x\n", 17), 17);
	errno = 0;
	assert_int_equal(file_read(fifo, buf, sizeof(buf)), -1);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(file_strerror(errno), "not a regular file");
	assert_string_equal(file_strerror(ENOENT), strerror(ENOENT));
	errno = 0;
	assert_int_equal(file_read(dir, buf, sizeof(buf)), -1);
	assert_int_equal(errno, EINVAL);
	/* The config itself: a reload says which file and why, and changes nothing. */
	load("service web /bin/web\n");
	run_init(&r, &c, 1, true, NULL, NULL);
	r.phase = RUN_UP;
	assert_int_equal(reload_conf(&r, fifo, &spare, 0), -1);
	assert_ptr_equal(r.conf, &c);
	snprintf(text, sizeof(text), "error: reload: unable to read %s; nothing changed: "
	    "not a regular file\n", fifo);
	assert_true(fake_logged(text));
	/* An included one, listed as a regular file and swapped since. */
	snprintf(conf, sizeof(conf), "%s/reaper.conf", dir);
	snprintf(sub, sizeof(sub), "%s/d", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	put(sub, "a.conf", "service a /bin/a\n");
	snprintf(text, sizeof(text), "%s/b.conf", sub);
	assert_int_equal(mkfifo(text, 0644), 0);
	put(dir, "reaper.conf", "include d/*.conf\n");
	fake_owner(0, 0, 0100644);		/* what the listing's stat saw */
	assert_int_equal(load_conf(conf, &k), 1);
	assert_int_equal(k.n, 1);
	snprintf(text, sizeof(text), "include %s/b.conf: not a regular file", sub);
	assert_string_equal(k.err[0].msg, text);
	(void)alarm(0);
	(void)close(w);
	snprintf(text, sizeof(text), "rm -rf '%s'", dir);
	assert_int_equal(system(text), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_open_emfile_enfile_reload, fake_setup),
		cmocka_unit_test_setup(test_config_owner, fake_setup),
		cmocka_unit_test_setup(test_report_hides_controls, fake_setup),
		cmocka_unit_test_setup(test_file_read, fake_setup),
		cmocka_unit_test_setup(test_report_names_the_file, fake_setup),
		cmocka_unit_test_setup(test_file_read_not_regular, fake_setup),
		cmocka_unit_test_setup(test_include_directory, fake_setup),
	};

	return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
