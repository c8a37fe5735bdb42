/* SPDX-License-Identifier: MIT */
/*
 * Native TrustZone (monitor-native only): entering the TEE at S-EL1 and
 * getting back when it executes SMC. The C dispatcher calls
 * tee_world_enter() like a function; it returns when the TEE's next SMC
 * (or other synchronous exception) reaches EL3, which vectors.S sends to
 * tee_world_exit because SCR_EL3.NS is 0 while the TEE runs. In between,
 * the EL3 stack below the caller's frame is free for that exception.
 * Every CPU may be in the TEE at once (an SMP secure OS), so the callee's
 * registers are kept per CPU, in the slot of MPIDR_EL1.Aff0 (entry.S
 * parks any CPU >= 8 before it can get here), which TPIDR_EL3 (EL3's
 * alone) holds from reset on: tee_switch_init_cpu().
 */
#include <arch/asm.h>
#include <arch/sysreg.h>

/* Layout of tee_el3_saved. */
#define SAVED_X19 0
#define SAVED_SP 96	/* after x19..x30 */
#define SAVED_GPRS 104	/* where tee_world_exit puts the TEE's x0..x30; 0 = not in the TEE */
#define SAVED_SIZE 112
#define SAVED_CPUS 8	/* PLAT_MAX_CPUS */

	.bss
	.balign 16
tee_el3_saved:
	.skip	SAVED_SIZE * SAVED_CPUS

	.text
/*
 * void tee_switch_init_cpu(void): TPIDR_EL3 = this CPU's slot of
 * tee_el3_saved. Every CPU, at reset (monitor_el3_init()), before it can
 * enter the TEE.
 */
ENTRY(tee_switch_init_cpu)
	mrs	x0, mpidr_el1
	and	x0, x0, #MPIDR_AFF0_MASK
	mov	x1, #SAVED_SIZE
	mul	x0, x0, x1
	adrp	x1, tee_el3_saved
	add	x1, x1, :lo12:tee_el3_saved
	add	x0, x1, x0
	msr	tpidr_el3, x0
	ret
END(tee_switch_init_cpu)

/*
 * uint64_t tee_world_enter(uint64_t gprs[31]): ELR_EL3, SPSR_EL3, SCR_EL3
 * and the EL1 system registers are already the TEE's. Loads x0..x30 from
 * gprs and ERETs; returns 0 once the TEE's registers are back in gprs.
 */
ENTRY(tee_world_enter)
	mrs	x9, tpidr_el3
	stp	x19, x20, [x9, #SAVED_X19 + 0]
	stp	x21, x22, [x9, #SAVED_X19 + 16]
	stp	x23, x24, [x9, #SAVED_X19 + 32]
	stp	x25, x26, [x9, #SAVED_X19 + 48]
	stp	x27, x28, [x9, #SAVED_X19 + 64]
	stp	x29, x30, [x9, #SAVED_X19 + 80]
	mov	x10, sp
	str	x10, [x9, #SAVED_SP]
	str	x0, [x9, #SAVED_GPRS]
	mov	x30, x0
	ldp	x0, x1, [x30, #0]
	ldp	x2, x3, [x30, #16]
	ldp	x4, x5, [x30, #32]
	ldp	x6, x7, [x30, #48]
	ldp	x8, x9, [x30, #64]
	ldp	x10, x11, [x30, #80]
	ldp	x12, x13, [x30, #96]
	ldp	x14, x15, [x30, #112]
	ldp	x16, x17, [x30, #128]
	ldp	x18, x19, [x30, #144]
	ldp	x20, x21, [x30, #160]
	ldp	x22, x23, [x30, #176]
	ldp	x24, x25, [x30, #192]
	ldp	x26, x27, [x30, #208]
	ldp	x28, x29, [x30, #224]
	ldr	x30, [x30, #240]
	eret
END(tee_world_enter)

/*
 * From monitor_lower_sync, for an exception from the secure world: sp
 * points at the frame holding the TEE's x0..x30. Copy them out, then
 * return from tee_world_enter on the stack it was called with.
 */
ENTRY(tee_world_exit)
	mrs	x9, tpidr_el3
	ldr	x10, [x9, #SAVED_GPRS]
	/* Secure world running without an entry of ours: cannot happen; stop. */
	cbz	x10, tee_world_exit_bad
	str	xzr, [x9, #SAVED_GPRS]
	mov	x11, sp
	mov	x12, #15
1:	ldp	x13, x14, [x11], #16
	stp	x13, x14, [x10], #16
	subs	x12, x12, #1
	b.ne	1b
	ldr	x13, [x11]
	str	x13, [x10]
	ldp	x19, x20, [x9, #SAVED_X19 + 0]
	ldp	x21, x22, [x9, #SAVED_X19 + 16]
	ldp	x23, x24, [x9, #SAVED_X19 + 32]
	ldp	x25, x26, [x9, #SAVED_X19 + 48]
	ldp	x27, x28, [x9, #SAVED_X19 + 64]
	ldp	x29, x30, [x9, #SAVED_X19 + 80]
	ldr	x10, [x9, #SAVED_SP]
	mov	sp, x10
	mov	x0, xzr
	ret
END(tee_world_exit)

tee_world_exit_bad:
	mrs	x1, esr_el3
	mrs	x2, elr_el3
	mrs	x3, far_el3
	mrs	x4, spsr_el3
	mov	x0, #8
	bl	monitor_unexpected
2:	wfi
	b	2b

/*
 * monitor_enter_ns_el1(entry, x0): the normal world's first entry, at
 * NS-EL1h with interrupts masked and the MMU off; no hypervisor below.
 * x0 is passed on (the DTB, as a boot loader would).
 */
ENTRY(monitor_enter_ns_el1)
	msr	elr_el3, x0
	mov	x4, #(SPSR_EL1H | (0xf << 6))
	msr	spsr_el3, x4
	mov	x0, x1
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	/* Reset this CPU's EL3 stack: nothing below survives the ERET. */
	mrs	x5, mpidr_el1
	and	x5, x5, #MPIDR_AFF0_MASK
	adrp	x6, __stacks_start
	add	x6, x6, :lo12:__stacks_start
	add	x5, x5, #1
	lsl	x5, x5, #13
	add	sp, x6, x5
	/* Nothing of the monitor's is left in a register. */
	.irp	n, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	mov	x\n, xzr
	.endr
	isb
	eret
END(monitor_enter_ns_el1)
