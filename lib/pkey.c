/*
 * The power key's pure part: whether a device can send KEY_POWER (its
 * EVIOCGBIT(EV_KEY) bitmap), the presses in the bytes a read gave (a
 * press is value 1; 0 is the release, 2 a repeat, both ignored), and what
 * an inotify record on /dev or /dev/input asks for. No I/O here.
 */
#include <string.h>
#include <sys/inotify.h>

#include "pkey.h"

/*
 * bits as the ioctl filled it, nbytes its answer: the kernel copies its
 * bitmap of unsigned longs, so a bit is tested in its long, never by byte
 * (that would be wrong on a big-endian machine).
 */
bool
pkey_has_power(const unsigned long *bits, size_t nbytes)
{
	size_t word = PKEY_KEY_POWER / PKEY_LONG_BITS;

	if (nbytes < (word + 1) * sizeof(unsigned long))
		return false;
	return (bits[word] >> (PKEY_KEY_POWER % PKEY_LONG_BITS)) & 1UL;
}

void
pkey_dec_init(struct pkey_dec *d)
{
	d->n = 0;
}

static bool
pkey_is_press(const struct pkey_ev *e)
{
	return e->type == PKEY_EV_KEY && e->code == PKEY_KEY_POWER && e->value == 1;
}

/*
 * The presses of KEY_POWER in n bytes of a read, after what the last read
 * left; a partial event at the end is kept for the next one. evdev itself
 * returns whole events only, but nothing here depends on it.
 */
int
pkey_feed(struct pkey_dec *d, const void *buf, size_t n)
{
	const unsigned char *p = buf;
	struct pkey_ev e;
	int presses = 0;

	while (n > 0) {
		size_t take = sizeof(e) - d->n;

		if (take > n)
			take = n;
		memcpy(d->part + d->n, p, take);
		d->n += take;
		p += take;
		n -= take;
		if (d->n < sizeof(e))
			break;
		memcpy(&e, d->part, sizeof(e));
		d->n = 0;
		presses += pkey_is_press(&e);
	}
	return presses;
}

/* N for a name "eventN" (N of 1 to 9 digits), else -1. */
int
pkey_node(const char *name)
{
	int n = 0, digits = 0;

	if (strncmp(name, "event", 5) != 0)
		return -1;
	for (name += 5; *name >= '0' && *name <= '9' && digits < 9; name++, digits++)
		n = n * 10 + (*name - '0');
	return digits > 0 && *name == '\0' ? n : -1;
}

/*
 * What one inotify record asks: on_parent when it came from the watch on
 * /dev (kept only until /dev/input exists), else from /dev/input. A node
 * that devtmpfs makes shows as IN_CREATE (IN_ATTRIB when its owner or
 * mode changes, IN_MOVED_TO when a device manager renames it in).
 */
enum pkey_pick
pkey_pick(bool on_parent, uint32_t mask, const char *name)
{
	if (mask & IN_Q_OVERFLOW)
		return PKP_RESCAN;
	if (on_parent)
		return (mask & IN_ISDIR) && (mask & (IN_CREATE | IN_MOVED_TO)) &&
		    strcmp(name, "input") == 0 ? PKP_INPUT_DIR : PKP_NOTHING;
	if (mask & (IN_DELETE_SELF | IN_MOVE_SELF | IN_IGNORED))
		return PKP_INPUT_GONE;
	if (mask & IN_ISDIR)
		return PKP_NOTHING;
	return (mask & (IN_CREATE | IN_ATTRIB | IN_MOVED_TO)) && pkey_node(name) >= 0 ?
	    PKP_DEVICE : PKP_NOTHING;
}
