/* Unit tests: the hardware watchdog's arming, keepalives and magic close. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_sys.h"
#include "log.h"
#include "wdog.h"

static char dev[] = "/tmp/reaper-wdog-XXXXXX";

static int
setup(void **state)
{
	int fd = mkstemp(dev);

	if (fd < 0)
		return -1;
	(void)close(fd);
	return fake_setup(state);
}

static int
teardown(void **state)
{
	(void)state;
	(void)unlink(dev);
	return 0;
}

/* The driver takes the asked timeout, rounded up to whole seconds. */
static void
test_armed_and_petted_at_half(void **state)
{
	struct wdog w;

	(void)state;
	expect_value(sys_watchdog_set, *secs, 5);
	will_return(sys_watchdog_set, 5);
	will_return(sys_watchdog_pet, 0);
	wdog_init(&w, dev, 4500, 1000);
	assert_true(w.fd >= 0);
	assert_int_equal(w.timeout_s, 5);
	assert_int_equal(w.pets, 1);
	assert_int_equal(wdog_deadline(&w), 1000 + 2500);
	wdog_tick(&w, 3499);		/* not yet: no ioctl expected */
	assert_int_equal(w.pets, 1);
	will_return(sys_watchdog_pet, 0);
	wdog_tick(&w, 3500);
	assert_int_equal(w.pets, 2);
	assert_int_equal(w.last, 3500);
	assert_int_equal(wdog_deadline(&w), 6000);
	assert_true(fake_logged("armed: timeout 5 s, keepalive every 2500 ms"));
	wdog_disarm(&w);
	assert_int_equal(w.fd, -1);
	assert_int_equal(wdog_deadline(&w), -1);
	assert_string_equal(fake_slurp(dev), "V");	/* the magic close */
}

/* A driver with its own idea of the timeout: its value sets the pace. */
static void
test_driver_rounds_the_timeout(void **state)
{
	struct wdog w;

	(void)state;
	expect_value(sys_watchdog_set, *secs, 30);
	will_return(sys_watchdog_set, 20);
	will_return(sys_watchdog_pet, 0);
	wdog_init(&w, dev, 30000, 0);
	assert_int_equal(w.timeout_s, 20);
	assert_int_equal(wdog_deadline(&w), 10000);
	wdog_disarm(&w);
}

/* A driver that will not take the timeout: paced by its own, if it says. */
static void
test_no_settimeout(void **state)
{
	struct wdog w;

	(void)state;
	expect_value(sys_watchdog_set, *secs, 30);
	will_return(sys_watchdog_set, 0);	/* EINVAL: over its maximum */
	will_return(sys_watchdog_get, 16);
	will_return(sys_watchdog_pet, 0);
	wdog_init(&w, dev, 30000, 0);
	assert_int_equal(w.timeout_s, 16);
	assert_int_equal(wdog_deadline(&w), 8000);
	assert_true(fake_logged("unable to set a timeout of 30 s"));
	wdog_disarm(&w);
}

/* Nor says its timeout: a keepalive every second, never too slow. */
static void
test_no_timeout_known(void **state)
{
	struct wdog w;

	(void)state;
	expect_value(sys_watchdog_set, *secs, 10);
	will_return(sys_watchdog_set, 0);
	will_return(sys_watchdog_get, 0);
	will_return(sys_watchdog_pet, 0);
	wdog_init(&w, dev, 10000, 0);
	assert_int_equal(w.timeout_s, 0);
	assert_int_equal(wdog_deadline(&w), 1000);
	assert_true(fake_logged("armed: timeout 0 s, keepalive every 1000 ms"));
	will_return(sys_watchdog_pet, 0);
	wdog_pet_now(&w, 400);		/* before the unmounts: the pace restarts */
	assert_int_equal(w.pets, 2);
	assert_int_equal(wdog_deadline(&w), 1400);
	wdog_disarm(&w);
}

/* A keepalive that fails is said, and tried again at the next deadline. */
static void
test_failed_keepalive(void **state)
{
	struct wdog w;

	(void)state;
	expect_value(sys_watchdog_set, *secs, 2);
	will_return(sys_watchdog_set, 2);
	will_return(sys_watchdog_pet, -1);
	wdog_init(&w, dev, 2000, 0);
	assert_int_equal(w.pets, 0);
	assert_true(fake_logged("keepalive failed"));
	assert_int_equal(wdog_deadline(&w), 1000);
	wdog_disarm(&w);
}

/* A device a boot task's module brings: opened once the boot is done. */
static void
test_late_device(void **state)
{
	char late[64];
	struct wdog w;
	int fd;

	(void)state;
	strcpy(late, dev);
	strcat(late, ".late");
	(void)unlink(late);
	wdog_init(&w, late, 6000, 0);
	assert_int_equal(w.fd, -1);
	assert_true(w.late);
	assert_int_equal(wdog_deadline(&w), -1);
	assert_true(fake_logged("not there yet"));
	fd = open(late, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	(void)close(fd);
	expect_value(sys_watchdog_set, *secs, 6);
	will_return(sys_watchdog_set, 6);
	will_return(sys_watchdog_pet, 0);
	wdog_boot_done(&w, 100);
	assert_true(w.fd >= 0);
	assert_int_equal(wdog_deadline(&w), 3100);
	wdog_boot_done(&w, 200);	/* once only */
	wdog_disarm(&w);
	(void)unlink(late);
}

/* reboot(2) failed after the magic close: PID 1 arms it again. */
static void
test_rearm(void **state)
{
	struct wdog w;

	(void)state;
	wdog_init(&w, NULL, 30000, 0);	/* none configured: nothing happens */
	wdog_rearm(&w, 0);
	assert_int_equal(w.fd, -1);
	expect_value(sys_watchdog_set, *secs, 3);
	will_return(sys_watchdog_set, 3);
	will_return(sys_watchdog_pet, 0);
	wdog_init(&w, dev, 3000, 0);
	wdog_disarm(&w);
	expect_value(sys_watchdog_set, *secs, 3);
	will_return(sys_watchdog_set, 3);
	will_return(sys_watchdog_pet, 0);
	wdog_rearm(&w, 500);
	assert_true(w.fd >= 0);
	assert_int_equal(wdog_deadline(&w), 2000);
	wdog_disarm(&w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_armed_and_petted_at_half),
		cmocka_unit_test(test_driver_rounds_the_timeout),
		cmocka_unit_test(test_no_settimeout),
		cmocka_unit_test(test_no_timeout_known),
		cmocka_unit_test(test_failed_keepalive),
		cmocka_unit_test(test_late_device),
		cmocka_unit_test(test_rearm),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
