/* The control socket: a few clients at once, one request each, never blocking. */
#ifndef REAPER_CTL_H
#define REAPER_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "limits.h"

struct ctl_client {
	int	fd;		/* -1: free */
	bool	may_change;	/* root, or in control-group */
	size_t	inlen;
	char	in[CTL_REQ_MAX];
	size_t	outoff;
	struct buf out;		/* set once the request is answered */
	bool	answered;
	int64_t	deadline;
};

/* Answers one request line: fills out, starting with the status digit. */
typedef void ctl_answer_fn(void *ctx, char *req, bool may_change, struct buf *out);

struct ctl {
	int		lfd;	/* -1: no socket */
	gid_t		gid;	/* control-group, or (gid_t)-1 */
	int64_t		resume;	/* accept failed hard: listen again then */
	char		path[108];	/* the socket this reaper made */
	struct ctl_client cl[CTL_CLIENTS_MAX];
};

void	ctl_init(struct ctl *c);
int	ctl_open(struct ctl *c, const char *path, const char *group);
int	ctl_fds(const struct ctl *c, void *pfds, int at);
void	ctl_work(struct ctl *c, const void *pfds, int at, int64_t now,
	    ctl_answer_fn *fn, void *ctx);
int64_t	ctl_deadline(const struct ctl *c);
int	ctl_fd(const struct ctl *c);
int	ctl_keep(const struct ctl *c, int *fds, int max);
void	ctl_close(struct ctl *c);

#endif
