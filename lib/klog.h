/* Services' output cut into lines: to the kernel log, or prefixed to reaper's own stdout and stderr. */
#ifndef REAPER_KLOG_H
#define REAPER_KLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "limits.h"

#define KLOG_INFO	6	/* stdout */
#define KLOG_WARN	4	/* stderr */

struct conf;
struct klogs;
struct loop;

/* Where a pipe's lines go: a kernel log record, or "NAME | text" on fd 1 or 2. */
enum klog_sink { KLOG_SINK_KMSG, KLOG_SINK_OUT, KLOG_SINK_ERR };

struct klog {
	struct klogs	*set;		/* NULL: slot free */
	int	fd;			/* read end */
	int	lid;			/* its loop source */
	enum klog_sink sink;
	char	level;			/* kmsg: '6' or '4' */
	int	colour;			/* prefix: its entry's index in the config */
	char	name[CONF_NAME_MAX + 1];
	size_t	len;			/* bytes of line[] waiting for '\n' */
	bool	split;			/* a full line[] just went out */
	bool	cont;			/* the next piece goes on a line already begun */
	char	line[KLOG_LINE_MAX];
};

/* A prefixed line's longest: colours, the name padded, " | ", the text, '\n'. */
#define KLOG_REC_MAX	(KLOG_LINE_MAX + 2 * CONF_NAME_MAX + 16)

/*
 * fd 1 or 2 as a sink of prefixed lines. While it takes no write (a full
 * pipe), one line waits in rec[] and its pipes are not read; what the
 * last read brought and was not cut into lines yet waits in in[]. Both
 * go out first once it takes writes again, before any other read.
 */
struct klog_out {
	struct klogs	*set;
	int		fd;		/* 1 or 2 */
	int		lid;		/* its POLLOUT source while it waits, else -1 */
	bool		colour;		/* a terminal, and NO_COLOR unset or empty */
	size_t		off, len;	/* rec[off..len) to write; len 0: none */
	char		name[CONF_NAME_MAX + 1];	/* whose line rec is */
	char		rec[KLOG_REC_MAX];
	struct klog	*held;		/* the pipe in[in_off..in_len) came from, or NULL */
	size_t		in_off, in_len;
	char		in[KLOG_READ_MAX];	/* reads of this sink's pipes */
};

struct klogs {
	struct loop	*loop;
	int		dev;		/* the log device, opened when needed */
	char		path[KLOG_PATH_MAX + 1];
	bool		failed[3];	/* a write to that sink failed: said once */
	int64_t		said[3];	/* when a lost line was last said; -1: never */
	bool		flushing;	/* in klog_flush: wait for fds 1 and 2, a while */
	int64_t		until;		/* till then (from its first wait); -1: not set */
	struct klog_out	out[2];		/* prefix: stdout and stderr lines (fds 1, 2) */
	size_t		width;		/* prefix: names padded to this many bytes */
	const struct conf *conf;	/* the config at hand: entries' indexes */
	struct klog	*kl;		/* the caller's table of KLOG_PIPES_MAX */
};

void	klog_init(struct klogs *ks, struct loop *l, struct klog *tab);
void	klog_path(struct klogs *ks, const char *path);	/* default /dev/kmsg */
void	klog_conf(struct klogs *ks, const struct conf *c);
const char *klog_dev(const struct klogs *ks);
int	klog_dev_fd(const struct klogs *ks);
int	klog_pipe(struct klogs *ks, const char *name, int level);	/* write end, or -1 */
int	klog_prefix(struct klogs *ks, const char *name, int fd);	/* the same, to fd 1 or 2 */
void	klog_flush(struct klogs *ks);

#endif
