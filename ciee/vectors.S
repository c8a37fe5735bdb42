/* SPDX-License-Identifier: MIT */
/*
 * EL2 exception vectors, owned by the CIEE (the hypervisor cannot write
 * VBAR_EL2). An exit from a guest (VM or TEE) saves its registers into
 * the running vCPU's context and returns from ciee_guest_enter() with the
 * kind of exit; the CIEE then decides what the hypervisor may see.
 * Exceptions taken at EL2 itself are bugs: reported, then power-off.
 */
#include <arch/asm.h>
#include <vtz/vcpu_ctx.h>
#include "percpu.h"

#define EXIT_SYNC 0
#define EXIT_IRQ 1
#define EXIT_FIQ 2
#define EXIT_SERROR 3

.macro el2_unexpected kind
	.balign 0x80
	mov	x0, #\kind
	b	ciee_el2_unexpected_entry
.endm

.macro guest_exit kind
	.balign 0x80
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\kind
	b	ciee_guest_exit
.endm

	.text
	.balign 0x800
ENTRY(ciee_vectors)
	el2_unexpected 0
	el2_unexpected 1
	el2_unexpected 2
	el2_unexpected 3
	el2_unexpected 4
	el2_unexpected 5
	el2_unexpected 6
	el2_unexpected 7
	guest_exit EXIT_SYNC
	guest_exit EXIT_IRQ
	guest_exit EXIT_FIQ
	guest_exit EXIT_SERROR
	el2_unexpected 12
	el2_unexpected 13
	el2_unexpected 14
	el2_unexpected 15
END(ciee_vectors)

/* uint64_t ciee_guest_enter(struct vcpu_ctx *ctx): ELR/SPSR/EL1 state already loaded. */
ENTRY(ciee_guest_enter)
	mrs	x1, tpidr_el2
	str	x0, [x1, #PERCPU_GUEST]
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

/* Guest exit: guest x0, x1 on the stack, x1 = exit kind. */
ENTRY(ciee_guest_exit)
	mrs	x0, tpidr_el2
	ldr	x0, [x0, #PERCPU_GUEST]
	stp	x2, x3, [x0, #16]
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
	stp	x2, x3, [x0, #0]
	mov	x0, x1
	mrs	x1, tpidr_el2
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

/* Exception at EL2: report it on a known-good stack and stop. */
ENTRY(ciee_el2_unexpected_entry)
	mrs	x9, mpidr_el1
	and	x9, x9, #0xff
	adrp	x10, __ciee_stacks_start
	add	x10, x10, :lo12:__ciee_stacks_start
	add	x9, x9, #1
	lsl	x9, x9, #14
	add	sp, x10, x9
	mrs	x1, esr_el2
	mrs	x2, elr_el2
	mrs	x3, far_el2
	mrs	x4, spsr_el2
	bl	ciee_el2_unexpected
1:	wfi
	b	1b
END(ciee_el2_unexpected_entry)
