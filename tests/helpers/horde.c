/* horde: N orphans that all die at the same moment. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * usage: horde N
 *
 * Forks N children that wait on a pipe only this process can write, then
 * exits: the children become orphans of the nearest subreaper, and all
 * see end of file at once and exit together, N zombies in one go. Prints
 * "made N" first; exits 1 (after the same) if a fork failed.
 */
int
main(int argc, char **argv)
{
	long i, n;
	char c;
	int p[2];

	if (argc != 2 || (n = atol(argv[1])) <= 0) {
		fprintf(stderr, "usage: horde N\n");
		return 2;
	}
	if (pipe(p) < 0)
		return 2;
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			fprintf(stderr, "horde: fork %ld: %s\n", i, strerror(errno));
			break;
		}
		if (pid == 0) {
			close(p[1]);
			while (read(p[0], &c, 1) < 0 && errno == EINTR)
				;
			_exit(0);
		}
	}
	printf("made %ld\n", i);
	fflush(stdout);
	return i == n ? 0 : 1;	/* the write end closes with us: they all go */
}
