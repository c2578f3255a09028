/* Users and groups from /etc/passwd and /etc/group: no NSS, no allocation. */
#ifndef REAPER_IDS_H
#define REAPER_IDS_H

#include <stdbool.h>
#include <sys/types.h>

#include "limits.h"

#define IDS_PASSWD	"/etc/passwd"
#define IDS_GROUP	"/etc/group"

/* What a process drops to: groups, then gid, then uid (when user is set). */
struct ids {
	bool	user;
	uid_t	uid;
	gid_t	gid;
	int	ngroups;
	gid_t	groups[IDS_GROUPS_MAX];
};

int	ids_get(const char *passwd, const char *group, const char *user,
	    const char *grp, struct ids *out);

#endif
