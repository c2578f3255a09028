/*
 * Unit tests: the text side of cgroups (lib/cg.c): /proc/PID/cgroup,
 * mountinfo, which entry a cgroup path belongs to, "KEY N" files; and the
 * size parser of memory-max= (num_size in lib/num.c). All pure.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "cg.h"
#include "limits.h"
#include "num.h"

/* lib/limits.h takes the place of <limits.h> here (-Ilib). */
#define ULMAX	((unsigned long)-1)
#define LMAX	((long)(ULMAX >> 1))

/* /proc/PID/cgroup: the "0::" line of v2, on every kind of host. */
static void
test_proc_path(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(cg_proc_path("0::/\n", out, sizeof(out)), 0);
	assert_string_equal(out, "/");
	assert_int_equal(cg_proc_path("0::/a/b\n", out, sizeof(out)), 0);
	assert_string_equal(out, "/a/b");
	assert_int_equal(cg_proc_path("0::/no/newline", out, sizeof(out)), 0);
	assert_string_equal(out, "/no/newline");
	/* A zombie's cgroup removed meanwhile: the kernel marks it, the path is the same. */
	assert_int_equal(cg_proc_path("0::/svc-web (deleted)\n", out, sizeof(out)), 0);
	assert_string_equal(out, "/svc-web");
	/* Hybrid: v1 hierarchies first, the v2 line last (as on this build machine). */
	assert_int_equal(cg_proc_path("9:name=systemd:/\n4:memory:/process_api/x\n"
	    "1:cpu:/\n0::/user.slice/s\n", out, sizeof(out)), 0);
	assert_string_equal(out, "/user.slice/s");
	/* v1 only: none; a v1 line that looks close is not v2. */
	assert_int_equal(cg_proc_path("4:memory:/x\n1:name=systemd:/\n", out, sizeof(out)), -1);
	assert_int_equal(cg_proc_path("10::/x\n", out, sizeof(out)), -1);
	assert_int_equal(cg_proc_path("0:cpu:/x\n", out, sizeof(out)), -1);
	assert_int_equal(cg_proc_path("0::\n", out, sizeof(out)), -1);
	assert_int_equal(cg_proc_path("", out, sizeof(out)), -1);
	/* Exactly fits, one byte short. */
	assert_int_equal(cg_proc_path("0::/abcd\n", out, 6), 0);
	assert_string_equal(out, "/abcd");
	assert_int_equal(cg_proc_path("0::/abcde\n", out, 6), -1);
}

/* A path under a mount that shows root. */
static void
test_under(void **state)
{
	char out[64];

	(void)state;
	assert_int_equal(cg_under("/sys/fs/cgroup", "/", "/a/b", out, sizeof(out)), 0);
	assert_string_equal(out, "/sys/fs/cgroup/a/b");
	assert_int_equal(cg_under("/sys/fs/cgroup", "/", "/", out, sizeof(out)), 0);
	assert_string_equal(out, "/sys/fs/cgroup");
	assert_int_equal(cg_under("/m", "/ctr", "/ctr/svc-a", out, sizeof(out)), 0);
	assert_string_equal(out, "/m/svc-a");
	assert_int_equal(cg_under("/m", "/ctr", "/ctr", out, sizeof(out)), 0);
	assert_string_equal(out, "/m");
	/* Not shown: another subtree, or a name that only starts the same. */
	assert_int_equal(cg_under("/m", "/ctr", "/ctrx/a", out, sizeof(out)), -1);
	assert_int_equal(cg_under("/m", "/ctr", "/other", out, sizeof(out)), -1);
	assert_int_equal(cg_under("/m", "/ctr/a", "/ctr", out, sizeof(out)), -1);
	/* Too long for out. */
	assert_int_equal(cg_under("/mnt", "/", "/abc", out, 9), 0);
	assert_string_equal(out, "/mnt/abc");
	assert_int_equal(cg_under("/mnt", "/", "/abcd", out, 9), -1);
}

/* cg_mount_dir cuts its text: each case gets a fresh copy. */
static int
mount_dir(const char *text, const char *path, char *dir, size_t len)
{
	static char buf[4096];

	assert_true(strlen(text) < sizeof(buf));
	strcpy(buf, text);
	return cg_mount_dir(buf, path, dir, len);
}

#define V1	"32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n"
#define TMPFS	"31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"

