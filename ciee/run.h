/* SPDX-License-Identifier: MIT */
/*
 * Entering a vCPU and taking its exit, inlined where the hot paths need
 * them (switch.c: VCPU_RUN; tee.c: the fast TEE call). All EL1 state is
 * switched here, so a VM and its TEE can share a physical CPU. A TEE's
 * FP/SIMD state is switched here too, lazily (ciee_run_tee()).
 */
#ifndef CIEE_RUN_H
#define CIEE_RUN_H

#include <arch/el1_context.h>
#include <arch/sysreg.h>

#include "../smm/checked.h"
#include "ciee.h"

/* switch.c: the rest of a TEE's run once it used FP/SIMD. */
uint64_t ciee_run_tee_with_fpsimd(struct ciee_fpsimd *tee_fp, struct vcpu_ctx *ctx);

/* One entry into the vCPU whose EL1 state and stage 2 are loaded; records the exit. */
static inline __attribute__((always_inline)) uint64_t ciee_enter_once(struct vcpu_ctx *ctx)
{
	uint64_t kind;

	write_sysreg(elr_el2, ctx->pc);
	write_sysreg(spsr_el2, ctx->pstate);
	isb();
	kind = ciee_guest_enter(ctx);
	ctx->pc = read_sysreg(elr_el2);
	ctx->pstate = read_sysreg(spsr_el2);
	/* After an interrupt the syndrome registers still hold an older exit's. */
	ctx->esr = kind == 0 ? read_sysreg(esr_el2) : 0;
	ctx->far = kind == 0 ? read_sysreg(far_el2) : 0;
	ctx->hpfar = kind == 0 ? read_sysreg(hpfar_el2) : 0;
	return kind;
}

/* The VTTBR_EL2 value of vm's stage 2. */
static inline uint64_t ciee_vm_vttbr(const struct ciee_vm *vm)
{
	return vm->s2.root_pa | ((uint64_t)vm->vmid << 48);
}

/*
 * A guest VM's run, its stage 2 already loaded: its FP/SIMD registers are
 * simply the physical ones. The stage 2 stays loaded after the exit: the
 * caller clears VTTBR_EL2 before the hypervisor runs, or loads its TEE's
 * over it (the fast TEE call: the CIEE itself runs untranslated by any
 * stage 2).
 */
static inline __attribute__((always_inline)) uint64_t ciee_run_vm_loaded(struct vcpu_ctx *ctx)
{
	uint64_t kind;

	el1_load(&ctx->el1);
	write_sysreg(vmpidr_el2, ctx->vmpidr);
	kind = ciee_enter_once(ctx);
	el1_save(&ctx->el1);
	return kind;
}

static inline __attribute__((always_inline)) uint64_t ciee_run_vm_keep_s2(struct ciee_vm *vm,
									  struct vcpu_ctx *ctx)
{
	write_sysreg_checked(vttbr_el2, ciee_vm_vttbr(vm));
	return ciee_run_vm_loaded(ctx);
}

static inline __attribute__((always_inline)) uint64_t ciee_run_vm(struct ciee_vm *vm,
								  struct vcpu_ctx *ctx)
{
	uint64_t kind = ciee_run_vm_keep_s2(vm, ctx);

	/* The hypervisor never runs with a guest's stage 2 loaded. */
	write_sysreg_checked(vttbr_el2, 0);
	return kind;
}

/*
 * A TEE's run, with lazy FP/SIMD switching. Outside a TEE the FP/SIMD
 * registers belong to the VM (the hypervisor does not switch them) and
 * CPTR_EL2.TFP is clear, so guests and the hypervisor use FP untrapped.
 * While a TEE runs TFP is set: its first FP/SIMD instruction traps here,
 * the VM's registers go to per-CPU CIEE memory, the TEE's are loaded from
 * CIEE memory, and the TEE re-executes the instruction. Whatever makes it
 * leave (call done, MMIO, fault, interrupt), its registers go back and the
 * VM's are restored before the hypervisor runs. A TEE that does not use FP
 * costs two msr (next to VTTBR_EL2's, under the same check), nothing more.
 */
static inline __attribute__((always_inline)) uint64_t
ciee_run_tee_then(struct ciee_vm *vm, struct vcpu_ctx *ctx, struct ciee_fpsimd *tee_fp,
		  uint64_t vttbr_after, uint64_t tee_ich_hcr)
{
	/*
	 * The VM's virtual GIC interface (ICH_HCR_EL2, set by the hypervisor
	 * for the VM) is off while a TEE runs on the fast call's path
	 * (tee_ich_hcr 0): a TEE gets none of its VM's virtual interrupts and
	 * its list registers. Every other run loads the TEE's own list
	 * registers first (tee_virq.c) and turns it on (tee_ich_hcr).
	 */
	uint64_t ich_hcr = read_sysreg(S3_4_C12_C11_0);
	uint64_t kind;

	write_sysreg(S3_4_C12_C11_0, tee_ich_hcr);
	el1_load(&ctx->el1);
	write_sysreg_pair_checked(cptr_el2, CPTR_EL2_RES1 | CPTR_EL2_TFP, vttbr_el2, ciee_vm_vttbr(vm));
	write_sysreg(vmpidr_el2, ctx->vmpidr);
	kind = ciee_enter_once(ctx);
	/* ESR_EL2 is stale after an interrupt: only a synchronous exit counts. */
	if (((ctx->esr >> ESR_EC_SHIFT) & ESR_EC_MASK) == EC_FP_ASIMD && kind == 0)
		kind = ciee_run_tee_with_fpsimd(tee_fp, ctx);
	el1_save(&ctx->el1);
	/*
	 * The TEE's stage 2 and TFP go; the next is 0 (the hypervisor never
	 * runs with a guest's stage 2 loaded) or, for the fast TEE call, the
	 * calling VM's, entered next.
	 */
	write_sysreg_pair_checked(cptr_el2, CPTR_EL2_RES1, vttbr_el2, vttbr_after);
	write_sysreg(S3_4_C12_C11_0, ich_hcr);
	return kind;
}

static inline __attribute__((always_inline)) uint64_t ciee_run_tee(struct ciee_vm *vm,
								   struct vcpu_ctx *ctx,
								   struct ciee_fpsimd *tee_fp)
{
	return ciee_run_tee_then(vm, ctx, tee_fp, 0, 0);
}

#endif
