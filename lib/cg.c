/*
 * cgroup v2, the text side: what /proc/PID/cgroup, mountinfo and the
 * cgroup's own files say, and where an entry's cgroup is. Pure: the
 * cgroup module (lib/cgroup.c) reads the files and hands the text here.
 */
#include <string.h>

#include "cg.h"
#include "fmt.h"
#include "num.h"
#include "word.h"

/* s (len bytes) into out as a string; -1 when it does not fit. */
static int
cg_copy(char *out, size_t len, const char *s, size_t n)
{
	if (n + 1 > len)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

/*
 * The cgroup v2 path in /proc/PID/cgroup text: the line "0::/a/b" (v1
 * lines have a hierarchy number and controllers), without the " (deleted)"
 * of a cgroup removed meanwhile. -1 when there is none
 * (a v1-only host) or it does not fit.
 */
int
cg_proc_path(const char *text, char *out, size_t len)
{
	const char *p = text;

	while (*p) {
		size_t n = word_span(p, "\n", false);

		if (n >= 4 && strncmp(p, "0::/", 4) == 0) {
			/* A cgroup removed since (a zombie's, once it was empty) says so. */
			if (n >= 14 && strncmp(p + n - 10, " (deleted)", 10) == 0)
				n -= 10;
			return cg_copy(out, len, p + 3, n - 3);
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	return -1;
}

/*
 * Where cgroup path (from /proc/PID/cgroup) is in the file system, under a
 * cgroup2 mount at mnt that shows root. -1 when the mount does not show it.
 */
int
cg_under(const char *mnt, const char *root, const char *path, char *out, size_t len)
{
	size_t rl = strcmp(root, "/") == 0 ? 0 : strlen(root);

	if (strncmp(path, root, rl) != 0 || (path[rl] != '/' && path[rl] != '\0'))
		return -1;
	path += rl;
	if (strcmp(path, "/") == 0)
		path = "";
	if ((size_t)fmt_print(out, len, "%s%s", mnt, path) >= len)
		return -1;
	return 0;
}

/*
 * Where cgroup path is in the file system, by mountinfo text (cut up in
 * place): under the last cgroup2 mount that shows it, as a mount made
 * later hides the ones below it. 0, or -1 when none shows it.
 */
int
cg_mount_dir(char *text, const char *path, char *dir, size_t len)
{
	char *line, *at = text;
	int found = -1;

	while ((line = word_cut(&at, "\n")) != NULL) {
		char *w[6], *sep, *f = line;
		int n = 0;

		/* ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [TAGS...] - TYPE SOURCE SUPER */
		for (sep = line; (sep = strchr(sep, ' ')) != NULL && strncmp(sep, " - ", 3) != 0;
		    sep++)
			;
		if (sep == NULL)
			continue;
		*sep = '\0';
		while (n < 5 && (w[n] = word_cut(&f, " ")) != NULL)
			n++;
		f = sep + 3;
		if (n < 5 || (w[5] = word_cut(&f, " ")) == NULL || strcmp(w[5], "cgroup2") != 0)
			continue;
		if (strchr(w[4], '\\') || strchr(w[3], '\\'))
			continue;	/* an escaped blank: not a place reaper puts things */
		if (cg_under(w[4], w[3], path, dir, len) == 0)
			found = 0;
	}
	return found;
}

/*
 * The entry whose cgroup path is (or is below) base/svc-NAME, from a
 * process's cgroup path: NAME into name. 0, or -1 when it is none's.
 */
int
cg_entry_of(const char *base, const char *path, char *name, size_t len)
{
	size_t bl = strcmp(base, "/") == 0 ? 0 : strlen(base);
	const char *p;
	size_t n;

	if (strncmp(path, base, bl) != 0 || path[bl] != '/')
		return -1;
	p = path + bl + 1;
	if (strncmp(p, CG_PREFIX, strlen(CG_PREFIX)) != 0)
		return -1;
	p += strlen(CG_PREFIX);
	n = word_span(p, "/", false);
	if (n == 0)
		return -1;
	return cg_copy(name, len, p, n);
}

/* "KEY N" lines (cgroup.events, memory.events, cpu.stat): N of key, or -1. */
long
cg_key(const char *text, const char *key)
{
	size_t kl = strlen(key);
	const char *p = text;

	while (*p) {
		size_t n = word_span(p, "\n", false);

		if (n > kl + 1 && strncmp(p, key, kl) == 0 && p[kl] == ' ') {
			char num[24];
			unsigned long v;

			if (n - kl - 1 < sizeof(num)) {
				memcpy(num, p + kl + 1, n - kl - 1);
				num[n - kl - 1] = '\0';
				if (num_ulong(num, (unsigned long)-1 >> 1, &v) == 0)
					return (long)v;
			}
			return -1;
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	return -1;
}

/* cgroup.events: 1 populated, 0 empty, -1 not said. */
int
cg_populated(const char *text)
{
	long v = cg_key(text, "populated");

	return v < 0 ? -1 : v != 0;
}