static void
test_mount_dir(void **state)
{
	char dir[64];

	(void)state;
	/* No cgroup2 at all (v1 only): none; "cgroup" is not "cgroup2". */
	assert_int_equal(mount_dir("22 1 8:1 / / rw - ext4 /dev/sda1 rw\n" TMPFS V1,
	    "/", dir, sizeof(dir)), -1);
	assert_int_equal(mount_dir("", "/", dir, sizeof(dir)), -1);
	/* Hybrid: the v2 tree is at .../unified, with optional tags before " - ". */
	assert_int_equal(mount_dir(TMPFS V1
	    "41 31 0:38 / /sys/fs/cgroup/unified rw,nosuid shared:9 master:2 - cgroup2 cgroup2 rw\n",
	    "/x", dir, sizeof(dir)), 0);
	assert_string_equal(dir, "/sys/fs/cgroup/unified/x");
	/* Several: the last that shows the path wins (a later mount hides those below). */
	assert_int_equal(mount_dir(
	    "41 31 0:38 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n"
	    "50 22 0:38 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n"
	    "51 22 0:38 /elsewhere /mnt/late rw - cgroup2 cgroup2 rw\n",
	    "/a", dir, sizeof(dir)), 0);
	assert_string_equal(dir, "/sys/fs/cgroup/a");
	/* A bind mount, or a mount made in a cgroup namespace, of a subtree: its root. */
	assert_int_equal(mount_dir("60 22 0:38 /lxc/c1 /sys/fs/cgroup rw - cgroup2 none rw\n",
	    "/lxc/c1/svc-web", dir, sizeof(dir)), 0);
	assert_string_equal(dir, "/sys/fs/cgroup/svc-web");
	assert_int_equal(mount_dir("60 22 0:38 /lxc/c1 /sys/fs/cgroup rw - cgroup2 none rw\n",
	    "/lxc/c10", dir, sizeof(dir)), -1);
	/* As a cgroup namespace shows a mount made outside it: "/.." is nothing shown. */
	assert_int_equal(mount_dir("61 22 0:38 /.. /sys/fs/cgroup rw - cgroup2 none rw\n",
	    "/", dir, sizeof(dir)), -1);
	/* An escaped blank in the mount point or the root: skipped, an earlier one stays. */
	assert_int_equal(mount_dir("70 22 0:38 / /mnt/a\\040b rw - cgroup2 none rw\n",
	    "/", dir, sizeof(dir)), -1);
	assert_int_equal(mount_dir("70 22 0:38 / /cg rw - cgroup2 none rw\n"
	    "71 22 0:38 / /mnt/a\\040b rw - cgroup2 none rw\n"
	    "72 22 0:38 /a\\011b /mnt/c rw - cgroup2 none rw\n",
	    "/a\tb", dir, sizeof(dir)), 0);
	assert_string_equal(dir, "/cg/a\tb");
	/* A line without " - " is skipped; one too short to be a mount too. */
	assert_int_equal(mount_dir("garbage cgroup2\n1 2 - cgroup2\n"
	    "73 22 0:38 / /ok rw - cgroup2 none rw\n", "/", dir, sizeof(dir)), 0);
	assert_string_equal(dir, "/ok");
	/* The directory does not fit: not shown, as far as reaper is concerned. */
	assert_int_equal(mount_dir("73 22 0:38 / /sys/fs/cgroup rw - cgroup2 none rw\n",
	    "/abc", dir, 19), 0);
	assert_string_equal(dir, "/sys/fs/cgroup/abc");
	assert_int_equal(mount_dir("73 22 0:38 / /sys/fs/cgroup rw - cgroup2 none rw\n",
	    "/abcd", dir, 19), -1);
}

/* Which entry a process's cgroup belongs to. */
static void
test_entry_of(void **state)
{
	char name[16];

	(void)state;
	assert_int_equal(cg_entry_of("/", "/svc-web", name, sizeof(name)), 0);
	assert_string_equal(name, "web");
	/* Nested below it: still web's. */
	assert_int_equal(cg_entry_of("/", "/svc-web/inner/deeper", name, sizeof(name)), 0);
	assert_string_equal(name, "web");
	/* Under a base of its own (a container's cgroup). */
	assert_int_equal(cg_entry_of("/ctr", "/ctr/svc-db", name, sizeof(name)), 0);
	assert_string_equal(name, "db");
	/* reaper's own leaf, the base itself, another base, no prefix: none's. */
	assert_int_equal(cg_entry_of("/", "/" CG_SELF, name, sizeof(name)), -1);
	assert_int_equal(cg_entry_of("/", "/", name, sizeof(name)), -1);
	assert_int_equal(cg_entry_of("/ctr", "/ctr", name, sizeof(name)), -1);
	assert_int_equal(cg_entry_of("/ctr", "/other/svc-db", name, sizeof(name)), -1);
	assert_int_equal(cg_entry_of("/ctr", "/ctrx/svc-db", name, sizeof(name)), -1);
	assert_int_equal(cg_entry_of("/ctr", "/svc-db", name, sizeof(name)), -1);
	assert_int_equal(cg_entry_of("/", "/svcweb", name, sizeof(name)), -1);
	assert_int_equal(cg_entry_of("/", "/svc-", name, sizeof(name)), -1);
	assert_int_equal(cg_entry_of("/", "/svc-/x", name, sizeof(name)), -1);
	assert_int_equal(cg_entry_of("/", "/x/svc-web", name, sizeof(name)), -1);
	/* A name cut by the buffer is no name: exactly fits, one short. */
	assert_int_equal(cg_entry_of("/", "/svc-webserver", name, 10), 0);
	assert_string_equal(name, "webserver");
	assert_int_equal(cg_entry_of("/", "/svc-webserver", name, 9), -1);
}

