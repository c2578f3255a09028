/*
 * Unit tests: a cgroup per entry (lib/cgroup.c, lib/owner.c and the
 * containment in lib/svc.c), against a temporary folder that stands in
 * for a cgroup2 mount: its "files" (cgroup.events, cgroup.procs, ...) are
 * plain files the test writes, the fake sys layer passes mkdir, rmdir,
 * open, read, write, pread and lstat through to the real calls, and its
 * scripts inject the faults. A POLLPRI on cgroup.events is the test
 * calling the handler the entry registered on the loop.
 */
#define _XOPEN_SOURCE 700	/* nftw, for the clean-up */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "ask.h"
#include "cg.h"
#include "cgroup.h"
#include "fake_run.h"
#include "fake_sys.h"
#include "klog.h"
#include "loop.h"
#include "run.h"

static char tmp[64];		/* the stand-in cgroup2 mount */
static struct cgroups g;
static struct loop l;
static struct loop_src tab[LOOP_SRC_MAX];
static struct conf_entry ent;
static char emptied[CONF_NAME_MAX + 1];	/* the last name the empty callback got */
static int nempty;

/* For the supervisor's tests. */
static struct conf c;
static struct run r;
static struct klogs ks;
static struct klog pipes[KLOG_PIPES_MAX];
static struct ask_more more;

static void
on_empty(void *ctx, const char *name, int64_t now)
{
	(void)ctx;
	(void)now;
	(void)snprintf(emptied, sizeof(emptied), "%s", name);
	nempty++;
}

/* tmp/rel as a path; the next call reuses the buffer. */
static const char *
at(const char *rel)
{
	static char buf[2][256];
	static int k;

	k ^= 1;
	(void)snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmp, rel);
	return buf[k];
}

/* Write text as the whole of tmp/rel (made if need be). */
static void
put(const char *rel, const char *text)
{
	int fd = open(at(rel), O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(close(fd), 0);
}

static const char *
text_of(const char *rel)
{
	return fake_slurp(at(rel));
}

static bool
exists(const char *rel)
{
	struct stat st;

	return lstat(at(rel), &st) == 0;
}

/* What the kernel makes with a cgroup's directory, as far as reaper reads it. */
static void
mkcg(const char *name)
{
	char d[64];

	(void)snprintf(d, sizeof(d), CG_PREFIX "%s", name);
	assert_int_equal(mkdir(at(d), 0755), 0);
	(void)snprintf(d, sizeof(d), CG_PREFIX "%s/cgroup.events", name);
	put(d, "populated 0\nfrozen 0\n");
	(void)snprintf(d, sizeof(d), CG_PREFIX "%s/cgroup.procs", name);
	put(d, "");
}

/* The kernel's files in svc-NAME are not in the way of its rmdir; plain ones are. */
static void
unfile(const char *name)
{
	static const char *const f[] = {
		"cgroup.events", "cgroup.procs", "cgroup.kill", "memory.events",
		"memory.max", "pids.max", "cpu.weight",
	};
	char d[96];
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		(void)snprintf(d, sizeof(d), "%s/" CG_PREFIX "%s/%s", tmp, name, f[i]);
		(void)unlink(d);
	}
}

static int
rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(p);
}

/* An entry's slot in gs, or NULL. */
static struct cgroup_ent *
slot(struct cgroups *gs, const char *name)
{
	int i;

	for (i = 0; i < CONF_ENTRIES_MAX; i++)
		if (strcmp(gs->tab[i].name, name) == 0)
			return &gs->tab[i];
	return NULL;
}

/*
 * The kernel changes entry name's cgroup.events to text and wakes its
 * watcher with POLLPRI (a plain file never does, so the test does it).
 */
static void
events(struct cgroups *gs, const char *name, const char *text, int64_t now)
{
	struct cgroup_ent *t = slot(gs, name);
	char d[64];

	assert_non_null(t);
	(void)snprintf(d, sizeof(d), CG_PREFIX "%s/cgroup.events", name);
	put(d, text);
	assert_true(t->lid >= 0);
	assert_true(l.src[t->lid].fn != NULL);
	assert_int_equal(l.src[t->lid].fd, t->evfd);
	assert_int_equal(l.src[t->lid].events, POLLPRI);
	l.src[t->lid].fn(l.src[t->lid].ctx, POLLPRI, now);
}

/* How many times text is in the captured log. */
static int
logged_n(const char *text)
{
	const char *p = fake_log_buf;
	int n = 0;

	while ((p = strstr(p, text)) != NULL) {
		n++;
		p += strlen(text);
	}
	return n;
}

/* Cgroups on, in tmp, as cgroup_setup would leave them; no controllers, no cgroup.kill. */
static void
cg_on(struct cgroups *gs)
{
	gs->on = true;
	gs->kill = false;
	gs->ctrl = gs->avail = gs->refused = 0;
	(void)snprintf(gs->dir, sizeof(gs->dir), "%s", tmp);
	(void)snprintf(gs->path, sizeof(gs->path), "/");
}

