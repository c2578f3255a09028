/* notify: sends one sd_notify datagram, as a service (or a stranger) would. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
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
 * usage: notify [-a ADDRESS] [-w FILE] [-d MS] [-s LINE] [-b] [-f] [-k] [LINE...]
 *
 * Sends the LINEs joined by newlines as one datagram to ADDRESS, or to
 * $NOTIFY_SOCKET without -a. An address starting with '@' is in the abstract
 * namespace: the '@' stands for the leading NUL byte, and the address is as
 * long as the name (no trailing NUL). Anything else is a path.
 *
 * -w, -d and -s are done in the order given, before the LINEs are sent:
 * -w FILE: wait until FILE exists (at most 60 s, then exit 1).
 * -d MS:   sleep MS milliseconds.
 * -s LINE: send LINE as a datagram of its own now.
 * -b:      a barrier: the datagrams after it carry BARRIER=1 and one end of
 *          a pipe, and each send waits until the receiver has closed it (it
 *          has read the datagram), as systemd-notify does.
 * -f:      fork for the LINEs: the child sends them, the parent takes its status.
 * -k:      once all is sent, stay (until killed): the sender stays alive, and
 *          `exec notify -k ...` keeps the service's main process.
 *
 * Exit 0 once the datagrams are queued, 1 if one could not be sent, 2 usage.
 */

static void
usage(void)
{
	fprintf(stderr, "usage: notify [-a ADDRESS] [-w FILE] [-d MS] [-s LINE] [-b] [-f] [-k] "
	    "[LINE...]\n");
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

static int barrier;

/* msg to fd at sa; with -b, with a pipe's write end, then wait for its other end's hang-up. */
static ssize_t
send_one(int fd, const char *msg, size_t len, struct sockaddr_un *sa, socklen_t salen)
{
	union {
		struct cmsghdr	h;
		char		b[CMSG_SPACE(sizeof(int))];
	} ctl;
	struct iovec iov = { (void *)msg, len };
	struct msghdr mh = { 0 };
	struct pollfd pfd;
	int p[2];
	ssize_t r;

	mh.msg_name = sa;
	mh.msg_namelen = salen;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (barrier) {
		if (pipe2(p, O_CLOEXEC) < 0)
			return -1;
		mh.msg_control = ctl.b;
		mh.msg_controllen = sizeof(ctl.b);
		CMSG_FIRSTHDR(&mh)->cmsg_level = SOL_SOCKET;
		CMSG_FIRSTHDR(&mh)->cmsg_type = SCM_RIGHTS;
		CMSG_FIRSTHDR(&mh)->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(CMSG_FIRSTHDR(&mh)), &p[1], sizeof(int));
	}
	do
		r = sendmsg(fd, &mh, MSG_NOSIGNAL);
	while (r < 0 && errno == EINTR);
	if (!barrier)
		return r;
	(void)close(p[1]);
	pfd.fd = p[0];
	pfd.events = 0;
	if (r >= 0 && poll(&pfd, 1, 60000) != 1) {	/* POLLHUP: the receiver closed it */
		fprintf(stderr, "notify: no barrier answer in 60 s\n");
		r = -1;
	}
	(void)close(p[0]);
	return r;
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
	msg = malloc(len + sizeof("\nBARRIER=1"));
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
	if (barrier) {
		memcpy(msg + len, "\nBARRIER=1", strlen("\nBARRIER=1"));
		len += strlen("\nBARRIER=1");
	}
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("notify: socket");
		free(msg);
		return 1;
	}
	r = send_one(fd, msg, len, &sa, salen);
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

static const char *
address(const char *addr)
{
	if (!addr)
		addr = getenv("NOTIFY_SOCKET");
	if (!addr) {
		fprintf(stderr, "notify: no NOTIFY_SOCKET and no -a\n");
		exit(1);
	}
	return addr;
}

int
main(int argc, char **argv)
{
	const char *addr = NULL;
	int fork_first = 0, keep = 0, sent = 0, rc = 0, opt;

	while ((opt = getopt(argc, argv, "+a:d:w:s:bfk")) != -1) {
		switch (opt) {
		case 'a':
			addr = optarg;
			break;
		case 'd': {
			char *end;
			long ms;

			errno = 0;
			ms = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || ms < 0)
				usage();
			nap(ms);
			break;
		}
		case 'w':
			if (await(optarg) < 0)
				return 1;
			break;
		case 's':
			if (send_lines(address(addr), &optarg, 1) != 0)
				return 1;
			sent = 1;
			break;
		case 'b':
			barrier = 1;
			break;
		case 'f':
			fork_first = 1;
			break;
		case 'k':
			keep = 1;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc && !sent)
		usage();
	if (optind < argc && fork_first) {
		pid_t pid = fork();
		int status;

		if (pid < 0) {
			perror("notify: fork");
			return 1;
		}
		if (pid == 0)
			_exit(send_lines(address(addr), argv + optind, argc - optind));
		while (waitpid(pid, &status, 0) < 0) {
			if (errno != EINTR) {
				perror("notify: waitpid");
				return 1;
			}
		}
		rc = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
	} else if (optind < argc) {
		rc = send_lines(address(addr), argv + optind, argc - optind);
	}
	if (rc == 0 && keep)
		for (;;)
			pause();
	return rc;
}
