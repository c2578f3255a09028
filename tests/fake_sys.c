/* The fake system call layer: linked in place of lib/sys.c by unit tests. */
#define _GNU_SOURCE	/* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <dirent.h>
#include <cmocka.h>

#include "fake_sys.h"
#include "log.h"
#include "sys.h"

static int fake_never(const char *what);
static bool fake_call(const char *call, long *ret);

/* Scripted: tests say what the kernel answers with will_return(). */
int64_t fake_now = -1;
int64_t sys_now(void) { return fake_now >= 0 ? fake_now : mock_type(int64_t); }
pid_t sys_getpgrp(void) { return mock_type(pid_t); }
pid_t sys_getppid(void) { return mock_type(pid_t); }
pid_t sys_getpgid(pid_t pid) { check_expected(pid); return mock_type(pid_t); }
int sys_tcgetpgrp(int fd) { (void)fd; return mock_type(int); }

/* No terminal unless a test scripts one: fake_script("isatty", 1, 0, n). */
bool
sys_isatty(int fd)
{
	long r;

	(void)fd;
	return fake_call("isatty", &r) && r > 0;
}

/* A failing call takes its errno from the next value queued for the caller. */
#define FAKE_ERRNO(r)	do { if ((r) < 0) errno = mock_type(int); } while (0)

/* A negative answer takes its errno from the next will_return. */
pid_t
sys_getsid(pid_t pid)
{
	pid_t r;

	check_expected(pid);
	r = mock_type(pid_t);
	FAKE_ERRNO(r);
	return r;
}

/* Expect sys_kill(pid, sig), and let it succeed. */
void
fake_will_kill(pid_t pid, int sig)
{
	expect_value(sys_kill, pid, pid);
	expect_value(sys_kill, sig, sig);
	will_return(sys_kill, 0);
}

int
sys_kill(pid_t pid, int sig)
{
	int r;

	check_expected(pid);
	check_expected(sig);
	r = mock_type(int);
	FAKE_ERRNO(r);
	return r;
}

int
sys_tcsetpgrp(int fd, pid_t pgid)
{
	int r;

	(void)fd;
	check_expected(pgid);
	r = mock_type(int);
	FAKE_ERRNO(r);
	return r;
}

pid_t
sys_waitpid(pid_t pid, int *status, int flags)
{
	pid_t r;

	check_expected(pid);
	(void)flags;
	r = mock_type(pid_t);
	if (r > 0)
		*status = mock_type(int);
	FAKE_ERRNO(r);
	return r;
}

pid_t
sys_wait_peek(void)
{
	pid_t r = mock_type(pid_t);

	FAKE_ERRNO(r);
	return r;
}

/*
 * The fault table: a test scripts what the next calls of a sys_* function
 * return (and the errno of a failure), by name. Calls not scripted behave
 * as before: the harmless ones reach the kernel, the rest fail the test.
 */
#define FAKE_SCRIPTS	32

/* The log: lines written to FAKE_LOG_FD are kept for the test to read. */
char fake_log_buf[FAKE_LOG_MAX];
size_t fake_log_len;

static bool fake_owned;		/* fake_owner() was called */
static const void *fake_feed;	/* for the next pipe */
static size_t fake_feed_len;
static size_t fake_short_max;	/* fake_short_write */
static int fake_short_times;

/* Input devices by node name: what EVIOCGBIT(EV_KEY) answers (fake_evdev). */
#define FAKE_EVDEVS	16
static struct {
	char	name[32];
	int	keys;
} fake_evdev_tab[FAKE_EVDEVS];

static struct fake_script {
	const char	*call;
	long		ret;
	int		err;
	int		times;		/* -1: every call from now on */
} fake_tab[FAKE_SCRIPTS];

void
fake_script(const char *call, long ret, int err, int times)
{
	int i;

	for (i = 0; i < FAKE_SCRIPTS && fake_tab[i].times != 0; i++)
		;
	assert_true(i < FAKE_SCRIPTS);
	fake_tab[i] = (struct fake_script){ call, ret, err, times };
}

