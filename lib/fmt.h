/* A small snprintf: only the conversions reaper uses, so libc's printf stays out. */
#ifndef REAPER_FMT_H
#define REAPER_FMT_H

#include <stdarg.h>
#include <stddef.h>

int	fmt_print(char *dst, size_t len, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	fmt_vprint(char *dst, size_t len, const char *fmt, va_list ap)
	    __attribute__((format(printf, 3, 0)));

#endif
