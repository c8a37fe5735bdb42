/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vectors, owned by the CIEE (the hypervisor cannot write
 * VBAR_EL2). What an exception means depends on the mode it hits:
 *  - CIEE mode, from a lower EL, with a guest entered by the CIEE: a guest
 *    exit. Its registers are saved into that vCPU's context and
 *    ciee_guest_enter() returns the kind of exit to the CIEE code.
 *  - CIEE mode otherwise: a CIEE bug or a forged exit: report and halt.
 *  - hypervisor mode: the hypervisor's own exception (including a guest it
 *    ERETed to by itself): handed to the hypervisor's fault entry. It runs
 *    there in hypervisor mode, so this grants it nothing.
 */
#include <arch/asm.h>
#include <arch/sysreg.h>
#include <vtz/platform.h>
#include <vtz/vcpu_ctx.h>
#include "percpu.h"

#define EXIT_SYNC 0
#define EXIT_IRQ 1
#define EXIT_FIQ 2
#define EXIT_SERROR 3

/* Hypervisor mode: branch to the hypervisor's fault entry (image + 0x20). */
.macro to_hyp_if_hyp_mode kind
	stp	x0, x1, [sp, #-16]!
	mrs	x0, sctlr_el2
	tbz	x0, #0, 1f		/* M clear: CIEE mode */
	mov	x0, #\kind
	b	hyp_fault_entry
1:	ldp	x0, x1, [sp], #16
.endm

.macro el2_current kind
	.balign 0x80
	to_hyp_if_hyp_mode \kind
	mov	x0, #\kind
	b	ciee_el2_unexpected_entry
.endm

.macro lower_el kind, exit
	.balign 0x80
	stp	x0, x1, [sp, #-16]!
	mrs	x0, sctlr_el2
	tbz	x0, #0, 1f		/* M clear: CIEE mode */
	mov	x0, #\kind
	b	hyp_fault_entry
1:	mov	x1, #\exit
	b	ciee_guest_exit
.endm

	.text
	.balign 0x800
ENTRY(ciee_vectors)
	el2_current 0
	el2_current 1
	el2_current 2
	el2_current 3
	el2_current 4
	el2_current 5
	el2_current 6
	el2_current 7
	lower_el 8, EXIT_SYNC
	lower_el 9, EXIT_IRQ
	lower_el 10, EXIT_FIQ
	lower_el 11, EXIT_SERROR
	el2_current 12
	el2_current 13
	el2_current 14
	el2_current 15
END(ciee_vectors)

/*
 * uint64_t ciee_guest_enter(struct vcpu_ctx *ctx): ELR/SPSR/EL1 state already
 * loaded. ctx is CIEE memory (a copy, or a TEE vCPU's own).
 */
ENTRY(ciee_guest_enter)
	/*
	 * The state the ERET enters, from SPSR_EL2 itself (nothing but this CPU
	 * writes it, interrupts masked): AArch64 EL0t, EL1t or EL1h only. An
	 * ERET to EL2 from CIEE mode would run at EL2 with the MMU off.
	 */
	mrs	x2, spsr_el2
	and	x2, x2, #0x1f
	cmp	x2, #0x5		/* EL1h */
	b.eq	1f
	cmp	x2, #0x4		/* EL1t */
	b.eq	1f
	cbnz	x2, ciee_halt_bad_eret	/* not EL0t either */
1:
	percpu_ptr x1, x2
	str	x0, [x1, #PERCPU_GUEST]
	mov	x2, #1
	str	x2, [x1, #PERCPU_IN_GUEST]
	add	x2, x1, #PERCPU_HOST
	stp	x19, x20, [x2, #0]
	stp	x21, x22, [x2, #16]
	stp	x23, x24, [x2, #32]
	stp	x25, x26, [x2, #48]
	stp	x27, x28, [x2, #64]
	stp	x29, x30, [x2, #80]
	mov	x3, sp
	str	x3, [x2, #96]
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #VCPU_CTX_X30]
	ldp	x0, x1, [x0, #0]
	eret
END(ciee_guest_enter)

/*
 * Guest exit in CIEE mode: guest x0, x1 on the stack, x1 = exit kind.
 * Only valid if this CPU entered a guest through ciee_guest_enter.
 */
ENTRY(ciee_guest_exit)
	stp	x2, x3, [sp, #-16]!
	percpu_ptr x0, x2
	ldr	x2, [x0, #PERCPU_IN_GUEST]
	cbz	x2, ciee_halt_spurious_exit
	str	xzr, [x0, #PERCPU_IN_GUEST]
	ldr	x0, [x0, #PERCPU_GUEST]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #VCPU_CTX_X30]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #16]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #0]
	mov	x0, x1
	percpu_ptr x1, x2
	add	x1, x1, #PERCPU_HOST
	ldp	x19, x20, [x1, #0]
	ldp	x21, x22, [x1, #16]
	ldp	x23, x24, [x1, #32]
	ldp	x25, x26, [x1, #48]
	ldp	x27, x28, [x1, #64]
	ldp	x29, x30, [x1, #80]
	ldr	x2, [x1, #96]
	mov	sp, x2
	mov	x2, xzr
	mov	x3, xzr
	ret
END(ciee_guest_exit)

/* Exception at EL2 in CIEE mode: a CIEE bug. Report on a known-good stack, stop. */
ENTRY(ciee_el2_unexpected_entry)
	msr	daifset, #0xf
	ciee_stack x9, x10
	mrs	x1, esr_el2
	mrs	x2, elr_el2
	mrs	x3, far_el2
	mrs	x4, spsr_el2
	bl	ciee_el2_unexpected
	b	ciee_halt_forever
END(ciee_el2_unexpected_entry)
