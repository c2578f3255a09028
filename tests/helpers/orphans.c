/* orphans: make N orphans that become zombies of the nearest subreaper or PID 1. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * usage: orphans [-n NAME] [-c CODE] N [PIDFILE]
 *
 * Each orphan is a grandchild whose parent exits at once. The grandchild waits
 * for that exit (end of file on a pipe only its parent holds), renames itself
 * NAME (default "orphan-kid") and exits with CODE (default 0), so it dies after
 * it was orphaned and becomes a zombie of its new parent. The pid of each orphan
 * is appended to PIDFILE before its parent exits, so all N are listed when this
 * command returns 0.
 */

static void
die(const char *what)
{
	fprintf(stderr, "orphans: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Child side of the grandchild: wait until orphaned, then exit. */
static void
orphan(int rfd, const char *name, int code)
{
	char c;
	ssize_t n;

	(void)prctl(PR_SET_NAME, name, 0, 0, 0);
	do
		n = read(rfd, &c, 1);
	while (n < 0 && errno == EINTR);
	_exit(code);
}

/* The middle process: fork the orphan, record its pid, exit. */
static void
middle(int pidfd, const char *name, int code)
{
	char buf[32];
	int p[2], len;
	pid_t pid;

	if (pipe(p) < 0) {
		perror("orphans: pipe");
		_exit(1);
	}
	pid = fork();
	if (pid < 0) {
		perror("orphans: fork");
		_exit(1);
	}
	if (pid == 0) {
		(void)close(p[1]);
		orphan(p[0], name, code);
	}
	(void)close(p[0]);
	if (pidfd >= 0) {
		len = snprintf(buf, sizeof buf, "%ld\n", (long)pid);
		if (write(pidfd, buf, (size_t)len) != len) {
			perror("orphans: write");
			_exit(1);
		}
	}
	_exit(0);
}

int
main(int argc, char **argv)
{
	const char *name = "orphan-kid";
	int code = 0, pidfd = -1, opt;
	long i, n;

	while ((opt = getopt(argc, argv, "+n:c:")) != -1) {
		switch (opt) {
		case 'n':
			name = optarg;
			break;
		case 'c':
			code = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: orphans [-n NAME] [-c CODE] N [PIDFILE]\n");
			return 2;
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		fprintf(stderr, "usage: orphans [-n NAME] [-c CODE] N [PIDFILE]\n");
		return 2;
	}
	n = atol(argv[optind]);
	if (argc - optind == 2) {
		pidfd = open(argv[optind + 1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (pidfd < 0)
			die(argv[optind + 1]);
	}
	for (i = 0; i < n; i++) {
		int status;
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0)
			middle(pidfd, name, code);
		if (waitpid(pid, &status, 0) < 0)
			die("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "orphans: creating orphan %ld failed\n", i);
			return 1;
		}
	}
	return 0;
}
