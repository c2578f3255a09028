/* The system call seam, PID 1's part: mounts, the host name, reboot(2), the watchdog, input devices. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sys.h"

int
sys_mount(const char *src, const char *dst, const char *type,
    unsigned long flags, const char *data)
{
	return (int)syscall(SYS_mount, src, dst, type, flags, data);
}

/* These as the kernel's calls: libc's wrappers would only add code. */
int sys_umount(const char *dst) { return (int)syscall(SYS_umount2, dst, 0); }
int sys_mkdir(const char *path) { return (int)syscall(SYS_mkdirat, AT_FDCWD, path, 0755); }
int sys_sethostname(const char *n) { return (int)syscall(SYS_sethostname, n, strlen(n)); }
int sys_cad_off(void) { return reboot(RB_DISABLE_CAD); }
void sys_sync(void) { sync(); }

int
sys_reboot(int how)
{
	static const int cmd[] = { RB_AUTOBOOT, RB_POWER_OFF, RB_HALT_SYSTEM };

	return reboot(cmd[how]);
}

int
sys_readlink(const char *path, char *buf, size_t len)
{
	ssize_t n = syscall(SYS_readlinkat, AT_FDCWD, path, buf, len - 1);

	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* path made absolute against the working directory, in a static buffer. */
const char *
sys_absolute(const char *path)
{
	static char buf[4096];
	size_t n, plen = strlen(path);

	/* The system call: libc's getcwd brings malloc for a case never used. */
	if (path[0] == '/' || syscall(SYS_getcwd, buf, sizeof(buf)) < 0 || buf[0] != '/')
		return path;
	n = strlen(buf);
	if (n + 1 + plen + 1 > sizeof(buf))
		return path;
	buf[n] = '/';
	memcpy(buf + n + 1, path, plen + 1);
	return buf;
}

/* linux/watchdog.h's requests; musl ships no kernel headers. */
#define WDIOC_KEEPALIVE		_IOR('W', 5, int)
#define WDIOC_SETTIMEOUT	_IOWR('W', 6, int)
#define WDIOC_GETTIMEOUT	_IOR('W', 7, int)

/* Set a watchdog's timeout; the kernel writes back what the driver chose. */
int
sys_watchdog_set(int fd, int *secs)
{
	return syscall(SYS_ioctl, fd, WDIOC_SETTIMEOUT, secs) < 0 ? -1 : 0;
}

int
sys_watchdog_get(int fd, int *secs)
{
	return syscall(SYS_ioctl, fd, WDIOC_GETTIMEOUT, secs) < 0 ? -1 : 0;
}

int
sys_watchdog_pet(int fd)
{
	int dummy = 0;

	return syscall(SYS_ioctl, fd, WDIOC_KEEPALIVE, &dummy) < 0 ? -1 : 0;
}

/* inotify as plain system calls (arm64 has no inotify_init, only the 1 form). */
int
sys_inotify(void)
{
	return (int)syscall(SYS_inotify_init1, IN_NONBLOCK | IN_CLOEXEC);
}

int
sys_inotify_watch(int fd, const char *path, uint32_t mask)
{
	return (int)syscall(SYS_inotify_add_watch, fd, path, mask);
}

int
sys_inotify_unwatch(int fd, int wd)
{
	return (int)syscall(SYS_inotify_rm_watch, fd, wd);
}

/* linux/input.h's requests, by hand like the watchdog's. */
#define EVIOCGNAME(len)		_IOC(_IOC_READ, 'E', 0x06, len)
#define EVIOCGBIT(ev, len)	_IOC(_IOC_READ, 'E', 0x20 + (ev), len)

/* The EV_KEY capability bitmap (type 1); the kernel says how many bytes it wrote. */
int
sys_evdev_keys(int fd, unsigned long *bits, size_t len)
{
	memset(bits, 0, len);
	return (int)syscall(SYS_ioctl, fd, EVIOCGBIT(1, len), bits);
}

/* The device's name; the kernel's copy may lack the NUL when cut. */
int
sys_evdev_name(int fd, char *buf, size_t len)
{
	long n = syscall(SYS_ioctl, fd, EVIOCGNAME(len - 1), buf);

	buf[n < 0 ? 0 : n] = '\0';
	return n < 0 ? -1 : 0;
}
