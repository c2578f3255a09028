/* Reading a small file whole into the caller's buffer: no allocation, no stdio. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "file.h"
#include "sys.h"

/*
 * Read path whole into buf (at most len - 1 bytes) and end it with a NUL:
 * reads go on to the end, since /proc files come a page per read. Only
 * a regular file (/proc's and cgroupfs's are): a FIFO or a device put in
 * a file's place would block PID 1, in the open or in a read, so the open
 * does not wait (O_NONBLOCK, which a regular file's reads ignore; and
 * O_NOCTTY) and what it opened is looked at before any read. Returns the length, or -1
 * with errno set, EINVAL when path is not a regular file (file_strerror).
 */
ssize_t
file_read(const char *path, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n = 0;
	unsigned mode;
	uint64_t rdev;
	int fd, r;

	if ((fd = sys_open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY)) < 0)
		return -1;
	if ((r = sys_fd_stat(fd, &mode, &rdev)) < 0 || !S_ISREG(mode)) {
		int err = r < 0 ? errno : EINVAL;

		(void)sys_close(fd);
		errno = err;
		return -1;
	}
	while (got < len - 1 && (n = sys_read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	if (n < 0) {
		int err = errno;

		(void)sys_close(fd);
		errno = err;
		return -1;
	}
	(void)sys_close(fd);
	buf[got] = '\0';
	return (ssize_t)got;
}

/* What a failed file_read's errno says: strerror's words, but its own for EINVAL. */
const char *
file_strerror(int err)
{
	return err == EINVAL ? "not a regular file" : strerror(err);
}

/* Write text to path (a cgroup's or /proc's file): 0, or -1 with errno set. */
int
file_write(const char *path, const char *text)
{
	size_t len = strlen(text);
	ssize_t n;
	int fd, err;

	if ((fd = sys_open(path, O_WRONLY)) < 0)
		return -1;
	n = sys_write(fd, text, len);
	err = errno;
	(void)sys_close(fd);
	errno = err;
	return n == (ssize_t)len ? 0 : -1;
}
