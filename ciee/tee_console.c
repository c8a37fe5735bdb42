/* SPDX-License-Identifier: MIT */
/*
 * A guest TEE's console, carried by the trusted side. A TrustZone OS for
 * QEMU's virt machine writes its log to the secure UART (the PL011 at
 * PLAT_UART1_BASE, which the normal world cannot reach). A guest TEE
 * writes the same address; the page is never in its stage 2, so each
 * access traps to EL2, and the CIEE answers it here without the
 * hypervisor: characters gather per TEE vCPU into a line, and whole lines
 * go to the monitor (VTZ_SMC_MON_TEE_CONSOLE, from the CIEE's call site
 * only), which prints them on the real secure UART with the TEE's name.
 * The hypervisor never sees a TEE's log, and cannot write into it.
 *
 * The receive side is the TEE's own too: what is typed for it on the
 * secure console (tee_input.c) waits in its struct tee_uart, UARTFR says
 * whether there is any, UARTDR reads it, and UARTIMSC's receive bits
 * decide the UART's interrupt line into its GIC view (INTID 40, as on
 * the machine): high while a byte waits with RXIM or RTIM set, as QEMU's
 * PL011 raises it (its receive trigger level is one byte).
 */
#include <string.h>

#include <arch/sysreg.h>
#include <vtz/monitor_abi.h>
#include <vtz/platform.h>
#include <vtz/tee_input.h>

#include "ciee.h"
#include "monitor_call.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTFR_RXFE (1U << 4) /* nothing to read */
#define UARTFR_TXFE (1U << 7) /* every character is taken at once */
#define UARTIMSC 0x038
#define UARTRIS 0x03c
#define UARTMIS 0x040
#define UARTICR 0x044
#define UART_INT_RX (1U << 4)
#define UART_INT_RT (1U << 6)
#define UART_INT_MASK 0x7ffU
/* The PL011's identification, as QEMU's reads (Linux and OP-TEE may look). */
#define UARTPERIPHID0 0xfe0
static const uint8_t pl011_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

/* The receive interrupts raised: both while a byte waits (QEMU's trigger level is one). */
static uint32_t uart_ris(const struct tee_uart *u)
{
	return u->rx_len ? (UART_INT_RX | UART_INT_RT) : 0;
}

void tee_gic_update(struct ciee_tee *t)
{
	tee_gic_set_line(&t->gic, PLAT_UART1_INTID, (uart_ris(&t->uart) & t->uart.imsc) != 0);
	__atomic_store_n(&t->virq_cpus, tee_gic_secure_cpus(&t->gic), __ATOMIC_RELEASE);
}

bool tee_uart_rx_put(struct ciee_tee *t, char c)
{
	struct tee_uart *u = &t->uart;

	if (u->rx_len == TEE_UART_RX_SIZE) {
		u->rx_dropped++;
		return false;
	}
	u->rx[(u->rx_head + u->rx_len) % TEE_UART_RX_SIZE] = c;
	u->rx_len++;
	tee_gic_update(t);
	return true;
}

/* A read of the receive side or the interrupt registers, under the TEE's lock. */
static uint32_t uart_read(struct ciee_tee *t, uint64_t off)
{
	struct tee_uart *u = &t->uart;
	uint32_t v = 0;

	spin_lock(&t->gic_lock);
	switch (off) {
	case UARTDR:
		if (u->rx_len) {
			v = (uint8_t)u->rx[u->rx_head];
			u->rx_head = (u->rx_head + 1) % TEE_UART_RX_SIZE;
			u->rx_len--;
			tee_gic_update(t);
		}
		break;
	case UARTFR:
		v = UARTFR_TXFE | (u->rx_len ? 0 : UARTFR_RXFE);
		break;
	case UARTIMSC:
		v = u->imsc;
		break;
	case UARTRIS:
		v = uart_ris(u);
		break;
	case UARTMIS:
		v = uart_ris(u) & u->imsc;
		break;
	default:
		if (off >= UARTPERIPHID0 && off < UARTPERIPHID0 + 4 * sizeof(pl011_id) && !(off % 4))
			v = pl011_id[(off - UARTPERIPHID0) / 4];
		break;
	}
	spin_unlock(&t->gic_lock);
	return v;
}

static void uart_set_imsc(struct ciee_tee *t, uint32_t v)
{
	spin_lock(&t->gic_lock);
	t->uart.imsc = v & UART_INT_MASK;
	tee_gic_update(t);
	spin_unlock(&t->gic_lock);
}

/* Send the vCPU's line to the monitor, 16 bytes per call. */
static void tee_console_flush(const struct ciee_tee *t, struct ciee_tee_vcpu *tv)
{
	unsigned int off = 0;

	do {
		uint64_t r[CIEE_MONITOR_ARGS] __attribute__((aligned(8))) = { 0 };
		unsigned int n = tv->con_len - off;

		if (n > VTZ_MON_CONSOLE_CHUNK)
			n = VTZ_MON_CONSOLE_CHUNK;
		memcpy(&r[0], t->name, sizeof(r[0]));
		r[1] = n | (off + n == tv->con_len ? VTZ_MON_CONSOLE_END : 0);
		memcpy(&r[2], tv->con + off, n);
		/* A console line the monitor would not print is not worth a TEE. */
		(void)ciee_monitor_smc(VTZ_SMC_MON_TEE_CONSOLE, r);
		off += n;
	} while (off < tv->con_len);
	tv->con_len = 0;
}

bool tee_console_access(struct ciee_tee *t, struct ciee_tee_vcpu *tv, uint64_t ipa)
{
	uint64_t esr = tv->ctx.esr;
	unsigned int srt = (esr >> ESR_DABT_SRT_SHIFT) & ESR_DABT_SRT_MASK;
	uint64_t off = ipa - PLAT_UART1_BASE;
	char c;

	if (ipa < PLAT_UART1_BASE || off >= PLAT_UART0_SIZE)
		return false;
	if (!(esr & ESR_DABT_WNR)) {
		uint32_t v = uart_read(t, off);

		if (srt != 31)
			tv->ctx.x[srt] = v;
	} else if (off == UARTIMSC) {
		uart_set_imsc(t, srt == 31 ? 0 : (uint32_t)tv->ctx.x[srt]);
	} else if (off == UARTDR) {
		c = srt == 31 ? 0 : (char)(tv->ctx.x[srt] & 0xff);
		if (c == '\n') {
			tee_console_flush(t, tv);
		} else if (c != '\r') {
			tv->con[tv->con_len++] = c;
			if (tv->con_len == sizeof(tv->con))
				tee_console_flush(t, tv);
		}
	}
	tv->ctx.pc += 4;
	return true;
}
