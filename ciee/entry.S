/* SPDX-License-Identifier: MIT */
/*
 * CIEE image header, boot entries and the gate.
 *
 * The first three words are fixed entry points (include/vtz/ciee_abi.h):
 * the monitor enters at +0 (boot CPU) or +4 (CPU_ON), the hypervisor
 * calls +8 for every CIEE service.
 */
#include <arch/asm.h>
#include <arch/sysreg.h>
#include <vtz/ciee_abi.h>
#include <vtz/platform.h>
#include "percpu.h"

	.section .text.boot, "ax"
ENTRY(ciee_header)
	b	ciee_cold_entry		/* +0x0 */
	b	ciee_warm_entry		/* +0x4 */
	b	ciee_gate		/* +0x8 */
	nop				/* +0xc */
	.quad	CIEE_IMAGE_MAGIC	/* +0x10 */
END(ciee_header)

/*
 * x0 = cpu index -> sp = top of that CPU's CIEE stack, tpidr_el2 = percpu.
 * The CPU index comes from MPIDR, never from a caller.
 */
.macro ciee_stack_setup
	mrs	x9, mpidr_el1
	and	x9, x9, #MPIDR_AFF0_MASK
	cmp	x9, #PLAT_MAX_CPUS
	b.hs	ciee_halt
	adrp	x10, __ciee_stacks_start
	add	x10, x10, :lo12:__ciee_stacks_start
	add	x11, x9, #1
	lsl	x11, x11, #14
	add	sp, x10, x11
	adrp	x10, ciee_percpu
	add	x10, x10, :lo12:ciee_percpu
	mov	x11, #PERCPU_SIZE
	madd	x10, x9, x11, x10
	msr	tpidr_el2, x10
.endm

/* Boot CPU from the monitor: x0 = DTB address. MMU off. */
ENTRY(ciee_cold_entry)
	mov	x19, x0
	ciee_stack_setup
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	mov	x0, x19
	bl	ciee_cold_main		/* returns the hypervisor entry in x0 */
	b	ciee_enter_hyp
END(ciee_cold_entry)

/* CPU_ON'd CPU from the monitor: x0 = context, x1 = requested entry. */
ENTRY(ciee_warm_entry)
	mov	x19, x0
	mov	x20, x1
	ciee_stack_setup
	bl	ciee_warm_main		/* returns the hypervisor secondary entry */
	mov	x1, x19
	mov	x2, x20
	b	ciee_enter_hyp_secondary
END(ciee_warm_entry)

/* Branch to the hypervisor (MMU on, WXN on): x0 = entry, x19 = DTB. */
ENTRY(ciee_enter_hyp)
	mov	x9, x0
	mov	x0, x19
	mov	x1, xzr
	b	1f
ciee_enter_hyp_secondary:
	mov	x9, x0
	mov	x0, x1			/* context */
	mov	x1, x2			/* requested entry, as data */
1:	/* The hypervisor starts on its own stack, chosen by itself. */
	mov	x2, xzr
	mov	x3, xzr
	mov	x19, xzr
	mov	x20, xzr
	mov	x29, xzr
	mov	x30, xzr
	br	x9
END(ciee_enter_hyp)

/*
 * The gate: the only way the hypervisor enters the CIEE.
 * In: x0 = call, x1..x5 = arguments, lr = return address. Out: x0.
 * Masks interrupts, moves to this CPU's CIEE stack (from MPIDR and
 * link-time constants, not from anything the caller controls), runs the
 * call, clears caller-saved registers so no CIEE or TEE value leaks, and
 * returns with the caller's interrupt mask and stack.
 */
ENTRY(ciee_gate)
	mrs	x9, daif
	msr	daifset, #0xf
	mov	x10, sp
	mov	x11, x30
	mrs	x12, mpidr_el1
	and	x12, x12, #MPIDR_AFF0_MASK
	cmp	x12, #PLAT_MAX_CPUS
	b.hs	ciee_halt
	adrp	x13, __ciee_stacks_start
	add	x13, x13, :lo12:__ciee_stacks_start
	add	x12, x12, #1
	lsl	x12, x12, #14
	add	sp, x13, x12
	stp	x9, x10, [sp, #-16]!
	stp	x11, xzr, [sp, #-16]!
	bl	ciee_dispatch
	ldp	x30, xzr, [sp], #16
	ldp	x9, x10, [sp], #16
	mov	sp, x10
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	mov	x4, xzr
	mov	x5, xzr
	mov	x6, xzr
	mov	x7, xzr
	mov	x8, xzr
	mov	x10, xzr
	mov	x11, xzr
	mov	x12, xzr
	mov	x13, xzr
	mov	x14, xzr
	mov	x15, xzr
	mov	x16, xzr
	mov	x17, xzr
	mov	x18, xzr
	msr	daif, x9
	mov	x9, xzr
	ret
END(ciee_gate)

ENTRY(ciee_halt)
	msr	daifset, #0xf
1:	wfi
	b	1b
END(ciee_halt)
