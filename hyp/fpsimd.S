/* SPDX-License-Identifier: MIT */
/*
 * A vCPU's FP/SIMD registers (q0..q31, FPSR, FPCR), saved after it runs
 * and loaded before it runs again: several vCPUs share a CPU, and Linux
 * (and glibc's string functions) keep live state there. The hypervisor's
 * C code is built -mgeneral-regs-only, so between the two nothing of ours
 * touches them. (A TEE's FP/SIMD state is the CIEE's business: it saves
 * and restores the VM's around every TEE run.)
 * Layout: struct vcpu_fpsimd in hyp/hyp.h, 16-byte aligned.
 */
#include <arch/asm.h>

	.text
/* void vcpu_fpsimd_save(struct vcpu_fpsimd *to) */
ENTRY(vcpu_fpsimd_save)
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
	ret
END(vcpu_fpsimd_save)

/* void vcpu_fpsimd_load(const struct vcpu_fpsimd *from) */
ENTRY(vcpu_fpsimd_load)
	ldp	q0, q1, [x0, #0]
	ldp	q2, q3, [x0, #32]
	ldp	q4, q5, [x0, #64]
	ldp	q6, q7, [x0, #96]
	ldp	q8, q9, [x0, #128]
	ldp	q10, q11, [x0, #160]
	ldp	q12, q13, [x0, #192]
	ldp	q14, q15, [x0, #224]
	ldp	q16, q17, [x0, #256]
	ldp	q18, q19, [x0, #288]
	ldp	q20, q21, [x0, #320]
	ldp	q22, q23, [x0, #352]
	ldp	q24, q25, [x0, #384]
	ldp	q26, q27, [x0, #416]
	ldp	q28, q29, [x0, #448]
	ldp	q30, q31, [x0, #480]
	ldr	x2, [x0, #512]
	ldr	x3, [x0, #520]
	msr	fpsr, x2
	msr	fpcr, x3
	ret
END(vcpu_fpsimd_load)
