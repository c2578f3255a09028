/* System mode: PID 1 of a machine or a container, driven by reaper.conf. */
#include <signal.h>

#include "boot.h"
#include "load.h"
#include "log.h"
#include "run.h"
#include "sig.h"
#include "sys.h"
#include "system.h"

/* Two tables, so a reload can parse into the spare one and swap. */
static struct conf sys_conf[2];
static struct run sys_run;

/* With no usable config: a shell on the console, else just reaping. */
static const char emergency_text[] = "service emergency tty=/dev/console /bin/sh\n";

static struct conf *
system_conf(const char *path)
{
	struct conf *c = &sys_conf[0];

	if (boot_emergency_asked()) {
		log_msg(LV_WARN, "emergency asked on the kernel command line");
	} else if (load_conf(path, c) < 0) {
		log_sys(LV_ERR, "unable to read %s; emergency shell", path);
	} else {
		load_report(path, c);	/* the good entries still run */
		return c;
	}
	(void)conf_parse(c, emergency_text, sizeof(emergency_text) - 1);
	if (sys_open("/bin/sh", 0) < 0) {
		log_msg(LV_ERR, "no /bin/sh; only reaping orphans");
		c->n = 0;
	}
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

static void
system_signal(struct run *r, const struct sys_siginfo *si, bool container,
    int64_t now)
{
	enum run_action a;
	char name[16];

	if (si->pid == r->self && si->code == SI_USER)
		return;
	if (si->sig == SIGHUP) {
		log_msg(LV_WARN, "reload is not available in this version");
		return;
	}
	if ((a = system_action(r->conf, si->sig, container)) != RA_NONE)
		run_request(r, a, now);
	else if (si->sig != SIGCHLD)
		log_msg(LV_DEBUG, "ignored %s", sig_name(si->sig, name, sizeof(name)));
}

/* The loop of system mode; returns only outside a machine's PID 1. */
int
system_main(const char *path, bool pid1, int sigfd)
{
	struct run *r = &sys_run;
	struct reap_cb cb = { run_reaped, r, true, 0 };
	bool container = !pid1 || boot_in_container();
	struct sys_siginfo si;

	run_init(r, system_conf(path), sys_getpid(), pid1);
	boot_hostname(r->conf->hostname);
	run_step(r, sys_now());
	for (;;) {
		int64_t now = sys_now(), dl = run_deadline(r);

		(void)sys_wait_fd(sigfd, dl < 0 ? -1 : (dl > now ? dl - now : 0));
		while (sys_signalfd_read(sigfd, &si) > 0)
			system_signal(r, &si, container, sys_now());
		if (reap_all(&cb))
			run_nochild(r, sys_now());
		run_tick(r, sys_now());
		if (r->phase != RUN_FINAL)
			continue;
		if (container)
			return 0;
		halt_final(r->action);
		r->phase = RUN_UP;	/* still here: keep reaping, never exit */
		r->action = RA_NONE;
	}
}
