/* Unit tests of the real sys layer: EINTR retried in one place, fds, masks. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "sys.h"

static volatile sig_atomic_t alarms;
static int pipe_w = -1;

/* Interrupts the call under test, then lets it finish. */
static void
on_alarm(int sig)
{
	(void)sig;
	alarms++;
	if (pipe_w >= 0) {
		(void)write(pipe_w, "x", 1);
		(void)close(pipe_w);
		pipe_w = -1;
	}
}

static void
arm_alarm(void)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 0 }, { 0, 20000 } };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;	/* no SA_RESTART: the kernel says EINTR */
	assert_int_equal(sigaction(SIGALRM, &sa, NULL), 0);
	alarms = 0;
	assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
}

/* waitpid is interrupted while the child cannot have exited yet. */
static void
test_waitpid_retries_eintr(void **state)
{
	int p[2], status = 0;
	char c;
	pid_t pid;

	(void)state;
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		(void)close(p[1]);
		_exit(read(p[0], &c, 1) == 1 ? 5 : 6);	/* waits for the handler */
	}
	(void)close(p[0]);
	pipe_w = p[1];
	arm_alarm();
	assert_int_equal(sys_waitpid(pid, &status, 0), pid);
	assert_int_equal(alarms, 1);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 5);
}

static void
test_read_retries_eintr(void **state)
{
	int p[2];
	char c = 0;

	(void)state;
	assert_int_equal(pipe(p), 0);
	pipe_w = p[1];
	arm_alarm();
	assert_int_equal(sys_read(p[0], &c, 1), 1);	/* only the handler writes */
	assert_int_equal(alarms, 1);
	assert_int_equal(c, 'x');
	(void)close(p[0]);
}

static void
test_signalfd_avoids_std_fds(void **state)
{
	int saved = dup(0), fd;

	(void)state;
	assert_true(saved >= 0);
	(void)close(0);	/* the lowest free fd is now 0 */
	fd = sys_signalfd(0);
	assert_int_equal(dup2(saved, 0), 0);
	(void)close(saved);
	assert_true(fd >= 3);
	assert_true(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	(void)close(fd);
}

static void
test_close_from_keeps_one(void **state)
{
	int a = open("/dev/null", O_RDONLY), b = dup(a), c = dup(a);

	(void)state;
	assert_true(a >= 3 && b > a && c > b);
	assert_int_equal(sys_close_from(a, &b, 1), 0);
	assert_int_equal(fcntl(a, F_GETFD), -1);
	assert_true(fcntl(b, F_GETFD) >= 0);
	assert_int_equal(fcntl(c, F_GETFD), -1);
	(void)close(b);
}

/* Several kept fds, given in any order, and the spans around them closed. */
static void
test_close_from_keeps_several(void **state)
{
	int fds[6], keep[2], i;

	(void)state;
	fds[0] = open("/dev/null", O_RDONLY);
	for (i = 1; i < 6; i++)
		fds[i] = dup(fds[0]);
	keep[0] = fds[4];
	keep[1] = fds[1];
	assert_int_equal(sys_close_from(fds[0], keep, 2), 0);
	for (i = 0; i < 6; i++)
		assert_int_equal(fcntl(fds[i], F_GETFD) >= 0, i == 1 || i == 4);
	(void)close(fds[1]);
	(void)close(fds[4]);
}

/* The raw mask reaches signals the C library keeps for itself (32-34). */
static void
test_raw_mask_and_disposition(void **state)
{
	uint64_t set = (uint64_t)1 << (33 - 1), old = 0, now = 0, none = 0;
	bool ign = true;

	(void)state;
	assert_int_equal(sys_sigmask(SIG_BLOCK, &set, &old), 0);
	assert_int_equal(sys_sigmask(SIG_BLOCK, &none, &now), 0);
	assert_true(now & set);
	assert_int_equal(sys_sigmask(SIG_SETMASK, &old, NULL), 0);
	assert_int_equal(sys_sig_set(SIGUSR1, true), 0);
	assert_int_equal(sys_sig_ignored(SIGUSR1, &ign), 0);
	assert_true(ign);
	assert_int_equal(sys_sig_set(SIGUSR1, false), 0);
	assert_int_equal(sys_sig_ignored(SIGUSR1, &ign), 0);
	assert_false(ign);
}

/* Peeking leaves the zombie in place, so its name can still be read. */
static void
test_peek_does_not_reap(void **state)
{
	struct timespec ms = { 0, 1000000 };
	pid_t pid, seen = 0;
	int i, status;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(9);
	for (i = 0; i < 5000 && seen == 0; i++) {	/* bounded: 5 s at most */
		seen = sys_wait_peek();
		if (seen == 0)
			(void)nanosleep(&ms, NULL);
	}
	assert_int_equal(seen, pid);
	assert_int_equal(sys_wait_peek(), pid);	/* still there */
	assert_int_equal(sys_waitpid(pid, &status, WNOHANG), pid);
	assert_int_equal(WEXITSTATUS(status), 9);
	assert_int_equal(sys_wait_peek(), -1);
	assert_int_equal(errno, ECHILD);
}

static void
test_wait_fd_times_out(void **state)
{
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(sys_wait_fd(p[0], 0), 0);
	assert_int_equal(write(p[1], "y", 1), 1);
	assert_int_equal(sys_wait_fd(p[0], -1), 1);
	(void)close(p[0]);
	(void)close(p[1]);
}

/* A directory read name by name: every name once, across several getdents reads. */
static void
test_dir_lists_every_name(void **state)
{
	char dir[] = "/tmp/reaper-dir.XXXXXX", path[128], cmd[160];
	bool seen[200] = { false };
	struct sys_dir d;
	const char *name;
	int i, n = 0, dots = 0, r;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < 200; i++) {	/* ~40 bytes a record: past one 2 KB read */
		int fd;

		snprintf(path, sizeof(path), "%s/file-with-a-longish-name-%03d", dir, i);
		assert_true((fd = open(path, O_WRONLY | O_CREAT, 0644)) >= 0);
		(void)close(fd);
	}
	assert_int_equal(sys_dir_open(&d, dir), 0);
	while ((r = sys_dir_next(&d, &name)) == 1) {
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			dots++;
			continue;
		}
		assert_int_equal(sscanf(name, "file-with-a-longish-name-%d", &i), 1);
		assert_false(seen[i]);
		seen[i] = true;
		n++;
	}
	assert_int_equal(r, 0);
	sys_dir_close(&d);
	assert_int_equal(d.fd, -1);
	assert_int_equal(n, 200);
	assert_int_equal(dots, 2);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(sys_dir_open(&d, dir), -1);
	assert_int_equal(errno, ENOENT);
}

