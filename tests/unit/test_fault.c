/*
 * Fault injection: fork, exec, waitpid, kill and open fail as the kernel
 * can make them fail. Each test checks the state reaper is left in, the
 * line it logs, and that the PID-1 path returns instead of exiting.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "fake_sys.h"
#include "log.h"
#include "reap.h"
#include "run.h"
#include "spawn.h"
#include "svc.h"

static struct conf c;
static struct svc s;

/* Start s as the supervisor would, with no output pipes. */
static void
start_s(int64_t now)
{
	struct spawn_io io = { -1, -1, "/dev/kmsg", -1, NULL, -1, -1 };

	svc_start(&s, &io, now);
	if (io.report >= 0)
		(void)close(io.report);
}


static void
load(const char *text)
{
	assert_int_equal(conf_parse(&c, text, strlen(text)), 0);
	svc_init(&s, &c.ent[0]);
}

/* The lowest free fd: the same before and after means no fd leaked. */
static int
free_fd(void)
{
	int fd = dup(0);

	assert_true(fd >= 0);
	(void)close(fd);
	return fd;
}

static void
fork_fails(int err, const char *text)
{
	int fd = free_fd();

	load("service web /bin/web\n");
	fake_fail("fork", err);
	start_s(0);
	assert_int_equal(s.state, SV_BACKOFF);
	assert_int_equal(svc_deadline(&s), 200);
	assert_int_equal(s.pid, 0);
	assert_true(fake_logged("reaper: warning: unable to start web: fork: "));
	assert_true(fake_logged(text));
	assert_true(fake_logged("web: restarting in 200 ms"));
	assert_int_equal(free_fd(), fd);	/* the report pipe is closed */
}

static void
test_fork_eagain(void **state)
{
	(void)state;
	fork_fails(EAGAIN, strerror(EAGAIN));
}

static void
test_fork_enomem(void **state)
{
	(void)state;
	fork_fails(ENOMEM, strerror(ENOMEM));
	/* A sysinit that cannot start is over: boot goes on without it. */
	load("sysinit mnt /bin/mount -a\n");
	fake_fail("fork", ENOMEM);
	start_s(0);
	assert_int_equal(s.state, SV_FAILED);
}

static void
test_pipe_emfile(void **state)
{
	(void)state;
	load("service web /bin/web\n");
	fake_fail("pipe", EMFILE);
	start_s(0);
	assert_int_equal(s.state, SV_BACKOFF);
	assert_true(fake_logged("unable to start web: pipe: Too many open files"));
}

/* Everything a service's child does before exec succeeds, but what the test says. */
static void
child_calls_work(void)
{
	static const char *const ok[] = {
		"sig_set", "close_from", "setsid", "blocking", "dup2", "chdir",
		"sigmask", "setpgid",
	};
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		fake_script(ok[i], 0, 0, -1);
}


/* Run the child side of a service spawn; its exit code, its report. */
static int
service_child(const char *text, struct spawn_fail *r)
{
	struct spawn_io io = { -1, -1, "/dev/kmsg", -1, NULL, -1, -1 };
	jmp_buf back;

	load(text);
	fake_script("fork", 0, 0, 1);
	fake_script("close", 0, 0, 1);	/* keep the read end, to see the report */
	fake_exit_to = &back;
	if (setjmp(back) == 0) {
		(void)spawn_service(s.e, &io);
		fail_msg("the child side returned");
	}
	assert_int_equal(read(fake_pipe[0], r, sizeof(*r)), sizeof(*r));
	(void)close(fake_pipe[0]);
	(void)close(fake_pipe[1]);
	return fake_exit_code;
}

static void
exec_fails_in_child(int err, int code)
{
	struct spawn_fail r;

	child_calls_work();
	fake_fail("execve", err);
	assert_int_equal(service_child("service web /bin/web\n", &r), code);
	assert_int_equal(r.step, 0);	/* exec */
	assert_int_equal(r.err, err);
}

static void
test_exec_child_codes(void **state)
{
	(void)state;
	exec_fails_in_child(ENOENT, 127);
	fake_reset();
	exec_fails_in_child(EACCES, 126);
	fake_reset();
	exec_fails_in_child(ENOEXEC, 126);
}

