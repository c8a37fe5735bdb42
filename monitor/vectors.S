/* SPDX-License-Identifier: MIT */
/*
 * EL3 exception vectors. Only SMCs from the lower (non-secure) ELs are
 * expected, and natively (VTZ_NATIVE) the TEE's SMCs from S-EL1;
 * everything else is reported and stops the system.
 */
#include <arch/asm.h>

#define FRAME 272 /* x0..x30 + elr + spsr, 16-byte aligned */

/* x0..x17 into / out of the frame at sp (every handler's caller-saved pairs). */
.macro save_x0_x17
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
.endm
.macro restore_x0_x17
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
.endm

.macro unexpected kind
	.balign 0x80
	sub	sp, sp, #FRAME
	stp	x0, x1, [sp]
	mov	x0, #\kind
	b	monitor_unexpected_entry
.endm

	.section .text
	.balign 0x800
ENTRY(monitor_vectors)
	/* current EL, SP_EL0 */
	unexpected 0
	unexpected 1
	unexpected 2
	unexpected 3
	/* current EL, SP_ELx */
	unexpected 4
	unexpected 5
	unexpected 6
	unexpected 7
	/* lower EL, AArch64 */
	.balign 0x80
	b	monitor_lower_sync
	unexpected 9
	/*
	 * FIQ: under vTZ the secure UART's input, or PARK_SGI, a reset
	 * stopping this CPU (park.c); natively a secure interrupt of the TEE's
	 * while the normal world runs (tee_dispatch.c, TF-A's opteed rule).
	 */
	.balign 0x80
	b	monitor_lower_fiq
	unexpected 11
	/* lower EL, AArch32 */
	unexpected 12
	unexpected 13
	unexpected 14
	unexpected 15
END(monitor_vectors)

/*
 * Save the caller's registers into a frame; SMCCC 1.1 preserves x4..x30.
 * Natively the TEE's exit needs them all (tee_world_exit). Under vTZ
 * every handler is C, which preserves x19..x29 itself (AAPCS64), so only
 * x0..x18 and x30 are saved and restored: the stage-2 calls with
 * GATE=el3 are the hot path here (docs/performance.md, s2-map).
 */
ENTRY(monitor_lower_sync)
	sub	sp, sp, #FRAME
	save_x0_x17
#ifdef VTZ_NATIVE
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	str	x30, [sp, #240]
	/*
	 * Native TrustZone: SCR_EL3.NS is 0 only while the TEE runs, so
	 * this exception is the TEE's (an opteed return, or its death):
	 * back to the dispatcher that entered it (tee_switch.S).
	 */
	mrs	x0, scr_el3
	tbz	x0, #0, tee_world_exit
#else
	str	x18, [sp, #144]
	str	x30, [sp, #240]
#endif
	mov	x0, sp
	bl	monitor_handle_lower_sync
#ifndef VTZ_NATIVE
	/* A reset claimed while we served this SMC: park before leaving EL3. */
	bl	monitor_park_check
#endif
	restore_x0_x17
#ifdef VTZ_NATIVE
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
#else
	ldr	x18, [sp, #144]
#endif
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME
	eret
END(monitor_lower_sync)

/*
 * A FIQ from a lower EL (park.c; natively native.c): the C handler keeps
 * x19..x29, and ELR_EL3 and SPSR_EL3 are as they were when it returns (EL3
 * runs with FIQs masked; natively a TEE run in between puts them back), so
 * the interrupted code goes on as if nothing happened.
 */
ENTRY(monitor_lower_fiq)
	sub	sp, sp, #FRAME
	save_x0_x17
	str	x18, [sp, #144]
	str	x30, [sp, #240]
	bl	monitor_fiq
	restore_x0_x17
	ldr	x18, [sp, #144]
	ldr	x30, [sp, #240]
	add	sp, sp, #FRAME
	eret
END(monitor_lower_fiq)

ENTRY(monitor_unexpected_entry)
	mrs	x1, esr_el3
	mrs	x2, elr_el3
	mrs	x3, far_el3
	mrs	x4, spsr_el3
	bl	monitor_unexpected
1:	wfi
	b	1b
END(monitor_unexpected_entry)
