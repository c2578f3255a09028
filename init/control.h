/* reaperctl's requests, answered by PID 1 (server) and sent by the client. */
#ifndef REAPER_CONTROL_H
#define REAPER_CONTROL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "ctl.h"
#include "pkeys.h"
#include "run.h"
#include "wdog.h"

struct control {
	struct run	*r;
	const char	*mode;
	int64_t		booted;
	pid_t		main_pid;
	bool		container;
	const struct wdog *wd;
	const char	*sock;		/* the control socket's path; "" or NULL: none */
	const struct pkeys *pk;		/* NULL: no power key (not a machine) */
	int		(*reload)(struct run *r, int64_t now);	/* system mode's */
};

bool	control_answer(void *ctx, struct ctl_req *q, struct buf *out);
int	control_client(int argc, char **argv);

#endif
