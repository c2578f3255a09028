/* The dependency graph consulted by the supervisor: what to stop and start now. */
#ifndef REAPER_PLAN_H
#define REAPER_PLAN_H

#include <stdbool.h>
#include <stdint.h>

#include "graph.h"

struct run;
struct svc;

enum graph_st plan_st(const struct svc *s);
void	plan_states(const struct run *r, enum graph_st *st);
void	plan_step(struct run *r, bool starts, int64_t now);
uint64_t plan_failed(const struct run *r);
bool	plan_stopping(const struct run *r);

#endif
