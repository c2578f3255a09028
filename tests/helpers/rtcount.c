/* rtcount: count the copies of one signal that arrive, and say when COUNT have. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * usage: rtcount SIG COUNT OUT
 *
 * Blocks SIG and SIGTERM and takes them with sigwaitinfo, so no copy is
 * lost to a handler. Writes "ready" to OUT.ready once it waits, then the
 * number received to OUT when COUNT have come (exit 0) or when SIGTERM
 * comes first (exit 1).
 */
static void
put(const char *path, unsigned long n)
{
	char tmp[4096];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		return;
	fprintf(f, "%lu\n", n);
	fclose(f);
	(void)rename(tmp, path);
}

int
main(int argc, char **argv)
{
	unsigned long n = 0, count;
	char ready[4096];
	sigset_t set;
	int sig, got;

	if (argc != 4) {
		fprintf(stderr, "usage: rtcount SIG COUNT OUT\n");
		return 2;
	}
	sig = atoi(argv[1]);
	count = strtoul(argv[2], NULL, 10);
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, NULL) < 0)
		return 2;
	snprintf(ready, sizeof(ready), "%s.ready", argv[3]);
	put(ready, 0);
	while (n < count) {
		if ((got = sigwaitinfo(&set, NULL)) < 0) {
			if (errno == EINTR)
				continue;
			return 2;
		}
		if (got == SIGTERM)
			break;
		n++;
	}
	put(argv[3], n);
	return n == count ? 0 : 1;
}
