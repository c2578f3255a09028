/* Unit tests: where the control socket goes when set control= is not written. */
#define _XOPEN_SOURCE 700	/* S_IFDIR and friends */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "ctl.h"
#include "ctlpath.h"
#include "fake_sys.h"
#include "log.h"
#include "loop.h"

#define DIR_OK	(S_IFDIR | 0700)

static struct ctlpath cp;

/* The choice for euid 1000 with XDG_RUNTIME_DIR (or NULL) and the two lstats; /tmp is sticky. */
static enum ctlpath_how
choose(const char *xdg, struct ctlpath_st x, struct ctlpath_st t)
{
	struct ctlpath_in in = { 1000, xdg, x, t, { 0, S_IFDIR | 01777, 0 } };

	memset(&cp, 0x55, sizeof(cp));
	ctlpath_choose(&in, &cp);
	return cp.how;
}

static const struct ctlpath_st none = { ENOENT, 0, 0 };
static const struct ctlpath_st mine = { 0, DIR_OK, 1000 };

static void
test_xdg_used_when_safe(void **state)
{
	(void)state;
	assert_int_equal(choose("/run/user/1000", mine, none), CP_USE);
	assert_string_equal(cp.path, "/run/user/1000/reaper.sock");
	/* Readable by the group is fine there: only a write bit is refused. */
	assert_int_equal(choose("/run/user/1000", (struct ctlpath_st){ 0, S_IFDIR | 0755, 1000 },
	    none), CP_USE);
	assert_string_equal(cp.path, "/run/user/1000/reaper.sock");
}

/* Each unsafe XDG_RUNTIME_DIR sends us to /tmp/reaper-EUID instead. */
static void
test_xdg_skipped(void **state)
{
	static char longdir[120];
	const struct ctlpath_st bad[] = {
		{ 0, S_IFLNK | 0777, 1000 },	/* a symlink */
		{ 0, S_IFDIR | 0700, 0 },	/* someone else's */
		{ 0, S_IFDIR | 0770, 1000 },	/* the group may write */
		{ 0, S_IFDIR | 0702, 1000 },	/* others may write */
		{ 0, S_IFREG | 0600, 1000 },	/* not a folder */
		{ ENOENT, 0, 0 },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("case %zu\n", i);
		assert_int_equal(choose("/run/user/1000", bad[i], mine), CP_USE);
		assert_string_equal(cp.path, "/tmp/reaper-1000/reaper.sock");
	}
	assert_int_equal(choose(NULL, mine, mine), CP_USE);
	assert_string_equal(cp.path, "/tmp/reaper-1000/reaper.sock");
	assert_int_equal(choose("run/user/1000", mine, mine), CP_USE);	/* relative */
	assert_string_equal(cp.path, "/tmp/reaper-1000/reaper.sock");
	memset(longdir, 'd', sizeof(longdir) - 1);
	longdir[0] = '/';
	assert_int_equal(choose(longdir, mine, mine), CP_USE);	/* no room in sun_path */
	assert_string_equal(cp.path, "/tmp/reaper-1000/reaper.sock");
}

static void
test_tmp_made_when_missing(void **state)
{
	(void)state;
	assert_int_equal(choose(NULL, none, none), CP_MAKE);
	assert_string_equal(cp.dir, "/tmp/reaper-1000");
	assert_string_equal(cp.path, "/tmp/reaper-1000/reaper.sock");
}

