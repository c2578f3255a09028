/* Unit tests: users and groups from passwd and group files (temporary files here). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ids.h"

static char pw_path[] = "/tmp/reaper-test-passwd-XXXXXX";
static char gr_path[] = "/tmp/reaper-test-group-XXXXXX";

static void
put(char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static const char passwd[] =
	"root:x:0:0:root:/root:/bin/sh\n"
	"# a comment, and a blank line\n"
	"\n"
	"broken line without fields\n"
	"bad:x:12a:5:junk uid::\n"
	"big:x:4294967296:5:too big::\n"
	"www:x:33:33:web:/var/www:/bin/false\n"
	"app:x:1000:100::/home/app:/bin/sh\n"
	"dup:x:1001:101:first::\n"
	"dup:x:1002:102:second, ignored::\n"
	"ap:x:1003:103:prefix of app::\n"
	"nolf:x:1004:104::/:/bin/sh";	/* no newline at the end */

static const char group[] =
	"root:x:0:\n"
	"users:x:100:\n"
	"wheel:x:10:root,app\n"
	"audio:x:29:www,apple,app\n"
	"video:x:44:application\n"
	"data:x:200:app\n"
	"dupgid:x:100:app\n"
	"junk:x:abc:app\n"
	"short:x\n"
	"nolf:x:104:nolf";

static int
setup(void **state)
{
	int fd;

	(void)state;
	if ((fd = mkstemp(pw_path)) < 0 || close(fd) < 0 ||
	    (fd = mkstemp(gr_path)) < 0 || close(fd) < 0)
		return -1;
	put(pw_path, passwd);
	put(gr_path, group);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	(void)unlink(pw_path);
	(void)unlink(gr_path);
	return 0;
}

static void
assert_groups(const struct ids *ids, int n, const gid_t *want)
{
	int i;

	assert_int_equal(ids->ngroups, n);
	for (i = 0; i < n; i++)
		assert_int_equal(ids->groups[i], want[i]);
}

static void
test_user_by_name(void **state)
{
	struct ids ids;

	(void)state;
	assert_int_equal(ids_get(pw_path, gr_path, "app", NULL, &ids), 0);
	assert_true(ids.user);
	assert_int_equal(ids.uid, 1000);
	assert_int_equal(ids.gid, 100);
	/* Primary first; wheel, audio, data list app; "apple" and "application" do not. */
	assert_groups(&ids, 4, (const gid_t[]){ 100, 10, 29, 200 });

	assert_int_equal(ids_get(pw_path, gr_path, "ap", NULL, &ids), 0);
	assert_int_equal(ids.uid, 1003);
	assert_groups(&ids, 1, (const gid_t[]){ 103 });

	assert_int_equal(ids_get(pw_path, gr_path, "dup", NULL, &ids), 0);
	assert_int_equal(ids.uid, 1001);	/* the first line wins */

	assert_int_equal(ids_get(pw_path, gr_path, "nolf", NULL, &ids), 0);
	assert_int_equal(ids.uid, 1004);
	assert_groups(&ids, 1, (const gid_t[]){ 104 });	/* its own group, once */
}

static void
test_user_by_number(void **state)
{
	struct ids ids;

	(void)state;
	/* A number with a passwd line: its gid and its name's groups. */
	assert_int_equal(ids_get(pw_path, gr_path, "1000", NULL, &ids), 0);
	assert_int_equal(ids.uid, 1000);
	assert_int_equal(ids.gid, 100);
	assert_groups(&ids, 4, (const gid_t[]){ 100, 10, 29, 200 });
	/* Without one: the same number as gid, and no other group. */
	assert_int_equal(ids_get(pw_path, gr_path, "5000", NULL, &ids), 0);
	assert_int_equal(ids.uid, 5000);
	assert_int_equal(ids.gid, 5000);
	assert_groups(&ids, 1, (const gid_t[]){ 5000 });
	/* Even when there is no passwd file at all. */
	assert_int_equal(ids_get("/nonexistent/passwd", gr_path, "5000", NULL, &ids), 0);
	assert_int_equal(ids.gid, 5000);
}

