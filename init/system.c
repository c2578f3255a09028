/* System mode: PID 1 of a machine or a container, driven by reaper.conf. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>

#include "ask.h"
#include "boot.h"
#include "control.h"
#include "ctl.h"
#include "ctlpath.h"
#include "ep.h"
#include "klog.h"
#include "file.h"
#include "load.h"
#include "log.h"
#include "reload.h"
#include "loop.h"
#include "num.h"
#include "pkeys.h"
#include "run.h"
#include "sig.h"
#include "spawn.h"
#include "sys.h"
#include "system.h"
#include "tty.h"
#include "wdog.h"

/*
 * System mode's state, made once: the two config tables (a reload parses
 * into the spare one and swaps), the supervisor, the loop and the sources
 * on it, and combined mode's main command (-f FILE -- COMMAND), run as in
 * entrypoint mode.
 */
static struct system {
	/* Small and always used first, the big tables last: only the pages
	 * of a table that are used get written (PID 1's peak RSS). */
	const char	*path;
	const struct opts *o;
	struct spawn	*sp;
	bool		container, combined, cmd_started, cmd_ended;
	int		status;		/* what reaper exits with, outside a machine */
	struct control	control;
	struct wdog	wdog;
	struct pkeys	pkeys;		/* the power key: on a machine only */
	struct ep	ep;
	struct ctl	ctl;
	struct loop	loop;
	struct klogs	klog;
	struct loop_src	src[LOOP_SRC_MAX];	/* the loop's sources */
	struct run	run;
	struct conf	conf[2];
	struct klog	pipes[KLOG_PIPES_MAX];	/* klog's */
} sys PAGE_ALIGNED;

/* With no usable config: a shell on the console, else just reaping. */
static const char emergency_text[] = "service emergency tty=/dev/console /bin/sh\n";