void fake_fail(const char *call, int err) { fake_script(call, -1, err, 1); }

void
fake_reset(void)
{
	memset(fake_tab, 0, sizeof(fake_tab));
	fake_feed_len = 0;
	fake_short_times = 0;
	fake_owned = false;
	fake_exit_to = NULL;
	fake_exit_code = -1;
	fake_log_buf[0] = '\0';
	fake_log_len = 0;
	fake_connects[0] = '\0';
	fake_now = -1;
	fake_wait_hook = NULL;
	fake_catch_calls = 0;
	fake_euid = (uid_t)-1;
	fake_exec_env = NULL;
	memset(fake_evdev_tab, 0, sizeof(fake_evdev_tab));
}

/* A file's text, whole (up to 1 MiB), in a buffer the next call reuses. */
const char *
fake_slurp(const char *path)
{
	static char text[1 << 20];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, text, sizeof(text) - 1);

	if (fd >= 0)
		(void)close(fd);
	text[n < 0 ? 0 : n] = '\0';
	return text;
}

/* The usual cmocka setup: no scripts, and reaper's log captured. */
int
fake_setup(void **state)
{
	(void)state;
	fake_reset();
	log_setup(LV_DEBUG, FAKE_LOG_FD);
	return 0;
}

/* Whether call is scripted; if so *ret is its result, errno set on failure. */
static bool
fake_call(const char *call, long *ret)
{
	int i;

	for (i = 0; i < FAKE_SCRIPTS; i++) {
		struct fake_script *f = &fake_tab[i];

		if (f->times == 0 || strcmp(f->call, call) != 0)
			continue;
		if (f->times > 0)
			f->times--;
		*ret = f->ret;
		if (f->ret < 0)
			errno = f->err;
		return true;
	}
	return false;
}

/* Return what is scripted for call, or else fallback. */
static long fake_r;
#define FAKE(call, type, fallback) \
	return fake_call(call, &fake_r) ? (type)fake_r : (fallback)


bool
fake_logged(const char *text)
{
	return strstr(fake_log_buf, text) != NULL;
}

/* The next `times` writes of more than max bytes write max of them, for real. */
void
fake_short_write(size_t max, int times)
{
	fake_short_max = max;
	fake_short_times = times;
}

/* Harmless ones go to the real kernel: logging and reading /proc. */
pid_t sys_getpid(void) { return getpid(); }

ssize_t
sys_write(int fd, const void *b, size_t n)
{
	if (fd == FAKE_LOG_FD) {
		size_t room = sizeof(fake_log_buf) - 1 - fake_log_len;

		n = n < room ? n : room;
		memcpy(fake_log_buf + fake_log_len, b, n);
		fake_log_len += n;
		fake_log_buf[fake_log_len] = '\0';
		return (ssize_t)n;
	}
	if (fake_short_times != 0 && n > fake_short_max) {	/* a real short write */
		if (fake_short_times > 0)
			fake_short_times--;
		n = fake_short_max;
	}
	FAKE("write", ssize_t, write(fd, b, n));
}

ssize_t sys_read(int fd, void *b, size_t n) { FAKE("read", ssize_t, read(fd, b, n)); }
int sys_open(const char *p, int f) { FAKE("open", int, open(p, f | O_CLOEXEC)); }
int sys_close(int fd) { FAKE("close", int, close(fd)); }

/* The child of a scripted fork (0) ends here: back to the test's jump. */
jmp_buf *fake_exit_to;
int fake_exit_code = -1;

void
sys_exit_child(int c)
{
	fake_exit_code = c;
	if (fake_exit_to)
		longjmp(*fake_exit_to, 1);
	(void)fake_never("exit_child");
}

/* Nothing a unit test may reach: fail loudly if one does. */
static int
fake_never(const char *what)
{
	fail_msg("unit test reached sys_%s", what);
	errno = ENOSYS;
	return -1;
}