static void
test_group_option(void **state)
{
	struct ids ids;

	(void)state;
	assert_int_equal(ids_get(pw_path, gr_path, "www", "audio", &ids), 0);
	assert_int_equal(ids.uid, 33);
	assert_int_equal(ids.gid, 29);
	assert_groups(&ids, 1, (const gid_t[]){ 29 });	/* audio lists www too */

	assert_int_equal(ids_get(pw_path, gr_path, NULL, "wheel", &ids), 0);
	assert_false(ids.user);
	assert_int_equal(ids.gid, 10);
	assert_groups(&ids, 1, (const gid_t[]){ 10 });

	assert_int_equal(ids_get(pw_path, gr_path, NULL, "77", &ids), 0);
	assert_int_equal(ids.gid, 77);
	assert_int_equal(ids_get(pw_path, gr_path, "app", "7", &ids), 0);
	assert_groups(&ids, 5, (const gid_t[]){ 7, 10, 29, 200, 100 });	/* dupgid lists app */
}

static void
test_unknown_and_malformed(void **state)
{
	struct ids ids;

	(void)state;
	errno = 0;
	assert_int_equal(ids_get(pw_path, gr_path, "nobody", NULL, &ids), -1);
	assert_int_equal(errno, ENOENT);
	/* Lines with a bad uid, or too few fields, never match. */
	assert_int_equal(ids_get(pw_path, gr_path, "bad", NULL, &ids), -1);
	assert_int_equal(ids_get(pw_path, gr_path, "big", NULL, &ids), -1);
	assert_int_equal(ids_get(pw_path, gr_path, "broken line without fields", NULL, &ids), -1);
	assert_int_equal(ids_get(pw_path, gr_path, NULL, "junk", &ids), -1);
	assert_int_equal(ids_get(pw_path, gr_path, NULL, "short", &ids), -1);
	assert_int_equal(ids_get(pw_path, gr_path, NULL, "nogroup", &ids), -1);
	assert_int_equal(errno, ENOENT);
	assert_int_equal(ids_get(pw_path, gr_path, "", NULL, &ids), -1);
	/* Too big for an id: a name, and no line has it. */
	assert_int_equal(ids_get(pw_path, gr_path, "4294967295", NULL, &ids), -1);
	errno = 0;
	assert_int_equal(ids_get("/nonexistent/passwd", gr_path, "app", NULL, &ids), -1);
	assert_int_equal(errno, ENOENT);
}

/* A NUL byte in a file is just a byte that matches no name. */
static void
test_nul_bytes(void **state)
{
	static const char text[] = "app\0:x:7:7::/:\nap\0p:x:8:8::/:\nusr:x:9:9::/:\n";
	char key[] = "app";
	struct ids ids;
	FILE *f = fopen(pw_path, "w");

	(void)state;
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, sizeof(text) - 1, f), sizeof(text) - 1);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(ids_get(pw_path, gr_path, key, NULL, &ids), -1);
	assert_int_equal(ids_get(pw_path, gr_path, "usr", NULL, &ids), 0);
	assert_int_equal(ids.uid, 9);
	put(pw_path, passwd);
}

/* A group line far longer than any read: members are matched in pieces. */
static void
test_long_lines(void **state)
{
	size_t n = 100000, at = 0;
	char *text = malloc(n + 200);
	struct ids ids;
	int i;

	(void)state;
	assert_non_null(text);
	at += (size_t)sprintf(text, "big:x:300:");
	while (at < n)
		at += (size_t)sprintf(text + at, "member%zu,", at);
	(void)sprintf(text + at, "app\nlast:x:301:app\n");
	put(gr_path, text);
	assert_int_equal(ids_get(pw_path, gr_path, "app", NULL, &ids), 0);
	assert_groups(&ids, 3, (const gid_t[]){ 100, 300, 301 });
	/* A name longer than any kept is no match, never a cut one that matches. */
	memset(text, 'u', 300);
	(void)sprintf(text + 300, ":x:2000:2000::/:\n");
	put(pw_path, text);
	text[300] = '\0';
	assert_int_equal(ids_get(pw_path, gr_path, text, NULL, &ids), -1);
	put(pw_path, passwd);
	/* More groups than a process may be given here: an error, not a cut list. */
	at = 0;
	for (i = 0; i < IDS_GROUPS_MAX + 5; i++)
		at += (size_t)sprintf(text + at, "g%d:x:%d:app\n", i, 1000 + i);
	put(gr_path, text);
	errno = 0;
	assert_int_equal(ids_get(pw_path, gr_path, "app", NULL, &ids), -1);
	assert_int_equal(errno, ENOBUFS);
	put(gr_path, group);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_user_by_name),
		cmocka_unit_test(test_user_by_number),
		cmocka_unit_test(test_group_option),
		cmocka_unit_test(test_unknown_and_malformed),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_long_lines),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
