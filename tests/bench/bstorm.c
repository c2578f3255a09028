/* bstorm: double-fork N orphans as fast as possible; time until the init has reaped them all. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"

/*
 * usage: bstorm CGROUP N OUTFILE
 *
 * Run as the init's main child. It moves itself into CGROUP, a fresh
 * cgroup of the pids controller, so every process it makes is counted
 * there, and the kernel keeps counting a process until its parent reaps it
 * (pids.current is uncharged at release, not at exit). Then, for each of
 * N orphans, it starts a middle process that starts the orphan and exits;
 * the orphan exits at once, so it ends as a zombie handed to the init. The
 * storm reaps its middles itself, never waiting while it makes orphans.
 *
 * When all N are made, it waits until CGROUP holds only itself: the init
 * has reaped the last orphan. It reads pids.current between short sleeps
 * only then, so no sampler competes with the init while orphans are made. OUTFILE gets "N ELAPSED_NS FORK_NS PEAK CPU_NS": the time from the
 * first fork to the last orphan reaped, the time the forks took,
 * pids.peak - 1, the most processes of the storm unreaped at once (zombies,
 * plus the few middles and orphans not yet through _exit), and the CPU time
 * the init (our parent) used meanwhile, from /proc/PPID/schedstat (-1 if
 * unknown).
 *
 * With READY and GO (bstorm CGROUP N OUTFILE READY GO): it makes READY,
 * then waits for GO to exist before the first orphan, so a counter can be
 * attached to the init meanwhile (the init sleeps then: it counts nothing
 * it should not).
 */

/* The number a small file starts with, or -1 if it cannot be read. */
static long long
read_first(const char *path)
{
	char buf[128];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	(void)close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return atoll(buf);
}

static long
read_num(const char *dir, const char *file)
{
	char path[512];

	(void)snprintf(path, sizeof(path), "%s/%s", dir, file);
	return (long)read_first(path);
}

/* The CPU time the init (our parent) has had so far, in ns (schedstat's first field). */
static long long
parent_cpu(void)
{
	char path[64];

	(void)snprintf(path, sizeof(path), "/proc/%d/schedstat", (int)getppid());
	return read_first(path);
}

static int
join(const char *dir)
{
	char path[512];
	int fd, ok;

	(void)snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
	if ((fd = open(path, O_WRONLY | O_CLOEXEC)) < 0)
		return -1;
	ok = write(fd, "0\n", 2) == 2;
	(void)close(fd);
	return ok ? 0 : -1;
}

#if defined(__x86_64__)
/*
 * One orphan, fast: clone(CLONE_VM) copies no page tables and does not
 * wait, so the storm makes orphans faster than an init can reap them and
 * the figure is the init's, not fork()'s. The children run on the storm's
 * stack pointer, so they must never touch memory: the middle clones the
 * orphan and both exit, all in registers (no handler can run in them, as
 * the storm has none). Returns the middle's pid or -errno.
 */
static long
orphan(void)
{
	long ret;

	__asm__ volatile(
	    "syscall\n\t"
	    "test %%rax, %%rax\n\t"
	    "jnz 1f\n\t"
	    "mov $56, %%eax\n\t"		/* the middle: clone() again */
	    "syscall\n\t"
	    "mov $231, %%eax\n\t"		/* middle and orphan: exit_group(0) */
	    "xor %%edi, %%edi\n\t"
	    "syscall\n"
	    "1:"
	    : "=a"(ret)
	    : "0"(56L), "D"((long)(CLONE_VM | SIGCHLD)), "S"(0L), "d"(0L)
	    : "rcx", "r8", "r10", "r11", "memory");
	return ret;
}
#else
/* Elsewhere, plain fork: slower, so the storm measures fork() more. */
static long
orphan(void)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (fork() < 0)
			_exit(1);
		_exit(0);
	}
	return pid < 0 ? -errno : pid;
}
#endif

int
main(int argc, char **argv)
{
	struct timespec tick = { 0, 200 * 1000 };
	int64_t t0, t_forked, t_end, limit;
	long long cpu0, cpu1;
	long i, n, cur = -1;
	FILE *f;

	if (argc != 4 && argc != 6) {
		fprintf(stderr, "usage: bstorm CGROUP N OUTFILE [READY GO]\n");
		return 2;
	}
	n = atol(argv[2]);
	if (join(argv[1]) < 0) {
		fprintf(stderr, "bstorm: cannot join %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (argc == 6) {
		int fd = open(argv[4], O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

		if (fd < 0)
			return 1;
		(void)close(fd);
		for (i = 0; access(argv[5], F_OK) != 0; i++) {
			if (i == 150000) {	/* 30 s: the bench gave up */
				fprintf(stderr, "bstorm: no go\n");
				return 1;
			}
			(void)nanosleep(&tick, NULL);
		}
	}
	cpu0 = parent_cpu();
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		long r;

		while ((r = orphan()) == -EAGAIN)	/* short of pids for a moment */
			(void)nanosleep(&tick, NULL);
		if (r < 0) {
			fprintf(stderr, "bstorm: clone: %s\n", strerror((int)-r));
			return 1;
		}
		/* Reap the middles as we go, never waiting. */
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	while (waitpid(-1, NULL, 0) > 0)	/* the last middles */
		;
	t_forked = now_ns();
	limit = t0 + (int64_t)120 * 1000000000;
	while ((cur = read_num(argv[1], "pids.current")) > 1 && now_ns() < limit)
		(void)nanosleep(&tick, NULL);
	t_end = now_ns();
	cpu1 = parent_cpu();
	if (cur != 1) {
		fprintf(stderr, "bstorm: %ld processes still unreaped\n", cur - 1);
		return 1;
	}
	if (!(f = fopen(argv[3], "w")))
		return 1;
	fprintf(f, "%ld %lld %lld %ld %lld\n", n, (long long)(t_end - t0),
	    (long long)(t_forked - t0), read_num(argv[1], "pids.peak") - 1,
	    cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0);
	return fclose(f) == 0 ? 0 : 1;
}
