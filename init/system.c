/* System mode: PID 1 of a machine or a container, driven by reaper.conf. */
#include <fcntl.h>
#include <poll.h>
#include <signal.h>

#include "boot.h"
#include "control.h"
#include "ctl.h"
#include "ep.h"
#include "klog.h"
#include "load.h"
#include "log.h"
#include "num.h"
#include "run.h"
#include "sig.h"
#include "spawn.h"
#include "sys.h"
#include "system.h"
#include "tty.h"
#include "wdog.h"

/* Two tables, so a reload can parse into the spare one and swap. */
static struct conf sys_conf[2];
static struct run sys_run;
static const char *sys_path;

/* reaperctl's socket, and what its requests see. */
static struct ctl sys_ctl;
static struct control sys_control;
static struct wdog sys_wdog;

/* Combined mode (-f FILE -- COMMAND): the main command, as in entrypoint mode. */
static struct ep sys_ep;
static bool sys_combined, sys_cmd_started;

/* With no usable config: a shell on the console, else just reaping. */
static const char emergency_text[] = "service emergency tty=/dev/console /bin/sh\n";

static struct conf *
system_conf(const char *path, bool container)
{
	struct conf *c = &sys_conf[0];
	int fd;

	/* In a container /proc/cmdline is the host's: not ours to obey. */
	if (!container && boot_emergency_asked()) {
		log_msg(LV_WARN, "emergency asked on the kernel command line");
	} else if (load_conf(path, c) < 0) {
		log_sys(LV_ERR, "unable to read %s", path);
	} else {
		load_report(path, c);	/* the good entries still run */
		return c;
	}
	(void)conf_parse(c, emergency_text, sizeof(emergency_text) - 1);
	/* A container has no console to put a shell on. */
	if (!container && (fd = sys_open("/bin/sh", O_RDONLY)) >= 0) {
		(void)sys_close(fd);
		log_msg(LV_WARN, "emergency shell on the console");
		return c;
	}
	log_msg(LV_ERR, "no emergency shell here; only reaping orphans");
	c->n = 0;
	return c;
}

/* What a signal asks of PID 1 (SPEC section 5). */
static enum run_action
system_action(const struct conf *c, int sig, bool container)
{
	static const enum run_action cad[] = {
		RA_REBOOT, RA_POWEROFF, RA_HALT, RA_NONE,
	};
	enum run_action a;

	switch (sig) {
	case SIGTERM: a = RA_REBOOT; break;
	case SIGUSR1: a = RA_HALT; break;
	case SIGUSR2: case SIGPWR: a = RA_POWEROFF; break;
	case SIGINT: a = cad[c->ctrlaltdel]; break;
	default: return RA_NONE;
	}
	return container && a != RA_NONE ? RA_EXIT : a;
}

/* SIGHUP: parse the whole file first; with any error nothing changes. 0 or -1. */
int
system_reload(struct run *r, int64_t now)
{
	struct conf *spare = r->conf == &sys_conf[0] ? &sys_conf[1] : &sys_conf[0];

	if (load_reload(r, sys_path, spare, now) < 0)
		return -1;
	klog_path(r->conf->kmsg);
	return 0;
}

static void
system_signal(struct run *r, const struct sys_siginfo *si, bool container,
    int64_t now)
{
	enum run_action a;
	char name[16];

	if (si->pid == r->self && si->code == SI_USER)
		return;
	if (si->sig == SIGHUP) {
		(void)system_reload(r, now);
		return;
	}
	if ((a = system_action(r->conf, si->sig, container)) != RA_NONE)
		run_request(r, a, now);
	else if (si->sig != SIGCHLD)
		log_msg(LV_DEBUG, "ignored %s", sig_name(si->sig, name, sizeof(name)));
}

/* The reap callback: the main command of combined mode first, then the table. */
static void
system_reaped(void *ctx, const struct reap_ev *ev)
{
	struct run *r = ctx;
	struct ep *e = &sys_ep;

	if (!sys_combined || e->child <= 0 || ev->pid != e->child) {
		run_reaped(r, ev);
		return;
	}
	if (ev->kind == REAP_STOPPED || ev->kind == REAP_CONTINUED) {
		ep_reaped(e, ev);	/* job control, as in entrypoint mode */
		return;
	}
	e->status = opt_status(e->o, reap_status(ev));
	log_msg(LV_INFO, "main command %d ended with status %d; stopping services",
	    (int)e->child, e->status);
	tty_take(e->tty, e->child);
	e->child = 0;
	run_request(r, RA_EXIT, sys_now());
}

/* Combined mode: once the services are up, start the main command. */
static void
system_command(struct run *r, const struct opts *o, struct spawn *sp, int sigfd)
{
	int tty = tty_find(), keep[3 + 1 + CTL_CLIENTS_MAX + 1 + KLOG_PIPES_MAX], n;
	pid_t pid;

	if (!o->cmd || sys_cmd_started || r->phase != RUN_UP)	/* o->cmd: combined */
		return;
	sys_cmd_started = true;
	sp->argv = o->cmd;
	sp->tty = tty_is_fg(tty) ? tty : -1;
	sp->listen_pid = r->self;
	if ((pid = spawn_main(sp)) < 0) {
		log_sys(LV_ERR, "unable to start %s", o->cmd[0]);
		sys_ep.status = 1;
		run_request(r, RA_EXIT, sys_now());
		return;
	}
	log_msg(LV_INFO, "started %s as %d", o->cmd[0], (int)pid);
	ep_started(&sys_ep, pid, tty);
	/* The command holds what reaper inherited now; reaper keeps none of it. */
	keep[0] = sigfd;
	keep[1] = log_fd_now();
	keep[2] = sys_wdog.fd;	/* closed without 'V' it would stay armed */
	n = 3 + ctl_keep(&sys_ctl, keep + 3, 1 + CTL_CLIENTS_MAX);
	n += klog_keep(keep + n, 1 + KLOG_PIPES_MAX);
	(void)sys_close_from(3, keep, n);
	(void)sys_chdir("/");
}

