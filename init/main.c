/* reaper: a tiny init and subreaper. main: the command line, then a mode. */
#include <errno.h>
#include <string.h>

#include "boot.h"
#include "control.h"
#include "entry.h"
#include "file.h"
#include "load.h"
#include "log.h"
#include "opt.h"
#include "sys.h"

#ifndef REAPER_VERSION
#define REAPER_VERSION "0.1.0"
#endif

extern char **environ;

static const char usage_text[] =
"usage: reaper [-sgawvP] [-p SIG] [-e CODE] [-r FROM:TO] [-D SIG:DURATION]\n"
"              [-t DURATION] [--] COMMAND [ARG...]\n"
"       reaper -P              (pause: reap orphans until SIGTERM or SIGINT)\n"
"       reaper [-f FILE] [-n]  (system mode: services from FILE, default\n"
"                              /etc/reaper.conf as PID 1; -n checks FILE)\n"
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
"  -f FILE       system mode with FILE; with a COMMAND too, the services\n"
"                run around it and stop when it ends\n"
"  -n            with -f: check FILE, print its errors, exit 0 or 1\n"
"  -v            more messages (repeatable); -w warn on each orphan reaped\n"
"  -h, --help    this text; -V, --version  the version\n"
"Environment: REAPER_SUBREAPER, REAPER_KILL_PROCESS_GROUP, REAPER_VERBOSITY\n"
"(and TINI_* with the same meaning). See reaper(8).\n";

static void
say(const char *s)
{
	(void)sys_write(1, s, strlen(s));
}

/* -n: check a config file, print its errors, exit 0 if valid, else 1. */
static int
check_conf(const char *path)
{
	static struct conf conf;
	int n = load_conf(path, &conf);

	if (n < 0) {
		log_msg(LV_ERR, "unable to read %s: %s", path, file_strerror(errno));
		return 1;
	}
	load_report(path, &conf);
	return n == 0 ? 0 : 1;
}

/*
 * On a machine, PID 1's argv holds the words of the kernel command line
 * that the kernel did not know ("single", "emergency", ...): they are no
 * COMMAND. A command is taken only after an explicit "--", and nothing
 * may make PID 1 exit, not even a usage error.
 */
static int
machine_args(struct opts *o, char **argv, int r, char *err, size_t errlen)
{
	char *none[] = { argv[0], NULL };

	if (r == OPT_RUN && o->cmd &&
	    !(o->cmd > argv + 1 && strcmp(o->cmd[-1], "--") == 0)) {
		log_msg(LV_INFO, "PID 1: '%s' and what follows are the kernel's", o->cmd[0]);
		o->cmd = NULL;
	}
	if (r == OPT_RUN)
		return r;
	if (r == OPT_USAGE)
		log_msg(LV_ERR, "%s; ignored as PID 1", err);
	return opt_parse(o, 1, none, environ, err, errlen);
}

int
main(int argc, char **argv)
{
	struct opts o = { 0 };
	char err[160];
	bool pid1 = sys_getpid() == 1;
	bool machine;
	const char *base = strrchr(argv[0], '/');
	int r;

	if (strcmp(base ? base + 1 : argv[0], "reaperctl") == 0 && !pid1)
		return control_client(argc, argv);
	machine = pid1 && !boot_in_container();	/* no /proc yet: a machine */
	r = opt_parse(&o, argc, argv, environ, err, sizeof(err));

	if (machine)
		r = machine_args(&o, argv, r, err, sizeof(err));
	switch (r) {
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
	log_nowait();	/* from here on reaper runs on: a stalled reader must not hold it */
	if (o.conf || (!o.cmd && !o.pause && pid1)) {
		/* A machine's log is worth more than a container's: info by default. */
		if (o.verbosity < LV_INFO)
			log_setup(o.verbosity = LV_INFO, 2);
		r = entry_system(&o, pid1);
	} else if (!o.cmd && !o.pause) {
		log_msg(LV_ERR, "no command given (see reaper --help)");
		return 2;
	} else {
		r = entry_run(&o, pid1);
		if (machine)	/* the machine's one program is over */
			halt_final(RA_POWEROFF);
	}
	if (machine)
		entry_last_resort();
	return r;
}
