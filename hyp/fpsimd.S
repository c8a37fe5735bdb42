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
#include <arch/fpsimd_asm.h>

	.text
/* void vcpu_fpsimd_save(struct vcpu_fpsimd *to) */
ENTRY(vcpu_fpsimd_save)
	fpsimd_store x0, x2, x3
	ret
END(vcpu_fpsimd_save)

/* void vcpu_fpsimd_load(const struct vcpu_fpsimd *from) */
ENTRY(vcpu_fpsimd_load)
	fpsimd_load x0, x2, x3
	ret
END(vcpu_fpsimd_load)
