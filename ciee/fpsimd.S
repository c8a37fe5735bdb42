/* SPDX-License-Identifier: MIT */
/*
 * FP/SIMD register switch for the CIEE's lazy TEE switching (switch.c).
 * The CIEE's C code is built with -mgeneral-regs-only, so the only FP/SIMD
 * instructions of the CIEE are these. The caller has cleared
 * CPTR_EL2.TFP: on ARMv8.0 without VHE it traps EL2's own use as well.
 */
#include <arch/asm.h>

	.text
/*
 * void ciee_fpsimd_swap(struct ciee_fpsimd *save, const struct ciee_fpsimd *load)
 * Store every FP/SIMD register (q0..q31, FPSR, FPCR) into save, then load
 * every one of them from load: nothing of the previous owner stays behind.
 * Both buffers are 16-byte aligned (CIEE mode accesses Device memory).
 */
ENTRY(ciee_fpsimd_swap)
	stp	q0, q1, [x0, #0]
	stp	q2, q3, [x0, #32]
	stp	q4, q5, [x0, #64]
	stp	q6, q7, [x0, #96]
	stp	q8, q9, [x0, #128]
	stp	q10, q11, [x0, #160]
	stp	q12, q13, [x0, #192]
	stp	q14, q15, [x0, #224]
	stp	q16, q17, [x0, #256]
	stp	q18, q19, [x0, #288]
	stp	q20, q21, [x0, #320]
	stp	q22, q23, [x0, #352]
	stp	q24, q25, [x0, #384]
	stp	q26, q27, [x0, #416]
	stp	q28, q29, [x0, #448]
	stp	q30, q31, [x0, #480]
	mrs	x2, fpsr
	mrs	x3, fpcr
	str	x2, [x0, #512]
	str	x3, [x0, #520]
	ldp	q0, q1, [x1, #0]
	ldp	q2, q3, [x1, #32]
	ldp	q4, q5, [x1, #64]
	ldp	q6, q7, [x1, #96]
	ldp	q8, q9, [x1, #128]
	ldp	q10, q11, [x1, #160]
	ldp	q12, q13, [x1, #192]
	ldp	q14, q15, [x1, #224]
	ldp	q16, q17, [x1, #256]
	ldp	q18, q19, [x1, #288]
	ldp	q20, q21, [x1, #320]
	ldp	q22, q23, [x1, #352]
	ldp	q24, q25, [x1, #384]
	ldp	q26, q27, [x1, #416]
	ldp	q28, q29, [x1, #448]
	ldp	q30, q31, [x1, #480]
	ldr	x2, [x1, #512]
	ldr	x3, [x1, #520]
	msr	fpsr, x2
	msr	fpcr, x3
	mov	x2, xzr
	mov	x3, xzr
	ret
END(ciee_fpsimd_swap)
