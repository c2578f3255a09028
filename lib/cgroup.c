/*
 * A cgroup per entry. reaper takes a cgroup v2 directory only when it is
 * its own: PID 1 of the machine, or alone in the cgroup of a cgroup
 * namespace of its own (a container). It moves itself into a leaf
 * (CG_SELF), gives its subtree the controllers there are, and makes
 * CG_PREFIX NAME for each entry before its command runs. Emptiness comes
 * from cgroup.events on the loop (POLLPRI), never from polling. Every
 * step that fails turns cgroups off with its reason, said once: services
 * are then kept by their process group as before.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>

#include "cg.h"
#include "cgroup.h"
#include "file.h"
#include "fmt.h"
#include "log.h"
#include "loop.h"
#include "num.h"
#include "sys.h"
#include "word.h"

/* One look at a file at a time: PID 1 reads them one after the other. */
static char cg_buf[16384];

void
cgroup_init(struct cgroups *g, struct loop *l, cgroup_empty_fn *fn, void *ctx)
{
	int i;

	g->on = false;
	g->loop = l;
	g->empty = fn;
	g->ctx = ctx;
	for (i = 0; i < CONF_ENTRIES_MAX; i++)	/* free, as static storage starts */
		if (g->tab[i].name[0])
			g->tab[i].name[0] = '\0';
	(void)fmt_print(g->why, sizeof(g->why), "not set up");
}

/* dir/a[/b] into out; -1 when it does not fit (said as the reason). */
static int
cg_path(const struct cgroups *g, char *out, size_t len, const char *a, const char *b)
{
	if ((size_t)fmt_print(out, len, "%s/%s%s%s", g->dir, a, b ? "/" : "", b ? b : "") >= len)
		return errno = ENAMETOOLONG, -1;
	return 0;
}

static void __attribute__((format(printf, 2, 3)))
cg_off(struct cgroups *g, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)fmt_vprint(g->why, sizeof(g->why), fmt, ap);
	va_end(ap);
	g->on = false;
	log_msg(LV_WARN, "cgroups off: %s; services are kept by process group", g->why);
}

/* Whether reaper is the only process its cgroup has that it can see ("0": one it cannot). */
static bool
cg_alone(const struct cgroups *g)
{
	char path[CG_PATH_MAX + 16], *line, *at = cg_buf;
	char me[16];

	if (cg_path(g, path, sizeof(path), "cgroup.procs", NULL) < 0 ||
	    file_read(path, cg_buf, sizeof(cg_buf)) < 0)
		return false;
	(void)fmt_print(me, sizeof(me), "%d", (int)sys_getpid());
	while ((line = word_cut(&at, "\n")) != NULL)
		if (strcmp(line, me) != 0)
			return false;
	return true;
}

static const char *const cg_ctrl_names[] = { "memory", "pids", "cpu" };

/* The controllers dir has, to give its children when a limit needs one. */
static void
cg_controllers(struct cgroups *g)
{
	char path[CG_PATH_MAX + 32], *w, *at = cg_buf;
	size_t i;

	g->avail = g->ctrl = g->refused = 0;
	if (cg_path(g, path, sizeof(path), "cgroup.controllers", NULL) < 0 ||
	    file_read(path, cg_buf, sizeof(cg_buf)) < 0)
		return;
	while ((w = word_cut(&at, " \n")) != NULL)
		for (i = 0; i < 3; i++)
			if (strcmp(w, cg_ctrl_names[i]) == 0)
				g->avail |= 1u << i;
}

/*
 * Controller ctrl for the entries' cgroups, given on first need only: a
 * cgroup whose children have controllers may hold no process itself, and
 * a container's runtime puts what it execs later (podman exec) there.
 */
static bool
cg_enable(struct cgroups *g, unsigned ctrl)
{
	char path[CG_PATH_MAX + 32], want[16];
	int i = ctrl == CG_MEMORY ? 0 : ctrl == CG_PIDS ? 1 : 2;

	if (g->ctrl & ctrl)
		return true;
	if (!(g->avail & ctrl) || (g->refused & ctrl))
		return false;
	(void)fmt_print(want, sizeof(want), "+%s", cg_ctrl_names[i]);
	if (cg_path(g, path, sizeof(path), "cgroup.subtree_control", NULL) == 0 &&
	    file_write(path, want) == 0) {
		g->ctrl |= ctrl;
		return true;
	}
	log_sys(LV_WARN, "cgroups: the %s controller cannot be given to services",
	    cg_ctrl_names[i]);
	g->refused |= ctrl;
	return false;
}

