/* SPDX-License-Identifier: MIT */
/*
 * CIEE boot and call dispatch. The CIEE sets the EL2 configuration that
 * the hypervisor may not change (translation, vectors, HCR, VTCR) and then
 * hands the CPU to the hypervisor with the MMU on.
 */
#include <arch/sysreg.h>
#include <lib/console.h>
#include <lib/exc_report.h>
#include <lib/pl011.h>
#include <vtz/ciee_abi.h>
#include <vtz/image.h>
#include <vtz/platform.h>
#include <vtz/smccc.h>

#include "../smm/checked.h"
#include "ciee.h"

extern char ciee_vectors[];

struct ciee_percpu ciee_percpu[PLAT_MAX_CPUS] __attribute__((aligned(128)));

static void uart_write(const char *s, size_t n)
{
	pl011_write(PLAT_UART0_BASE, s, n);
}

static void system_off(void)
{
	register uint64_t x0 __asm__("x0") = PSCI_SYSTEM_OFF;

	__asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	for (;;)
		wfi();
}

void ciee_panic(const char *why)
{
	con_printf("FATAL: %s\n", why);
	system_off();
	for (;;)
		;
}

void ciee_el2_unexpected(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far, uint64_t spsr)
{
	(void)kind;
	report_exception("at EL2 (hypervisor or CIEE)", esr, elr, far, spsr);
	system_off();
}

/*
 * MDCR_EL2, fully specified (HPMN = 0 is CONSTRAINED UNPREDICTABLE on
 * ARMv8.0). The PMU and the debug registers are per physical CPU, shared
 * by every guest and TEE that runs there, and the CIEE does not switch
 * them: a guest could read what a TEE left in them, count a TEE's (or,
 * with PMEVTYPER.NSH, the CIEE's) events, or arm a watchpoint on a TEE
 * address for when the TEE runs next. So every EL1/EL0 access to them
 * traps to EL2 (TPM, TPMCR: PMU; TDA, TDOSA, TDRA: debug, OS lock, debug
 * ROM), where the hypervisor emulates them for Linux guests as RAZ/WI
 * (hyp/linux.c) and a TEE that touches them is stopped. HPMN = PMCR_EL0.N
 * (read here, at EL2, where it is the hardware's count): every counter
 * is in the EL1 range, none reserved for EL2, which counts nothing. TDE
 * stays 0 so a guest's or TEE's own debug exceptions stay its own.
 */
static uint64_t mdcr_el2_value(void)
{
	uint64_t hpmn = (read_sysreg(pmcr_el0) >> PMCR_N_SHIFT) & PMCR_N_MASK;

	return hpmn | MDCR_EL2_TPM | MDCR_EL2_TPMCR | MDCR_EL2_TDA | MDCR_EL2_TDOSA |
	       MDCR_EL2_TDRA;
}

/* The locked EL2 configuration, the same on every CPU. */
static void ciee_el2_setup(void)
{
	write_sysreg_checked(vbar_el2, (uint64_t)ciee_vectors);
	/*
	 * Guests are AArch64, their SMCs trap to EL2, stage 2 always on; WFI
	 * traps too, so an idle vCPU gives its CPU back to the scheduler. FB:
	 * a guest's TLB and I-cache maintenance reaches every CPU, because its
	 * vCPUs move between CPUs (a local TLBI on one would leave stale
	 * entries on the CPU a vCPU ran on before).
	 */
	write_sysreg_checked(hcr_el2, HCR_RW | HCR_TSC | HCR_TWI | HCR_FB | HCR_VM | HCR_AMO |
					      HCR_IMO | HCR_FMO);
	write_sysreg_checked(vtcr_el2, VTCR_RES1 | VTCR_PS_40 | VTCR_SL0_L1 | TCR_T0SZ(25) |
					       TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER);
	write_sysreg_checked(vttbr_el2, 0);
	write_sysreg_checked(cptr_el2, CPTR_EL2_RES1);
	write_sysreg_checked(mdcr_el2, mdcr_el2_value());
	write_sysreg(cnthctl_el2, 3); /* EL1 may use the physical counter and timer */
	write_sysreg(cntvoff_el2, 0);
	isb();
	ciee_mmu_setup();
}

