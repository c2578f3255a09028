/* Users and groups from /etc/passwd and /etc/group: no NSS, no allocation. */
#ifndef REAPER_IDS_H
#define REAPER_IDS_H

#include <stdbool.h>
#include <sys/types.h>

#include "limits.h"
#include "sys.h"	/* struct ids: what sys_ids gives the kernel */

#define IDS_PASSWD	"/etc/passwd"
#define IDS_GROUP	"/etc/group"

int	ids_get(const char *passwd, const char *group, const char *user,
	    const char *grp, struct ids *out);

#endif
