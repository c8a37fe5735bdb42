/* SPDX-License-Identifier: MIT */
/*
 * Entering and leaving guests (the primitives are in run.h): VCPU_RUN,
 * ciee_run() for the TEE calls, the lazy FP/SIMD switch's slow half, and
 * clearing the EL1 registers a TEE leaves before the hypervisor runs.
 */
#include <string.h>

#include <lib/console.h>
#include <vtz/platform.h>

#include "ciee.h"
#include "run.h"
#include "tee_fast.h"

/* Clear the EL1 registers a TEE left, so the hypervisor reads nothing of it. */
void ciee_scrub_el1(void)
{
	static const struct el1_sysregs clean = { .sctlr = SCTLR_EL1_RES1 };

	el1_load(&clean);
	isb();
}

/*
 * The VM's FP/SIMD registers while a TEE that uses FP runs on this CPU.
 * CIEE memory: the hypervisor never sees them move.
 */
static struct ciee_fpsimd vm_fpsimd[PLAT_MAX_CPUS];

/*
 * The rest of a TEE's run after its first FP/SIMD instruction trapped
 * (EC 0x07); the PC still points at that instruction. Out of line: a TEE
 * that does not use FP never comes here.
 */
__attribute__((noinline, cold)) uint64_t ciee_run_tee_with_fpsimd(struct ciee_fpsimd *tee_fp,
								 struct vcpu_ctx *ctx)
{
	struct ciee_fpsimd *vm_fp = &vm_fpsimd[this_cpu_index()];
	uint64_t kind;

	/* TFP also traps EL2's own FP use (no VHE): clear it before touching them. */
	write_sysreg_checked(cptr_el2, CPTR_EL2_RES1);
	ciee_fpsimd_swap(vm_fp, tee_fp);
	kind = ciee_enter_once(ctx);
	/* Whatever the exit, the TEE's registers go home and the VM's come back. */
	ciee_fpsimd_swap(tee_fp, vm_fp);
	return kind;
}

/*
 * Run a vCPU of vm (a VM's or a TEE's: then tee_fp is that TEE vCPU's
 * FP/SIMD state) until it exits; fills pc, pstate and the exit syndrome.
 */
uint64_t ciee_run(struct ciee_vm *vm, struct vcpu_ctx *ctx, struct ciee_fpsimd *tee_fp)
{
	if (vm->kind == CIEE_VM_KIND_TEE)
		return ciee_run_tee(vm, ctx, tee_fp);
	return ciee_run_vm(vm, ctx);
}


/* A trusted-OS call: SMCCC owners 50..63, SMC32 or SMC64, fast or yielding. */
static bool is_trusted_os_call(uint64_t x0)
{
	unsigned int owner = (x0 >> 24) & 0x3f;

	return (x0 >> 32) == 0 && owner >= 50 && owner <= 63;
}

/*
 * Before a VM vCPU runs: what was typed on the secure console goes to its
 * TEE (tee_input.c), and a secure interrupt its TEE has due for the TEE
 * vCPU of this index is delivered (tee_virq.c), as a secure interrupt
 * preempts the normal world. Returns a TEE stop for the hypervisor to
 * serve (as after TEE_CALL), or 0: run the VM vCPU. Out of line: the
 * VCPU_RUN loop keeps its registers for the fast TEE call.
 */
static __attribute__((noinline, cold)) long tee_first(const struct ciee_vm *vm, uint64_t vcpu,
						      struct ciee_mmio *mmio)
{
	long r;

	if (tee_input_waiting())
		tee_input_pull();
	if (!mmio || vm->partner >= CIEE_MAX_VMS ||
	    !((__atomic_load_n(&ciee_tees[vm->partner].virq_cpus, __ATOMIC_ACQUIRE) >> vcpu) & 1))
		return 0;
	r = ciee_tee_deliver(vm, vcpu, mmio);
	if (r == CIEE_EXIT_TEE_MMIO || r == CIEE_EXIT_TEE_PREEMPTED || r == CIEE_EXIT_TEE_RAISED)
		return r;
	return 0;
}

