/*
 * A small snprintf. Conversions: d i u x o c s %, with the flags '-' and '0',
 * a width (digits or '*'), a precision for s only ('.N' or '.*'), and the
 * length modifiers l and ll. Like snprintf, the text is cut to fit len
 * (always NUL-terminated when len > 0) and the return value is the length
 * the whole text would have had, so callers see overflow.
 */
#include <stdbool.h>

#include "fmt.h"

struct fmt_out {
	char	*p;
	size_t	len;
	size_t	n;		/* bytes the whole text needs so far */
};

static void
fmt_put(struct fmt_out *o, char ch)
{
	if (o->n + 1 < o->len)
		o->p[o->n] = ch;
	o->n++;
}

/* s (n bytes) in a field of width; a '-' sign stays left of zero padding. */
static void
fmt_field(struct fmt_out *o, const char *s, size_t n, int width, bool left, char pad)
{
	size_t k = width > 0 && (size_t)width > n ? (size_t)width - n : 0;

	if (pad == '0' && n > 0 && *s == '-') {
		fmt_put(o, *s++);
		n--;
	}
	while (!left && k-- > 0)
		fmt_put(o, pad);
	while (n-- > 0)
		fmt_put(o, *s++);
	while (left && k-- > 0)
		fmt_put(o, ' ');
}

/* The digits of v (with a '-' if neg) at the end of buf; returns the start. */
static char *
fmt_num(char *end, unsigned long long v, unsigned base, bool neg)
{
	char *p = end;

	do
		*--p = "0123456789abcdef"[v % base];
	while ((v /= base) != 0);
	if (neg)
		*--p = '-';
	return p;
}

/* A width or precision: digits, or '*' taken from the arguments. */
static int
fmt_count(const char **f, va_list *ap)
{
	int n = 0;

	if (**f == '*') {
		(*f)++;
		return va_arg(*ap, int);
	}
	while (**f >= '0' && **f <= '9')
		n = n * 10 + (*(*f)++ - '0');
	return n;
}

/* One integer conversion: the argument, as wide as the length modifier says. */
static char *
fmt_int(char *end, char conv, int longs, va_list *ap)
{
	unsigned long long u;
	bool neg = false;

	if (conv == 'd' || conv == 'i') {
		long long s = longs == 2 ? va_arg(*ap, long long) :
		    longs == 1 ? va_arg(*ap, long) : va_arg(*ap, int);
		neg = s < 0;
		u = neg ? 0ULL - (unsigned long long)s : (unsigned long long)s;
	} else {
		u = longs == 2 ? va_arg(*ap, unsigned long long) :
		    longs == 1 ? va_arg(*ap, unsigned long) : va_arg(*ap, unsigned);
	}
	return fmt_num(end, u, conv == 'x' ? 16 : conv == 'o' ? 8 : 10, neg);
}

/* One conversion after its '%'; f points past the conversion character after it. */
static void
fmt_conv(struct fmt_out *o, const char **f, va_list *ap)
{
	char num[24], *s, pad = ' ';
	int width, prec = -1, longs = 0;
	bool left = false;
	size_t n;

	for (;; (*f)++) {
		if (**f == '-')
			left = true;
		else if (**f == '0')
			pad = '0';
		else
			break;
	}
	if ((width = fmt_count(f, ap)) < 0) {	/* as printf: a '-' flag */
		left = true;
		width = -width;
	}
	if (**f == '.') {
		(*f)++;
		prec = fmt_count(f, ap);
	}
	while (**f == 'l' && longs < 2) {
		(*f)++;
		longs++;
	}
	if (left)
		pad = ' ';
	switch (*(*f)++) {
	case 's':
		s = va_arg(*ap, char *);
		for (n = 0; (prec < 0 || n < (size_t)prec) && s[n]; n++)
			;
		fmt_field(o, s, n, width, left, ' ');
		return;
	case 'c':
		num[0] = (char)va_arg(*ap, int);
		fmt_field(o, num, 1, width, left, ' ');
		return;
	case 'd': case 'i': case 'u': case 'x': case 'o':
		s = fmt_int(num + sizeof(num), (*f)[-1], longs, ap);
		fmt_field(o, s, (size_t)(num + sizeof(num) - s), width, left, pad);
		return;
	case '%':
		fmt_put(o, '%');
		return;
	default:		/* not one of ours (-Wformat keeps them out) */
		(*f)--;
		fmt_put(o, '%');
		return;
	}
}

int
fmt_vprint(char *dst, size_t len, const char *fmt, va_list ap)
{
	struct fmt_out o = { dst, len, 0 };
	va_list aq;

	va_copy(aq, ap);	/* a va_list passed on by address must be a copy */
	while (*fmt) {
		if (*fmt != '%')
			fmt_put(&o, *fmt++);
		else if (*++fmt)
			fmt_conv(&o, &fmt, &aq);
	}
	va_end(aq);
	if (len > 0)
		dst[o.n < len ? o.n : len - 1] = '\0';
	return o.n > 0x7fffffff ? 0x7fffffff : (int)o.n;
}

int
fmt_print(char *dst, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vprint(dst, len, fmt, ap);
	va_end(ap);
	return n;
}