static int
setup(void **state)
{
	(void)fake_setup(state);
	fake_now = 0;
	(void)snprintf(tmp, sizeof(tmp), "/tmp/test_cgroup.XXXXXX");
	assert_non_null(mkdtemp(tmp));
	loop_init(&l, tab, LOOP_SRC_MAX);
	cgroup_init(&g, &l, on_empty, NULL);
	cg_on(&g);
	memset(&ent, 0, sizeof(ent));
	(void)snprintf(ent.name, sizeof(ent.name), "web");
	emptied[0] = '\0';
	nempty = 0;
	return 0;
}

static int
teardown(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < CONF_ENTRIES_MAX; i++) {
		if (g.tab[i].name[0])
			(void)close(g.tab[i].evfd);
		g.tab[i].name[0] = '\0';
		if (r.cg.tab[i].name[0])
			(void)close(r.cg.tab[i].evfd);
		r.cg.tab[i].name[0] = '\0';
	}
	(void)nftw(tmp, rm_one, 8, FTW_DEPTH | FTW_PHYS);
	return 0;
}

/* Its cgroup made (or there already), watched, and an fd of its cgroup.procs to join by. */
static void
test_prepare(void **state)
{
	struct cgroup_ent *t;
	int fd;

	(void)state;
	mkcg("web");			/* EEXIST from the real mkdir */
	fd = cgroup_prepare(&g, &ent);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "0", 1), 1);	/* what the child does */
	assert_int_equal(close(fd), 0);
	assert_string_equal(text_of(CG_PREFIX "web/cgroup.procs"), "0");
	assert_non_null(t = slot(&g, "web"));
	assert_true(t->evfd >= 0);
	assert_int_equal(l.src[t->lid].fd, t->evfd);
	assert_int_equal(t->oom, -1);		/* no memory.events here */
	/* Again (a restart): the same slot, no second watch. */
	fake_script("mkdir", -1, EEXIST, 1);
	fd = cgroup_prepare(&g, &ent);
	assert_true(fd >= 0);
	(void)close(fd);
	assert_ptr_equal(slot(&g, "web"), t);
	assert_int_equal(l.top, 1);
	assert_false(fake_logged("warning"));
}

/* A cgroup that cannot be made: said, and the entry runs without one. */
static void
test_prepare_faults(void **state)
{
	(void)state;
	fake_script("mkdir", -1, EACCES, 1);
	assert_int_equal(cgroup_prepare(&g, &ent), -1);
	assert_true(fake_logged("web: unable to make its cgroup: Permission denied"));
	fake_script("mkdir", -1, EROFS, 1);
	assert_int_equal(cgroup_prepare(&g, &ent), -1);
	assert_true(fake_logged("web: unable to make its cgroup: Read-only file system"));
	assert_null(slot(&g, "web"));
	assert_int_equal(l.top, 0);
	/* Made, but no cgroup.events to watch (not a cgroup2 directory). */
	fake_log_buf[0] = '\0';
	fake_log_len = 0;
	assert_int_equal(cgroup_prepare(&g, &ent), -1);
	assert_true(fake_logged("web: unable to watch its cgroup: No such file or directory"));
	assert_null(slot(&g, "web"));
	/* Cgroups off: -1 without a word. */
	fake_log_buf[0] = '\0';
	fake_log_len = 0;
	g.on = false;
	assert_int_equal(cgroup_prepare(&g, &ent), -1);
	assert_int_equal(fake_log_len, 0);
}

/* Limits land in their files before the command runs. */
static void
test_limits(void **state)
{
	int fd;

	(void)state;
	mkcg("web");
	put(CG_PREFIX "web/memory.max", "");	/* plain files: a write does not truncate */
	put(CG_PREFIX "web/pids.max", "");
	put(CG_PREFIX "web/cpu.weight", "");
	put(CG_PREFIX "web/memory.events", "low 0\nhigh 0\nmax 0\noom 1\noom_kill 3\n");
	g.ctrl = CG_MEMORY | CG_PIDS | CG_CPU;
	ent.memory_max = 64UL << 20;
	ent.pids_max = 100;
	ent.cpu_weight = 50;
	assert_true((fd = cgroup_prepare(&g, &ent)) >= 0);
	(void)close(fd);
	assert_string_equal(text_of(CG_PREFIX "web/memory.max"), "67108864");
	assert_string_equal(text_of(CG_PREFIX "web/pids.max"), "100");
	assert_string_equal(text_of(CG_PREFIX "web/cpu.weight"), "50");
	assert_int_equal(slot(&g, "web")->oom, 3);	/* oom_kill at its start */
	assert_false(fake_logged("warning"));
}

/*
 * A controller is given to the entries' cgroups when a limit first needs it;
 * one refused (EBUSY: a process in reaper's cgroup) is said once, never asked again.
 */
