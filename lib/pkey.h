/* The power key, pure: KEY_POWER in an evdev capability bitmap, presses in what a read gave. */
#ifndef REAPER_PKEY_H
#define REAPER_PKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PKEY_EV_KEY	1		/* linux/input-event-codes.h */
#define PKEY_KEY_POWER	116
#define PKEY_KEY_MAX	0x2ff		/* KEY_MAX: the EV_KEY bitmap's last bit */
#define PKEY_LONG_BITS	(8 * sizeof(unsigned long))
#define PKEY_BITS_LONGS	(PKEY_KEY_MAX / PKEY_LONG_BITS + 1)

/*
 * struct input_event as read(2) gives it on every 64-bit arch and on 32-bit
 * ones since Linux 4.16 (the time as two unsigned longs, not a timeval).
 */
struct pkey_ev {
	unsigned long	sec, usec;
	uint16_t	type, code;
	int32_t		value;
};

/* What a short read left of an event, kept for the next read. */
struct pkey_dec {
	size_t		n;
	unsigned char	part[sizeof(struct pkey_ev)];
};

/* What an inotify record asks of the power-key watcher. */
enum pkey_pick {
	PKP_NOTHING,
	PKP_DEVICE,		/* /dev/input/eventN appeared or changed: try it */
	PKP_INPUT_DIR,		/* /dev/input appeared: watch it, scan it */
	PKP_INPUT_GONE,		/* /dev/input went away: watch /dev again */
	PKP_RESCAN,		/* events were lost: scan again */
};

bool	pkey_has_power(const unsigned long *bits, size_t nbytes);
void	pkey_dec_init(struct pkey_dec *d);
int	pkey_feed(struct pkey_dec *d, const void *buf, size_t n);
int	pkey_node(const char *name);
enum pkey_pick pkey_pick(bool on_parent, uint32_t mask, const char *name);

#endif
