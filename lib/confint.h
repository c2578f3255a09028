/* Between the parts of the config parser (conf.c, confset.c); not for other modules. */
#ifndef REAPER_CONFINT_H
#define REAPER_CONFINT_H

#include "conf.h"
#include "word.h"

__attribute__((format(printf, 3, 4)))
int	conf_error(struct conf *c, int line, const char *fmt, ...);
const char *conf_str(struct conf *c, const char *s);
int	conf_word(const char *v, const char *const *words, int n);
int	conf_ident(const char *v);
int	conf_set(struct conf *c, const struct word_line *wl);
void	conf_set_init(struct conf *c);

#endif
