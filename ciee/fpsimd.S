/* SPDX-License-Identifier: MIT */
/*
 * FP/SIMD register switch for the CIEE's lazy TEE switching (switch.c).
 * The CIEE's C code is built with -mgeneral-regs-only, so the only FP/SIMD
 * instructions of the CIEE are these. The caller has cleared
 * CPTR_EL2.TFP: on ARMv8.0 without VHE it traps EL2's own use as well.
 */
#include <arch/asm.h>
#include <arch/fpsimd_asm.h>

	.text
/*
 * void ciee_fpsimd_swap(struct ciee_fpsimd *save, const struct ciee_fpsimd *load)
 * Store every FP/SIMD register (q0..q31, FPSR, FPCR) into save, then load
 * every one of them from load: nothing of the previous owner stays behind.
 * Both buffers are 16-byte aligned (CIEE mode accesses Device memory).
 */
ENTRY(ciee_fpsimd_swap)
	fpsimd_store x0, x2, x3
	fpsimd_load x1, x2, x3
	mov	x2, xzr
	mov	x3, xzr
	ret
END(ciee_fpsimd_swap)
