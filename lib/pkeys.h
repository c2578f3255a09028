/* The power-key devices on PID 1's loop: found, watched for, read, dropped. */
#ifndef REAPER_PKEYS_H
#define REAPER_PKEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "limits.h"
#include "loop.h"
#include "pkey.h"

struct pkeys;

struct pkey_dev {
	struct pkeys	*p;
	int		fd;		/* -1: the slot is free */
	int		id;		/* its loop source */
	int		num;		/* N of DIR/eventN */
	char		name[PKEY_NAME_MAX];	/* as the driver calls it */
	struct pkey_dec	dec;
};

/* A press on the device at path. */
typedef void pkeys_fn(void *ctx, const char *path, int64_t now);

struct pkeys {
	const char	*dir;		/* /dev/input; NULL: not started (no machine) */
	const char	*parent;	/* /dev: watched until dir exists */
	struct loop	*l;
	pkeys_fn	*fn;
	void		*ctx;
	int		ifd;		/* inotify; -1: none */
	int		iid;		/* its loop source */
	int		wd_dir, wd_parent;	/* -1: not watched */
	int		n;		/* devices watched */
	unsigned long	presses;
	uint64_t	said;		/* bit N: a failure of eventN was said (63: N >= 63) */
	bool		said_full, said_watch;
	struct pkey_dev	dev[PKEY_DEVS_MAX];
};

void	pkeys_init(struct pkeys *p, struct loop *l, pkeys_fn *fn, void *ctx);
void	pkeys_start(struct pkeys *p, const char *dir, const char *parent);

#endif
