/*
 * A reaperctl request line into a verb and its words. The line is split in
 * place (blanks become NULs); no I/O, no state, so libFuzzer can drive it.
 */
#include <string.h>

#include "num.h"
#include "req.h"
#include "word.h"

#define REQ_WORDS	4	/* words of any request but wait: more is a usage error */
#define REQ_WAIT_WORDS	(3 + CTL_WAIT_NAMES_MAX)	/* wait --timeout D NAME... */
#define REQ_BLANKS	" \t\r"

/* The next word of *s, NUL-terminated in place, or NULL at the end. */
static char *
req_word(char **s)
{
	return word_cut(s, REQ_BLANKS);
}

/*
 * The first REQ_WAIT_WORDS words into w; returns how many words there
 * are in all, so that a wait with too many names can be told so.
 */
static int
req_split(char *line, char **w)
{
	int n = 0;
	char *p;

	while ((p = req_word(&line)) != NULL) {
		if (n < REQ_WAIT_WORDS)
			w[n] = p;
		n++;
	}
	return n;
}

static enum req_verb
req_lookup(const char *w)
{
	static const char *const words[] = {
		[REQ_STATUS] = "status", [REQ_EVENTS] = "events", [REQ_TREE] = "tree",
		[REQ_WAIT] = "wait",
		[REQ_START] = "start", [REQ_STOP] = "stop", [REQ_RESTART] = "restart",
		[REQ_RELOAD] = "reload", [REQ_POWEROFF] = "poweroff",
		[REQ_REBOOT] = "reboot", [REQ_HALT] = "halt",
	};
	int v;

	for (v = REQ_STATUS; v <= REQ_HALT; v++)
		if (strcmp(w, words[v]) == 0)
			return (enum req_verb)v;
	return REQ_UNKNOWN;
}

/* Whether v changes things (root, reaper's own user or control-group only). */
bool
req_changes(enum req_verb v)
{
	return v >= REQ_START;
}

/*
 * wait [--timeout DURATION] NAME..., from the n words in w. A bad duration
 * or too many names is bad_args, as for a changing request: the answer
 * says what is wrong rather than the whole usage.
 */
static void
req_wait(char **w, int n, struct req *q)
{
	int i = 1;

	if (n > 1 && strcmp(w[1], "--timeout") == 0) {
		if (n < 3 || num_duration(w[2], &q->timeout_ms) < 0) {
			q->bad = RB_DURATION;
			q->badword = n < 3 ? NULL : w[2];
			q->timeout_ms = -1;
			return;
		}
		i = 3;
	}
	if (n - i > CTL_WAIT_NAMES_MAX)
		q->bad = RB_NAMES;
	else if (n == i)
		q->bad = RB_NAME;
	for (; q->bad == RB_NONE && i < n; i++)
		q->names[q->nnames++] = w[i];
}

/*
 * events [--json] [--follow | -f], the options in any order, each once;
 * anything else makes it unknown.
 */
static void
req_events(char **w, int n, struct req *q)
{
	int i;

	q->json = false;
	for (i = 1; i < n; i++) {
		bool *opt = strcmp(w[i], "--json") == 0 ? &q->json :
		    strcmp(w[i], "--follow") == 0 || strcmp(w[i], "-f") == 0 ?
		    &q->follow : NULL;

		if (!opt || *opt) {
			q->verb = REQ_UNKNOWN;
			q->json = q->follow = false;
			return;
		}
		*opt = true;
	}
}

/* Whether v wants a NAME after it. */
bool
req_named(enum req_verb v)
{
	return v == REQ_START || v == REQ_STOP || v == REQ_RESTART;
}

/*
 * Parse one request line (its newline already cut). A reading request with
 * words it does not take is unknown; a changing one, or wait, is known but
 * bad_args, so that the answer can say what it wants.
 */
void
req_parse(char *line, struct req *q)
{
	char *w[REQ_WAIT_WORDS];
	int n = req_split(line, w);

	memset(q, 0, sizeof(*q));
	q->timeout_ms = -1;
	if (n < 1 || (n > REQ_WORDS && strcmp(w[0], "wait") != 0)) {
		q->verb = REQ_USAGE;
		return;
	}
	q->word = w[0];
	q->verb = req_lookup(w[0]);
	q->json = n == 2 && strcmp(w[1], "--json") == 0;
	switch (q->verb) {
	case REQ_STATUS:
		if (n > 2)
			q->verb = REQ_UNKNOWN;
		else if (n == 2 && !q->json)
			q->name = w[1];
		break;
	case REQ_EVENTS:
		req_events(w, n, q);
		break;
	case REQ_TREE:
		if (n != 1)
			q->verb = REQ_UNKNOWN;
		break;
	case REQ_WAIT:
		req_wait(w, n, q);
		break;
	case REQ_USAGE:
	case REQ_UNKNOWN:
		break;
	default:
		if (n != (req_named(q->verb) ? 2 : 1))
			q->bad = req_named(q->verb) ? RB_NAME : RB_NOTHING;
		else if (req_named(q->verb))
			q->name = w[1];
		break;
	}
	q->bad_args = q->bad != RB_NONE;
	if (q->verb != REQ_STATUS && q->verb != REQ_EVENTS)
		q->json = false;
}
