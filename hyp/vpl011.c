/* SPDX-License-Identifier: MIT */
/*
 * Emulated PL011 (see vpl011.h).
 *
 * TX interrupt. The TX FIFO is always empty, so it is always at or below
 * any trigger level: TXRIS is set at reset and again after every DR
 * write, and cleared only by ICR (as QEMU's model and the PL011 TRM: the
 * condition re-asserts when the level is crossed, i.e. by the next
 * write). Linux's amba-pl011 writes characters directly while FR.TXFF is
 * clear (never set here), and only unmasks TXIM when it could not write
 * everything; its interrupt handler then writes up to half a FIFO per
 * pass, each write re-asserting TXRIS, and masks TXIM when its buffer is
 * empty: interrupt-driven TX always makes progress and never stalls.
 * Linux's handler does not clear TXIS through ICR (it relies on the
 * FIFO filling), which is why a DR write must set it again rather than
 * leave it clear.
 *
 * RX. RXRIS is the level "FIFO at or above the RX trigger" (one byte
 * with the FIFO disabled); RTRIS (receive timeout) is set when a byte
 * arrives (the hypervisor delivers input in bursts, so "no more data for
 * 32 bit periods" is taken as true at once) and cleared when the FIFO is
 * emptied or by ICR.
 *
 * The enable bits (CR.UARTEN/TXE/RXE) do not gate anything, as in QEMU:
 * bare-metal guests and early consoles write DR before enabling it.
 */
#include <string.h>

#include "vpl011.h"

#define UARTDR 0x000
#define UARTRSR 0x004 /* write: UARTECR */
#define UARTFR 0x018
#define UARTILPR 0x020
#define UARTIBRD 0x024
#define UARTFBRD 0x028
#define UARTLCR_H 0x02c
#define UARTCR 0x030
#define UARTIFLS 0x034
#define UARTIMSC 0x038
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define UARTICR 0x044
#define UARTDMACR 0x048
#define UART_IDREGS 0xfe0

#define FR_BUSY (1U << 3)
#define FR_RXFE (1U << 4)
#define FR_TXFF (1U << 5)
#define FR_RXFF (1U << 6)
#define FR_TXFE (1U << 7)

#define LCR_H_FEN (1U << 4)
#define CR_LBE (1U << 7)
#define CR_RESET 0x300	/* TXE | RXE */
#define IFLS_RESET 0x12 /* both triggers at 1/2 */
#define DR_OE (1U << 11)
#define RSR_OE (1U << 3)

