/* A reaperctl request line, parsed: a pure function, so it can be fuzzed. */
#ifndef REAPER_REQ_H
#define REAPER_REQ_H

#include <stdbool.h>
#include <stdint.h>

#include "limits.h"

enum req_verb {
	REQ_USAGE,		/* no words, or too many */
	REQ_UNKNOWN,		/* not a request, or a reading one with wrong words */
	REQ_STATUS, REQ_EVENTS, REQ_TREE, REQ_WAIT,	/* anyone may ask these */
	REQ_START, REQ_STOP, REQ_RESTART,	/* these take a NAME */
	REQ_RELOAD, REQ_POWEROFF, REQ_REBOOT, REQ_HALT,
};

/* What is wrong with the words of a request that has bad_args. */
enum req_bad {
	RB_NONE,
	RB_NAME,		/* wants a NAME (start, stop, restart, wait) */
	RB_NOTHING,		/* takes nothing more (reload, poweroff, ...) */
	RB_NAMES,		/* wait: more than CTL_WAIT_NAMES_MAX names */
	RB_DURATION,		/* wait: --timeout without a duration num_duration takes */
};

struct req {
	enum req_verb	verb;
	const char	*word;		/* the first word as sent, or NULL */
	const char	*name;		/* status NAME, start|stop|restart NAME */
	bool		json;		/* --json */
	bool		follow;		/* events --follow (or -f) */
	bool		bad_args;	/* a changing request, or wait, with the wrong words */
	enum req_bad	bad;		/* bad_args: which way */
	const char	*badword;	/* RB_DURATION: the duration as sent, or NULL */
	int64_t		timeout_ms;	/* wait --timeout; -1: none */
	int		nnames;		/* wait NAME... */
	const char	*names[CTL_WAIT_NAMES_MAX];
};

void	req_parse(char *line, struct req *q);
bool	req_changes(enum req_verb v);
bool	req_named(enum req_verb v);

#endif
