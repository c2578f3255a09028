/* The reap loop: drain every child state change the kernel has for us. */
#ifndef REAPER_REAP_H
#define REAPER_REAP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "limits.h"

enum reap_kind { REAP_EXITED, REAP_KILLED, REAP_STOPPED, REAP_CONTINUED };

struct reap_ev {
	pid_t		pid;
	enum reap_kind	kind;
	int		code;		/* exit code, or the signal */
	char		comm[COMM_MAX];	/* "" unless asked for */
	char		from[CONF_NAME_MAX + 1];	/* the entry it came from, or "" */
};

struct reap_cb {
	void	(*fn)(void *ctx, const struct reap_ev *ev);
	void	*ctx;
	bool	names;		/* read each child's name before reaping it... */
	pid_t	noname;		/* ...but this one's */
	/* With names: where it came from, asked while it is a zombie (or NULL). */
	void	(*owner)(void *ctx, pid_t pid, char *from, size_t len);
	void	*owner_ctx;
};

struct sys_child;

int	reap_all(const struct reap_cb *cb);
void	reap_child(const struct reap_cb *cb, const struct sys_child *c);
int	reap_status(const struct reap_ev *ev);
void	reap_describe(const struct reap_ev *ev, char *buf, unsigned len);

#endif
