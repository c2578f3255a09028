/* An answer being written: a fixed buffer that is cut, and says so, when full. */
#ifndef REAPER_BUF_H
#define REAPER_BUF_H

#include <stdbool.h>
#include <stddef.h>

struct buf {
	char	*p;
	size_t	len;
	size_t	cap;
	bool	cut;
};

void	buf_init(struct buf *b, char *mem, size_t cap);
void	buf_add(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	buf_json(struct buf *b, const char *s);
void	buf_reset(struct buf *b);
void	buf_text(struct buf *b, const char *s);

#endif