/*
 * Find reaper's cgroup and take it (see the top of this file). machine:
 * PID 1 of the machine, whose root cgroup is its to use.
 */
static void
cg_find(struct cgroups *g, bool machine)
{
	char ns[64];

	if (file_read("/proc/self/cgroup", cg_buf, sizeof(cg_buf)) < 0 ||
	    cg_proc_path(cg_buf, g->path, sizeof(g->path)) < 0) {
		cg_off(g, "no cgroup v2 hierarchy");
		return;
	}
	if (file_read("/proc/self/mountinfo", cg_buf, sizeof(cg_buf)) < 0 ||
	    cg_mount_dir(cg_buf, g->path, g->dir, sizeof(g->dir)) < 0) {
		cg_off(g, "no cgroup2 mount shows reaper's cgroup %s", g->path);
		return;
	}
	/* The initial cgroup namespace has this fixed inode (PROC_CGROUP_INIT_INO). */
	if (!machine && (sys_readlink("/proc/self/ns/cgroup", ns, sizeof(ns)) < 0 ||
	    strcmp(ns, "cgroup:[4026531835]") == 0)) {
		cg_off(g, "no cgroup namespace of its own");
		return;
	}
	if (!machine && !cg_alone(g)) {
		cg_off(g, "other processes share reaper's cgroup");
		return;
	}
	g->on = true;
}

/* reaper into its own leaf: processes live only in leaves once controllers are on. */
void
cgroup_setup(struct cgroups *g, bool machine)
{
	char path[CG_PATH_MAX + 32];
	struct stat st;

	g->ctrl = g->avail = g->refused = 0;
	cg_find(g, machine);
	if (!g->on)
		return;
	if (cg_path(g, path, sizeof(path), CG_SELF, NULL) < 0 ||
	    (sys_mkdir(path) < 0 && errno != EEXIST)) {
		cg_off(g, "unable to make %s/%s: %s", g->dir, CG_SELF, strerror(errno));
		return;
	}
	if (cg_path(g, path, sizeof(path), CG_SELF, "cgroup.procs") < 0 ||
	    file_write(path, "0") < 0) {
		cg_off(g, "unable to move into %s/%s: %s", g->dir, CG_SELF, strerror(errno));
		return;
	}
	(void)cg_path(g, path, sizeof(path), CG_SELF, "cgroup.kill");
	g->kill = sys_lstat(path, &st) == 0;
	cg_controllers(g);
	log_msg(LV_INFO, "cgroups: on, in %s", g->dir);
}

/* text cut at its first newline: a one-number file's number. */
static char *
cg_line(char *text)
{
	text[word_span(text, "\n", false)] = '\0';
	return text;
}

/* The slot of entry name ("": a free one), or -1. */
static int
cg_slot(const struct cgroups *g, const char *name)
{
	int i;

	for (i = 0; i < CONF_ENTRIES_MAX; i++)
		if (strcmp(g->tab[i].name, name) == 0)
			return i;
	return -1;
}

static struct cgroup_ent *
cg_ent(struct cgroups *g, const char *name)
{
	int i = cg_slot(g, name);

	return i < 0 ? NULL : &g->tab[i];
}

/* The file f of entry name's cgroup into out (f NULL: the cgroup itself). */
static int
cg_file(const struct cgroups *g, const char *name, const char *f, char *out, size_t len)
{
	char leaf[CONF_NAME_MAX + 8];

	(void)fmt_print(leaf, sizeof(leaf), CG_PREFIX "%s", name);
	return cg_path(g, out, len, leaf, f);
}

/* Read entry name's file f whole into cg_buf: its length, or -1. */
static ssize_t
cg_read(const struct cgroups *g, const char *name, const char *f)
{
	char path[CG_PATH_MAX + 64];

	if (cg_file(g, name, f, path, sizeof(path)) < 0)
		return -1;
	return file_read(path, cg_buf, sizeof(cg_buf));
}

static int
cg_write(const struct cgroups *g, const char *name, const char *f, const char *text)
{
	char path[CG_PATH_MAX + 64];

	if (cg_file(g, name, f, path, sizeof(path)) < 0)
		return -1;
	return file_write(path, text);
}

