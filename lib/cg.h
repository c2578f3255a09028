/* cgroup v2 text, pure: /proc/PID/cgroup, /proc/self/mountinfo, cgroup.events, paths. */
#ifndef REAPER_CG_H
#define REAPER_CG_H

#include <stdbool.h>
#include <stddef.h>

#define CG_PREFIX	"svc-"		/* an entry's cgroup: CG_PREFIX NAME */
#define CG_SELF		"reaper"	/* reaper's own leaf */

int	cg_proc_path(const char *text, char *out, size_t len);
int	cg_mount_dir(char *text, const char *path, char *dir, size_t len);
int	cg_under(const char *mnt, const char *root, const char *path, char *out, size_t len);
int	cg_entry_of(const char *base, const char *path, char *name, size_t len);
int	cg_populated(const char *text);
long	cg_key(const char *text, const char *key);

#endif
