/* The reap loop: waitpid(-1, WNOHANG|WUNTRACED|WCONTINUED) until nothing is left. */
#include <errno.h>
#include <string.h>
#include <sys/wait.h>

#include "fmt.h"
#include "log.h"
#include "reap.h"
#include "sig.h"
#include "sys.h"

/* The command name of pid from /proc; it is still there while pid is a zombie. */
static void
reap_comm(pid_t pid, char *buf, size_t len)
{
	char path[32];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	(void)fmt_print(path, sizeof(path), "/proc/%d/comm", (int)pid);
	if ((fd = sys_open(path, 0)) < 0)
		return;
	n = sys_read(fd, buf, len - 1);
	(void)sys_close(fd);
	if (n <= 0) {
		buf[0] = '\0';
		return;
	}
	buf[n] = '\0';
	if (buf[n - 1] == '\n')
		buf[n - 1] = '\0';
}

static void
reap_decode(int status, struct reap_ev *ev)
{
	if (WIFEXITED(status)) {
		ev->kind = REAP_EXITED;
		ev->code = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		ev->kind = REAP_KILLED;
		ev->code = WTERMSIG(status);
	} else if (WIFSTOPPED(status)) {
		ev->kind = REAP_STOPPED;
		ev->code = WSTOPSIG(status);
	} else {
		ev->kind = REAP_CONTINUED;
		ev->code = SIGCONT;
	}
}

/* One child's news; 1 when one was handled, 0 when none is ready, -1 on ECHILD. */
static int
reap_one(const struct reap_cb *cb)
{
	struct reap_ev ev;
	pid_t want = -1;
	int status;

	memset(&ev, 0, sizeof(ev));
	if (cb->names) {
		want = sys_wait_peek();
		if (want <= 0)
			return want == 0 ? 0 : -1;
		if (want != cb->noname)
			reap_comm(want, ev.comm, sizeof(ev.comm));
		if (want != cb->noname && cb->owner)
			cb->owner(cb->owner_ctx, want, ev.from, sizeof(ev.from));
	}
	ev.pid = sys_waitpid(want, &status, WNOHANG | WUNTRACED | WCONTINUED);
	if (ev.pid <= 0)
		return ev.pid == 0 ? 0 : -1;
	reap_decode(status, &ev);
	cb->fn(cb->ctx, &ev);
	return 1;
}

/* The news a blocking wait brought (catch_wait), handed on like reap_one's. */
void
reap_child(const struct reap_cb *cb, const struct sys_child *c)
{
	struct reap_ev ev;

	memset(&ev, 0, sizeof(ev));
	ev.pid = sys_child_pid(c);
	reap_decode(sys_child_status(c), &ev);
	cb->fn(cb->ctx, &ev);
}

/*
 * Drain every pending state change (SIGCHLD coalesces, so one wake-up may
 * stand for many). Returns 1 when reaper has no child left, else 0.
 */
int
reap_all(const struct reap_cb *cb)
{
	int r;

	while ((r = reap_one(cb)) > 0)
		;
	if (r == 0)
		return 0;
	if (errno == ECHILD)
		return 1;
	log_sys(LV_ERR, "waitpid");
	return 0;
}

/* The shell's view of how a child ended: its exit code, or 128 + signal. */
int
reap_status(const struct reap_ev *ev)
{
	return ev->kind == REAP_KILLED ? 128 + ev->code : ev->code;
}

/* "exited 3", "killed by signal 9 (KILL)", "stopped by signal 19 (STOP)". */
void
reap_describe(const struct reap_ev *ev, char *buf, unsigned len)
{
	static const char *const verb[] = {
		"exited", "killed by", "stopped by", "continued by",
	};
	if (ev->kind == REAP_EXITED) {
		(void)fmt_print(buf, len, "exited %d", ev->code);
	} else {
		char name[16];

		(void)fmt_print(buf, len, "%s signal %d (%s)", verb[ev->kind],
		    ev->code, sig_name(ev->code, name, sizeof(name)));
	}
}
