/*
 * bomb FILE: a fork bomb that stops short of spinning. Every process
 * forks until the kernel refuses, and each child does the same, so the
 * processes multiply until pids.max of their cgroup says no; then each
 * waits in pause() (an endless retry would only burn the emulated CPU).
 * The first process writes "refused ERRNO" to FILE at its first refusal
 * (EAGAIN is what pids.max gives). Static, for the VM's cgroups scenario.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	pid_t first = getpid();
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: bomb FILE\n");
		return 2;
	}
	for (;;) {
		pid_t pid = fork();

		if (pid < 0)
			break;
		/* the parent and the child both go on forking */
	}
	if (getpid() == first) {
		int e = errno;

		if ((f = fopen(argv[1], "w")) == NULL)
			return 1;
		fprintf(f, "refused %s\n", e == EAGAIN ? "EAGAIN" : strerror(e));
		fclose(f);
	}
	for (;;)
		pause();
}
