/* bsigsend: send SIGUSR1 to an init COUNT times; print each latency to the child's handler. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

/*
 * usage: bsigsend PID FIFO COUNT GAP_US
 *
 * For each signal: read CLOCK_MONOTONIC, kill(PID, SIGUSR1), then sleep in
 * read() until bchild's handler writes its own CLOCK_MONOTONIC to FIFO; the
 * difference, in nanoseconds, is printed one per line. Waiting in the kernel,
 * not spinning, leaves both cores to the init and its child. GAP_US between
 * signals lets the init go back to sleep, as between real signals.
 */

int
main(int argc, char **argv)
{
	struct timespec gap;
	struct pollfd p;
	long i, count, gap_us;
	pid_t pid;
	int fd;

	if (argc != 5) {
		fprintf(stderr, "usage: bsigsend PID FIFO COUNT GAP_US\n");
		return 2;
	}
	pid = (pid_t)atol(argv[1]);
	count = atol(argv[3]);
	gap_us = atol(argv[4]);
	gap.tv_sec = gap_us / 1000000;
	gap.tv_nsec = (gap_us % 1000000) * 1000;
	if ((fd = open(argv[2], O_RDONLY | O_CLOEXEC)) < 0) {
		fprintf(stderr, "bsigsend: %s: %s\n", argv[2], strerror(errno));
		return 1;
	}
	p.fd = fd;
	p.events = POLLIN;
	for (i = 0; i < count; i++) {
		int64_t t0, t1;

		(void)nanosleep(&gap, NULL);
		t0 = now_ns();
		if (kill(pid, SIGUSR1) < 0) {
			fprintf(stderr, "bsigsend: kill %ld: %s\n", (long)pid, strerror(errno));
			return 1;
		}
		if (poll(&p, 1, 5000) != 1 || read(fd, &t1, sizeof(t1)) != (ssize_t)sizeof(t1)) {
			fprintf(stderr, "bsigsend: signal %ld never reached the child\n", i);
			return 1;
		}
		printf("%lld\n", (long long)(t1 - t0));
	}
	return 0;
}
