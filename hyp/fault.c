/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's own exceptions, handed over by the CIEE. A fault inside
 * a probe (the attack suite's way to touch forbidden memory) resumes at the
 * probe's recovery point; anything else is a hypervisor bug: report, stop.
 */
#include <arch/sysreg.h>
#include <lib/console.h>
#include <lib/exc_report.h>

#include "hyp.h"

struct fault_frame {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t pad;
};

/* Per CPU: where to resume if a probe faults (0: no probe running). */
uint64_t hyp_probe_recover[PLAT_MAX_CPUS];
/* Per CPU: syndrome of the last fault a probe took. */
struct probe_fault hyp_probe_last[PLAT_MAX_CPUS];

void hyp_fault(uint64_t kind, struct fault_frame *f)
{
	unsigned int cpu = this_cpu_index();
	uint64_t esr = read_sysreg(esr_el2), far = read_sysreg(far_el2);

	if (cpu < PLAT_MAX_CPUS && hyp_probe_recover[cpu]) {
		hyp_probe_last[cpu].esr = esr;
		hyp_probe_last[cpu].far = far;
		hyp_probe_last[cpu].elr = f->elr;
		hyp_probe_last[cpu].kind = kind;
		f->elr = hyp_probe_recover[cpu];
		/* Resume at EL2h, interrupts as they were in the hypervisor. */
		f->spsr = (f->spsr & SPSR_DAIF_MASKED) | SPSR_EL2H;
		if ((f->spsr & 0xf) != SPSR_EL2H || kind >= 8)
			f->spsr = SPSR_EL2H | SPSR_DAIF_MASKED;
		hyp_probe_recover[cpu] = 0;
		return;
	}
	report_exception(kind >= 8 ? "in a guest the hypervisor entered by itself"
				   : "in the hypervisor at EL2",
			 esr, f->elr, far, f->spsr);
	hyp_system_off();
}
