/* env-file=: Docker's --env-file lines, parsed, and read at each start of an entry. */
#ifndef REAPER_ENVFILE_H
#define REAPER_ENVFILE_H

#include <stddef.h>

#include "conftypes.h"

int	envfile_parse(char *text, size_t len, char *const *env, const char **vars, int *n,
	    int max, int *line, const char **why);
int	envfile_read(const struct conf_entry *e, char *const *env, const char **vars,
	    char *msg, size_t msglen);

#endif
