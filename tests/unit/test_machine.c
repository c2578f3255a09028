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
#include "loop.h"


static struct ctl ctl;
static struct loop l;
static struct loop_src tab[LOOP_SRC_MAX];
static int sv[2];

static bool
answer(void *ctx, struct ctl_req *q, struct buf *out)
{
	(void)ctx;
	buf_add(out, "0\nyou said %s\n", q->line);
	return true;
}

/* One wake-up of PID 1's loop at time now (its poll does not sleep here). */
static void
round_at(int64_t now)
{
	fake_now = now;
	loop_once(&l);
}

/* A client in slot 0 (the other end is sv[1]) that asked "status". */
static void
client_asks(void)
{
	loop_init(&l, tab, LOOP_SRC_MAX);
	ctl_init(&ctl, &l, answer, NULL);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(fcntl(sv[0], F_SETFL, O_NONBLOCK), 0);
	assert_int_equal(ctl_adopt(&ctl, sv[0], true, 0), 0);
	assert_int_equal(ctl.cl[0].deadline, CTL_REQ_TIMEOUT_MS);
	assert_int_equal(write(sv[1], "status\n", 7), 7);
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
	round_at(0);
	assert_int_equal(ctl.cl[0].fd, sv[0]);		/* kept */
	assert_true(ctl.cl[0].answered);
	assert_int_equal(l.src[ctl.cl[0].lid].events, POLLOUT);
	round_at(10);					/* room now: it goes */
	assert_int_equal(ctl.cl[0].fd, -1);		/* all out: done */
	assert_int_equal(l.top, 0);			/* and off the loop */
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
	round_at(0);
	assert_int_equal(ctl.cl[0].fd, -1);
	assert_false(fd_open(sv[0]));
	assert_true(fake_logged("debug: control socket: client dropped: Broken pipe"));
	(void)close(sv[1]);
}

/* A client that says nothing is dropped at its deadline, woken by the loop's timeout. */
static void
test_silent_client_dropped(void **state)
{
	char c;

	(void)state;
	loop_init(&l, tab, LOOP_SRC_MAX);
	ctl_init(&ctl, &l, answer, NULL);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	assert_int_equal(ctl_adopt(&ctl, sv[0], false, 100), 0);
	assert_int_equal(loop_deadline(&l), 100 + CTL_REQ_TIMEOUT_MS);
	round_at(100 + CTL_REQ_TIMEOUT_MS - 1);
	assert_int_equal(ctl.cl[0].fd, sv[0]);
	round_at(100 + CTL_REQ_TIMEOUT_MS);
	assert_int_equal(ctl.cl[0].fd, -1);
	assert_int_equal(read(sv[1], &c, 1), 0);	/* hung up on */
	(void)close(sv[1]);
}

/* Out of fds at accept: the listener rests, then listens again. */
static void
accept_fails(int err, const char *text)
{
	int p[2];

	fake_reset();
	loop_init(&l, tab, LOOP_SRC_MAX);
	ctl_init(&ctl, &l, answer, NULL);
	assert_int_equal(pipe(p), 0);	/* readable: as a listener with a newcomer */
	assert_int_equal(write(p[1], "x", 1), 1);
	fake_script("listen_unix", p[0], 0, 1);
	assert_int_equal(ctl_open(&ctl, "/run/test.sock", NULL), 0);
	assert_int_equal(l.src[ctl.lid].events, POLLIN);
	fake_fail("accept", err);
	round_at(5000);
	assert_true(fake_logged(text));
	assert_int_equal(ctl.resume, 5000 + CTL_PAUSE_MS);
	assert_int_equal(loop_deadline(&l), 5000 + CTL_PAUSE_MS);
	assert_int_equal(l.src[ctl.lid].events, 0);	/* not polled: no busy loop */
	round_at(5000 + CTL_PAUSE_MS - 1);
	assert_int_equal(l.src[ctl.lid].events, 0);
	fake_script("accept", -1, EAGAIN, -1);	/* from now on, nobody waits */
	round_at(5000 + CTL_PAUSE_MS);
	assert_int_equal(l.src[ctl.lid].events, POLLIN);	/* back */
	assert_int_equal(loop_deadline(&l), -1);
	(void)close(p[0]);
	(void)close(p[1]);
}

static void
test_accept_emfile_enfile(void **state)
{
	(void)state;
	accept_fails(EMFILE, "warning: control socket: accept: Too many open files\n");
	accept_fails(ENFILE, "warning: control socket: accept: Too many open files in system\n");
}

/* Every slot taken: the listener is not polled until one is free. */
static void
test_full_listener_rests(void **state)
{
	int p[2], fds[CTL_CLIENTS_MAX][2], i;

	(void)state;
	loop_init(&l, tab, LOOP_SRC_MAX);
	ctl_init(&ctl, &l, answer, NULL);
	assert_int_equal(pipe(p), 0);
	fake_script("listen_unix", p[0], 0, 1);
	assert_int_equal(ctl_open(&ctl, "/run/test.sock", NULL), 0);
	for (i = 0; i < CTL_CLIENTS_MAX; i++) {
		assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds[i]), 0);
		assert_int_equal(ctl_adopt(&ctl, fds[i][0], true, 0), 0);
	}
	assert_int_equal(l.src[ctl.lid].events, 0);
	assert_int_equal(ctl_adopt(&ctl, p[1], true, 0), -1);
	(void)close(fds[3][1]);			/* one hangs up */
	round_at(1);
	assert_int_equal(ctl.cl[3].fd, -1);
	assert_int_equal(l.src[ctl.lid].events, POLLIN);
	for (i = 0; i < CTL_CLIENTS_MAX; i++)
		if (i != 3)
			(void)close(fds[i][1]);
	round_at(2);
	for (i = 0; i < CTL_CLIENTS_MAX; i++)
		assert_int_equal(ctl.cl[i].fd, -1);
	(void)close(p[0]);
	(void)close(p[1]);
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
		cmocka_unit_test_setup(test_silent_client_dropped, fake_setup),
		cmocka_unit_test_setup(test_full_listener_rests, fake_setup),
		cmocka_unit_test_setup(test_mounts_fail, fake_setup),
		cmocka_unit_test_setup(test_reboot_fails_in_child, fake_setup),
		cmocka_unit_test_setup(test_reboot_fails, fake_setup),
		cmocka_unit_test_setup(test_reboot_fork_fails, fake_setup),
	};

	return cmocka_run_group_tests_name("machine", tests, NULL, NULL);
}