static void
test_open_emfile_in_child(void **state)
{
	struct spawn_fail r;

	(void)state;
	child_calls_work();
	fake_fail("open", EMFILE);	/* /dev/null for stdin */
	assert_int_equal(service_child("service web /bin/web\n", &r), 126);
	assert_int_equal(r.step, 2);	/* stdin */
	assert_int_equal(r.err, EMFILE);
}

/* The parent side: the child reported err at exec and exited with code. */
static void
exec_fails_in_parent(int err, int code, const char *text)
{
	struct spawn_fail r = { 0, err, "" };
	struct spawn_io io = { -1, -1, "/dev/kmsg", -1, NULL, -1, -1 };

	load("service web /bin/web\n");
	fake_pipe_feed(&r, sizeof(r));
	fake_script("fork", 42, 0, 1);
	svc_start(&s, &io, 1000);
	assert_int_equal(s.state, SV_STARTING);	/* nothing waited for yet */
	(void)code;	/* the child's exit status comes with its reap */
	assert_int_equal(spawn_report(io.report, "web"), -1);
	(void)close(io.report);
	svc_start_failed(&s, 1000);
	assert_int_equal(s.state, SV_BACKOFF);
	assert_int_equal(s.pid, 0);
	assert_int_equal(svc_deadline(&s), 1200);
	assert_true(fake_logged(text));
}

static void
test_exec_parent_logs(void **state)
{
	(void)state;
	exec_fails_in_parent(ENOENT, 127,
	    "warning: unable to start web: exec: No such file or directory\n");
	exec_fails_in_parent(EACCES, 126, "unable to start web: exec: Permission denied\n");
	exec_fails_in_parent(ENOEXEC, 126, "unable to start web: exec: Exec format error\n");
}

/* The value of name in the environment the child's exec was given, or NULL. */
static const char *
exec_env(const char *name)
{
	size_t len = strlen(name);
	char **e;

	for (e = fake_exec_env; e && *e; e++)
		if (strncmp(*e, name, len) == 0 && (*e)[len] == '=')
			return *e + len + 1;
	return NULL;
}

/* A file of text; its path in path. */
static void
env_file(char *path, const char *text)
{
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	(void)close(fd);
}

/*
 * env-file= in the child: reaper's environment, under the env files in
 * order (the later wins), under env=; a bare KEY passes reaper's value.
 */
static void
test_env_file_precedence(void **state)
{
	char one[] = "/tmp/reaper-env1.XXXXXX", two[] = "/tmp/reaper-env2.XXXXXX", text[256];
	struct spawn_fail r;

	(void)state;
	env_file(one, "# a comment\nA=one\nB=one\nC=one\n  QUOTED=\"x y\" \nHOME\nUNSET_HERE\n");
	env_file(two, "B=two\r\nC=two\n");
	assert_int_equal(setenv("A", "reaper", 1), 0);
	assert_int_equal(setenv("D", "reaper", 1), 0);
	assert_int_equal(setenv("HOME", "/home/of/reaper", 1), 0);
	(void)unsetenv("UNSET_HERE");
	snprintf(text, sizeof(text), "service web env-file=%s env-file=%s env=C=conf /bin/web\n",
	    one, two);
	child_calls_work();
	fake_fail("execve", ENOENT);
	assert_int_equal(service_child(text, &r), 127);
	assert_int_equal(r.step, 0);	/* it got as far as the exec */
	assert_string_equal(exec_env("A"), "one");	/* file over reaper */
	assert_string_equal(exec_env("B"), "two");	/* the later file over the first */
	assert_string_equal(exec_env("C"), "conf");	/* env= over the files */
	assert_string_equal(exec_env("D"), "reaper");
	assert_string_equal(exec_env("QUOTED"), "\"x y\" ");	/* verbatim */
	assert_string_equal(exec_env("HOME"), "/home/of/reaper");
	assert_null(exec_env("UNSET_HERE"));
	(void)unlink(one);
	(void)unlink(two);
}

