/* SPDX-License-Identifier: MIT */
/*
 * Running a guest vCPU through the CIEE and handling its exits: SMCs
 * (routed by policy/smc_class), MMIO to the emulated UART, and faults,
 * which stop the VM with a decoded report.
 */
#include <arch/sysreg.h>
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

/*
 * Serve a TEE's stops until the CIEE reports something else: its MMIO
 * accesses, and interrupts that preempted it (taken and ended here; then
 * the TEE is resumed where it stopped, or under the scheduler left for
 * later and CIEE_EXIT_TEE_PREEMPTED returned).
 */
_Static_assert(CIEE_EXIT_TEE_PREEMPTED == CIEE_EXIT_TEE_MMIO + 1, "the stops served below");
static __attribute__((noinline)) long tee_serve_stops(struct vm *tee, long ret,
						      struct ciee_mmio *mmio)
{
	unsigned int guard;

	for (guard = 0; ret >= CIEE_EXIT_TEE_MMIO && guard < 1000000; guard++) {
		uint64_t page = mmio->ipa & ~0xfffULL;

		if (ret == CIEE_EXIT_TEE_PREEMPTED) {
			irq_handle();
			tee->preemptions++;
			if (vcpu_defer_preempted)
				return ret;
			tee->resumes++;
		} else if (ret != CIEE_EXIT_TEE_MMIO) {
			break;
		} else if (page == TEE_UART_IPA) {
			mmio->value = vuart_access(&tee->uart, mmio->ipa & 0xfff, mmio->is_write,
						   mmio->value);
		} else {
			mmio->value = 0; /* no device there: reads as zero, writes ignored */
		}
		ret = ciee_call(CIEE_CALL_TEE_RESUME, tee->id, (unsigned long)mmio, 0, 0, 0);
	}
	return ret;
}

long tee_serve_mmio(struct vm *tee, long ret, struct ciee_mmio *mmio)
{
	/* A plain call's end: one compare, as before interrupts (make bench). */
	if (ret < CIEE_EXIT_TEE_MMIO)
		return ret;
	return tee_serve_stops(tee, ret, mmio);
}

static void vm_fault(struct vm *vm, const char *what)
{
	char where[64];

	fmt_snprintf(where, sizeof(where), "in %s (%s)", vm->name, what);
	report_exception(where, vm->vcpu.esr, vm->vcpu.pc, vm->vcpu.far, vm->vcpu.pstate);
	con_printf("%s stopped\n", vm->name);
	vm->running = false;
	vm->faulted = true;
}

/*
 * A TEE call that did not end with the TEE's reply. Preempted under the
 * scheduler: the VM stays in its call; its SMC's PC is already past (the
 * CIEE puts the reply in x0..x3 at the VM's next run, which comes only
 * after the call ends). Out of line: a plain call never comes here.
 */
static __attribute__((noinline, cold)) void tee_call_stopped(struct vm *vm, long r)
{
	if (r == CIEE_EXIT_TEE_PREEMPTED) {
		vm->tee_preempted = true;
		vm->preempted_on = this_cpu_index();
		return;
	}
	con_printf("%s: call 0x%llx to %s failed: %s\n", vm->name,
		   (unsigned long long)vm->vcpu.x[0], vm->partner->name, ciee_strerror(r));
	vm->vcpu.x[0] = OPTEE_SMC_RETURN_UNKNOWN_FUNCTION;
}

static void handle_tee_call(struct vm *vm)
{
	struct ciee_mmio *mmio = &vm->mmio; /* per VM: two CPUs may serve calls at once */
	long r;

	if (!vm->partner) {
		vm->vcpu.x[0] = (uint64_t)(int64_t)SMCCC_NOT_SUPPORTED;
		return;
	}
	/* The CIEE takes the arguments from the SMC it saw; the reply reaches the
	 * vCPU when we run it next. */
	r = ciee_call(CIEE_CALL_TEE_CALL, vm->id, 0, (unsigned long)mmio, 0, 0);
	r = tee_serve_mmio(vm->partner, r, mmio);
	if (r != CIEE_EXIT_TEE_DONE)
		tee_call_stopped(vm, r);
}