int sys_sigmask(int h, const uint64_t *s, uint64_t *o)
{ (void)h; (void)s; (void)o; FAKE("sigmask", int, fake_never("sigmask")); }
int sys_sig_ignored(int s, bool *i) { (void)s; (void)i; return fake_never("sig_ignored"); }
int sys_sig_set(int s, bool i) { (void)s; (void)i; FAKE("sig_set", int, fake_never("sig_set")); }
int sys_signalfd(uint64_t m) { (void)m; return fake_never("signalfd"); }
/* The handler catch_setup installs, for a test to call as the kernel would. */
void (*fake_catch_fn)(int, siginfo_t *, void *);
int fake_catch_calls;
int sys_sig_catch(int s, void (*fn)(int, siginfo_t *, void *))
{ (void)s; fake_catch_fn = fn; fake_catch_calls++; FAKE("sig_catch", int, 0); }
/* The blocking wait: fake_wait_hook runs in its place (a signal "arriving"),
 * then the scripted answer; with neither, the test reached it by mistake. */
void (*fake_wait_hook)(struct sys_child *c);
int sys_wait_child(struct sys_child *c, bool peek)
{
	(void)peek;
	if (fake_wait_hook)
		fake_wait_hook(c);
	FAKE("wait_child", int, fake_never("wait_child"));
}
void sys_child_clear(struct sys_child *c) { c->si.si_pid = 0; }
pid_t sys_child_pid(const struct sys_child *c) { return c->si.si_pid; }
int sys_child_status(const struct sys_child *c) { return c->si.si_status << 8; }
int sys_signalfd_read(int fd, struct sys_siginfo *si)
{ (void)fd; (void)si; FAKE("signalfd_read", int, fake_never("signalfd_read")); }
int64_t fake_wait_timeout = -2;
int sys_sigwait(struct sys_siginfo *si, int64_t t)
{ (void)si; fake_wait_timeout = t; FAKE("sigwait", int, fake_never("sigwait")); }
int sys_wait_fd(int fd, int64_t t) { (void)fd; (void)t; FAKE("wait_fd", int, fake_never("wait_fd")); }
/* Scripted, else a real poll for POLLOUT that never sleeps: a full pipe is not writable. */
int
sys_wait_out(int fd, int64_t t)
{
	struct pollfd p = { .fd = fd, .events = POLLOUT, .revents = 0 };

	fake_wait_timeout = t;
	FAKE("wait_out", int, poll(&p, 1, 0) > 0 && p.revents != 0);
}
pid_t sys_fork(void) { FAKE("fork", pid_t, fake_never("fork")); }
int sys_execvp(char **a) { (void)a; FAKE("execvp", int, fake_never("execvp")); }
int sys_setpgid(pid_t p, pid_t g) { (void)p; (void)g; FAKE("setpgid", int, fake_never("setpgid")); }
int sys_subreaper(void) { return fake_never("subreaper"); }
int sys_pdeathsig(int s) { (void)s; return fake_never("pdeathsig"); }
int sys_chdir(const char *d) { (void)d; FAKE("chdir", int, fake_never("chdir")); }
int sys_pidfd_open(pid_t p) { (void)p; return fake_never("pidfd_open"); }
int sys_pidfd_kill(int fd, int s) { (void)fd; (void)s; return fake_never("pidfd_kill"); }
int sys_close_from(int l, const int *k, int n)
{ (void)l; (void)k; (void)n; FAKE("close_from", int, fake_never("close_from")); }
int sys_mount(const char *s, const char *d, const char *t, unsigned long f,
    const char *o)
{ (void)s; (void)d; (void)t; (void)f; (void)o; FAKE("mount", int, fake_never("mount")); }
int sys_umount(const char *d) { (void)d; FAKE("umount", int, fake_never("umount")); }
int sys_mkdir(const char *p) { FAKE("mkdir", int, mkdir(p, 0755)); }
int sys_sethostname(const char *n) { (void)n; FAKE("sethostname", int, fake_never("sethostname")); }
int sys_cad_off(void) { FAKE("cad_off", int, fake_never("cad_off")); }
int sys_reboot(int h) { (void)h; FAKE("reboot", int, fake_never("reboot")); }
void
sys_sync(void)
{
	long r;

	if (!fake_call("sync", &r))
		(void)fake_never("sync");
}
int sys_readlink(const char *p, char *b, size_t n)
{ (void)p; (void)b; (void)n; return fake_never("readlink"); }
const char *sys_absolute(const char *p) { (void)fake_never("absolute"); return p; }
int fake_listen_mode = -1;
gid_t fake_listen_gid;
int
sys_listen_unix(const char *p, int m, gid_t g)
{
	(void)p;
	fake_listen_mode = m;
	fake_listen_gid = g;
	FAKE("listen_unix", int, fake_never("listen_unix"));
}
int sys_accept(int l, struct sys_peer *p) { (void)l; (void)p; FAKE("accept", int, fake_never("accept")); }
/* Scripted (or else never reached); each path asked is added to fake_connects, one a line. */
char fake_connects[512];
int
sys_connect_unix(const char *p, bool nb)
{
	size_t n = strlen(fake_connects);

	(void)nb;
	(void)snprintf(fake_connects + n, sizeof(fake_connects) - n, "%s\n", p);
	FAKE("connect_unix", int, fake_never("connect_unix"));
}
bool sys_is_socket(const char *p) { (void)p; return fake_never("is_socket") == 0; }
/* Scripted, else a real poll that never sleeps: tests poll real pipes. */
int
sys_poll(void *p, int n, int64_t t)
{
	fake_wait_timeout = t;
	FAKE("poll", int, poll(p, (nfds_t)n, 0));
}
int sys_unlink(const char *p) { (void)p; return fake_never("unlink"); }
ssize_t
sys_send(int fd, const void *b, size_t n)
{
	FAKE("send", ssize_t, send(fd, b, n, MSG_NOSIGNAL));
}
/* A real pipe, remembered; fed first with what the test queued for it. */
int fake_pipe[2] = { -1, -1 };

