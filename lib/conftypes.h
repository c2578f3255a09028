/* The config's types: entries, errors, the table. For the parser's parts and its users alike. */
#ifndef REAPER_CONFTYPES_H
#define REAPER_CONFTYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "graph.h"
#include "limits.h"
#include "word.h"

enum conf_kind { CK_SYSINIT, CK_ONCE, CK_SERVICE, CK_SHUTDOWN };
enum conf_restart { CR_ALWAYS, CR_ON_FAILURE, CR_NEVER };
/* The order of the named kinds is their words' in the parser; CO_FILE is any path. */
enum conf_out { CO_CONSOLE, CO_NULL, CO_KMSG, CO_PREFIX, CO_FILE };
enum conf_cad { CAD_REBOOT, CAD_POWEROFF, CAD_HALT, CAD_IGNORE };
/* set powerkey=: what a press of the power key does (SPEC section 11). */
enum conf_pkey { CPK_POWEROFF, CPK_REBOOT, CPK_HALT, CPK_IGNORE };
/* How a service says it is ready (SPEC section 8); ready-check= makes it RD_CHECK. */
enum conf_ready { RD_EXEC, RD_FD, RD_NOTIFY, RD_CHECK };
/* failure-action=: what an entry that fails for good asks of the system. */
enum conf_fa { CFA_NONE, CFA_POWEROFF, CFA_REBOOT, CFA_HALT };

/* The options of an entry; conf_entry.given has bit N set when N was written. */
enum conf_opt {
	CONF_O_RESTART, CONF_O_DELAY, CONF_O_BACKOFF, CONF_O_LIMIT,
	CONF_O_STOPSIG, CONF_O_STOPTIME, CONF_O_TIMEOUT, CONF_O_USER,
	CONF_O_GROUP, CONF_O_CWD, CONF_O_ENV, CONF_O_UMASK, CONF_O_TTY,
	CONF_O_STDOUT, CONF_O_STDERR, CONF_O_AFTER, CONF_O_NEEDS, CONF_O_READY,
	CONF_O_CHECK, CONF_O_INTERVAL, CONF_O_RTIMEOUT, CONF_O_MEMMAX, CONF_O_PIDSMAX,
	CONF_O_CPUWEIGHT, CONF_O_ENVFILE, CONF_O_FAILACT,
};

#define CONF_GIVEN(e, o)	(((e)->given >> (o)) & 1u)

struct conf_entry {
	enum conf_kind	kind;
	char		name[CONF_NAME_MAX + 1];
	const char	*file;		/* where it was written ("" for text given as such) */
	int		line;
	int		argc;
	const char	*argv[CONF_ARGS_MAX + 1];	/* NULL-terminated */
	enum conf_restart restart;
	int64_t		restart_delay_ms;
	int64_t		backoff_max_ms;
	int		limit_n;		/* restart-limit; 0: never give up */
	int64_t		limit_ms;
	int		stop_signal;
	int64_t		stop_timeout_ms;
	int64_t		timeout_ms;		/* sysinit, shutdown; 0: none */
	const char	*user, *group, *cwd, *tty;	/* NULL when not set */
	int		umask;			/* -1 when not set */
	int		nenv;
	const char	*env[CONF_ENV_MAX];	/* "KEY=VALUE" */
	int		nenvfile;
	const char	*env_file[CONF_ENV_FILES_MAX];	/* read at each start, in order */
	enum conf_fa	failure_action;
	enum conf_out	out_kind, err_kind;
	const char	*out_path, *err_path;	/* for CO_FILE */
	const char	*after, *needs;		/* "db,cache" as written; NULL: none */
	enum conf_ready	ready;
	int		ready_fd;		/* RD_FD: the service's fd, 3-9 */
	int64_t		ready_interval_ms;	/* RD_CHECK: between probes */
	int64_t		ready_timeout_ms;	/* not ready by then: a failed start */
	const char	*check[CONF_CHECK_ARGS_MAX + 1];	/* RD_CHECK: NULL-terminated */
	unsigned long	memory_max;		/* bytes; 0: not set */
	unsigned long	pids_max;		/* 0: not set */
	int		cpu_weight;		/* 1..10000; 0: not set */
	unsigned	given;			/* options set on the line (bits) */
};

struct conf_err {
	const char *file;
	int	line;
	char	msg[CONF_ERRMSG_MAX];
};

/*
 * How the parser gets the files an include line names: load.c's hook
 * reads them, a test's makes them up; the parser itself does no I/O.
 */
struct conf_hook {
	/*
	 * The regular files in dir whose names match glob (as fnmatch with FNM_PERIOD: lib/match.c):
	 * how many there are, and the first max of them (all, when they fit)
	 * in names, in byte order; they last until the next call. A missing
	 * dir has none; -1 with errno when it cannot be read.
	 */
	int	(*list)(void *ctx, const char *dir, const char *glob, const char **names,
		    int max);
	/* The text of path, whole, lasting until the next call: its length,
	 * or -1 with errno set, EINVAL when path is not a regular file. */
	ssize_t	(*read)(void *ctx, const char *path, const char **text);
	void	*ctx;
};

/*
 * Strings point into str: a struct conf is never copied, only swapped.
 * All the parser's state is in it, so two can be parsed at once.
 */
struct conf {
	const char	*file;		/* the file being parsed, kept in str */
	const struct conf_hook *hook;	/* include lines read through it; NULL: none */
	int		nfiles;		/* files included so far */
	bool		inside;		/* parsing an included file: no include here */
	int		n;
	int64_t		grace_ms;
	int64_t		shutdown_timeout_ms;
	enum conf_cad	ctrlaltdel;
	enum conf_pkey	powerkey;
	const char	*hostname;
	const char	*control;
	bool		control_set;	/* set control= written: that path only, no fallback */
	const char	*control_group;
	enum conf_out	log;
	const char	*watchdog;
	int64_t		watchdog_timeout_ms;
	const char	*kmsg;		/* where stdout=kmsg lines go */
	int		nerr;		/* all errors found */
	size_t		used;
	/* The tables last, each written only as far as it is used. */
	struct word_line wl;		/* the parser's line at hand */
	struct word_line wv;		/* a value split into words (ready-check=) */
	struct graph	graph;		/* after= and needs=, resolved */
	struct conf_entry ent[CONF_ENTRIES_MAX];
	char		str[CONF_STR_MAX];
	struct conf_err	err[CONF_ERRORS_MAX];	/* the first ones, with text */
};

#endif