static void
test_controller_on_need(void **state)
{
	int fd;

	(void)state;
	mkcg("web");
	put("cgroup.subtree_control", "");
	put(CG_PREFIX "web/memory.max", "");
	put(CG_PREFIX "web/pids.max", "");
	g.avail = CG_MEMORY | CG_PIDS;
	ent.memory_max = 1UL << 20;
	ent.pids_max = 0;
	ent.cpu_weight = 0;
	assert_true((fd = cgroup_prepare(&g, &ent)) >= 0);
	(void)close(fd);
	assert_int_equal(g.ctrl, CG_MEMORY);
	assert_string_equal(text_of("cgroup.subtree_control"), "+memory");
	assert_string_equal(text_of(CG_PREFIX "web/memory.max"), "1048576");
	ent.pids_max = 9;
	fake_script("write", 7, 0, 1);			/* memory.max "1048576" */
	fake_script("write", -1, EBUSY, 1);		/* "+pids" */
	assert_true((fd = cgroup_prepare(&g, &ent)) >= 0);
	(void)close(fd);
	assert_int_equal(g.ctrl, CG_MEMORY);
	assert_int_equal(g.refused, CG_PIDS);
	assert_true(fake_logged("warning: cgroups: the pids controller cannot be given to services: "
	    "Device or resource busy"));
	assert_true(fake_logged("warning: web: pids.max not set: no such controller here"));
	fake_log_len = 0;
	fake_log_buf[0] = '\0';
	assert_true((fd = cgroup_prepare(&g, &ent)) >= 0);	/* not asked again, nor said */
	(void)close(fd);
	assert_false(fake_logged("warning"));
}

/* A limit the kernel refuses (EBUSY, ENOTSUP) is a warning; the rest are set, it runs. */
static void
test_limit_refused(void **state)
{
	int fd;

	(void)state;
	mkcg("web");
	put(CG_PREFIX "web/memory.max", "max");
	put(CG_PREFIX "web/pids.max", "max");
	put(CG_PREFIX "web/cpu.weight", "100");
	g.ctrl = CG_MEMORY | CG_PIDS | CG_CPU;
	ent.memory_max = 1UL << 20;
	ent.pids_max = 7;
	ent.cpu_weight = 10000;
	fake_script("write", -1, EBUSY, 1);		/* memory.max */
	fake_script("write", -1, ENOTSUP, 1);		/* pids.max */
	assert_true((fd = cgroup_prepare(&g, &ent)) >= 0);
	(void)close(fd);
	assert_true(fake_logged("warning: web: unable to set memory.max to 1048576: "
	    "Device or resource busy"));
	assert_true(fake_logged("warning: web: unable to set pids.max to 7: "
	    "Operation not supported"));
	assert_string_equal(text_of(CG_PREFIX "web/memory.max"), "max");
	assert_string_equal(text_of(CG_PREFIX "web/pids.max"), "max");
	assert_string_equal(text_of(CG_PREFIX "web/cpu.weight"), "10000");
}

/* A limit whose controller is not here: one warning per entry, not one per start. */
static void
test_no_controller(void **state)
{
	int fd;

	(void)state;
	mkcg("web");
	mkcg("db");
	ent.memory_max = 1UL << 20;
	ent.pids_max = 7;
	assert_true((fd = cgroup_prepare(&g, &ent)) >= 0);
	(void)close(fd);
	assert_true((fd = cgroup_prepare(&g, &ent)) >= 0);	/* restarted */
	(void)close(fd);
	assert_int_equal(logged_n("web: memory.max not set: no such controller here"), 1);
	assert_false(fake_logged("pids.max"));
	assert_false(exists(CG_PREFIX "web/memory.max"));	/* nothing tried */
	/* Memory there, pids not: the pids limit is the one said. */
	g.ctrl = CG_MEMORY;
	put(CG_PREFIX "db/memory.max", "max");
	(void)snprintf(ent.name, sizeof(ent.name), "db");
	assert_true((fd = cgroup_prepare(&g, &ent)) >= 0);
	(void)close(fd);
	assert_string_equal(text_of(CG_PREFIX "db/memory.max"), "1048576");
	assert_int_equal(logged_n("db: pids.max not set: no such controller here"), 1);
}

/* Without cgroup.kill, a signal (SIGKILL too) goes to each pid in cgroup.procs. */
static void
test_signal_each(void **state)
{
	(void)state;
	mkcg("web");
	put(CG_PREFIX "web/cgroup.procs", "11\n12\n0\n13\n");
	fake_will_kill(11, SIGTERM);
	expect_value(sys_kill, pid, 12);	/* gone meanwhile: quiet */
	expect_value(sys_kill, sig, SIGTERM);
	will_return(sys_kill, -1);
	will_return(sys_kill, ESRCH);
	expect_value(sys_kill, pid, 13);	/* refused: said, the rest still signalled */
	expect_value(sys_kill, sig, SIGTERM);
	will_return(sys_kill, -1);
	will_return(sys_kill, EPERM);
	assert_int_equal(cgroup_signal(&g, "web", SIGTERM), 1);	/* how many it reached */
	assert_false(fake_logged("unable to signal 12"));
	assert_true(fake_logged("web: unable to signal 13: Operation not permitted"));
	fake_will_kill(11, SIGKILL);
	fake_will_kill(12, SIGKILL);
	fake_will_kill(13, SIGKILL);
	assert_int_equal(cgroup_signal(&g, "web", SIGKILL), 3);
	/* Empty: nothing to do. No cgroup.procs at all: -1 (the caller falls back). */
	put(CG_PREFIX "web/cgroup.procs", "");
	assert_int_equal(cgroup_signal(&g, "web", SIGKILL), 0);
	assert_int_equal(cgroup_signal(&g, "none", SIGTERM), -1);
}