/* cgroup.events said something: tell the supervisor when the cgroup is empty. */
static void
cg_on_events(void *ctx, int revents, int64_t now)
{
	struct cgroup_ent *t = ctx;
	char buf[128];
	ssize_t n;

	(void)revents;
	if ((n = sys_pread(t->evfd, buf, sizeof(buf) - 1, 0)) < 0) {
		/* Its directory was removed under reaper: the fd would poll ready for ever. */
		log_sys(LV_WARN, "%s: cgroup.events; no longer watched", t->name);
		loop_del(t->set->loop, t->lid);
		(void)sys_close(t->evfd);
		t->name[0] = '\0';
		return;
	}
	buf[n] = '\0';
	if (cg_populated(buf) == 0)
		t->set->empty(t->set->ctx, t->name, now);
}

/* A slot for entry name, its cgroup.events watched; NULL when none is left. */
static struct cgroup_ent *
cg_watch(struct cgroups *g, const char *name)
{
	struct cgroup_ent *t = cg_ent(g, name);
	char path[CG_PATH_MAX + 64];

	if (t)
		return t;
	if ((t = cg_ent(g, "")) == NULL)
		return NULL;
	if (cg_file(g, name, "cgroup.events", path, sizeof(path)) < 0 ||
	    (t->evfd = sys_open(path, O_RDONLY)) < 0)
		return NULL;
	if ((t->lid = loop_add(g->loop, t->evfd, POLLPRI, cg_on_events, NULL, t)) < 0) {
		(void)sys_close(t->evfd);
		return NULL;
	}
	t->set = g;
	t->warned = false;
	(void)fmt_print(t->name, sizeof(t->name), "%s", name);
	return t;
}

/* One limit into its file, if its controller is there; a warning (once) if not. */
static void
cg_limit(struct cgroups *g, struct cgroup_ent *t, unsigned ctrl, const char *f,
    unsigned long n)
{
	char val[24];

	(void)fmt_print(val, sizeof(val), "%lu", n);
	if (!cg_enable(g, ctrl)) {
		if (!t->warned)
			log_msg(LV_WARN, "%s: %s not set: no such controller here", t->name, f);
		t->warned = true;
		return;
	}
	if (cg_write(g, t->name, f, val) < 0)
		log_sys(LV_WARN, "%s: unable to set %s to %s", t->name, f, val);
}

/* The limits of e, written before its command runs. */
static void
cg_limits(struct cgroups *g, struct cgroup_ent *t, const struct conf_entry *e)
{
	if (e->memory_max)
		cg_limit(g, t, CG_MEMORY, "memory.max", e->memory_max);
	if (e->pids_max)
		cg_limit(g, t, CG_PIDS, "pids.max", e->pids_max);
	if (e->cpu_weight)	/* 1 to 10000 */
		cg_limit(g, t, CG_CPU, "cpu.weight", (unsigned long)e->cpu_weight);
	t->oom = cg_read(g, t->name, "memory.events") > 0 ? cg_key(cg_buf, "oom_kill") : -1;
}

/*
 * Before e's command runs: its cgroup made and watched, its limits set.
 * Returns an fd of its cgroup.procs for the child to join by (CLOEXEC),
 * or -1: no cgroups, or this one failed (said), and it runs without.
 */
int
cgroup_prepare(struct cgroups *g, const struct conf_entry *e)
{
	char path[CG_PATH_MAX + 64];
	struct cgroup_ent *t;
	int fd;

	if (!g->on)
		return -1;
	if (cg_file(g, e->name, NULL, path, sizeof(path)) < 0 ||
	    (sys_mkdir(path) < 0 && errno != EEXIST)) {
		log_sys(LV_WARN, "%s: unable to make its cgroup", e->name);
		return -1;
	}
	if ((t = cg_watch(g, e->name)) == NULL) {
		log_sys(LV_WARN, "%s: unable to watch its cgroup", e->name);
		return -1;
	}
	cg_limits(g, t, e);
	/* What its last run left (a once's), or what a reaper before left: a
	 * start never overlaps them (a restart itself waits for empty). */
	if (cgroup_populated(g, e->name)) {
		log_msg(LV_WARN, "%s: its cgroup still has processes of before; killing them",
		    e->name);
		(void)cgroup_signal(g, e->name, SIGKILL);
	}
	if (cg_file(g, e->name, "cgroup.procs", path, sizeof(path)) < 0 ||
	    (fd = sys_open(path, O_WRONLY)) < 0) {
		log_sys(LV_WARN, "%s: unable to open its cgroup", e->name);
		return -1;
	}
	return fd;
}

