/* SPDX-License-Identifier: MIT */
/*
 * Polled PL011 transmit. No interrupts and no baud setup: QEMU's PL011
 * ignores the divisor, and firmware that came before us (or the reset
 * state) has the line settings we need.
 */
#include <lib/pl011.h>

#define UARTDR		0x000
#define UARTFR		0x018
#define UARTCR		0x030

#define UARTFR_TXFF	(1u << 5)	/* transmit FIFO full */

#define UARTCR_UARTEN	(1u << 0)
#define UARTCR_TXE	(1u << 8)
#define UARTCR_RXE	(1u << 9)

/* Device registers: volatile 32-bit accesses, never merged or split. */
static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	*(volatile uint32_t *)addr = v;
}

static inline uint32_t mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

void pl011_init(uintptr_t base)
{
	mmio_write32(base + UARTCR, UARTCR_UARTEN | UARTCR_TXE | UARTCR_RXE);
}

void pl011_putc(uintptr_t base, char c)
{
	while (mmio_read32(base + UARTFR) & UARTFR_TXFF)
		;
	mmio_write32(base + UARTDR, (unsigned char)c);
}

void pl011_write(uintptr_t base, const char *s, size_t n)
{
	for (; n; n--, s++) {
		/* Serial terminals want CRLF; callers just write '\n'. */
		if (*s == '\n')
			pl011_putc(base, '\r');
		pl011_putc(base, *s);
	}
}
