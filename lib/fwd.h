/* The route of a received signal: -r rewrites, -D holds, the rest passes. */
#ifndef REAPER_FWD_H
#define REAPER_FWD_H

#include <stdint.h>

#include "limits.h"
#include "opt.h"

struct fwd_held {
	int	sig;
	int64_t	due;
};

struct fwd {
	const struct opts *o;
	struct fwd_held	held[HOLD_MAX];	/* in arrival order */
	int		nheld;
};

void	fwd_init(struct fwd *f, const struct opts *o);
int	fwd_route(struct fwd *f, int sig, int64_t now);
int	fwd_due(struct fwd *f, int64_t now);
int64_t	fwd_deadline(const struct fwd *f);

#endif
