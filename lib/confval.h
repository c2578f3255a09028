/* The config parser's shared pieces, for its parts only (conf.c, confset.c, confinc.c). */
#ifndef REAPER_CONFVAL_H
#define REAPER_CONFVAL_H

#include "conftypes.h"
#include "word.h"

__attribute__((format(printf, 3, 4)))
int	conf_error(struct conf *c, int line, const char *fmt, ...);
const char *conf_str(struct conf *c, const char *s);
const char *conf_str_rel(struct conf *c, const char *path);
int	conf_word(const char *v, const char *const *words, int n);
int	conf_ident(const char *v);
void	conf_deps(struct conf *c);
int	conf_entry(struct conf *c, const struct word_line *wl);	/* conf.c */

#endif
