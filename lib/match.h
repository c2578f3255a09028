/* A file name against an include line's glob: fnmatch(3) with FNM_PERIOD, in bytes. */
#ifndef REAPER_MATCH_H
#define REAPER_MATCH_H

#include <stdbool.h>

bool	match_name(const char *glob, const char *name);

#endif
