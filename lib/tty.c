/*
 * The terminal and job control. reaper never takes a terminal that is not
 * its to give: every hand-over first checks that reaper's own group has
 * the foreground. Every signal is blocked, so tcsetpgrp from the
 * background never stops reaper with SIGTTOU.
 */
#include "log.h"
#include "sys.h"
#include "tty.h"

/* The first of fds 0-2 that is reaper's controlling terminal, or -1. */
int
tty_find(void)
{
	int fd;

	/* 0 is an answer: the foreground group lives outside our PID namespace. */
	for (fd = 0; fd <= 2; fd++)
		if (sys_tcgetpgrp(fd) >= 0)
			return fd;
	return -1;
}

/*
 * Whether reaper's group has the foreground of fd. In a PID namespace
 * both sides read 0 when the groups live outside it; that counts as
 * ours, as it does for tini, since nothing better can be known there.
 */
bool
tty_is_fg(int fd)
{
	return fd >= 0 && sys_tcgetpgrp(fd) == sys_getpgrp();
}

/* Give the foreground to pgid, if it is reaper's to give. */
void
tty_give(int fd, pid_t pgid)
{
	if (tty_is_fg(fd) && sys_tcsetpgrp(fd, pgid) < 0)
		log_sys(LV_WARN, "unable to give the terminal to group %d", (int)pgid);
}

/* Take the foreground back from group from, if from has it. */
void
tty_take(int fd, pid_t from)
{
	pid_t me;

	if (fd < 0 || (me = sys_getpgrp()) <= 0 || sys_tcgetpgrp(fd) != from)
		return;
	if (sys_tcsetpgrp(fd, me) < 0)
		log_sys(LV_WARN, "unable to take the terminal back");
}

/*
 * Whether stopping would show: a shell (a parent in another group of the
 * same session) is there to see the job stopped and to continue it. In
 * an orphaned group nobody would ever send SIGCONT.
 */
bool
tty_can_stop(void)
{
	pid_t parent = sys_getppid();

	return parent > 0 && sys_getpgid(parent) != sys_getpgrp() &&
	    sys_getsid(parent) == sys_getsid(0);
}
