/* SPDX-License-Identifier: MIT */
/*
 * Running a guest vCPU through the CIEE and handling its exits: SMCs
 * (routed by policy/smc_class: TEE calls, PSCI), MMIO to the emulated
 * UART, and faults, which stop the VM with a decoded report.
 */
#include <arch/sysreg.h>
#include <lib/spinlock.h>
#include <lib/console.h>
#include <lib/exc_report.h>
#include <lib/fmt.h>
#include <policy/smc_class.h>
#include <vtz/optee_abi.h>
#include <vtz/smccc.h>

#include "hyp.h"

/*
 * Under the scheduler (sched.c), a TEE call preempted by the tick gives its
 * CPU back: the VM stays in its call (vm->tee_preempted) and whichever CPU
 * picks it next resumes the TEE. Elsewhere (boot, the attack and bench
 * hypervisors' run loop) the TEE is resumed at once.
 */
bool vcpu_defer_preempted;

/* TEE MMIO stops served here, by page (the attack suite reads them). */
struct tee_mmio_seen tee_mmio_seen;

/*
 * A TEE raised interrupts for its VM (CIEE_EXIT_TEE_RAISED): the CIEE gives
 * the INTIDs for that VM only; a Linux VM gets each in its vGIC, a bare
 * guest (no GIC of ours) has them dropped and counted.
 */
static void tee_take_raised(struct vm *tee)
{
	struct vm *vm = tee->partner;
	unsigned int guard;
	long intid;

	for (guard = 0; guard < 4 * 288; guard++) {
		intid = ciee_call(CIEE_CALL_TEE_IRQ_TAKE, vm->id, 0, 0, 0, 0);
		if (intid <= 0) {
			if (intid < 0)
				con_printf("%s: TEE_IRQ_TAKE refused: %s\n", vm->name,
					   ciee_strerror(intid));
			return;
		}
		if (vm->is_linux && !linux_inject_spi(vm, (unsigned int)intid))
			__atomic_add_fetch(&vm->tee_irqs, 1, __ATOMIC_RELAXED);
		else
			__atomic_add_fetch(&vm->tee_irqs_dropped, 1, __ATOMIC_RELAXED);
	}
}

/*
 * Serve a TEE vCPU's stops until the CIEE reports something else: its MMIO
 * accesses, interrupts that preempted it (taken and ended here; then
 * the TEE is resumed where it stopped, or under the scheduler left for
 * later and CIEE_EXIT_TEE_PREEMPTED returned), and interrupts it raised
 * for its VM (injected, then resumed at once).
 */
_Static_assert(CIEE_EXIT_TEE_PREEMPTED == CIEE_EXIT_TEE_MMIO + 1, "the stops served below");
_Static_assert(CIEE_EXIT_TEE_RAISED == CIEE_EXIT_TEE_MMIO + 2, "the stops served below");
static __attribute__((noinline)) long tee_serve_stops(struct vm *tee, unsigned int vcpu, long ret,
						      struct ciee_mmio *mmio, bool defer)
{
	unsigned int guard;

	for (guard = 0; ret >= CIEE_EXIT_TEE_MMIO && guard < 1000000; guard++) {
		uint64_t page = mmio->ipa & ~0xfffULL;

		if (ret == CIEE_EXIT_TEE_PREEMPTED) {
			irq_handle();
			__atomic_add_fetch(&tee->preemptions, 1, __ATOMIC_RELAXED);
			if (defer)
				return ret;
			__atomic_add_fetch(&tee->resumes, 1, __ATOMIC_RELAXED);
		} else if (ret == CIEE_EXIT_TEE_RAISED) {
			tee_take_raised(tee);
		} else if (ret != CIEE_EXIT_TEE_MMIO) {
			break;
		} else if (page == TEE_UART_IPA) {
			tee_mmio_seen.test_uart++;
			mmio->value = vuart_access(&tee->vcpus[vcpu].uart, mmio->ipa & 0xfff,
						   mmio->is_write, mmio->value);
		} else {
			if (page == PLAT_UART1_BASE)
				tee_mmio_seen.secure_uart++; /* never: the CIEE answers those */
			if (page >= PLAT_GICD_BASE && page < PLAT_GICR_BASE + 0x1000000UL)
				tee_mmio_seen.gic++; /* never either */
			mmio->value = 0; /* no device there: reads as zero, writes ignored */
		}
		ret = ciee_call(CIEE_CALL_TEE_RESUME, tee->id, (unsigned long)mmio, vcpu, 0, 0);
	}
	return ret;
}

