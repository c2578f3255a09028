/* Every fixed limit of reaper, in one place: tables are sized here, never grown. */
#ifndef REAPER_LIMITS_H
#define REAPER_LIMITS_H

#define SIG_COUNT	64		/* kernel signals are 1..SIG_COUNT */
#define HOLD_MAX	64		/* signals held by -D at once */
#define CATCH_MAX	64		/* signals caught, not yet forwarded (then held by the kernel) */
#define LOG_LINE_MAX	512		/* one log line, prefix included */
#define COMM_MAX	16		/* TASK_COMM_LEN: command name of a process */
#define PROC_SCAN_MAX	32768		/* processes looked at when walking /proc */
#define KILL_WAIT_MS	5000		/* after SIGKILL, how long to wait for the dead */
#define END_REKILL_MS	250		/* meanwhile, how often to catch late forks */
#define DURATION_MAX_MS	(7LL * 24 * 3600 * 1000)	/* longest duration accepted */
#define GRACE_DEFAULT_MS 3000		/* -t default, and set grace= */
#define HALT_MOUNTS	64		/* mounts unmounted at the end, at most */
#define BOOT_ENV_MAX	256		/* environment variables the kernel gives PID 1 */
#define SPAWN_ENVIRON_MAX 256		/* of reaper's own environment, a service's start takes */
#define IDS_GROUPS_MAX	64		/* supplementary groups of a service's user */
#define IDS_NAME_MAX	255		/* a user name read from /etc/passwd */

/* The defaults of the config file, where it says nothing. */
#define CONF_PATH_DEFAULT "/etc/reaper.conf"	/* system mode's file */
#define CONTROL_PATH_DEFAULT "/run/reaper.sock"	/* set control= */
#define SHUTDOWN_ALL_MS	30000		/* set shutdown-timeout= */
#define WDOG_TIMEOUT_DEFAULT_MS 30000	/* set watchdog-timeout= */
#define RESTART_DELAY_MS 200		/* restart-delay= */
#define BACKOFF_MAX_MS	30000		/* backoff-max= */
#define STOP_TIMEOUT_MS	5000		/* stop-timeout= */
#define SYSINIT_TIMEOUT_MS 60000	/* timeout= of a sysinit entry */
#define SHUTDOWN_TIMEOUT_MS 10000	/* timeout= of a shutdown entry */

/*
 * A big table that is used from its start (a buffer, a snapshot) begins on
 * a page of its own: where the linker happens to put it can then never
 * make PID 1 touch one more page than it uses (its peak RSS is measured).
 */
#define PAGE_ALIGNED	__attribute__((aligned(4096)))

/* after= and needs= (the dependency graph has one node per entry: CONF_ENTRIES_MAX). */
#define GRAPH_DEPS_MAX	16		/* names in one after= or needs= list */
#define GRAPH_ERRMSG_MAX 256		/* one error: a cycle of 5 longest names, then cut */

/* Readiness (ready=, ready-check=). */
#define CONF_CHECK_ARGS_MAX 16		/* words of a ready-check= command */
#define READY_INTERVAL_MS 1000		/* ready-interval= */
#define READY_TIMEOUT_MS 60000		/* ready-timeout= */
#define READY_STATUS_MAX 64		/* STATUS= text kept per service */
#define READY_DGRAM_MAX	4096		/* one notify datagram; longer is cut */

/* cgroups. */
#define CG_PATH_MAX	256		/* a cgroup's directory; longer: cgroups off */
#define CG_WHY_MAX	96		/* why cgroups are off, as status says it */
#define CONF_SIZE_MAX	(1UL << 50)	/* memory-max= at most 1 PiB: no overflow anywhere */
#define CONF_PIDS_MAX	4194304		/* pids-max= at most the kernel's PID_MAX_LIMIT */

/* The config file (reaper.conf): exceeding any of these is a reported error. */
#define CONF_FILE_MAX	65536		/* bytes in one file */
#define CONF_LINE_MAX	1024		/* bytes in one entry, continuations joined */
#define CONF_WORDS_MAX	64		/* words in one entry */
#define CONF_ARGS_MAX	32		/* words of one command */
#define CONF_ENV_MAX	16		/* env= options of one entry */
#define CONF_ENTRIES_MAX 64		/* entries in one file */
#define CONF_ERRORS_MAX	32		/* errors kept with their text */
/*
 * Bytes of all strings kept from one config, its included files' names
 * included: room for every entry at its longest line and 33 long file
 * names; more is a reported error.
 */
