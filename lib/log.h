/* The one log helper: a line per message, "reaper: " first, to one fd. */
#ifndef REAPER_LOG_H
#define REAPER_LOG_H

#include <stdbool.h>

enum log_level { LV_ERR, LV_WARN, LV_INFO, LV_DEBUG };

void	log_setup(int level, int fd);
void	log_kmsg(int fd);
void	log_tee(int fd, int level);
void	log_nowait(void);
int	log_fd_now(void);
bool	log_on(int level);
void	log_msg(int level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	log_sys(int level, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
