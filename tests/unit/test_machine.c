/*
 * Fault injection on the machine side: the control socket's accept and
 * send, boot's mounts, halt's reboot. Each failure leaves a clear log
 * line and PID 1 carries on.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "boot.h"
#include "ctl.h"
#include "fake_sys.h"
#include "log.h"


static struct ctl ctl;
static struct pollfd pfd[1 + CTL_CLIENTS_MAX];
static int sv[2];

static void
answer(void *ctx, char *req, bool may_change, struct buf *out)
{
	(void)ctx;
	(void)may_change;
	buf_add(out, "0\nyou said %s\n", req);
}

/* A client in slot 0 (the other end is sv[1]) that asked "status". */
static void
client_asks(void)
{
	ctl_init(&ctl);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	ctl.cl[0].fd = sv[0];
	ctl.cl[0].may_change = true;
	ctl.cl[0].inlen = 0;
	ctl.cl[0].answered = false;
	ctl.cl[0].deadline = 1000;
	assert_int_equal(write(sv[1], "status\n", 7), 7);
	(void)ctl_fds(&ctl, pfd, 0);
	pfd[1].revents = POLLIN;
}

static bool
fd_open(int fd)
{
	return fcntl(fd, F_GETFD) >= 0;
}

/* A client that reads slowly: the answer waits for POLLOUT, then goes out. */
static void
test_send_eagain(void **state)
{
	char got[64] = "";

	(void)state;
	client_asks();
	fake_fail("send", EAGAIN);
	ctl_work(&ctl, pfd, 0, 0, answer, NULL);
	assert_int_equal(ctl.cl[0].fd, sv[0]);		/* kept */
	assert_true(ctl.cl[0].answered);
	(void)ctl_fds(&ctl, pfd, 0);
	assert_int_equal(pfd[1].events, POLLOUT);
	pfd[1].revents = POLLOUT;
	ctl_work(&ctl, pfd, 0, 10, answer, NULL);
	assert_int_equal(ctl.cl[0].fd, -1);		/* all out: done */
	assert_int_equal(read(sv[1], got, sizeof(got) - 1), 18);
	assert_string_equal(got, "0\nyou said status\n");
	(void)close(sv[1]);
}

/* A client gone before its answer: dropped, said at -v, nothing else. */
static void
test_send_epipe(void **state)
{
	(void)state;
	client_asks();
	fake_fail("send", EPIPE);
	ctl_work(&ctl, pfd, 0, 0, answer, NULL);
	assert_int_equal(ctl.cl[0].fd, -1);
	assert_false(fd_open(sv[0]));
	assert_true(fake_logged("debug: control socket: client dropped: Broken pipe"));
	(void)close(sv[1]);
}

/* Out of fds at accept: the listener rests, then listens again. */
static void
accept_fails(int err, const char *text)
{
	fake_reset();
	ctl_init(&ctl);
	ctl.lfd = dup(0);
	assert_true(ctl.lfd >= 0);
	(void)ctl_fds(&ctl, pfd, 0);
	assert_int_equal(pfd[0].fd, ctl.lfd);
	pfd[0].revents = POLLIN;
	fake_fail("accept", err);
	ctl_work(&ctl, pfd, 0, 5000, answer, NULL);
	assert_true(fake_logged(text));
	assert_int_equal(ctl.resume, 5000 + CTL_PAUSE_MS);
	assert_int_equal(ctl_deadline(&ctl), 5000 + CTL_PAUSE_MS);
	(void)ctl_fds(&ctl, pfd, 0);
	assert_int_equal(pfd[0].fd, -1);	/* not polled: no busy loop */
	ctl_work(&ctl, pfd, 0, 5000 + CTL_PAUSE_MS, answer, NULL);
	(void)ctl_fds(&ctl, pfd, 0);
	assert_int_equal(pfd[0].fd, ctl.lfd);	/* back */
	assert_int_equal(ctl_deadline(&ctl), -1);
	(void)close(ctl.lfd);
}

static void
test_accept_emfile_enfile(void **state)
{
	(void)state;
	accept_fails(EMFILE, "warning: control socket: accept: Too many open files\n");
	accept_fails(ENFILE, "warning: control socket: accept: Too many open files in system\n");
}

