/* Descendants: every process below reaper, to be signalled at the end. */
#ifndef REAPER_DESC_H
#define REAPER_DESC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct desc_proc {
	pid_t	pid;
	pid_t	ppid;
};

int	desc_mark(struct desc_proc *p, int n, pid_t root, unsigned char *mark);
int	desc_find(const struct desc_proc *p, int n, pid_t pid);
void	desc_sort(void *base, size_t n, size_t size,
	    int (*cmp)(const void *, const void *));
int	desc_stat(pid_t pid, pid_t *ppid, char *comm, size_t len);
int	desc_each(void (*fn)(void *ctx, pid_t pid), void *ctx);
int	desc_signal(pid_t self, bool pid1, int sig);

#endif