/* Whether entry name's cgroup has a process in it, asked now. */
bool
cgroup_populated(struct cgroups *g, const char *name)
{
	return g->on && cg_read(g, name, "cgroup.events") > 0 && cg_populated(cg_buf) == 1;
}

/*
 * sig to every process of entry name's cgroup: cgroup.kill for SIGKILL
 * where there is one, else each pid in cgroup.procs (a fork racing the
 * walk is caught by the next try: a stop repeats until empty). How many
 * were signalled (cgroup.kill counts as one), or -1 when it cannot be read.
 */
int
cgroup_signal(struct cgroups *g, const char *name, int sig)
{
	char *line, *at = cg_buf;
	int n = 0;

	if (sig == SIGKILL && g->kill && cg_write(g, name, "cgroup.kill", "1") == 0)
		return 1;
	ssize_t len = cg_read(g, name, "cgroup.procs");

	if (len < 0)
		return -1;
	/* A full buffer may end in a cut pid ("123456" read as "12"): only whole
	 * lines count; the next try (a stop repeats until empty) gets the rest. */
	if ((size_t)len == sizeof(cg_buf) - 1) {
		char *nl = strrchr(cg_buf, '\n');

		*(nl ? nl + 1 : cg_buf) = '\0';
	}
	while ((line = word_cut(&at, "\n")) != NULL) {
		unsigned long pid;

		if (num_ulong(line, 0x3fffffff, &pid) < 0 || pid == 0)
			continue;
		if (sys_kill((pid_t)pid, sig) == 0)
			n++;
		else if (errno != ESRCH)
			log_sys(LV_WARN, "%s: unable to signal %lu", name, pid);
	}
	return n;
}

/* Whether the OOM killer killed in entry name's cgroup since it started. */
bool
cgroup_oom(struct cgroups *g, const char *name)
{
	const struct cgroup_ent *t = cg_ent(g, name);
	long n;

	if (!g->on || !t || t->oom < 0 || cg_read(g, name, "memory.events") <= 0)
		return false;
	n = cg_key(cg_buf, "oom_kill");
	return n > t->oom;
}

/* Entry name is down for good: its cgroup goes, if it is empty (else it stays, said). */
void
cgroup_remove(struct cgroups *g, const char *name)
{
	struct cgroup_ent *t = cg_ent(g, name);
	char path[CG_PATH_MAX + 64];

	if (!g->on || !t)
		return;
	loop_del(g->loop, t->lid);
	(void)sys_close(t->evfd);
	t->name[0] = '\0';
	if (cg_file(g, name, NULL, path, sizeof(path)) == 0 && sys_rmdir(path) < 0 &&
	    errno != ENOENT)
		log_sys(LV_WARN, "%s: unable to remove its cgroup", name);
}

/*
 * The entry process pid came from, by its cgroup (read while it is a
 * zombie, so still there): its name into name. 0, or -1 when none's.
 */
int
cgroup_owner(const struct cgroups *g, pid_t pid, char *name, size_t len)
{
	char path[32], cg[CG_PATH_MAX];

	if (!g->on)
		return -1;
	(void)fmt_print(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if (file_read(path, cg_buf, sizeof(cg_buf)) < 0 ||
	    cg_proc_path(cg_buf, cg, sizeof(cg)) < 0)
		return -1;
	return cg_entry_of(g->path, cg, name, len);
}

/* The number in entry name's one-number file f, or -1. */
static long long
cg_number(const struct cgroups *g, const char *name, const char *f)
{
	unsigned long v;

	if (cg_read(g, name, f) > 0 && num_ulong(cg_line(cg_buf), ~0UL >> 1, &v) == 0)
		return (long long)v;
	return -1;
}

/*
 * What entry name's cgroup has used: memory now and at its peak (bytes)
 * and CPU time (µs); -1 for each the kernel does not tell. false when
 * there is no cgroup to ask.
 */
bool
cgroup_usage(const struct cgroups *g, const char *name, struct cgroup_use *u)
{
	u->memory = u->peak = u->cpu_usec = -1;
	if (!g->on || cg_slot(g, name) < 0)
		return false;
	u->memory = cg_number(g, name, "memory.current");
	u->peak = cg_number(g, name, "memory.peak");
	if (cg_read(g, name, "cpu.stat") > 0)
		u->cpu_usec = cg_key(cg_buf, "usage_usec");
	return true;
}
