/* failure-action=: what an entry that fails for good asks of the whole system. */
#ifndef REAPER_FAILACT_H
#define REAPER_FAILACT_H

#include <stdbool.h>
#include <stdint.h>

struct run;

bool	failact_take(struct run *r, int64_t now);

#endif
