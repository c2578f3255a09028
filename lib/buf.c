/* An answer being written into a fixed buffer; overflow cuts it and marks it. */
#include <stdarg.h>

#include "buf.h"
#include "fmt.h"

static const char buf_cut_mark[] = "\n... (cut: answer too long)\n";

void
buf_init(struct buf *b, char *mem, size_t cap)
{
	b->p = mem;
	b->len = 0;
	b->cap = cap - sizeof(buf_cut_mark);	/* room kept for the mark */
	b->cut = false;
	b->p[0] = '\0';
}

/* Empty again, to write another answer. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->cut = false;
	b->p[0] = '\0';
}

/* s for a terminal: control bytes become '?', so no name can forge a line. */
void
buf_text(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		buf_add(b, "%c", ch < 0x20 || ch == 0x7f ? '?' : ch);
	}
}

static void
buf_full(struct buf *b)
{
	if (b->cut)
		return;
	b->cut = true;
	b->len = b->cap;
	(void)fmt_print(b->p + b->len, sizeof(buf_cut_mark), "%s", buf_cut_mark);
	b->len += sizeof(buf_cut_mark) - 1;
}

void
buf_add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (b->cut)
		return;
	va_start(ap, fmt);
	n = fmt_vprint(b->p + b->len, b->cap - b->len + 1, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n > b->cap - b->len)
		buf_full(b);
	else
		b->len += (size_t)n;
}

/* s as a JSON string, quotes included; control bytes escaped. */
void
buf_json(struct buf *b, const char *s)
{
	buf_add(b, "\"");
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			buf_add(b, "\\%c", ch);
		else if (ch < 0x20 || ch >= 0x7f)	/* bytes past ASCII too: always valid JSON */
			buf_add(b, "\\u%04x", ch);
		else
			buf_add(b, "%c", ch);
	}
	buf_add(b, "\"");
}
