/* sigrec: record, from outside, every signal a process receives and what ended it. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * usage: sigrec PID WATCH OUT READY
 *
 * Attaches to PID with ptrace (a tracer sees every signal, even an ignored
 * one, and SIGKILL as the cause of death, which the process itself never
 * can), creates READY once attached, and appends one line to OUT per event:
 *   sig N               signal N was delivered (and is passed on unchanged)
 *   killed N alive      killed by signal N while WATCH was still running
 *   killed N exiting    killed by signal N while WATCH was exiting or gone
 *   exited N
 * WATCH is the process that should have sent the signal (reaper): when PID 1
 * of a namespace exits, the kernel kills what is left with SIGKILL itself,
 * so "killed 9 exiting" means reaper never sent its own.
 */

#define PF_EXITING	0x00000004	/* include/linux/sched.h */

static FILE *out;

static void
die(const char *what)
{
	fprintf(stderr, "sigrec: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Whether WATCH runs and is not in exit(): state not Z or X, PF_EXITING clear. */
static int
watch_alive(const char *watch)
{
	char path[64], buf[1024], state;
	unsigned long flags = 0;
	const char *p;
	FILE *f;
	size_t n;
	int i;

	snprintf(path, sizeof path, "/proc/%s/stat", watch);
	if (!(f = fopen(path, "r")))
		return 0;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (!(p = strrchr(buf, ')')))
		return 0;
	p += 2;
	state = *p;
	for (i = 3; i < 9 && p; i++)	/* fields 3 (state) to 9 (flags) */
		if ((p = strchr(p, ' ')))
			p++;
	if (p)
		flags = strtoul(p, NULL, 10);
	return state != 'Z' && state != 'X' && !(flags & PF_EXITING);
}

int
main(int argc, char **argv)
{
	pid_t pid;
	int st, fd;

	if (argc != 5) {
		fprintf(stderr, "usage: sigrec PID WATCH OUT READY\n");
		return 2;
	}
	pid = (pid_t)atol(argv[1]);
	if (!(out = fopen(argv[3], "a")))
		die(argv[3]);
	setvbuf(out, NULL, _IONBF, 0);
	if (ptrace(PTRACE_SEIZE, pid, NULL, NULL) < 0)
		die("PTRACE_SEIZE");
	if ((fd = open(argv[4], O_WRONLY | O_CREAT, 0644)) < 0)
		die(argv[4]);
	close(fd);
	for (;;) {
		siginfo_t si;

		/* Peek first: a death is judged before its zombie is reaped,
		 * since until then reaper cannot see it gone and end. */
		memset(&si, 0, sizeof si);
		if (waitid(P_PID, (id_t)pid, &si, WEXITED | WSTOPPED | WNOWAIT | __WALL) < 0) {
			if (errno == EINTR)
				continue;
			die("waitid");
		}
		if (si.si_code == CLD_KILLED || si.si_code == CLD_DUMPED) {
			fprintf(out, "killed %d %s\n", si.si_status,
			    watch_alive(argv[2]) ? "alive" : "exiting");
			(void)waitpid(pid, &st, __WALL);
			return 0;
		}
		if (si.si_code == CLD_EXITED) {
			fprintf(out, "exited %d\n", si.si_status);
			(void)waitpid(pid, &st, __WALL);
			return 0;
		}
		if (waitpid(pid, &st, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			die("waitpid");
		}
		if (WIFSTOPPED(st)) {
			int sig = WSTOPSIG(st);

			if (st >> 16 == PTRACE_EVENT_STOP) {
				/* A group-stop (a stop signal): stay stopped, as
				 * without us. Any other (SIGTRAP: a SIGCONT came,
				 * PTRACE_SEIZE reports that too): go on. */
				if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
				    sig == SIGTTOU)
					(void)ptrace(PTRACE_LISTEN, pid, NULL, NULL);
				else
					(void)ptrace(PTRACE_CONT, pid, NULL, NULL);
				continue;
			}
			fprintf(out, "sig %d\n", sig);
			if (ptrace(PTRACE_CONT, pid, NULL, (void *)(long)sig) < 0 &&
			    errno != ESRCH)
				die("PTRACE_CONT");
		}
	}
}
