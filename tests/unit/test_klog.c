/* Unit tests: services' output cut into kernel log records (stdout=kmsg). */
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

#include "fake_loop.h"
#include "fake_sys.h"
#include "klog.h"
#include "log.h"
#include "loop.h"

static char dev[] = "/tmp/reaper-klog-XXXXXX";
static struct loop l;
static struct loop_src tab[LOOP_SRC_MAX];
static struct klogs ks;
static struct klog pipes[KLOG_PIPES_MAX];

/* A plain file stands in for /dev/kmsg, as `set kmsg=PATH` allows. */
static int
setup(void **state)
{
	int fd = mkstemp(dev);

	if (fd < 0)
		return -1;
	(void)close(fd);
	loop_init(&l, tab, LOOP_SRC_MAX);
	klog_init(&ks, &l, pipes);
	klog_path(&ks, dev);
	return fake_setup(state);
}

static int
teardown(void **state)
{
	(void)state;
	(void)unlink(dev);
	return 0;
}

static void
reset(void)
{
	int fd = open(dev, O_WRONLY | O_TRUNC);

	assert_true(fd >= 0);
	(void)close(fd);
}

static int
records(void)
{
	const char *p;
	int n = 0;

	for (p = fake_slurp(dev); *p; p++)
		n += *p == '\n';
	return n;
}

static void
pump_until_records(int want)
{
	int rounds;

	for (rounds = 0; rounds < 1000 && records() < want; rounds++)
		fake_round(&l);
	assert_int_equal(records(), want);
}

static void
put(int fd, const char *s)
{
	assert_int_equal(write(fd, s, strlen(s)), (ssize_t)strlen(s));
}

static void
test_lines_named_and_levelled(void **state)
{
	int out = klog_pipe(&ks, "web", KLOG_INFO), err;

	(void)state;
	reset();
	assert_true(out >= 0);
	put(out, "hello\nwor");
	put(out, "ld\n\n");
	(void)close(out);
	fake_drain(&l);
	assert_string_equal(fake_slurp(dev), "<6>web: hello\n<6>web: world\n<6>web: \n");
	reset();
	err = klog_pipe(&ks, "db", KLOG_WARN);
	assert_true(err >= 0);
	put(err, "oops\n");
	(void)close(err);
	fake_drain(&l);
	assert_string_equal(fake_slurp(dev), "<4>db: oops\n");
}

/* The end of the stream sends what is left of the last line. */
static void
test_partial_line_at_the_end(void **state)
{
	int w = klog_pipe(&ks, "tail", KLOG_INFO);

	(void)state;
	reset();
	put(w, "one\ntwo without newline");
	(void)close(w);
	fake_drain(&l);
	assert_string_equal(fake_slurp(dev), "<6>tail: one\n<6>tail: two without newline\n");
}

/* Long lines go in KLOG_LINE_MAX pieces; a piece that ends at the newline
 * makes no empty record after it. */
static void
test_long_lines_split(void **state)
{
	static char line[KLOG_LINE_MAX * 2 + 51], want[4096];
	int w = klog_pipe(&ks, "long", KLOG_INFO);

	(void)state;
	reset();
	memset(line, 'a', KLOG_LINE_MAX);
	memset(line + KLOG_LINE_MAX, 'b', KLOG_LINE_MAX);
	memset(line + 2 * KLOG_LINE_MAX, 'c', 50);
	line[sizeof(line) - 1] = '\n';
	assert_int_equal(write(w, line, sizeof(line)), (ssize_t)sizeof(line));
	assert_int_equal(write(w, line, KLOG_LINE_MAX), KLOG_LINE_MAX);
	pump_until_records(4);	/* the full piece is out before its newline comes */
	put(w, "\nnext\n");
	(void)close(w);
	fake_drain(&l);
	snprintf(want, sizeof(want), "<6>long: %.*s\n<6>long: %.*s\n<6>long: %.*s\n"
	    "<6>long: %.*s\n<6>long: next\n", KLOG_LINE_MAX, line, KLOG_LINE_MAX,
	    line + KLOG_LINE_MAX, 50, line + 2 * KLOG_LINE_MAX, KLOG_LINE_MAX, line);
	assert_string_equal(fake_slurp(dev), want);
}

