/*
 * The system call seam, the control socket's part: unix sockets with their
 * peers' credentials. The socket calls are made with syscall(), as the
 * rest of the seam's are: on the 64-bit machines reaper runs on, libc's
 * wrappers only add code (recvmsg's copy and its 32-bit time fix-ups).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "sys.h"

/* path into sa->sun_path; -1 with ENAMETOOLONG when it does not fit. */
static int
sys_unix_path(struct sockaddr_un *sa, const char *path)
{
	size_t len = strlen(path);

	if (len >= sizeof(sa->sun_path))
		return errno = ENAMETOOLONG, -1;
	memcpy(sa->sun_path, path, len + 1);
	return 0;
}

/*
 * A listening unix socket at path, created safely: a stale socket is
 * replaced only when nobody answers on it (asked without blocking), only
 * a socket is ever removed, the umask gives it its final mode from the
 * start, and its group is set without following a symlink. Once bound,
 * any failure removes it again: no socket file outlives its fd. -1 with
 * errno; -2 with errno when it was bound but its group could not be set.
 */
int
sys_listen_unix(const char *path, int mode, gid_t gid)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int fd, r, err;

	if (sys_unix_path(&sa, path) < 0)
		return -1;
	if (sys_lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode))
			return errno = EEXIST, -1;
		if ((fd = sys_connect_unix(path, true)) >= 0 || errno == EAGAIN) {
			if (fd >= 0)
				(void)close(fd);
			return errno = EADDRINUSE, -1;	/* another reaper answers */
		}
		/* Someone else's (the host's reaper's /run/reaper.sock): not
		 * ours to ask or remove, as if we may not make one there. */
		if (errno == EACCES || errno == EPERM)
			return errno = EACCES, -1;
		if (sys_unlink(path) < 0 && errno != ENOENT) {
			if (st.st_uid != sys_geteuid())
				errno = EACCES;
			return -1;
		}
	}
	fd = (int)syscall(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	old = umask((mode_t)(~mode & 0777));
	r = (int)syscall(SYS_bind, fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (r < 0) {
		err = errno;
		(void)close(fd);
		return errno = err, -1;
	}
	r = 0;
	if (gid != (gid_t)-1 && syscall(SYS_fchownat, AT_FDCWD, path, (uid_t)-1, gid,
	    AT_SYMLINK_NOFOLLOW) < 0)
		r = -2;
	else if (syscall(SYS_listen, fd, CTL_BACKLOG) < 0)
		r = -1;
	if (r < 0) {
		err = errno;
		(void)sys_unlink(path);	/* ours: just bound, in a folder we may write */
		(void)close(fd);
		return errno = err, r;
	}
	return fd;
}

bool
sys_is_socket(const char *path)
{
	struct stat st;

	return sys_lstat(path, &st) == 0 && S_ISSOCK(st.st_mode);
}

/* Accept one client with its credentials, groups included, from the kernel. */
int
sys_accept(int lfd, struct sys_peer *peer)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);
	int fd;

	do
		fd = (int)syscall(SYS_accept4, lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -1;
	if (syscall(SYS_getsockopt, fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) < 0) {
		(void)close(fd);
		return -1;
	}
	peer->pid = uc.pid;
	peer->uid = uc.uid;
	peer->gid = uc.gid;
	len = sizeof(peer->groups);
	if (syscall(SYS_getsockopt, fd, SOL_SOCKET, SO_PEERGROUPS, peer->groups, &len) < 0)
		len = 0;	/* too many, or an old kernel: the primary group only */
	peer->ngroups = (int)(len / sizeof(gid_t));
	return fd;
}

