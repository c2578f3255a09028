/* storm: send COUNT copies of signal SIG to PID as fast as the kernel takes them. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/*
 * usage: storm PID SIG COUNT
 *
 * A realtime signal is queued, so every copy counts; when the queue of
 * the user is full, kill says EAGAIN and storm tries that copy again.
 * Prints "sent COUNT, retried N" and exits 0, or 1 if a kill failed
 * otherwise (the target is gone).
 */
int
main(int argc, char **argv)
{
	unsigned long i, count, retried = 0;
	pid_t pid;
	int sig;

	if (argc != 4) {
		fprintf(stderr, "usage: storm PID SIG COUNT\n");
		return 2;
	}
	pid = (pid_t)atol(argv[1]);
	sig = atoi(argv[2]);
	count = strtoul(argv[3], NULL, 10);
	for (i = 0; i < count; i++) {
		while (kill(pid, sig) < 0) {
			if (errno != EAGAIN) {
				fprintf(stderr, "storm: kill after %lu: %s\n", i, strerror(errno));
				return 1;
			}
			retried++;
			(void)sched_yield();
		}
	}
	printf("sent %lu, retried %lu\n", count, retried);
	return 0;
}
