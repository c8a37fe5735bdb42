/* SPDX-License-Identifier: MIT */
/*
 * What is typed on the secure UART for the guest TEEs: the monitor, which
 * alone can read that UART (it is secure-only), takes each receive
 * interrupt at EL3 (monitor/tee_input.c) and appends the bytes here; the
 * CIEE takes them (ciee/tee_input.c) and gives them to one TEE at a time,
 * on that TEE's own view of the UART. One writer (the monitor on the CPU
 * the interrupt is routed to) and one reader (the CIEE, under its lock):
 * each moves only its own counter, after the bytes it wrote or read.
 * Both sides run with their MMU off (Device memory), so no cache stands
 * between them. The page is in the CIEE data region, which the
 * hypervisor never maps.
 */
#ifndef VTZ_TEE_INPUT_H
#define VTZ_TEE_INPUT_H

#include <stdint.h>

#include <vtz/platform.h>

#define PLAT_TEE_INPUT_BASE (PLAT_MAP_COUNT_BASE - 0x1000UL)
#define TEE_INPUT_RING_SIZE 2048U /* a power of two: the counters wrap */
/* The secure UART's interrupt on QEMU's virt machine: SPI 8. */
#define PLAT_UART1_INTID 40U
/* Typed on the secure console: the next TEE gets what follows (Ctrl-T). */
#define TEE_INPUT_NEXT_TEE 0x14

struct tee_input_ring {
	uint32_t head;    /* bytes ever written: the monitor's */
	uint32_t tail;    /* bytes ever taken: the CIEE's */
	uint32_t dropped; /* bytes the monitor dropped with the ring full */
	uint32_t reserved;
	uint8_t buf[TEE_INPUT_RING_SIZE];
};
_Static_assert(sizeof(struct tee_input_ring) <= 0x1000, "one page");


#endif
