/* Start the main child: own process group, reaper's original signal state. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "num.h"
#include "spawn.h"
#include "sys.h"

extern char **environ;

/*
 * Socket activation names the process that holds the sockets; once the
 * child holds them, LISTEN_PID must name the child. The child's own copy
 * of environ is edited in place: no allocation between fork and exec.
 */
static void
spawn_listen_pid(pid_t old, pid_t now)
{
	static char buf[32];
	unsigned long v;
	char **e;

	for (e = environ; e && *e; e++) {
		if (strncmp(*e, "LISTEN_PID=", 11) != 0)
			continue;
		if (num_ulong(*e + 11, 0x7fffffff, &v) == 0 && (pid_t)v == old) {
			(void)snprintf(buf, sizeof(buf), "LISTEN_PID=%d", (int)now);
			*e = buf;
		}
		return;
	}
}

/*
 * The child side: tiny, and it ends in exec or _exit. Every signal is
 * still blocked here, so tcsetpgrp cannot stop us with SIGTTOU.
 */
static void
spawn_child(const struct spawn *sp)
{
	pid_t me = sys_getpid();
	int err;

	if (sys_setpgid(0, 0) < 0)
		log_sys(LV_WARN, "setpgid");
	if (sp->tty >= 0 && sys_tcsetpgrp(sp->tty, me) < 0)
		log_sys(LV_WARN, "unable to give the terminal to %s", sp->argv[0]);
	spawn_listen_pid(sp->listen_pid, me);
	/* Ignored dispositions survive execve, so restore the one we changed. */
	if (sp->chld_ignored && sys_sig_set(SIGCHLD, true) < 0)
		log_sys(LV_WARN, "unable to ignore SIGCHLD again");
	if (sys_sigmask(SIG_SETMASK, &sp->mask, NULL) < 0)
		log_sys(LV_WARN, "unable to restore the signal mask");
	(void)sys_execvp(sp->argv);
	err = errno;
	log_sys(LV_ERR, "unable to run %s", sp->argv[0]);
	sys_exit_child(err == ENOENT ? 127 : 126);
}

/* Fork and exec the main child; its pid, or -1 if fork failed. */
pid_t
spawn_main(const struct spawn *sp)
{
	pid_t pid = sys_fork();

	if (pid != 0) {
		/* Both sides set the group, so neither races the other. */
		if (pid > 0)
			(void)sys_setpgid(pid, pid);
		return pid;
	}
	spawn_child(sp);
	return -1;	/* not reached: spawn_child never returns for real */
}
