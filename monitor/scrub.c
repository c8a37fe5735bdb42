/* SPDX-License-Identifier: MIT */
/*
 * Scrubbing what TEEs leave in RAM across a reset. QEMU (like many real
 * machines) keeps RAM, secure and non-secure, across a system reset, and a
 * TEE's pages are ordinary non-secure RAM: without this, the next boot's
 * hypervisor could read a TEE's secrets straight from memory.
 *
 * TEE pages only ever come from the VM pool [PLAT_VM_POOL_BASE,
 * PLAT_CIEE_DATA_BASE); the CIEE data region above it holds the ownership
 * table and every translation table. Two scrubs:
 *  - SYSTEM_RESET (power_reset): every other CPU parked at EL3 first
 *    (park.c), then the TEE pages the ownership table names, then the
 *    CIEE data region. It narrows the time secrets sit in RAM; the
 *    guarantee rests on the next one.
 *  - cold boot after any reset (PSCI or not: QEMU's own reset, a watchdog,
 *    a reset in the middle of the first scrub): the whole pool and the
 *    CIEE data region, on CPU 0, before the CIEE or anything non-secure
 *    runs, while every other CPU sits in the pen. This is the guarantee.
 */
#include <arch/sysreg.h>
#include <lib/console.h>
#include <policy/ownership.h>
#include <vtz/platform.h>

#include "monitor.h"

#define SCRUB_PAGE 4096UL
#define SCRUB_BASE PLAT_VM_POOL_BASE
#define SCRUB_END (PLAT_NS_RAM_BASE + monitor_ram_size())

/* Milliseconds between two counter reads; 0 if the counter has no frequency. */
static uint64_t elapsed_ms(uint64_t t0, uint64_t t1)
{
	uint64_t freq = read_sysreg(cntfrq_el0);

	return freq ? (t1 - t0) * 1000 / freq : 0;
}

void scrub_cold_boot(enum boot_kind kind, uint64_t generation)
{
	uint64_t t0, t1;

	if (kind == BOOT_FIRST) {
		con_printf("first boot since power-on (boot marker in secure RAM is zero): "
			   "RAM is zero, no scrub needed\n");
		return;
	}
	if (kind == BOOT_UNKNOWN_MARKER)
		con_printf("boot marker in secure RAM not recognised: scrubbing as after "
			   "a reset\n");
	t0 = read_sysreg(cntpct_el0);
	monitor_zero(SCRUB_BASE, SCRUB_END);
	t1 = read_sysreg(cntpct_el0);
	con_printf("cold boot after reset: scrubbed 0x%lx-0x%lx before any untrusted code "
		   "runs (boot %lu, %lu MiB in %lu ms)\n",
		   SCRUB_BASE, SCRUB_END - 1, generation,
		   (SCRUB_END - SCRUB_BASE - PLAT_CIEE_DATA_SIZE) >> 20,
		   elapsed_ms(t0, t1));
}

/*
 * The ownership table is the CIEE's (trusted), but it is read here with
 * the machine in an unknown state, so only what its layout allows is
 * believed: entry i covers page PLAT_NS_RAM_BASE + i * 4 KiB, i below
 * PLAT_OWN_TABLE_SIZE / 2, and a TEE page outside the VM pool is not a
 * page the CIEE can have handed out: it is reported, not written (a
 * corrupt entry must not make the monitor zero code another CPU runs).
 * The cold-boot scrub covers the whole pool regardless.
 */
void scrub_before_reset(void)
{
	const volatile owner_t *own = (const volatile owner_t *)PLAT_CIEE_DATA_BASE;
	const uint64_t n = PLAT_OWN_TABLE_SIZE / sizeof(owner_t);
	uint64_t i, pa, bytes, pages = 0, odd = 0, t0;

	/*
	 * First, stop every other CPU at EL3 (park.c): nothing may run on
	 * the tables about to be zeroed, or see every page free. If one
	 * does not confirm, touch nothing: the cold boot scrubs it all.
	 */
	if (!monitor_park_others())
		return;
	t0 = read_sysreg(cntpct_el0);
	for (i = 0; i < n; i++) {
		if (OWNER_TYPE(own[i]) != OWN_TEE)
			continue;
		pa = PLAT_NS_RAM_BASE + i * SCRUB_PAGE;
		if (!monitor_vm_pool_page(pa)) {
			odd++;
			continue;
		}
		monitor_zero(pa, pa + SCRUB_PAGE);
		pages++;
	}
	if (odd)
		con_printf("system reset: %lu ownership entries name a TEE page outside the VM "
			   "pool: ignored (the cold boot scrubs the pool)\n", odd);
	/* Last: the table was read above; the page tables go with it. */
	monitor_zero(PLAT_CIEE_DATA_BASE, PLAT_CIEE_DATA_BASE + PLAT_CIEE_DATA_SIZE);
	bytes = pages * SCRUB_PAGE;
	con_printf("system reset: scrubbed %lu TEE pages (%lu %s) and the CIEE data region "
		   "0x%lx-0x%lx (%lu ms)\n",
		   pages, bytes % (1UL << 20) ? bytes >> 10 : bytes >> 20,
		   bytes % (1UL << 20) ? "KiB" : "MiB", PLAT_CIEE_DATA_BASE,
		   PLAT_CIEE_DATA_BASE + PLAT_CIEE_DATA_SIZE - 1,
		   elapsed_ms(t0, read_sysreg(cntpct_el0)));
}
