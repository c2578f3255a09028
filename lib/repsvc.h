/* One entry's status, as text and as JSON (for lib/report.c). */
#ifndef REAPER_REPSVC_H
#define REAPER_REPSVC_H

#include <stdbool.h>
#include <stdint.h>

#include "buf.h"
#include "cgroup.h"
#include "svc.h"

void	repsvc_text(struct buf *b, const struct svc *s, int64_t now, const struct cgroups *cg);
void	repsvc_json(struct buf *b, const struct svc *s, int64_t now, bool first,
	    const struct cgroups *cg);

#endif
