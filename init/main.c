/* reaper: a tiny init and subreaper. This file is the entrypoint glue. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "boot.h"
#include "ep.h"
#include "load.h"
#include "log.h"
#include "opt.h"
#include "sig.h"
#include "spawn.h"
#include "sys.h"
#include "system.h"
#include "tty.h"

#ifndef REAPER_VERSION
#define REAPER_VERSION "0.1.0"
#endif

extern char **environ;

static const char usage_text[] =
"usage: reaper [-sgawvP] [-p SIG] [-e CODE] [-r FROM:TO] [-D SIG:DURATION]\n"
"              [-t DURATION] [--] COMMAND [ARG...]\n"
"       reaper -P              (pause: reap orphans until SIGTERM or SIGINT)\n"
"Runs COMMAND as its child, forwards signals to it, reaps every zombie and\n"
"exits with the child's status.\n"
"  -s            become a child subreaper (automatic when not PID 1)\n"
"  -g            forward signals to the child's process group\n"
"  -p SIG        signal reaper gets when its parent dies (then forwarded)\n"
"  -e CODE       exit 0 when the child's status is CODE (repeatable)\n"
"  -r FROM:TO    forward signal FROM as TO; TO 0 drops it (repeatable)\n"
"  -D SIG:DUR    hold signal SIG for DUR before forwarding (repeatable)\n"
"  -t DURATION   after the child exits, SIGTERM what is left, SIGKILL\n"
"                after DURATION (default 3s; 0 kills at once)\n"
"  -a            after the child exits, wait for every descendant\n"
"  -P            pause mode: no command\n"
"  -v            more messages (repeatable); -w warn on each orphan reaped\n"
"  -h, --help    this text; -V, --version  the version\n"
"Environment: REAPER_SUBREAPER, REAPER_KILL_PROCESS_GROUP, REAPER_VERBOSITY\n"
"(and TINI_* with the same meaning). See reaper(8).\n";

static void
say(const char *s)
{
	(void)sys_write(1, s, strlen(s));
}

/*
 * Take every signal through the signalfd: block them all (the kernel
 * never drops a blocked signal, not even for PID 1), and make sure
 * SIGCHLD is not ignored, or the kernel would reap for us.
 */
static int
setup_signals(struct spawn *sp)
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

static int
entry(const struct opts *o, bool pid1)
{
	struct spawn sp = { o->cmd, 0, false, -1, sys_getpid() };
	pid_t parent = sys_getppid();
	struct ep e;
	int sigfd;

	if ((sigfd = setup_signals(&sp)) < 0)
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
	if (sys_close_from(3, sigfd) < 0)
		log_sys(LV_WARN, "unable to close inherited fds");
	if (sys_chdir("/") < 0)
		log_sys(LV_WARN, "chdir /");
	if (o->pdeathsig)
		setup_pdeathsig(&e, o->pdeathsig, parent);
	return ep_run(&e, sigfd);
}

/*
 * System mode. On a machine, PID 1 boots it first and logs to the kernel
 * log (dmesg), with warnings on the console too; elsewhere, to stderr.
 */
static int
system_mode(const struct opts *o, bool pid1)
{
	struct spawn sp = { NULL, 0, false, -1, 0 };
	int sigfd;

	if (pid1 && !boot_in_container()) {
		int kmsg;

		boot_early();
		if ((kmsg = sys_open("/dev/kmsg", O_WRONLY)) >= 0) {
			log_setup(o->verbosity, kmsg);
			log_tee(2, LV_WARN);
		}
	}
	if ((sigfd = setup_signals(&sp)) < 0)
		return 1;
	if (!pid1 && sys_subreaper() < 0)
		log_sys(LV_WARN, "unable to become a child subreaper");
	return system_main(o, &sp, pid1, sigfd);
}

/* -n: check a config file, print its errors, exit 0 if valid, else 1. */
static int
check_conf(const char *path)
{
	static struct conf conf;
	int n = load_conf(path, &conf);

	if (n < 0) {
		log_sys(LV_ERR, "unable to read %s", path);
		return 1;
	}
	load_report(path, &conf);
	return n == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct opts o = { 0 };
	char err[160];
	bool pid1 = sys_getpid() == 1;

	switch (opt_parse(&o, argc, argv, environ, err, sizeof(err))) {
	case OPT_HELP:
		say(usage_text);
		return 0;
	case OPT_VERSION:
		say("reaper " REAPER_VERSION "\n");
		return 0;
	case OPT_USAGE:
		log_msg(LV_ERR, "%s (see reaper --help)", err);
		return 2;
	}
	log_setup(o.verbosity, 2);
	if (o.check)
		return check_conf(o.conf);
	if (o.conf || (!o.cmd && !o.pause && pid1)) {
		/* A machine's log is worth more than a container's: info by default. */
		if (o.verbosity < LV_INFO)
			log_setup(o.verbosity = LV_INFO, 2);
		return system_mode(&o, pid1);
	}
	if (!o.cmd && !o.pause) {
		log_msg(LV_ERR, "no command given (see reaper --help)");
		return 2;
	}
	return entry(&o, pid1);
}
