/* SPDX-License-Identifier: MIT */
/*
 * Switching a world's EL1 state. AArch64 does not bank the EL1 system
 * registers between worlds, so whoever puts two contexts on one CPU at EL1
 * (the CIEE: a VM and its TEE; the native monitor: the normal world and
 * the TEE at S-EL1) loads and saves all of them, and clears them after a
 * TEE. Inlined: the world switch is the hot path.
 */
#ifndef ARCH_EL1_CONTEXT_H
#define ARCH_EL1_CONTEXT_H

#include <arch/sysreg.h>
#include <vtz/vcpu_ctx.h>

static inline __attribute__((always_inline)) void el1_load(const struct el1_sysregs *s)
{
	write_sysreg(sctlr_el1, s->sctlr);
	write_sysreg(ttbr0_el1, s->ttbr0);
	write_sysreg(ttbr1_el1, s->ttbr1);
	write_sysreg(tcr_el1, s->tcr);
	write_sysreg(mair_el1, s->mair);
	write_sysreg(amair_el1, s->amair);
	write_sysreg(vbar_el1, s->vbar);
	write_sysreg(contextidr_el1, s->contextidr);
	write_sysreg(sp_el0, s->sp_el0);
	write_sysreg(sp_el1, s->sp_el1);
	write_sysreg(elr_el1, s->elr_el1);
	write_sysreg(spsr_el1, s->spsr_el1);
	write_sysreg(esr_el1, s->esr);
	write_sysreg(far_el1, s->far);
	write_sysreg(afsr0_el1, s->afsr0);
	write_sysreg(afsr1_el1, s->afsr1);
	write_sysreg(tpidr_el0, s->tpidr_el0);
	write_sysreg(tpidrro_el0, s->tpidrro_el0);
	write_sysreg(tpidr_el1, s->tpidr_el1);
	write_sysreg(par_el1, s->par);
	write_sysreg(cpacr_el1, s->cpacr);
	write_sysreg(cntkctl_el1, s->cntkctl);
	write_sysreg(cntv_cval_el0, s->cntv_cval);
	write_sysreg(cntv_ctl_el0, s->cntv_ctl);
	write_sysreg(csselr_el1, s->csselr);
	write_sysreg(cntp_cval_el0, s->cntp_cval);
	write_sysreg(cntp_ctl_el0, s->cntp_ctl);
	write_sysreg(mdscr_el1, s->mdscr);
}

static inline __attribute__((always_inline)) void el1_save(struct el1_sysregs *s)
{
	s->sctlr = read_sysreg(sctlr_el1);
	s->ttbr0 = read_sysreg(ttbr0_el1);
	s->ttbr1 = read_sysreg(ttbr1_el1);
	s->tcr = read_sysreg(tcr_el1);
	s->mair = read_sysreg(mair_el1);
	s->amair = read_sysreg(amair_el1);
	s->vbar = read_sysreg(vbar_el1);
	s->contextidr = read_sysreg(contextidr_el1);
	s->sp_el0 = read_sysreg(sp_el0);
	s->sp_el1 = read_sysreg(sp_el1);
	s->elr_el1 = read_sysreg(elr_el1);
	s->spsr_el1 = read_sysreg(spsr_el1);
	s->esr = read_sysreg(esr_el1);
	s->far = read_sysreg(far_el1);
	s->afsr0 = read_sysreg(afsr0_el1);
	s->afsr1 = read_sysreg(afsr1_el1);
	s->tpidr_el0 = read_sysreg(tpidr_el0);
	s->tpidrro_el0 = read_sysreg(tpidrro_el0);
	s->tpidr_el1 = read_sysreg(tpidr_el1);
	s->par = read_sysreg(par_el1);
	s->cpacr = read_sysreg(cpacr_el1);
	s->cntkctl = read_sysreg(cntkctl_el1);
	s->cntv_ctl = read_sysreg(cntv_ctl_el0);
	s->cntv_cval = read_sysreg(cntv_cval_el0);
	s->csselr = read_sysreg(csselr_el1);
	s->cntp_ctl = read_sysreg(cntp_ctl_el0);
	s->cntp_cval = read_sysreg(cntp_cval_el0);
	s->mdscr = read_sysreg(mdscr_el1);
}

#endif