/* Continue vm's TEE call that the tick preempted, on whichever CPU this is. */
void vcpu_tee_resume(struct vm *vm)
{
	struct vm *tee = vm->partner;
	long r;

	vm->tee_preempted = false;
	tee->resumes++;
	if (vm->preempted_on != this_cpu_index())
		tee->resumed_elsewhere++;
	r = ciee_call(CIEE_CALL_TEE_RESUME, tee->id, (unsigned long)&vm->mmio, 0, 0, 0);
	r = tee_serve_mmio(tee, r, &vm->mmio);
	if (r != CIEE_EXIT_TEE_DONE)
		tee_call_stopped(vm, r);
}

static void handle_psci(struct vm *vm)
{
	uint32_t fid = (uint32_t)vm->vcpu.x[0];
	int64_t ret;

	switch (fid) {
	case PSCI_VERSION:
		ret = PSCI_VERSION_1_1;
		break;
	case PSCI_SYSTEM_OFF:
		con_printf("%s: PSCI SYSTEM_OFF\n", vm->name);
		vm->running = false;
		return;
	case PSCI_FEATURES:
		ret = ((uint32_t)vm->vcpu.x[1] == PSCI_SYSTEM_OFF ||
		       (uint32_t)vm->vcpu.x[1] == PSCI_VERSION) ? PSCI_RET_SUCCESS
								: PSCI_RET_NOT_SUPPORTED;
		break;
	default:
		ret = PSCI_RET_NOT_SUPPORTED;
		break;
	}
	vm->vcpu.x[0] = (uint64_t)ret;
}

static void handle_smc(struct vm *vm)
{
	enum smc_route route = smc_route_from_guest(vm->vcpu.x[0]);

	switch (route) {
	case SMC_ROUTE_TEE:
		handle_tee_call(vm);
		break;
	case SMC_ROUTE_PSCI:
		handle_psci(vm);
		break;
	case SMC_ROUTE_ARCH:
		vm->vcpu.x[0] = (uint32_t)vm->vcpu.x[0] == SMCCC_VERSION
					? SMCCC_VERSION_1_1
					: (uint64_t)(int64_t)SMCCC_NOT_SUPPORTED;
		break;
	default:
		vm->vcpu.x[0] = (uint64_t)(int64_t)SMCCC_NOT_SUPPORTED;
		break;
	}
	vm->vcpu.pc += 4; /* a trapped SMC returns to the SMC itself */
}

static void handle_dabt(struct vm *vm)
{
	uint64_t esr = vm->vcpu.esr;
	uint64_t ipa = ((vm->vcpu.hpfar >> 4) << 12) | (vm->vcpu.far & 0xfff);
	unsigned int srt = (esr >> ESR_DABT_SRT_SHIFT) & ESR_DABT_SRT_MASK;
	bool is_write = esr & ESR_DABT_WNR;

	if (!(esr & ESR_DABT_ISV) || (ipa & ~0xfffULL) != GUEST_UART_IPA) {
		vm_fault(vm, "stage-2 data abort outside its memory and devices");
		return;
	}
	uint64_t v = vuart_access(&vm->uart, ipa & 0xfff, is_write,
				  srt == 31 ? 0 : vm->vcpu.x[srt]);
	if (!is_write && srt != 31)
		vm->vcpu.x[srt] = v;
	vm->vcpu.pc += 4;
}

/* Run vm's vCPU until its next exit and handle that exit. */
void vcpu_step(struct vm *vm)
{
	long r = ciee_call(CIEE_CALL_VCPU_RUN, vm->id, (unsigned long)&vm->vcpu, 0, 0, 0);
	unsigned int ec;

	if (r < 0) {
		con_printf("error: %s: CIEE refused VCPU_RUN: %s\n", vm->name, ciee_strerror(r));
		vm->running = false;
		vm->faulted = true;
		return;
	}
	if (r != CIEE_EXIT_GUEST_TRAP) {
		irq_handle(); /* an interrupt (the tick) stopped the guest */
		return;
	}
	ec = (vm->vcpu.esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	switch (ec) {
	case EC_SMC64:
		handle_smc(vm);
		break;
	case EC_HVC64:
		vm->vcpu.x[0] = (uint64_t)(int64_t)SMCCC_NOT_SUPPORTED;
		break;
	case EC_DABT_LOW:
		handle_dabt(vm);
		break;
	default:
		vm_fault(vm, "unexpected trap");
		break;
	}
}

void vcpu_run_loop(struct vm *vm)
{
	while (vm->running)
		vcpu_step(vm);
}
