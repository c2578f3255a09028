/* Reload: whether an entry of the new config is the same as the old one. */
#ifndef REAPER_RELOAD_H
#define REAPER_RELOAD_H

#include <stdbool.h>

#include "conf.h"

bool	reload_same(const struct conf_entry *a, const struct conf_entry *b);

#endif
