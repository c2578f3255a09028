/* Services' output to the kernel log: a pipe per stream, cut into lines. */
#ifndef REAPER_KLOG_H
#define REAPER_KLOG_H

#include <stdbool.h>
#include <stddef.h>

#include "limits.h"

#define KLOG_INFO	6	/* stdout */
#define KLOG_WARN	4	/* stderr */

struct klogs;
struct loop;

struct klog {
	struct klogs	*set;		/* NULL: slot free */
	int	fd;			/* read end */
	int	lid;			/* its loop source */
	char	level;			/* '6' or '4' */
	char	name[CONF_NAME_MAX + 1];
	size_t	len;			/* bytes of line[] waiting for '\n' */
	bool	split;			/* a full line[] just went out */
	char	line[KLOG_LINE_MAX];
};

struct klogs {
	struct loop	*loop;
	int		dev;		/* the log device, opened when needed */
	char		path[KLOG_PATH_MAX + 1];
	bool		failed;		/* a write failed: said once */
	struct klog	*kl;		/* the caller's table of KLOG_PIPES_MAX */
};

void	klog_init(struct klogs *ks, struct loop *l, struct klog *tab);
void	klog_path(struct klogs *ks, const char *path);	/* default /dev/kmsg */
const char *klog_dev(const struct klogs *ks);
int	klog_dev_fd(const struct klogs *ks);
int	klog_pipe(struct klogs *ks, const char *name, int level);	/* write end, or -1 */
void	klog_flush(struct klogs *ks);

#endif
