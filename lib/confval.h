/* The config parser's shared pieces (confval.c), for conf.c and confset.c only. */
#ifndef REAPER_CONFVAL_H
#define REAPER_CONFVAL_H

#include "conftypes.h"

__attribute__((format(printf, 3, 4)))
int	conf_error(struct conf *c, int line, const char *fmt, ...);
const char *conf_str(struct conf *c, const char *s);
int	conf_word(const char *v, const char *const *words, int n);
int	conf_ident(const char *v);
void	conf_deps(struct conf *c);

#endif
