/* SPDX-License-Identifier: MIT */
/*
 * ciee_monitor_smc(fid, r): the CIEE's only SMC to the monitor's
 * CIEE-only services, at one fixed, named address (ciee/monitor_call.h).
 * The image header records ciee_monitor_smc_site; the monitor checks
 * that ELR_EL3 is exactly that + 4 before it measures or derives a key.
 *
 * No stack: r stays in x12 across the SMC (SMCCC 1.1: the monitor keeps
 * x4..x17 except results, and ours keeps every register but x0..x4).
 * Key material is written to r and wiped from x1..x4 before the return,
 * and x5..x11 (a TEE's nonce, its identity) are cleared too, so no copy
 * stays in a register the caller's later code might spill.
 */
#include <arch/asm.h>

	.section .text
ENTRY(ciee_monitor_smc)
	mov	x12, x1
	mov	w0, w0
	ldp	x1, x2, [x12]
	ldp	x3, x4, [x12, #16]
	ldp	x5, x6, [x12, #32]
	ldp	x7, x8, [x12, #48]
	ldp	x9, x10, [x12, #64]
	ldr	x11, [x12, #80]
	.global	ciee_monitor_smc_site
ciee_monitor_smc_site:
	smc	#0
	stp	x1, x2, [x12]
	stp	x3, x4, [x12, #16]
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	mov	x4, xzr
	mov	x5, xzr
	mov	x6, xzr
	mov	x7, xzr
	mov	x8, xzr
	mov	x9, xzr
	mov	x10, xzr
	mov	x11, xzr
	mov	x12, xzr
	ret
END(ciee_monitor_smc)
