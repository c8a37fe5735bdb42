/* SPDX-License-Identifier: MIT */
/*
 * Entering and leaving guests. All EL1 state is switched here, so a VM
 * and its TEE can share a physical CPU; after a TEE runs, its EL1 state
 * is saved in CIEE memory and the registers are cleared. A TEE's FP/SIMD
 * state is switched here too, lazily (run_tee()).
 */
#include <string.h>

#include <arch/el1_context.h>
#include <arch/sysreg.h>
#include <lib/console.h>
#include <vtz/platform.h>

#include "../smm/checked.h"
#include "ciee.h"

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

/* One entry into the vCPU whose EL1 state and stage 2 are loaded; records the exit. */
static inline __attribute__((always_inline)) uint64_t enter_once(struct vcpu_ctx *ctx)
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

/*
 * The rest of a TEE's run after its first FP/SIMD instruction trapped
 * (EC 0x07); the PC still points at that instruction. Out of line: a TEE
 * that does not use FP never comes here.
 */
static __attribute__((noinline, cold)) uint64_t run_tee_with_fpsimd(struct ciee_fpsimd *tee_fp,
								     struct vcpu_ctx *ctx)
{
	struct ciee_fpsimd *vm_fp = &vm_fpsimd[this_cpu_index()];
	uint64_t kind;

	/* TFP also traps EL2's own FP use (no VHE): clear it before touching them. */
	write_sysreg_checked(cptr_el2, CPTR_EL2_RES1);
	ciee_fpsimd_swap(vm_fp, tee_fp);
	kind = enter_once(ctx);
	/* Whatever the exit, the TEE's registers go home and the VM's come back. */
	ciee_fpsimd_swap(tee_fp, vm_fp);
	return kind;
}

/* A guest VM's run: its FP/SIMD registers are simply the physical ones. */
static inline __attribute__((always_inline)) uint64_t run_vm(struct ciee_vm *vm,
							     struct vcpu_ctx *ctx)
{
	uint64_t kind;

	el1_load(&ctx->el1);
	write_sysreg_checked(vttbr_el2, vm->s2.root_pa | ((uint64_t)vm->vmid << 48));
	write_sysreg(vmpidr_el2, ctx->vmpidr);
	kind = enter_once(ctx);
	el1_save(&ctx->el1);
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
static inline __attribute__((always_inline)) uint64_t run_tee(struct ciee_vm *vm,
							      struct vcpu_ctx *ctx,
							      struct ciee_fpsimd *tee_fp)
{
	/*
	 * The VM's virtual GIC interface (ICH_HCR_EL2, set by the hypervisor
	 * for the VM) is off while a TEE runs, on every path into one: a TEE
	 * gets none of its VM's virtual interrupts and its list registers.
	 */
	uint64_t ich_hcr = read_sysreg(S3_4_C12_C11_0);
	uint64_t kind;

