/* noroot: print who we are and prove there is no way back to root. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/*
 * usage: noroot
 *
 * Prints "uid R E S", "gid R E S", "groups G..." (sorted as the kernel
 * keeps them), then tries setuid(0), setgid(0), setgroups() and
 * seteuid(0), printing "NAME: ok" or "NAME: strerror". Exits 0 when every
 * attempt failed, 1 if any got anywhere.
 */
static int
try(const char *name, int r)
{
	printf("%s: %s\n", name, r == 0 ? "ok" : strerror(errno));
	return r == 0;
}

int
main(void)
{
	uid_t r, e, s;
	gid_t gr, ge, gs, g[256], zero = 0;
	int i, n, bad = 0;

	getresuid(&r, &e, &s);
	getresgid(&gr, &ge, &gs);
	printf("uid %u %u %u\ngid %u %u %u\ngroups", r, e, s, gr, ge, gs);
	n = getgroups(256, g);
	for (i = 0; i < n; i++)
		printf(" %u", g[i]);
	printf("\n");
	bad += try("setuid(0)", setuid(0));
	bad += try("seteuid(0)", seteuid(0));
	bad += try("setgid(0)", setgid(0));
	bad += try("setgroups(0)", setgroups(1, &zero));
	printf("done\n");
	fflush(stdout);
	return bad ? 1 : 0;
}
