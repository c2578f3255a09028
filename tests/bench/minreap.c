/* minreap: the benchmark's "physical limit": fork the command, then only drain waitpid(-1). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * usage: minreap [--] COMMAND [ARG...]
 *
 * Everything an init must do to reap and nothing more: no signal handling,
 * no forwarding, no logging. It blocks in waitpid(-1) until no child is
 * left (ECHILD), then exits with the command's status. Not PID 1, it
 * becomes a child subreaper so orphans still come to it.
 */
int
main(int argc, char **argv)
{
	int i = 1, status, code = 0;
	pid_t child, pid;

	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i >= argc) {
		fprintf(stderr, "usage: minreap [--] COMMAND [ARG...]\n");
		return 2;
	}
	if (getpid() != 1)
		(void)prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
	child = fork();
	if (child < 0) {
		perror("minreap: fork");
		return 1;
	}
	if (child == 0) {
		execvp(argv[i], argv + i);
		_exit(errno == ENOENT ? 127 : 126);
	}
	while ((pid = waitpid(-1, &status, 0)) > 0 || errno == EINTR)
		if (pid == child)
			code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	return code;
}
