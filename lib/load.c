/* Loading a config file: one fixed buffer, a size limit, errors with FILE:LINE. */
#include <fcntl.h>
#include <errno.h>

#include "file.h"
#include "load.h"
#include "log.h"
#include "sys.h"

/* Room for one byte past the limit, so an over-long file is seen, not cut. */
static char load_buf[CONF_FILE_MAX + 2] PAGE_ALIGNED;

/*
 * The config says what runs as root: whoever may change it owns the
 * machine. Warn when others than root (or reaper's own user, outside a
 * machine) may write it; still use it, as an unreadable one would be worse.
 */
static void
load_check_owner(const char *path)
{
	uid_t uid;
	gid_t gid;
	unsigned mode;

	if (sys_file_owner(path, &uid, &gid, &mode) < 0)
		return;
	if (uid != 0 && uid != sys_geteuid())
		log_msg(LV_WARN, "config %s is owned by uid %u, not root",
		    path, (unsigned)uid);
	if (mode & 02)
		log_msg(LV_WARN, "config %s is writable by everyone (mode %04o)",
		    path, mode & 07777);
	else if (mode & 020 && gid != 0)
		log_msg(LV_WARN, "config %s is writable by group %u (mode %04o)",
		    path, (unsigned)gid, mode & 07777);
}

/*
 * Read and parse path into c. Returns -1 (errno set, nothing parsed) when
 * the file cannot be read, else the number of errors in it.
 */
int
load_conf(const char *path, struct conf *c)
{
	ssize_t n = file_read(path, load_buf, sizeof(load_buf));

	if (n < 0)
		return -1;
	load_check_owner(path);
	return conf_parse_file(c, path, load_buf, (size_t)n);
}

/*
 * Log each error as "FILE:LINE: message". A message may quote the file's
 * bytes: control characters become '?', so a broken or hostile file
 * cannot send escape sequences to the console.
 */
void
load_report(const char *path, const struct conf *c)
{
	char msg[CONF_ERRMSG_MAX];
	size_t j;
	int i;

	for (i = 0; i < c->nerr && i < CONF_ERRORS_MAX; i++) {
		for (j = 0; j + 1 < sizeof(msg) && c->err[i].msg[j]; j++) {
			unsigned char ch = (unsigned char)c->err[i].msg[j];

			msg[j] = c->err[i].msg[j];
			if (ch < 0x20 || ch == 0x7f)
				msg[j] = '?';
		}
		msg[j] = '\0';
		log_msg(LV_ERR, "%s:%d: %s", c->err[i].file && c->err[i].file[0] ?
		    c->err[i].file : path, c->err[i].line, msg);
	}
	if (c->nerr > CONF_ERRORS_MAX)
		log_msg(LV_ERR, "%s: %d more errors", path, c->nerr - CONF_ERRORS_MAX);
}