long tee_serve_mmio(struct vm *tee, unsigned int vcpu, long ret, struct ciee_mmio *mmio)
{
	/* A plain call's end: one compare, as before interrupts (make bench). */
	if (ret < CIEE_EXIT_TEE_MMIO)
		return ret;
	return tee_serve_stops(tee, vcpu, ret, mmio, vcpu_defer_preempted);
}

/* The same, resuming after every preemption too, until the TEE is done. */
long tee_serve_to_end(struct vm *tee, unsigned int vcpu, long ret, struct ciee_mmio *mmio)
{
	return tee_serve_stops(tee, vcpu, ret, mmio, false);
}

/* Stop a VM (all its vCPUs): powered off, or stopped by a fault. */
void vm_stop(struct vm *vm, bool fault)
{
	if (fault)
		vm->faulted = true;
	if (__atomic_exchange_n(&vm->running, false, __ATOMIC_ACQ_REL)) {
		/* Its policy counted as pending before it stops counting as live. */
		lifecycle_vm_stopped(vm);
		sched_vm_stopped(vm);
	}
}

static void vm_fault(struct vcpu *v, const char *what)
{
	char where[96];

	fmt_snprintf(where, sizeof(where), "in %s vCPU %u (%s)", v->vm->name, v->index, what);
	report_exception(where, v->ctx.esr, v->ctx.pc, v->ctx.far, v->ctx.pstate);
	con_printf("%s stopped\n", v->vm->name);
	vm_stop(v->vm, true);
}

/*
 * A TEE call that did not end with the TEE's reply. Preempted under the
 * scheduler: the vCPU stays in its call; its SMC's PC is already past (the
 * CIEE puts the reply in x0..x3 at the vCPU's next run, which comes only
 * after the call ends). Out of line: a plain call never comes here.
 */
static __attribute__((noinline, cold)) void tee_call_stopped(struct vcpu *v, long r)
{
	if (r == CIEE_EXIT_TEE_PREEMPTED) {
		v->tee_preempted = true;
		v->preempted_on = this_cpu_index();
		return;
	}
	con_printf("%s: vCPU %u's call 0x%llx to %s failed: %s\n", v->vm->name, v->index,
		   (unsigned long long)v->ctx.x[0], v->vm->partner->name, ciee_strerror(r));
	v->ctx.x[0] = OPTEE_SMC_RETURN_UNKNOWN_FUNCTION;
}

static void handle_tee_call(struct vcpu *v)
{
	long r;

	if (!v->vm->partner) {
		v->ctx.x[0] = (uint64_t)(int64_t)SMCCC_NOT_SUPPORTED;
		return;
	}
	/* The CIEE takes the arguments from the SMC it saw, and enters the TEE
	 * vCPU with this vCPU's index; the reply reaches us when we run it next. */
	r = ciee_call(CIEE_CALL_TEE_CALL, v->vm->id, v->index, (unsigned long)&v->mmio, 0, 0);
	r = tee_serve_mmio(v->vm->partner, v->index, r, &v->mmio);
	if (r != CIEE_EXIT_TEE_DONE)
		tee_call_stopped(v, r);
}

/* Continue v's TEE call that the tick preempted, on whichever CPU this is. */
void vcpu_tee_resume(struct vcpu *v)
{
	struct vm *tee = v->vm->partner;
	long r;

	v->tee_preempted = false;
	__atomic_add_fetch(&tee->resumes, 1, __ATOMIC_RELAXED);
	if (v->preempted_on != this_cpu_index())
		__atomic_add_fetch(&tee->resumed_elsewhere, 1, __ATOMIC_RELAXED);
	r = ciee_call(CIEE_CALL_TEE_RESUME, tee->id, (unsigned long)&v->mmio, v->index, 0, 0);
	r = tee_serve_mmio(tee, v->index, r, &v->mmio);
	if (r != CIEE_EXIT_TEE_DONE)
		tee_call_stopped(v, r);
}

/* PSCI CPU_ON/AFFINITY_INFO name a vCPU by MPIDR: Aff0 is its index. */
static struct vcpu *vcpu_by_mpidr(struct vm *vm, uint64_t mpidr)
{
	if ((mpidr & ~0xffUL) != 0 || (mpidr & 0xff) >= vm->n_vcpus)
		return NULL;
	return &vm->vcpus[mpidr & 0xff];
}

static struct spinlock psci_lock = SPINLOCK_INIT;

