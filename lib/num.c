/* Numbers and durations from text: whole decimal numbers, checked for overflow. */
#include <string.h>

#include "limits.h"
#include "num.h"

/* Parse the leading digits of s; *end is left on the first non-digit. */
static int
num_digits(const char *s, unsigned long max, unsigned long *out, const char **end)
{
	unsigned long n = 0;

	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (n > (max - d) / 10)
			return -1;
		n = n * 10 + d;
	}
	*out = n;
	*end = s;
	return 0;
}

/* A whole decimal number from 0 to max, and nothing else; 0 or -1. */
int
num_ulong(const char *s, unsigned long max, unsigned long *out)
{
	const char *end;

	if (num_digits(s, max, out, &end) < 0 || *end != '\0')
		return -1;
	return 0;
}

/* "500ms", "3s", "2m", "1h", or a bare number of seconds, into ms. */
int
num_duration(const char *s, int64_t *ms)
{
	static const struct {
		const char	*unit;
		unsigned long	ms;
	} units[] = {
		{ "", 1000 }, { "ms", 1 }, { "s", 1000 },
		{ "m", 60000 }, { "h", 3600000 },
	};
	const unsigned long max = (unsigned long)DURATION_MAX_MS;
	unsigned long n;
	const char *end;
	size_t i;

	if (num_digits(s, max, &n, &end) < 0)
		return -1;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(end, units[i].unit) != 0)
			continue;
		if (n > max / units[i].ms)
			return -1;
		*ms = (int64_t)(n * units[i].ms);
		return 0;
	}
	return -1;
}

/*
 * A size: bytes, or with K, M or G (1024, 1024^2, 1024^3), at most max
 * bytes. unsigned long is 64 bits on every target reaper builds for.
 */
int
num_size(const char *s, unsigned long max, unsigned long *out)
{
	static const char units[] = "KMG";
	unsigned long n, mult = 1;
	const char *end;

	if (num_digits(s, max, &n, &end) < 0)
		return -1;
	if (*end != '\0') {
		const char *u = strchr(units, *end);

		if (end[1] != '\0' || u == NULL)
			return -1;
		mult = 1UL << (10 * (u - units + 1));
	}
	if (n > max / mult)
		return -1;
	*out = n * mult;
	return 0;
}

/* The earlier of two deadlines, where -1 means none. */
int64_t
num_earliest(int64_t a, int64_t b)
{
	return a < 0 || (b >= 0 && b < a) ? b : a;
}
