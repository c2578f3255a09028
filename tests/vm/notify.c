/*
 * notify LINE... [-- COMMAND [ARG]...]: send one datagram, the LINEs each
 * ended by a newline (READY=1, STATUS=text), to $NOTIFY_SOCKET, then exec
 * COMMAND if one is given. Exec'ing keeps the sender alive as the same
 * process, so reaper, which looks up the sender's session when it reads
 * the datagram, always finds it. A leading '@' in the address names the
 * abstract namespace: it stands for a NUL byte, and the address is exactly
 * as long as the name (no terminating NUL counted). Static, for the VM.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define MSG_MAX 4096

int
main(int argc, char **argv)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	char msg[MSG_MAX];
	size_t len, used = 0;
	socklen_t alen;
	int i, fd;

	if (argc < 2 || strcmp(argv[1], "--") == 0) {
		fprintf(stderr, "usage: notify LINE... [-- COMMAND [ARG]...]\n");
		return 2;
	}
	if (path == NULL || (len = strlen(path)) < 2 || len >= sizeof(sa.sun_path)) {
		fprintf(stderr, "notify: NOTIFY_SOCKET is unset or of a bad length\n");
		return 1;
	}
	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		size_t n = strlen(argv[i]);

		if (used + n + 1 > sizeof(msg)) {
			fprintf(stderr, "notify: message longer than %d bytes\n", MSG_MAX);
			return 1;
		}
		memcpy(msg + used, argv[i], n);
		used += n;
		msg[used++] = '\n';
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, len);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	alen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len);
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0 ||
	    sendto(fd, msg, used, 0, (struct sockaddr *)&sa, alen) < 0) {
		perror("notify: send");
		return 1;
	}
	(void)close(fd);
	if (i < argc && i + 1 < argc) {
		execvp(argv[i + 1], argv + i + 1);
		perror("notify: exec");
		return 127;
	}
	return 0;
}