static int64_t psci_cpu_on(struct vm *vm, uint64_t mpidr, uint64_t entry, uint64_t arg)
{
	struct vcpu *t = vcpu_by_mpidr(vm, mpidr);
	int64_t ret = PSCI_RET_SUCCESS;

	if (!t)
		return PSCI_RET_INVALID_PARAMS;
	if (entry & 3 || entry < vm->ram_ipa || entry >= vm->ram_ipa + vm->ram_size)
		return PSCI_RET_INVALID_ADDRESS;
	spin_lock(&psci_lock);
	if (t->on || t->busy) {
		ret = PSCI_RET_ALREADY_ON;
	} else {
		vcpu_reset(t, entry, arg);
		/* Release: the CPU that picks it sees its whole context. */
		__atomic_store_n(&t->on, true, __ATOMIC_RELEASE);
	}
	spin_unlock(&psci_lock);
	return ret;
}

static bool psci_has(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_ON_AARCH64:
	case PSCI_CPU_OFF:
	case PSCI_AFFINITY_INFO_AARCH64:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
	case PSCI_MIGRATE_INFO_TYPE:
		return true;
	default:
		return false;
	}
}

/* PSCI for guests: the VM's own vCPUs and power, never the machine's. */
static void handle_psci(struct vcpu *v)
{
	struct vm *vm = v->vm;
	uint32_t fid = (uint32_t)v->ctx.x[0];
	struct vcpu *t;
	int64_t ret;

	switch (fid) {
	case PSCI_VERSION:
		ret = PSCI_VERSION_1_1;
		break;
	case PSCI_SYSTEM_RESET:
		if (vm->is_linux) {
			unsigned int i;

			/* Every vCPU off; when none is on a CPU, vCPU 0 reboots it (sched.c). */
			con_printf("%s: PSCI SYSTEM_RESET: rebooting it, with its TEE reset\n",
				   vm->name);
			for (i = 0; i < vm->n_vcpus; i++)
				__atomic_store_n(&vm->vcpus[i].on, false, __ATOMIC_RELEASE);
			__atomic_store_n(&vm->reset_pending, true, __ATOMIC_RELEASE);
			return;
		}
		/* A bare guest's reset ends it. */
		__attribute__((fallthrough));
	case PSCI_SYSTEM_OFF:
		con_printf("%s: PSCI %s\n", vm->name,
			   fid == PSCI_SYSTEM_OFF ? "SYSTEM_OFF" : "SYSTEM_RESET (powered off)");
		vm_stop(vm, false);
		return;
	case PSCI_CPU_ON_AARCH64:
		ret = psci_cpu_on(vm, v->ctx.x[1], v->ctx.x[2], v->ctx.x[3]);
		break;
	case PSCI_CPU_OFF:
		__atomic_store_n(&v->on, false, __ATOMIC_RELEASE);
		return;
	case PSCI_AFFINITY_INFO_AARCH64:
		t = v->ctx.x[2] == 0 ? vcpu_by_mpidr(vm, v->ctx.x[1]) : NULL;
		ret = !t ? PSCI_RET_INVALID_PARAMS
			 /* OFF only once it has left its CPU: then CPU_ON may reset it */
			 : __atomic_load_n(&t->on, __ATOMIC_ACQUIRE) || t->busy ? 0 /* ON */
										: 1 /* OFF */;
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret = 2; /* no trusted OS that needs migrating */
		break;
	case PSCI_FEATURES:
		ret = psci_has((uint32_t)v->ctx.x[1]) ? PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED;
		break;
	default:
		ret = PSCI_RET_NOT_SUPPORTED;
		break;
	}
	v->ctx.x[0] = (uint64_t)ret;
}

static void handle_smc(struct vcpu *v)
{
	enum smc_route route = smc_route_from_guest(v->ctx.x[0]);

	switch (route) {
	case SMC_ROUTE_TEE:
		handle_tee_call(v);
		break;
	case SMC_ROUTE_PSCI:
		handle_psci(v);
		break;
	case SMC_ROUTE_ARCH:
		v->ctx.x[0] = (uint32_t)v->ctx.x[0] == SMCCC_VERSION
				      ? SMCCC_VERSION_1_1
				      : (uint64_t)(int64_t)SMCCC_NOT_SUPPORTED;
		break;
	default:
		v->ctx.x[0] = (uint64_t)(int64_t)SMCCC_NOT_SUPPORTED;
		break;
	}
	v->ctx.pc += 4; /* a trapped SMC returns to the SMC itself */
}

/*
 * Neither its memory nor one of its devices: the guest gets what the
 * machine gives a non-secure access to secure memory, a synchronous
 * external abort, and the run goes on (its own handler decides).
 */
