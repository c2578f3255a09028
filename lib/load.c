/* Reading a config file: one fixed buffer, a size limit, errors with FILE:LINE. */
#include <fcntl.h>
#include <errno.h>

#include "load.h"
#include "log.h"
#include "sys.h"

/*
 * Read path whole into buf (at most len - 1 bytes) and end it with a NUL:
 * reads go on to the end, since /proc files come a page per read.
 * Returns the length, or -1 with errno set.
 */
ssize_t
load_text(const char *path, char *buf, size_t len)
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

/* Room for one byte past the limit, so an over-long file is seen, not cut. */
static char load_buf[CONF_FILE_MAX + 2];

/*
 * Read and parse path into c. Returns -1 (errno set, nothing parsed) when
 * the file cannot be read, else the number of errors in it.
 */
int
load_conf(const char *path, struct conf *c)
{
	ssize_t n = load_text(path, load_buf, sizeof(load_buf));

	return n < 0 ? -1 : conf_parse(c, load_buf, (size_t)n);
}

/* Log each error as "FILE:LINE: message". */
void
load_report(const char *path, const struct conf *c)
{
	int i;

	for (i = 0; i < c->nerr && i < CONF_ERRORS_MAX; i++)
		log_msg(LV_ERR, "%s:%d: %s", path, c->err[i].line, c->err[i].msg);
	if (c->nerr > CONF_ERRORS_MAX)
		log_msg(LV_ERR, "%s: %d more errors", path, c->nerr - CONF_ERRORS_MAX);
}
