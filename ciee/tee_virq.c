/* SPDX-License-Identifier: MIT */
/*
 * A guest TEE's own interrupts, delivered by the CIEE alone
 * (docs/architecture.md, "Secure interrupts"). On an ARMv8.0 machine
 * with TF-A, a secure interrupt that arrives while the normal world runs
 * is taken to EL3, and the dispatcher enters the secure OS at its
 * fiq_entry slot (only the PC changes); the OS acknowledges it at its
 * GIC CPU interface (with GICv3, a secure group 1 interrupt at
 * ICC_IAR1_EL1), handles it, ends it (ICC_EOIR1_EL1) and answers
 * FIQ_DONE, and the normal world goes on. Here the interrupt is pending
 * in the TEE's GIC view (a device line, e.g. its secure UART's receive
 * interrupt, or its own ISPENDR write); VCPU_RUN of the VM vCPU it is
 * routed to enters the TEE vCPU of that index at fiq_entry
 * (ciee_tee_deliver(), tee.c) with the interrupt in a list register of
 * the GIC's virtual CPU interface: the TEE runs at NS-EL1 with
 * HCR_EL2.IMO/FMO set, so its ICC_IAR1_EL1 and ICC_EOIR1_EL1 are the
 * virtual interface's, answered by the hardware from that list register
 * (group 1: IAR1, signalled as IRQ; group 0: IAR0, as FIQ, as at S-EL1).
 *
 * So a TEE vCPU has a virtual CPU interface of its own (struct
 * tee_vgic): list register 0, its VMCR (priority mask, group enables)
 * and its active priorities, loaded for every run but the fast call's
 * (whose TEE code touches no GIC register) in place of the VM's, which
 * the hypervisor loaded for the VM, and put back after. The hypervisor
 * can neither make a TEE's interrupt pending nor see one: the view, the
 * list register's copy and the UART are in CIEE memory.
 */
#include <arch/sysreg.h>

#include "ciee.h"
#include "run.h"

#define ICH_AP0R0_EL2 S3_4_C12_C8_0
#define ICH_AP1R0_EL2 S3_4_C12_C9_0
#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_VMCR_EL2 S3_4_C12_C11_7
#define ICH_LR0_EL2 S3_4_C12_C12_0
#define ICH_LR1_EL2 S3_4_C12_C12_1
#define ICH_LR2_EL2 S3_4_C12_C12_2
#define ICH_LR3_EL2 S3_4_C12_C12_3
#define ICH_HCR_EN 1ULL
#define LR_GROUP (1ULL << 60)
#define LR_PRIO_SHIFT 48
#define LR_STATE_SHIFT 62
#define LR_INTID_MASK 0xffffffffULL

/*
 * The virtual CPU interface as the hypervisor left it for its VM: every
 * list register (QEMU's GICv3 and the GIC-500 have four), so none of the
 * VM's interrupts is signalled to the TEE.
 */
struct vgic_other {
	uint64_t hcr, vmcr, lr[4], ap0r0, ap1r0;
};

/*
 * One run of a TEE vCPU this CPU holds, with its own virtual CPU
 * interface. What it did with the interrupt in its list register (ended
 * it: state 0) is told to its view at once.
 */
