/*
 * Splitting config text into words. Blanks separate words; '...' is
 * literal; "..." takes \" and \\; outside quotes a backslash takes the
 * next character as it is, and a backslash before a newline joins the
 * next line; '#' outside quotes starts a comment. No expansion of any kind.
 */
#include <string.h>

#include "word.h"

void
word_init(struct word_src *src, const char *text, size_t len)
{
	src->text = text;
	src->len = len;
	src->pos = 0;
	src->line = 1;
}

struct word_cur {
	struct word_src		*src;
	struct word_line	*wl;
	size_t			out;	/* bytes used in wl->buf */
	int			inword;
	size_t			limit;	/* where the entry gets too long */
};

/*
 * Take the byte at pos (counting lines here, so an error cannot skip one);
 * refuse the entry once it passes CONF_LINE_MAX.
 */
static int
word_adv(struct word_cur *c)
{
	if (c->src->pos + 1 > c->limit) {	/* refused, and not taken */
		c->wl->err = "line too long";
		return -1;
	}
	if (c->src->text[c->src->pos++] == '\n')
		c->src->line++;
	return 0;
}

static int
word_peek(const struct word_cur *c)
{
	return c->src->pos < c->src->len ? (unsigned char)c->src->text[c->src->pos] : -1;
}

/* Append one byte to the current word, starting a word if needed. */
static int
word_put(struct word_cur *c, char ch)
{
	struct word_line *wl = c->wl;

	if (!c->inword) {
		if (wl->nwords == CONF_WORDS_MAX) {
			wl->err = "too many words";
			return -1;
		}
		wl->words[wl->nwords++] = wl->buf + c->out;
		c->inword = 1;
	}
	if (c->out + 2 > sizeof(wl->buf)) {	/* room for ch and the NUL */
		wl->err = "line too long";
		return -1;
	}
	wl->buf[c->out++] = ch;
	return 0;
}

static void
word_end(struct word_cur *c)
{
	if (c->inword) {
		c->wl->buf[c->out++] = '\0';
		c->inword = 0;
	}
}

/* A quoted part, the opening quote already taken. */
static int
word_quoted(struct word_cur *c, int q)
{
	if (word_put(c, 'x') < 0)	/* '' is a word, even if empty */
		return -1;
	c->out--;
	for (;;) {
		int ch = word_peek(c);
		if (ch < 0 || ch == '\n') {
			c->wl->err = "unterminated quote";
			return -1;
		}
		if (word_adv(c) < 0)
			return -1;
		if (ch == q)
			return 0;
		if (q == '"' && ch == '\\') {
			int nx = word_peek(c);

			if (nx == '"' || nx == '\\') {
				if (word_adv(c) < 0)
					return -1;
				ch = nx;
			} else if (nx == '\n') {	/* continuation */
				if (word_adv(c) < 0)
					return -1;
				continue;
			}
		}
		if (ch == '\0') {
			c->wl->err = "NUL byte";
			return -1;
		}
		if (word_put(c, (char)ch) < 0)
			return -1;
	}
}

/* Skip the rest of the entry after an error, continuations included. */
static void
word_skip(struct word_src *s)
{
	while (s->pos < s->len) {
		char ch = s->text[s->pos++];

		if (ch == '\n') {
			size_t b = s->pos >= 2 && s->text[s->pos - 2] == '\r' ? 3 : 2;

			s->line++;
			if (s->pos < b || s->text[s->pos - b] != '\\')
				return;
		}
	}
}

/* A comment runs to the end of the physical line. */
static int
word_comment(struct word_cur *c)
{
	int ch;

	while ((ch = word_peek(c)) >= 0 && ch != '\n')
		if (word_adv(c) < 0)
			return -1;
	return 0;
}

/* One unquoted character of a word, or a separator. */
static int
word_plain(struct word_cur *c, int ch)
{
	struct word_src *s = c->src;

	if (ch == ' ' || ch == '\t' || ch == '\r') {
		word_end(c);
		return 0;
	}
	if (ch == '\'' || ch == '"')
		return word_quoted(c, ch);
	if (ch == '\0') {
		c->wl->err = "NUL byte";
		return -1;
	}
	if (ch == '\\') {
		int nx = word_peek(c);

		if (nx < 0)
			return 0;
		if (nx == '\r' && s->pos + 1 < s->len && s->text[s->pos + 1] == '\n' &&
		    word_adv(c) < 0)	/* \ CR LF: a continuation too */
			return -1;
		nx = word_peek(c);
		if (word_adv(c) < 0)
			return -1;
		if (nx == '\n') {	/* continuation: the line goes on, as a blank */
			word_end(c);
			return 0;
		}
		ch = nx;
	}
	return word_put(c, (char)ch);
}

/*
 * The next entry's words; 1 when one was read (wl->err set if it was
 * refused, its words then meaningless), 0 at the end of the text.
 */
int
word_next(struct word_src *src, struct word_line *wl)
{
	struct word_cur c = { src, wl, 0, 0, 0 };

	for (;;) {
		int ch;

		wl->line = src->line;
		wl->nwords = 0;
		wl->err = NULL;
		c.out = 0;
		c.inword = 0;
		c.limit = src->pos + CONF_LINE_MAX;
		while ((ch = word_peek(&c)) >= 0 && ch != '\n') {
			if (word_adv(&c) < 0 ||
			    (ch == '#' ? word_comment(&c) : word_plain(&c, ch)) < 0) {
				wl->line = src->line;	/* where it went wrong */
				word_skip(src);
				return 1;
			}
			if (ch == '#')
				break;
		}
		word_end(&c);
		if (ch == '\n') {
			src->pos++;
			src->line++;
		}
		if (wl->nwords > 0)
			return 1;
		if (ch < 0)
			return 0;
	}
}

/*
 * The next token of *s, split on any byte of sep, as strtok_r does: empty
 * tokens are skipped, the separator after the token becomes '\0', and
 * *s moves past it. NULL when no token is left.
 */
char *
word_cut(char **s, const char *sep)
{
	char *tok;

	*s += word_span(*s, sep, true);
	if (**s == '\0')
		return NULL;
	tok = *s;
	*s += word_span(*s, sep, false);
	if (**s)
		*(*s)++ = '\0';
	return tok;
}

/*
 * How many bytes s starts with that are in set (in) or not in it (!in):
 * strspn and strcspn, without libc's two table-building copies.
 */
size_t
word_span(const char *s, const char *set, bool in)
{
	size_t n = 0;

	while (s[n] && (strchr(set, s[n]) != NULL) == in)
		n++;
	return n;
}
