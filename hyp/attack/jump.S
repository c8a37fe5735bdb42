/* SPDX-License-Identifier: MIT */
/*
 * hyp_jump_with_regs(addr, value): branch into the middle of the CIEE with
 * every argument and scratch register holding value, as an attacker would.
 * If the CIEE ever returned, we come back here and return 0.
 */
#include <arch/asm.h>
#include <arch/fpsimd_asm.h>

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

/*
 * hyp_gate_capture(regs_out[31], call, a1, a2, a3): call the CIEE gate and
 * store every general register exactly as the gate left it, to see what a
 * TEE call leaves behind. x19/x20 hold our state; they are callee-saved, so
 * the gate restores them and they are not evidence either way.
 */
ENTRY(hyp_gate_capture)
	stp	x29, x30, [sp, #-32]!
	stp	x19, x20, [sp, #16]
	mov	x29, sp
	mov	x19, x0
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, x4
	mov	x4, xzr
	mov	x5, xzr
	mov_imm64 x20, 0x40100008	/* PLAT_CIEE_BASE + CIEE_GATE_OFFSET */
	blr	x20
	stp	x0, x1, [x19, #0]
	stp	x2, x3, [x19, #16]
	stp	x4, x5, [x19, #32]
	stp	x6, x7, [x19, #48]
	stp	x8, x9, [x19, #64]
	stp	x10, x11, [x19, #80]
	stp	x12, x13, [x19, #96]
	stp	x14, x15, [x19, #112]
	stp	x16, x17, [x19, #128]
	stp	x18, xzr, [x19, #144]
	stp	xzr, x21, [x19, #160]
	stp	x22, x23, [x19, #176]
	stp	x24, x25, [x19, #192]
	stp	x26, x27, [x19, #208]
	stp	x28, xzr, [x19, #224]
	str	xzr, [x19, #240]
	mov	sp, x29
	ldp	x19, x20, [sp, #16]
	ldp	x29, x30, [sp], #32
	ret
END(hyp_gate_capture)

/*
 * hyp_probe_eret(pc): the hypervisor enters EL1 at pc by itself (no CIEE),
 * with whatever EL2 state it can reach. Returns 1 when the guest side
 * faulted back to us (hyp_fault() resumes at the label), 0 never.
 */
ENTRY(hyp_probe_eret)
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	mrs	x9, mpidr_el1
	and	x9, x9, #0xff
	adrp	x10, hyp_probe_recover
	add	x10, x10, :lo12:hyp_probe_recover
	adr	x11, 1f
	str	x11, [x10, x9, lsl #3]
	msr	elr_el2, x0
	mov	x1, #0x3c5			/* EL1h, interrupts masked */
	msr	spsr_el2, x1
	isb
	eret
1:	mov	sp, x29
	ldp	x29, x30, [sp], #16
	mov	x0, #1
	ret
END(hyp_probe_eret)

/*
 * hyp_fp_fill(pattern, fpsr, fpcr): the hypervisor's own FP/SIMD values,
 * qN = { pattern + N, ~(pattern + N) }. FP/SIMD instructions are not
 * forbidden to the hypervisor; CPTR_EL2.TFP is clear while it runs.
 */
ENTRY(hyp_fp_fill)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	add	x9, x0, #\n
	fmov	d\n, x9
	mvn	x9, x9
	fmov	v\n\().d[1], x9
	.endr
	msr	fpsr, x1
	msr	fpcr, x2
	ret
END(hyp_fp_fill)

/* hyp_fp_dump(out[66]): q0..q31 (low half first), then FPSR, FPCR. */
ENTRY(hyp_fp_dump)
	fpsimd_store x0, x1, x2
	ret
END(hyp_fp_dump)

/*
 * hyp_branch_to_smc(site, fid, r[11]): run the CIEE's own monitor call
 * site from hypervisor mode, set up the way ciee_monitor_smc (ciee/
 * monitor_call.S) sets it up: x0 = fid, x1..x11 = r, x12 = r, then branch
 * to its `smc`. What follows the smc there stores x1..x4 to [x12] and
 * returns through x30 to us. Returns the monitor's x0.
 */
ENTRY(hyp_branch_to_smc)
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	mov	x16, x0
	mov	x0, x1
	mov	x12, x2
	ldp	x1, x2, [x12]
	ldp	x3, x4, [x12, #16]
	ldp	x5, x6, [x12, #32]
	ldp	x7, x8, [x12, #48]
	ldp	x9, x10, [x12, #64]
	ldr	x11, [x12, #80]
	blr	x16
	mov	sp, x29
	ldp	x29, x30, [sp], #16
	ret
END(hyp_branch_to_smc)