/*
 * Sleep in the kernel until a signal, a control client, a service's
 * output or the next deadline. pfd: the signalfd, the control socket and
 * its clients in use, then the output pipes: their place is returned, and
 * their count in *nout.
 */
static int
system_wait(const struct run *r, struct pollfd *pfd, int *nout)
{
	int64_t now = sys_now(), dl = run_deadline(r);
	int npfd;

	dl = num_earliest(dl, ep_deadline(&sys_ep));	/* a signal held by -D */
	dl = num_earliest(dl, ctl_deadline(&sys_ctl));
	dl = num_earliest(dl, wdog_deadline(&sys_wdog));
	npfd = ctl_fds(&sys_ctl, pfd, 1);
	pfd[0].revents = 0;
	*nout = klog_fds(pfd + npfd, KLOG_PIPES_MAX);
	(void)sys_poll(pfd, npfd + *nout, dl < 0 ? -1 : (dl > now ? dl - now : 0));
	return npfd;
}

/*
 * The end of a machine. The watchdog watches the sync and the unmounts
 * too (a hung disk resets the board) and is off only for reboot(2).
 */
static void
system_halt(struct run *r)
{
	enum run_action a = r->action == RA_EXIT ? RA_POWEROFF : r->action;

	wdog_pet_now(&sys_wdog, sys_now());
	halt_prepare(a);
	wdog_disarm(&sys_wdog);
	halt_reboot(a);
	wdog_rearm(&sys_wdog, sys_now());	/* still here: watch again */
	run_resume(r);	/* keep reaping, never exit */
}

/* The control socket, once the config says where. */
static void
system_control(struct run *r, bool container)
{
	sys_control.r = r;
	sys_control.mode = sys_combined ? "combined" : container ? "container" : "system";
	sys_control.booted = sys_now();
	sys_control.container = container;
	sys_control.wd = &sys_wdog;
	ctl_init(&sys_ctl);
	(void)ctl_open(&sys_ctl, r->conf->control, r->conf->control_group);
}

/* The loop of system mode; returns only outside a machine's PID 1. */
int
system_main(const struct opts *o, struct spawn *sp, bool pid1, int sigfd)
{
	struct pollfd pfd[2 + CTL_CLIENTS_MAX + KLOG_PIPES_MAX];
	struct run *r = &sys_run;
	struct reap_cb cb = { system_reaped, r, true, 0 };
	bool container = !pid1 || boot_in_container();
	struct sys_siginfo si;

	/* Absolute, since reaper moves to / and a reload reads it again. */
	sys_path = sys_absolute(o->conf ? o->conf : "/etc/reaper.conf");
	sys_combined = o->cmd != NULL;
	if (!sys_combined)
		(void)sys_chdir("/");
	run_init(r, system_conf(sys_path, container), sys_getpid(), pid1);
	ep_init(&sys_ep, o, r->self, pid1);
	/* On a machine /etc/hostname names it; a container's name is not ours. */
	if (!container || r->conf->hostname)
		boot_hostname(r->conf->hostname);
	system_control(r, container);
	klog_path(r->conf->kmsg);
	wdog_init(&sys_wdog, r->conf->watchdog, r->conf->watchdog_timeout_ms, sys_now());
	pfd[0].fd = sigfd;
	pfd[0].events = POLLIN;
	run_step(r, sys_now());
	for (;;) {
		system_command(r, o, sp, sigfd);
		int nout, at = system_wait(r, pfd, &nout);

		klog_work(pfd + at, nout);
		wdog_tick(&sys_wdog, sys_now());
		while (sys_signalfd_read(sigfd, &si) > 0) {
			if (sys_ep.child > 0)	/* the main command gets them all */
				ep_signal(&sys_ep, &si, sys_now());
			else
				system_signal(r, &si, container, sys_now());
		}
		sys_control.main_pid = sys_ep.child;
		ctl_work(&sys_ctl, pfd, 1, sys_now(), control_answer, &sys_control);
		cb.noname = sys_ep.child;
		if (reap_all(&cb))
			run_nochild(r, sys_now());
		ep_tick(&sys_ep, sys_now());
		run_tick(r, sys_now());
		/* Just into the kill phase with no process left, no SIGCHLD
		 * will ever come to say so: ask now, not after the grace. */
		if (r->phase == RUN_KILL && reap_all(&cb))
			run_nochild(r, sys_now());
		if (r->phase != RUN_BOOT)
			wdog_boot_done(&sys_wdog, sys_now());
		if (r->phase != RUN_FINAL)
			continue;
		klog_flush();
		if (container) {
			wdog_disarm(&sys_wdog);	/* an exit would close it armed */
			ctl_close(&sys_ctl);
			return sys_combined ? sys_ep.status : 0;
		}
		system_halt(r);
	}
}