#define CONF_STR_MAX	(CONF_ENTRIES_MAX * CONF_LINE_MAX + (CONF_INCLUDES_MAX + 1) * 256)
#define CONF_NAME_MAX	31		/* an entry's name */
#define CONF_ERRMSG_MAX	GRAPH_ERRMSG_MAX	/* one error message: a cycle is long */
#define CONF_IDENT_MAX	32		/* a user or group name in the config */
#define CONF_HOSTNAME_MAX 64		/* set hostname= (the kernel's HOST_NAME_MAX) */
#define CONF_INCLUDES_MAX 32		/* files read by include lines, in all */
#define CONF_INC_NAME_MAX 255		/* an included file's name (NAME_MAX) */
#define CONF_ENV_FILES_MAX 4		/* env-file= options of one entry */
#define CONF_ENVFILE_BYTES 16384	/* bytes in one env file */
#define CONF_ENVFILE_VARS 64		/* variables from an entry's env files, per start */
#define SPAWN_MSG_MAX	384		/* what a service's child says of its failed start */


/* reaperctl and the control socket. */
#define EVT_MAX		64		/* events kept for reaperctl events */
#define CTL_CLIENTS_MAX	8		/* clients served at once; more wait */
#define CTL_REQ_MAX	640		/* one request line: a wait for the most, longest names fits */
#define CTL_RESP_MAX	32768		/* one answer; longer is cut, and says so */
#define CTL_REQ_TIMEOUT_MS 1000		/* to send its request line */
#define CTL_TIMEOUT_MS	5000		/* then to read the answer, or it is dropped */
#define CTL_PAUSE_MS	1000		/* the listener rests after a failed accept */
#define CTL_TREE_MAX	4096		/* processes shown by tree */
#define CTL_BACKLOG	64		/* clients waiting to be accepted */
#define CTL_CLIENT_WAIT_MS 10000	/* reaperctl waits this long for each part of an answer */
#define CTL_WAIT_NAMES_MAX 16		/* names in one reaperctl wait */
#define CTL_WAITS_MAX	(CTL_CLIENTS_MAX / 2)	/* waits parked at once: never every slot */
#define CTL_FOLLOW_MAX	(CTL_CLIENTS_MAX / 4)	/* events --follow at once: with the waits, never every slot */
#define CTL_EVT_LINE_MAX 768		/* one event as a line of JSON: two names, every byte escaped */
#define CTL_PATH_MAX	108		/* a socket's path with its NUL: sun_path */
#define CTL_WHY_MAX	160		/* why the per-user socket folder is refused */

/* Services' output to the kernel log (stdout=kmsg, stderr=kmsg) and prefixed (=prefix). */
#define KLOG_PIPES_MAX	64		/* streams read at once */
#define KLOG_LINE_MAX	400		/* text of one record; longer lines are split */
#define KLOG_READ_MAX	4096		/* bytes taken from one pipe per wake-up */
#define KLOG_FLUSH_READS 64		/* reads of one pipe at exit: a full pipe, 4x */
#define KLOG_FLUSH_MS	1000		/* at exit, how long fd 1 or 2 may keep lines waiting */
#define KLOG_LOST_QUIET_MS 10000	/* lost lines are said at most this often per sink */
#define KLOG_PATH_MAX	255		/* set kmsg=PATH */
#define KLOG_DEV_DEFAULT "/dev/kmsg"	/* where the records go */

/* The power key (set powerkey=): input devices that can send KEY_POWER. */
#define PKEY_DEVS_MAX	8		/* devices watched at once; more: said, not watched */
#define PKEY_PATH_MAX	128		/* /dev/input/eventN, or a test's folder */
#define PKEY_NAME_MAX	64		/* a device's name (EVIOCGNAME), cut */
#define PKEY_READ_EVENTS 16		/* input events taken per read */
#define PKEY_NOTE_MAX	1024		/* bytes of inotify records per read */

/* The loop: the listener, its clients, output pipes, starts in flight, timers,
 * the power-key devices and their inotify watch, fds 1 and 2 while they are full. */
#define START_MAX	(2 * CONF_ENTRIES_MAX)	/* starts in flight: entries and retired ones */
#define LOOP_SRC_MAX	(1 + CTL_CLIENTS_MAX + KLOG_PIPES_MAX + START_MAX + 8 + \
			PKEY_DEVS_MAX + 1 + 2)
#define LOOP_RETRY_MS	1000		/* poll failed: try again this soon */

/* The hardware watchdog. */
#define WDOG_TIMEOUT_MAX_MS (3600LL * 1000)	/* longest watchdog-timeout */

#endif
