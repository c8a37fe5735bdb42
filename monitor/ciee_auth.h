/* SPDX-License-Identifier: MIT */
/*
 * Is the caller of an SMC the CIEE? Decided from the caller's EL2 state
 * alone, which the hypervisor cannot fake (docs/security.md, "The CIEE
 * gate"): only CIEE code writes SCTLR_EL2 (the hypervisor's text is
 * scanned for MSR SCTLR_EL2 before it runs), and any CIEE write of it is
 * followed by a check that halts unless the value is exactly the CIEE's
 * with every interrupt masked. So "EL2h, SCTLR_EL2 == SCTLR_EL2_CIEE,
 * DAIF all masked at the SMC" holds only for code running inside the
 * CIEE after its gate. Pure, so the host tests cover every case.
 */
#ifndef MONITOR_CIEE_AUTH_H
#define MONITOR_CIEE_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/sysreg.h> /* the constants; arch/fake in host tests */

#define SPSR_M_MASK 0x1fUL /* M[4] (AArch32) and M[3:0] (EL, SP) */

/* spsr_el3 and sctlr_el2 as read at EL3 on the SMC's entry. */
static inline bool ciee_caller_ok(uint64_t spsr_el3, uint64_t sctlr_el2)
{
	return (spsr_el3 & SPSR_M_MASK) == SPSR_EL2H &&
	       (spsr_el3 & SPSR_DAIF_MASKED) == SPSR_DAIF_MASKED && sctlr_el2 == SCTLR_EL2_CIEE;
}

#endif
