/* Signal names and numbers, as users write them. */
#ifndef REAPER_SIG_H
#define REAPER_SIG_H

#include <stdbool.h>
#include <stdint.h>

#define SIG_BIT(sig)	((uint64_t)1 << ((sig) - 1))

int		sig_parse(const char *s);	/* 1..64, or -1 */
const char	*sig_name(int sig, char *buf, unsigned len);
bool		sig_forwardable(int sig);

#endif
