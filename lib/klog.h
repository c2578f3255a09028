/* Services' output to the kernel log: a pipe per stream, cut into lines. */
#ifndef REAPER_KLOG_H
#define REAPER_KLOG_H

#include <poll.h>

#include "limits.h"

#define KLOG_INFO	6	/* stdout */
#define KLOG_WARN	4	/* stderr */

void	klog_path(const char *path);	/* the log device; default /dev/kmsg */
const char *klog_dev(void);
int	klog_pipe(const char *name, int level);	/* the write end, or -1 */
int	klog_fds(struct pollfd *pfd, int max);
void	klog_work(const struct pollfd *pfd, int n);
void	klog_flush(void);
int	klog_keep(int *fds, int max);

#endif
