/* sigcatch: record every signal it receives, one number per line, for the namespace tests. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * usage: sigcatch [-d] [-x SIG] [-s STOPFILE] OUT READY
 *
 * Every catchable signal is blocked and taken with sigwaitinfo(), so queued realtime
 * signals are counted one by one and nothing runs in a handler. Each one received
 * appends "N\n" to OUT. READY is created (atomically, holding our pid) once all of
 * that is in place. -x SIG: exit 0 after recording SIG. -s STOPFILE: exit when
 * STOPFILE exists, with the number written in it as status (0 if empty).
 * -d: run as a daemon (double fork, new session, stdio on /dev/null); the command
 * itself returns only when the daemon is ready, after printing the daemon's pid.
 */

static void
die(const char *what)
{
	fprintf(stderr, "sigcatch: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int
write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Create PATH holding our pid, so that its existence means its content is complete. */
static void
write_ready(const char *path)
{
	char tmp[4096], buf[32];
	int fd, len;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		die(path);
	}
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		die(tmp);
	len = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());
	if (write_all(fd, buf, (size_t)len) < 0 || close(fd) < 0)
		die(tmp);
	if (rename(tmp, path) < 0)
		die(path);
}

/* Read the exit status written in the stop file. */
static int
stop_code(const char *path)
{
	char buf[16] = "";
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		ssize_t n = read(fd, buf, sizeof buf - 1);

		buf[n > 0 ? n : 0] = '\0';
		(void)close(fd);
	}
	return atoi(buf) & 255;
}

/*
 * Fork twice with a new session in between. The caller returns in the daemon;
 * the original process waits until the daemon reports its pid on the pipe.
 */
static int
daemonize(void)
{
	int p[2], fd;
	pid_t pid;

	if (pipe(p) < 0)
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid > 0) {
		char buf[32];
		ssize_t n;
		int status;

		(void)close(p[1]);
		/* The middle process is reaped, so the daemon is reparented by now. */
		if (waitpid(pid, &status, 0) < 0)
			die("waitpid");
		do
			n = read(p[0], buf, sizeof buf - 1);
		while (n < 0 && errno == EINTR);
		if (n <= 0) {
			fprintf(stderr, "sigcatch: daemon did not get ready\n");
			exit(1);
		}
		if (write_all(1, buf, (size_t)n) < 0)
			die("stdout");
		exit(0);
	}
	(void)close(p[0]);
	if (setsid() < 0)
		die("setsid");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid > 0)
		_exit(0);
	fd = open("/dev/null", O_RDWR);
	if (fd < 0)
		die("/dev/null");
	(void)dup2(fd, 0);
	(void)dup2(fd, 1);
	(void)dup2(fd, 2);
	if (fd > 2)
		(void)close(fd);
	return p[1];
}

int
main(int argc, char **argv)
{
	const char *stopfile = NULL;
	int exitsig = 0, bg = 0, readyfd = -1, out, opt, s;
	sigset_t all;

	while ((opt = getopt(argc, argv, "+dx:s:")) != -1) {
		switch (opt) {
		case 'd':
			bg = 1;
			break;
		case 'x':
			exitsig = atoi(optarg);
			break;
		case 's':
			stopfile = optarg;
			break;
		default:
			fprintf(stderr, "usage: sigcatch [-d] [-x SIG] [-s STOPFILE] OUT READY\n");
			return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "usage: sigcatch [-d] [-x SIG] [-s STOPFILE] OUT READY\n");
		return 2;
	}
	sigfillset(&all);
	if (sigprocmask(SIG_BLOCK, &all, NULL) < 0)
		die("sigprocmask");
	/* An inherited SIG_IGN must not matter: blocked signals stay pending either way. */
	for (s = 1; s < NSIG; s++) {
		if (s != SIGKILL && s != SIGSTOP)
			(void)signal(s, SIG_DFL);
	}
	out = open(argv[optind], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (out < 0)
		die(argv[optind]);
	if (bg)
		readyfd = daemonize();
	write_ready(argv[optind + 1]);
	if (readyfd >= 0) {
		char buf[32];
		int len = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());

		(void)write_all(readyfd, buf, (size_t)len);
		(void)close(readyfd);
	}
	for (;;) {
		struct timespec tick = { 0, 20 * 1000 * 1000 };
		siginfo_t si;
		char buf[16];
		int len;

		if (stopfile) {
			if (access(stopfile, F_OK) == 0)
				return stop_code(stopfile);
			s = sigtimedwait(&all, &si, &tick);
		} else {
			s = sigwaitinfo(&all, &si);
		}
		if (s < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			die("sigwaitinfo");
		}
		len = snprintf(buf, sizeof buf, "%d\n", s);
		if (write_all(out, buf, (size_t)len) < 0)
			die(argv[optind]);
		if (s == exitsig)
			return 0;
	}
}
