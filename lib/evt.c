/* Events: a fixed ring, the oldest overwritten; nothing allocated, ever. */
#include <string.h>

#include "evt.h"
#include "fmt.h"

static struct evt evt_ring[EVT_MAX];
static int evt_next;	/* where the next one goes */
static int evt_n;	/* how many are kept */
static evt_fn *evt_hook;	/* one listener: the control socket */
static void *evt_hook_ctx;

static const char *const evt_names[] = {
	"spawned", "exited", "restart", "gave-up", "paused", "continued",
	"orphan-reaped", "reloaded", "stop", "shutdown", "ready", "failure-action",
	"power-key",
};

/* An event with the entry it came from (an orphan's), or "" when unknown. */
void
evt_add_from(int64_t now, enum evt_kind kind, const char *name, pid_t pid, int value,
    const char *from)
{
	struct evt *e = &evt_ring[evt_next];

	e->t = now;
	e->kind = kind;
	e->pid = pid;
	e->value = value;
	(void)fmt_print(e->name, sizeof(e->name), "%s", name ? name : "");
	(void)fmt_print(e->from, sizeof(e->from), "%s", from ? from : "");
	evt_next = (evt_next + 1) % EVT_MAX;
	if (evt_n < EVT_MAX)
		evt_n++;
	if (evt_hook)
		evt_hook(evt_hook_ctx, e);
}

void
evt_add(int64_t now, enum evt_kind kind, const char *name, pid_t pid, int value)
{
	evt_add_from(now, kind, name, pid, value, "");
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

/*
 * fn is told of every event from now on, right after it is kept (NULL:
 * no one). It must not block: it runs inside whatever recorded the event.
 */
void
evt_listen(evt_fn *fn, void *ctx)
{
	evt_hook = fn;
	evt_hook_ctx = ctx;
}

/* ms as seconds with three decimals ("12.345"), in integers: no float printf. */
static const char *
evt_secs(char *buf, size_t len, int64_t ms)
{
	unsigned long long a = ms < 0 ? 0ULL - (unsigned long long)ms : (unsigned long long)ms;

	(void)fmt_print(buf, len, "%s%llu.%03u", ms < 0 ? "-" : "", a / 1000,
	    (unsigned)(a % 1000));
	return buf;
}

/*
 * One event as one line: its age at now, kind, name (with "from NAME"
 * when known), pid and value; or with json a JSON object and no newline.
 */
void
evt_format(struct buf *b, const struct evt *e, int64_t now, bool json)
{
	const char *name = e->name[0] ? e->name : "-";
	int pad = 17 - (int)strlen(name);
	char ago[32];

	if (json) {
		buf_add(b, "{\"t_ms\":%lld,\"kind\":\"%s\",\"name\":", (long long)e->t,
		    evt_kind_name(e->kind));
		buf_json(b, e->name);
		buf_add(b, ",\"from\":");
		if (e->from[0])
			buf_json(b, e->from);
		else
			buf_add(b, "null");
		buf_add(b, ",\"pid\":%d,\"value\":%d}", (int)e->pid, e->value);
		return;
	}
	buf_add(b, "%9s s ago  %-13s ", evt_secs(ago, sizeof(ago), now - e->t),
	    evt_kind_name(e->kind));
	buf_text(b, name);
	if (e->from[0]) {
		buf_add(b, " from ");
		buf_text(b, e->from);
		pad -= 6 + (int)strlen(e->from);
	}
	buf_add(b, "%*spid %-7d %d\n", pad > 1 ? pad : 1, "", (int)e->pid, e->value);
}
