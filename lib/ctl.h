/*
 * The control socket: a few clients at once, one request each, never
 * blocking. A request may be parked (reaperctl wait): asked again after
 * every wake-up until it is answered. An answer may be followed (reaperctl
 * events --follow): the client is then sent each event as it is recorded.
 */
#ifndef REAPER_CTL_H
#define REAPER_CTL_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "buf.h"
#include "limits.h"

struct ctl;
struct loop;

/* What comes after an answer: nothing, or every event from then on. */
enum ctl_follow { CTL_ONCE, CTL_FOLLOW_TEXT, CTL_FOLLOW_JSON };

struct ctl_client {
	struct ctl *c;
	int	fd;		/* -1: free */
	int	lid;		/* its loop source */
	bool	may_change;	/* root, or in control-group */
	size_t	inlen;		/* once the line is whole: its length with the NUL */
	char	in[CTL_REQ_MAX];
	size_t	outoff;
	struct buf out;		/* set once the request is answered */
	bool	answered;
	bool	parked;		/* asked, not answered yet: asked again by ctl_recheck */
	enum ctl_follow follow;	/* answered, and sent each event from then on */
	unsigned long missed;	/* a follower's events not sent for want of room */
	int64_t	deadline;	/* -1: none (a parked request with no time limit, a follower) */
};

/* One request, as the answer function is given it each time it is asked. */
struct ctl_req {
	char	*line;		/* a fresh copy of the line each time: the fn may cut it up */
	bool	may_change;	/* root, or in control-group */
	bool	late;		/* parked, and its time is up: answer now */
	int64_t	now;
	int64_t	until;		/* set by the fn when it parks: answer by then; -1 never */
	enum ctl_follow follow;	/* set by the fn with its answer: then the events as they come */
};

/*
 * Answers one request into out, starting with the status digit, and
 * returns true; or returns false to park it (what it wrote is dropped):
 * it is asked again after every wake-up, and at until with late set,
 * when it must answer. With follow set, the event ring goes after the
 * answer, then each new event, until the client goes away.
 */
typedef bool ctl_answer_fn(void *ctx, struct ctl_req *q, struct buf *out);

struct ctl {
	struct loop	*loop;
	ctl_answer_fn	*fn;
	void		*ctx;
	int		lfd;	/* -1: no socket */
	int		lid;	/* the listener's loop source */
	gid_t		gid;	/* control-group, or (gid_t)-1 */
	uid_t		uid;	/* reaper's own: its peers may change things too */
	int64_t		resume;	/* accept failed hard: listen again then */
	char		path[CTL_PATH_MAX];	/* the socket this reaper made, or "" */
	struct ctl_client cl[CTL_CLIENTS_MAX];
};

void	ctl_init(struct ctl *c, struct loop *l, ctl_answer_fn *fn, void *ctx);
int	ctl_open(struct ctl *c, const char *path, const char *group);
gid_t	ctl_gid(const char *group);
int	ctl_listen(struct ctl *c, const char *path, gid_t gid, const char *group);
int	ctl_adopt(struct ctl *c, int fd, bool may_change, int64_t now);
void	ctl_recheck(struct ctl *c, int64_t now);
void	ctl_close(struct ctl *c);

#endif
