/* SPDX-License-Identifier: MIT */
/*
 * hyp_jump_with_regs(addr, value): branch into the middle of the CIEE with
 * every argument and scratch register holding value, as an attacker would.
 * If the CIEE ever returned, we come back here and return 0.
 */
#include <arch/asm.h>

	.text
ENTRY(hyp_jump_with_regs)
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	mov	x16, x0
	mov	x0, x1
	mov	x2, x1
	mov	x3, x1
	mov	x4, x1
	mov	x5, x1
	mov	x6, x1
	mov	x7, x1
	mov	x8, x1
	mov	x9, x1
	mov	x10, x1
	mov	x11, x1
	mov	x12, x1
	mov	x13, x1
	mov	x14, x1
	mov	x15, x1
	mov	x17, x1
	mov	x18, x1
	blr	x16
	mov	sp, x29
	ldp	x29, x30, [sp], #16
	mov	x0, #0
	ret
END(hyp_jump_with_regs)
