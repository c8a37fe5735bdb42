/* SPDX-License-Identifier: MIT */
/*
 * The timed loops of the benchmark guest, in assembly so that the loop
 * around the call is a known, fixed number of instructions: the script
 * checks its conversion from counter ticks to instructions against the
 * loop that replaces the SMC with a NOP (6 instructions per iteration, BENCH_LOOP_INSNS).
 *
 * uint64_t bench_smc_loop(uint64_t fid, uint64_t n, uint64_t expect, uint64_t *bad)
 * uint64_t bench_nop_loop(uint64_t fid, uint64_t n, uint64_t expect, uint64_t *bad)
 *
 * Each makes n calls of fid (x1..x7: whatever the previous call left, which
 * neither call measured here reads), ORs (x0 ^ expect) of every
 * reply into *bad, and returns the CNTVCT_EL0 ticks the n calls took.
 * Loop state lives in callee-saved registers: the SMC calling convention
 * lets the callee change x0..x17.
 */
#include <arch/asm.h>

.macro timed_loop name, insn
ENTRY(\name)
	stp	x19, x20, [sp, #-48]!
	stp	x21, x22, [sp, #16]
	stp	x23, x30, [sp, #32]
	mov	x19, x0			/* fid */
	mov	x20, x1			/* calls left */
	mov	x21, x2			/* expected x0 */
	mov	x23, x3			/* where the error bits go */
	mov	x22, #0			/* error bits */
	cbz	x20, 2f
	isb				/* nothing earlier may be counted in the window */
	mrs	x9, cntvct_el0
	isb
	stp	x9, xzr, [sp, #-16]!
1:	mov	x0, x19
	\insn
	eor	x0, x0, x21
	orr	x22, x22, x0
	subs	x20, x20, #1
	b.ne	1b
	isb
	mrs	x10, cntvct_el0
	isb
	ldp	x9, xzr, [sp], #16
	sub	x0, x10, x9
	b	3f
2:	mov	x0, #0
3:	str	x22, [x23]
	ldp	x23, x30, [sp, #32]
	ldp	x21, x22, [sp, #16]
	ldp	x19, x20, [sp], #48
	ret
END(\name)
.endm

	.text
timed_loop bench_smc_loop, "smc #0"
timed_loop bench_nop_loop, "nop"
