/* Reading a config file: one fixed buffer, a size limit, errors with FILE:LINE. */
#include <fcntl.h>
#include <errno.h>

#include "load.h"
#include "log.h"
#include "sys.h"

/* One byte more than the limit, so an over-long file is seen, not cut. */
static char load_text[CONF_FILE_MAX + 1];

/*
 * Read and parse path into c. Returns -1 (errno set, nothing parsed) when
 * the file cannot be read, else the number of errors in it.
 */
int
load_conf(const char *path, struct conf *c)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	if ((fd = sys_open(path, O_RDONLY)) < 0)
		return -1;
	while (len < sizeof(load_text) &&
	    (n = sys_read(fd, load_text + len, sizeof(load_text) - len)) > 0)
		len += (size_t)n;
	if (len < sizeof(load_text) && n < 0) {
		int err = errno;

		(void)sys_close(fd);
		errno = err;
		return -1;
	}
	(void)sys_close(fd);
	return conf_parse(c, load_text, len);
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