/* A missing env file, or a bad line: the start fails, and says which file and line. */
static void
test_env_file_failures(void **state)
{
	char bad[] = "/tmp/reaper-env3.XXXXXX", text[256];
	struct spawn_fail r;

	(void)state;
	child_calls_work();
	assert_int_equal(service_child("service web env-file=/nonexistent/web.env /bin/web\n",
	    &r), 126);
	assert_int_equal(r.step, 11);	/* env-file */
	assert_int_equal(r.err, ENOENT);
	assert_string_equal(r.msg, "env-file /nonexistent/web.env");
	assert_null(fake_exec_env);	/* no exec */
	env_file(bad, "A=1\n\n=2\n");
	snprintf(text, sizeof(text), "service web env-file=%s /bin/web\n", bad);
	fake_reset();
	child_calls_work();
	assert_int_equal(service_child(text, &r), 126);
	assert_int_equal(r.step, 11);
	assert_int_equal(r.err, 0);
	snprintf(text, sizeof(text), "env-file %s:3: no variable name", bad);
	assert_string_equal(r.msg, text);
	(void)unlink(bad);
	/* A FIFO in the file's place: said, not waited on (alarm: fail, not hang). */
	{
		char dir[] = "/tmp/reaper-env5.XXXXXX", fifo[64];

		assert_non_null(mkdtemp(dir));
		snprintf(fifo, sizeof(fifo), "%s/web.env", dir);
		assert_int_equal(mkfifo(fifo, 0600), 0);
		snprintf(text, sizeof(text), "service web env-file=%s /bin/web\n", fifo);
		fake_reset();
		child_calls_work();
		(void)alarm(5);
		assert_int_equal(service_child(text, &r), 126);
		(void)alarm(0);
		assert_int_equal(r.step, 11);
		assert_int_equal(r.err, 0);
		snprintf(text, sizeof(text), "env-file %s: not a regular file", fifo);
		assert_string_equal(r.msg, text);
		(void)unlink(fifo);
		(void)rmdir(dir);
	}
	/* One byte past CONF_ENVFILE_BYTES. */
	{
		static char big[CONF_ENVFILE_BYTES + 2];
		char path[] = "/tmp/reaper-env4.XXXXXX";

		memset(big, '#', CONF_ENVFILE_BYTES + 1);
		env_file(path, big);
		snprintf(text, sizeof(text), "service web env-file=%s /bin/web\n", path);
		fake_reset();
		child_calls_work();
		assert_int_equal(service_child(text, &r), 126);
		assert_int_equal(r.step, 11);
		snprintf(text, sizeof(text), "env-file %s: larger than 16384 bytes", path);
		assert_string_equal(r.msg, text);
		(void)unlink(path);
	}
}

/* reaper's environment with n variables in all: RZnnn= added, or all of them taken away (n < 0). */
static void
environ_of(int n)
{
	extern char **environ;
	char name[16];
	int i, have = 0;

	for (i = 0; i < 2 * SPAWN_ENVIRON_MAX; i++) {
		snprintf(name, sizeof(name), "RZ%03d", i);
		(void)unsetenv(name);
	}
	while (environ[have])
		have++;
	for (i = 0; n >= 0 && have < n; i++, have++) {
		snprintf(name, sizeof(name), "RZ%03d", i);
		assert_int_equal(setenv(name, "x", 1), 0);
	}
	assert_true(n < 0 || have == n);
}

/* More of reaper's own environment than a child takes: its start fails, and says so. */
static void
test_environ_too_large(void **state)
{
	char want[128];
	struct spawn_fail r;

	(void)state;
	environ_of(SPAWN_ENVIRON_MAX);		/* all of it fits */
	child_calls_work();
	fake_fail("execve", ENOENT);
	assert_int_equal(service_child("service web env=A=1 /bin/web\n", &r), 127);
	assert_int_equal(r.step, 0);		/* it got as far as the exec */
	assert_string_equal(exec_env("RZ000"), "x");
	assert_string_equal(exec_env("A"), "1");
	environ_of(SPAWN_ENVIRON_MAX + 1);	/* one more: not cut silently */
	fake_reset();
	child_calls_work();
	assert_int_equal(service_child("service web /bin/web\n", &r), 126);
	environ_of(-1);
	assert_int_equal(r.step, 8);		/* environment */
	assert_int_equal(r.err, 0);
	snprintf(want, sizeof(want), "more than %d variables in reaper's environment",
	    SPAWN_ENVIRON_MAX);
	assert_string_equal(r.msg, want);
	assert_null(fake_exec_env);		/* no exec */
}

