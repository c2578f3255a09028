/* notify: sends one sd_notify datagram, as a service (or a stranger) would. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/*
 * usage: notify [-a ADDRESS] [-d MS] [-w FILE] [-f] LINE...
 *
 * Sends the LINEs joined by newlines as one datagram to ADDRESS, or to
 * $NOTIFY_SOCKET without -a. An address starting with '@' is in the abstract
 * namespace: the '@' stands for the leading NUL byte, and the address is as
 * long as the name (no trailing NUL). Anything else is a path.
 *
 * -w FILE: first wait until FILE exists (at most 60 s, then exit 1).
 * -d MS:   then sleep MS milliseconds.
 * -f:      then fork; the child sends, the parent exits with its status.
 *
 * Exit 0 once the datagram is queued, 1 if it could not be sent, 2 usage.
 */

static void
usage(void)
{
	fprintf(stderr, "usage: notify [-a ADDRESS] [-d MS] [-w FILE] [-f] LINE...\n");
	exit(2);
}

static void
nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static int
await(const char *path)
{
	struct stat st;
	int i;

	for (i = 0; i < 3000; i++) {	/* 20 ms each: 60 s */
		if (stat(path, &st) == 0)
			return 0;
		nap(20);
	}
	fprintf(stderr, "notify: %s never appeared\n", path);
	return -1;
}

static int
send_lines(const char *addr, char **lines, int n)
{
	struct sockaddr_un sa;
	size_t alen = strlen(addr), len = 0;
	socklen_t salen;
	char *msg;
	int fd, i;
	ssize_t r;

	if (alen == 0 || alen >= sizeof(sa.sun_path)) {
		fprintf(stderr, "notify: bad address '%s'\n", addr);
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, addr, alen);
	if (addr[0] == '@') {
		sa.sun_path[0] = '\0';
		salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + alen);
	} else {
		salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + alen + 1);
	}
	for (i = 0; i < n; i++)
		len += strlen(lines[i]) + 1;
	msg = malloc(len + 1);
	if (!msg) {
		perror("notify: malloc");
		return 1;
	}
	len = 0;
	for (i = 0; i < n; i++) {
		size_t l = strlen(lines[i]);

		if (i)
			msg[len++] = '\n';
		memcpy(msg + len, lines[i], l);
		len += l;
	}
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("notify: socket");
		free(msg);
		return 1;
	}
	do
		r = sendto(fd, msg, len, MSG_NOSIGNAL, (struct sockaddr *)&sa, salen);
	while (r < 0 && errno == EINTR);
	if (r < 0 || (size_t)r != len) {
		fprintf(stderr, "notify: send to %s: %s\n", addr,
		    r < 0 ? strerror(errno) : "short send");
		(void)close(fd);
		free(msg);
		return 1;
	}
	(void)close(fd);
	free(msg);
	return 0;
}

int
main(int argc, char **argv)
{
	const char *addr = NULL, *wait_for = NULL;
	long delay = 0;
	int fork_first = 0, opt;

	while ((opt = getopt(argc, argv, "+a:d:w:f")) != -1) {
		switch (opt) {
		case 'a':
			addr = optarg;
			break;
		case 'd': {
			char *end;

			errno = 0;
			delay = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || delay < 0)
				usage();
			break;
		}
		case 'w':
			wait_for = optarg;
			break;
		case 'f':
			fork_first = 1;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	if (!addr)
		addr = getenv("NOTIFY_SOCKET");
	if (!addr) {
		fprintf(stderr, "notify: no NOTIFY_SOCKET and no -a\n");
		return 1;
	}
	if (wait_for && await(wait_for) < 0)
		return 1;
	if (delay)
		nap(delay);
	if (fork_first) {
		pid_t pid = fork();
		int status;

		if (pid < 0) {
			perror("notify: fork");
			return 1;
		}
		if (pid == 0)
			_exit(send_lines(addr, argv + optind, argc - optind));
		while (waitpid(pid, &status, 0) < 0) {
			if (errno != EINTR) {
				perror("notify: waitpid");
				return 1;
			}
		}
		return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	}
	return send_lines(addr, argv + optind, argc - optind);
}
