/* The one log helper: fixed buffer, one write() per line, errno kept. */
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include "fmt.h"
#include "limits.h"
#include "log.h"
#include "sys.h"

static int log_level_now = LV_WARN;
static int log_fd = 2;
static int log_tee_fd = -1;	/* a second place for the serious lines */
static int log_tee_level = LV_WARN;
static bool log_to_kmsg;	/* give each line its syslog priority */
static bool log_guard;		/* log_nowait: PID 1 and the long-running modes */
static int log_pipe = -1;	/* log_fd is a pipe or socket: 1, else 0; -1 not known yet */
static unsigned long log_lost;	/* lines not written: its reader did not read */

void
log_setup(int level, int fd)
{
	log_level_now = level;
	log_fd = fd;
	log_pipe = -1;
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
	log_pipe = -1;
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

/* From now on, never wait for a pipe's reader (see log_room). */
void
log_nowait(void)
{
	log_guard = true;
}

/*
 * Whether a line may go to log_fd now. A pipe or a socket (a container's
 * log reader, "reaper ... 2>&1 | less") whose reader stalls would hold
 * PID 1 in write(2): nothing reaped, no signal handled. So a line goes
 * there only when the fd takes it at once; else it is counted, and the
 * next line that goes says how many were lost. A terminal, the console
 * or a file is written as before: a machine's console keeps every line.
 * Only for the modes that run on (log_nowait): "reaper -n" and reaperctl
 * write to a slow reader as any command does.
 */
static bool
log_room(void)
{
	char note[80];
	unsigned mode;
	uint64_t rdev;
	int w;

	if (!log_guard)
		return true;
	if (log_pipe < 0)
		log_pipe = sys_fd_stat(log_fd, &mode, &rdev) == 0 &&
		    (S_ISFIFO(mode) || S_ISSOCK(mode));
	if (!log_pipe)
		return true;
	if (sys_wait_out(log_fd, 0) <= 0) {
		log_lost++;
		return false;
	}
	if (log_lost > 0 && (w = fmt_print(note, sizeof(note), "reaper: warning: %lu log "
	    "lines lost: their reader was not reading\n", log_lost)) > 0 &&
	    sys_write(log_fd, note, (size_t)w) == w)
		log_lost = 0;
	return true;
}

/* One line, with its priority first for the kernel log. */
static void
log_put(int level, const char *buf, size_t n)
{
	char line[LOG_LINE_MAX + 3];

	if (!log_to_kmsg) {
		(void)sys_write(log_fd, buf, n);
		return;
	}
	line[0] = '<';
	line[1] = "3457"[level];
	line[2] = '>';
	memcpy(line + 3, buf, n);
	(void)sys_write(log_fd, line, n + 3);
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
	if (log_room())
		log_put(level, buf, n);
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