/* The parent logs what the child said: NAME, the file, its line, errno if any. */
static void
test_env_file_report_logged(void **state)
{
	struct spawn_fail r = { 11, ENOENT, "env-file /etc/web.env" };
	struct spawn_io io = { -1, -1, "/dev/kmsg", -1, NULL, -1, -1 };

	(void)state;
	load("service web /bin/web\n");
	fake_pipe_feed(&r, sizeof(r));
	fake_script("fork", 42, 0, 1);
	svc_start(&s, &io, 1000);
	assert_int_equal(spawn_report(io.report, "web"), -1);
	(void)close(io.report);
	assert_true(fake_logged("warning: web: env-file /etc/web.env: No such file or directory\n"));
	r.err = 0;
	snprintf(r.msg, sizeof(r.msg), "env-file /etc/web.env:3: no variable name");
	fake_pipe_feed(&r, sizeof(r));
	fake_script("fork", 43, 0, 1);
	svc_start(&s, &io, 1000);
	assert_int_equal(spawn_report(io.report, "web"), -1);
	(void)close(io.report);
	assert_true(fake_logged("warning: web: env-file /etc/web.env:3: no variable name\n"));
}

/* The main child of entrypoint mode: 127 not found, 126 not executable. */
static int
main_child(int err)
{
	char *argv[] = { "nope", NULL };
	struct spawn sp = { argv, 0, false, -1, 0 };
	jmp_buf back;

	fake_reset();
	fake_script("fork", 0, 0, 1);
	fake_script("setpgid", 0, 0, 1);
	fake_script("sigmask", 0, 0, 1);
	fake_fail("execvp", err);
	fake_exit_to = &back;
	if (setjmp(back) == 0) {
		(void)spawn_main(&sp);
		fail_msg("the child side returned");
	}
	return fake_exit_code;
}

static void
test_exec_main_child(void **state)
{
	(void)state;
	assert_int_equal(main_child(ENOENT), 127);
	assert_true(fake_logged("error: unable to run nope: No such file or directory"));
	assert_int_equal(main_child(EACCES), 126);
	assert_true(fake_logged("unable to run nope: Permission denied"));
	assert_int_equal(main_child(ENOEXEC), 126);
	assert_true(fake_logged("unable to run nope: Exec format error"));
}

static int nseen;
static void count(void *ctx, const struct reap_ev *ev) { (void)ctx; (void)ev; nseen++; }

/* sys.c retries EINTR (test_sys); should one get through, it is no "no child". */
static void
test_waitpid_eintr(void **state)
{
	struct reap_cb cb = { count, NULL, false, 0, NULL, NULL };

	(void)state;
	expect_value(sys_waitpid, pid, -1);
	will_return(sys_waitpid, -1);
	will_return(sys_waitpid, EINTR);
	assert_int_equal(reap_all(&cb), 0);
	assert_int_equal(nseen, 0);
	assert_true(fake_logged("error: waitpid: Interrupted system call"));
}

/* ECHILD is the normal end of the drain: the kill phase is then over. */
static void
test_waitpid_echild(void **state)
{
	struct reap_cb cb = { count, NULL, false, 0, NULL, NULL };
	struct run r;

	(void)state;
	load("service web /bin/web\n");
	run_init(&r, &c, 1, true, NULL, NULL);
	r.phase = RUN_KILL;
	expect_value(sys_waitpid, pid, -1);
	will_return(sys_waitpid, -1);
	will_return(sys_waitpid, ECHILD);
	assert_int_equal(reap_all(&cb), 1);
	assert_int_equal(fake_log_len, 0);	/* nothing to say */
	run_nochild(&r, 0);
	assert_int_equal(r.phase, RUN_FINAL);
}

