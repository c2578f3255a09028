/* The bench helpers' one clock: CLOCK_MONOTONIC in nanoseconds. */
#ifndef REAPER_BENCH_CLOCK_H
#define REAPER_BENCH_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline int64_t
now_ns(void)
{
	struct timespec ts;

	(void)clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

#endif
