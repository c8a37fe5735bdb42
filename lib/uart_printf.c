/* SPDX-License-Identifier: MIT */
#include <stdarg.h>

#include <lib/fmt.h>
#include <lib/pl011.h>
#include <lib/uart_printf.h>

void uart_printf(uintptr_t base, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((unsigned int)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	pl011_write(base, buf, (size_t)n);
}
