/* SPDX-License-Identifier: MIT */
/*
 * Our console's input: what is typed for us on the secure UART. Set up as
 * a secure OS sets up an interrupt of its own on a GICv3 with TF-A
 * (OP-TEE's core/drivers/gic.c does the same): the UART's receive
 * interrupt (INTID 40) in secure group 1, routed to CPU 0, enabled, with
 * secure group 1 enabled in the distributor and at this CPU's interface,
 * and the UART's receive interrupts unmasked. It reaches us at fiq_entry
 * (TF-A's opteed rule for a secure interrupt that arrives while the normal
 * world runs): acknowledged at ICC_IAR1_EL1, the bytes read, ended at
 * ICC_EOIR1_EL1. Each whole line is logged back ("input: ..."). Natively
 * these are the real GIC and UART; as a guest TEE the CIEE's views of
 * them and the virtual CPU interface it loads for us: we cannot tell.
 */
#include <stdint.h>

#include <lib/uart_printf.h>
#include <vtz/platform.h>

#include "tee.h"

#define UART1_INTID 40U
#define UARTDR 0x000
#define UARTFR 0x018
#define UARTFR_RXFE (1U << 4)
#define UARTIMSC 0x038
#define UART_INT_RX (1U << 4)
#define UART_INT_RT (1U << 6)

#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE_G1S (1U << 2)
#define GICD_IGROUPR 0x0080
#define GICD_ISENABLER 0x0100
#define GICD_IPRIORITYR 0x0400
#define GICD_IGRPMODR 0x0d00
#define GICD_IROUTER 0x6000
#define PRIORITY 0x10

#define ICC_PMR_EL1 "S3_0_C4_C6_0"
#define ICC_IAR1_EL1 "S3_0_C12_C12_0"
#define ICC_EOIR1_EL1 "S3_0_C12_C12_1"
#define ICC_IGRPEN1_EL1 "S3_0_C12_C12_7"

static char line[120];
static unsigned int line_len;
static uint64_t lines_in;

static volatile uint32_t *gicd32(uint64_t off)
{
	return (volatile uint32_t *)(PLAT_GICD_BASE + off);
}

static volatile uint32_t *uart(uint64_t off)
{
	return (volatile uint32_t *)(PLAT_UART1_BASE + off);
}

/* This CPU's interface: the priority mask open to secure priorities, secure group 1 on. */
void tee_console_in_cpu(void)
{
	__asm__ volatile("msr " ICC_PMR_EL1 ", %0\n\tmsr " ICC_IGRPEN1_EL1 ", %1\n\tisb" ::"r"(
				 0x80UL),
			 "r"(1UL));
}

void tee_console_in_init(void)
{
	uint32_t bit = 1U << (UART1_INTID % 32);
	uint64_t word = 4 * (UART1_INTID / 32);

	line_len = 0;
	*gicd32(GICD_IGROUPR + word) &= ~bit;
	*gicd32(GICD_IGRPMODR + word) |= bit;
	*((volatile uint8_t *)(PLAT_GICD_BASE + GICD_IPRIORITYR) + UART1_INTID) = PRIORITY;
	*(volatile uint64_t *)(PLAT_GICD_BASE + GICD_IROUTER + 8 * UART1_INTID) = 0;
	*gicd32(GICD_CTLR) |= GICD_CTLR_ENABLE_G1S;
	*gicd32(GICD_ISENABLER + word) = bit;
	*uart(UARTIMSC) = UART_INT_RX | UART_INT_RT;
	tee_console_in_cpu();
}

static void take_byte(char c)
{
	if (c == '\r' || c == '\n') {
		if (!line_len)
			return;
		line[line_len] = 0;
		lines_in++;
		uart_printf(PLAT_UART1_BASE, "input: %s (line %llu)\n", line,
			    (unsigned long long)lines_in);
		line_len = 0;
	} else if (line_len + 1 < sizeof(line)) {
		line[line_len++] = (c >= 0x20 && c <= 0x7e) ? c : '?';
	}
}

/* fiq_entry (tee/entry.S): every secure interrupt we have is the UART's. */
void tee_fiq(void)
{
	uint64_t intid;
	unsigned int n;

	__asm__ volatile("mrs %0, " ICC_IAR1_EL1 : "=r"(intid));
	intid &= 0xffffff;
	if (intid >= 1020)
		return; /* spurious: nothing to end */
	if (intid == UART1_INTID) {
		spin_lock(&tee_lock);
		for (n = 0; n < 64 && !(*uart(UARTFR) & UARTFR_RXFE); n++)
			take_byte((char)(*uart(UARTDR) & 0xff));
		spin_unlock(&tee_lock);
	}
	__asm__ volatile("msr " ICC_EOIR1_EL1 ", %0\n\tisb" ::"r"(intid));
}
