/* The end of a machine: sync, unmount, and reboot(2) from a child. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/wait.h>

#include "boot.h"
#include "limits.h"
#include "file.h"
#include "log.h"
#include "sys.h"
#include "word.h"


/* Unmount what can be, last mounted first; remount the rest read-only. */
static void
halt_unmount(void)
{
	static char buf[16384];
	char *dir[HALT_MOUNTS], *line, *sp, *at = buf;
	int n = 0;

	if (file_read("/proc/self/mounts", buf, sizeof(buf)) <= 0)
		return;
	while ((line = word_cut(&at, "\n")) && n < HALT_MOUNTS)
		if ((sp = strchr(line, ' ')) && (dir[n] = sp + 1) && (sp = strchr(dir[n], ' '))) {
			*sp = '\0';
			n++;
		}
	while (n-- > 0) {
		if (strcmp(dir[n], "/") == 0 || sys_umount(dir[n]) == 0)
			continue;
		(void)sys_mount(NULL, dir[n], NULL, MS_REMOUNT | MS_RDONLY, NULL);
	}
	(void)sys_mount(NULL, "/", NULL, MS_REMOUNT | MS_RDONLY, NULL);
}

static const char *const halt_what[] = { "", "reboot", "power off", "halt" };

/* Before reboot(2): the disks synced and unmounted as far as they go. */
void
halt_prepare(enum run_action a)
{
	sys_sync();
	halt_unmount();
	sys_sync();
	log_msg(LV_WARN, "%s", halt_what[a]);
}

/*
 * reboot(2) runs in a child: should the call fail, the child exits and
 * PID 1 carries on; it must never die itself.
 */
void
halt_reboot(enum run_action a)
{
	int status;
	pid_t pid;

	if ((pid = sys_fork()) == 0) {
		(void)sys_reboot(a == RA_REBOOT ? 0 : a == RA_POWEROFF ? 1 : 2);
		sys_exit_child(errno > 0 && errno < 256 ? errno : 1);	/* says why */
	}
	if (pid < 0 || sys_waitpid(pid, &status, 0) < 0) {
		log_sys(LV_ERR, "unable to %s (still running)", halt_what[a]);
		return;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		errno = WEXITSTATUS(status);
		log_sys(LV_ERR, "unable to %s (still running)", halt_what[a]);
	} else if (!WIFEXITED(status)) {
		log_msg(LV_ERR, "unable to %s (still running): its child got "
		    "signal %d", halt_what[a], WTERMSIG(status));
	}
}

/* The last step on a machine. */
void
halt_final(enum run_action a)
{
	halt_prepare(a);
	halt_reboot(a);
}
