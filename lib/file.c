/* Reading a small file whole into the caller's buffer: no allocation, no stdio. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "file.h"
#include "sys.h"

/*
 * Read path whole into buf (at most len - 1 bytes) and end it with a NUL:
 * reads go on to the end, since /proc files come a page per read.
 * Returns the length, or -1 with errno set.
 */
ssize_t
file_read(const char *path, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n = 0;
	int fd;

	if ((fd = sys_open(path, O_RDONLY)) < 0)
		return -1;
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
