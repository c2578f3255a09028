/* termignore: a leftover that records SIGTERM and survives it (or, with -o, obeys it). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * usage: termignore [-d] [-o] REC [READY]
 *
 * Each SIGTERM appends "15\n" to REC; only SIGKILL removes the process, unless -o
 * is given, in which case it exits 0 after recording the first SIGTERM. READY is
 * created (holding our pid) once the handler is in place. -d: run as a daemon
 * (double fork, new session, stdio on /dev/null); the command itself returns only
 * when the daemon is ready, after printing the daemon's pid on stdout.
 */

static volatile sig_atomic_t obey;
static int recfd = -1;

static void
die(const char *what)
{
	fprintf(stderr, "termignore: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void
on_term(int sig)
{
	int saved = errno;

	(void)sig;
	if (write(recfd, "15\n", 3) != 3)
		_exit(3);
	if (obey)
		_exit(0);
	errno = saved;
}

/* Create PATH holding our pid, so that its existence means its content is complete. */
static void
write_ready(const char *path)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", path) >= (int)sizeof tmp) {
		errno = ENAMETOOLONG;
		die(path);
	}
	f = fopen(tmp, "w");
	if (!f)
		die(tmp);
	fprintf(f, "%ld\n", (long)getpid());
	if (fclose(f) != 0)
		die(tmp);
	if (rename(tmp, path) < 0)
		die(path);
}

/* Double fork; returns in the daemon with the write end of the readiness pipe. */
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
			n = read(p[0], buf, sizeof buf);
		while (n < 0 && errno == EINTR);
		if (n <= 0) {
			fprintf(stderr, "termignore: daemon did not get ready\n");
			exit(1);
		}
		if (write(1, buf, (size_t)n) != n)
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
	struct sigaction sa;
	int bg = 0, readyfd = -1, opt;
	sigset_t term;

	while ((opt = getopt(argc, argv, "+do")) != -1) {
		switch (opt) {
		case 'd':
			bg = 1;
			break;
		case 'o':
			obey = 1;
			break;
		default:
			fprintf(stderr, "usage: termignore [-d] [-o] REC [READY]\n");
			return 2;
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		fprintf(stderr, "usage: termignore [-d] [-o] REC [READY]\n");
		return 2;
	}
	recfd = open(argv[optind], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (recfd < 0)
		die(argv[optind]);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_term;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	if (sigaction(SIGTERM, &sa, NULL) < 0)
		die("sigaction");
	/* A blocked TERM inherited from the test would never reach the handler. */
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	if (sigprocmask(SIG_UNBLOCK, &term, NULL) < 0)
		die("sigprocmask");
	if (bg)
		readyfd = daemonize();
	if (argc - optind == 2)
		write_ready(argv[optind + 1]);
	if (readyfd >= 0) {
		char buf[32];
		int len = snprintf(buf, sizeof buf, "%ld\n", (long)getpid());

		if (write(readyfd, buf, (size_t)len) != len)
			die("ready pipe");
		(void)close(readyfd);
	}
	for (;;)
		pause();
}