/* A big burst: every line arrives, in order, though each wake-up reads at
 * most KLOG_READ_MAX bytes. */
static void
test_burst_in_order(void **state)
{
	static char buf[200000];
	int w = klog_pipe(&ks, "chatty", KLOG_INFO), i, n = 0, lines = 0;
	const char *p;
	pid_t pid;

	(void)state;
	reset();
	for (i = 0; i < 10000; i++)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n, "line %d\n", i);
	/* A writer process, since the pipe holds less than the burst. */
	if ((pid = fork()) == 0) {
		_exit(write(w, buf, (size_t)n) == n ? 0 : 1);
	}
	assert_true(pid > 0);
	(void)close(w);
	fake_drain(&l);
	for (p = fake_slurp(dev), i = 0; *p; i++) {
		char want[64];
		int len = snprintf(want, sizeof(want), "<6>chatty: line %d\n", i);

		assert_memory_equal(p, want, (size_t)len);
		p += len;
		lines++;
	}
	assert_int_equal(lines, 10000);
}

/* Before an exit: what is in the pipes goes out, an unfinished line too,
 * whether its writer is gone or still holds the pipe. */
static void
test_flush_before_exit(void **state)
{
	int live = klog_pipe(&ks, "live", KLOG_INFO), gone = klog_pipe(&ks, "gone", KLOG_WARN);

	(void)state;
	reset();
	put(gone, "last words\nno newline");
	(void)close(gone);
	put(live, "still here");
	klog_flush(&ks);
	/* Two pipes: each one's lines in order, the pipes in either order. */
	assert_int_equal(records(), 3);
	assert_non_null(strstr(fake_slurp(dev), "<4>gone: last words\n<4>gone: no newline\n"));
	assert_non_null(strstr(fake_slurp(dev), "<6>live: still here\n"));
	reset();
	put(live, " and more\n");	/* the sent part is not sent again */
	(void)close(live);
	fake_drain(&l);
	assert_string_equal(fake_slurp(dev), "<6>live:  and more\n");
}

/* A read end closed under klog (by a careless close_from): dropped from
 * the poll set, said, and never polled again. */
static void
test_closed_under_us(void **state)
{
	int w = klog_pipe(&ks, "lost", KLOG_INFO), fds[2];

	(void)state;
	assert_int_equal(loop_fds(&l, fds, 2), 1);
	(void)close(fds[0]);
	fake_now = 0;
	loop_once(&l);		/* poll says POLLNVAL */
	assert_true(fake_logged("lost: output pipe lost"));
	assert_int_equal(loop_fds(&l, fds, 2), 0);	/* never polled again */
	(void)close(w);
}

/* A full table is a reported error, and the caller writes raw instead. */
static void
test_table_full(void **state)
{
	int w[KLOG_PIPES_MAX], i;

	(void)state;
	for (i = 0; i < KLOG_PIPES_MAX; i++)
		assert_true((w[i] = klog_pipe(&ks, "many", KLOG_INFO)) >= 0);
	assert_int_equal(klog_pipe(&ks, "one-too-many", KLOG_INFO), -1);
	assert_true(fake_logged("one-too-many: more than 64 output pipes"));
	for (i = 0; i < KLOG_PIPES_MAX; i++)
		(void)close(w[i]);
	fake_drain(&l);
	assert_true(klog_pipe(&ks, "again", KLOG_INFO) >= 0);	/* slots come back */
}

/* The device cannot be written: said once, and the pipe is still drained. */
static void
test_unwritable_device(void **state)
{
	int w;

	(void)state;
	klog_path(&ks, "/tmp");	/* a directory: no writing there */
	w = klog_pipe(&ks, "lost", KLOG_INFO);
	assert_int_equal(w, -1);
	assert_true(fake_logged("unable to open /tmp"));
	klog_path(&ks, dev);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_named_and_levelled),
		cmocka_unit_test(test_partial_line_at_the_end),
		cmocka_unit_test(test_long_lines_split),
		cmocka_unit_test(test_burst_in_order),
		cmocka_unit_test(test_flush_before_exit),
		cmocka_unit_test(test_closed_under_us),
		cmocka_unit_test(test_unwritable_device),
		cmocka_unit_test(test_table_full),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
