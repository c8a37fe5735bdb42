/* SPDX-License-Identifier: MIT */
/* Bare-metal guest entry at EL1: stack, exception vectors, .bss, then C. */
#include <arch/asm.h>

	.section .text.boot, "ax"
ENTRY(guest_entry)
	mov	x19, x0			/* boot argument: our VM index (hypervisor's choice) */
	adrp	x9, __guest_stack_top
	add	sp, x9, :lo12:__guest_stack_top
	adrp	x9, guest_vectors
	add	x9, x9, :lo12:guest_vectors
	msr	vbar_el1, x9
	isb
	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
1:	cmp	x9, x10
	b.hs	2f
	str	xzr, [x9], #8
	b	1b
2:	mov	x0, x19
	bl	guest_main
	bl	guest_power_off
3:	wfi
	b	3b
END(guest_entry)

/*
 * A second vCPU, started by guest_main with PSCI CPU_ON: x0 = the context
 * it passed. Its own stack; VBAR_EL1 is per vCPU. Stops itself with CPU_OFF.
 */
ENTRY(guest_secondary_entry)
	mov	x19, x0
	adrp	x9, __guest_stack1_top
	add	sp, x9, :lo12:__guest_stack1_top
	adrp	x9, guest_vectors
	add	x9, x9, :lo12:guest_vectors
	msr	vbar_el1, x9
	isb
	mov	x0, x19
	bl	guest_secondary_main
	mov_imm64 x0, 0x84000002		/* PSCI CPU_OFF */
	smc	#0
1:	wfi
	b	1b
END(guest_secondary_entry)

/* Guests that start no second vCPU: a weak default, overridden by main.c. */
	.weak	guest_secondary_main
	.type	guest_secondary_main, %function
guest_secondary_main:
	ret

/* uint64_t guest_smc(struct smc_regs *r): x0..x7 in, x0..x3 out. */
ENTRY(guest_smc)
	stp	x0, x30, [sp, #-16]!
	mov	x9, x0
	ldp	x0, x1, [x9, #0]
	ldp	x2, x3, [x9, #16]
	ldp	x4, x5, [x9, #32]
	ldp	x6, x7, [x9, #48]
	smc	#0
	ldp	x9, x30, [sp], #16
	stp	x0, x1, [x9, #0]
	stp	x2, x3, [x9, #16]
	ret
END(guest_smc)

.macro gexc kind
	.balign 0x80
	mov	x0, #\kind
	b	guest_exception_entry
.endm
	.balign 0x800
ENTRY(guest_vectors)
	.rept 16
	gexc 0
	.endr
END(guest_vectors)

ENTRY(guest_exception_entry)
	adrp	x9, __guest_stack_top
	add	sp, x9, :lo12:__guest_stack_top
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	bl	guest_exception
	bl	guest_power_off
1:	wfi
	b	1b
END(guest_exception_entry)
