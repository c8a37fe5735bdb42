/* SPDX-License-Identifier: MIT */
/*
 * Is the caller of an SMC the CIEE, at its own call site? Decided from
 * the caller's EL2 state and the SMC's address, which the hypervisor
 * cannot fake (docs/security.md, "The CIEE gate"):
 *  - Mode: only CIEE code writes SCTLR_EL2 (the hypervisor's text is
 *    scanned for MSR SCTLR_EL2 before it runs), and any CIEE write of it
 *    is followed by a check that halts unless the value is exactly the
 *    CIEE's with every interrupt masked. So "EL2h, SCTLR_EL2 ==
 *    SCTLR_EL2_CIEE, DAIF all masked at the SMC" holds only for code
 *    running inside the CIEE after its gate.
 *  - Site: the CIEE's text is also executable in the hypervisor's stage 1
 *    (the hypervisor branches to the gate), so mode alone must hold too;
 *    and inside CIEE mode only one instruction may ask for a key: the
 *    `smc` at ciee_monitor_smc_site (ciee/monitor_call.S), whose offset
 *    the monitor reads from the CIEE image header at boot, before any
 *    non-secure code has run, and keeps in secure RAM. ELR_EL3 after an
 *    SMC is the address of the instruction after it. A CIEE bug that
 *    lets the hypervisor steer some other code path into an SMC with
 *    chosen x0..x4 (a stray `smc` in inline asm, a gadget) then does not
 *    reach the key service.
 * Pure, so the host tests cover every case.
 */
#ifndef MONITOR_CIEE_AUTH_H
#define MONITOR_CIEE_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include <arch/sysreg.h> /* the constants; arch/fake in host tests */

#define SPSR_M_MASK 0x1fUL /* M[4] (AArch32) and M[3:0] (EL, SP) */
#define AARCH64_SMC0 0xd4000003U /* smc #0 */

enum ciee_caller {
	CIEE_CALLER_OK,
	CIEE_CALLER_NOT_CIEE,  /* not in CIEE mode: the hypervisor (or worse) */
	CIEE_CALLER_WRONG_SITE, /* CIEE mode, but not the CIEE's one call site */
};

/* spsr_el3 and sctlr_el2 as read at EL3 on the SMC's entry. */
static inline bool ciee_caller_ok(uint64_t spsr_el3, uint64_t sctlr_el2)
{
	return (spsr_el3 & SPSR_M_MASK) == SPSR_EL2H &&
	       (spsr_el3 & SPSR_DAIF_MASKED) == SPSR_DAIF_MASKED && sctlr_el2 == SCTLR_EL2_CIEE;
}

/*
 * The full check: mode first (a hypervisor branching to the CIEE's own
 * smc with its MMU on has the right ELR and the wrong mode), then the
 * site. site_ret is the CIEE's smc address + 4, as recorded at boot; 0
 * (none recorded) refuses everything.
 */
static inline enum ciee_caller ciee_caller_check(uint64_t spsr_el3, uint64_t sctlr_el2,
						 uint64_t elr_el3, uint64_t site_ret)
{
	if (!ciee_caller_ok(spsr_el3, sctlr_el2))
		return CIEE_CALLER_NOT_CIEE;
	if (!site_ret || elr_el3 != site_ret)
		return CIEE_CALLER_WRONG_SITE;
	return CIEE_CALLER_OK;
}

/*
 * At boot: is the call-site offset in the CIEE header believable? A
 * word-aligned offset inside the CIEE's text (text_size from the same
 * header, itself within the CIEE's region) that holds `smc #0`.
 */
static inline bool ciee_smc_site_valid(uint64_t offset, uint64_t text_size,
				       uint64_t region_size, uint32_t insn)
{
	return text_size <= region_size && offset % 4 == 0 && offset < text_size &&
	       insn == AARCH64_SMC0;
}

#endif