uint64_t ciee_cold_main(uint64_t dtb, uint64_t ram_size, uint64_t rsdp)
{
	(void)dtb;
	console_init("ciee", uart_write);
	console_share_uart((volatile uint32_t *)PLAT_CONSOLE_LOCK);
#ifdef GATE_el3
	(void)ram_size; /* the monitor built the tables with it */
	con_printf("CIEE at EL2 (CIEE mode: EL2 MMU off); memory mapping is served at EL3 "
		   "(GATE=el3), which built the hypervisor's translation tables\n");
#else
	con_printf("CIEE at EL2 (CIEE mode: EL2 MMU off): building the ownership table and "
		   "the hypervisor's translation tables\n");
	ciee_mmu_build(ram_size);
#endif
	ciee_placement_init(rsdp);
	if (rsdp)
		con_printf("ACPI tables from the monitor: RSDP at 0x%llx, in 0x%lx-0x%lx (read-only "
			   "for the hypervisor)\n", (unsigned long long)rsdp, PLAT_ACPI_BASE,
			   PLAT_ACPI_BASE + PLAT_ACPI_SIZE - 1);
	ciee_el2_setup();
	con_printf("EL2 locked (VBAR, HCR, VTCR, TTBR0/TCR/MAIR, SCTLR with WXN); entering "
		   "the hypervisor\n");
	return PLAT_HYP_BASE + HYP_ENTRY_PRIMARY_OFFSET;
}

uint64_t ciee_warm_main(void)
{
	ciee_el2_setup();
	return PLAT_HYP_BASE + HYP_ENTRY_SECONDARY_OFFSET;
}

/* A CPU failed a mode check (entered past the gate) or saw a forged exit. */
void ciee_halted(uint64_t why, uint64_t lr)
{
	unsigned int cpu = this_cpu_index();

	con_printf("cpu%u halted: %s (last return address 0x%llx)\n", cpu,
		   why == CIEE_HALT_BAD_ENTRY   ? "CIEE entered other than through the gate"
		   : why == CIEE_HALT_BAD_ERET ? "an ERET would have entered EL2 or AArch32"
					       : "lower-EL exception with no guest entered",
		   (unsigned long long)lr);
	/* Published after the message, so whoever polls for it prints after us. */
	dsb(sy);
	ciee_percpu[cpu].halted = why;
	dsb(sy);
}

static long cpu_status(uint64_t cpu)
{
	if (cpu >= PLAT_MAX_CPUS)
		return CIEE_ERR_BAD_CPU;
	switch (ciee_percpu[cpu].halted) {
	case CIEE_HALT_BAD_ENTRY:
		return CIEE_CPU_HALTED_BAD_ENTRY;
	case CIEE_HALT_BAD_ERET:
		return CIEE_CPU_HALTED_BAD_ERET;
	case CIEE_HALT_SPURIOUS_EXIT:
		return CIEE_CPU_HALTED_SPURIOUS_EXIT;
	default:
		return CIEE_CPU_OK;
	}
}

/*
 * Per-CPU copies of what the hypervisor passes by pointer: the CIEE works
 * on these only (hyp_args.c). Each CPU is in the CIEE at most once.
 */
static struct vcpu_ctx ctx_copy[PLAT_MAX_CPUS];
static struct ciee_mmio mmio_copy[PLAT_MAX_CPUS];

/*
 * VCPU_RUN: the context in (and the MMIO record checked), run, then what
 * the hypervisor needs back, each copy once. A refusal before the run
 * (r < 0) wrote nothing anywhere. The MMIO record is only ever written,
 * and only when the run stopped at a TEE's MMIO access.
 */
static long vcpu_run(uint64_t id, uint64_t uctx, uint64_t vcpu, uint64_t ummio)
{
	unsigned int cpu = this_cpu_index();
	struct hyp_arg args[2] = {
		{ uctx, &ctx_copy[cpu], sizeof(ctx_copy[0]), true, CIEE_ERR_BAD_PTR },
		{ ummio, &mmio_copy[cpu], sizeof(mmio_copy[0]), false, CIEE_ERR_BAD_MMIO },
	};
	unsigned int n = ummio ? 2 : 1;
	long r, w, pair;

	r = ciee_args_in(args, n);
	if (r != CIEE_OK)
		return r;
	pair = ciee_pair_enter(id);
	if (pair < 0)
		return pair;
	ciee_placement_ran(id);
	r = ciee_vcpu_run(id, &ctx_copy[cpu], vcpu, ummio ? &mmio_copy[cpu] : NULL);
	ciee_pair_exit(pair);
	if (r < 0)
		return r;
	w = ciee_args_out(args, r == CIEE_EXIT_TEE_MMIO ? 2 : 1);
	return w == CIEE_OK ? r : w;
}