static void
start_web(int64_t now)
{
	fake_script("fork", 10, 0, 1);
	start_s(now);
	svc_exec_ok(&s, now);	/* exec went fine */
	assert_int_equal(s.state, SV_RUNNING);
}

static void
will_kill_fail(pid_t pid, int sig, int err)
{
	expect_value(sys_kill, pid, pid);
	expect_value(sys_kill, sig, sig);
	will_return(sys_kill, -1);
	will_return(sys_kill, err);
}

/* The group is gone already: nothing to say, the reap will tell. */
static void
test_kill_esrch(void **state)
{
	(void)state;
	load("service web /bin/web\n");
	start_web(0);
	will_kill_fail(-10, SIGTERM, ESRCH);
	will_kill_fail(10, SIGTERM, ESRCH);	/* no group: the process itself */
	will_kill_fail(-10, SIGCONT, ESRCH);
	will_kill_fail(10, SIGCONT, ESRCH);
	svc_stop(&s, 0);
	assert_int_equal(s.state, SV_STOPPING);
	assert_false(fake_logged("unable to signal"));
	will_kill_fail(-10, 0, ESRCH);
	svc_exited(&s, (struct svc_exit){ SX_EXITED, 0, false }, 5);
	assert_int_equal(s.state, SV_STOPPED);
}

/* Not allowed: said once per try, and the stop still escalates. */
static void
test_kill_eperm(void **state)
{
	(void)state;
	load("service web stop-timeout=1s /bin/web\n");
	start_web(0);
	will_kill_fail(-10, SIGTERM, EPERM);
	will_kill_fail(-10, SIGCONT, EPERM);
	svc_stop(&s, 0);
	assert_int_equal(s.state, SV_STOPPING);
	assert_true(fake_logged("warning: unable to signal web: Operation not permitted"));
	will_kill_fail(-10, SIGKILL, EPERM);
	assert_false(svc_tick(&s, 1000));
	assert_true(s.killed);
	assert_int_equal(s.state, SV_STOPPING);	/* waits for the reap */
	assert_int_equal(svc_deadline(&s), -1);
}

/* No /proc/PID/comm to read: the orphan is still reaped, with no name. */
static void
test_open_enfile_reap_names(void **state)
{
	struct reap_cb cb = { count, NULL, true, 0, NULL, NULL };

	(void)state;
	nseen = 0;
	will_return(sys_wait_peek, 77);
	fake_fail("open", ENFILE);
	expect_value(sys_waitpid, pid, 77);
	will_return(sys_waitpid, 77);
	will_return(sys_waitpid, 0);
	will_return(sys_wait_peek, 0);
	assert_int_equal(reap_all(&cb), 0);
	assert_int_equal(nseen, 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_env_file_precedence, fake_setup),
		cmocka_unit_test_setup(test_env_file_failures, fake_setup),
		cmocka_unit_test_setup(test_env_file_report_logged, fake_setup),
		cmocka_unit_test_setup(test_environ_too_large, fake_setup),
		cmocka_unit_test_setup(test_fork_eagain, fake_setup),
		cmocka_unit_test_setup(test_fork_enomem, fake_setup),
		cmocka_unit_test_setup(test_pipe_emfile, fake_setup),
		cmocka_unit_test_setup(test_exec_child_codes, fake_setup),
		cmocka_unit_test_setup(test_open_emfile_in_child, fake_setup),
		cmocka_unit_test_setup(test_exec_parent_logs, fake_setup),
		cmocka_unit_test_setup(test_exec_main_child, fake_setup),
		cmocka_unit_test_setup(test_waitpid_eintr, fake_setup),
		cmocka_unit_test_setup(test_waitpid_echild, fake_setup),
		cmocka_unit_test_setup(test_kill_esrch, fake_setup),
		cmocka_unit_test_setup(test_kill_eperm, fake_setup),
		cmocka_unit_test_setup(test_open_enfile_reap_names, fake_setup),
	};

	return cmocka_run_group_tests_name("fault", tests, NULL, NULL);
}
