/* Unit tests: reaper's own log lines never wait for a stalled pipe reader once it runs on (log_nowait). */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_sys.h"
#include "log.h"

static int p[2];

/* A pipe for the log, filled to the last byte, its write end blocking again. */
static void
full_pipe(void)
{
	char junk[4096];

	memset(junk, 'j', sizeof(junk));
	assert_int_equal(pipe(p), 0);
	assert_int_equal(fcntl(p[1], F_SETFL, O_NONBLOCK), 0);
	while (write(p[1], junk, sizeof(junk)) > 0)
		;
	while (write(p[1], junk, 1) > 0)
		;
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(fcntl(p[1], F_SETFL, 0), 0);	/* a write now would block */
}

/* Everything the pipe holds after the filler: the log's own text. */
static const char *
drain(void)
{
	static char text[65536 * 4];
	size_t n = 0;
	ssize_t r;

	assert_int_equal(fcntl(p[0], F_SETFL, O_NONBLOCK), 0);
	while ((r = read(p[0], text + n, sizeof(text) - 1 - n)) > 0)
		n += (size_t)r;
	text[n] = '\0';
	return strstr(text, "reaper:") ? strstr(text, "reaper:") : "";
}

/* A full pipe: the lines are counted, not written (an alarm fails a write that waits). */
static void
test_full_pipe_loses_and_says(void **state)
{
	(void)state;
	full_pipe();
	log_setup(LV_INFO, p[1]);
	log_nowait();
	alarm(5);
	log_msg(LV_INFO, "one");
	log_msg(LV_WARN, "two");
	log_sys(LV_ERR, "three");
	alarm(0);
	assert_string_equal(drain(), "");
	log_msg(LV_INFO, "after");
	assert_string_equal(drain(), "reaper: warning: 3 log lines lost: their reader was not "
	    "reading\nreaper: after\n");
	log_msg(LV_INFO, "again");
	assert_string_equal(drain(), "reaper: again\n");	/* said once */
	close(p[0]);
	close(p[1]);
}

/* A file is no pipe: every line goes, as before. */
static void
test_file_always_written(void **state)
{
	char path[] = "/tmp/test_log.XXXXXX";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	log_setup(LV_INFO, fd);
	log_nowait();
	log_msg(LV_INFO, "to a file");
	assert_string_equal(fake_slurp(path), "reaper: to a file\n");
	close(fd);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_pipe_loses_and_says),
		cmocka_unit_test(test_file_always_written),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
