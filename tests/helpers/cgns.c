/*
 * cgns [-r|-s|-n] CGDIR COMMAND [ARG...]: run COMMAND as PID 1 of a new PID
 * namespace, the only process of the cgroup CGDIR (made here, a cgroup2
 * directory of the host), in a cgroup namespace rooted there and a mount
 * namespace of its own with /proc and cgroup2 (read-only with -r) mounted
 * at /sys/fs/cgroup: what a container gives reaper. This process stays
 * outside, in its own cgroup, waits for COMMAND, then removes CGDIR and
 * what was made under it (deepest first, retried while the kernel still
 * counts the last exits), and exits with COMMAND's status (128 + signal).
 * COMMAND dies with this process (PR_SET_PDEATHSIG). With -s this process
 * shares CGDIR with COMMAND while it runs (a process of another PID
 * namespace, "0" in COMMAND's cgroup.procs), and leaves for CGDIR's parent
 * at the end. With -n no cgroup2 is mounted, and the host's are taken
 * away (detached in COMMAND's mount namespace): a machine without cgroup2.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <ftw.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int busy;	/* directories rmdir refused in one pass */

static void
die(const char *what)
{
	fprintf(stderr, "cgns: %s: %s\n", what, strerror(errno));
	_exit(125);
}

/* The calling process into the cgroup dir. */
static void
join(const char *dir)
{
	char procs[4096];
	int fd;

	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	if ((fd = open(procs, O_WRONLY | O_CLOEXEC)) < 0 || write(fd, "0", 1) != 1)
		die(procs);
	close(fd);
}

/* The child: into CGDIR, new namespaces, mounts, then COMMAND. It is PID 1 here. */
static void
child(const char *dir, int ro, char **cmd, int alive)
{
	struct pollfd p = { alive, POLLIN, 0 };

	/* getppid() is 0 here (the parent is outside): its pipe says whether it lives. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		die("prctl");
	if (poll(&p, 1, 0) != 0)
		_exit(125);	/* the parent is gone already */
	close(alive);
	join(dir);
	/* The cgroup namespace is rooted at the cgroup it is made in: CGDIR. */
	if (unshare(CLONE_NEWCGROUP | CLONE_NEWNS) < 0)
		die("unshare cgroup, mount");
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("make / private");
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		die("mount /proc");
	if (ro == 2) {		/* -n: the host's cgroup2 (hybrid or not) detached */
		(void)umount2("/sys/fs/cgroup/unified", MNT_DETACH);
		(void)umount2("/sys/fs/cgroup", MNT_DETACH);
	} else if (mount("cgroup2", "/sys/fs/cgroup", "cgroup2",
	    MS_NOSUID | MS_NODEV | MS_NOEXEC | (ro ? MS_RDONLY : 0), NULL) < 0) {
		die("mount cgroup2 on /sys/fs/cgroup");
	}
	execvp(cmd[0], cmd);
	fprintf(stderr, "cgns: %s: %s\n", cmd[0], strerror(errno));
	_exit(errno == ENOENT ? 127 : 126);
}

static int
rm_dir(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP && rmdir(p) < 0 && errno != ENOENT)
		busy++;
	return 0;
}

/* CGDIR and every cgroup under it, deepest first: 0, or -1 when some stay. */
static int
remove_tree(const char *dir)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int i;

	for (i = 0; i < 250; i++) {	/* 5 s at most */
		busy = 0;
		if (nftw(dir, rm_dir, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno == ENOENT)
			return 0;
		if (busy == 0)
			return 0;
		nanosleep(&ts, NULL);
	}
	fprintf(stderr, "cgns: unable to remove %s\n", dir);
	return -1;
}

int
main(int argc, char **argv)
{
	int ro = 0, share = 0, status, alive[2];
	char up[4096];
	pid_t pid;

	if (argc > 1 && (strcmp(argv[1], "-r") == 0 || strcmp(argv[1], "-s") == 0 ||
	    strcmp(argv[1], "-n") == 0)) {
		ro = argv[1][1] == 'r' ? 1 : argv[1][1] == 'n' ? 2 : 0;
		share = argv[1][1] == 's';
		argv++;
		argc--;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: cgns [-r|-s|-n] CGDIR COMMAND [ARG...]\n");
		return 125;
	}
	if (mkdir(argv[1], 0755) < 0 && errno != EEXIST)
		die(argv[1]);
	snprintf(up, sizeof(up), "%s", argv[1]);
	if (share)	/* before the fork: in it before the command can look */
		join(argv[1]);
	/* The next child is PID 1 of a new PID namespace; this process is not in it. */
	if (unshare(CLONE_NEWPID) < 0)
		die("unshare pid");
	if (pipe2(alive, O_CLOEXEC) < 0)
		die("pipe");
	if ((pid = fork()) < 0)
		die("fork");
	if (pid == 0) {
		close(alive[1]);
		child(argv[1], ro, argv + 2, alive[0]);
	}
	close(alive[0]);
	/* Signals meant for the command (stop_with sends them to it directly) are not ours. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("waitpid");
	if (share)
		join(dirname(up));
	if (remove_tree(argv[1]) < 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 125;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
