/* SPDX-License-Identifier: MIT */
/*
 * PSCI 1.1 for the non-secure world. CPU_ON never jumps to the address the
 * caller gives: the core always starts at the CIEE's warm entry with the
 * locked EL2 set-up, and the requested entry is passed as an argument.
 *
 * Natively (VTZ_NATIVE) there is no EL2 to protect: the normal world is
 * an OS at NS-EL1, and a started core enters the TEE's cpu_on slot and
 * then that OS at the requested entry (native.c), which must lie in the
 * normal world's RAM.
 */
#include <stdbool.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <vtz/ciee_abi.h>
#include <vtz/platform.h>
#include <vtz/smccc.h>

#include "monitor.h"

enum pen_state {
	PEN_ABSENT = 0, /* not arrived in this boot: not (yet) a CPU of this machine */
	PEN_OFF,
	PEN_ON_PENDING,
	PEN_ON,
};

/*
 * A pen's state word carries the boot generation it was written in:
 * bits 63:32 the generation, bits 7:0 the pen_state. See pen_state_of().
 */
#define PEN_WORD(gen, st) (((uint64_t)(uint32_t)(gen) << 32) | (uint64_t)(st))
#define PEN_GEN(w) ((uint32_t)((w) >> 32))

struct pen {
	volatile uint64_t state;
	uint64_t context;
	uint64_t requested_entry;
	uint64_t pad;
};

/*
 * Survives reset. QEMU keeps secure RAM across a system reset (and so may
 * a real machine's SRAM), so this is the only memory that remembers the
 * machine ran before. It lives in .pen, which is NOLOAD and neither copied
 * nor zeroed by the reset code: at first power-on it is zero. check is the
 * complement of generation, so a marker is told from zeroed or random RAM.
 */
struct boot_marker {
	volatile uint64_t generation; /* boots so far, this one included */
	volatile uint64_t check;      /* ~generation once written */
};

/*
 * Not in .bss: secondaries write here while the boot CPU may still be
 * zeroing .bss, and both survive a reset.
 *
 * Stale pens after a reset. Before the reset a pen may say ON or
 * ON_PENDING, and context/requested_entry still hold the old boot's
 * values. Resetting the pens from CPU 0 would race with the secondaries,
 * which may have arrived (and written PEN_OFF) before CPU 0 gets there: a
 * reset written after that arrival loses the CPU for good. So CPU 0 never
 * writes a pen's state at boot; instead every state word is tagged with
 * the boot generation, which CPU 0 alone advances, once, at cold boot,
 * before any non-secure code runs:
 *  - a word whose generation is not the current one is PEN_ABSENT for
 *    CPU_ON and AFFINITY_INFO, so nothing a previous boot wrote counts;
 *  - a secondary releases itself only on ON_PENDING tagged with the
 *    current generation, which only this boot's CPU_ON writes (by CAS from
 *    OFF of the same generation);
 *  - a secondary that arrives before CPU 0 advanced the generation tags
 *    its OFF with the old one, which CPU_ON does not accept; it watches
 *    the generation (CPU 0 sends an event when it advances it) and
 *    announces itself again, once, with the new one. Until then its pen
 *    cannot be CAS'd by CPU_ON, so no release is lost.
 * context and requested_entry are cleared by CPU 0 at cold boot (only
 * CPU_ON writes them, and only CPU 0 runs until then).
 */
static struct pen pens[PLAT_MAX_CPUS] __attribute__((section(".pen")));
static struct boot_marker boot_marker __attribute__((section(".pen")));

static uint32_t current_generation(void)
{
	return (uint32_t)__atomic_load_n(&boot_marker.generation, __ATOMIC_ACQUIRE);
}

/* The state of a pen in this boot: anything from an earlier one is ABSENT. */
static enum pen_state pen_state_of(uint64_t word)
{
	if (PEN_GEN(word) != current_generation())
		return PEN_ABSENT;
	return (enum pen_state)(word & 0xff);
}

enum boot_kind psci_cold_boot(uint64_t *generation)
{
	uint64_t gen = boot_marker.generation, check = boot_marker.check;
	enum boot_kind kind;
	unsigned int i;

