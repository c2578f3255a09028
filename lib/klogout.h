/* fds 1 and 2 as sinks of prefixed lines, never blocking PID 1: for klog.c only. */
#ifndef REAPER_KLOGOUT_H
#define REAPER_KLOGOUT_H

#include <stdbool.h>

#include "klog.h"
#include "loop.h"

void	klogout_init(struct klogs *ks);
void	klogout_lost(struct klogs *ks, enum klog_sink sink, const char *name);
bool	klogout_write(struct klog_out *o);	/* true: out or lost; false: it waits */
bool	klogout_busy(const struct klog_out *o);
bool	klogout_wait(struct klog_out *o, loop_fn *on_out);	/* false: it waits */
void	klogout_free(struct klog_out *o);

#endif
