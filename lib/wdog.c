/*
 * set watchdog=DEVICE: opening the device arms it; PID 1 pets it at half
 * the timeout from its loop, so a PID 1 that hangs (or a kernel that no
 * longer schedules it) gets the board reset. A clean shutdown disarms it
 * with the magic close ('V') just before reboot(2). Closing it any other
 * way would leave it armed, so once open it stays open.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "limits.h"
#include "log.h"
#include "sys.h"
#include "wdog.h"

static int64_t wdog_ms;			/* the timeout the config asked for */

static void
wdog_pet(struct wdog *w, int64_t now)
{
	if (sys_watchdog_pet(w->fd) < 0)
		log_sys(LV_ERR, "watchdog %s: keepalive failed", w->path);
	else
		w->pets++;
	w->last = now;
	w->next = now + w->pet_ms;
}

static int
wdog_open(struct wdog *w, int64_t now)
{
	int want = (int)((wdog_ms + 999) / 1000), secs = want;

	if ((w->fd = sys_open(w->path, O_WRONLY)) < 0)
		return -1;
	/*
	 * Armed now, so it stays open whatever follows. A driver that will
	 * not take the timeout keeps its own: pet at half of that if it says
	 * what it is, else every second, never at a pace it may not allow.
	 */
	if (sys_watchdog_set(w->fd, &secs) < 0) {
		log_sys(LV_ERR, "watchdog %s: unable to set a timeout of %d s",
		    w->path, want);
		if (sys_watchdog_get(w->fd, &secs) < 0)
			secs = 0;
	}
	w->timeout_s = secs > 0 ? secs : 0;
	w->pet_ms = secs > 0 ? (int64_t)secs * 1000 / 2 : 1000;
	log_msg(LV_INFO, "watchdog %s armed: timeout %d s, keepalive every %lld ms",
	    w->path, w->timeout_s, (long long)w->pet_ms);
	wdog_pet(w, now);
	return 0;
}

/* At start: a device a boot task's module brings gets one more try later. */
void
wdog_init(struct wdog *w, const char *path, int64_t timeout_ms, int64_t now)
{
	size_t len;

	w->fd = -1;
	w->path[0] = '\0';
	w->late = false;
	w->timeout_s = 0;
	w->pet_ms = 0;
	w->last = w->next = 0;
	w->pets = 0;
	if (!path)
		return;
	if ((len = strlen(path)) >= sizeof(w->path)) {
		log_msg(LV_ERR, "watchdog path too long: %s", path);
		return;
	}
	memcpy(w->path, path, len + 1);
	wdog_ms = timeout_ms < 2000 ? 2000 : timeout_ms > WDOG_TIMEOUT_MAX_MS ?
	    WDOG_TIMEOUT_MAX_MS : timeout_ms;
	if (wdog_open(w, now) == 0)
		return;
	if (errno == ENOENT || errno == ENODEV || errno == ENXIO) {
		log_msg(LV_INFO, "watchdog %s: not there yet; trying again once the "
		    "boot tasks are done", w->path);
		w->late = true;
		return;
	}
	log_sys(LV_ERR, "unable to open watchdog %s", w->path);
}

void
wdog_boot_done(struct wdog *w, int64_t now)
{
	if (!w->late)
		return;
	w->late = false;
	if (wdog_open(w, now) < 0)
		log_sys(LV_ERR, "unable to open watchdog %s", w->path);
}

int64_t
wdog_deadline(const struct wdog *w)
{
	return w->fd >= 0 ? w->next : -1;
}

void
wdog_tick(struct wdog *w, int64_t now)
{
	if (w->fd >= 0 && now >= w->next)
		wdog_pet(w, now);
}

/* A keepalive now, before a step that may take long (the unmounts). */
void
wdog_pet_now(struct wdog *w, int64_t now)
{
	if (w->fd >= 0)
		wdog_pet(w, now);
}

/* The magic close, just before reboot(2); should that fail, wdog_rearm. */
void
wdog_disarm(struct wdog *w)
{
	if (w->fd < 0)
		return;
	if (sys_write(w->fd, "V", 1) != 1)
		log_sys(LV_WARN, "watchdog %s: magic close failed; it may fire", w->path);
	(void)sys_close(w->fd);
	w->fd = -1;
	log_msg(LV_INFO, "watchdog %s disarmed", w->path);
}

void
wdog_rearm(struct wdog *w, int64_t now)
{
	if (w->path[0] && w->fd < 0 && !w->late && wdog_open(w, now) < 0)
		log_sys(LV_ERR, "unable to open watchdog %s again", w->path);
}
