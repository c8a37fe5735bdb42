/* SPDX-License-Identifier: MIT */
/*
 * Saving and loading every FP/SIMD register (q0..q31, then FPSR and FPCR
 * at +512 and +520: 528 bytes, 16-byte aligned), for whoever switches
 * them: the CIEE for TEEs (ciee/fpsimd.S), the hypervisor for Linux vCPUs
 * (hyp/fpsimd.S) and its attack suite. Assembler macros only.
 */
#ifndef ARCH_FPSIMD_ASM_H
#define ARCH_FPSIMD_ASM_H

#define FPSIMD_FPSR_OFFSET 512
#define FPSIMD_FPCR_OFFSET 520

#ifdef __ASSEMBLY__
/* Store them all at [\base]; \t1, \t2 are scratch. */
.macro fpsimd_store base, t1, t2
	stp	q0, q1, [\base, #0]
	stp	q2, q3, [\base, #32]
	stp	q4, q5, [\base, #64]
	stp	q6, q7, [\base, #96]
	stp	q8, q9, [\base, #128]
	stp	q10, q11, [\base, #160]
	stp	q12, q13, [\base, #192]
	stp	q14, q15, [\base, #224]
	stp	q16, q17, [\base, #256]
	stp	q18, q19, [\base, #288]
	stp	q20, q21, [\base, #320]
	stp	q22, q23, [\base, #352]
	stp	q24, q25, [\base, #384]
	stp	q26, q27, [\base, #416]
	stp	q28, q29, [\base, #448]
	stp	q30, q31, [\base, #480]
	mrs	\t1, fpsr
	mrs	\t2, fpcr
	str	\t1, [\base, #FPSIMD_FPSR_OFFSET]
	str	\t2, [\base, #FPSIMD_FPCR_OFFSET]
.endm

/* Load them all from [\base]; \t1, \t2 are scratch. */
.macro fpsimd_load base, t1, t2
	ldp	q0, q1, [\base, #0]
	ldp	q2, q3, [\base, #32]
	ldp	q4, q5, [\base, #64]
	ldp	q6, q7, [\base, #96]
	ldp	q8, q9, [\base, #128]
	ldp	q10, q11, [\base, #160]
	ldp	q12, q13, [\base, #192]
	ldp	q14, q15, [\base, #224]
	ldp	q16, q17, [\base, #256]
	ldp	q18, q19, [\base, #288]
	ldp	q20, q21, [\base, #320]
	ldp	q22, q23, [\base, #352]
	ldp	q24, q25, [\base, #384]
	ldp	q26, q27, [\base, #416]
	ldp	q28, q29, [\base, #448]
	ldp	q30, q31, [\base, #480]
	ldr	\t1, [\base, #FPSIMD_FPSR_OFFSET]
	ldr	\t2, [\base, #FPSIMD_FPCR_OFFSET]
	msr	fpsr, \t1
	msr	fpcr, \t2
.endm
#endif

#endif
