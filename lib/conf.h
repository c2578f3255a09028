/* The config file, parsed: a pure function from text to entries and errors. */
#ifndef REAPER_CONF_H
#define REAPER_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "conftypes.h"

int	conf_parse(struct conf *c, const char *text, size_t len);
int	conf_parse_file(struct conf *c, const char *file, const char *text, size_t len);
int	conf_join(char *buf, size_t len, const char *dir, size_t dlen, const char *name);
int	conf_parse_hook(struct conf *c, const char *file, const char *text, size_t len,
	    const struct conf_hook *hook);
int	conf_find(const struct conf *c, const char *name);
bool	conf_same(const struct conf_entry *a, const struct conf_entry *b);
const char *conf_kind_name(enum conf_kind kind);
const char *conf_fa_name(enum conf_fa fa);

#endif
