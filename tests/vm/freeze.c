/*
 * freeze PID: stop a process the way a hang would, so the VM test can show
 * that a PID 1 which no longer runs gets the board reset by the watchdog.
 * The kernel delivers no stopping signal to init, but a tracer can halt any
 * process: PTRACE_SEIZE, then PTRACE_INTERRUPT, and stay attached (the
 * tracee would run again if the tracer went away). Static, for the VM.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	pid_t pid;
	int status;

	if (argc != 2 || (pid = (pid_t)atoi(argv[1])) <= 0) {
		fprintf(stderr, "usage: freeze PID\n");
		return 2;
	}
	if (ptrace(PTRACE_SEIZE, pid, 0, 0) < 0 || ptrace(PTRACE_INTERRUPT, pid, 0, 0) < 0) {
		perror("freeze: ptrace");
		return 1;
	}
	if (waitpid(pid, &status, __WALL) != pid || !WIFSTOPPED(status)) {
		perror("freeze: waitpid");
		return 1;
	}
	printf("FROZEN %d\n", (int)pid);
	fflush(stdout);
	for (;;)
		pause();
}
