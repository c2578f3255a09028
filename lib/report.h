/* What reaperctl shows: status, events and the process tree, as text or JSON. */
#ifndef REAPER_REPORT_H
#define REAPER_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "pkeys.h"
#include "run.h"
#include "wdog.h"

struct report_ctx {
	const struct run *r;
	const char	*mode;		/* "system", "combined", "container" */
	int64_t		booted;		/* when reaper started (ms) */
	int64_t		now;
	pid_t		main_pid;	/* combined mode's command, or 0 */
	const struct wdog *wd;		/* NULL or path "": none */
	const char	*sock;		/* the control socket; NULL or "": none */
	const struct pkeys *pk;		/* NULL or dir NULL: no power key (no machine) */
};

int	report_status(struct buf *b, const struct report_ctx *x, const char *name,
	    bool json);
void	report_events(struct buf *b, int64_t now, bool json);
void	report_tree(struct buf *b, const struct report_ctx *x);

#endif
