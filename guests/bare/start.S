/* SPDX-License-Identifier: MIT */
/* Bare-metal guest entry at EL1: stack, exception vectors, .bss, then C. */
#include <arch/asm.h>

	.section .text.boot, "ax"
ENTRY(guest_entry)
	mov	x19, x0			/* boot argument: our VM index (hypervisor's choice) */
	mov	x20, x1			/* and a hint: where our TEE's memory really is (or 0) */
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
	mov	x1, x20
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

/*
 * Every vector first checks for a probe in flight (guest_probe_read): its
 * abort is expected, recorded, and the probe returns -1. Anything else is
 * an unexpected exception.
 */
.macro gexc kind
	.balign 0x80
	stp	x9, x10, [sp, #-16]!
	adrp	x9, guest_probe_resume
	ldr	x10, [x9, :lo12:guest_probe_resume]
	cbnz	x10, guest_probe_fixup
	ldp	x9, x10, [sp], #16
	mov	x0, #\kind
	b	guest_exception_entry
.endm
	.balign 0x800
ENTRY(guest_vectors)
	.rept 16
	gexc 0
	.endr
END(guest_vectors)

/* x9 = the page of guest_probe_resume, x10 = where the probe goes on. */
guest_probe_fixup:
	str	xzr, [x9, :lo12:guest_probe_resume]
	msr	elr_el1, x10
	mrs	x10, esr_el1
	adrp	x9, guest_probe_esr
	str	x10, [x9, :lo12:guest_probe_esr]
	ldp	x9, x10, [sp], #16
	eret

/*
 * int guest_probe_read(uint64_t addr, uint64_t *val, uint64_t *esr):
 * read 8 bytes at addr; 0 and *val, or -1 and the abort's ESR_EL1 in *esr.
 * One CPU at a time (the probe state is global).
 */
ENTRY(guest_probe_read)
	adrp	x9, guest_probe_resume
	adr	x10, 1f
	adrp	x11, guest_probe_esr
	str	xzr, [x11, :lo12:guest_probe_esr]
	str	x10, [x9, :lo12:guest_probe_resume]
	dsb	sy
	ldr	x3, [x0]
	str	xzr, [x9, :lo12:guest_probe_resume]
	str	x3, [x1]
	mov	x0, #0
	ret
1:	ldr	x3, [x11, :lo12:guest_probe_esr]
	str	x3, [x2]
	mov	x0, #-1
	ret
END(guest_probe_read)

	.bss
	.balign 8
guest_probe_resume:
	.quad	0
guest_probe_esr:
	.quad	0
	.text

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
