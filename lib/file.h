/* Reading a small file whole: a config, /proc/cmdline, /proc/PID/stat. */
#ifndef REAPER_FILE_H
#define REAPER_FILE_H

#include <stddef.h>
#include <sys/types.h>

ssize_t	file_read(const char *path, char *buf, size_t len);	/* a regular file only */
const char *file_strerror(int err);
int	file_write(const char *path, const char *text);

#endif
