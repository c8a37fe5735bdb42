/* SPDX-License-Identifier: MIT */
/*
 * Exceptions the hypervisor injects into a guest vCPU, the way the
 * hardware would have raised them: a guest access to an address where
 * it has neither memory nor an emulated device gets a synchronous
 * external abort at EL1, as a non-secure access to secure memory does on
 * the real machine. Only the guest's own state (its EL1 registers in the
 * vCPU context) changes; the guest decides what to do with it.
 */
#include <arch/sysreg.h>

#include "hyp.h"

#define DFSC_SYNC_EXT_ABORT 0x10 /* FSC: synchronous external abort, not on a walk */
#define VEC_CUR_SPX_SYNC 0x200   /* from EL1 with SP_EL1 */
#define VEC_CUR_SP0_SYNC 0x000   /* from EL1 with SP_EL0 */
#define VEC_LOWER_A64_SYNC 0x400 /* from EL0 (AArch64) */
#define SPSR_MODE_MASK 0xfUL
#define SPSR_EL1T 0x4

void vcpu_inject_abort(struct vcpu *v, bool instruction)
{
	struct vcpu_ctx *c = &v->ctx;
	uint64_t mode = c->pstate & SPSR_MODE_MASK;
	bool from_el0 = mode == 0;
	unsigned int ec;
	uint64_t iss = DFSC_SYNC_EXT_ABORT;

	if (instruction)
		ec = from_el0 ? EC_IABT_LOW : EC_IABT_CUR;
	else
		ec = from_el0 ? EC_DABT_LOW : EC_DABT_CUR;
	/* WnR survives for data aborts: the guest may want to know. */
	if (!instruction)
		iss |= c->esr & ESR_DABT_WNR;
	c->el1.esr = ((uint64_t)ec << ESR_EC_SHIFT) | ESR_IL | iss;
	c->el1.far = c->far; /* the guest's virtual address */
	c->el1.elr_el1 = c->pc;
	c->el1.spsr_el1 = c->pstate;
	c->pc = c->el1.vbar + (from_el0 ? VEC_LOWER_A64_SYNC
			       : mode == SPSR_EL1T ? VEC_CUR_SP0_SYNC : VEC_CUR_SPX_SYNC);
	c->pstate = SPSR_EL1H | SPSR_DAIF_MASKED;
}
