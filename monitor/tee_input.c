/* SPDX-License-Identifier: MIT */
/*
 * Input for guest TEEs from the secure UART (include/vtz/tee_input.h).
 * The secure UART is the trusted side's: its receive interrupt (INTID 40)
 * is a Group 0 SPI routed to CPU 0, taken as FIQ at EL3 (SCR_EL3.FIQ)
 * whatever runs there, and its bytes go into the ring in CIEE memory for
 * the CIEE to hand to one TEE. Neither the hypervisor nor a VM can read
 * the UART, the ring or the interrupt's configuration, so what is typed
 * to a TEE never passes through them. Not in the native home: there the
 * TEE owns the secure UART itself, as on a machine with TF-A.
 */
#include <stdint.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <vtz/platform.h>
#include <vtz/tee_input.h>

#include "monitor.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTFR_RXFE (1U << 4)
#define UARTCR 0x030
#define UARTCR_UARTEN (1U << 0)
#define UARTCR_TXE (1U << 8)
#define UARTCR_RXE (1U << 9)
#define UARTIMSC 0x038
#define UARTIMSC_RX (1U << 4)
#define UARTIMSC_RT (1U << 6)
#define UARTICR 0x044

#define GICD_ISENABLER 0x0100
#define GICD_IPRIORITYR 0x0400
#define GICD_IROUTER 0x6000
/* Group 0, but below PARK_SGI (0), and in the secure half (< 0x80): no PMR write of the
 * non-secure side can mask it. */
#define UART1_PRIORITY 0x10
/* Bytes taken per interrupt: the rest, if any, keeps the level high for the next. */
#define DRAIN_MAX 64

static volatile uint32_t *uart1(uint64_t off)
{
	return (volatile uint32_t *)(PLAT_UART1_BASE + off);
}

void tee_input_init(void)
{
	volatile struct tee_input_ring *ring = (volatile struct tee_input_ring *)PLAT_TEE_INPUT_BASE;
	uint64_t gicd = PLAT_GICD_BASE;

	/* The cold boot scrubbed the CIEE data: an empty ring. */
	ring->head = ring->tail = ring->dropped = 0;
	*uart1(UARTCR) = UARTCR_UARTEN | UARTCR_TXE | UARTCR_RXE;
	*uart1(UARTICR) = 0x7ff;
	*uart1(UARTIMSC) = UARTIMSC_RX | UARTIMSC_RT;
	/* SPIs are Group 0 from gic_secure_init(); route this one to CPU 0 (Aff 0.0.0.0). */
	*(volatile uint64_t *)(gicd + GICD_IROUTER + 8 * PLAT_UART1_INTID) = 0;
	*((volatile uint8_t *)(gicd + GICD_IPRIORITYR) + PLAT_UART1_INTID) = UART1_PRIORITY;
	*(volatile uint32_t *)(gicd + GICD_ISENABLER + 4 * (PLAT_UART1_INTID / 32)) =
		1U << (PLAT_UART1_INTID % 32);
	dsb(sy);
}

void tee_input_fiq(void)
{
	volatile struct tee_input_ring *ring = (volatile struct tee_input_ring *)PLAT_TEE_INPUT_BASE;
	uint32_t head = ring->head;
	unsigned int n;

	for (n = 0; n < DRAIN_MAX && !(*uart1(UARTFR) & UARTFR_RXFE); n++) {
		uint8_t c = (uint8_t)*uart1(UARTDR);

		/* The CIEE's counter, read now: it only ever grows towards ours. */
		if (head - ring->tail >= TEE_INPUT_RING_SIZE) {
			ring->dropped++;
			continue;
		}
		ring->buf[head % TEE_INPUT_RING_SIZE] = c;
		head++;
	}
	/* The bytes first, then the counter that shows them. */
	dsb(sy);
	ring->head = head;
	dsb(sy);
}
