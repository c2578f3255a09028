/*
 * The power key on a machine: every DIR/eventN (DIR is /dev/input) that
 * can send KEY_POWER is kept open and read from the loop; the others are
 * closed at once. Devices that come later (a sysinit entry loads a
 * driver) are seen by inotify, never looked for on a timer: on DIR, or,
 * while DIR does not exist yet (no input driver loaded), on its parent
 * until DIR appears. A device that goes away is dropped quietly; any
 * other failure is said once per device and never stops the loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/inotify.h>

#include "fmt.h"
#include "log.h"
#include "pkeys.h"
#include "sys.h"

#define PKEY_DIR_MASK	(IN_CREATE | IN_ATTRIB | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF)
#define PKEY_PARENT_MASK (IN_CREATE | IN_MOVED_TO | IN_ONLYDIR)

static void pkeys_on_dev(void *ctx, int revents, int64_t now);

void
pkeys_init(struct pkeys *p, struct loop *l, pkeys_fn *fn, void *ctx)
{
	int i;

	p->dir = p->parent = NULL;
	p->l = l;
	p->fn = fn;
	p->ctx = ctx;
	p->ifd = p->iid = -1;
	p->wd_dir = p->wd_parent = -1;
	p->n = 0;
	p->presses = 0;
	p->said = 0;
	p->said_full = p->said_watch = false;
	for (i = 0; i < PKEY_DEVS_MAX; i++)
		p->dev[i].fd = -1;
}

static void
pkeys_path(const struct pkeys *p, int num, char *buf, size_t len)
{
	(void)fmt_print(buf, len, "%s/event%d", p->dir, num);
}

static uint64_t
pkeys_bit(int num)
{
	return (uint64_t)1 << (num < 63 ? num : 63);
}

/* Whether a failure of eventN is to be said: the first time since a device there worked. */
static bool
pkeys_first(struct pkeys *p, int num)
{
	uint64_t bit = pkeys_bit(num);

	if (p->said & bit)
		return false;
	p->said |= bit;
	return true;
}

/* A device leaves the table: gone (ENODEV, a hang-up) or failing. */
static void
pkeys_drop(struct pkey_dev *d)
{
	loop_del(d->p->l, d->id);
	(void)sys_close(d->fd);
	d->fd = -1;
	d->p->n--;
}

/* Keep the open fd of eventN (it has KEY_POWER) in a free slot, on the loop. */
static void
pkeys_keep(struct pkeys *p, struct pkey_dev *d, int fd, int num, const char *path)
{
	if (sys_evdev_name(fd, d->name, sizeof(d->name)) < 0 || !d->name[0])
		(void)fmt_print(d->name, sizeof(d->name), "no name");
	if ((d->id = loop_add(p->l, fd, POLLIN, pkeys_on_dev, NULL, d)) < 0) {
		log_sys(LV_ERR, "power key: unable to watch %s", path);
		(void)sys_close(fd);
		return;
	}
	d->p = p;
	d->fd = fd;
	d->num = num;
	pkey_dec_init(&d->dec);
	p->n++;
	p->said &= ~pkeys_bit(num);	/* a device there works: its next failure is news */
	log_msg(LV_INFO, "power key: watching %s (%s)", path, d->name);
}

/*
 * Whether d, kept for eventN, is the device at path still. The input core
 * gives the next device the lowest free N, so a quick unplug and replug
 * can bring the new node's IN_CREATE before the old fd's hang-up: an fd
 * hung up already, or open on another device number, is not the node's.
 * A node that cannot be looked at (gone again) has no other device to take.
 */
static bool
pkeys_same(const struct pkey_dev *d, const char *path)
{
	struct pollfd pfd = { .fd = d->fd, .events = POLLIN, .revents = 0 };
	uint64_t held, now;
	unsigned mode;
	int r;

	if ((r = sys_poll(&pfd, 1, 0)) < 0)
		log_sys(LV_DEBUG, "power key: looking at %s", path);	/* the stat decides */
	else if (r > 0 && pfd.revents & (POLLHUP | POLLERR | POLLNVAL))
		return false;
	if (sys_fd_stat(d->fd, &mode, &held) < 0)
		return false;
	return sys_path_stat(path, &mode, &now) < 0 || now == held;
}

