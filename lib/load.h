/* Reading a config file into a fixed buffer, and reporting its errors. */
#ifndef REAPER_LOAD_H
#define REAPER_LOAD_H

#include <stdint.h>
#include <sys/types.h>

#include "conf.h"

struct run;

ssize_t	load_text(const char *path, char *buf, size_t len);
int	load_conf(const char *path, struct conf *c);
void	load_report(const char *path, const struct conf *c);
int	load_reload(struct run *r, const char *path, struct conf *spare, int64_t now);

#endif