/* A /tmp/reaper-EUID that is not a private folder of ours is refused, with why. */
static void
test_tmp_refused(void **state)
{
	(void)state;
	assert_int_equal(choose(NULL, none, (struct ctlpath_st){ 0, S_IFLNK | 0777, 1000 }),
	    CP_REFUSE);
	assert_string_equal(cp.why, "/tmp/reaper-1000 is a symlink");
	assert_int_equal(choose(NULL, none, (struct ctlpath_st){ 0, DIR_OK, 0 }), CP_REFUSE);
	assert_string_equal(cp.why, "/tmp/reaper-1000 belongs to uid 0, not 1000");
	assert_int_equal(choose(NULL, none, (struct ctlpath_st){ 0, S_IFDIR | 0740, 1000 }),
	    CP_REFUSE);
	assert_string_equal(cp.why, "/tmp/reaper-1000 is open to others: mode 0740");
	assert_int_equal(choose(NULL, none, (struct ctlpath_st){ 0, S_IFDIR | 0701, 1000 }),
	    CP_REFUSE);
	assert_int_equal(choose(NULL, none, (struct ctlpath_st){ 0, S_IFREG | 0600, 1000 }),
	    CP_REFUSE);
	assert_string_equal(cp.why, "/tmp/reaper-1000 is not a folder");
	assert_int_equal(choose(NULL, none, (struct ctlpath_st){ EACCES, 0, 0 }), CP_REFUSE);
	assert_string_equal(cp.why, "/tmp/reaper-1000: Permission denied");
	assert_int_equal(choose(NULL, none, mine), CP_USE);
}

/* A /tmp that others may write but that is not sticky: no folder there can be trusted. */
static void
test_tmp_not_sticky(void **state)
{
	struct ctlpath_in in = { 1000, NULL, none, none, { 0, S_IFDIR | 0777, 0 } };

	(void)state;
	ctlpath_choose(&in, &cp);
	assert_int_equal(cp.how, CP_REFUSE);
	assert_string_equal(cp.why, "/tmp may be written by others and is not sticky: mode 0777");
	in.tmp_st = mine;
	ctlpath_choose(&in, &cp);
	assert_int_equal(cp.how, CP_REFUSE);
	in.root_st.mode = S_IFDIR | 0775;	/* its group may write */
	ctlpath_choose(&in, &cp);
	assert_int_equal(cp.how, CP_REFUSE);
	in.root_st = (struct ctlpath_st){ 0, S_IFLNK | 0777, 0 };
	ctlpath_choose(&in, &cp);
	assert_string_equal(cp.why, "/tmp is a symlink");
	in.root_st = (struct ctlpath_st){ 0, S_IFDIR | 0755, 0 };	/* only root may write */
	ctlpath_choose(&in, &cp);
	assert_int_equal(cp.how, CP_USE);
	in.root_st.mode = S_IFDIR | 01777;
	ctlpath_choose(&in, &cp);
	assert_int_equal(cp.how, CP_USE);
	/* $XDG_RUNTIME_DIR does not need /tmp. */
	in.xdg = "/run/user/1000";
	in.xdg_st = mine;
	in.root_st.mode = S_IFDIR | 0777;
	ctlpath_choose(&in, &cp);
	assert_int_equal(cp.how, CP_USE);
	assert_string_equal(cp.path, "/run/user/1000/reaper.sock");
}

/* reaper with a /tmp not sticky: one warning, no socket, and no folder made there. */
static void
test_open_tmp_not_sticky(void **state)
{
	(void)state;
	(void)unsetenv("XDG_RUNTIME_DIR");
	fake_euid = 1000;
	fake_fail("link_owner", ENOENT);	/* /tmp/reaper-1000; then /tmp is: */
	fake_owner(0, 0, S_IFDIR | 0777);
	assert_int_equal(ctlpath_find(&cp), -1);	/* a mkdir would fail the test */
	assert_string_equal(cp.why, "/tmp may be written by others and is not sticky: mode 0777");
}

static void
test_which_errors_fall_back(void **state)
{
	(void)state;
	assert_true(ctlpath_falls_back(EACCES, false));
	assert_true(ctlpath_falls_back(EPERM, false));
	assert_true(ctlpath_falls_back(EROFS, false));
	assert_true(ctlpath_falls_back(ENOENT, false));
	assert_false(ctlpath_falls_back(EADDRINUSE, false));	/* another reaper there */
	assert_false(ctlpath_falls_back(EEXIST, false));	/* not a socket there */
	assert_true(ctlpath_falls_back(ECONNREFUSED, true));
	assert_true(ctlpath_falls_back(ENOTDIR, true));
	assert_false(ctlpath_falls_back(ETIMEDOUT, true));
}

