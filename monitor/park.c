/* SPDX-License-Identifier: MIT */
/*
 * Parking every other CPU before a SYSTEM_RESET scrubs trusted state.
 *
 * The pre-reset scrub zeroes the ownership table and every translation
 * table. If another CPU still ran, it would see every page "free" (a
 * hypervisor could be handed a TEE's page), or run the CIEE or a guest on
 * zeroed tables. So the CPU that asks for the reset first stops every
 * other one at EL3, where only monitor code runs, and waits until each
 * says so.
 *
 * How a CPU is stopped, whatever it runs: a secure SGI (PARK_SGI, Group 0,
 * priority 0) delivered as FIQ, which SCR_EL3.FIQ routes to EL3. Taken
 * from any lower EL, whatever PSTATE.F says there (an exception routed to
 * a higher EL is not masked by the lower EL's mask bits): the hypervisor,
 * the CIEE in CIEE mode with DAIF all set, a guest or a TEE. Nothing
 * non-secure can stop it: the SGI's group, enable and priority are
 * secure-only GIC state (GICD_CTLR.DS = 0), a non-secure ICC_PMR_EL1 write
 * cannot mask priorities below 0x80, and GICD_CTLR.EnableGrp0 is secure.
 * (The hypervisor's text is scanned for the CPU-interface registers of
 * Group 0 it could otherwise reach: policy/insn_scan.c.)
 *
 * A CPU at EL3 has FIQs masked. It stops at its next EL3 boundary:
 *  - serving an SMC: on the way in and on the way out (monitor_park_check()
 *    from main.c), and if it returned to its lower EL first, the FIQ that
 *    is still pending is taken at once;
 *  - in the PSCI pen, released by a CPU_ON: psci.c stores ON, then looks at
 *    the request (both sequentially consistent). The requester stores the
 *    request, then reads the pens. So either the requester saw ON and
 *    waits for this CPU (which then takes the FIQ, or stops itself), or
 *    this CPU sees the request and parks before leaving EL3.
 *  - a second CPU asking for SYSTEM_RESET or SYSTEM_OFF at the same time
 *    loses the claim (one CAS) and parks.
 * The requester waits for every CPU whose pen says ON or ON_PENDING to set
 * its parked flag, re-sending the SGI now and then (an SGI sent before a
 * just-released CPU configured its redistributor is never lost, but costs
 * nothing to repeat). If one does not answer within PARK_WAIT_MS, nothing
 * trusted is scrubbed before the reset: the cold boot scrubs the whole
 * pool and the CIEE data before any untrusted code runs (scrub.c), which
 * is what the guarantee rests on; the pre-reset scrub only narrows the
 * time secrets sit in RAM.
 */
#include <stdbool.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <vtz/platform.h>
#include <vtz/tee_input.h>

#include "monitor.h"

#define ICC_SGI0R_EL1 S3_0_C12_C11_7
#define ICC_IAR0_EL1 S3_0_C12_C8_0
#define ICC_EOIR0_EL1 S3_0_C12_C8_1
#define SGIR_IRM (1UL << 40) /* every PE but this one */
#define SGIR_INTID_SHIFT 24
#define PARK_WAIT_MS 1000
#define PARK_RESEND_MS 10

/* Which CPU claimed the reset: its index + 1; 0 (zeroed .bss) for none. */
static uint32_t park_claim;
static volatile uint32_t parked[PLAT_MAX_CPUS];

static bool park_requested(void)
{
	return __atomic_load_n(&park_claim, __ATOMIC_SEQ_CST) != 0;
}

/* This CPU stops here, at EL3, for good: the reset takes it back to the reset vector. */
static void park_self(void) __attribute__((noreturn));
static void park_self(void)
{
	__atomic_store_n(&parked[this_cpu_index()], 1, __ATOMIC_SEQ_CST);
	dsb(sy);
	for (;;)
		wfi();
}

void monitor_park_check(void)
{
	uint32_t claim = __atomic_load_n(&park_claim, __ATOMIC_SEQ_CST);

	if (claim && claim != this_cpu_index() + 1)
		park_self();
}

/*
 * The FIQ vector (vectors.S), from whatever this CPU ran below EL3: the
 * secure UART's receive interrupt (tee_input.c), after which the CPU goes
 * back to what it ran, or PARK_SGI, after which it never does.
 */
void monitor_fiq(void)
{
	uint64_t intid = read_sysreg(ICC_IAR0_EL1) & 0xffffff;

	if (intid == PLAT_UART1_INTID) {
		tee_input_fiq();
		write_sysreg(ICC_EOIR0_EL1, intid);
		isb();
		monitor_park_check();
		return;
	}
	/* Acknowledged and ended, so WFI is not woken by it again and again. */
	if (intid < 1020)
		write_sysreg(ICC_EOIR0_EL1, intid);
	if (!park_requested()) {
		/* Nothing pending after all (another CPU's SGI was withdrawn): carry on. */
		if (intid >= 1020)
			return;
		/* Not ours to stop: nothing else is Group 0. Report, as for any surprise. */
		con_printf("cpu%u: FIQ (INTID %lu) with no reset pending: stopping\n",
			   this_cpu_index(), intid);
	}
	park_self();
}

static uint64_t ms_to_ticks(uint64_t ms)
{
	uint64_t freq = read_sysreg(cntfrq_el0);

	return (freq ? freq : 62500000) / 1000 * ms;
}

bool monitor_park_others(void)
{
	uint32_t self = this_cpu_index(), expected = 0, cpu, waiting;
	bool want[PLAT_MAX_CPUS];
	uint64_t start, last_sgi, now;

	/* One reset (or power-off) at a time: whoever loses parks. */
	if (!__atomic_compare_exchange_n(&park_claim, &expected, self + 1, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
		park_self();
	for (cpu = 0; cpu < PLAT_MAX_CPUS; cpu++)
		want[cpu] = cpu != self && psci_cpu_may_run(cpu);
	write_sysreg(ICC_SGI0R_EL1, SGIR_IRM | ((uint64_t)PARK_SGI << SGIR_INTID_SHIFT));
	isb();
	start = last_sgi = read_sysreg(cntpct_el0);
	for (;;) {
		waiting = 0;
		for (cpu = 0; cpu < PLAT_MAX_CPUS; cpu++)
			if (want[cpu] && !__atomic_load_n(&parked[cpu], __ATOMIC_SEQ_CST))
				waiting++;
		if (!waiting)
			break;
		now = read_sysreg(cntpct_el0);
		if (now - start > ms_to_ticks(PARK_WAIT_MS)) {
			for (cpu = 0; cpu < PLAT_MAX_CPUS; cpu++)
				if (want[cpu] && !parked[cpu])
					con_printf("system reset: cpu%u did not park within %u ms: "
						   "trusted state left for the cold boot to scrub\n",
						   cpu, PARK_WAIT_MS);
			return false;
		}
		if (now - last_sgi > ms_to_ticks(PARK_RESEND_MS)) {
			write_sysreg(ICC_SGI0R_EL1,
				     SGIR_IRM | ((uint64_t)PARK_SGI << SGIR_INTID_SHIFT));
			isb();
			last_sgi = now;
		}
	}
	for (cpu = 0; cpu < PLAT_MAX_CPUS; cpu++)
		if (want[cpu])
			con_printf("system reset: cpu%u parked at EL3\n", cpu);
	con_printf("system reset: every other CPU parked at EL3 before any trusted state "
		   "is scrubbed\n");
	return true;
}
