/* Where the control socket is when set control= is not written: /run/reaper.sock, else a per-user one. */
#ifndef REAPER_CTLPATH_H
#define REAPER_CTLPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "limits.h"

struct ctl;

/* What lstat said of a folder: err 0 with its type and mode, and owner; or lstat's errno. */
struct ctlpath_st {
	int		err;
	unsigned	mode;		/* st_mode: type and permissions */
	uid_t		uid;
};

/* What the choice is made from: the process's euid and environment, and three lstats. */
struct ctlpath_in {
	uid_t		euid;
	const char	*xdg;		/* $XDG_RUNTIME_DIR, or NULL */
	struct ctlpath_st xdg_st;	/* its lstat, when it is absolute */
	struct ctlpath_st tmp_st;	/* /tmp/reaper-EUID's */
	struct ctlpath_st root_st;	/* /tmp's own */
};

enum ctlpath_how {
	CP_USE,		/* path is ready to bind or connect to */
	CP_MAKE,	/* its folder dir is to be made first (mode 0700) */
	CP_REFUSE,	/* no per-user socket: why says */
};

#define CTLPATH_TRIES	2	/* reaperctl's: $XDG_RUNTIME_DIR's, /tmp/reaper-EUID's */

struct ctlpath {
	enum ctlpath_how how;
	bool	xdg;		/* in $XDG_RUNTIME_DIR, not /tmp/reaper-EUID */
	char	path[CTL_PATH_MAX];	/* the socket */
	char	dir[CTL_PATH_MAX];	/* its folder */
	char	why[CTL_WHY_MAX];	/* CP_REFUSE: "/tmp/reaper-1000 is a symlink" */
};

void	ctlpath_tmpdir(uid_t euid, char *dir, size_t len);
void	ctlpath_choose(const struct ctlpath_in *in, struct ctlpath *cp);
bool	ctlpath_falls_back(int err, bool connecting);
int	ctlpath_find(struct ctlpath *cp);
int	ctlpath_open(struct ctl *c, const char *group);
int	ctlpath_connect(const char **used, int *rc);

#endif