	write_sysreg(S3_4_C12_C11_0, 0);
	el1_load(&ctx->el1);
	write_sysreg_pair_checked(cptr_el2, CPTR_EL2_RES1 | CPTR_EL2_TFP,
				  vttbr_el2, vm->s2.root_pa | ((uint64_t)vm->vmid << 48));
	write_sysreg(vmpidr_el2, ctx->vmpidr);
	kind = enter_once(ctx);
	/* ESR_EL2 is stale after an interrupt: only a synchronous exit counts. */
	if (((ctx->esr >> ESR_EC_SHIFT) & ESR_EC_MASK) == EC_FP_ASIMD && kind == 0)
		kind = run_tee_with_fpsimd(tee_fp, ctx);
	el1_save(&ctx->el1);
	/* The hypervisor never runs with a guest's stage 2 loaded, nor with TFP set. */
	write_sysreg_pair_checked(cptr_el2, CPTR_EL2_RES1, vttbr_el2, 0);
	write_sysreg(S3_4_C12_C11_0, ich_hcr);
	return kind;
}

/*
 * Run a vCPU of vm (a VM's or a TEE's: then tee_fp is that TEE vCPU's
 * FP/SIMD state) until it exits; fills pc, pstate and the exit syndrome.
 */
uint64_t ciee_run(struct ciee_vm *vm, struct vcpu_ctx *ctx, struct ciee_fpsimd *tee_fp)
{
	if (vm->kind == CIEE_VM_KIND_TEE)
		return run_tee(vm, ctx, tee_fp);
	return run_vm(vm, ctx);
}


/* A trusted-OS call: SMCCC owners 50..63, SMC32 or SMC64, fast or yielding. */
static bool is_trusted_os_call(uint64_t x0)
{
	unsigned int owner = (x0 >> 24) & 0x3f;

	return (x0 >> 32) == 0 && owner >= 50 && owner <= 63;
}

/*
 * The fast way a VM's call reaches its TEE: the CIEE makes the trusted-OS
 * SMC it has just recorded into the TEE itself (exactly what TEE_CALL
 * would do: same vCPU index, same claims), without a round trip through
 * the hypervisor. The SMC is taken (the PC moves past it; the reply comes
 * at the next entry). Returns CIEE_EXIT_TEE_DONE, a stop for the hypervisor to serve
 * (TEE_MMIO, TEE_PREEMPTED, TEE_RAISED: then TEE_RESUME as after TEE_CALL), or, if no
 * call was made, CIEE_EXIT_GUEST_TRAP with the SMC left for the slow way.
 */
static long fast_tee_call(uint64_t id, struct vcpu_ctx *ctx, uint64_t vcpu,
			  struct ciee_mmio *mmio)
{
	long r;

	ctx->pc += 4;
	r = ciee_tee_call_fast(id, vcpu, mmio);
	if (r == CIEE_EXIT_TEE_DONE || r == CIEE_EXIT_TEE_MMIO || r == CIEE_EXIT_TEE_PREEMPTED ||
	    r == CIEE_EXIT_TEE_RAISED)
		return r;
	/* Refused or failed (a dead TEE): the hypervisor sees the SMC and answers. */
	ctx->pc -= 4;
	return CIEE_EXIT_GUEST_TRAP;
}

/*
 * ctx and mmio are the CIEE's per-CPU copies (main.c, hyp_args.c): nothing
 * here reads hypervisor memory, however often the loop below goes round.
 */
long ciee_vcpu_run(uint64_t id, struct vcpu_ctx *ctx, uint64_t vcpu, struct ciee_mmio *mmio)
{
	struct ciee_vm *vm = ciee_vm_get(id);
	struct ciee_vcpu *v;
	uint64_t kind;
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
again:
	if (v->reply_ready) {
		/* The TEE's answer goes to the vCPU that asked, and only to it. */
		for (i = 0; i < 4; i++)
			ctx->x[i] = v->reply[i];
		v->reply_ready = false;
	}
	v->smc_pending = false;
	kind = run_vm(vm, ctx); /* a guest VM: ciee_run() without asking again */
	if (kind == 0 && ((ctx->esr >> ESR_EC_SHIFT) & ESR_EC_MASK) == EC_SMC64 &&
	    is_trusted_os_call(ctx->x[0])) {
		/* Recorded before the hypervisor sees the exit: it cannot reword it. */
		for (i = 0; i < 8; i++)
			v->args[i] = ctx->x[i];
		v->smc_pending = true;
		if (mmio && vm->partner < CIEE_MAX_VMS) {
			long r = fast_tee_call(id, ctx, vcpu, mmio);

			/* Answered: straight back into the guest, reply in x0..x3. */
			if (r == CIEE_EXIT_TEE_DONE)
				goto again;
			return r;
		}
	}
	return kind == 0 ? CIEE_EXIT_GUEST_TRAP : CIEE_EXIT_GUEST_IRQ;
}
