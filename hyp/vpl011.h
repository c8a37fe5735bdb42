/* SPDX-License-Identifier: MIT */
/*
 * An emulated ARM PL011 UART (PrimeCell r1p5, IDs as QEMU's), good enough
 * for Linux's amba-pl011 driver and its earlycon: transmission is
 * instant (the TX FIFO is always empty, FR.TXFF never set), output is
 * gathered into lines, each handed whole to a callback with its prefix
 * ("[vm0] text"); input comes from the hypervisor through a 32-byte RX
 * FIFO. The interrupt output is a level: (RIS & IMSC) != 0, for the
 * caller to drive a vGIC SPI with after every access and every vpl011_rx().
 *
 * Pure C, caller-owned state, no hardware access. Not thread-safe: the
 * caller serializes calls on one struct vpl011.
 */
#ifndef HYP_VPL011_H
#define HYP_VPL011_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VPL011_SIZE 0x1000ULL
#define VPL011_FIFO_DEPTH 32
#define VPL011_PREFIX_MAX 16 /* bytes of the name, without "[] " */
#define VPL011_TEXT_MAX 160  /* text bytes per emitted line before a split */
#define VPL011_LINE_MAX (VPL011_PREFIX_MAX + 3 + VPL011_TEXT_MAX)

/* Errors (negative). A failed read leaves *val = 0. */
#define VPL011_ERR_SIZE (-1)   /* not a 1, 2 or 4 byte access */
#define VPL011_ERR_ALIGN (-2)  /* not at the start of a 32-bit register */
#define VPL011_ERR_OFFSET (-3) /* outside the 4 KiB frame or a reserved offset */
#define VPL011_ERR_ARG (-4)    /* NULL pointer */
#define VPL011_ERR_FULL (-5)   /* vpl011_rx(): RX FIFO full (overrun flagged) */

/* Interrupt bits of RIS, IMSC, MIS and ICR. */
#define VPL011_INT_RX (1U << 4)
#define VPL011_INT_TX (1U << 5)
#define VPL011_INT_RT (1U << 6)
#define VPL011_INT_OE (1U << 10)
#define VPL011_INT_MASK 0x7ffU

typedef void (*vpl011_emit_fn)(void *priv, const char *line, size_t len);

struct vpl011 {
	/* output */
	char line[VPL011_LINE_MAX];
	size_t prefix_len; /* "[name] " at the start of line[] */
	size_t len;	   /* bytes in line[], prefix included */
	vpl011_emit_fn emit;
	void *priv;
	/* input: a ring of 12-bit entries (data + FE/PE/BE/OE flags) */
	uint16_t rx[VPL011_FIFO_DEPTH];
	unsigned int rx_head, rx_count;
	/* registers */
	uint32_t rsr, ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, ris, dmacr;
};

/* prefix: the bare name, e.g. "vm0" (cut to VPL011_PREFIX_MAX bytes; NULL
 * means none); emit may be NULL (output is dropped). */
void vpl011_init(struct vpl011 *u, const char *prefix, vpl011_emit_fn emit, void *priv);

/* A trapped guest access at off (from the UART's base), size 1, 2 or 4.
 * 0 or a VPL011_ERR_*; reads fill *val. */
int vpl011_access(struct vpl011 *u, uint64_t off, unsigned int size, bool is_write, uint64_t *val);

/* The UART's interrupt line (UARTINTR). */
bool vpl011_irq_level(const struct vpl011 *u);

/* One byte of input (from the host's console): 0, or VPL011_ERR_FULL. */
int vpl011_rx(struct vpl011 *u, char c);

/* Bytes vpl011_rx() can take now without an overrun (0 while the guest
 * has not drained the FIFO): feed host input only this much. */
unsigned int vpl011_rx_space(const struct vpl011 *u);

/* Emit a partial line now (e.g. when the VM stops). */
void vpl011_flush(struct vpl011 *u);

#endif
