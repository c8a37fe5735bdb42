/* SPDX-License-Identifier: MIT */
/*
 * A guest TEE's GIC, answered by the CIEE (docs/architecture.md, "A GIC
 * of its own"). The TEE's accesses to the distributor and its
 * redistributors trap (those pages are never in its stage 2) and are
 * served here on its view (policy/tee_gic.c), in CIEE memory: the
 * hypervisor neither sees nor writes which of the TEE's interrupts are
 * secure. An ISPENDR write to an SPI the TEE keeps in non-secure group 1
 * is an interrupt for its own VM's normal world (OP-TEE's asynchronous
 * notification): recorded here, the TEE stops with CIEE_EXIT_TEE_RAISED,
 * and the hypervisor takes the INTIDs with TEE_IRQ_TAKE, naming the VM,
 * to inject them into that VM's vGIC.
 */
#include <string.h>

#include <arch/sysreg.h>
#include <vtz/platform.h>

#include "ciee.h"

void tee_gic_reset(struct ciee_tee *t)
{
	spin_lock(&t->gic_lock);
	tee_gic_init(&t->gic, CIEE_MAX_VCPUS);
	memset(&t->uart, 0, sizeof(t->uart));
	tee_gic_update(t);
	spin_unlock(&t->gic_lock);
}

void tee_gic_vm_reset(struct ciee_tee *t)
{
	spin_lock(&t->gic_lock);
	tee_gic_drop_raised(&t->gic);
	spin_unlock(&t->gic_lock);
}

int tee_gic_mmio(struct ciee_tee *t, struct ciee_tee_vcpu *tv, uint64_t ipa)
{
	uint64_t esr = tv->ctx.esr, v = 0;
	unsigned int srt = (esr >> ESR_DABT_SRT_SHIFT) & ESR_DABT_SRT_MASK;
	unsigned int size = 1U << ((esr >> ESR_DABT_SAS_SHIFT) & ESR_DABT_SAS_MASK);
	bool is_write = esr & ESR_DABT_WNR, raised;

	if (!tee_gic_claims(&t->gic, ipa))
		return TEE_GIC_NOT_MINE;
	if (is_write && srt != 31)
		v = size < 8 ? tv->ctx.x[srt] & ((1UL << (size * 8)) - 1) : tv->ctx.x[srt];
	/* The TEE's vCPUs share one distributor, as on the machine. */
	spin_lock(&t->gic_lock);
	v = tee_gic_access(&t->gic, ipa, size, is_write, v);
	raised = tee_gic_raised_new(&t->gic);
	/* An enable, a group, a route or a pending bit may have made a secure interrupt due. */
	if (is_write)
		tee_gic_update(t);
	spin_unlock(&t->gic_lock);
	/* Every register is 32 or 64 bits: a read zero-extends (no sign, no W/X split). */
	if (!is_write && srt != 31)
		tv->ctx.x[srt] = (esr & ESR_DABT_SF) ? v : (uint32_t)v;
	tv->ctx.pc += 4;
	return raised ? TEE_GIC_RAISED : TEE_GIC_DONE;
}

long ciee_guest_tee(uint64_t vm_id, struct ciee_tee **t)
{
	struct ciee_vm *vm = ciee_vm_get(vm_id);

	if (!vm)
		return CIEE_ERR_BAD_VM;
	if (vm->kind != CIEE_VM_KIND_GUEST)
		return CIEE_ERR_BAD_KIND;
	if (vm->partner >= CIEE_MAX_VMS)
		return CIEE_ERR_NO_TEE;
	*t = &ciee_tees[vm->partner];
	return CIEE_OK;
}

long ciee_tee_irq_take(uint64_t vm_id)
{
	struct ciee_tee *t;
	unsigned int intid;
	long r = ciee_guest_tee(vm_id, &t);

	/* Only this VM's own TEE's raises, whatever the hypervisor would rather. */
	if (r != CIEE_OK)
		return r;
	spin_lock(&t->gic_lock);
	intid = tee_gic_take_raised(&t->gic);
	spin_unlock(&t->gic_lock);
	return (long)intid;
}
