/* Loading a config file and the files it includes: fixed buffers, size limits, errors with FILE:LINE. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "file.h"
#include "load.h"
#include "log.h"
#include "match.h"
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
 * The include lines' files: one at a time, each in this buffer of its own
 * while it is parsed (the main file stays in load_buf meanwhile); the
 * names of the last directory listed; the path being looked at.
 */
static char load_inc_buf[CONF_FILE_MAX + 2] PAGE_ALIGNED;
static char load_names[CONF_INCLUDES_MAX][CONF_INC_NAME_MAX + 1];
static char load_path[CONF_LINE_MAX + CONF_INC_NAME_MAX + 2];
static struct sys_dir load_dir;

/* Whether dir/name is to be read: a regular file, or one whose stat fails (its read will say why). */
static bool
load_wanted(const char *dir, const char *name)
{
	unsigned mode;
	uid_t uid;
	gid_t gid;

	if (conf_join(load_path, sizeof(load_path), dir, strcmp(dir, "/") == 0 ? 0 :
	    strlen(dir), name) < 0)
		return true;	/* the parser finds it too long */
	return sys_file_owner(load_path, &uid, &gid, &mode) < 0 || S_ISREG(mode);
}

/* The conf_hook's list: names in dir that match glob, the first max in byte order. */
static int
load_list(void *ctx, const char *dir, const char *glob, const char **names, int max)
{
	const char *name;
	int n = 0, r, i, j, err;

	(void)ctx;
	if (sys_dir_open(&load_dir, dir) < 0)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;	/* no match */
	while ((r = sys_dir_next(&load_dir, &name)) > 0) {
		if (!match_name(glob, name) || strlen(name) > CONF_INC_NAME_MAX ||
		    !load_wanted(dir, name))
			continue;
		if (n < max && n < CONF_INCLUDES_MAX) {
			memcpy(load_names[n], name, strlen(name) + 1);
			names[n] = load_names[n];
		}
		n++;
	}
	err = errno;
	sys_dir_close(&load_dir);
	if (r < 0) {
		errno = err;
		return -1;
	}
	for (i = 1; i < n && i < max; i++)	/* a handful: insertion sort */
		for (j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
			const char *t = names[j];

			names[j] = names[j - 1];
			names[j - 1] = t;
		}
	return n;
}

/* The conf_hook's read: path whole into load_inc_buf, its owner looked at as the main file's. */
static ssize_t
load_read(void *ctx, const char *path, const char **text)
{
	ssize_t n = file_read(path, load_inc_buf, sizeof(load_inc_buf));

	(void)ctx;
	if (n < 0)
		return -1;
	load_check_owner(path);
	*text = load_inc_buf;
	return n;
}

static const struct conf_hook load_hook = { load_list, load_read, NULL };

/*
 * Read and parse path into c, with the files its include lines name.
 * Returns -1 (errno set, nothing parsed) when path cannot be read, else
 * the number of errors in it and its included files.
 */
int
load_conf(const char *path, struct conf *c)
{
	ssize_t n = file_read(path, load_buf, sizeof(load_buf));

	if (n < 0)
		return -1;
	load_check_owner(path);
	return conf_parse_hook(c, path, load_buf, (size_t)n, &load_hook);
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
