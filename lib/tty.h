/* The terminal and job control: who has the foreground, and stopping with the child. */
#ifndef REAPER_TTY_H
#define REAPER_TTY_H

#include <stdbool.h>
#include <sys/types.h>

int	tty_find(void);
bool	tty_is_fg(int fd);
void	tty_give(int fd, pid_t pgid);
void	tty_take(int fd, pid_t from);
bool	tty_can_stop(void);

#endif
