/* The fake system call layer: linked in place of lib/sys.c by unit tests. */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_sys.h"
#include "sys.h"

/* Scripted: tests say what the kernel answers with will_return(). */
int64_t sys_now(void) { return mock_type(int64_t); }
pid_t sys_getpgrp(void) { return mock_type(pid_t); }
pid_t sys_getppid(void) { return mock_type(pid_t); }
pid_t sys_getpgid(pid_t pid) { check_expected(pid); return mock_type(pid_t); }
pid_t sys_getsid(pid_t pid) { check_expected(pid); return mock_type(pid_t); }
int sys_tcgetpgrp(int fd) { (void)fd; return mock_type(int); }

/* A failing call takes its errno from the next value queued for the caller. */
#define FAKE_ERRNO(r)	do { if ((r) < 0) errno = mock_type(int); } while (0)

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

/* Harmless ones go to the real kernel: logging and reading /proc. */
pid_t sys_getpid(void) { return getpid(); }
ssize_t sys_write(int fd, const void *b, size_t n) { return write(fd, b, n); }
ssize_t sys_read(int fd, void *b, size_t n) { return read(fd, b, n); }
int sys_open(const char *p, int f) { return open(p, f | O_CLOEXEC); }
int sys_close(int fd) { return close(fd); }

/* Nothing a unit test may reach: fail loudly if one does. */
static int
fake_never(const char *what)
{
	fail_msg("unit test reached sys_%s", what);
	errno = ENOSYS;
	return -1;
}

int sys_sigmask(int h, const uint64_t *s, uint64_t *o)
{ (void)h; (void)s; (void)o; return fake_never("sigmask"); }
int sys_sig_ignored(int s, bool *i) { (void)s; (void)i; return fake_never("sig_ignored"); }
int sys_sig_set(int s, bool i) { (void)s; (void)i; return fake_never("sig_set"); }
int sys_signalfd(uint64_t m) { (void)m; return fake_never("signalfd"); }
int sys_signalfd_read(int fd, struct sys_siginfo *si)
{ (void)fd; (void)si; return fake_never("signalfd_read"); }
int sys_wait_fd(int fd, int64_t t) { (void)fd; (void)t; return fake_never("wait_fd"); }
pid_t sys_fork(void) { return fake_never("fork"); }
int sys_execvp(char **a) { (void)a; return fake_never("execvp"); }
void sys_exit_child(int c) { (void)c; (void)fake_never("exit_child"); }
int sys_setpgid(pid_t p, pid_t g) { (void)p; (void)g; return fake_never("setpgid"); }
int sys_subreaper(void) { return fake_never("subreaper"); }
int sys_pdeathsig(int s) { (void)s; return fake_never("pdeathsig"); }
int sys_chdir(const char *d) { (void)d; return fake_never("chdir"); }
int sys_pidfd_open(pid_t p) { (void)p; return fake_never("pidfd_open"); }
int sys_pidfd_kill(int fd, int s) { (void)fd; (void)s; return fake_never("pidfd_kill"); }
int sys_close_from(int l, const int *k, int n)
{ (void)l; (void)k; (void)n; return fake_never("close_from"); }
int sys_mount(const char *s, const char *d, const char *t, unsigned long f,
    const char *o)
{ (void)s; (void)d; (void)t; (void)f; (void)o; return fake_never("mount"); }
int sys_umount(const char *d) { (void)d; return fake_never("umount"); }
int sys_mkdir(const char *p) { (void)p; return fake_never("mkdir"); }
int sys_sethostname(const char *n) { (void)n; return fake_never("sethostname"); }
int sys_cad_off(void) { return fake_never("cad_off"); }
int sys_reboot(int h) { (void)h; return fake_never("reboot"); }
void sys_sync(void) { (void)fake_never("sync"); }
int sys_readlink(const char *p, char *b, size_t n)
{ (void)p; (void)b; (void)n; return fake_never("readlink"); }
const char *sys_absolute(const char *p) { (void)fake_never("absolute"); return p; }
int sys_listen_unix(const char *p, int m, gid_t g)
{ (void)p; (void)m; (void)g; return fake_never("listen_unix"); }
int sys_accept(int l, struct sys_peer *p) { (void)l; (void)p; return fake_never("accept"); }
int sys_connect_unix(const char *p, bool nb) { (void)p; (void)nb; return fake_never("connect_unix"); }
bool sys_is_socket(const char *p) { (void)p; return fake_never("is_socket") == 0; }
int sys_poll(void *p, int n, int64_t t) { (void)p; (void)n; (void)t; return fake_never("poll"); }
int sys_unlink(const char *p) { (void)p; return fake_never("unlink"); }
ssize_t sys_send(int fd, const void *b, size_t n)
{ (void)fd; (void)b; (void)n; return fake_never("send"); }
int sys_pipe(int f[2]) { (void)f; return fake_never("pipe"); }
int sys_setsid(void) { return fake_never("setsid"); }
int sys_dup2(int a, int b) { (void)a; (void)b; return fake_never("dup2"); }
int sys_blocking(int fd) { (void)fd; return fake_never("blocking"); }
int sys_ctty(int fd) { (void)fd; return fake_never("ctty"); }
void sys_umask(int m) { (void)m; (void)fake_never("umask"); }
int sys_ids(const struct ids *ids) { (void)ids; return fake_never("ids"); }
int sys_execve_path(char **a, char **e) { (void)a; (void)e; return fake_never("execve"); }
int sys_getdents(int fd, void *b, size_t n)
{ (void)fd; (void)b; (void)n; return fake_never("getdents"); }
