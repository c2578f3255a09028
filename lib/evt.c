/* Events: a fixed ring, the oldest overwritten; nothing allocated, ever. */
#include <string.h>

#include "evt.h"
#include "fmt.h"

static struct evt evt_ring[EVT_MAX];
static int evt_next;	/* where the next one goes */
static int evt_n;	/* how many are kept */

static const char *const evt_names[] = {
	"spawned", "exited", "restart", "gave-up", "paused", "continued",
	"orphan-reaped", "reloaded", "stop", "shutdown", "ready",
};

void
evt_add(int64_t now, enum evt_kind kind, const char *name, pid_t pid, int value)
{
	struct evt *e = &evt_ring[evt_next];

	e->t = now;
	e->kind = kind;
	e->pid = pid;
	e->value = value;
	(void)fmt_print(e->name, sizeof(e->name), "%s", name ? name : "");
	evt_next = (evt_next + 1) % EVT_MAX;
	if (evt_n < EVT_MAX)
		evt_n++;
}

int
evt_count(void)
{
	return evt_n;
}

/* The i-th event kept, oldest first. */
const struct evt *
evt_get(int i)
{
	return &evt_ring[(evt_next - evt_n + i + EVT_MAX) % EVT_MAX];
}

const char *
evt_kind_name(enum evt_kind kind)
{
	return evt_names[kind];
}
