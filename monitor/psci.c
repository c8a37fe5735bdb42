/* SPDX-License-Identifier: MIT */
/*
 * PSCI 1.1 for the non-secure world. CPU_ON never jumps to the address the
 * caller gives: the core always starts at the CIEE's warm entry with the
 * locked EL2 set-up, and the requested entry is passed as an argument.
 */
#include <stdbool.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <vtz/ciee_abi.h>
#include <vtz/platform.h>
#include <vtz/smccc.h>

#include "monitor.h"

enum pen_state {
	PEN_ABSENT = 0, /* never reached the pen: not a CPU of this machine */
	PEN_OFF,
	PEN_ON_PENDING,
	PEN_ON,
};

struct pen {
	volatile uint64_t state;
	uint64_t context;
	uint64_t requested_entry;
	uint64_t pad;
};

/*
 * Not in .bss: secondaries write here while the boot CPU may still be
 * zeroing .bss. Cold-boot RAM is zero.
 */
static struct pen pens[PLAT_MAX_CPUS] __attribute__((section(".pen")));

static int mpidr_to_cpu(uint64_t mpidr)
{
	/* QEMU virt: Aff0 = cpu index, other affinity levels zero. */
	if (mpidr & ~(uint64_t)MPIDR_AFF0_MASK)
		return -1;
	if ((mpidr & MPIDR_AFF0_MASK) >= PLAT_MAX_CPUS)
		return -1;
	return (int)(mpidr & MPIDR_AFF0_MASK);
}

void psci_secondary_wait(uint64_t cpu)
{
	struct pen *p = &pens[cpu];

	__atomic_store_n(&p->state, PEN_OFF, __ATOMIC_RELEASE);
	while (__atomic_load_n(&p->state, __ATOMIC_ACQUIRE) != PEN_ON_PENDING)
		wfe();
	__atomic_store_n(&p->state, PEN_ON, __ATOMIC_RELEASE);
	monitor_enter_el2(PLAT_CIEE_BASE + CIEE_ENTRY_WARM_OFFSET, p->context,
			  p->requested_entry, cpu);
}

static int64_t cpu_on(uint64_t target, uint64_t entry, uint64_t context)
{
	int cpu = mpidr_to_cpu(target);
	struct pen *p;
	uint64_t expected = PEN_OFF;

	if (cpu < 0)
		return PSCI_RET_INVALID_PARAMS;
	p = &pens[cpu];
	switch (__atomic_load_n(&p->state, __ATOMIC_ACQUIRE)) {
	case PEN_ABSENT:
		return PSCI_RET_INVALID_PARAMS;
	case PEN_ON:
		return PSCI_RET_ALREADY_ON;
	case PEN_ON_PENDING:
		return PSCI_RET_ON_PENDING;
	default:
		break;
	}
	p->context = context;
	p->requested_entry = entry;
	/* Say it before the core runs, so the console shows cause before effect. */
	con_printf("CPU_ON cpu%d: starting at the CIEE warm entry (requested entry 0x%llx "
		   "passed as an argument)\n",
		   cpu, (unsigned long long)entry);
	if (!__atomic_compare_exchange_n(&p->state, &expected, PEN_ON_PENDING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return PSCI_RET_ALREADY_ON;
	dsb(sy);
	sev();
	return PSCI_RET_SUCCESS;
}

static int64_t affinity_info(uint64_t target, uint64_t level)
{
	int cpu = mpidr_to_cpu(target);

	if (cpu < 0 || level != 0)
		return PSCI_RET_INVALID_PARAMS;
	switch (__atomic_load_n(&pens[cpu].state, __ATOMIC_ACQUIRE)) {
	case PEN_ON:
		return 0;
	case PEN_ON_PENDING:
		return 2;
	case PEN_OFF:
		return 1;
	default:
		return PSCI_RET_INVALID_PARAMS;
	}
}

static int is_implemented(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_ON_AARCH64:
	case PSCI_AFFINITY_INFO_AARCH64:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
	case SMCCC_VERSION:
		return 1;
	default:
		return 0;
	}
}

int64_t psci_handle(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3, int *handled)
{
	*handled = 1;
	switch (fid) {
	case PSCI_VERSION:
		return PSCI_VERSION_1_1;
	case PSCI_FEATURES:
		return is_implemented((uint32_t)a1) ? PSCI_RET_SUCCESS : PSCI_RET_NOT_SUPPORTED;
	case PSCI_CPU_ON_AARCH64:
		return cpu_on(a1, a2, a3);
	case PSCI_AFFINITY_INFO_AARCH64:
		return affinity_info(a1, a2);
	case PSCI_SYSTEM_OFF:
		con_printf("PSCI SYSTEM_OFF\n");
		power_off();
	case PSCI_SYSTEM_RESET:
		con_printf("PSCI SYSTEM_RESET\n");
		power_reset();
	default:
		*handled = 0;
		return PSCI_RET_NOT_SUPPORTED;
	}
}