/* "KEY N" files: cgroup.events, memory.events. */
static void
test_key(void **state)
{
	static const char events[] = "populated 1\nfrozen 0\n";
	static const char mem[] = "low 0\nhigh 0\nmax 12\noom 3\noom_kill 2\noom_group_kill 0";

	(void)state;
	assert_int_equal(cg_key(events, "populated"), 1);
	assert_int_equal(cg_key(events, "frozen"), 0);
	assert_int_equal(cg_key(events, "popul"), -1);
	assert_int_equal(cg_key(mem, "oom"), 3);
	assert_int_equal(cg_key(mem, "oom_kill"), 2);
	assert_int_equal(cg_key(mem, "oom_group_kill"), 0);	/* the last line, no newline */
	assert_int_equal(cg_key(mem, "kill"), -1);
	assert_int_equal(cg_key("", "oom_kill"), -1);
	assert_int_equal(cg_key("oom_kill \n", "oom_kill"), -1);
	assert_int_equal(cg_key("oom_kill x\n", "oom_kill"), -1);
	assert_int_equal(cg_key("oom_kill 12abc\n", "oom_kill"), -1);
	assert_int_equal(cg_key("oom_kill -1\n", "oom_kill"), -1);
	assert_int_equal(cg_key("usage_usec 9223372036854775807\n", "usage_usec"), LMAX);
	assert_int_equal(cg_key("usage_usec 9223372036854775808\n", "usage_usec"), -1);
	assert_int_equal(cg_key("usage_usec 123456789012345678901234\n", "usage_usec"), -1);
	assert_int_equal(cg_populated("populated 0\nfrozen 0\n"), 0);
	assert_int_equal(cg_populated("populated 1\n"), 1);
	assert_int_equal(cg_populated("frozen 1\npopulated 1"), 1);
	assert_int_equal(cg_populated("frozen 0\n"), -1);
	assert_int_equal(cg_populated(""), -1);
}

/* memory-max= sizes: bytes, or K M G (1024-based), with an upper bound. */
static void
test_size(void **state)
{
	static const char *const bad[] = {
		"", "K", "1k", "1m", "1KB", "1T", "1P", "1.5G", "-1", "+1", " 1", "1 ",
		"0x10", "1KK", "1 K", "G1",
	};
	unsigned long v;
	size_t i;

	(void)state;
	assert_int_equal(num_size("0", CONF_SIZE_MAX, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(num_size("4096", CONF_SIZE_MAX, &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(num_size("1K", CONF_SIZE_MAX, &v), 0);
	assert_int_equal(v, 1024);
	assert_int_equal(num_size("64M", CONF_SIZE_MAX, &v), 0);
	assert_int_equal(v, 64UL << 20);
	assert_int_equal(num_size("2G", CONF_SIZE_MAX, &v), 0);
	assert_int_equal(v, 2UL << 30);
	assert_int_equal(num_size("007K", CONF_SIZE_MAX, &v), 0);
	assert_int_equal(v, 7 * 1024);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		v = 12345;
		if (num_size(bad[i], CONF_SIZE_MAX, &v) == 0)
			fail_msg("'%s' taken as a size (%lu)", bad[i], v);
		assert_int_equal(v, 12345);	/* untouched */
	}
	/* The max: 1 PiB in every unit, and one more. */
	assert_int_equal(num_size("1125899906842624", CONF_SIZE_MAX, &v), 0);
	assert_int_equal(v, CONF_SIZE_MAX);
	assert_int_equal(num_size("1125899906842625", CONF_SIZE_MAX, &v), -1);
	assert_int_equal(num_size("1099511627776K", CONF_SIZE_MAX, &v), 0);
	assert_int_equal(num_size("1099511627777K", CONF_SIZE_MAX, &v), -1);
	assert_int_equal(num_size("1073741824M", CONF_SIZE_MAX, &v), 0);
	assert_int_equal(num_size("1073741825M", CONF_SIZE_MAX, &v), -1);
	assert_int_equal(num_size("1048576G", CONF_SIZE_MAX, &v), 0);
	assert_int_equal(v, CONF_SIZE_MAX);
	assert_int_equal(num_size("1048577G", CONF_SIZE_MAX, &v), -1);
	/* Overflow of the digits, and of digits times unit, against the widest max. */
	assert_int_equal(num_size("18446744073709551615", ULMAX, &v), 0);
	assert_int_equal(v, ULMAX);
	assert_int_equal(num_size("18446744073709551616", ULMAX, &v), -1);
	assert_int_equal(num_size("99999999999999999999999999", ULMAX, &v), -1);
	assert_int_equal(num_size("17179869183G", ULMAX, &v), 0);
	assert_int_equal(v, 17179869183UL << 30);
	assert_int_equal(num_size("17179869184G", ULMAX, &v), -1);
	assert_int_equal(num_size("18014398509481984K", ULMAX, &v), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proc_path),
		cmocka_unit_test(test_under),
		cmocka_unit_test(test_mount_dir),
		cmocka_unit_test(test_entry_of),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_size),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
