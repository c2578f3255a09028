/* Unit tests: services' output prefixed with their names on reaper's stdout and stderr. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "conf.h"
#include "fake_loop.h"
#include "fake_sys.h"
#include "klog.h"
#include "log.h"
#include "loop.h"

static struct loop l;
static struct loop_src tab[LOOP_SRC_MAX];
static struct klogs ks;
static struct klog pipes[KLOG_PIPES_MAX];
static struct conf c, c2;
static int outp[2] = { -1, -1 }, errp[2] = { -1, -1 };	/* stand-ins for fds 1 and 2 */
static char got[1 << 16];

/* Two prefixed entries, and a longer name that writes to kmsg: it does not count. */
static const char text[] =
    "service db stdout=prefix stderr=prefix x\n"
    "service web-frontend stdout=prefix y\n"
    "service a-much-longer-name-here stdout=kmsg z\n";

static void
parse(struct conf *cf, const char *t)
{
	assert_int_equal(conf_parse(cf, t, strlen(t)), 0);
}

static int
setup(void **state)
{
	(void)fake_setup(state);
	(void)unsetenv("NO_COLOR");
	assert_int_equal(pipe(outp), 0);
	assert_int_equal(pipe(errp), 0);
	assert_int_equal(fcntl(outp[0], F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(fcntl(errp[0], F_SETFL, O_NONBLOCK), 0);
	loop_init(&l, tab, LOOP_SRC_MAX);
	klog_init(&ks, &l, pipes);
	ks.out[0].fd = outp[1];
	ks.out[1].fd = errp[1];
	parse(&c, text);
	klog_conf(&ks, &c);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	(void)close(outp[0]);
	(void)close(outp[1]);
	(void)close(errp[0]);
	(void)close(errp[1]);
	return 0;
}

/* What reaper wrote to the stand-in of fd: all of it so far. */
static const char *
written(int fd)
{
	ssize_t n = read(fd, got, sizeof(got) - 1);

	got[n < 0 ? 0 : n] = '\0';
	return got;
}

static void
put(int fd, const char *s)
{
	assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

/* Names padded to the longest prefixed entry's; stdout to fd 1, stderr to fd 2. */
static void
test_padded(void **state)
{
	int db = klog_prefix(&ks, "db", 1), dberr = klog_prefix(&ks, "db", 2);
	int web = klog_prefix(&ks, "web-frontend", 1);

	(void)state;
	assert_true(db >= 0 && dberr >= 0 && web >= 0);
	put(db, "hello\n\n");
	put(web, "hi there\n");
	put(dberr, "oops\n");
	(void)close(db);
	(void)close(web);
	(void)close(dberr);
	fake_drain(&l);
	/* Each pipe's lines in order, the pipes in either order. */
	assert_non_null(strstr(written(outp[0]), "db           | hello\ndb           | \n"));
	assert_non_null(strstr(got, "web-frontend | hi there\n"));
	assert_int_equal(strlen(got), 21 + 16 + 24);
	assert_null(strchr(got, '\033'));	/* no terminal: no escape bytes */
	assert_string_equal(written(errp[0]), "db           | oops\n");
	assert_null(strchr(got, '\033'));	/* no terminal: no escape bytes */
}

/* A long line in KLOG_LINE_MAX pieces, each after the first marked '+'. */
static void
test_long_line_continued(void **state)
{
	static char line[2 * KLOG_LINE_MAX + 101], want[4096];
	int w = klog_prefix(&ks, "db", 1);

	(void)state;
	memset(line, 'a', KLOG_LINE_MAX);
	memset(line + KLOG_LINE_MAX, 'b', KLOG_LINE_MAX);
	memset(line + 2 * KLOG_LINE_MAX, 'c', 100);
	line[sizeof(line) - 1] = '\n';
	assert_int_equal(write(w, line, sizeof(line)), (ssize_t)sizeof(line));
	/* Exactly one piece long: no empty '+' line after it; the next is new. */
	assert_int_equal(write(w, line, KLOG_LINE_MAX), KLOG_LINE_MAX);
	put(w, "\nnext\n");
	(void)close(w);
	fake_drain(&l);
	snprintf(want, sizeof(want), "db           | %.*s\ndb           + %.*s\n"
	    "db           + %.*s\ndb           | %.*s\ndb           | next\n",
	    KLOG_LINE_MAX, line, KLOG_LINE_MAX, line + KLOG_LINE_MAX, 100,
	    line + 2 * KLOG_LINE_MAX, KLOG_LINE_MAX, line);
	assert_string_equal(written(outp[0]), want);
}

/* The last line without its newline: out at the end of the stream, and at exit. */
static void
test_partial_flushed(void **state)
{
	int gone = klog_prefix(&ks, "db", 1), live;

	(void)state;
	put(gone, "one\ntwo without newline");
	(void)close(gone);
	fake_drain(&l);
	assert_string_equal(written(outp[0]), "db           | one\n"
	    "db           | two without newline\n");
	live = klog_prefix(&ks, "web-frontend", 1);
	put(live, "still here");
	klog_flush(&ks);
	assert_string_equal(written(outp[0]), "web-frontend | still here\n");
	put(live, " and the rest\n");	/* the same line goes on */
	(void)close(live);
	fake_drain(&l);
	assert_string_equal(written(outp[0]), "web-frontend +  and the rest\n");
}

/* On a terminal, the name and its padding in the entry's colour: by its index. */
static void
test_colour_on_a_tty(void **state)
{
	int db, web;

	(void)state;
	fake_script("isatty", 1, 0, 2);		/* fds 1 and 2 both terminals */
	klog_conf(&ks, &c);
	db = klog_prefix(&ks, "db", 2);
	web = klog_prefix(&ks, "web-frontend", 1);
	put(db, "oops\n");
	put(web, "hi\n");
	(void)close(db);
	(void)close(web);
	fake_drain(&l);
	assert_string_equal(written(errp[0]), "\033[36m" "db          " "\033[0m | oops\n");
	assert_string_equal(written(outp[0]), "\033[33mweb-frontend\033[0m | hi\n");
	/* An empty NO_COLOR is unset. */
	assert_int_equal(setenv("NO_COLOR", "", 1), 0);
	fake_script("isatty", 1, 0, 2);
	klog_conf(&ks, &c);
	assert_true(ks.out[0].colour && ks.out[1].colour);
}

/* NO_COLOR=1: no escape bytes even on a terminal. */
static void
test_no_color(void **state)
{
	int w;

	(void)state;
	assert_int_equal(setenv("NO_COLOR", "1", 1), 0);
	fake_script("isatty", 1, 0, 2);
	klog_conf(&ks, &c);
	w = klog_prefix(&ks, "db", 1);
	put(w, "plain\n");
	(void)close(w);
	fake_drain(&l);
	assert_string_equal(written(outp[0]), "db           | plain\n");
}

/* A reload pads to its own longest name and recolours the pipes by their new index. */
static void
test_reload_recomputes(void **state)
{
	int w = klog_prefix(&ks, "db", 1);

	(void)state;
	put(w, "before\n");
	fake_round(&l);
	assert_string_equal(written(outp[0]), "db           | before\n");
	parse(&c2, "service new stdout=prefix x\nservice db stdout=prefix y\n"
	    "set log=prefix\nservice longest-one-now z\n");
	fake_script("isatty", 1, 0, 2);
	klog_conf(&ks, &c2);
	put(w, "after\n");
	(void)close(w);
	fake_drain(&l);
	/* "longest-one-now" takes log=prefix: 15 bytes; db is entry 1 now. */
	assert_string_equal(written(outp[0]), "\033[33m" "db             " "\033[0m | after\n");
}

/* A write that fails loses its line, said once; the pipe is still drained. */
static void
test_write_fails(void **state)
{
	int w = klog_prefix(&ks, "db", 2);

	(void)state;
	put(w, "one\ntwo\n");
	(void)close(w);
	fake_script("write", -1, EPIPE, 2);
	fake_drain(&l);
	assert_true(fake_logged("db: output line lost: unable to write stderr: Broken pipe"));
	assert_null(strstr(strstr(fake_log_buf, "output line lost") + 1, "output line lost"));
	assert_string_equal(written(errp[0]), "");
}

/* One wake-up of PID 1's loop, not waiting: the fake poll never sleeps. */
static void
turn(void)
{
	fake_now = fake_now < 0 ? 0 : fake_now;
	loop_once(&l);
}

/* The loop's events for fd: -1 when no source holds it. */
static int
events_of(int fd)
{
	int i;

	for (i = 0; i < l.top; i++)
		if (tab[i].fn && tab[i].fd == fd)
			return tab[i].events;
	return -1;
}

/* The events of the first pipe slot (the first klog_prefix of a test). */
static int
pipe_events(int slot)
{
	return tab[pipes[slot].lid].events;
}

/*
 * fd 1 takes no write: the line waits, the pipe is no longer read (the
 * rest of what was read waits too), the loop watches fd 1. Writable
 * again: that line first, whole, then the rest, then the pipe again.
 */
static void
test_not_writable_waits(void **state)
{
	int w = klog_prefix(&ks, "db", 1);

	(void)state;
	put(w, "one\ntwo\nthree\n");
	fake_script("wait_out", 0, 0, 1);
	turn();
	assert_string_equal(written(outp[0]), "");
	assert_int_equal(pipe_events(0), 0);
	assert_int_equal(events_of(outp[1]), POLLOUT);
	put(w, "four\n");
	turn();	/* fd 1 writable: what waited, not the pipe yet */
	assert_string_equal(written(outp[0]), "db           | one\ndb           | two\n"
	    "db           | three\n");
	assert_int_equal(pipe_events(0), POLLIN);
	assert_int_equal(events_of(outp[1]), -1);
	turn();
	assert_string_equal(written(outp[0]), "db           | four\n");
	assert_null(strstr(fake_log_buf, "lost"));
	(void)close(w);
}

/* Fill a pipe's write end (O_NONBLOCK): the bytes it took. */
static size_t
fill(int fd)
{
	static const char junk[4096] = { 'j' };
	size_t all = 0;
	ssize_t n;

	while ((n = write(fd, junk, sizeof(junk))) > 0)
		all += (size_t)n;
	assert_int_equal(errno, EAGAIN);
	return all;
}

/* Read and check size bytes of junk from fd. */
static void
unfill(int fd, size_t size)
{
	static char buf[4096];

	while (size > 0) {
		size_t want = size < sizeof(buf) ? size : sizeof(buf);
		ssize_t n = read(fd, buf, want);

		assert_true(n > 0);
		size -= (size_t)n;
	}
}

/*
 * A real full pipe on fd 1 (O_NONBLOCK set by someone else): its sinks'
 * pipes wait, every one, even one made meanwhile; fd 2 goes on. Read
 * again: each line whole, in its order, nothing between.
 */
static void
test_full_pipe(void **state)
{
	int db = klog_prefix(&ks, "db", 1), err = klog_prefix(&ks, "db", 2), web, rounds;
	size_t full;

	(void)state;
	assert_int_equal(fcntl(outp[1], F_SETFL, O_NONBLOCK), 0);
	full = fill(outp[1]);
	put(db, "first\nsecond\n");
	put(err, "to stderr\n");
	turn();
	assert_int_equal(pipe_events(0), 0);
	assert_string_equal(written(errp[0]), "db           | to stderr\n");
	web = klog_prefix(&ks, "web-frontend", 1);
	assert_int_equal(pipe_events(2), 0);	/* made while fd 1 waits */
	put(web, "hi\n");
	put(db, "third\n");
	put(err, "more\n");
	for (rounds = 0; rounds < 5; rounds++)
		turn();
	assert_string_equal(written(errp[0]), "db           | more\n");
	unfill(outp[0], full);
	assert_string_equal(written(outp[0]), "");
	for (rounds = 0; rounds < 5; rounds++)
		turn();
	/* db's read first, whole; then the pipes in either order. */
	assert_memory_equal(written(outp[0]), "db           | first\ndb           | second\n", 43);
	assert_non_null(strstr(got, "db           | third\n"));
	assert_non_null(strstr(got, "web-frontend | hi\n"));
	assert_int_equal(strlen(got), 43 + 21 + 18);
	assert_int_equal(pipe_events(0), POLLIN);
	assert_int_equal(pipe_events(2), POLLIN);
	(void)close(db);
	(void)close(err);
	(void)close(web);
}

/*
 * A short write, then no room: the rest of that line goes out first when
 * there is room, before any other line (of its pipe or another's).
 */
static void
test_short_write(void **state)
{
	int db = klog_prefix(&ks, "db", 1), web = klog_prefix(&ks, "web-frontend", 1);

	(void)state;
	put(db, "one\ntwo\n");
	fake_short_write(5, 1);
	fake_script("wait_out", 1, 0, 1);
	fake_script("wait_out", 0, 0, 1);
	turn();
	assert_string_equal(written(outp[0]), "db   ");
	put(web, "hi\n");
	turn();
	turn();
	turn();
	assert_non_null(strstr(written(outp[0]), "        | one\ndb           | two\n"));
	assert_string_equal(got, "        | one\ndb           | two\nweb-frontend | hi\n");
	(void)close(db);
	(void)close(web);
}

/* EAGAIN from write (poll said yes, the write no): the same as no room. */
static void
test_eagain(void **state)
{
	int w = klog_prefix(&ks, "db", 2);

	(void)state;
	put(w, "one\ntwo\n");
	fake_script("write", -1, EAGAIN, 1);
	turn();
	assert_string_equal(written(errp[0]), "");
	assert_int_equal(pipe_events(0), 0);
	turn();
	assert_string_equal(written(errp[0]), "db           | one\ndb           | two\n");
	assert_null(strstr(fake_log_buf, "lost"));
	(void)close(w);
}

/* How many times text is in reaper's log. */
static int
logged_times(const char *text)
{
	const char *p = fake_log_buf;
	int n = 0;

	while ((p = strstr(p, text)) != NULL) {
		n++;
		p++;
	}
	return n;
}

/*
 * Lost and sent lines taking turns: the loss said once per
 * KLOG_LOST_QUIET_MS, not once a line; lines sent in between go out.
 */
static void
test_lost_said_rarely(void **state)
{
	int w = klog_prefix(&ks, "db", 1), i;
	char line[32];

	(void)state;
	fake_now = 0;
	for (i = 1; i <= 6; i++) {
		if (i == 5)
			fake_now = KLOG_LOST_QUIET_MS;
		if (i % 2)
			fake_script("write", -1, EPIPE, 1);
		(void)snprintf(line, sizeof(line), "line %d\n", i);
		put(w, line);
		turn();
	}
	assert_int_equal(logged_times("db: output line lost: unable to write stdout: Broken pipe"), 2);
	assert_string_equal(written(outp[0]), "db           | line 2\ndb           | line 4\n"
	    "db           | line 6\n");
	(void)close(w);
}

/*
 * At exit, fd 1 never takes a write: klog_flush waits KLOG_FLUSH_MS at
 * most, then its lines are lost, said once; the loop is as before. Later,
 * with room, lines go out again.
 */
static void
test_flush_bounded(void **state)
{
	int w = klog_prefix(&ks, "db", 1);

	(void)state;
	put(w, "one\ntwo\npartial");
	fake_script("wait_out", 0, 0, 1);
	turn();
	assert_int_equal(pipe_events(0), 0);
	fake_script("wait_out", 0, 0, -1);
	fake_wait_timeout = -2;
	klog_flush(&ks);
	assert_true(fake_wait_timeout > 0 && fake_wait_timeout <= KLOG_FLUSH_MS);
	assert_int_equal(logged_times("output line lost: unable to write stdout"), 1);
	assert_string_equal(written(outp[0]), "");
	assert_int_equal(pipe_events(0), POLLIN);
	assert_int_equal(events_of(outp[1]), -1);
	fake_reset();
	put(w, " done\n");
	turn();
	assert_string_equal(written(outp[0]), "db           +  done\n");
	(void)close(w);
}

/* At exit, fd 1 takes writes again within the bound: what waited goes out first, whole. */
static void
test_flush_waits(void **state)
{
	int w = klog_prefix(&ks, "db", 1);

	(void)state;
	put(w, "one\ntwo\npartial");
	fake_script("wait_out", 0, 0, 1);
	turn();
	fake_script("wait_out", 0, 0, 1);	/* not yet; then within the wait */
	fake_script("wait_out", 1, 0, 1);
	klog_flush(&ks);
	assert_string_equal(written(outp[0]), "db           | one\ndb           | two\n"
	    "db           | partial\n");
	assert_null(strstr(fake_log_buf, "lost"));
	(void)close(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_padded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_line_continued, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_flushed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_colour_on_a_tty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_color, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reload_recomputes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_write_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_writable_waits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_pipe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_short_write, setup, teardown),
		cmocka_unit_test_setup_teardown(test_eagain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lost_said_rarely, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush_bounded, setup, teardown),
		cmocka_unit_test_setup_teardown(test_flush_waits, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
