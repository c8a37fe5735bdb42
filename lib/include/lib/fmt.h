/* SPDX-License-Identifier: MIT */
/*
 * Formatted printing into a buffer. Freestanding, no allocation, no
 * floating point. Supports %d %i %u %x %X %p %s %c %%, the flags '-' and
 * '0', a field width (also '*'), a precision for %s (also '.*'), and the
 * length modifiers hh h l ll z. Unknown conversions are printed verbatim.
 * Named fmt_* so host unit tests can link it next to the C library.
 */
#ifndef LIB_FMT_H
#define LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

/*
 * Like C's vsnprintf: writes at most size bytes including the NUL (when
 * size > 0) and returns the length the full output would have had.
 */
int fmt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
int fmt_snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* n bytes as 2n lower-case hex digits and a NUL: out holds 2n + 1 bytes. */
void fmt_hex(const void *bytes, size_t n, char *out);

#endif
