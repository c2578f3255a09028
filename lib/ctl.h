/* The control socket: a few clients at once, one request each, never blocking. */
#ifndef REAPER_CTL_H
#define REAPER_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "limits.h"

struct ctl;
struct loop;

struct ctl_client {
	struct ctl *c;
	int	fd;		/* -1: free */
	int	lid;		/* its loop source */
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
	struct loop	*loop;
	ctl_answer_fn	*fn;
	void		*ctx;
	int		lfd;	/* -1: no socket */
	int		lid;	/* the listener's loop source */
	gid_t		gid;	/* control-group, or (gid_t)-1 */
	int64_t		resume;	/* accept failed hard: listen again then */
	char		path[108];	/* the socket this reaper made */
	struct ctl_client cl[CTL_CLIENTS_MAX];
};

void	ctl_init(struct ctl *c, struct loop *l, ctl_answer_fn *fn, void *ctx);
int	ctl_open(struct ctl *c, const char *path, const char *group);
int	ctl_adopt(struct ctl *c, int fd, bool may_change, int64_t now);
void	ctl_close(struct ctl *c);

#endif
