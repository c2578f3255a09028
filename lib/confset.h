/* The config parser's set lines (confset.c), for conf.c only. */
#ifndef REAPER_CONFSET_H
#define REAPER_CONFSET_H

#include "conftypes.h"
#include "word.h"

int	conf_set(struct conf *c, const struct word_line *wl);
void	conf_set_init(struct conf *c);

#endif
