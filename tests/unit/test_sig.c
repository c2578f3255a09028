/* Unit tests: signal names and numbers, whole numbers and durations. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "num.h"
#include "sig.h"

static void
test_sig_names(void **state)
{
	(void)state;
	assert_int_equal(sig_parse("TERM"), SIGTERM);
	assert_int_equal(sig_parse("SIGTERM"), SIGTERM);
	assert_int_equal(sig_parse("sigterm"), SIGTERM);
	assert_int_equal(sig_parse("Hup"), SIGHUP);
	assert_int_equal(sig_parse("KILL"), 9);
	assert_int_equal(sig_parse("SEGV"), 11);
	assert_int_equal(sig_parse("CHLD"), 17);
	assert_int_equal(sig_parse("CLD"), 17);
	assert_int_equal(sig_parse("IOT"), 6);
	assert_int_equal(sig_parse("POLL"), 29);
	assert_int_equal(sig_parse("PWR"), 30);
	assert_int_equal(sig_parse("SYS"), 31);
	assert_int_equal(sig_parse("WINCH"), 28);
	assert_int_equal(sig_parse("STKFLT"), 16);
}

static void
test_sig_numbers(void **state)
{
	int n;
	char buf[16];

	(void)state;
	for (n = 1; n <= 64; n++) {
		(void)snprintf(buf, sizeof(buf), "%d", n);
		assert_int_equal(sig_parse(buf), n);
	}
	assert_int_equal(sig_parse("0"), -1);
	assert_int_equal(sig_parse("65"), -1);
	assert_int_equal(sig_parse("-1"), -1);
	assert_int_equal(sig_parse("1x"), -1);
	assert_int_equal(sig_parse(""), -1);
	assert_int_equal(sig_parse("SIG"), -1);
	assert_int_equal(sig_parse("TERMX"), -1);
	assert_int_equal(sig_parse("99999999999999999999"), -1);
}

static void
test_sig_realtime(void **state)
{
	(void)state;
	assert_int_equal(sig_parse("RTMIN"), SIGRTMIN);
	assert_int_equal(sig_parse("SIGRTMIN"), SIGRTMIN);
	assert_int_equal(sig_parse("RTMIN+1"), SIGRTMIN + 1);
	assert_int_equal(sig_parse("rtmin+3"), SIGRTMIN + 3);
	assert_int_equal(sig_parse("RTMAX"), SIGRTMAX);
	assert_int_equal(sig_parse("RTMAX-2"), SIGRTMAX - 2);
	assert_int_equal(sig_parse("RTMIN+0"), SIGRTMIN);
	assert_int_equal(sig_parse("RTMIN-1"), -1);
	assert_int_equal(sig_parse("RTMAX+1"), -1);
	assert_int_equal(sig_parse("RTMIN+"), -1);
	assert_int_equal(sig_parse("RTMIN+64"), -1);
	assert_int_equal(sig_parse("RTMAX-64"), -1);
	assert_int_equal(sig_parse("RTMIN+x"), -1);
}

static void
test_sig_name(void **state)
{
	char buf[16];
	int n;

	(void)state;
	assert_string_equal(sig_name(SIGTERM, buf, sizeof(buf)), "TERM");
	assert_string_equal(sig_name(SIGABRT, buf, sizeof(buf)), "ABRT");
	assert_string_equal(sig_name(SIGRTMIN + 2, buf, sizeof(buf)), "RTMIN+2");
	assert_string_equal(sig_name(SIGRTMIN, buf, sizeof(buf)), "RTMIN+0");
	assert_string_equal(sig_name(0, buf, sizeof(buf)), "0");
	/* Every name reaper prints, it reads back. */
	for (n = 1; n <= 64; n++) {
		if (n > 31 && n < SIGRTMIN)
			continue;	/* libc-reserved: printed as numbers */
		assert_int_equal(sig_parse(sig_name(n, buf, sizeof(buf))), n);
	}
}

static void
test_sig_forwardable(void **state)
{
	int n;

	(void)state;
	for (n = 1; n <= 64; n++)
		assert_int_equal(sig_forwardable(n),
		    n != SIGKILL && n != SIGSTOP && n != SIGCHLD);
	assert_false(sig_forwardable(0));
	assert_false(sig_forwardable(65));
}

static void
test_num_ulong(void **state)
{
	unsigned long n;

	(void)state;
	assert_int_equal(num_ulong("0", 10, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(num_ulong("255", 255, &n), 0);
	assert_int_equal(n, 255);
	assert_int_equal(num_ulong("256", 255, &n), -1);
	assert_int_equal(num_ulong("", 255, &n), -1);
	assert_int_equal(num_ulong(" 1", 255, &n), -1);
	assert_int_equal(num_ulong("1 ", 255, &n), -1);
	assert_int_equal(num_ulong("+1", 255, &n), -1);
	assert_int_equal(num_ulong("0x10", 255, &n), -1);
	assert_int_equal(num_ulong("18446744073709551616", ~0UL, &n), -1);
	assert_int_equal(num_ulong("18446744073709551615", ~0UL, &n), 0);
	assert_true(n == ~0UL);
}

static void
test_num_duration(void **state)
{
	int64_t ms;

	(void)state;
	assert_int_equal(num_duration("500ms", &ms), 0);
	assert_int_equal(ms, 500);
	assert_int_equal(num_duration("3s", &ms), 0);
	assert_int_equal(ms, 3000);
	assert_int_equal(num_duration("2m", &ms), 0);
	assert_int_equal(ms, 120000);
	assert_int_equal(num_duration("1h", &ms), 0);
	assert_int_equal(ms, 3600000);
	assert_int_equal(num_duration("7", &ms), 0);
	assert_int_equal(ms, 7000);
	assert_int_equal(num_duration("0", &ms), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(num_duration("168h", &ms), 0);
	assert_int_equal(ms, 168LL * 3600000);
	assert_int_equal(num_duration("169h", &ms), -1);
	assert_int_equal(num_duration("604800001ms", &ms), -1);
	assert_int_equal(num_duration("99999999999999999999s", &ms), -1);
	assert_int_equal(num_duration("", &ms), -1);
	assert_int_equal(num_duration("s", &ms), -1);
	assert_int_equal(num_duration("3x", &ms), -1);
	assert_int_equal(num_duration("3 s", &ms), -1);
	assert_int_equal(num_duration("1.5s", &ms), -1);
	assert_int_equal(num_duration("-1s", &ms), -1);
	assert_int_equal(num_duration("3S", &ms), -1);
}

static void
test_num_earliest(void **state)
{
	(void)state;
	assert_int_equal(num_earliest(-1, -1), -1);
	assert_int_equal(num_earliest(-1, 5), 5);
	assert_int_equal(num_earliest(5, -1), 5);
	assert_int_equal(num_earliest(5, 3), 3);
	assert_int_equal(num_earliest(3, 5), 3);
	assert_int_equal(num_earliest(0, 7), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sig_names),
		cmocka_unit_test(test_sig_numbers),
		cmocka_unit_test(test_sig_realtime),
		cmocka_unit_test(test_sig_name),
		cmocka_unit_test(test_sig_forwardable),
		cmocka_unit_test(test_num_ulong),
		cmocka_unit_test(test_num_duration),
		cmocka_unit_test(test_num_earliest),
	};

	return cmocka_run_group_tests_name("sig", tests, NULL, NULL);
}
