/* bchild: the benchmark's main child: idle, or a signal receiver that timestamps. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/*
 * usage: bchild idle READYFILE
 *        bchild sig FIFO READYFILE
 *
 * idle: create READYFILE, then sleep in pause() until killed.
 * sig: on each SIGUSR1, read CLOCK_MONOTONIC first thing in the handler and
 * write it (8 bytes, nanoseconds) to FIFO, where bsigsend waits for it.
 * READYFILE appears once the handler is in place.
 */

static int out = -1;

static void
on_usr1(int sig)
{
	struct timespec ts;
	int64_t ns;

	(void)sig;
	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
	if (write(out, &ns, sizeof(ns)) != (ssize_t)sizeof(ns))
		_exit(3);
}

static int
ready(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0) {
		fprintf(stderr, "bchild: %s: %s\n", path, strerror(errno));
		return -1;
	}
	(void)close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	struct sigaction sa;

	if (argc == 3 && strcmp(argv[1], "idle") == 0) {
		if (ready(argv[2]) < 0)
			return 1;
		for (;;)
			pause();
	}
	if (argc != 4 || strcmp(argv[1], "sig") != 0) {
		fprintf(stderr, "usage: bchild idle READYFILE | bchild sig FIFO READYFILE\n");
		return 2;
	}
	/* Read-write, so opening never waits for a reader. */
	if ((out = open(argv[2], O_RDWR | O_CLOEXEC)) < 0) {
		fprintf(stderr, "bchild: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL) < 0 || ready(argv[3]) < 0)
		return 1;
	for (;;)
		pause();
}