/* More pids than one read holds: the cut last one ("123456" as "1") is no pid to signal. */
static void
test_signal_cut_line(void **state)
{
	static char text[16400];

	(void)state;
	mkcg("web");
	memset(text, '0', 16381);	/* a line that is no pid (0 is skipped) */
	(void)snprintf(text + 16381, sizeof(text) - 16381, "\n123456\n");
	put(CG_PREFIX "web/cgroup.procs", text);
	assert_int_equal(cgroup_signal(&g, "web", SIGTERM), 0);	/* no sys_kill expected */
}

/* With cgroup.kill, SIGKILL is "1" written there; other signals still go pid by pid. */
static void
test_signal_kill_file(void **state)
{
	(void)state;
	mkcg("web");
	put(CG_PREFIX "web/cgroup.procs", "11\n12\n");
	put(CG_PREFIX "web/cgroup.kill", "");
	g.kill = true;
	assert_int_equal(cgroup_signal(&g, "web", SIGKILL), 1);	/* no sys_kill expected */
	assert_string_equal(text_of(CG_PREFIX "web/cgroup.kill"), "1");
	fake_will_kill(11, SIGHUP);
	fake_will_kill(12, SIGHUP);
	assert_int_equal(cgroup_signal(&g, "web", SIGHUP), 2);
	/* cgroup.kill refused: each pid after all. */
	fake_script("write", -1, EBUSY, 1);
	fake_will_kill(11, SIGKILL);
	fake_will_kill(12, SIGKILL);
	assert_int_equal(cgroup_signal(&g, "web", SIGKILL), 2);
}

/* Populated, asked now; and cgroup.events on the loop says when it is empty. */
static void
test_populated_events(void **state)
{
	int fd;

	(void)state;
	mkcg("web");
	assert_true((fd = cgroup_prepare(&g, &ent)) >= 0);
	(void)close(fd);
	assert_false(cgroup_populated(&g, "web"));
	put(CG_PREFIX "web/cgroup.events", "populated 1\nfrozen 0\n");
	assert_true(cgroup_populated(&g, "web"));
	assert_false(cgroup_populated(&g, "none"));
	events(&g, "web", "populated 1\nfrozen 0\n", 5);
	assert_int_equal(nempty, 0);
	events(&g, "web", "populated 0\nfrozen 0\n", 6);
	assert_int_equal(nempty, 1);
	assert_string_equal(emptied, "web");
	/* Text without the key is no news. */
	events(&g, "web", "frozen 0\n", 7);
	assert_int_equal(nempty, 1);
	/* A read that fails (its directory removed under reaper: ENODEV, and the
	 * fd would poll ready for ever) is said, no news, and the watch goes. */
	{
		int lid = slot(&g, "web")->lid;

		fake_script("pread", -1, ENODEV, 1);
		events(&g, "web", "populated 0\n", 8);
		assert_int_equal(nempty, 1);
		assert_true(fake_logged("web: cgroup.events; no longer watched: No such device"));
		assert_null(slot(&g, "web"));
		assert_null(l.src[lid].fn);
	}
	g.on = false;
	put(CG_PREFIX "web/cgroup.events", "populated 1\n");
	assert_false(cgroup_populated(&g, "web"));
}

/* The OOM killer's work: memory.events oom_kill grown since the start. */
static void
test_oom(void **state)
{
	int fd;

	(void)state;
	mkcg("web");
	mkcg("db");
	put(CG_PREFIX "web/memory.events", "oom 0\noom_kill 0\n");
	assert_true((fd = cgroup_prepare(&g, &ent)) >= 0);
	(void)close(fd);
	assert_false(cgroup_oom(&g, "web"));
	put(CG_PREFIX "web/memory.events", "oom 1\noom_kill 1\n");
	assert_true(cgroup_oom(&g, "web"));
	/* Restarted: counted from the new start. */
	assert_true((fd = cgroup_prepare(&g, &ent)) >= 0);
	(void)close(fd);
	assert_false(cgroup_oom(&g, "web"));
	/* No memory.events when it started (no controller): never OOM. */
	(void)snprintf(ent.name, sizeof(ent.name), "db");
	assert_true((fd = cgroup_prepare(&g, &ent)) >= 0);
	(void)close(fd);
	put(CG_PREFIX "db/memory.events", "oom_kill 5\n");
	assert_false(cgroup_oom(&g, "db"));
	assert_false(cgroup_oom(&g, "none"));
	put(CG_PREFIX "web/memory.events", "oom_kill 9\n");
	g.on = false;
	assert_false(cgroup_oom(&g, "web"));
}

