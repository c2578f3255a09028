/*
 * stdout=kmsg, stderr=kmsg: the service writes into a pipe, PID 1 cuts
 * what comes out into lines and writes each as one kernel log record,
 * "<6>NAME: text" for stdout and "<4>NAME: text" for stderr. Written raw
 * to /dev/kmsg instead, a program's output would become one record per
 * write(2), with no name and at the default level.
 *
 * A pipe outlives its service when the service's children keep it open;
 * it is read until its last writer is gone. PID 1 reads at most
 * KLOG_READ_MAX bytes of one pipe per wake-up, so a chatty service cannot
 * hold up reaping or reaperctl; what it writes meanwhile waits in the
 * pipe (the service blocks when the pipe is full), so no line is lost.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>

#include "fmt.h"
#include "klog.h"
#include "log.h"
#include "sys.h"

struct klog {
	int	fd;			/* read end; -1: slot free */
	char	level;			/* '6' or '4' */
	char	name[CONF_NAME_MAX + 1];
	size_t	len;			/* bytes of line[] waiting for '\n' */
	bool	split;			/* a full line[] just went out */
	char	line[KLOG_LINE_MAX];
};

static struct klog kl[KLOG_PIPES_MAX];
static int kl_n;			/* slots in use, at most */
static int kl_dev = -1;			/* the log device, opened when needed */
static char kl_path[KLOG_PATH_MAX + 1] = "/dev/kmsg";
static bool kl_failed;			/* a write failed: said once */

/* A reload may name another device: the next line opens it. */
void
klog_path(const char *path)
{
	if (!path || strcmp(path, kl_path) == 0)
		return;
	if (strlen(path) > KLOG_PATH_MAX) {
		log_msg(LV_ERR, "kmsg path too long: %s", path);
		return;
	}
	strcpy(kl_path, path);
	if (kl_dev >= 0)
		(void)sys_close(kl_dev);
	kl_dev = -1;
}

const char *
klog_dev(void)
{
	return kl_path;
}

static int
klog_device(void)
{
	/* O_APPEND: a plain file standing in for /dev/kmsg in tests. */
	if (kl_dev < 0 && (kl_dev = sys_open(kl_path, O_WRONLY | O_APPEND)) < 0)
		log_sys(LV_ERR, "unable to open %s", kl_path);
	return kl_dev;
}

/* One record: "<L>NAME: text\n", written at once so lines never mix. */
static void
klog_emit(const struct klog *k, const char *text, size_t len)
{
	char rec[KLOG_LINE_MAX + CONF_NAME_MAX + 8];
	size_t nl = strlen(k->name), n = 0;

	rec[n++] = '<';
	rec[n++] = k->level;
	rec[n++] = '>';
	memcpy(rec + n, k->name, nl);
	n += nl;
	rec[n++] = ':';
	rec[n++] = ' ';
	memcpy(rec + n, text, len);
	n += len;
	rec[n++] = '\n';
	if (klog_device() >= 0 && sys_write(kl_dev, rec, n) == (ssize_t)n) {
		kl_failed = false;
		return;
	}
	if (!kl_failed)
		log_sys(LV_ERR, "%s: output line lost: unable to write %s", k->name, kl_path);
	kl_failed = true;
}

/* Cut what came into lines; a line longer than KLOG_LINE_MAX goes in pieces. */
static void
klog_feed(struct klog *k, const char *p, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;

		if (k->split && nl == p) {	/* that line's end: no empty record */
			k->split = false;
			p++;
			n--;
			continue;
		}
		k->split = false;
		if (take > KLOG_LINE_MAX - k->len)
			take = KLOG_LINE_MAX - k->len;
		memcpy(k->line + k->len, p, take);
		k->len += take;
		p += take;
		n -= take;
		if (n > 0 && *p == '\n') {
			p++;
			n--;
		} else if (k->len < KLOG_LINE_MAX) {
			break;	/* the rest of this line comes later */
		} else {
			k->split = true;
		}
		klog_emit(k, k->line, k->len);
		k->len = 0;
	}
}