/* Connect to path; nonblock: EAGAIN when its backlog is full, never waiting. */
int
sys_connect_unix(const char *path, bool nonblock)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct timeval tv = { 10, 0 };
	int fd, r;

	if (sys_unix_path(&sa, path) < 0)
		return -1;
	fd = (int)syscall(SYS_socket, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC |
	    (nonblock ? SOCK_NONBLOCK : 0), 0);
	if (fd < 0)
		return -1;
	/* A blocking connect waits for room in the backlog: 10 s at most. */
	(void)syscall(SYS_setsockopt, fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	do
		r = (int)syscall(SYS_connect, fd, (struct sockaddr *)&sa, sizeof(sa));
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		int err = errno;

		(void)close(fd);
		return errno = err, -1;
	}
	return fd;
}

int sys_unlink(const char *path) { return (int)syscall(SYS_unlinkat, AT_FDCWD, path, 0); }

/* Who owns path itself and its type and mode: a symlink is not followed. */
int
sys_link_owner(const char *path, uid_t *uid, unsigned *mode)
{
	struct stat st;

	if (sys_lstat(path, &st) < 0)
		return -1;
	*uid = st.st_uid;
	*mode = (unsigned)st.st_mode;
	return 0;
}

/* The per-user folder of the control socket: nobody else may enter it. */
int sys_mkdir_private(const char *path) { return (int)syscall(SYS_mkdirat, AT_FDCWD, path, 0700); }

ssize_t
sys_send(int fd, const void *buf, size_t len)
{
	ssize_t n;

	do
		n = syscall(SYS_sendto, fd, buf, len, MSG_NOSIGNAL, NULL, 0);
	while (n < 0 && errno == EINTR);
	return n;
}

/*
 * A datagram socket bound to an abstract name (the len bytes of name, no
 * NUL: nothing in the file system to clean up or to race for), with the
 * sender's credentials on each datagram: a readiness notify socket.
 */
int
sys_dgram_abstract(const char *name, size_t len)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd, on = 1;

	if (len + 1 > sizeof(sa.sun_path))
		return errno = ENAMETOOLONG, -1;
	memcpy(sa.sun_path + 1, name, len);
	fd = (int)syscall(SYS_socket, AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (syscall(SYS_setsockopt, fd, SOL_SOCKET, SO_PASSCRED, &on, sizeof(on)) < 0 ||
	    syscall(SYS_bind, fd, (struct sockaddr *)&sa,
	    (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + len)) < 0) {
		int err = errno;

		(void)close(fd);
		return errno = err, -1;
	}
	return fd;
}

/*
 * One datagram, its sender's pid (0 when the kernel gave none) and the fds
 * it carried (a BARRIER=1 sender waits until they are closed): at most
 * maxfds kept in fds, *nfds of them, CLOEXEC; any beyond are closed here.
 */
ssize_t
sys_recv_cred(int fd, void *buf, size_t len, pid_t *pid, int *fds, int maxfds, int *nfds)
{
	union {
		struct cmsghdr	h;
		char		b[CMSG_SPACE(sizeof(struct ucred)) + CMSG_SPACE(8 * sizeof(int))];
	} ctl;
	struct iovec iov = { buf, len };
	struct msghdr mh = { 0 };
	struct cmsghdr *c;
	ssize_t n;

	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.b;
	mh.msg_controllen = sizeof(ctl.b);
	do
		n = syscall(SYS_recvmsg, fd, &mh, MSG_DONTWAIT | MSG_CMSG_CLOEXEC | MSG_TRUNC);
	while (n < 0 && errno == EINTR);
	*pid = 0;
	*nfds = 0;
	if (n < 0)
		return -1;
	for (c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		const unsigned char *d = CMSG_DATA(c);
		size_t k, m = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_CREDENTIALS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(struct ucred))) {
			struct ucred uc;

			memcpy(&uc, d, sizeof(uc));
			*pid = uc.pid;
		}
		if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS)
			continue;
		for (k = 0; k < m; k++) {
			int one;

			memcpy(&one, d + k * sizeof(int), sizeof(int));
			if (*nfds < maxfds)
				fds[(*nfds)++] = one;
			else
				(void)close(one);
		}
	}
	return n > (ssize_t)len ? (ssize_t)len : n;	/* a longer one is cut */
}
