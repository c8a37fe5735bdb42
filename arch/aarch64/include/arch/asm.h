/* SPDX-License-Identifier: MIT */
/* Assembler helpers shared by the images' entry code. */
#ifndef ARCH_ASM_H
#define ARCH_ASM_H

#ifdef __ASSEMBLY__
/*
 * The same value as mov_imm64 (below), without the movk of a 16-bit part that is
 * zero: movz has already cleared every bit outside its own part.
 */
.macro mov_imm reg, val
	movz	\reg, #(((\val) >> 0) & 0xffff)
	.if (((\val) >> 16) & 0xffff)
	movk	\reg, #(((\val) >> 16) & 0xffff), lsl #16
	.endif
	.if (((\val) >> 32) & 0xffff)
	movk	\reg, #(((\val) >> 32) & 0xffff), lsl #32
	.endif
	.if (((\val) >> 48) & 0xffff)
	movk	\reg, #(((\val) >> 48) & 0xffff), lsl #48
	.endif
.endm

/* Load a 64-bit constant from code (never from memory the caller controls). */
.macro mov_imm64 reg, val
	movz	\reg, #(((\val) >> 0) & 0xffff)
	movk	\reg, #(((\val) >> 16) & 0xffff), lsl #16
	movk	\reg, #(((\val) >> 32) & 0xffff), lsl #32
	movk	\reg, #(((\val) >> 48) & 0xffff), lsl #48
.endm

#define ENTRY(name) .globl name; .type name, %function; name:
#define END(name) .size name, . - name
#endif

#endif
