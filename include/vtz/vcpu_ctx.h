/* SPDX-License-Identifier: MIT */
/*
 * Saved state of a virtual CPU as the CIEE loads and saves it. The layout
 * of the first fields is used by the CIEE's assembly (offsets below).
 */
#ifndef VTZ_VCPU_CTX_H
#define VTZ_VCPU_CTX_H

#define VCPU_CTX_X0 0
#define VCPU_CTX_X30 240
#define VCPU_CTX_SIZE_GPRS 248

#ifndef __ASSEMBLY__
#include <stdint.h>

struct el1_sysregs {
	uint64_t sctlr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr;
	uint64_t sp_el0, sp_el1, elr_el1, spsr_el1, esr, far, afsr0, afsr1;
	uint64_t tpidr_el0, tpidrro_el0, tpidr_el1, par, cpacr, cntkctl;
	uint64_t cntv_ctl, cntv_cval, csselr;
	uint64_t cntp_ctl, cntp_cval, mdscr; /* EL1 physical timer, debug control */
};

struct vcpu_ctx {
	uint64_t x[31];     /* offset 0: x0..x30 (asm relies on this) */
	uint64_t pc;        /* ELR_EL2 */
	uint64_t pstate;    /* SPSR_EL2 */
	struct el1_sysregs el1;
	uint64_t vmpidr;
	/* Exit information, written by the CIEE on every exit. */
	uint64_t esr, far, hpfar;
};

_Static_assert(__builtin_offsetof(struct vcpu_ctx, pc) == VCPU_CTX_SIZE_GPRS, "vcpu_ctx layout");
#endif

#endif