/*
 * ctx and mmio are the CIEE's per-CPU copies (main.c, hyp_args.c): nothing
 * here reads hypervisor memory, however often the loop below goes round.
 */
long ciee_vcpu_run(uint64_t id, struct vcpu_ctx *ctx, uint64_t vcpu, struct ciee_mmio *mmio)
{
	struct ciee_vm *vm = ciee_vm_get(id);
	struct ciee_vcpu *v;
	uint64_t kind, vttbr;
	unsigned int i;

	if (!vm)
		return CIEE_ERR_BAD_VM;
	if (vm->kind != CIEE_VM_KIND_GUEST)
		return CIEE_ERR_BAD_KIND;
	if (vcpu >= CIEE_MAX_VCPUS)
		return CIEE_ERR_BAD_VCPU;
	/*
	 * Guests run at EL0t, EL1t or EL1h in AArch64, never at EL2: checked
	 * on the copy, and again on SPSR_EL2 before every ERET (vectors.S).
	 */
	switch (ctx->pstate & 0x1f) {
	case 0x0:
	case 0x4:
	case SPSR_EL1H:
		break;
	default:
		return CIEE_ERR_BAD_STATE;
	}
	v = &ciee_vcpus[id][vcpu];
	/*
	 * Typed on the secure console since, or a secure interrupt its TEE
	 * has for this vCPU's index: the TEE first (tee_first()). Two loads
	 * when there is neither; the fast call's loop never comes back here.
	 */
	if (__builtin_expect(tee_input_waiting() ||
				     (mmio && vm->partner < CIEE_MAX_VMS &&
				      ((__atomic_load_n(&ciee_tees[vm->partner].virq_cpus,
							__ATOMIC_ACQUIRE) >> vcpu) & 1)),
			     0)) {
		long r = tee_first(vm, vcpu, mmio);

		if (r)
			return r;
	}
	vttbr = ciee_vm_vttbr(vm);
	write_sysreg_checked(vttbr_el2, vttbr);
again:
	if (v->reply_ready) {
		/* The TEE's answer goes to the vCPU that asked, and only to it. */
		for (i = 0; i < 4; i++)
			ctx->x[i] = v->reply[i];
		v->reply_ready = false;
	}
	v->smc_pending = false;
	/* A guest VM: ciee_run() without asking again; its stage 2 is loaded. */
	kind = ciee_run_vm_loaded(ctx);
	if (kind == 0 && ((ctx->esr >> ESR_EC_SHIFT) & ESR_EC_MASK) == EC_SMC64 &&
	    is_trusted_os_call(ctx->x[0])) {
		/*
		 * Fast TEE calls: the CIEE makes the SMC into the VM's own TEE
		 * itself (ciee_tee_call_fast(), TEE_CALL's checks), without a
		 * round trip through the hypervisor. The SMC is taken (the PC
		 * moves past it; the reply comes at the next entry).
		 */
		if (mmio && vm->partner < CIEE_MAX_VMS) {
			long r;

			ctx->pc += 4;
			r = ciee_tee_call_fast(vm, vcpu, ctx, mmio, vttbr);
			/* Answered: straight back into the guest (its stage 2 loaded), reply in x0..x3. */
			if (r == CIEE_EXIT_TEE_DONE)
				goto again;
			/* A stop for the hypervisor: TEE_RESUME as after TEE_CALL. */
			if (r == CIEE_EXIT_TEE_MMIO || r == CIEE_EXIT_TEE_PREEMPTED ||
			    r == CIEE_EXIT_TEE_RAISED)
				return r;
			/* Refused, or the TEE died: the hypervisor sees the SMC. */
			ctx->pc -= 4;
		}
		/* Recorded before the hypervisor sees the exit: it cannot reword it. */
		for (i = 0; i < 8; i++)
			v->args[i] = ctx->x[i];
		v->smc_pending = true;
	}
	/* The hypervisor never runs with a guest's stage 2 loaded. */
	write_sysreg_checked(vttbr_el2, 0);
	return kind == 0 ? CIEE_EXIT_GUEST_TRAP : CIEE_EXIT_GUEST_IRQ;
}
