/* What the output pipes' unit tests share: PID 1's loop, run by hand over real pipes. */
#ifndef REAPER_FAKE_LOOP_H
#define REAPER_FAKE_LOOP_H

#include <poll.h>

#include "fake_sys.h"
#include "limits.h"
#include "loop.h"

/* Sleep (at most 5 s) until a pipe of l has news, then one round of PID 1's loop. */
static inline void
fake_round(struct loop *l)
{
	struct pollfd pfd[KLOG_PIPES_MAX];
	int fds[KLOG_PIPES_MAX], n, i;

	n = loop_fds(l, fds, KLOG_PIPES_MAX);
	for (i = 0; i < n; i++) {
		pfd[i].fd = fds[i];
		pfd[i].events = POLLIN;
	}
	assert_true(poll(pfd, (nfds_t)n, 5000) > 0);
	fake_now = 0;
	loop_once(l);
}

/* PID 1's loop, cut short: until every pipe is at its end (and off the loop). */
static inline void
fake_drain(struct loop *l)
{
	int fds[KLOG_PIPES_MAX], rounds;

	for (rounds = 0; rounds < 100000; rounds++) {
		if (loop_fds(l, fds, KLOG_PIPES_MAX) == 0)
			return;
		fake_round(l);
	}
	fail_msg("pipes never ended");
}

#endif
