/* A reaperctl request line, parsed: a pure function, so it can be fuzzed. */
#ifndef REAPER_REQ_H
#define REAPER_REQ_H

#include <stdbool.h>

enum req_verb {
	REQ_USAGE,		/* no words, or too many */
	REQ_UNKNOWN,		/* not a request, or a reading one with wrong words */
	REQ_STATUS, REQ_EVENTS, REQ_TREE,	/* anyone may ask these */
	REQ_START, REQ_STOP, REQ_RESTART,	/* these take a NAME */
	REQ_RELOAD, REQ_POWEROFF, REQ_REBOOT, REQ_HALT,
};

struct req {
	enum req_verb	verb;
	const char	*word;		/* the first word as sent, or NULL */
	const char	*name;		/* status NAME, start|stop|restart NAME */
	bool		json;		/* --json */
	bool		bad_args;	/* a changing request with the wrong words */
};

void	req_parse(char *line, struct req *q);
bool	req_changes(enum req_verb v);
bool	req_named(enum req_verb v);

#endif
