/* Descendants of reaper: kill(-1) as PID 1, else a walk of /proc. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "desc.h"
#include "fmt.h"
#include "limits.h"
#include "file.h"
#include "log.h"
#include "num.h"
#include "sys.h"

/* One snapshot of /proc; static because PID 1 allocates nothing. */
static struct {
	struct desc_proc	proc[PROC_SCAN_MAX];
	unsigned char		mark[PROC_SCAN_MAX];
} desc_snap PAGE_ALIGNED;

static int
desc_cmp(const void *a, const void *b)
{
	pid_t x = ((const struct desc_proc *)a)->pid;
	pid_t y = ((const struct desc_proc *)b)->pid;

	return (x > y) - (x < y);
}

/* The index of pid in p (sorted by pid), or -1. */
int
desc_find(const struct desc_proc *p, int n, pid_t pid)
{
	int lo = 0, hi = n - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;

		if (p[mid].pid == pid)
			return mid;
		if (p[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/*
 * Sort n elements of size bytes at base, in place: a Shell sort (Ciura's
 * gaps, grown by 2.25), a few hundred bytes where libc's qsort is 2 KB.
 * /proc lists pids in order already, so it is mostly one pass per gap.
 */
void
desc_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	static const size_t gap[] = { 44842, 19930, 8858, 3937, 1750, 701, 301,
	    132, 57, 23, 10, 4, 1 };
	char *b = base;
	size_t g, i, j, k;

	for (g = 0; g < sizeof(gap) / sizeof(gap[0]); g++)
		for (i = gap[g]; i < n; i++)
			for (j = i; j >= gap[g] && cmp(b + (j - gap[g]) * size, b + j * size) > 0;
			    j -= gap[g])
				for (k = 0; k < size; k++) {
					char t = b[j * size + k];

					b[j * size + k] = b[(j - gap[g]) * size + k];
					b[(j - gap[g]) * size + k] = t;
				}
}

/*
 * Mark every process of p that descends from root; returns how many.
 * Sorts p by pid. Pure, so tests can feed it any tree.
 */
int
desc_mark(struct desc_proc *p, int n, pid_t root, unsigned char *mark)
{
	int i, j, count = 0, grew = 1;

	desc_sort(p, (size_t)n, sizeof(*p), desc_cmp);
	memset(mark, 0, (size_t)n);
	while (grew) {	/* one pass per generation: trees are shallow */
		grew = 0;
		for (i = 0; i < n; i++) {
			if (mark[i] || p[i].pid == root)
				continue;
			j = desc_find(p, n, p[i].ppid);
			if (p[i].ppid == root || (j >= 0 && mark[j])) {
				mark[i] = 1;
				count++;
				grew = 1;
			}
		}
	}
	return count;
}

/*
 * The parent and command name of pid from /proc/PID/stat, "pid (comm) S
 * ppid ...": comm may hold anything, so its last ')' is sought. comm may
 * be NULL. 0, or -1 when pid is gone.
 */
int
desc_stat(pid_t pid, pid_t *ppid, char *comm, size_t len)
{
	char path[32], buf[512];
	const char *l, *r, *d;
	unsigned long v = 0;

	(void)fmt_print(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (file_read(path, buf, sizeof(buf)) <= 0 || !(l = strchr(buf, '(')) ||
	    !(r = strrchr(buf, ')')) || strlen(r) < 5)
		return -1;
	for (d = r + 4; *d >= '0' && *d <= '9' && v <= 0x7fffffff; d++)	/* kernel digits */
		v = v * 10 + (unsigned long)(*d - '0');
	if (v > 0x7fffffff)
		return -1;
	*ppid = (pid_t)v;
	if (comm)
		(void)fmt_print(comm, len, "%.*s", (int)(r - l - 1), l + 1);
	return 0;
}

/* Call fn for each process /proc lists; 0, or -1 if /proc cannot be read. */
int
desc_each(void (*fn)(void *ctx, pid_t pid), void *ctx)
{
	char buf[4096];
	unsigned long pid;
	int fd, n, off;

	if ((fd = sys_open("/proc", O_RDONLY | O_DIRECTORY)) < 0)
		return -1;
	while ((n = sys_getdents(fd, buf, sizeof(buf))) > 0)
		for (off = 0; off < n;) {
			/* struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name */
			unsigned short reclen;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			if (num_ulong(buf + off + 19, 0x7fffffff, &pid) == 0)
				fn(ctx, (pid_t)pid);
			off += reclen;
		}
	(void)sys_close(fd);
	return n < 0 ? -1 : 0;
}

struct desc_fill {
	int	n;
	bool	full;
};

static void
desc_add(void *ctx, pid_t pid)
{
	struct desc_fill *f = ctx;
	pid_t ppid;

	if (f->n == PROC_SCAN_MAX) {
		f->full = true;
		return;
	}
	if (desc_stat(pid, &ppid, NULL, 0) < 0)
		return;		/* gone meanwhile */
	desc_snap.proc[f->n].pid = pid;
	desc_snap.proc[f->n].ppid = ppid;
	f->n++;
}

/* Fill desc_snap from /proc; returns the count, or -1. */
static int
desc_scan(void)
{
	struct desc_fill f = { 0, false };

	if (desc_each(desc_add, &f) < 0)
		return -1;
	if (f.full)
		log_msg(LV_ERR, "more than %d processes; some descendants may be missed",
		    PROC_SCAN_MAX);
	return f.n;
}

/*
 * Signal one process found in the snapshot, unless its pid has changed
 * hands since: a pidfd pins the process, then its parent is checked again.
 */
static int
desc_kill(const struct desc_proc *p, int sig)
{
	pid_t ppid;
	int fd, r;

	if ((fd = sys_pidfd_open(p->pid)) < 0) {
		if (errno != ENOSYS)
			return -1;	/* gone already */
		return sys_kill(p->pid, sig);	/* kernels before 5.3 */
	}
	r = desc_stat(p->pid, &ppid, NULL, 0) == 0 && ppid == p->ppid ?
	    sys_pidfd_kill(fd, sig) : -1;
	(void)sys_close(fd);
	return r;
}

/*
 * Send sig to every descendant of self: as PID 1 of a namespace that is
 * everyone else (kill(-1) does it atomically); otherwise those found
 * below self in /proc. Returns how many were signalled, or -1.
 */
int
desc_signal(pid_t self, bool pid1, int sig)
{
	int i, n, sent = 0;
	bool found = false;

	if (pid1) {
		if (sys_kill(-1, sig) == 0)
			return 1;
		return errno == ESRCH ? 0 : -1;
	}
	if ((n = desc_scan()) < 0) {
		log_sys(LV_ERR, "unable to list processes in /proc");
		return -1;
	}
	for (i = 0; i < n && !found; i++)
		found = desc_snap.proc[i].pid == self;
	if (!found) {	/* another namespace's /proc would name strangers */
		log_msg(LV_ERR, "/proc does not list reaper itself "
		    "(not mounted, or another PID namespace's)");
		errno = ESRCH;
		return -1;
	}
	(void)desc_mark(desc_snap.proc, n, self, desc_snap.mark);
	for (i = 0; i < n; i++)
		if (desc_snap.mark[i] && desc_kill(&desc_snap.proc[i], sig) == 0)
			sent++;
	return sent;
}