static struct conf *
system_conf(const char *path, bool container)
{
	struct conf *c = &sys.conf[0];
	int fd;

	/* In a container /proc/cmdline is the host's: not ours to obey. */
	if (!container && boot_emergency_asked()) {
		log_msg(LV_WARN, "emergency asked on the kernel command line");
	} else if (load_conf(path, c) < 0) {
		log_msg(LV_ERR, "unable to read %s: %s", path, file_strerror(errno));
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
	struct conf *spare = r->conf == &sys.conf[0] ? &sys.conf[1] : &sys.conf[0];

	if (reload_conf(r, sys.path, spare, now) < 0)
		return -1;
	/* The new file's: the table may swap later, once its stops are over. */
	klog_path(&sys.klog, spare->kmsg);
	klog_conf(&sys.klog, spare);
	return 0;
}

/* A signal from the loop: the main command of combined mode gets them all. */
static void
system_signal(void *ctx, const struct sys_siginfo *si, int64_t now)
{
	struct system *y = ctx;
	struct run *r = &y->run;
	enum run_action a;
	char name[16];

	if (y->ep.child > 0) {
		ep_signal(&y->ep, si, now);
		return;
	}
	if (si->pid == r->self && si->code == SI_USER)
		return;
	if (si->sig == SIGHUP) {
		(void)system_reload(r, now);
		return;
	}
	if ((a = system_action(r->conf, si->sig, y->container)) != RA_NONE)
		run_request(r, a, now);
	else if (si->sig != SIGCHLD)
		log_msg(LV_DEBUG, "ignored %s", sig_name(si->sig, name, sizeof(name)));
}

/* The reap callback: the main command of combined mode first, then the table. */
static void
system_reaped(void *ctx, const struct reap_ev *ev)
{
	struct system *y = ctx;
	struct ep *e = &y->ep;

	if (!y->combined || e->child <= 0 || ev->pid != e->child) {
		run_reaped(&y->run, ev);
		return;
	}
	if (ev->kind == REAP_STOPPED || ev->kind == REAP_CONTINUED) {
		ep_reaped(e, ev);	/* job control, as in entrypoint mode */
		return;
	}
	y->status = opt_status(e->o, reap_status(ev));
	log_msg(LV_INFO, "main command %d ended with status %d; stopping services",
	    (int)e->child, y->status);
	tty_take(e->tty, e->child);
	e->child = 0;
	run_request(&y->run, RA_EXIT, sys_now());
}

/*
 * Combined mode: whether the main command may start now. Once every
 * service and once entry is up; if one fails for good first, never: the
 * rest stop and reaper exits 1.
 */
static bool
system_may_command(struct system *y)
{
	struct run *r = &y->run;
	int i, up = 0, n = 0;

	for (i = 0; i < r->conf->n; i++) {
		enum conf_kind k = r->conf->ent[i].kind;

		if (k != CK_ONCE && k != CK_SERVICE)
			continue;
		n++;
		switch (run_wait_of(r, i)) {
		case RW_UP: up++; break;
		case RW_PENDING: break;
		case RW_FAILED:
			log_msg(LV_ERR, "%s failed; not starting %s", r->conf->ent[i].name,
			    y->o->cmd[0]);
			y->cmd_started = true;	/* never */
			y->status = 1;
			run_request(r, RA_EXIT, sys_now());
			return false;
		}
	}
	return up == n;
}

/* Combined mode: once the services are up, start the main command. */
static void
system_command(struct system *y)
{
	int keep[3 + LOOP_SRC_MAX + 1], tty, n;
	struct run *r = &y->run;
	struct spawn *sp = y->sp;
	pid_t pid;

	if (!y->combined || y->cmd_started || r->phase != RUN_UP || !system_may_command(y))
		return;
	y->cmd_started = true;
	tty = tty_find();
	sp->argv = y->o->cmd;
	sp->tty = tty_is_fg(tty) ? tty : -1;
	sp->listen_pid = r->self;
	if ((pid = spawn_main(sp)) < 0) {
		log_sys(LV_ERR, "unable to start %s", y->o->cmd[0]);
		y->status = 1;
		run_request(r, RA_EXIT, sys_now());
		return;
	}
	log_msg(LV_INFO, "started %s as %d", y->o->cmd[0], (int)pid);
	ep_started(&y->ep, pid, tty);
	/* The command holds what reaper inherited now; reaper keeps only
	 * what the loop holds, its log, the log device and the watchdog
	 * (closed without 'V', it would stay armed). */
	keep[0] = log_fd_now();
	keep[1] = klog_dev_fd(&y->klog);
	keep[2] = y->wdog.fd;
	n = 3 + loop_fds(&y->loop, keep + 3, LOOP_SRC_MAX + 1);
	(void)sys_close_from(3, keep, n);
	(void)sys_chdir("/");
}

/*
 * Combined mode: an entry's failure-action ends the main command too, as
 * SIGTERM to reaper would (forwarded as -r, -D and -g say); reaper then
 * exits with the entry's status, not the command's.
 */
static void
system_failed(struct system *y, int64_t now)
{
	struct sys_siginfo si = { SIGTERM, 0, 0 };

	if (!y->combined || y->cmd_ended || y->run.fail_status < 0 || y->ep.child <= 0)
		return;
	y->cmd_ended = true;
	log_msg(LV_INFO, "stopping the main command %d", (int)y->ep.child);
	ep_signal(&y->ep, &si, now);
}

/*
 * The end of a machine. The watchdog watches the sync and the unmounts
 * too (a hung disk resets the board) and is off only for reboot(2).
 */
static void
system_halt(struct system *y)
{
	struct run *r = &y->run;
	enum run_action a = r->action == RA_EXIT ? RA_POWEROFF : r->action;

	wdog_pet_now(&y->wdog, sys_now());
	halt_prepare(a);
	wdog_disarm(&y->wdog);
	halt_reboot(a);
	wdog_rearm(&y->wdog, sys_now());	/* still here: watch again */
	run_resume(r);	/* keep reaping, never exit */
}

/* After every wake-up: reap, move the supervisor along, and the end. */
static void
system_step(void *ctx, int revents, int64_t now)
{
	struct system *y = ctx;
	struct run *r = &y->run;
	struct reap_cb cb = { system_reaped, y, true, 0, run_owner, &y->run };

	(void)revents;
	y->control.main_pid = y->ep.child;
	cb.noname = y->ep.child;
	if (reap_all(&cb))
		run_nochild(r, now);
	ep_tick(&y->ep, now);
	run_tick(r, now);
	system_failed(y, now);
	/* Just into the kill phase with no process left, no SIGCHLD will
	 * ever come to say so: ask now, not after the grace. */
	if (r->phase == RUN_KILL && reap_all(&cb))
		run_nochild(r, now);
	if (r->phase != RUN_BOOT)
		wdog_boot_done(&y->wdog, now);
	system_command(y);
	ctl_recheck(&y->ctl, now);	/* parked reaperctl waits: up or failed now? */
	if (r->phase != RUN_FINAL)
		return;
	klog_flush(&y->klog);
	if (!y->container) {
		system_halt(y);
		return;
	}
	wdog_disarm(&y->wdog);	/* an exit would close it armed */
	ctl_close(&y->ctl);
	loop_stop(&y->loop);
}

static int64_t
system_due(const void *ctx)
{
	const struct system *y = ctx;

	/* ep's: a signal held by -D for the main command. */
	return num_earliest(run_deadline(&y->run), ep_deadline(&y->ep));
}

static void
system_on_wdog(void *ctx, int revents, int64_t now)
{
	(void)revents;
	wdog_tick(ctx, now);
}

static int64_t
system_wdog_due(const void *ctx)
{
	return wdog_deadline(ctx);
}

/* A press of the power key: the supervisor's rule decides (set powerkey=). */
static void
system_power_key(void *ctx, const char *path, int64_t now)
{
	struct system *y = ctx;

	(void)ask_power_key(&y->run, path, now);
}

/* The control socket, once the config says where. */
static void
system_control(struct system *y)
{
	struct control *c = &y->control;

	c->r = &y->run;
	c->mode = y->combined ? "combined" : y->container ? "container" : "system";
	c->booted = sys_now();
	c->container = y->container;
	c->wd = &y->wdog;
	c->pk = y->container ? NULL : &y->pkeys;
	c->reload = system_reload;
	c->sock = y->ctl.path;
	ctl_init(&y->ctl, &y->loop, control_answer, c);
	if (y->run.conf->control_set)
		(void)ctl_open(&y->ctl, y->run.conf->control, y->run.conf->control_group);
	else
		(void)ctlpath_open(&y->ctl, y->run.conf->control_group);
}

/* The loop of system mode; returns only outside a machine's PID 1. */
int
system_main(const struct opts *o, struct spawn *sp, bool pid1, int sigfd)
{
	struct system *y = &sys;
	struct run *r = &y->run;

	y->o = o;
	y->sp = sp;
	y->container = !pid1 || boot_in_container();
	/* Absolute, since reaper moves to / and a reload reads it again. */
	y->path = sys_absolute(o->conf ? o->conf : CONF_PATH_DEFAULT);
	y->combined = o->cmd != NULL;
	if (!y->combined)
		(void)sys_chdir("/");
	loop_init(&y->loop, y->src, LOOP_SRC_MAX);
	klog_init(&y->klog, &y->loop, y->pipes);
	run_init(r, system_conf(y->path, y->container), sys_getpid(), pid1, &y->loop,
	    &y->klog);
	r->machine = !y->container;
	ep_init(&y->ep, o, r->self, pid1);
	/* Before anything is started: a leaf for reaper, a cgroup per entry. */
	cgroup_setup(&r->cg, pid1 && !y->container);
	/* On a machine /etc/hostname names it; a container's name is not ours. */
	if (!y->container || r->conf->hostname)
		boot_hostname(r->conf->hostname);
	system_control(y);
	klog_path(&y->klog, r->conf->kmsg);
	klog_conf(&y->klog, r->conf);
	wdog_init(&y->wdog, r->conf->watchdog, r->conf->watchdog_timeout_ms, sys_now());
	if (loop_add(&y->loop, -1, 0, system_on_wdog, system_wdog_due, &y->wdog) < 0)
		log_sys(LV_ERR, "watchdog keepalives");	/* cannot be: the table is empty */
	/*
	 * The power key, on a machine only (a container's input devices, if
	 * any, are the host's). Before the sysinit entries: a driver one of
	 * them loads brings its device later, and inotify sees it come.
	 */
	pkeys_init(&y->pkeys, &y->loop, system_power_key, y);
	if (!y->container)
		pkeys_start(&y->pkeys, "/dev/input", "/dev");
	loop_signals(&y->loop, sigfd, system_signal, y);
	loop_step(&y->loop, system_step, system_due, y);
	run_step(r, sys_now());
	system_failed(y, sys_now());
	system_command(y);
	loop_run(&y->loop);
	if (r->fail_status >= 0)	/* a failure-action= ended it */
		return r->fail_status;
	return y->combined ? y->status : 0;
}