/* poll(2) says EINVAL for more entries than RLIMIT_NOFILE: ask for no more than used. */
static void
test_poll_entries_fit_fd_limit(void **state)
{
	(void)state;
	ctl_init(&ctl);
	ctl.lfd = 4;
	assert_int_equal(ctl_fds(&ctl, pfd, 0), 1);	/* the listener alone */
	ctl.cl[2].fd = 7;
	assert_int_equal(ctl_fds(&ctl, pfd, 0), 4);	/* up to slot 2 */
	assert_int_equal(pfd[3].fd, 7);
	assert_int_equal(pfd[1].fd, -1);
	ctl.cl[2].fd = -1;
}

/* No mount allowed, no /proc to look in: one warning per mount, boot goes on. */
static void
test_mounts_fail(void **state)
{
	static const char *const want[] = {
		"unable to mount proc on /proc: Operation not permitted\n",
		"unable to mount sysfs on /sys: Operation not permitted\n",
		"unable to mount devtmpfs on /dev: Operation not permitted\n",
		"unable to mount devpts on /dev/pts: Operation not permitted\n",
		"unable to mount tmpfs on /run: Operation not permitted\n",
		"unable to take over Ctrl-Alt-Del: Operation not permitted\n",
		"unable to set the hostname to box: Operation not permitted\n",
	};
	size_t i;

	(void)state;
	fake_script("open", -1, ENOENT, -1);	/* /proc/self/mounts */
	fake_script("chdir", 0, 0, -1);
	fake_script("setsid", 0, 0, -1);
	fake_script("mkdir", 0, 0, -1);
	fake_script("mount", -1, EPERM, -1);
	fake_script("cad_off", -1, EPERM, -1);
	fake_script("sethostname", -1, EPERM, -1);
	boot_early();
	boot_hostname("box");
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_non_null(strstr(fake_log_buf, want[i]));
}

/* The end of a machine, where nothing is mounted and sync works. */
static void
halt_quietly(void)
{
	fake_script("sync", 0, 0, -1);
	fake_script("open", -1, ENOENT, 1);	/* /proc/self/mounts */
	fake_script("mount", 0, 0, 1);		/* / read-only */
}

/* The child that calls reboot(2) tells why it failed by its exit code. */
static void
test_reboot_fails_in_child(void **state)
{
	jmp_buf back;

	(void)state;
	halt_quietly();
	fake_script("fork", 0, 0, 1);
	fake_fail("reboot", EPERM);
	fake_exit_to = &back;
	if (setjmp(back) == 0) {
		halt_final(RA_REBOOT);
		fail_msg("the reboot child returned");
	}
	assert_int_equal(fake_exit_code, EPERM);
}

static void
test_reboot_fails(void **state)
{
	(void)state;
	halt_quietly();
	fake_script("fork", 42, 0, 1);
	expect_value(sys_waitpid, pid, 42);
	will_return(sys_waitpid, 42);
	will_return(sys_waitpid, EPERM << 8);
	halt_final(RA_REBOOT);		/* returns: PID 1 goes on */
	assert_true(fake_logged("warning: reboot\n"));
	assert_true(fake_logged("error: unable to reboot (still running): "
	    "Operation not permitted\n"));
}

static void
test_reboot_fork_fails(void **state)
{
	(void)state;
	halt_quietly();
	fake_fail("fork", EAGAIN);
	halt_final(RA_POWEROFF);
	assert_true(fake_logged("error: unable to power off (still running): "
	    "Resource temporarily unavailable\n"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_send_eagain, fake_setup),
		cmocka_unit_test_setup(test_send_epipe, fake_setup),
		cmocka_unit_test_setup(test_accept_emfile_enfile, fake_setup),
		cmocka_unit_test_setup(test_poll_entries_fit_fd_limit, fake_setup),
		cmocka_unit_test_setup(test_mounts_fail, fake_setup),
		cmocka_unit_test_setup(test_reboot_fails_in_child, fake_setup),
		cmocka_unit_test_setup(test_reboot_fails, fake_setup),
		cmocka_unit_test_setup(test_reboot_fork_fails, fake_setup),
	};

	return cmocka_run_group_tests_name("machine", tests, NULL, NULL);
}
