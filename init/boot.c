/* Boot of PID 1: fds 0-2, a session, the API filesystems, a PATH, logs. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "boot.h"
#include "fmt.h"
#include "limits.h"
#include "file.h"
#include "log.h"
#include "sys.h"
#include "word.h"

extern char **environ;

/* The initial PID namespace has this fixed inode (PROC_PID_INIT_INO). */
bool
boot_in_container(void)
{
	char buf[64];

	if (sys_readlink("/proc/self/ns/pid", buf, sizeof(buf)) < 0)
		return false;	/* no /proc yet: the kernel started us */
	return strcmp(buf, "pid:[4026531836]") != 0;
}

/* Fds 0-2 open: the console if there is one, else /dev/null. */
static void
boot_fds(void)
{
	char probe;
	int fd;

	for (fd = 0; fd <= 2; fd++) {
		if (sys_read(fd, &probe, 0) >= 0 || errno != EBADF)
			continue;
		if (sys_open("/dev/console", O_RDWR | O_NOCTTY) != fd &&
		    sys_open("/dev/null", O_RDWR) != fd)
			continue;	/* nothing to be done: go on without */
	}
}

/* Whether want is somewhere in text (a plain search: libc's strstr is 1 KB). */
static bool
boot_find(const char *text, const char *want)
{
	size_t n = strlen(want);

	for (; *text; text++)
		if (strncmp(text, want, n) == 0)
			return true;
	return false;
}

/* Whether a file system is mounted on dir, by /proc/self/mounts. */
static bool
boot_mounted(const char *dir)
{
	static char buf[16384];
	char want[80];

	if (file_read("/proc/self/mounts", buf, sizeof(buf)) <= 0)
		return false;
	(void)fmt_print(want, sizeof(want), " %.77s ", dir);
	return boot_find(buf, want);
}

static void
boot_mount(const char *type, const char *dir, unsigned long flags, const char *data)
{
	if (boot_mounted(dir))
		return;
	(void)sys_mkdir(dir);
	if (sys_mount(type, dir, type, flags, data) < 0)
		log_sys(LV_WARN, "unable to mount %s on %s", type, dir);
}

/*
 * The kernel gives PID 1 no PATH worth the name. environ becomes a fixed
 * table, the kernel's variables and our PATH: setenv would allocate.
 */
static void
boot_path(void)
{
	static char path[] = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
	    "/sbin:/bin";
	static char *env[BOOT_ENV_MAX + 1];
	char **e;
	int n = 0;

	for (e = environ; e && *e; e++) {
		if (strncmp(*e, "PATH=", 5) == 0)
			continue;
		if (n == BOOT_ENV_MAX - 1) {
			log_msg(LV_WARN, "unable to set PATH: over %d environment variables",
			    BOOT_ENV_MAX - 1);
			return;
		}
		env[n++] = *e;
	}
	env[n++] = path;
	env[n] = NULL;
	environ = env;
}

/* The first steps of PID 1 on a machine (SPEC section 5). */
void
boot_early(void)
{
	boot_fds();
	(void)sys_chdir("/");
	(void)sys_setsid();
	boot_mount("proc", "/proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	boot_mount("sysfs", "/sys", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	boot_mount("devtmpfs", "/dev", MS_NOSUID, "mode=0755");
	boot_fds();	/* again: without /dev at first there was no console */
	boot_mount("devpts", "/dev/pts", MS_NOSUID | MS_NOEXEC,
	    "gid=5,mode=620,ptmxmode=666");
	boot_mount("tmpfs", "/run", MS_NOSUID | MS_NODEV, "mode=0755");
	/* Quietly: without it cgroups are off, and the cgroup module says why. */
	if (!boot_mounted("/sys/fs/cgroup"))
		(void)sys_mount("cgroup2", "/sys/fs/cgroup", "cgroup2",
		    MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	if (sys_cad_off() < 0)
		log_sys(LV_WARN, "unable to take over Ctrl-Alt-Del");
	boot_path();
}

/* set hostname= from the config, else the first line of /etc/hostname. */
void
boot_hostname(const char *name)
{
	static char buf[72];

	if (!name) {
		char *nl;

		if (file_read("/etc/hostname", buf, sizeof(buf)) <= 0)
			return;
		if ((nl = strchr(buf, '\n')) != NULL)
			*nl = '\0';
		if (buf[0] == '\0')
			return;
		name = buf;
	}
	if (sys_sethostname(name) < 0)
		log_sys(LV_WARN, "unable to set the hostname to %s", name);
}

/* The kernel command line word "emergency". */
bool
boot_emergency_asked(void)
{
	char buf[4096], *w, *at = buf;

	if (file_read("/proc/cmdline", buf, sizeof(buf)) <= 0)
		return false;
	while ((w = word_cut(&at, " \n")) != NULL)
		if (strcmp(w, "emergency") == 0)
			return true;
	return false;
}
