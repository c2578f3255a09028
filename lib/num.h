/* Numbers and durations from text, strictly: no sign, no junk, no overflow. */
#ifndef REAPER_NUM_H
#define REAPER_NUM_H

#include <stdint.h>

int	num_ulong(const char *s, unsigned long max, unsigned long *out);
int	num_duration(const char *s, int64_t *ms);
int	num_size(const char *s, unsigned long max, unsigned long *out);
int64_t	num_earliest(int64_t a, int64_t b);

#endif