	if (!gen && !check)
		kind = BOOT_FIRST;
	else if (check == ~gen)
		kind = BOOT_AFTER_RESET;
	else
		kind = BOOT_UNKNOWN_MARKER;
	/*
	 * Never 0 (as a whole or in the 32 bits the pens carry) after this:
	 * a wrapped counter must not look like first power-on. Written
	 * before the scrub, so a reset in the middle of it is still seen as
	 * a reset by the next boot.
	 */
	gen = (kind == BOOT_FIRST) ? 1 : gen + 1;
	if ((uint32_t)gen == 0)
		gen++;
	for (i = 0; i < PLAT_MAX_CPUS; i++) {
		pens[i].context = 0;
		pens[i].requested_entry = 0;
	}
	boot_marker.check = ~gen;
	__atomic_store_n(&boot_marker.generation, gen, __ATOMIC_RELEASE);
	dsb(sy);
	sev();
	*generation = gen;
	return kind;
}

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
	uint32_t gen = current_generation(), now;

	/* Overwrites whatever the previous boot left here, ON_PENDING included. */
	__atomic_store_n(&p->state, PEN_WORD(gen, PEN_OFF), __ATOMIC_RELEASE);
	for (;;) {
		now = current_generation();
		if (now != gen) {
			/* Arrived before CPU 0 advanced it: announce again. */
			gen = now;
			__atomic_store_n(&p->state, PEN_WORD(gen, PEN_OFF), __ATOMIC_RELEASE);
			continue;
		}
		if (__atomic_load_n(&p->state, __ATOMIC_ACQUIRE) == PEN_WORD(gen, PEN_ON_PENDING))
			break;
		wfe();
	}
	__atomic_store_n(&p->state, PEN_WORD(gen, PEN_ON), __ATOMIC_SEQ_CST);
#ifdef VTZ_NATIVE
	native_secondary_start(p->requested_entry, p->context);
#else
	/* After ON, before leaving EL3: a reset under way parks us here (park.c). */
	monitor_park_check();
	gic_secure_init_cpu((unsigned int)cpu);
	monitor_enter_el2(PLAT_CIEE_BASE + CIEE_ENTRY_WARM_OFFSET, p->context,
			  p->requested_entry, cpu);
#endif
}

#ifndef VTZ_NATIVE
bool psci_cpu_may_run(unsigned int cpu)
{
	enum pen_state st = pen_state_of(__atomic_load_n(&pens[cpu].state, __ATOMIC_SEQ_CST));

	return st == PEN_ON || st == PEN_ON_PENDING;
}
#endif

static int64_t cpu_on(uint64_t target, uint64_t entry, uint64_t context)
{
	int cpu = mpidr_to_cpu(target);
	uint32_t gen = current_generation();
	uint64_t expected = PEN_WORD(gen, PEN_OFF);
	struct pen *p;

	if (cpu < 0)
		return PSCI_RET_INVALID_PARAMS;
#ifdef VTZ_NATIVE
	/* Entered at NS-EL1 with the MMU off: an instruction in the normal world's RAM. */
	if (entry % 4 || entry < PLAT_NS_RAM_BASE || entry >= PLAT_NS_RAM_BASE + PLAT_NS_RAM_SIZE)
		return PSCI_RET_INVALID_ADDRESS;
#endif
	p = &pens[cpu];
	switch (pen_state_of(__atomic_load_n(&p->state, __ATOMIC_ACQUIRE))) {
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
#ifdef VTZ_NATIVE
	con_printf("CPU_ON cpu%d: the TEE's cpu_on first, then the normal world at 0x%llx "
		   "(NS-EL1)\n", cpu, (unsigned long long)entry);
#else
	con_printf("CPU_ON cpu%d: starting at the CIEE warm entry (requested entry 0x%llx "
		   "passed as an argument)\n",
		   cpu, (unsigned long long)entry);
#endif
	if (!__atomic_compare_exchange_n(&p->state, &expected, PEN_WORD(gen, PEN_ON_PENDING),
					 false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
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
	switch (pen_state_of(__atomic_load_n(&pens[cpu].state, __ATOMIC_ACQUIRE))) {
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
	case PSCI_MIGRATE_INFO_TYPE:
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
	case PSCI_MIGRATE_INFO_TYPE:
		/*
		 * 2: no trusted OS that needs migrating (TF-A's opteed says so of
		 * OP-TEE, which runs on every CPU; vTZ's hypervisor tells its VMs
		 * the same).
		 */
		return 2;
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