void
fake_pipe_feed(const void *data, size_t len)
{
	fake_feed = data;
	fake_feed_len = len;
}

int
sys_pipe(int f[2])
{
	if (fake_call("pipe", &fake_r))
		return (int)fake_r;
	if (pipe2(f, O_CLOEXEC) < 0)
		return -1;
	fake_pipe[0] = f[0];
	fake_pipe[1] = f[1];
	if (fake_feed_len > 0)
		assert_int_equal(write(f[1], fake_feed, fake_feed_len), fake_feed_len);
	fake_feed_len = 0;
	return 0;
}
int sys_setsid(void) { FAKE("setsid", int, fake_never("setsid")); }
int sys_dup2(int a, int b) { (void)a; (void)b; FAKE("dup2", int, fake_never("dup2")); }
int sys_blocking(int fd) { (void)fd; FAKE("blocking", int, fake_never("blocking")); }
int sys_nonblock(int fd) { return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK); }
int sys_ctty(int fd) { (void)fd; FAKE("ctty", int, fake_never("ctty")); }

/* The watchdog ioctls: the test says what the driver answers. */
int
sys_watchdog_set(int fd, int *secs)
{
	(void)fd;
	check_expected(*secs);
	*secs = mock_type(int);
	return *secs > 0 ? 0 : (errno = ENOTTY, -1);
}

int
sys_watchdog_get(int fd, int *secs)
{
	(void)fd;
	*secs = mock_type(int);
	return *secs > 0 ? 0 : (errno = ENOTTY, -1);
}

int
sys_watchdog_pet(int fd)
{
	(void)fd;
	return mock_type(int);
}