static void no_memory_there(struct vcpu *v, uint64_t ipa, bool instruction)
{
	con_printf("%s vCPU %u: %s at IPA 0x%llx (PC 0x%llx): neither its memory nor a device; "
		   "external abort injected\n", v->vm->name, v->index,
		   instruction ? "instruction fetch" : (v->ctx.esr & ESR_DABT_WNR) ? "write" : "read",
		   (unsigned long long)ipa, (unsigned long long)v->ctx.pc);
	vcpu_inject_abort(v, instruction);
}

static void handle_dabt(struct vcpu *v)
{
	uint64_t esr = v->ctx.esr;
	uint64_t ipa = ((v->ctx.hpfar >> 4) << 12) | (v->ctx.far & 0xfff);
	unsigned int srt = (esr >> ESR_DABT_SRT_SHIFT) & ESR_DABT_SRT_MASK;
	bool is_write = esr & ESR_DABT_WNR;

	if (v->vm->is_linux) {
		if (!linux_mmio(v, ipa))
			no_memory_there(v, ipa, false);
		return;
	}
	if (!(esr & ESR_DABT_ISV) || (ipa & ~0xfffULL) != GUEST_UART_IPA) {
		no_memory_there(v, ipa, false);
		return;
	}
	uint64_t val = vuart_access(&v->uart, ipa & 0xfff, is_write,
				    srt == 31 ? 0 : v->ctx.x[srt]);
	if (!is_write && srt != 31)
		v->ctx.x[srt] = val;
	v->ctx.pc += 4;
}

/*
 * WFI (trapped: HCR_EL2.TWI): a Linux vCPU with nothing to take waits off
 * the CPUs until an interrupt is pending for it (sched.c asks
 * gicv_should_wake()); other guests just give the CPU back.
 */
static void handle_wfx(struct vcpu *v)
{
	v->ctx.pc += 4;
	if (!v->vm->is_linux || (v->ctx.esr & 1)) /* WFE: a hint, nothing to wait for */
		return;
	if (!gicv_should_wake(v))
		__atomic_store_n(&v->waiting, true, __ATOMIC_RELEASE);
}

/* Run vCPU v until its next exit and handle that exit. */
void vcpu_step(struct vcpu *v)
{
	long r;
	unsigned int ec;

	if (v->vm->is_linux) {
		gicv_enter(v);
		vcpu_fpsimd_load(&v->fp);
	}
	__atomic_store_n(&v->running_on, (int)this_cpu_index(), __ATOMIC_RELEASE);
	/* With its TEE call MMIO area: the CIEE takes its TEE calls the fast way. */
	r = ciee_call(CIEE_CALL_VCPU_RUN, v->vm->id, (unsigned long)&v->ctx, v->index,
		      v->vm->partner ? (unsigned long)&v->mmio : 0, 0);
	__atomic_store_n(&v->running_on, -1, __ATOMIC_RELEASE);
	if (v->vm->is_linux) {
		/* Saved now: the next vCPU on this CPU, or a TEE call, may change them. */
		vcpu_fpsimd_save(&v->fp);
		gicv_exit(v);
	}

	if (r < 0) {
		con_printf("error: %s vCPU %u: CIEE refused VCPU_RUN: %s\n", v->vm->name, v->index,
			   ciee_strerror(r));
		vm_stop(v->vm, true);
		return;
	}
	if (r >= CIEE_EXIT_TEE_MMIO) {
		/* A TEE call the CIEE made stopped: serve it as after TEE_CALL. */
		r = tee_serve_mmio(v->vm->partner, v->index, r, &v->mmio);
		if (r != CIEE_EXIT_TEE_DONE)
			tee_call_stopped(v, r);
		return;
	}
	if (r != CIEE_EXIT_GUEST_TRAP) {
		irq_handle(); /* an interrupt (the tick) stopped the guest */
		return;
	}
	ec = (v->ctx.esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	switch (ec) {
	case EC_SMC64:
		handle_smc(v);
		break;
	case EC_HVC64:
		v->ctx.x[0] = (uint64_t)(int64_t)SMCCC_NOT_SUPPORTED;
		break;
	case EC_DABT_LOW:
		handle_dabt(v);
		break;
	case EC_IABT_LOW:
		no_memory_there(v, ((v->ctx.hpfar >> 4) << 12) | (v->ctx.far & 0xfff), true);
		break;
	case EC_WFX:
		handle_wfx(v);
		break;
	case EC_SYS64:
		if (v->vm->is_linux) {
			linux_sysreg(v);
			break;
		}
		vm_fault(v, "unexpected trap");
		break;
	default:
		vm_fault(v, "unexpected trap");
		break;
	}
}

/* Outside the scheduler (attack and bench hypervisors): vCPU 0 alone. */
void vcpu_run_loop(struct vm *vm)
{
	while (vm->running)
		vcpu_step(&vm->vcpus[0]);
}
