/* SPDX-License-Identifier: MIT */
/*
 * Emulated PL011 transmit side: each guest's and each TEE's console becomes
 * whole lines on the real UART, prefixed with its name.
 */
#include <string.h>

#include <lib/console.h>

#include "hyp.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTFR_RXFE (1U << 4)

void vuart_init(struct vuart *u, const char *prefix)
{
	size_t n = strnlen(prefix, sizeof(u->prefix) - 1);

	memcpy(u->prefix, prefix, n);
	u->prefix[n] = '\0';
	u->len = 0;
}

static void vuart_flush(struct vuart *u)
{
	con_emit_line(u->prefix, u->line, u->len);
	u->len = 0;
}

uint64_t vuart_access(struct vuart *u, uint64_t offset, bool is_write, uint64_t value)
{
	if (!is_write)
		return offset == UARTFR ? UARTFR_RXFE : 0;
	if (offset != UARTDR)
		return 0;
	char c = (char)(value & 0xff);

	if (c == '\r')
		return 0;
	if (c == '\n') {
		vuart_flush(u);
		return 0;
	}
	u->line[u->len++] = c;
	if (u->len == sizeof(u->line))
		vuart_flush(u);
	return 0;
}