/*
 * The TEE calls: their MMIO record checked (and read by TEE_RESUME, for
 * the value of a read), the call, the record written back after an MMIO stop.
 */
static long tee_op(uint64_t call, uint64_t a1, uint64_t ummio, uint64_t a3, uint64_t a4,
		   uint64_t a5)
{
	struct ciee_mmio *mmio = &mmio_copy[this_cpu_index()];
	struct hyp_arg arg = { ummio, mmio, sizeof(*mmio), call == CIEE_CALL_TEE_RESUME,
			       CIEE_ERR_BAD_MMIO };
	long r, w, pair;

	r = ciee_args_in(&arg, 1);
	if (r != CIEE_OK)
		return r;
	/* The VM (TEE_CALL) or TEE (the others) and its partner stay while it runs. */
	pair = ciee_pair_enter(a1);
	/* Calls and resumes run where the VM's vCPU runs; a boot where the VM is created. */
	if (pair >= 0 && (call == CIEE_CALL_TEE_CALL || call == CIEE_CALL_TEE_RESUME))
		ciee_placement_ran(a1);
	if (pair < 0)
		return pair;
	switch (call) {
	case CIEE_CALL_TEE_BOOT:
		r = ciee_tee_boot(a1, mmio, a3, a4, a5);
		break;
	case CIEE_CALL_TEE_CALL:
		r = ciee_tee_call(a1, a3, mmio);
		break;
	case CIEE_CALL_TEE_RESUME:
		r = ciee_tee_resume(a1, mmio, a3);
		break;
	default:
		r = ciee_tee_reset(a1, mmio);
		break;
	}
	ciee_pair_exit(pair);
	if (r != CIEE_EXIT_TEE_MMIO)
		return r;
	w = ciee_args_out(&arg, 1);
	return w == CIEE_OK ? r : w;
}

/*
 * TEE_IRQ_TAKE, TEE_IRQ_DUE: the pair stays while its TEE's view is read
 * (VM_DESTROY wipes it).
 */
static long with_pair(uint64_t vm_id, long (*fn)(uint64_t))
{
	long pair = ciee_pair_enter(vm_id), r;

	if (pair < 0)
		return pair;
	r = fn(vm_id);
	ciee_pair_exit(pair);
	return r;
}

/* Every call but the SMM calls: kept out of ciee_dispatch, with its stack frame. */
static __attribute__((noinline)) long other_call(uint64_t call, uint64_t a1, uint64_t a2,
						 uint64_t a3, uint64_t a4, uint64_t a5)
{
	switch (call) {
	case CIEE_CALL_VCPU_RUN:
		return vcpu_run(a1, a2, a3, a4);
	case CIEE_CALL_TEE_BOOT:
	case CIEE_CALL_TEE_RESET:
		return tee_op(call, a1, a2, a3, a4, a5);
	case CIEE_CALL_TEE_CALL:
		/* x1 = VM, x2 = vCPU, x3 = MMIO record: the record goes second here too. */
		return tee_op(call, a1, a3, a2, 0, 0);
	case CIEE_CALL_TEE_RESUME:
		return tee_op(call, a1, a2, a3, 0, 0);
	case CIEE_CALL_CPU_STATUS:
		return cpu_status(a1);
	case CIEE_CALL_VM_DESTROY:
		return ciee_vm_destroy(a1);
	case CIEE_CALL_TEE_IRQ_TAKE:
		return with_pair(a1, ciee_tee_irq_take);
	case CIEE_CALL_VM_PLACEMENT:
		return ciee_vm_placement(a1);
	case CIEE_CALL_TEE_IRQ_DUE:
		return with_pair(a1, ciee_tee_irq_due);
	default:
		return CIEE_ERR_BAD_CALL;
	}
}

/*
 * The SMM calls are tested first (smm_is_call, a mask test) and go
 * straight to smm_dispatch as a tail call; everything else to other_call.
 */
long ciee_dispatch(uint64_t call, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		   uint64_t a5)
{
	if (smm_is_call(call)) {
#ifdef GATE_el3
		/* With GATE=el3 memory mapping is served by the monitor only. */
		return CIEE_ERR_BAD_CALL;
#else
		return smm_dispatch(call, a1, a2, a3, a4, a5);
#endif
	}
	return other_call(call, a1, a2, a3, a4, a5);
}
