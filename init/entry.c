/* Setting up either mode: signals, the main child, system mode, the last resort. */
#include <fcntl.h>
#include <signal.h>

#include "boot.h"
#include "entry.h"
#include "ep.h"
#include "log.h"
#include "loop.h"
#include "spawn.h"
#include "sys.h"
#include "system.h"
#include "tty.h"

/*
 * Take every signal through the signalfd: block them all (the kernel
 * never drops a blocked signal, not even for PID 1), and make sure
 * SIGCHLD is not ignored, or the kernel would reap for us.
 */
int
entry_signals(struct spawn *sp)
{
	uint64_t all = ~(uint64_t)0;
	int fd;

	if (sys_sigmask(SIG_BLOCK, &all, &sp->mask) < 0 ||
	    sys_sig_ignored(SIGCHLD, &sp->chld_ignored) < 0 ||
	    (sp->chld_ignored && sys_sig_set(SIGCHLD, false) < 0)) {
		log_sys(LV_ERR, "unable to set up signals");
		return -1;
	}
	if ((fd = sys_signalfd(all)) < 0)
		log_sys(LV_ERR, "signalfd");
	return fd;
}

/* -p: ask for a signal at the parent's death, and catch a death already past. */
static void
setup_pdeathsig(struct ep *e, int sig, pid_t parent)
{
	struct sys_siginfo si = { sig, 0, 0 };

	if (sys_pdeathsig(sig) < 0)
		log_sys(LV_WARN, "unable to set the parent-death signal");
	else if (sys_getppid() != parent)
		ep_signal(e, &si, sys_now());
}

/* Entrypoint mode: one main child, then its status. */
int
entry_run(const struct opts *o, bool pid1)
{
	struct spawn sp = { o->cmd, 0, false, -1, sys_getpid() };
	pid_t parent = sys_getppid();
	struct loop l = { 0 };	/* only the signals: no table of sources */
	struct ep e;
	int sigfd;

	if ((sigfd = entry_signals(&sp)) < 0)
		return 1;
	if (!pid1 && sys_subreaper() < 0)
		log_sys(LV_WARN, "unable to become a child subreaper");
	ep_init(&e, o, sp.listen_pid, pid1);
	if (!o->pause) {
		int tty = tty_find();
		pid_t child;

		/* Hand the terminal over only if it is ours to give. */
		sp.tty = tty_is_fg(tty) ? tty : -1;
		if ((child = spawn_main(&sp)) < 0) {
			log_sys(LV_ERR, "unable to start %s", o->cmd[0]);
			return 1;
		}
		log_msg(LV_INFO, "started %s as %d", o->cmd[0], (int)child);
		ep_started(&e, child, tty);
	}
	/* The child holds what we inherited now; we keep none of it open. */
	if (sys_close_from(3, &sigfd, 1) < 0)
		log_sys(LV_WARN, "unable to close inherited fds");
	if (sys_chdir("/") < 0)
		log_sys(LV_WARN, "chdir /");
	if (o->pdeathsig)
		setup_pdeathsig(&e, o->pdeathsig, parent);
	loop_init(&l, NULL, 0);
	return ep_run(&e, &l, sigfd);
}

/*
 * System mode. On a machine, PID 1 boots it first and logs to the kernel
 * log (dmesg), with warnings on the console too; elsewhere, to stderr.
 */
int
entry_system(const struct opts *o, bool pid1)
{
	struct spawn sp = { NULL, 0, false, -1, 0 };
	int sigfd;

	/* Without a main command nobody needs what reaper inherited. */
	if (!o->cmd && sys_close_from(3, NULL, 0) < 0)
		log_sys(LV_WARN, "unable to close inherited fds");
	if (pid1 && !boot_in_container()) {
		int kmsg;

		boot_early();
		if ((kmsg = sys_open(KLOG_DEV_DEFAULT, O_WRONLY)) >= 0) {
			log_kmsg(kmsg);
			log_tee(2, LV_WARN);
		}
	}
	if ((sigfd = entry_signals(&sp)) < 0)
		return 1;
	if (!pid1 && sys_subreaper() < 0)
		log_sys(LV_WARN, "unable to become a child subreaper");
	return system_main(o, &sp, pid1, sigfd);
}

/*
 * PID 1 of a machine must never return from main: the kernel would panic.
 * Should system mode fail to set up, keep reaping the crude way.
 */
void
entry_last_resort(void)
{
	int status;

	log_msg(LV_ERR, "system mode failed; only reaping from now on");
	for (;;)
		if (sys_waitpid(-1, &status, 0) < 0)
			(void)sys_wait_fd(-1, 1000);	/* no child yet: wait a while */
}