/* Down for good: unwatched, its slot freed, its directory removed (or said why not). */
static void
test_remove(void **state)
{
	int fd;

	(void)state;
	mkcg("web");
	assert_true((fd = cgroup_prepare(&g, &ent)) >= 0);
	(void)close(fd);
	unfile("web");
	cgroup_remove(&g, "web");
	assert_null(slot(&g, "web"));
	assert_int_equal(l.top, 0);
	assert_false(exists(CG_PREFIX "web"));
	assert_false(fake_logged("warning"));
	/* The kernel refuses (a process is still in it): said. */
	mkcg("web");
	assert_true((fd = cgroup_prepare(&g, &ent)) >= 0);
	(void)close(fd);
	fake_script("rmdir", -1, EBUSY, 1);
	cgroup_remove(&g, "web");
	assert_true(fake_logged("web: unable to remove its cgroup: Device or resource busy"));
	assert_null(slot(&g, "web"));
	/* Gone already, or never watched: quiet. */
	fake_log_buf[0] = '\0';
	fake_log_len = 0;
	assert_true((fd = cgroup_prepare(&g, &ent)) >= 0);
	(void)close(fd);
	fake_script("rmdir", -1, ENOENT, 1);
	cgroup_remove(&g, "web");
	cgroup_remove(&g, "none");
	assert_int_equal(fake_log_len, 0);
}

