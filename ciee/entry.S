/* SPDX-License-Identifier: MIT */
/*
 * CIEE image header, boot entries, the gate and the halt path.
 *
 * The first three words are fixed entry points (include/vtz/ciee_abi.h):
 * the monitor enters at +0 (boot CPU) or +4 (CPU_ON), the hypervisor
 * calls +8 for every CIEE service. The security argument for the gate is
 * in docs/security.md; in short: CIEE mode is "EL2 MMU off", which the
 * hypervisor cannot redirect, and every write of SCTLR_EL2 (or any other
 * register that decides isolation) is followed by a check against
 * constants in the instruction stream.
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
	.quad	__ciee_text_end - ciee_header /* +0x18 */
	.quad	ciee_monitor_smc_site - ciee_header /* +0x20: the monitor's call site */
	.quad	__ciee_load_end - ciee_header /* +0x28: loaded bytes; the signature trailer follows */
END(ciee_header)

/*
 * Boot CPU from the monitor: x0 = DTB address, x1 = RAM size, x2 = the
 * ACPI RSDP's address or 0. CIEE mode (MMU off).
 */
ENTRY(ciee_cold_entry)
	mov	x19, x0
	mov	x20, x1			/* RAM size, from the monitor */
	mov	x21, x2			/* RSDP, from the monitor */
	msr	daifset, #0xf
	assert_ciee_mode x9, x10
	ciee_stack x9, x10
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	mov	x0, x19
	mov	x1, x20
	mov	x2, x21
	bl	ciee_cold_main		/* returns the hypervisor entry in x0 */
	mov	x1, x19			/* the hypervisor's x0: DTB */
	mov	x2, x21			/* its x1: RSDP or 0 */
	mov	x3, x20			/* its x2: RAM size */
	mov	x21, xzr
	b	ciee_enter_hyp
END(ciee_cold_entry)

/* CPU_ON'd CPU from the monitor: x0 = context, x1 = requested entry. */
ENTRY(ciee_warm_entry)
	mov	x19, x0
	mov	x20, x1
	msr	daifset, #0xf
	assert_ciee_mode x9, x10
	ciee_stack x9, x10
	bl	ciee_warm_main		/* returns the hypervisor secondary entry */
	mov	x1, x19
	mov	x2, x20
	mov	x3, xzr
	b	ciee_enter_hyp
END(ciee_warm_entry)

/*
 * Leave CIEE mode for the hypervisor: x0 = entry, x1..x3 = its arguments.
 * Interrupts stay masked; the hypervisor chooses its own stack.
 */
ENTRY(ciee_enter_hyp)
	mov	x9, x0
	mov_imm x10, SCTLR_EL2_HYP
	msr	sctlr_el2, x10
	isb
	mrs	x10, sctlr_el2
	mov_imm x11, SCTLR_EL2_HYP
	cmp	x10, x11
	b.ne	ciee_halt_bad_entry
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, xzr
	mov	x10, xzr
	mov	x11, xzr
	mov	x19, xzr
	mov	x20, xzr
	mov	x29, xzr
	mov	x30, xzr
	br	x9
END(ciee_enter_hyp)

/*
 * The gate: the only way the hypervisor enters the CIEE.
 * In: x0 = call, x1..x5 = arguments, lr = return address. Out: x0.
 */
ENTRY(ciee_gate)
	mrs	x9, daif
	msr	daifset, #0xf
	/*
	 * The CIEE runs on SP_EL2 whatever the caller chose: with SPSel = 0 the
	 * stack switch below would move SP_EL0, which a guest entry reloads.
	 * The caller's SPSel comes back on the way out (in x13 meanwhile, then
	 * on the CIEE stack).
	 */
	mrs	x13, spsel
	msr	spsel, #1
	mov_imm x10, SCTLR_EL2_CIEE
	msr	sctlr_el2, x10		/* MMU off: the CIEE's view of memory */
	isb
	/* Entering here, or at the msr with another value, fails this check. */
	assert_ciee_mode x10, x11
	mov	x10, sp
	ciee_stack x11, x12
	stp	x9, x10, [sp, #-16]!	/* caller's DAIF and stack */
	stp	x30, x13, [sp, #-16]!	/* return address, caller's SPSel */
	bl	ciee_dispatch
	ldp	x30, x13, [sp], #16
	ldp	x9, x10, [sp], #16
	/* Back to the hypervisor's view, checked the same way. */
	mov_imm x11, SCTLR_EL2_HYP
	msr	sctlr_el2, x11
	isb
	mrs	x11, sctlr_el2
	mov_imm x12, SCTLR_EL2_HYP
	cmp	x11, x12
	b.ne	ciee_halt_bad_entry
	mov	sp, x10
	and	x13, x13, #1
	msr	spsel, x13
	/* Nothing of the CIEE or a TEE stays in a register. */
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

/*
 * A mode check failed: someone entered the CIEE other than through the
 * gate. Stop this CPU for good, in CIEE mode, on its own stack, and record
 * why (CIEE_CALL_CPU_STATUS reports it). Never returns.
 */
ENTRY(ciee_halt_bad_entry)
	mov	x19, #CIEE_HALT_BAD_ENTRY
	b	ciee_halt_common
END(ciee_halt_bad_entry)

ENTRY(ciee_halt_bad_eret)
	mov	x19, #CIEE_HALT_BAD_ERET
	b	ciee_halt_common
END(ciee_halt_bad_eret)

ENTRY(ciee_halt_spurious_exit)
	mov	x19, #CIEE_HALT_SPURIOUS_EXIT
	b	ciee_halt_common
END(ciee_halt_spurious_exit)

ENTRY(ciee_halt_common)
	msr	daifset, #0xf
	mov	x20, x30
	mov_imm x9, SCTLR_EL2_CIEE
	msr	sctlr_el2, x9
	isb
	ciee_stack x9, x10
	mov	x0, x19
	mov	x1, x20
	bl	ciee_halted
	b	ciee_halt_forever
END(ciee_halt_common)

ENTRY(ciee_halt_forever)
	msr	daifset, #0xf
1:	wfi
	b	1b
END(ciee_halt_forever)
