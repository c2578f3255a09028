/* Reload: the config file read again and, if it is whole and sound, taken on. */
#ifndef REAPER_RELOAD_H
#define REAPER_RELOAD_H

#include <stdint.h>

#include "conf.h"
#include "run.h"

int	reload_conf(struct run *r, const char *path, struct conf *spare, int64_t now);

#endif