/* reaper makes the folder, then looks again: one a rival made meanwhile is checked too. */
static void
test_find_makes_then_checks(void **state)
{
	(void)state;
	(void)unsetenv("XDG_RUNTIME_DIR");
	fake_euid = 1000;
	fake_fail("link_owner", ENOENT);
	fake_script("mkdir_private", 0, 0, 1);
	fake_owner(1000, 1000, DIR_OK);
	assert_int_equal(ctlpath_find(&cp), 0);
	assert_string_equal(cp.path, "/tmp/reaper-1000/reaper.sock");
	/* Made by someone else first: EEXIST, and it is theirs. */
	fake_fail("link_owner", ENOENT);
	fake_fail("mkdir_private", EEXIST);
	fake_owner(1001, 1001, DIR_OK);
	assert_int_equal(ctlpath_find(&cp), -1);
	assert_string_equal(cp.why, "/tmp/reaper-1000 belongs to uid 1001, not 1000");
	fake_fail("link_owner", ENOENT);
	fake_fail("mkdir_private", ENOSPC);
	assert_int_equal(ctlpath_find(&cp), -1);
	assert_string_equal(cp.why, "/tmp/reaper-1000: No space left on device");
}

/* reaperctl for uid 1000 with no XDG_RUNTIME_DIR and nothing at /run/reaper.sock. */
static void
client(void)
{
	(void)unsetenv("XDG_RUNTIME_DIR");
	fake_euid = 1000;
	fake_fail("connect_unix", ENOENT);	/* /run/reaper.sock */
}

/* A real fd for a scripted connect to return, so that closing it is seen. */
static int
some_fd(void)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	assert_true(fd >= 0);
	fake_script("connect_unix", fd, 0, 1);
	return fd;
}

/*
 * No /tmp/reaper-1000: nothing to connect to there, for whoever made it
 * first (between our lstat and a connect) would own what answers.
 */
static void
test_client_no_folder(void **state)
{
	const char *used;
	int rc = 0;

	(void)state;
	client();
	fake_fail("link_owner", ENOENT);	/* /tmp/reaper-1000; then /tmp: */
	fake_owner(0, 0, S_IFDIR | 01777);
	assert_int_equal(ctlpath_connect(&used, &rc), -1);	/* a second connect fails the test */
	assert_int_equal(rc, 3);
	assert_string_equal(fake_connects, "/run/reaper.sock\n");
	assert_string_equal(fake_log_buf, "reaper: error: cannot reach reaper at /run/reaper.sock: "
	    "No such file or directory, nor at /tmp/reaper-1000/reaper.sock: "
	    "No such file or directory\n");
}

/* Connected, the folder is looked at again: gone (swapped) since, the answer is not trusted. */
static void
test_client_folder_swapped(void **state)
{
	const char *used;
	int rc = 0, fd;

	(void)state;
	client();
	fake_owner(1000, 1000, DIR_OK);
	fake_script("link_owner", 0, 0, 2);	/* /tmp/reaper-1000 and /tmp as fake_owner says */
	fake_fail("link_owner", ENOENT);	/* after the connect */
	fd = some_fd();
	assert_int_equal(ctlpath_connect(&used, &rc), -1);
	assert_int_equal(rc, 1);
	assert_int_equal(fcntl(fd, F_GETFD), -1);	/* closed */
	assert_string_equal(fake_log_buf, "reaper: error: not trusting /tmp/reaper-1000/reaper.sock: "
	    "its folder changed while connecting: /tmp/reaper-1000: No such file or directory\n");
	/* Theirs now: refused too. */
	fake_reset();
	log_setup(LV_DEBUG, FAKE_LOG_FD);
	client();
	fake_owner(1000, 1000, DIR_OK);
	fake_script("link_owner", 0, 0, 2);
	fake_fail("link_owner", EACCES);
	fd = some_fd();
	assert_int_equal(ctlpath_connect(&used, &rc), -1);
	assert_int_equal(fcntl(fd, F_GETFD), -1);
	assert_true(fake_logged("its folder changed while connecting: /tmp/reaper-1000: "
	    "Permission denied\n"));
	/* Still the same: connected. */
	fake_reset();
	log_setup(LV_DEBUG, FAKE_LOG_FD);
	client();
	fake_owner(1000, 1000, DIR_OK);
	fd = some_fd();
	assert_int_equal(ctlpath_connect(&used, &rc), fd);
	assert_string_equal(used, "/tmp/reaper-1000/reaper.sock");
	assert_int_equal(fake_log_len, 0);
	(void)close(fd);
}

