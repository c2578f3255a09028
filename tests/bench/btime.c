/* btime: run a command COUNT times; print each run's wall time from fork to reaped. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

/*
 * usage: btime COUNT COMMAND [ARG...]
 *
 * Prints one line per run, in nanoseconds. The command's stdio is
 * /dev/null so a terminal never enters the figure. Any run that fails ends
 * it with status 1, so an init that cannot run the command is not timed.
 */

int
main(int argc, char **argv)
{
	long i, count;
	int null;

	if (argc < 3) {
		fprintf(stderr, "usage: btime COUNT COMMAND [ARG...]\n");
		return 2;
	}
	count = atol(argv[1]);
	if ((null = open("/dev/null", O_RDWR)) < 0) {
		perror("btime: /dev/null");
		return 1;
	}
	for (i = 0; i < count; i++) {
		int64_t t0 = now_ns();
		int status;
		pid_t pid = fork();

		if (pid < 0) {
			perror("btime: fork");
			return 1;
		}
		if (pid == 0) {
			(void)dup2(null, 0);
			(void)dup2(null, 1);
			(void)dup2(null, 2);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (waitpid(pid, &status, 0) < 0) {
			perror("btime: waitpid");
			return 1;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "btime: %s failed (status 0x%x)\n", argv[2], status);
			return 1;
		}
		printf("%lld\n", (long long)(now_ns() - t0));
	}
	return 0;
}