void
sys_umask(int m)
{
	long r;

	(void)m;
	if (!fake_call("umask", &r))
		(void)fake_never("umask");
}
int sys_ids(const struct ids *ids) { (void)ids; FAKE("ids", int, fake_never("ids")); }
char **fake_exec_env;
int sys_execve_path(char **a, char **e) { (void)a; fake_exec_env = e; FAKE("execve", int, fake_never("execve")); }
/* Reading a folder is harmless: the real one (desc.c's /proc, a test's own folder). */
int sys_getdents(int fd, void *b, size_t n)
{ FAKE("getdents", int, (int)syscall(SYS_getdents64, fd, b, n)); }

/* Directories are the real ones (one open at a time); a script can fail the open. */
static DIR *fake_dir;

int
sys_dir_open(struct sys_dir *d, const char *p)
{
	if (fake_call("dir_open", &fake_r))
		return (int)fake_r;
	d->fd = (fake_dir = opendir(p)) ? 0 : -1;
	return d->fd;
}

int
sys_dir_next(struct sys_dir *d, const char **name)
{
	struct dirent *de;

	(void)d;
	if (fake_call("dir_next", &fake_r))
		return (int)fake_r;
	errno = 0;
	if ((de = readdir(fake_dir)) == NULL)
		return errno ? -1 : 0;
	*name = de->d_name;
	return 1;
}

void
sys_dir_close(struct sys_dir *d)
{
	if (d->fd >= 0 && fake_dir)
		(void)closedir(fake_dir);
	fake_dir = NULL;
	d->fd = -1;
}

/* Who owns a file: what the test said, else the real file's owner. */
static uid_t fake_uid;
static gid_t fake_gid;
static unsigned fake_mode;

void
fake_owner(uid_t uid, gid_t gid, unsigned mode)
{
	fake_owned = true;
	fake_uid = uid;
	fake_gid = gid;
	fake_mode = mode;
}

int
sys_file_owner(const char *p, uid_t *u, gid_t *g, unsigned *m)
{
	struct stat st;

	if (fake_call("file_owner", &fake_r))
		return (int)fake_r;
	if (fake_owned) {
		st.st_uid = fake_uid;
		st.st_gid = fake_gid;
		st.st_mode = fake_mode;
	} else if (stat(p, &st) < 0) {
		return -1;
	}
	*u = st.st_uid;
	*g = st.st_gid;
	*m = (unsigned)st.st_mode;
	return 0;
}

/*
 * Scripted first (a scripted success goes on as if it were not: to count
 * calls); else what fake_owner() said; else the real lstat.
 */
int
sys_link_owner(const char *p, uid_t *u, unsigned *m)
{
	struct stat st;

	if (fake_call("link_owner", &fake_r) && fake_r < 0)
		return (int)fake_r;
	if (fake_owned) {
		*u = fake_uid;
		*m = fake_mode;
		return 0;
	}
	if (lstat(p, &st) < 0)
		return -1;
	*u = st.st_uid;
	*m = (unsigned)st.st_mode;
	return 0;
}

int sys_mkdir_private(const char *p) { (void)p; FAKE("mkdir_private", int, fake_never("mkdir_private")); }

uid_t fake_euid = (uid_t)-1;
uid_t sys_geteuid(void) { return fake_euid != (uid_t)-1 ? fake_euid : geteuid(); }

/* A notify socket: one end of a real datagram pair; the test sends on the other. */
int fake_dgram[2] = { -1, -1 };
pid_t fake_cred_pid;

int
sys_dgram_abstract(const char *name, size_t len)
{
	(void)name;
	(void)len;
	if (fake_call("dgram", &fake_r))
		return (int)fake_r;
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fake_dgram) < 0)
		return -1;
	return fake_dgram[0];
}

ssize_t
sys_recv_cred(int fd, void *b, size_t n, pid_t *pid, int *fds, int maxfds, int *nfds)
{
	(void)fds;
	(void)maxfds;
	*pid = fake_cred_pid;
	*nfds = 0;
	FAKE("recv_cred", ssize_t, recv(fd, b, n, MSG_DONTWAIT));
}

