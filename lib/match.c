/*
 * include PATTERN's last component against the names of one folder: '*',
 * '?', '[...]' (ranges, '!' or '^' to negate), '\' quoting the next byte,
 * and a leading '.' matched only by a '.' written there, as fnmatch(3)
 * with FNM_PERIOD. Bytes, not characters: musl's fnmatch brings the wide
 * character class tables (12 KB of the static binary) for the [[:alpha:]]
 * classes a drop-in folder never needs; a '[:' here is just two bytes.
 *
 * No recursion: on a mismatch after '*', the star takes one byte more and
 * the rest is tried again from there (only the last star needs retrying).
 */
#include <stddef.h>

#include "match.h"

/*
 * The bracket expression at g (just after '['), against byte ch: 1 it
 * matches, 0 it does not, with *end just past its ']'; -1 when it has no
 * ']': then the '[' is an ordinary byte.
 */
static int
match_bracket(const char *g, unsigned char ch, const char **end)
{
	const char *p = g, *first;
	int neg = 0, hit = 0;

	if (*p == '!' || *p == '^') {
		neg = 1;
		p++;
	}
	/* A ']' first is an ordinary byte, and may start a range: []-z] */
	for (first = p; *p && (*p != ']' || p == first);) {
		unsigned char lo = (unsigned char)*p, hi;

		if (lo == '\\' && p[1])
			lo = (unsigned char)*++p;
		p++;
		hi = lo;
		if (p[0] == '-' && p[1] && p[1] != ']') {
			p++;
			if (*p == '\\' && p[1])
				p++;
			hi = (unsigned char)*p++;
		}
		hit |= lo <= ch && ch <= hi;
	}
	if (*p != ']')
		return -1;
	*end = p + 1;
	return hit ^ neg;
}

/* One pattern byte (or bracket, or quoted byte) at *g against ch; *g moves past it. */
static bool
match_one(const char **g, unsigned char ch)
{
	const char *p = *g, *end;
	int r;

	if (*p == '?') {
		*g = p + 1;
		return true;
	}
	if (*p == '[' && (r = match_bracket(p + 1, ch, &end)) >= 0) {
		*g = end;
		return r == 1;
	}
	if (*p == '\\' && !*++p)
		return *g = p, false;	/* a backslash ending the glob: no match */
	*g = p + 1;
	return (unsigned char)*p == ch;
}

bool
match_name(const char *glob, const char *name)
{
	const char *g = glob, *n = name, *star_g = NULL, *star_n = NULL;

	if (*n == '.' && *g != '.' && !(g[0] == '\\' && g[1] == '.'))
		return false;	/* FNM_PERIOD: '*', '?' or '[.]' never take a leading dot */
	while (*n) {
		if (*g == '*') {
			while (*g == '*')
				g++;
			star_g = g;
			star_n = n;
			continue;
		}
		if (*g && match_one(&g, (unsigned char)*n)) {
			n++;
			continue;
		}
		if (!star_g)
			return false;
		g = star_g;		/* the last star takes one byte more */
		n = ++star_n;
	}
	while (*g == '*')
		g++;
	return *g == '\0';
}