/* eventN appeared, or is there at a scan: kept if it can send KEY_POWER. */
static void
pkeys_try(struct pkeys *p, int num)
{
	unsigned long bits[PKEY_BITS_LONGS];
	char path[PKEY_PATH_MAX];
	struct pkey_dev *free = NULL;
	int i, fd, nb;

	pkeys_path(p, num, path, sizeof(path));
	for (i = 0; i < PKEY_DEVS_MAX; i++) {
		struct pkey_dev *d = &p->dev[i];

		if (d->fd >= 0 && d->num == num) {
			if (pkeys_same(d, path))
				return;		/* watched already (IN_ATTRIB after IN_CREATE) */
			log_msg(LV_DEBUG, "power key: %s is another device now", path);
			pkeys_drop(d);
		}
		if (d->fd < 0 && !free)
			free = d;
	}
	if ((fd = sys_open(path, O_RDONLY | O_NONBLOCK)) < 0) {
		/* Gone again, or a node with no device behind it: nothing to say. */
		if (errno != ENOENT && errno != ENODEV && errno != ENXIO && pkeys_first(p, num))
			log_sys(LV_WARN, "power key: unable to open %s", path);
		return;
	}
	if ((nb = sys_evdev_keys(fd, bits, sizeof(bits))) < 0) {
		if (errno != ENODEV && pkeys_first(p, num))
			log_sys(LV_WARN, "power key: unable to read the keys of %s", path);
		(void)sys_close(fd);
		return;
	}
	if (!pkey_has_power(bits, (size_t)nb)) {
		(void)sys_close(fd);
		return;
	}
	if (!free) {
		if (!p->said_full)
			log_msg(LV_ERR, "power key: %s not watched: %d devices are already "
			    "(the most there can be)", path, PKEY_DEVS_MAX);
		p->said_full = true;
		(void)sys_close(fd);
		return;
	}
	pkeys_keep(p, free, fd, num, path);
}

/* A device's fd is ready: its presses go to the callback, one by one. */
static void
pkeys_on_dev(void *ctx, int revents, int64_t now)
{
	unsigned char buf[PKEY_READ_EVENTS * sizeof(struct pkey_ev)];
	struct pkey_dev *d = ctx;
	struct pkeys *p = d->p;
	char path[PKEY_PATH_MAX];
	ssize_t n = sys_read(d->fd, buf, sizeof(buf));
	int err = errno;

	pkeys_path(p, d->num, path, sizeof(path));
	if (n > 0) {
		int presses;

		for (presses = pkey_feed(&d->dec, buf, (size_t)n); presses > 0; presses--) {
			p->presses++;
			p->fn(p->ctx, path, now);
		}
		return;
	}
	if (n < 0 && err == EAGAIN && !(revents & (POLLHUP | POLLERR)))
		return;		/* woken for nothing */
	if (n < 0 && err != EAGAIN && err != ENODEV) {
		errno = err;
		if (pkeys_first(p, d->num))
			log_sys(LV_WARN, "power key: reading %s; no longer watched", path);
	} else {
		log_msg(LV_DEBUG, "power key: %s went away", path);
	}
	pkeys_drop(d);
}

/* Every eventN in the folder now. */
static void
pkeys_scan(struct pkeys *p)
{
	char buf[2048];
	int fd, n, off;

	if ((fd = sys_open(p->dir, O_RDONLY | O_DIRECTORY)) < 0) {
		if (errno != ENOENT && !p->said_watch)
			log_sys(LV_WARN, "power key: unable to read %s", p->dir);
		p->said_watch |= errno != ENOENT;
		return;
	}
	while ((n = sys_getdents(fd, buf, sizeof(buf))) > 0)
		for (off = 0; off + 19 < n;) {
			/* struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name */
			unsigned short reclen;
			int num;

			memcpy(&reclen, buf + off + 16, sizeof(reclen));
			if (reclen < 20 || off + reclen > n)
				break;
			buf[off + reclen - 1] = '\0';	/* padding: never part of a name */
			if ((num = pkey_node(buf + off + 19)) >= 0)
				pkeys_try(p, num);
			off += reclen;
		}
	(void)sys_close(fd);
}

/*
 * Watch the folder, or, while it does not exist, its parent for it. The
 * folder is tried once more after the parent's watch is set: it may have
 * appeared in between, and its IN_CREATE would then never come.
 */
