/* sigexec: run a command with some signals blocked and others ignored. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * usage: sigexec [-b N,N...] [-i N,N...] [--] COMMAND [ARG]...
 *
 * -b blocks the listed signal numbers, -i sets them to SIG_IGN; both survive
 * execve, which is what the tests compare with and without reaper.
 */

static int
parse_list(const char *list, sigset_t *set)
{
	char *copy = strdup(list), *tok, *save = NULL;

	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *end;
		long n = strtol(tok, &end, 10);

		if (*end != '\0' || n < 1 || n >= NSIG || sigaddset(set, (int)n) < 0) {
			fprintf(stderr, "sigexec: bad signal number: %s\n", tok);
			free(copy);
			return -1;
		}
	}
	free(copy);
	return 0;
}

int
main(int argc, char **argv)
{
	sigset_t block, ign;
	int opt, s;

	sigemptyset(&block);
	sigemptyset(&ign);
	while ((opt = getopt(argc, argv, "+b:i:")) != -1) {
		switch (opt) {
		case 'b':
			if (parse_list(optarg, &block) < 0)
				return 2;
			break;
		case 'i':
			if (parse_list(optarg, &ign) < 0)
				return 2;
			break;
		default:
			fprintf(stderr, "usage: sigexec [-b N,N...] [-i N,N...] [--] COMMAND [ARG]...\n");
			return 2;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: sigexec [-b N,N...] [-i N,N...] [--] COMMAND [ARG]...\n");
		return 2;
	}
	for (s = 1; s < NSIG; s++) {
		if (sigismember(&ign, s) == 1 && signal(s, SIG_IGN) == SIG_ERR) {
			fprintf(stderr, "sigexec: cannot ignore %d: %s\n", s, strerror(errno));
			return 1;
		}
	}
	if (sigprocmask(SIG_SETMASK, &block, NULL) < 0) {
		perror("sigexec: sigprocmask");
		return 1;
	}
	execvp(argv[optind], argv + optind);
	fprintf(stderr, "sigexec: %s: %s\n", argv[optind], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