/* PeriphID0-3, CellID0-3: QEMU's "arm" variant, PL011 r1p5. */
static const uint8_t pl011_ids[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

/* ------------------------------------------------------------ output */

void vpl011_flush(struct vpl011 *u)
{
	if (!u || u->len == u->prefix_len)
		return;
	if (u->emit)
		u->emit(u->priv, u->line, u->len);
	u->len = u->prefix_len;
}

/* One byte the guest sent: lines are split at '\n' or when too long; a
 * guest must not be able to send terminal control sequences to whoever
 * reads the host console, so only printable ASCII and TAB are kept. */
static void tx_byte(struct vpl011 *u, uint8_t c)
{
	if (c == '\r')
		return;
	if (c == '\n') {
		/* an empty line is still a line */
		if (u->len == u->prefix_len && u->emit)
			u->emit(u->priv, u->line, u->len);
		vpl011_flush(u);
		return;
	}
	if (c != '\t' && (c < 0x20 || c > 0x7e))
		c = '?';
	u->line[u->len++] = (char)c;
	if (u->len - u->prefix_len >= VPL011_TEXT_MAX)
		vpl011_flush(u);
}

void vpl011_init(struct vpl011 *u, const char *prefix, vpl011_emit_fn emit, void *priv)
{
	size_t n;

	if (!u)
		return;
	memset(u, 0, sizeof(*u));
	u->emit = emit;
	u->priv = priv;
	n = prefix ? strnlen(prefix, VPL011_PREFIX_MAX) : 0;
	if (n) {
		u->line[0] = '[';
		memcpy(&u->line[1], prefix, n);
		u->line[n + 1] = ']';
		u->line[n + 2] = ' ';
		u->prefix_len = n + 3;
	}
	u->len = u->prefix_len;
	u->cr = CR_RESET;
	u->ifls = IFLS_RESET;
	u->ris = VPL011_INT_TX; /* empty TX FIFO: at/below its trigger */
}

/* ------------------------------------------------------------- input */

static unsigned int rx_depth(const struct vpl011 *u)
{
	return (u->lcr_h & LCR_H_FEN) ? VPL011_FIFO_DEPTH : 1;
}

/* IFLS.RXIFLSEL: 1/8, 1/4, 1/2, 3/4, 7/8 of the FIFO; FIFO off: 1 byte. */
static unsigned int rx_trigger(const struct vpl011 *u)
{
	static const unsigned int eighths[8] = {1, 2, 4, 6, 7, 7, 7, 7};

	if (!(u->lcr_h & LCR_H_FEN))
		return 1;
	return VPL011_FIFO_DEPTH * eighths[(u->ifls >> 3) & 7] / 8;
}

static void rx_update(struct vpl011 *u)
{
	if (u->rx_count >= rx_trigger(u))
		u->ris |= VPL011_INT_RX;
	else
		u->ris &= ~VPL011_INT_RX;
	if (!u->rx_count)
		u->ris &= ~VPL011_INT_RT;
}

static int rx_push(struct vpl011 *u, uint8_t c)
{
	if (u->rx_count >= rx_depth(u)) {
		/* Overrun: the byte is lost, the last entry is flagged. */
		u->rsr |= RSR_OE;
		u->rx[(u->rx_head + u->rx_count - 1) % VPL011_FIFO_DEPTH] |= DR_OE;
		u->ris |= VPL011_INT_OE;
		return VPL011_ERR_FULL;
	}
	u->rx[(u->rx_head + u->rx_count) % VPL011_FIFO_DEPTH] = c;
	u->rx_count++;
	u->ris |= VPL011_INT_RT;
	rx_update(u);
	return 0;
}

int vpl011_rx(struct vpl011 *u, char c)
{
	if (!u)
		return VPL011_ERR_ARG;
	return rx_push(u, (uint8_t)c);
}

unsigned int vpl011_rx_space(const struct vpl011 *u)
{
	if (!u || u->rx_count >= rx_depth(u))
		return 0;
	return rx_depth(u) - u->rx_count;
}

static uint32_t rx_pop(struct vpl011 *u)
{
	uint32_t v;

	if (!u->rx_count)
		return 0;
	v = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VPL011_FIFO_DEPTH;
	u->rx_count--;
	/* RSR holds the flags of the byte just read (OE stays until cleared). */
	u->rsr = (u->rsr & RSR_OE) | ((v >> 8) & 0x7);
	rx_update(u);
	return v;
}

bool vpl011_irq_level(const struct vpl011 *u)
{
	return u && (u->ris & u->imsc & VPL011_INT_MASK) != 0;
}

/* ---------------------------------------------------------- registers */

static int reg_read(struct vpl011 *u, uint64_t off, uint64_t *val)
{
	uint32_t v;

	switch (off) {
	case UARTDR:
		v = rx_pop(u);
		break;
	case UARTRSR:
		v = u->rsr & 0xf;
		break;
	case UARTFR:
		v = FR_TXFE | (u->rx_count ? 0 : FR_RXFE) |
		    (u->rx_count >= rx_depth(u) ? FR_RXFF : 0);
		break;
	case UARTILPR:
		v = u->ilpr;
		break;
	case UARTIBRD:
		v = u->ibrd;
		break;
	case UARTFBRD:
		v = u->fbrd;
		break;
	case UARTLCR_H:
		v = u->lcr_h;
		break;
	case UARTCR:
		v = u->cr;
		break;
	case UARTIFLS:
		v = u->ifls;
		break;
	case UARTIMSC:
		v = u->imsc;
		break;
	case UARTRIS:
		v = u->ris;
		break;
	case UARTMIS:
		v = u->ris & u->imsc;
		break;
	case UARTICR:
		v = 0; /* write-only */
		break;
	case UARTDMACR:
		v = u->dmacr;
		break;
	default:
		if (off >= UART_IDREGS && off < VPL011_SIZE) {
			v = pl011_ids[(off - UART_IDREGS) / 4];
			break;
		}
		return VPL011_ERR_OFFSET;
	}
	*val = v;
	return 0;
}

static int reg_write(struct vpl011 *u, uint64_t off, uint32_t v)
{
	switch (off) {
	case UARTDR:
		if (u->cr & CR_LBE)
			(void)rx_push(u, (uint8_t)v); /* loopback: no output */
		else
			tx_byte(u, (uint8_t)v);
		u->ris |= VPL011_INT_TX; /* sent at once: FIFO empty again */
		break;
	case UARTRSR:
		u->rsr = 0; /* UARTECR: any write clears the errors */
		break;
	case UARTFR:
	case UARTRIS:
	case UARTMIS:
		break; /* read-only: WI */
	case UARTILPR:
		u->ilpr = v & 0xff;
		break;
	case UARTIBRD:
		u->ibrd = v & 0xffff;
		break;
	case UARTFBRD:
		u->fbrd = v & 0x3f;
		break;
	case UARTLCR_H:
		/* Switching the FIFO on or off flushes it (PL011 TRM). */
		if ((u->lcr_h ^ v) & LCR_H_FEN)
			u->rx_count = 0;
		u->lcr_h = v & 0xff;
		rx_update(u);
		break;
	case UARTCR:
		u->cr = v & 0xff87;
		break;
	case UARTIFLS:
		u->ifls = v & 0x3f;
		rx_update(u);
		break;
	case UARTIMSC:
		u->imsc = v & VPL011_INT_MASK;
		break;
	case UARTICR:
		u->ris &= ~(v & VPL011_INT_MASK);
		/* RX is a level of the FIFO: it cannot be cleared while met. */
		rx_update(u);
		break;
	case UARTDMACR:
		u->dmacr = v & 0x7; /* accepted, but no DMA: Linux needs a dmas property */
		break;
	default:
		if (off >= UART_IDREGS && off < VPL011_SIZE)
			break; /* IDs: RO */
		return VPL011_ERR_OFFSET;
	}
	return 0;
}

int vpl011_access(struct vpl011 *u, uint64_t off, unsigned int size, bool is_write, uint64_t *val)
{
	int ret;

	if (!u || !val)
		return VPL011_ERR_ARG;
	if (!is_write)
		*val = 0;
	/* Linux uses 16-bit accesses for "arm,pl011", its earlycon 8-bit
	 * (32-bit with mmio32); every register is a 32-bit word. */
	if (size != 1 && size != 2 && size != 4)
		return VPL011_ERR_SIZE;
	if (off >= VPL011_SIZE)
		return VPL011_ERR_OFFSET;
	if (off & 3)
		return VPL011_ERR_ALIGN;
	if (is_write)
		return reg_write(u, off, (uint32_t)(*val & ((1ULL << (8 * size)) - 1)));
	ret = reg_read(u, off, val);
	if (!ret && size < 4)
		*val &= (1ULL << (8 * size)) - 1;
	return ret;
}
