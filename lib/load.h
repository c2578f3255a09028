/* Reading a config file into a fixed buffer, and reporting its errors. */
#ifndef REAPER_LOAD_H
#define REAPER_LOAD_H

#include "conf.h"

int	load_conf(const char *path, struct conf *c);
void	load_report(const char *path, const struct conf *c);

#endif