/* $XDG_RUNTIME_DIR's socket first, then /tmp/reaper-EUID's: reaper may have had no XDG_RUNTIME_DIR. */
static void
test_client_tries_both(void **state)
{
	const char *used;
	int rc = 0, fd;

	(void)state;
	client();
	assert_int_equal(setenv("XDG_RUNTIME_DIR", "/run/user/1000", 1), 0);
	fake_owner(1000, 1000, DIR_OK);
	fake_fail("connect_unix", ENOENT);	/* $XDG_RUNTIME_DIR/reaper.sock */
	fd = some_fd();
	assert_int_equal(ctlpath_connect(&used, &rc), fd);
	assert_string_equal(used, "/tmp/reaper-1000/reaper.sock");
	assert_string_equal(fake_connects, "/run/reaper.sock\n/run/user/1000/reaper.sock\n"
	    "/tmp/reaper-1000/reaper.sock\n");
	(void)close(fd);
	/* Nowhere: each path named; one that refused us makes it "refused". */
	fake_connects[0] = '\0';
	fake_fail("connect_unix", ENOENT);
	fake_fail("connect_unix", EACCES);
	fake_fail("connect_unix", ECONNREFUSED);
	assert_int_equal(ctlpath_connect(&used, &rc), -1);
	assert_int_equal(rc, 1);
	assert_string_equal(fake_log_buf, "reaper: error: refused (root, reaper's own user or control-group only): "
	    "/run/reaper.sock: No such file or directory, nor at /run/user/1000/reaper.sock: "
	    "Permission denied, nor at /tmp/reaper-1000/reaper.sock: Connection refused\n");
	(void)unsetenv("XDG_RUNTIME_DIR");
}

/* A refused /tmp/reaper-EUID: why, and no connect there. */
static void
test_client_refused_folder(void **state)
{
	const char *used;
	int rc = 0;

	(void)state;
	client();
	fake_owner(1000, 1000, S_IFLNK | 0777);
	assert_int_equal(ctlpath_connect(&used, &rc), -1);
	assert_int_equal(rc, 3);
	assert_string_equal(fake_log_buf, "reaper: error: cannot reach reaper at /run/reaper.sock: "
	    "No such file or directory; /tmp/reaper-1000 is a symlink\n");
}

static struct loop l;
static struct loop_src tab[LOOP_SRC_MAX];
static struct ctl c;

static bool
answer(void *ctx, struct ctl_req *q, struct buf *out)
{
	(void)ctx;
	(void)q;
	(void)out;
	return true;
}

static void
fresh(void)
{
	loop_init(&l, tab, LOOP_SRC_MAX);
	ctl_init(&c, &l, answer, NULL);
	(void)unsetenv("XDG_RUNTIME_DIR");
	fake_euid = 1000;
}

/* No /run to write: the per-user socket, said at info level with why. */
static void
test_open_falls_back(void **state)
{
	(void)state;
	fresh();
	fake_fail("listen_unix", EACCES);
	fake_script("listen_unix", 7, 0, 1);
	fake_owner(1000, 1000, DIR_OK);
	assert_int_equal(ctlpath_open(&c, NULL), 0);
	assert_string_equal(c.path, "/tmp/reaper-1000/reaper.sock");
	assert_true(fake_logged("reaper: control socket at /tmp/reaper-1000/reaper.sock "
	    "(/run/reaper.sock: Permission denied)\n"));
}

/* Root with a writable /run: /run/reaper.sock, and nothing said. */
static void
test_open_default(void **state)
{
	(void)state;
	fresh();
	fake_script("listen_unix", 7, 0, 1);
	assert_int_equal(ctlpath_open(&c, NULL), 0);
	assert_string_equal(c.path, "/run/reaper.sock");
	assert_int_equal(fake_log_len, 0);
}

