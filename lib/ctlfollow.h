/* Followers of the control socket (events --follow), for lib/ctl.c. */
#ifndef REAPER_CTLFOLLOW_H
#define REAPER_CTLFOLLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "ctl.h"

struct evt;

void	ctlfollow_on_evt(void *ctx, const struct evt *e);
bool	ctlfollow_missed(struct ctl_client *cl);
void	ctlfollow_events(struct ctl_client *cl);
void	ctlfollow_start(struct ctl_client *cl, enum ctl_follow how, int64_t now);

/* ctl.c's, for the followers: the answer is in out, to be sent. */
void	ctl_answered(struct ctl_client *cl, int64_t now);

#endif