/* The next sys_open answers with an fd of a file holding text (a /proc file). */
static void
open_gives(const char *rel, const char *text)
{
	int fd;

	put(rel, text);
	fd = open(at(rel), O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	fake_script("open", fd, 0, 1);
}

/* cgroup_setup, as PID 1 of a machine, with /proc/self/cgroup and mountinfo given. */
static void
setup_with(const char *proc, const char *mountinfo)
{
	cgroup_init(&g, &l, on_empty, NULL);
	if (proc)
		open_gives("proc_cgroup", proc);
	else
		fake_script("open", -1, ENOENT, 1);
	if (mountinfo)
		open_gives("mountinfo", mountinfo);
	fake_log_buf[0] = '\0';
	fake_log_len = 0;
	cgroup_setup(&g, true);
}

static void
test_setup_off(void **state)
{
	char mi[256], want[256];

	(void)state;
	(void)snprintf(mi, sizeof(mi), "41 31 0:38 / %s rw - cgroup2 cgroup2 rw\n", tmp);
	setup_with(NULL, NULL);
	assert_false(g.on);
	assert_string_equal(g.why, "no cgroup v2 hierarchy");
	assert_true(fake_logged("warning: cgroups off: no cgroup v2 hierarchy; "
	    "services are kept by process group"));
	setup_with("4:memory:/x\n1:name=systemd:/\n", NULL);
	assert_false(g.on);
	assert_string_equal(g.why, "no cgroup v2 hierarchy");
	setup_with("0::/x\n", "41 31 0:38 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n");
	assert_false(g.on);
	assert_string_equal(g.why, "no cgroup2 mount shows reaper's cgroup /x");
	/* A read-only or forbidden tree: reaper's leaf cannot be made. */
	fake_script("mkdir", -1, EROFS, 1);
	setup_with("0::/\n", mi);
	assert_false(g.on);
	(void)snprintf(want, sizeof(want), "unable to make %s/reaper: Read-only file system", tmp);
	assert_string_equal(g.why, want);
	assert_int_equal(logged_n("cgroups off"), 1);
	fake_script("mkdir", -1, EACCES, 1);
	setup_with("0::/\n", mi);
	(void)snprintf(want, sizeof(want), "unable to make %s/reaper: Permission denied", tmp);
	assert_string_equal(g.why, want);
	/* Made, but reaper cannot move in. */
	assert_int_equal(mkdir(at(CG_SELF), 0755), 0);
	put(CG_SELF "/cgroup.procs", "");
	fake_script("write", -1, EBUSY, 1);
	setup_with("0::/\n", mi);
	assert_false(g.on);
	(void)snprintf(want, sizeof(want), "unable to move into %s/reaper: Device or resource busy",
	    tmp);
	assert_string_equal(g.why, want);
	assert_true(fake_logged(want));
	/* A later mount of another subtree does not hide the one that shows it. */
	(void)snprintf(mi, sizeof(mi), "41 31 0:38 / %s rw - cgroup2 cgroup2 rw\n"
	    "42 31 0:38 /other /mnt rw - cgroup2 cgroup2 rw\n", tmp);
	setup_with("0::/\n", mi);
	assert_true(g.on);
	assert_string_equal(g.dir, tmp);	/* the earlier one shows it */
}

static void
test_setup_on(void **state)
{
	char mi[256], want[256];

	(void)state;
	(void)snprintf(mi, sizeof(mi), "41 31 0:38 / %s rw - cgroup2 cgroup2 rw\n", tmp);
	assert_int_equal(mkdir(at(CG_SELF), 0755), 0);	/* EEXIST: fine */
	put(CG_SELF "/cgroup.procs", "");
	put("cgroup.controllers", "");			/* as on this build machine */
	put("cgroup.subtree_control", "");
	setup_with("0::/\n", mi);
	assert_true(g.on);
	assert_string_equal(g.dir, tmp);
	assert_string_equal(g.path, "/");
	assert_string_equal(text_of(CG_SELF "/cgroup.procs"), "0");
	assert_false(g.kill);
	assert_int_equal(g.ctrl, 0);
	(void)snprintf(want, sizeof(want), "cgroups: on, in %s", tmp);
	assert_true(fake_logged(want));
	assert_false(fake_logged("warning"));
	/* All controllers, cgroup.kill: known, and given to no one until a limit needs one. */
	put("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
	put(CG_SELF "/cgroup.kill", "");
	setup_with("0::/\n", mi);
	assert_true(g.on);
	assert_true(g.kill);
	assert_int_equal(g.avail, CG_MEMORY | CG_PIDS | CG_CPU);
	assert_int_equal(g.ctrl, 0);
	assert_string_equal(text_of("cgroup.subtree_control"), "");
	/* No cgroup.controllers at all (an old kernel's tree): none, quietly. */
	(void)unlink(at("cgroup.controllers"));
	setup_with("0::/\n", mi);
	assert_true(g.on);
	assert_int_equal(g.ctrl, 0);
	assert_false(fake_logged("warning"));
}

/* Provenance by cgroup: the cgroup of a zombie, read from /proc/PID/cgroup. */
static void
test_owner_cgroup(void **state)
{
	char name[CONF_NAME_MAX + 1];

	(void)state;
	open_gives("pid_cgroup", "0::/svc-web\n");
	assert_int_equal(cgroup_owner(&g, 86, name, sizeof(name)), 0);
	assert_string_equal(name, "web");
	open_gives("pid_cgroup", "0::/svc-web/nested\n");	/* it made a cgroup of its own */
	assert_int_equal(cgroup_owner(&g, 86, name, sizeof(name)), 0);
	assert_string_equal(name, "web");
	open_gives("pid_cgroup", "0::/" CG_SELF "\n");
	assert_int_equal(cgroup_owner(&g, 86, name, sizeof(name)), -1);
	fake_script("open", -1, ENOENT, 1);		/* gone: no /proc/PID */
	assert_int_equal(cgroup_owner(&g, 86, name, sizeof(name)), -1);
	/* A container's base. */
	(void)snprintf(g.path, sizeof(g.path), "/ctr");
	open_gives("pid_cgroup", "0::/ctr/svc-db\n");
	assert_int_equal(cgroup_owner(&g, 87, name, sizeof(name)), 0);
	assert_string_equal(name, "db");
	open_gives("pid_cgroup", "0::/svc-db\n");
	assert_int_equal(cgroup_owner(&g, 87, name, sizeof(name)), -1);
	g.on = false;				/* off: no look at /proc (an open would be real) */
	assert_int_equal(cgroup_owner(&g, 1, name, sizeof(name)), -1);
}

/* Parse text and bring the supervisor to its first step (no cgroups yet). */
static void
load(const char *text)
{
	assert_int_equal(conf_parse(&c, text, strlen(text)), 0);
	loop_init(&l, tab, LOOP_SRC_MAX);
	klog_init(&ks, &l, pipes);
	run_init(&r, &c, 1, true, &l, &ks);
}

/* getsid(pid) answers sid. */
static void
sid_is(pid_t pid, pid_t sid)
{
	expect_value(sys_getsid, pid, pid);
	will_return(sys_getsid, sid);
	if (sid < 0)
		will_return(sys_getsid, ESRCH);
}

/* run_owner: by cgroup when on, by session (this run's or the one before) when off. */
static void
test_run_owner(void **state)
{
	struct reap_ev ev = { 86, REAP_EXITED, 0, "sleep", "" };
	char from[CONF_NAME_MAX + 1];

	(void)state;
	load("service web /bin/web\nservice db /bin/db\n");
	r.svc[0].pid = 11;
	r.svc[0].pgid = 11;
	r.svc[0].sid_prev = 5;
	r.svc[1].pgid = 20;
	sid_is(86, 11);
	run_owner(&r, 86, from, sizeof(from));
	assert_string_equal(from, "web");
	sid_is(86, 5);				/* a leftover of web's run before */
	run_owner(&r, 86, from, sizeof(from));
	assert_string_equal(from, "web");
	sid_is(86, 20);
	run_owner(&r, 86, from, sizeof(from));
	assert_string_equal(from, "db");
	sid_is(86, 99);				/* called setsid: no one's */
	run_owner(&r, 86, from, sizeof(from));
	assert_string_equal(from, "");
	sid_is(86, 1);
	run_owner(&r, 86, from, sizeof(from));
	assert_string_equal(from, "");
	sid_is(86, -1);
	run_owner(&r, 86, from, sizeof(from));
	assert_string_equal(from, "");
	run_owner(&r, 11, from, sizeof(from));	/* web's own process: no getsid, no orphan */
	assert_string_equal(from, "");
	/* With cgroups, the cgroup says, whatever the session (a setsid daemon). */
	cg_on(&r.cg);
	open_gives("pid_cgroup", "0::/svc-db\n");
	run_owner(&r, 86, from, sizeof(from));
	assert_string_equal(from, "db");
	/* The reap: counted to db, said in the log. */
	(void)snprintf(ev.from, sizeof(ev.from), "%s", from);
	run_reaped(&r, &ev);
	assert_int_equal(r.svc[1].orphans, 1);
	assert_int_equal(r.svc[0].orphans, 0);
	assert_int_equal(r.orphans, 1);
	assert_true(fake_logged("reaped orphan 86 (sleep) from db: exited 0"));
	ev.pid = 87;
	ev.from[0] = '\0';
	run_reaped(&r, &ev);
	assert_int_equal(r.orphans, 2);
	assert_true(fake_logged("reaped orphan 87 (sleep): exited 0"));
	r.cg.on = false;
}

/* pid of a service ended (no kill(-pid, 0) asked: with a cgroup, cgroup.events decides). */
static void
reap(pid_t pid, enum reap_kind kind, int code)
{
	struct reap_ev ev = { pid, kind, code, "", "" };

	run_reaped(&r, &ev);
}

static void
wake(void)
{
	int k;

	for (k = 0; k < 3; k++)
		loop_once(&l);
}

/* web started with cgroups on, its cgroup in tmp: RUNNING as pid 11. */
static void
web_running(const char *conf)
{
	load(conf);
	cg_on(&r.cg);
	mkcg("web");
	fake_forks(11);
	run_step(&r, 0);
	assert_ptr_equal(r.svc[0].cg, &r.cg);
	assert_non_null(slot(&r.cg, "web"));
	wake();
	assert_int_equal(r.svc[0].state, SV_RUNNING);
	put(CG_PREFIX "web/cgroup.procs", "11\n");
	put(CG_PREFIX "web/cgroup.events", "populated 1\n");
}

/*
 * Its main process exits on its own, a setsid daemon still in its cgroup:
 * the rest is stopped (SIGKILL at stop-timeout, again until empty), and
 * the restart comes only after cgroup.events says it is empty.
 */
static void
test_main_exit_leaves_rest(void **state)
{
	(void)state;
	web_running("service web restart-delay=100ms stop-timeout=1s /bin/web\n");
	put(CG_PREFIX "web/cgroup.procs", "12\n");	/* the daemon it left */
	fake_will_kill(12, SIGTERM);
	fake_will_kill(12, SIGCONT);
	fake_now = 10;
	reap(11, REAP_EXITED, 0);
	assert_true(fake_logged("web: stopping what is left of it"));
	assert_int_equal(r.svc[0].state, SV_STOPPING);
	assert_int_equal(r.svc[0].pid, 0);
	assert_true(r.svc[0].lingering);
	run_tick(&r, 500);			/* past the restart delay: nothing yet */
	run_step(&r, 500);
	assert_int_equal(r.svc[0].state, SV_STOPPING);
	fake_will_kill(12, SIGKILL);		/* no cgroup.kill here: pid by pid */
	run_tick(&r, 1010);
	assert_true(fake_logged("web did not stop in 1000 ms; sending SIGKILL"));
	assert_int_equal(run_deadline(&r), 1010 + END_REKILL_MS);
	put(CG_PREFIX "web/cgroup.procs", "12\n13\n");	/* it forked meanwhile */
	fake_will_kill(12, SIGKILL);
	fake_will_kill(13, SIGKILL);
	run_tick(&r, 1010 + END_REKILL_MS);
	run_step(&r, 1010 + END_REKILL_MS);
	assert_int_equal(r.svc[0].state, SV_STOPPING);
	assert_int_equal(r.svc[0].pid, 0);	/* never a second instance beside it */
	put(CG_PREFIX "web/cgroup.procs", "");
	events(&r.cg, "web", "populated 0\n", 1300);
	assert_true(fake_logged("web stopped"));
	assert_int_equal(r.svc[0].state, SV_BACKOFF);
	assert_int_equal(run_deadline(&r), 1300 + 100);
	fake_forks(21);
	run_tick(&r, 1400);
	run_step(&r, 1400);
	assert_int_equal(r.svc[0].pid, 21);
	assert_int_equal(r.svc[0].restarts, 1);
}

/* A main exit with its cgroup already empty: decided at once, as without cgroups. */
static void
test_main_exit_alone(void **state)
{
	(void)state;
	web_running("service web restart-delay=100ms /bin/web\n");
	put(CG_PREFIX "web/cgroup.procs", "");
	put(CG_PREFIX "web/cgroup.events", "populated 0\n");
	fake_now = 10;
	reap(11, REAP_EXITED, 3);
	assert_int_equal(r.svc[0].state, SV_BACKOFF);
	assert_false(fake_logged("stopping what is left"));
	/* The empty event that follows changes nothing. */
	events(&r.cg, "web", "populated 0\n", 20);
	assert_int_equal(r.svc[0].state, SV_BACKOFF);
	assert_false(fake_logged("web stopped"));
}

/*
 * A once that exits and leaves a daemon: the daemon lives on, its cgroup
 * stays, looked at once and then only after its empty event, and goes then.
 */
static void
test_once_leftovers_live_on(void **state)
{
	(void)state;
	web_running("once web /bin/web\n");
	put(CG_PREFIX "web/cgroup.procs", "12\n");
	reap(11, REAP_EXITED, 0);
	assert_int_equal(r.svc[0].state, SV_DONE);
	assert_false(fake_logged("stopping what is left"));
	run_step(&r, 1);
	assert_true(r.svc[0].cg_busy);
	assert_ptr_equal(r.svc[0].cg, &r.cg);
	assert_true(exists(CG_PREFIX "web"));
	/* Busy: the next steps do not ask again (a failing read would remove it). */
	fake_script("open", -1, EACCES, 1);
	run_step(&r, 2);
	assert_true(exists(CG_PREFIX "web"));
	fake_reset();
	events(&r.cg, "web", "populated 0\n", 3);
	assert_false(r.svc[0].cg_busy);
	unfile("web");
	put(CG_PREFIX "web/cgroup.events", "populated 0\n");	/* read by name now */
	run_step(&r, 3);
	assert_null(r.svc[0].cg);
	assert_null(slot(&r.cg, "web"));	/* its watch gone, its rmdir tried */
}

/*
 * reaperctl stop: every process of its cgroup gets the stop signal; it is
 * stopped only once empty, and then its cgroup goes.
 */
static void
test_stop_until_empty(void **state)
{
	(void)state;
	web_running("service web stop-timeout=1s /bin/web\n");
	put(CG_PREFIX "web/cgroup.procs", "11\n12\n");
	put(CG_PREFIX "web/cgroup.kill", "");
	r.cg.kill = true;
	fake_will_kill(11, SIGTERM);
	fake_will_kill(12, SIGTERM);
	fake_will_kill(11, SIGCONT);
	fake_will_kill(12, SIGCONT);
	fake_now = 10;
	assert_int_equal(ask_svc(&r, ASK_STOP, "web", 10, &more), ASK_OK);
	assert_int_equal(r.svc[0].state, SV_STOPPING);
	put(CG_PREFIX "web/cgroup.procs", "12\n");
	reap(11, REAP_KILLED, SIGTERM);
	assert_true(fake_logged("web: waiting for the rest of it"));
	assert_int_equal(r.svc[0].state, SV_STOPPING);
	run_step(&r, 20);
	assert_true(exists(CG_PREFIX "web"));
	/* At stop-timeout, cgroup.kill; again every END_REKILL_MS until empty. */
	run_tick(&r, 1010);
	assert_string_equal(text_of(CG_PREFIX "web/cgroup.kill"), "1");
	put(CG_PREFIX "web/cgroup.kill", "");
	run_tick(&r, 1010 + END_REKILL_MS);
	assert_string_equal(text_of(CG_PREFIX "web/cgroup.kill"), "1");
	assert_int_equal(r.svc[0].state, SV_STOPPING);
	events(&r.cg, "web", "populated 0\n", 1300);
	assert_int_equal(r.svc[0].state, SV_STOPPED);
	unfile("web");		/* an empty cgroup's own files are no bar to rmdir */
	run_step(&r, 1300);
	assert_null(r.svc[0].cg);
	assert_null(slot(&r.cg, "web"));
	assert_false(exists(CG_PREFIX "web"));
	assert_false(fake_logged("warning: web: unable to remove"));
}

/* A stop before the child has joined its cgroup (it does so after the fork) reaches the child. */
static void
test_stop_before_join(void **state)
{
	(void)state;
	load("service web stop-timeout=5s /bin/web\n");
	cg_on(&r.cg);
	mkcg("web");
	fake_forks(11);
	run_step(&r, 0);
	assert_int_equal(r.svc[0].state, SV_STARTING);
	/* cgroup.procs is still empty: the child writes itself in after fork. */
	fake_will_kill(11, SIGTERM);
	fake_will_kill(11, SIGCONT);
	assert_int_equal(ask_svc(&r, ASK_STOP, "web", 10, &more), ASK_OK);
}

/* cgroups on, but this entry's cgroup could not be made: provenance by session. */
static void
test_owner_entry_without_cgroup(void **state)
{
	char from[CONF_NAME_MAX + 1];

	(void)state;
	load("service web /bin/web\n");
	cg_on(&r.cg);
	r.svc[0].pid = 11;
	r.svc[0].pgid = 11;
	r.svc[0].cg = NULL;
	open_gives("pid_cgroup", "0::/" CG_SELF "\n");	/* never left reaper's leaf */
	expect_value(sys_getsid, pid, 86);
	will_return(sys_getsid, 11);
	run_owner(&r, 86, from, sizeof(from));
	assert_string_equal(from, "web");
	r.cg.on = false;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_prepare, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prepare_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
		cmocka_unit_test_setup_teardown(test_limit_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_controller, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signal_each, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signal_kill_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_populated_events, setup, teardown),
		cmocka_unit_test_setup_teardown(test_oom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_setup_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_setup_on, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owner_cgroup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_run_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(test_main_exit_leaves_rest, setup, teardown),
		cmocka_unit_test_setup_teardown(test_main_exit_alone, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_until_empty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_once_leftovers_live_on, setup, teardown),
		cmocka_unit_test_setup_teardown(test_controller_on_need, setup, teardown),
		cmocka_unit_test_setup_teardown(test_signal_cut_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stop_before_join, setup, teardown),
		cmocka_unit_test_setup_teardown(test_owner_entry_without_cgroup, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
