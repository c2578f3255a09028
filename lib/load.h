/* Reading a config file into a fixed buffer, and reporting its errors. */
#ifndef REAPER_LOAD_H
#define REAPER_LOAD_H

#include "conf.h"

#include <sys/types.h>

ssize_t	load_text(const char *path, char *buf, size_t len);
int	load_conf(const char *path, struct conf *c);
void	load_report(const char *path, const struct conf *c);

#endif
