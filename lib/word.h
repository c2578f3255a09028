/* Splitting config text into words: quotes, escapes, comments, continuations. */
#ifndef REAPER_WORD_H
#define REAPER_WORD_H

#include <stdbool.h>
#include <stddef.h>

#include "limits.h"

struct word_line {
	int	line;			/* where the entry starts, or went wrong */
	int	nwords;
	char	*words[CONF_WORDS_MAX];
	char	buf[CONF_LINE_MAX + CONF_WORDS_MAX];	/* the words, unquoted */
	const char *err;		/* why the line was refused, or NULL */
};

struct word_src {
	const char	*text;
	size_t		len;
	size_t		pos;
	int		line;		/* physical line at pos */
};

void	word_init(struct word_src *src, const char *text, size_t len);
int	word_next(struct word_src *src, struct word_line *wl);
char	*word_cut(char **s, const char *sep);
size_t	word_span(const char *s, const char *set, bool in);

#endif