/* A symlinked folder: no socket, one warning, and reaper goes on. */
static void
test_open_refused(void **state)
{
	(void)state;
	fresh();
	fake_fail("listen_unix", EROFS);
	fake_owner(1000, 1000, S_IFLNK | 0777);
	assert_int_equal(ctlpath_open(&c, NULL), -1);
	assert_int_equal(c.lfd, -1);
	assert_string_equal(c.path, "");
	assert_string_equal(fake_log_buf, "reaper: warning: no control socket: "
	    "/tmp/reaper-1000 is a symlink (/run/reaper.sock: Read-only file system)\n");
}

/* Another reaper on /run/reaper.sock is no reason to go elsewhere. */
static void
test_open_in_use(void **state)
{
	(void)state;
	fresh();
	fake_fail("listen_unix", EADDRINUSE);
	assert_int_equal(ctlpath_open(&c, NULL), -1);	/* a second listen would fail the test */
	assert_true(fake_logged("unable to listen on /run/reaper.sock; no reaperctl: "
	    "Address already in use"));
}

/*
 * Not root, control-group a group reaper may not give the socket (root):
 * it stays where it is, 0600 for reaper's own user, with one warning that
 * names the group; no other path is tried for that.
 */
static void
test_open_group_not_taken(void **state)
{
	(void)state;
	fresh();
	fake_script("listen_unix", -2, EPERM, 1);
	fake_script("listen_unix", 7, 0, 1);
	assert_int_equal(ctlpath_open(&c, "root"), 0);
	assert_string_equal(c.path, "/run/reaper.sock");
	assert_int_equal(fake_listen_mode, 0600);
	assert_int_equal(fake_listen_gid, (gid_t)-1);
	assert_int_equal(c.gid, (gid_t)-1);
	assert_string_equal(fake_log_buf, "reaper: warning: control-group root is not taken "
	    "(Operation not permitted): /run/reaper.sock is uid 1000's only\n");
}

/* Root whose chown fails: no socket, said; and no per-user path either. */
static void
test_open_group_fails_root(void **state)
{
	(void)state;
	fresh();
	fake_euid = 0;
	fake_script("listen_unix", -2, EPERM, 1);
	assert_int_equal(ctlpath_open(&c, "root"), -1);	/* a second listen would fail the test */
	assert_int_equal(c.lfd, -1);
	assert_string_equal(c.path, "");
	assert_string_equal(fake_log_buf, "reaper: warning: unable to give /run/reaper.sock to "
	    "control-group root; no reaperctl: Operation not permitted\n");
}

/* set control=PATH: that path only, whatever the failure. */
static void
test_explicit_never_falls_back(void **state)
{
	(void)state;
	fresh();
	fake_fail("listen_unix", EACCES);
	assert_int_equal(ctl_open(&c, "/srv/r.sock", NULL), -1);
	assert_true(fake_logged("unable to listen on /srv/r.sock; no reaperctl: Permission denied"));
	assert_false(fake_logged("/tmp/reaper-"));
	assert_string_equal(c.path, "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xdg_used_when_safe),
		cmocka_unit_test(test_xdg_skipped),
		cmocka_unit_test(test_tmp_made_when_missing),
		cmocka_unit_test(test_tmp_refused),
		cmocka_unit_test(test_tmp_not_sticky),
		cmocka_unit_test_setup(test_open_tmp_not_sticky, fake_setup),
		cmocka_unit_test(test_which_errors_fall_back),
		cmocka_unit_test_setup(test_find_makes_then_checks, fake_setup),
		cmocka_unit_test_setup(test_client_no_folder, fake_setup),
		cmocka_unit_test_setup(test_client_folder_swapped, fake_setup),
		cmocka_unit_test_setup(test_client_tries_both, fake_setup),
		cmocka_unit_test_setup(test_client_refused_folder, fake_setup),
		cmocka_unit_test_setup(test_open_falls_back, fake_setup),
		cmocka_unit_test_setup(test_open_default, fake_setup),
		cmocka_unit_test_setup(test_open_refused, fake_setup),
		cmocka_unit_test_setup(test_open_in_use, fake_setup),
		cmocka_unit_test_setup(test_explicit_never_falls_back, fake_setup),
		cmocka_unit_test_setup(test_open_group_not_taken, fake_setup),
		cmocka_unit_test_setup(test_open_group_fails_root, fake_setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
