/* The system call seam, fds: open, read, write, close, pipes, and closing all but some. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys.h"

/*
 * fcntl and lstat as plain system calls: libc's wrappers carry fallbacks
 * for kernels older than 2.6.24 and for O_PATH fds (1 KB) that reaper's
 * few uses never need. struct stat is the kernel's on 64-bit Linux libcs;
 * 32-bit arches have no SYS_newfstatat, so they fail to build here rather
 * than misread a differently laid out struct.
 */
static int
sys_fcntl(int fd, int cmd, int arg)
{
	return (int)syscall(SYS_fcntl, fd, cmd, arg);
}

int
sys_lstat(const char *path, struct stat *st)
{
	return (int)syscall(SYS_newfstatat, AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

/* Close lo..hi by number, up to the fd limit: the last resort. */
static int
close_counted(unsigned lo, unsigned hi)
{
	struct rlimit rl;
	unsigned fd;

	if (syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &rl) < 0)
		return -1;
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur - 1 < hi)
		hi = (unsigned)rl.rlim_cur - 1;
	for (fd = lo; fd <= hi && fd < 1048576; fd++)
		(void)close((int)fd);
	return 0;
}

/* Close the open fds in lo..hi that /proc/self/fd lists. */
static int
close_listed(unsigned lo, unsigned hi)
{
	char buf[1024];
	long n, off;
	int dfd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/fd",
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0)
		return close_counted(lo, hi);
	while ((n = syscall(SYS_getdents64, dfd, buf, sizeof(buf))) > 0) {
		for (off = 0; off < n;) {
			unsigned short reclen;
			const char *name = buf + off + 19;	/* linux_dirent64 */
			unsigned long fd = 0;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			off += reclen;
			if (*name < '0' || *name > '9')
				continue;
			while (*name >= '0' && *name <= '9' && fd < 1UL << 31)
				fd = fd * 10 + (unsigned long)(*name++ - '0');
			if (fd >= lo && fd <= hi && (int)fd != dfd)
				(void)close((int)fd);
		}
	}
	(void)close(dfd);
	return n < 0 ? -1 : 0;
}

/*
 * close_range(2), or, where it is missing or a seccomp profile refuses it
 * (older container runtimes answer EPERM), the fds /proc lists.
 */
static int
close_span(unsigned lo, unsigned hi)
{
	if (lo > hi)
		return 0;
	if (syscall(SYS_close_range, lo, hi, 0) == 0)
		return 0;
	return close_listed(lo, hi);
}

/* Close every fd from lowfd up, except the nkeep fds in keep (PID 1's own). */
int
sys_close_from(int lowfd, const int *keep, int nkeep)
{
	unsigned lo = (unsigned)lowfd;
	int i;

	for (;;) {	/* the next kept fd at or above lo */
		int next = -1;

		for (i = 0; i < nkeep; i++)
			if (keep[i] >= (int)lo && (next < 0 || keep[i] < next))
				next = keep[i];
		if (next < 0)
			return close_span(lo, ~0U);
		if (close_span(lo, (unsigned)next - 1) < 0)
			return -1;
		lo = (unsigned)next + 1;
	}
}

int
sys_open(const char *path, int flags)
{
	int fd;

	/*
	 * openat as a plain system call: musl's open() follows O_CLOEXEC with
	 * an fcntl for kernels older than 2.6.23 (one system call per file of
	 * a /proc walk), and its wrappers are code reaper never needs.
	 * 0644: the mode of a file O_CREAT makes.
	 */
	do
		fd = (int)syscall(SYS_openat, AT_FDCWD, path, flags | O_CLOEXEC, 0644);
	while (fd < 0 && errno == EINTR);
	return fd;
}