static void
pkeys_watch(struct pkeys *p)
{
	int tries;

	for (tries = 0; p->ifd >= 0 && tries < 2; tries++) {
		if ((p->wd_dir = sys_inotify_watch(p->ifd, p->dir, PKEY_DIR_MASK)) >= 0) {
			if (p->wd_parent >= 0)
				(void)sys_inotify_unwatch(p->ifd, p->wd_parent);
			p->wd_parent = -1;
			return;
		}
		if (errno != ENOENT)
			break;
		if (p->wd_parent < 0 &&
		    (p->wd_parent = sys_inotify_watch(p->ifd, p->parent, PKEY_PARENT_MASK)) < 0)
			break;
	}
	if (p->wd_dir >= 0 || p->wd_parent >= 0)
		return;
	if (!p->said_watch)
		log_sys(LV_WARN, "power key: unable to watch %s or %s; devices that come "
		    "later are not seen", p->dir, p->parent);
	p->said_watch = true;
}

/* One inotify record, from the watch with descriptor wd. */
static void
pkeys_note(struct pkeys *p, int wd, uint32_t mask, const char *name)
{
	bool parent = wd >= 0 && wd == p->wd_parent;

	/* A removed watch's last words (IN_IGNORED) have a wd no longer ours. */
	if (!(mask & IN_Q_OVERFLOW) && !parent && (wd < 0 || wd != p->wd_dir))
		return;
	switch (pkey_pick(parent, mask, name)) {
	case PKP_DEVICE:
		pkeys_try(p, pkey_node(name));
		return;
	case PKP_NOTHING:
		return;
	case PKP_INPUT_GONE:
		/* Moved away, its watch would stay: removed (deleted, it is gone already). */
		(void)sys_inotify_unwatch(p->ifd, p->wd_dir);
		p->wd_dir = -1;
		break;
	case PKP_RESCAN:
		/*
		 * The lost records may have been the folder's last (IN_DELETE_SELF,
		 * IN_IGNORED): its watch is set again, on it or else on its parent,
		 * as at start. Failing, it was gone already.
		 */
		if (p->wd_dir >= 0)
			(void)sys_inotify_unwatch(p->ifd, p->wd_dir);
		p->wd_dir = -1;
		break;
	case PKP_INPUT_DIR:
		break;
	}
	/* The folder came, went or lost news: watch what there is, look again. */
	if (p->wd_dir < 0)
		pkeys_watch(p);
	pkeys_scan(p);
}

/* The inotify fd is ready: every record it has. */
static void
pkeys_on_note(void *ctx, int revents, int64_t now)
{
	union {
		struct inotify_event	e;	/* for its alignment */
		char			b[PKEY_NOTE_MAX];
	} u;
	struct inotify_event ev;
	struct pkeys *p = ctx;
	ssize_t n = sys_read(p->ifd, u.b, sizeof(u.b));
	size_t off;

	(void)revents;
	(void)now;
	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {	/* never expected: stop watching rather than spin */
		log_sys(LV_WARN, "power key: reading the inotify watch of %s; devices "
		    "that come later are not seen", p->dir);
		loop_del(p->l, p->iid);
		(void)sys_close(p->ifd);
		p->ifd = p->iid = -1;
		p->wd_dir = p->wd_parent = -1;
		return;
	}
	for (off = 0; off + sizeof(ev) <= (size_t)n; off += sizeof(ev) + ev.len) {
		memcpy(&ev, u.b + off, sizeof(ev));
		if (off + sizeof(ev) + ev.len > (size_t)n)
			break;
		if (ev.len > 0 && u.b[off + sizeof(ev) + ev.len - 1] != '\0')
			continue;	/* the kernel pads names with NULs */
		pkeys_note(p, ev.wd, ev.mask, ev.len ? u.b + off + sizeof(ev) : "");
	}
}

/*
 * Start on a machine: the watch first, then the scan, so that no device
 * made in between is missed. dir and parent are the caller's, for good.
 */
void
pkeys_start(struct pkeys *p, const char *dir, const char *parent)
{
	if (strlen(dir) + sizeof("/event123456789") > PKEY_PATH_MAX) {
		log_msg(LV_ERR, "power key: folder name too long: %s", dir);
		return;
	}
	p->dir = dir;
	p->parent = parent;
	if ((p->ifd = sys_inotify()) >= 0 &&
	    (p->iid = loop_add(p->l, p->ifd, POLLIN, pkeys_on_note, NULL, p)) < 0) {
		(void)sys_close(p->ifd);
		p->ifd = -1;
	}
	if (p->ifd < 0) {
		log_sys(LV_WARN, "power key: unable to watch %s; devices that come later "
		    "are not seen", dir);
		p->said_watch = true;
	}
	pkeys_watch(p);
	pkeys_scan(p);
}