uint64_t tee_run_slow(struct ciee_vm *tee_vm, struct ciee_tee *t, struct ciee_tee_vcpu *tv)
{
	struct tee_vgic *g = tee_vgic_of(t, tv);
	struct vgic_other o;
	uint64_t kind;

	o.hcr = read_sysreg(ICH_HCR_EL2);
	o.vmcr = read_sysreg(ICH_VMCR_EL2);
	o.lr[0] = read_sysreg(ICH_LR0_EL2);
	o.lr[1] = read_sysreg(ICH_LR1_EL2);
	o.lr[2] = read_sysreg(ICH_LR2_EL2);
	o.lr[3] = read_sysreg(ICH_LR3_EL2);
	o.ap0r0 = read_sysreg(ICH_AP0R0_EL2);
	o.ap1r0 = read_sysreg(ICH_AP1R0_EL2);
	write_sysreg(ICH_HCR_EL2, 0);
	write_sysreg(ICH_VMCR_EL2, g->vmcr);
	write_sysreg(ICH_LR0_EL2, g->lr0);
	write_sysreg(ICH_LR1_EL2, 0);
	write_sysreg(ICH_LR2_EL2, 0);
	write_sysreg(ICH_LR3_EL2, 0);
	write_sysreg(ICH_AP0R0_EL2, g->ap0r0);
	write_sysreg(ICH_AP1R0_EL2, g->ap1r0);
	kind = ciee_run_tee_then(tee_vm, &tv->ctx, &tv->fp, 0, ICH_HCR_EN);
	g->vmcr = read_sysreg(ICH_VMCR_EL2);
	g->lr0 = read_sysreg(ICH_LR0_EL2);
	g->ap0r0 = read_sysreg(ICH_AP0R0_EL2);
	g->ap1r0 = read_sysreg(ICH_AP1R0_EL2);
	write_sysreg(ICH_LR0_EL2, o.lr[0]);
	write_sysreg(ICH_LR1_EL2, o.lr[1]);
	write_sysreg(ICH_LR2_EL2, o.lr[2]);
	write_sysreg(ICH_LR3_EL2, o.lr[3]);
	write_sysreg(ICH_AP0R0_EL2, o.ap0r0);
	write_sysreg(ICH_AP1R0_EL2, o.ap1r0);
	write_sysreg(ICH_VMCR_EL2, o.vmcr);
	write_sysreg(ICH_HCR_EL2, o.hcr);
	isb();
	if (g->lr0 && !(g->lr0 >> LR_STATE_SHIFT)) {
		/* Acknowledged and ended: done in the view; a line still high is pending again. */
		spin_lock(&t->gic_lock);
		tee_gic_secure_unload(&t->gic, (unsigned int)(g->lr0 & LR_INTID_MASK), 0);
		tee_gic_update(t);
		spin_unlock(&t->gic_lock);
		g->lr0 = 0;
	}
	return kind;
}

void tee_virq_fiq_done(struct ciee_tee *t, struct ciee_tee_vcpu *tv)
{
	struct tee_vgic *g = tee_vgic_of(t, tv);
	unsigned int state = (unsigned int)(g->lr0 >> LR_STATE_SHIFT);

	if (!g->lr0)
		return;
	spin_lock(&t->gic_lock);
	tee_gic_secure_unload(&t->gic, (unsigned int)(g->lr0 & LR_INTID_MASK), state);
	tee_gic_update(t);
	spin_unlock(&t->gic_lock);
	/* Never acknowledged: taken back, and signalled again at a later entry. */
	if (state == 1)
		g->lr0 = 0;
}

void tee_virq_abandon(struct ciee_tee *t, struct ciee_tee_vcpu *tv)
{
	struct tee_vgic *g = tee_vgic_of(t, tv);

	if (g->lr0) {
		spin_lock(&t->gic_lock);
		tee_gic_secure_unload(&t->gic, (unsigned int)(g->lr0 & LR_INTID_MASK), 1);
		tee_gic_update(t);
		spin_unlock(&t->gic_lock);
	}
	g->lr0 = 0;
	g->ap0r0 = 0;
	g->ap1r0 = 0;
}

bool tee_virq_load(struct ciee_tee *t, struct ciee_tee_vcpu *tv, unsigned int vcpu)
{
	struct tee_vgic *g = tee_vgic_of(t, tv);
	struct tee_gic_irq irq;
	bool due = false;

	spin_lock(&t->gic_lock);
	/* One list register: one interrupt with the vCPU at a time. */
	if (!(g->lr0 >> LR_STATE_SHIFT) && tee_gic_secure_next(&t->gic, vcpu, &irq)) {
		tee_gic_secure_load(&t->gic, irq.intid);
		tee_gic_update(t);
		g->lr0 = (1ULL << LR_STATE_SHIFT) | (irq.group1 ? LR_GROUP : 0) |
			       ((uint64_t)irq.prio << LR_PRIO_SHIFT) | irq.intid;
		due = true;
	}
	spin_unlock(&t->gic_lock);
	return due;
}

long ciee_tee_irq_due(uint64_t vm_id)
{
	struct ciee_tee *t;
	long r;

	if (tee_input_waiting())
		tee_input_pull();
	r = ciee_guest_tee(vm_id, &t);
	if (r != CIEE_OK)
		return r;
	return (long)(__atomic_load_n(&t->virq_cpus, __ATOMIC_ACQUIRE) &
		      ((1U << CIEE_MAX_VCPUS) - 1));
}