ssize_t
sys_read(int fd, void *buf, size_t len)
{
	ssize_t n;

	do
		n = read(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

ssize_t
sys_write(int fd, const void *buf, size_t len)
{
	ssize_t n;

	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	return n;
}

/* From offset off: a cgroup file is read again from its start each time. */
ssize_t
sys_pread(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n;

	do
		n = (ssize_t)syscall(SYS_pread64, fd, buf, len, off);
	while (n < 0 && errno == EINTR);
	return n;
}

int sys_rmdir(const char *path) { return (int)syscall(SYS_unlinkat, AT_FDCWD, path, AT_REMOVEDIR); }

/* close() is never retried: on Linux the fd is gone even after EINTR. */
int sys_close(int fd) { return close(fd); }

int sys_pipe(int fds[2]) { return (int)syscall(SYS_pipe2, fds, O_CLOEXEC); }

int
sys_dup2(int from, int to)
{
	int r;

	if (from == to)		/* dup2 would keep CLOEXEC: clear it */
		return sys_fcntl(from, F_SETFD, 0);
	do
		r = dup2(from, to);
	while (r < 0 && errno == EBUSY);
	return r < 0 ? -1 : 0;
}

int
sys_fd_above(int fd, int min)
{
	return sys_fcntl(fd, F_DUPFD_CLOEXEC, min);
}

int
sys_blocking(int fd)
{
	int fl = sys_fcntl(fd, F_GETFL, 0);

	return fl < 0 ? -1 : sys_fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
}

int
sys_nonblock(int fd)
{
	int fl = sys_fcntl(fd, F_GETFL, 0);

	return fl < 0 ? -1 : sys_fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

int
sys_getdents(int fd, void *buf, size_t len)
{
	long n;

	do
		n = syscall(SYS_getdents64, fd, buf, len);
	while (n < 0 && errno == EINTR);
	return (int)n;
}

int
sys_dir_open(struct sys_dir *d, const char *path)
{
	d->len = d->off = 0;
	return (d->fd = sys_open(path, O_RDONLY | O_DIRECTORY)) < 0 ? -1 : 0;
}

/* The next name in d ("." and ".." too): 1 and *name, 0 at the end, -1 with errno. */
int
sys_dir_next(struct sys_dir *d, const char **name)
{
	unsigned short reclen;

	if (d->off >= d->len) {
		if ((d->len = sys_getdents(d->fd, d->buf, sizeof(d->buf))) <= 0)
			return d->len < 0 ? -1 : 0;
		d->off = 0;
	}
	/* struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name */
	memcpy(&reclen, d->buf + d->off + 16, sizeof(reclen));
	*name = d->buf + d->off + 19;
	d->off += reclen;
	return 1;
}

void
sys_dir_close(struct sys_dir *d)
{
	if (d->fd >= 0)
		(void)sys_close(d->fd);
	d->fd = -1;
}

/* What fd is open on: its type and mode, and the device number of a device node. */
int
sys_fd_stat(int fd, unsigned *mode, uint64_t *rdev)
{
	struct stat st;

	if (syscall(SYS_fstat, fd, &st) < 0)
		return -1;
	*mode = (unsigned)st.st_mode;
	*rdev = (uint64_t)st.st_rdev;
	return 0;
}

/* The same of path, a symlink followed. */
int
sys_path_stat(const char *path, unsigned *mode, uint64_t *rdev)
{
	struct stat st;

	if (syscall(SYS_newfstatat, AT_FDCWD, path, &st, 0) < 0)
		return -1;
	*mode = (unsigned)st.st_mode;
	*rdev = (uint64_t)st.st_rdev;
	return 0;
}

/* Who owns path and who may write it (stat follows a symlink to the file). */
int
sys_file_owner(const char *path, uid_t *uid, gid_t *gid, unsigned *mode)
{
	struct stat st;

	/* fstatat as a plain system call, like sys_lstat: musl's stat is a
	 * half-KB of fallbacks reaper never needs. */
	if (syscall(SYS_newfstatat, AT_FDCWD, path, &st, 0) < 0)
		return -1;
	*uid = st.st_uid;
	*gid = st.st_gid;
	*mode = (unsigned)st.st_mode;
	return 0;
}