int sys_fd_above(int fd, int min) { FAKE("fd_above", int, fcntl(fd, F_DUPFD_CLOEXEC, min)); }

/* cgroup files: a test's temporary folder stands in for a cgroup2 mount. */
ssize_t sys_pread(int fd, void *b, size_t n, off_t off) { FAKE("pread", ssize_t, pread(fd, b, n, off)); }
int sys_rmdir(const char *p) { FAKE("rmdir", int, rmdir(p)); }
int sys_lstat(const char *p, struct stat *st) { FAKE("lstat", int, lstat(p, st)); }

/* The real fstat and stat, unless scripted ("fd_stat", "path_stat"). */
int
sys_fd_stat(int fd, unsigned *mode, uint64_t *rdev)
{
	struct stat st;

	if (fake_call("fd_stat", &fake_r))
		return (int)fake_r;
	if (fstat(fd, &st) < 0)
		return -1;
	*mode = (unsigned)st.st_mode;
	*rdev = (uint64_t)st.st_rdev;
	return 0;
}

int
sys_path_stat(const char *p, unsigned *mode, uint64_t *rdev)
{
	struct stat st;

	if (fake_call("path_stat", &fake_r))
		return (int)fake_r;
	if (stat(p, &st) < 0)
		return -1;
	*mode = (unsigned)st.st_mode;
	*rdev = (uint64_t)st.st_rdev;
	return 0;
}

/* inotify: the real one, on a test's own folder. */
int sys_inotify(void) { FAKE("inotify", int, inotify_init1(IN_NONBLOCK | IN_CLOEXEC)); }
int sys_inotify_watch(int fd, const char *p, uint32_t m)
{ FAKE("inotify_watch", int, inotify_add_watch(fd, p, m)); }
int sys_inotify_unwatch(int fd, int wd) { FAKE("inotify_unwatch", int, inotify_rm_watch(fd, wd)); }

void
fake_evdev(const char *name, int keys)
{
	int i;

	for (i = 0; i < FAKE_EVDEVS && fake_evdev_tab[i].name[0] &&
	    strcmp(fake_evdev_tab[i].name, name) != 0; i++)
		;
	assert_true(i < FAKE_EVDEVS && strlen(name) < sizeof(fake_evdev_tab[i].name));
	strcpy(fake_evdev_tab[i].name, name);
	fake_evdev_tab[i].keys = keys;
}

/* The node fd is open on, by /proc/self/fd: its last name part. */
static const char *
fake_fd_name(int fd, char *path, size_t len)
{
	char link[64];
	ssize_t n;
	const char *slash;

	(void)snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, len - 1);
	path[n < 0 ? 0 : n] = '\0';
	slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

int
sys_evdev_keys(int fd, unsigned long *bits, size_t len)
{
	const size_t lb = 8 * sizeof(unsigned long);
	char path[256];
	const char *name = fake_fd_name(fd, path, sizeof(path));
	int i;

	if (fake_call("evdev_keys", &fake_r))
		return (int)fake_r;
	memset(bits, 0, len);
	for (i = 0; i < FAKE_EVDEVS; i++) {
		if (strcmp(fake_evdev_tab[i].name, name) != 0)
			continue;
		if (fake_evdev_tab[i].keys < 0) {
			errno = -fake_evdev_tab[i].keys;
			return -1;
		}
		bits[30 / lb] |= 1UL << (30 % lb);		/* KEY_A: every device has keys */
		if (fake_evdev_tab[i].keys)
			bits[116 / lb] |= 1UL << (116 % lb);	/* KEY_POWER */
		return (int)len;
	}
	errno = ENOTTY;		/* not a device the test named */
	return -1;
}

int
sys_evdev_name(int fd, char *buf, size_t len)
{
	char path[256];
	const char *name = fake_fd_name(fd, path, sizeof(path));

	if (fake_call("evdev_name", &fake_r)) {
		buf[0] = '\0';
		return (int)fake_r;
	}
	(void)snprintf(buf, len, "fake %s", name);
	return 0;
}
