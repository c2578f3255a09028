/* The command line and environment of reaper, parsed into one struct. */
#ifndef REAPER_OPT_H
#define REAPER_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"

struct opts {
	bool	subreaper;		/* -s */
	bool	group;			/* -g */
	bool	all;			/* -a */
	bool	pause;			/* -P */
	bool	check;			/* -n */
	bool	warn_orphans;		/* -w */
	int	verbosity;		/* log level, LV_WARN unless told */
	int	pdeathsig;		/* -p, 0 for none */
	int64_t	grace_ms;		/* -t */
	uint64_t expect[4];		/* -e: exit codes mapped to 0 (256 bits) */
	int	rewrite[SIG_COUNT + 1];	/* -r: -1 as is, 0 dropped, else target */
	int64_t	delay_ms[SIG_COUNT + 1];	/* -D: 0 not held */
	const char *conf;		/* -f */
	char	**cmd;			/* the command, NULL if none */
};

enum opt_result { OPT_RUN, OPT_HELP, OPT_VERSION, OPT_USAGE };

int	opt_parse(struct opts *o, int argc, char **argv, char *const *envp,
	    char *err, size_t errlen);
int	opt_status(const struct opts *o, int code);

#endif
