/* SPDX-License-Identifier: MIT */
/*
 * A TEE vCPU's state transitions (tee.c and the fast call share them),
 * and the fast TEE call itself, inlined into VCPU_RUN (switch.c): the
 * guest -> TEE -> guest null call is the hot path the benchmark's target
 * is about (docs/performance.md).
 */
#ifndef CIEE_TEE_FAST_H
#define CIEE_TEE_FAST_H

#include <stdbool.h>

#include <vtz/optee_abi.h>
#include <vtz/smccc.h>

#include "ciee.h"
#include "run.h"

/* One transition: from exactly `from`, or not at all. */
static inline bool tee_claim(struct ciee_tee_vcpu *tv, enum tee_state from, enum tee_state to)
{
	enum tee_state expected = from;

	return __atomic_compare_exchange_n(&tv->state, &expected, to, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}

/* Publish the next state of a vCPU this CPU holds (RUNNING or HELD). */
static inline void tee_set(struct ciee_tee_vcpu *tv, enum tee_state to)
{
	__atomic_store_n(&tv->state, to, __ATOMIC_RELEASE);
}

static inline enum tee_state tee_get(const struct ciee_tee_vcpu *tv)
{
	return __atomic_load_n(&tv->state, __ATOMIC_ACQUIRE);
}

static inline bool tee_is_dead(const struct ciee_tee *t)
{
	return __atomic_load_n(&t->dead, __ATOMIC_ACQUIRE);
}

/*
 * After a TEE's exit, before the hypervisor can run: its EL2 exit
 * registers, which the hypervisor could read at EL2, hold nothing of it.
 */
static inline void tee_clear_exit_regs(void)
{
	write_sysreg(elr_el2, 0);
	write_sysreg(spsr_el2, 0);
	write_sysreg(esr_el2, 0);
	write_sysreg(far_el2, 0);
	write_sysreg(hpfar_el2, 0);
}

/* tee.c: the error for a refused claim; forget a dead TEE's vCPU; the fast call's other exits. */
long tee_state_err(const struct ciee_tee *t, const struct ciee_tee_vcpu *tv);
void tee_vcpu_clear(struct ciee_tee_vcpu *tv);
long tee_call_fast_slow(struct ciee_vm *tee_vm, struct ciee_tee_vcpu *tv, uint64_t kind,
			struct ciee_mmio *mmio, uint64_t vm_vttbr);

/*
 * The fast way a VM's trusted-OS SMC reaches its TEE, from VCPU_RUN
 * (switch.c) right after the SMC trapped, with TEE_CALL's checks: vm is a
 * live guest VM with a TEE (the pair is held for the whole VCPU_RUN, so
 * its partner is too), vcpu < CIEE_MAX_VCPUS, and ctx is the CIEE's copy
 * of the caller's registers with the SMC taken. The call goes to the TEE
 * vCPU of the caller's index, claimed atomically. When the TEE answers
 * (CALL_DONE), its x1..x4 go straight into the caller's x0..x3, the VM's
 * stage 2 (vm_vttbr) is loaded again as the TEE's leaves, and the TEE's EL1
 * registers are left for the VM's, which VCPU_RUN loads next, to overwrite.
 * Any other exit is handled as in TEE_CALL, and if the TEE answers in the
 * end the VM's stage 2 is loaded again too; a refused claim returns its
 * error with nothing run (the VM's stage 2 still loaded).
 */
static inline __attribute__((always_inline)) long
ciee_tee_call_fast(const struct ciee_vm *vm, uint64_t vcpu, struct vcpu_ctx *ctx,
		   struct ciee_mmio *mmio, uint64_t vm_vttbr)
{
	struct ciee_vm *tee_vm = &smm->vms[vm->partner];
	struct ciee_tee *t = &ciee_tees[vm->partner];
	struct ciee_tee_vcpu *tv = &t->vcpu[vcpu];
	uint64_t kind, a0, a1, a2, a3, a4, a5, a6, a7;

	if (!tee_claim(tv, TEE_VCPU_READY, TEE_VCPU_RUNNING))
		return tee_state_err(t, tv);
	if (tee_is_dead(t)) {
		tee_vcpu_clear(tv);
		return CIEE_ERR_TEE_DEAD;
	}
	/*
	 * The arguments, loaded before any is stored (no aliasing to fear:
	 * the compiler pairs them), not memcpy(): this is the hot path.
	 */
	a0 = ctx->x[0], a1 = ctx->x[1], a2 = ctx->x[2], a3 = ctx->x[3];
	a4 = ctx->x[4], a5 = ctx->x[5], a6 = ctx->x[6], a7 = ctx->x[7];
	tv->ctx.x[0] = a0, tv->ctx.x[1] = a1, tv->ctx.x[2] = a2, tv->ctx.x[3] = a3;
	tv->ctx.x[4] = a4, tv->ctx.x[5] = a5, tv->ctx.x[6] = a6, tv->ctx.x[7] = a7;
	/* As in ciee_tee_call(): only the PC changes. */
	tv->ctx.pc = t->vectors +
		     (((uint32_t)a0 & SMCCC_FAST_CALL) ? OPTEE_VEC_FAST_SMC : OPTEE_VEC_YIELD_SMC);
	tv->ctx.pstate = tv->smc_pstate;
	tv->job = TEE_JOB_CALL;
	kind = ciee_run_tee_then(tee_vm, &tv->ctx, &tv->fp, vm_vttbr, 0);
	/* The answer, tee_exit()'s CALL_DONE case without the round trip through reply[]. */
	if (kind == 0 && ((tv->ctx.esr >> ESR_EC_SHIFT) & ESR_EC_MASK) == EC_SMC64 &&
	    (uint32_t)tv->ctx.x[0] == TEESMC_OPTEED_RETURN_CALL_DONE && !tee_is_dead(t)) {
		/*
		 * The VM runs next, not the hypervisor: ELR_EL2 and SPSR_EL2
		 * are written before its ERET, but its next exit may leave
		 * the others as the TEE left them (an IRQ exit writes no
		 * syndrome), for the hypervisor to read then.
		 */
		write_sysreg(esr_el2, 0);
		write_sysreg(far_el2, 0);
		write_sysreg(hpfar_el2, 0);
		tv->ctx.pc += 4;
		tv->smc_pstate = tv->ctx.pstate;
		a1 = tv->ctx.x[1], a2 = tv->ctx.x[2], a3 = tv->ctx.x[3], a4 = tv->ctx.x[4];
		ctx->x[0] = a1, ctx->x[1] = a2, ctx->x[2] = a3, ctx->x[3] = a4;
		tee_set(tv, TEE_VCPU_READY);
		return CIEE_EXIT_TEE_DONE;
	}
	return tee_call_fast_slow(tee_vm, tv, kind, mmio, vm_vttbr);
}

#endif
