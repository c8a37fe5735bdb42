/* SPDX-License-Identifier: MIT */
/*
 * ciee_monitor_smc(fid, r): the CIEE's only SMC to the monitor's
 * CIEE-only services, at one fixed, named address (ciee/monitor_call.h).
 * The image header records ciee_monitor_smc_site; the monitor checks
 * that ELR_EL3 is exactly that + 4 before it measures or derives a key.
 *
 * No stack: r stays in x9 across the SMC (SMCCC 1.1: the monitor keeps
 * x4..x17 except results, and ours keeps every register but x0..x4).
 * Key material is written to r and wiped from x1..x4 before the return,
 * so no copy stays in a register the caller's later code might spill.
 */
#include <arch/asm.h>

	.section .text
ENTRY(ciee_monitor_smc)
	mov	x9, x1
	mov	w0, w0
	ldp	x1, x2, [x9]
	ldp	x3, x4, [x9, #16]
	ldp	x5, x6, [x9, #32]
	.global	ciee_monitor_smc_site
ciee_monitor_smc_site:
	smc	#0
	stp	x1, x2, [x9]
	stp	x3, x4, [x9, #16]
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	mov	x4, xzr
	mov	x5, xzr
	mov	x6, xzr
	ret
END(ciee_monitor_smc)