/*
 * Runs fn(path) in a child as uid and gid 65534 with no groups (when the
 * test is root; else as we are), in a fresh folder of /tmp with mode dir;
 * sock: a stale socket of root's with that mode put at path first (0:
 * none). The child's exit status: 0 when fn was satisfied.
 */
static int
as_nobody(int (*fn)(const char *path), unsigned dir_mode, unsigned sock)
{
	char dir[] = "/tmp/reaper-net.XXXXXX", path[64], cmd[96];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int st, fd;
	pid_t pid;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/s.sock", dir);
	if (sock) {
		strcpy(sa.sun_path, path);
		assert_true((fd = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
		assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
		(void)close(fd);	/* stale: nobody listens */
		assert_int_equal(chmod(path, sock), 0);
	}
	assert_int_equal(chmod(dir, dir_mode), 0);
	assert_true((pid = fork()) >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgroups(0, NULL) < 0 || setresgid(65534, 65534, 65534) < 0 ||
		    setresuid(65534, 65534, 65534) < 0))
			_exit(9);
		_exit(fn(path));
	}
	assert_int_equal(waitpid(pid, &st, 0), pid);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 100;
}

/* Bound, then a group it may not give (root's): -2 EPERM, and no socket file stays. */
static int
group_refused(const char *path)
{
	int r = sys_listen_unix(path, 0660, 0);

	if (r != -2 || errno != EPERM)
		return 1;
	return access(path, F_OK) < 0 && errno == ENOENT ? 0 : 2;
}

static void
test_listen_group_refused_leaves_nothing(void **state)
{
	(void)state;
	if (geteuid() != 0 && getegid() == 0)
		skip();
	assert_int_equal(as_nobody(group_refused, 0777, 0), 0);
}

/* A group it is in may be given by anyone: the socket is made, in that group. */
static int
group_own(const char *path)
{
	struct stat st;
	int fd = sys_listen_unix(path, 0660, getegid());

	if (fd < 0)
		return 1;
	return lstat(path, &st) == 0 && st.st_gid == getegid() && (st.st_mode & 0777) == 0660 &&
	    st.st_uid == geteuid() ? 0 : 2;
}

static void
test_listen_group_own(void **state)
{
	(void)state;
	assert_int_equal(as_nobody(group_own, 0777, 0), 0);
}

/*
 * Someone else's socket that uid 65534 may not connect to (so it cannot
 * tell stale from live), or may not remove: EACCES (so a per-user path is
 * used), and the socket left.
 */
static int
foreign_socket(const char *path)
{
	if (sys_listen_unix(path, 0600, (gid_t)-1) != -1)
		return 1;
	if (errno != EACCES)
		return 2;
	return sys_is_socket(path) ? 0 : 3;
}

static void
test_listen_foreign_socket(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();		/* a socket of another user's takes root to set up */
	assert_int_equal(as_nobody(foreign_socket, 0755, 0600), 0);	/* neither */
	assert_int_equal(as_nobody(foreign_socket, 0777, 0600), 0);	/* removable, not askable */
	assert_int_equal(as_nobody(foreign_socket, 0755, 0666), 0);	/* stale, not removable */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_waitpid_retries_eintr),
		cmocka_unit_test(test_read_retries_eintr),
		cmocka_unit_test(test_signalfd_avoids_std_fds),
		cmocka_unit_test(test_close_from_keeps_one),
		cmocka_unit_test(test_close_from_keeps_several),
		cmocka_unit_test(test_raw_mask_and_disposition),
		cmocka_unit_test(test_peek_does_not_reap),
		cmocka_unit_test(test_wait_fd_times_out),
		cmocka_unit_test(test_dir_lists_every_name),
		cmocka_unit_test(test_listen_group_refused_leaves_nothing),
		cmocka_unit_test(test_listen_group_own),
		cmocka_unit_test(test_listen_foreign_socket),
	};

	return cmocka_run_group_tests_name("sys", tests, NULL, NULL);
}
