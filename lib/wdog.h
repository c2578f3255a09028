/* The hardware watchdog: opened, set, petted from PID 1's loop, disarmed at the end. */
#ifndef REAPER_WDOG_H
#define REAPER_WDOG_H

#include <stdbool.h>
#include <stdint.h>

struct wdog {
	char		path[256];	/* "": no watchdog configured */
	int		fd;		/* -1: not open */
	int		timeout_s;	/* as the driver set it; 0: unknown */
	int64_t		pet_ms;		/* between keepalives */
	int64_t		last;		/* last keepalive (ms), 0: none yet */
	int64_t		next;		/* next keepalive due */
	unsigned long	pets;		/* keepalives sent */
	bool		late;		/* not there at start: try after boot */
};

void	wdog_init(struct wdog *w, const char *path, int64_t timeout_ms, int64_t now);
void	wdog_boot_done(struct wdog *w, int64_t now);
int64_t	wdog_deadline(const struct wdog *w);
void	wdog_tick(struct wdog *w, int64_t now);
void	wdog_pet_now(struct wdog *w, int64_t now);
void	wdog_disarm(struct wdog *w);
void	wdog_rearm(struct wdog *w, int64_t now);

#endif
