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
#include <time.h>
#include <unistd.h>

/*
 * usage: orphans [-n NAME] [-c CODE] [-p PPIDFILE] N [PIDFILE]
 *
 * Each orphan is a grandchild whose parent exits at once. The grandchild waits
 * for that exit (end of file on a pipe only its parent holds, then until
 * getppid() names its new parent), renames itself NAME (default "orphan-kid")
 * and exits with CODE (default 0), so it dies after it was orphaned and becomes
 * a zombie of its new parent. With -p, each orphan appends the pid of that new
 * parent to PPIDFILE first. The pid of each orphan is appended to PIDFILE before
 * its parent exits, so all N are listed when this command returns 0.
 */

struct kid {
	const char *name;	/* command name of each orphan */
	int code;		/* its exit status */
	int pidfd;		/* where its pid goes, or -1 */
	int ppidfd;		/* where its new parent's pid goes, or -1 */
};

static void
die(const char *what)
{
	fprintf(stderr, "orphans: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* The grandchild: wait until orphaned and reparented, then exit. */
static void
orphan(int rfd, pid_t parent, const struct kid *k)
{
	struct timespec ms = { 0, 1000 * 1000 };
	char c, buf[32];
	ssize_t n;
	int i, len;

	(void)prctl(PR_SET_NAME, k->name, 0, 0, 0);
	do
		n = read(rfd, &c, 1);
	while (n < 0 && errno == EINTR);
	/* The pipe closes a moment before the kernel hands us to the new parent. */
	for (i = 0; i < 10000 && getppid() == parent; i++)
		(void)nanosleep(&ms, NULL);
	if (k->ppidfd >= 0) {
		len = snprintf(buf, sizeof buf, "%ld\n", (long)getppid());
		if (write(k->ppidfd, buf, (size_t)len) != len)
			_exit(99);
	}
	_exit(k->code);
}

/* The middle process: fork the orphan, record its pid, exit. */
static void
middle(const struct kid *k)
{
	pid_t me = getpid(), pid;
	char buf[32];
	int p[2], len;

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
		orphan(p[0], me, k);
	}
	(void)close(p[0]);
	if (k->pidfd >= 0) {
		len = snprintf(buf, sizeof buf, "%ld\n", (long)pid);
		if (write(k->pidfd, buf, (size_t)len) != len) {
			perror("orphans: write");
			_exit(1);
		}
	}
	_exit(0);
}

int
main(int argc, char **argv)
{
	struct kid k = { "orphan-kid", 0, -1, -1 };
	int opt;
	long i, n;

	while ((opt = getopt(argc, argv, "+n:c:p:")) != -1) {
		switch (opt) {
		case 'n':
			k.name = optarg;
			break;
		case 'c':
			k.code = atoi(optarg);
			break;
		case 'p':
			k.ppidfd = open(optarg, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
			if (k.ppidfd < 0)
				die(optarg);
			break;
		default:
			fprintf(stderr, "usage: orphans [-n NAME] [-c CODE] [-p PPIDFILE] N [PIDFILE]\n");
			return 2;
		}
	}
	if (argc - optind < 1 || argc - optind > 2) {
		fprintf(stderr, "usage: orphans [-n NAME] [-c CODE] [-p PPIDFILE] N [PIDFILE]\n");
		return 2;
	}
	n = atol(argv[optind]);
	if (argc - optind == 2) {
		k.pidfd = open(argv[optind + 1], O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (k.pidfd < 0)
			die(argv[optind + 1]);
	}
	for (i = 0; i < n; i++) {
		int status;
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0)
			middle(&k);
		if (waitpid(pid, &status, 0) < 0)
			die("waitpid");
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "orphans: creating orphan %ld failed\n", i);
			return 1;
		}
	}
	return 0;
}