/* The read end of a new pipe for a service's stream; the write end returned. */
int
klog_pipe(const char *name, int level)
{
	struct klog *k = NULL;
	int i, p[2];

	for (i = 0; i < KLOG_PIPES_MAX && !k; i++)
		if (i >= kl_n || kl[i].fd < 0)
			k = &kl[i];
	if (!k) {
		log_msg(LV_ERR, "%s: more than %d output pipes; its output goes to "
		    "%s unnamed", name, KLOG_PIPES_MAX, kl_path);
		return -1;
	}
	if (klog_device() < 0)
		return -1;
	if (sys_pipe(p) < 0 || sys_nonblock(p[0]) < 0) {
		log_sys(LV_ERR, "%s: unable to make an output pipe", name);
		return -1;
	}
	k->fd = p[0];
	k->level = level == KLOG_WARN ? '4' : '6';
	(void)fmt_print(k->name, sizeof(k->name), "%s", name);	/* cut: a name's limit */
	k->len = 0;
	k->split = false;
	if (k - kl >= kl_n)
		kl_n = (int)(k - kl) + 1;
	return p[1];
}

int
klog_fds(struct pollfd *pfd, int max)
{
	int i, n = 0;

	for (i = 0; i < kl_n && n < max; i++) {
		if (kl[i].fd < 0)
			continue;
		pfd[n].fd = kl[i].fd;
		pfd[n].events = POLLIN;
		pfd[n++].revents = 0;
	}
	return n;
}

/* The fds this module holds, for a caller that closes all others. */
int
klog_keep(int *fds, int max)
{
	int i, n = 0;

	if (kl_dev >= 0 && n < max)
		fds[n++] = kl_dev;
	for (i = 0; i < kl_n && n < max; i++)
		if (kl[i].fd >= 0)
			fds[n++] = kl[i].fd;
	return n;
}

/* One read; at the end of the stream, the last partial line and the close.
 * 1: bytes came, 0: none for now, -1: the stream is over. */
static int
klog_drain(struct klog *k)
{
	static char chunk[KLOG_READ_MAX];
	ssize_t n = sys_read(k->fd, chunk, sizeof(chunk));

	if (n > 0) {
		klog_feed(k, chunk, (size_t)n);
		return 1;
	}
	if (n < 0 && errno == EAGAIN)
		return 0;
	if (n < 0)
		log_sys(LV_WARN, "%s: reading its output", k->name);
	if (k->len > 0)
		klog_emit(k, k->line, k->len);
	(void)sys_close(k->fd);
	k->fd = -1;
	k->len = 0;
	return -1;
}

/*
 * Before reaper exits or reboots: what the pipes still hold goes out now,
 * a last line without its newline too, since no later wake-up will read it.
 * Bounded: a writer still alive cannot keep PID 1 here.
 */
void
klog_flush(void)
{
	int i, rounds;

	for (i = 0; i < kl_n; i++) {
		struct klog *k = &kl[i];

		for (rounds = 0; k->fd >= 0 && rounds < KLOG_FLUSH_READS; rounds++)
			if (klog_drain(k) <= 0)
				break;
		if (k->fd >= 0 && k->len > 0) {
			klog_emit(k, k->line, k->len);
			k->len = 0;
		}
	}
}

void
klog_work(const struct pollfd *pfd, int n)
{
	int i, j;

	for (i = 0; i < n; i++) {
		if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)))
			continue;
		for (j = 0; j < kl_n; j++) {
			if (kl[j].fd != pfd[i].fd)
				continue;
			if (pfd[i].revents & POLLNVAL) {
				/* Closed under us: never poll it again, or
				 * poll would wake at once, for ever. */
				log_msg(LV_ERR, "%s: output pipe lost", kl[j].name);
				kl[j].fd = -1;
				kl[j].len = 0;
			} else {
				(void)klog_drain(&kl[j]);
			}
			break;
		}
	}
}
