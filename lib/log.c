/* The one log helper: fixed buffer, one write() per line, errno kept. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "fmt.h"
#include "limits.h"
#include "log.h"
#include "sys.h"

static int log_level_now = LV_WARN;
static int log_fd = 2;
static int log_tee_fd = -1;	/* a second place for the serious lines */
static int log_tee_level = LV_WARN;
static bool log_to_kmsg;	/* give each line its syslog priority */

void
log_setup(int level, int fd)
{
	log_level_now = level;
	log_fd = fd;
}

/*
 * Log to the kernel log: each line gets its priority (<3> error, <4>
 * warning, <5> notice for info, <7> debug), so the console's loglevel
 * decides what is shown there and dmesg can filter.
 */
void
log_kmsg(int fd)
{
	log_fd = fd;
	log_to_kmsg = true;
}

/* Lines at level or worse also go to fd (PID 1: warnings to the console). */
void
log_tee(int fd, int level)
{
	log_tee_fd = fd;
	log_tee_level = level;
}

/* Where lines go: PID 1 keeps this fd open when it closes the rest. */
int
log_fd_now(void)
{
	return log_fd;
}

bool
log_on(int level)
{
	return level <= log_level_now;
}

static void
log_line(int level, int err, const char *fmt, va_list ap)
{
	static const char *const tag[] = { "error: ", "warning: ", "", "debug: " };
	char buf[LOG_LINE_MAX];
	size_t n, room = sizeof(buf) - 1;	/* keep one byte for '\n' */
	int w;

	if (!log_on(level))
		return;
	w = fmt_print(buf, room, "reaper: %s", tag[level]);
	n = w < 0 ? 0 : (size_t)w;
	if (n < room) {
		w = fmt_vprint(buf + n, room - n, fmt, ap);
		n += w < 0 ? 0 : (size_t)w;
	}
	if (err && n < room) {
		w = fmt_print(buf + n, room - n, ": %s", strerror(err));
		n += w < 0 ? 0 : (size_t)w;
	}
	if (n >= room) {	/* cut, and say so rather than hide it */
		n = room;
		memset(buf + n - 3, '.', 3);
	}
	buf[n++] = '\n';
	if (log_to_kmsg) {
		char line[LOG_LINE_MAX + 3];

		line[0] = '<';
		line[1] = "3457"[level];
		line[2] = '>';
		memcpy(line + 3, buf, n);
		(void)sys_write(log_fd, line, n + 3);
	} else {
		(void)sys_write(log_fd, buf, n);
	}
	if (log_tee_fd >= 0 && level <= log_tee_level)
		(void)sys_write(log_tee_fd, buf, n);
}

void
log_msg(int level, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_line(level, 0, fmt, ap);
	va_end(ap);
	errno = saved;
}

/* Like log_msg, with ": strerror(errno)" appended. */
void
log_sys(int level, const char *fmt, ...)
{
	int saved = errno;
	va_list ap;

	va_start(ap, fmt);
	log_line(level, saved, fmt, ap);
	va_end(ap);
	errno = saved;
}
