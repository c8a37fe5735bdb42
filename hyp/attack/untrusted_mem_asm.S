/* SPDX-License-Identifier: MIT */
/*
 * Code for the attacks of hyp/attack/untrusted_mem.c: guest stubs (copied
 * into a guest VM's RAM, run at EL1 through the CIEE) and the payload the
 * compromised hypervisor wants the CIEE to ERET into at EL2.
 */
#include <arch/asm.h>

/*
 * um_el2_payload: where the vCPU-context race (attack 4) wants the CIEE to
 * land, at EL2 and still in CIEE mode (EL2 MMU off). The same address is
 * an IPA of the guest VM whose context is raced, and that IPA holds
 * um_stub_race (a copy, in guest RAM). So whichever mix of the guest's
 * pc/pstate and the attacker's the CIEE picks up, it enters code that
 * exists: at EL1, the guest's loop (from its start); at EL2, every pc the
 * guest loop can have falls in the nop sled and reaches the report. The
 * report (SCTLR_EL2, CurrentEL, MPIDR) is stored with the MMU off: plain
 * aligned 64-bit stores to the hypervisor's identity-mapped .bss. Then the
 * CPU parks for good, interrupts masked: nothing is left running in the
 * CIEE's name.
 */
	.text
	.balign 64
ENTRY(um_el2_payload)
	.rept 32
	nop
	.endr
	mrs	x0, sctlr_el2
	mrs	x1, CurrentEL
	mrs	x2, mpidr_el1
	adrp	x3, um_el2_report
	add	x3, x3, :lo12:um_el2_report
	str	x0, [x3, #8]
	str	x1, [x3, #16]
	str	x2, [x3, #24]
	mov	x0, #1
	dsb	sy
	str	x0, [x3]
	dsb	sy
	sev
1:	wfe
	b	1b
END(um_el2_payload)

/* Guest stubs: data for the hypervisor, code for the guest that runs them. */
	.section .rodata.um_stubs, "a"
	.balign 8

/*
 * Attack 4's guest (at the IPA equal to um_el2_payload): fast TEE calls
 * (x0 = OPTEE_SMC_CALLS_UID: no console output, so no MMIO stop ends the
 * VCPU_RUN) until x5 reaches x7, counting in [x6]; then hvc. Re-entered
 * at its start it just goes on.
 */
	.global um_stub_race, um_stub_race_end
um_stub_race:
	movz	x0, #0xff01
	movk	x0, #0xbf00, lsl #16
	smc	#0
	add	x5, x5, #1
	str	x5, [x6]
	cmp	x5, x7
	b.lo	um_stub_race
	hvc	#0
um_stub_race_end:

/* Attack 2: x0 (stored back by the CIEE, over the hypervisor's text) = x1. */
	.global um_stub_x0, um_stub_x0_end
um_stub_x0:
	mov	x0, x1
	hvc	#0
um_stub_x0_end:

/* Attack 3: three EL1 registers the CIEE loaded, into x1..x3. */
	.global um_stub_el1, um_stub_el1_end
um_stub_el1:
	mrs	x1, tpidr_el1
	mrs	x2, tpidrro_el0
	mrs	x3, tpidr_el0
	hvc	#0
um_stub_el1_end:

/* Attack 1: x1 = [x0 + 40], then [x0] = x2, through the VM's stage 2. */
	.global um_stub_alias, um_stub_alias_end
um_stub_alias:
	ldr	x1, [x0, #40]
	str	x2, [x0]
	hvc	#0
um_stub_alias_end:

/* A TEE call: smc with x0..x2 as set, then hvc with the reply in x0..x3. */
	.global um_stub_call, um_stub_call_end
um_stub_call:
	smc	#0
	hvc	#0
um_stub_call_end:

/* What attack 2 has the CIEE write over the text: `mov w0, #0x1234; ret`. */
	.global um_text_payload
	.balign 8
um_text_payload:
	movz	w0, #0x1234
	ret

/*
 * long um_gate_spsel0(call, a1, a2, a3, a4, gate): the CIEE's gate (at
 * `gate`; a5 of the call is 0) called
 * with SPSel = 0, so that `sp` means SP_EL0 when the gate starts. Our own
 * stack stays in SP_EL2, untouched, and is ours again after `msr spsel, #1`
 * (SP_EL0 may hold a guest's value by then: a guest entry loads it).
 */
	.text
ENTRY(um_gate_spsel0)
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	mov	x9, sp
	msr	spsel, #0
	mov	sp, x9			/* SP_EL0: a usable stack for the gate to start from */
	mov	x9, x5
	mov	x5, xzr
	blr	x9
	msr	spsel, #1
	ldp	x29, x30, [sp], #16
	ret
END(um_gate_spsel0)
