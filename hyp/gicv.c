/* SPDX-License-Identifier: MIT */
/*
 * The hardware side of a Linux VM's interrupts: the GICv3 virtual CPU
 * interface (ICH_*_EL2: list registers filled from the vGIC model before
 * every entry and read back after every exit), the virtual timer (PPI 27)
 * as a level input of the vGIC, and kicks (a physical SGI that makes
 * another CPU's vCPU exit and pick up what was made pending for it).
 * The vGIC model itself is hyp/vgic.c; the CIEE never touches ICH_*: the
 * hypervisor leaves ICH_HCR_EL2 = 0 (virtual interface off) whenever it
 * asks the CIEE to run a TEE.
 */
#include <arch/sysreg.h>
#include <lib/console.h>

#include "hyp.h"
#include "vgic.h"

#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_VTR_EL2 S3_4_C12_C11_1
#define ICH_VMCR_EL2 S3_4_C12_C11_7
#define ICH_AP1R0_EL2 S3_4_C12_C9_0
#define ICC_SGI1R_EL1 S3_0_C12_C11_5

#define INTID_KICK 1   /* SGI between our CPUs: "look at your vCPU's interrupts" */
#define INTID_MAINT 25 /* the virtual interface's maintenance interrupt */
#define INTID_VTIMER 27

#define GICR_STRIDE 0x20000UL
#define GICR_SGI_BASE 0x10000UL
#define GICR_ISENABLER0 0x0100
#define GICR_ICENABLER0 0x0180
#define GICR_ICPENDR0 0x0280

#define CNTV_CTL_ENABLE 1UL
#define CNTV_CTL_IMASK 2UL

static unsigned int n_lrs;
static bool vtimer_ppi_on[PLAT_MAX_CPUS];

static volatile uint32_t *gicr_sgi_reg(unsigned int off)
{
	return (volatile uint32_t *)(PLAT_GICR_BASE + this_cpu_index() * GICR_STRIDE +
				     GICR_SGI_BASE + off);
}

static void lr_write(unsigned int n, uint64_t v)
{
	switch (n) {
	case 0: write_sysreg(S3_4_C12_C12_0, v); break;
	case 1: write_sysreg(S3_4_C12_C12_1, v); break;
	case 2: write_sysreg(S3_4_C12_C12_2, v); break;
	case 3: write_sysreg(S3_4_C12_C12_3, v); break;
	case 4: write_sysreg(S3_4_C12_C12_4, v); break;
	case 5: write_sysreg(S3_4_C12_C12_5, v); break;
	case 6: write_sysreg(S3_4_C12_C12_6, v); break;
	case 7: write_sysreg(S3_4_C12_C12_7, v); break;
	default: break;
	}
}

static uint64_t lr_read(unsigned int n)
{
	switch (n) {
	case 0: return read_sysreg(S3_4_C12_C12_0);
	case 1: return read_sysreg(S3_4_C12_C12_1);
	case 2: return read_sysreg(S3_4_C12_C12_2);
	case 3: return read_sysreg(S3_4_C12_C12_3);
	case 4: return read_sysreg(S3_4_C12_C12_4);
	case 5: return read_sysreg(S3_4_C12_C12_5);
	case 6: return read_sysreg(S3_4_C12_C12_6);
	case 7: return read_sysreg(S3_4_C12_C12_7);
	default: return 0;
	}
}

/* Every CPU at start-up: the interrupts Linux VMs need reach us. */
void gicv_cpu_init(void)
{
	uint64_t vtr = read_sysreg(ICH_VTR_EL2);

	n_lrs = (unsigned int)(vtr & 0x1f) + 1;
	if (n_lrs > 8)
		n_lrs = 8; /* the ones lr_write() knows; QEMU's A57 has 4 */
	write_sysreg(ICH_HCR_EL2, 0);
	*(volatile uint8_t *)((uintptr_t)gicr_sgi_reg(0x400) + INTID_KICK) = 0xa0;
	*(volatile uint8_t *)((uintptr_t)gicr_sgi_reg(0x400) + INTID_MAINT) = 0xa0;
	*(volatile uint8_t *)((uintptr_t)gicr_sgi_reg(0x400) + INTID_VTIMER) = 0xa0;
	/* Kicks only once this CPU schedules (gicv_cpu_sched()). */
	*gicr_sgi_reg(GICR_ICENABLER0) = 1U << INTID_KICK;
	*gicr_sgi_reg(GICR_ISENABLER0) = 1U << INTID_MAINT;
	vtimer_ppi_on[this_cpu_index()] = false;
	dsb(sy);
}

/*
 * This CPU starts or stops scheduling Linux vCPUs (sched.c). A CPU that
 * does not schedule must not be interrupted by what the VMs do: a kick
 * (the wake-up goes to every other CPU) or a vCPU's virtual timer left
 * pending here would make its next VCPU_RUN or TEE call exit with an
 * interrupt (the attack suite's CPU 0 runs VMs and TEEs by hand while
 * Linux VMs run elsewhere). So outside the scheduler both are disabled
 * here and anything left pending is cleared; a kick sent meanwhile stays
 * pending, disabled, and is cleared on the way in.
 */
void gicv_cpu_sched(bool on)
{
	unsigned int cpu = this_cpu_index();

	if (on) {
		*gicr_sgi_reg(GICR_ICPENDR0) = 1U << INTID_KICK;
		*gicr_sgi_reg(GICR_ISENABLER0) = 1U << INTID_KICK;
	} else {
		*gicr_sgi_reg(GICR_ICENABLER0) = (1U << INTID_KICK) | (1U << INTID_VTIMER);
		vtimer_ppi_on[cpu] = false;
		dsb(sy);
		*gicr_sgi_reg(GICR_ICPENDR0) = (1U << INTID_KICK) | (1U << INTID_VTIMER);
	}
	dsb(sy);
	isb();
}

/* The virtual timer's output, from the vCPU's saved registers: CNTVOFF is 0. */
static bool vtimer_level(const struct vcpu *v)
{
	uint64_t ctl = v->ctx.el1.cntv_ctl;

	return (ctl & CNTV_CTL_ENABLE) && !(ctl & CNTV_CTL_IMASK) &&
	       read_sysreg(cntpct_el0) >= v->ctx.el1.cntv_cval;
}

static void vtimer_ppi(bool on)
{
	unsigned int cpu = this_cpu_index();

	if (vtimer_ppi_on[cpu] == on)
		return;
	*gicr_sgi_reg(on ? GICR_ISENABLER0 : GICR_ICENABLER0) = 1U << INTID_VTIMER;
	vtimer_ppi_on[cpu] = on;
}

/* The physical PPI 27 fired: off until the next entry decides (it is level). */
void gicv_vtimer_fired(void)
{
	vtimer_ppi(false);
}

/* Make the vCPUs in mask notice new interrupts: wake them, or make their CPU exit. */
void gicv_kick(struct vm *vm, uint32_t mask)
{
	unsigned int i;
	bool wake = false;

	for (i = 0; i < vm->n_vcpus && mask; i++, mask >>= 1) {
		struct vcpu *t = &vm->vcpus[i];
		int cpu;

		if (!(mask & 1))
			continue;
		if (__atomic_exchange_n(&t->waiting, false, __ATOMIC_ACQ_REL))
			wake = true;
		cpu = __atomic_load_n(&t->running_on, __ATOMIC_ACQUIRE);
		if (cpu >= 0 && (unsigned int)cpu != this_cpu_index()) {
			write_sysreg(ICC_SGI1R_EL1, ((uint64_t)INTID_KICK << 24) | (1UL << cpu));
			isb();
		}
	}
	if (wake) {
		/* An idle CPU may be in WFI: every other CPU looks again. */
		write_sysreg(ICC_SGI1R_EL1, ((uint64_t)INTID_KICK << 24) | (1UL << 40));
		isb();
	}
}

/* Sample the timer into the vGIC; vm->lock held. */
static uint32_t vtimer_sample(struct vcpu *v)
{
	int k = vgic_set_line(v->vm->vgic, v->index, INTID_VTIMER, vtimer_level(v));

	return k > 0 ? (uint32_t)k : 0;
}

/* Before entering a Linux vCPU: its list registers, its virtual CPU interface. */
void gicv_enter(struct vcpu *v)
{
	struct vm *vm = v->vm;
	uint64_t lrs[8], hcr;
	unsigned int i;
	bool timer_high;

	spin_lock(&vm->lock);
	vtimer_sample(v);
	timer_high = vm->vgic->cpu[v->index].priv[INTID_VTIMER].line;
	hcr = vgic_flush_lrs(vm->vgic, v->index, lrs, n_lrs);
	spin_unlock(&vm->lock);
	for (i = 0; i < n_lrs; i++)
		lr_write(i, lrs[i]);
	write_sysreg(ICH_VMCR_EL2, v->ich_vmcr);
	write_sysreg(ICH_AP1R0_EL2, v->ich_ap1r0);
	write_sysreg(ICH_HCR_EL2, hcr);
	/* While its line is high the guest is told through the LR; the PPI would storm. */
	vtimer_ppi(!timer_high);
	isb();
}

/* After it exits: read back what the guest did with its interrupts. */
void gicv_exit(struct vcpu *v)
{
	struct vm *vm = v->vm;
	uint64_t lrs[8];
	uint32_t kicks;
	unsigned int i;

	for (i = 0; i < n_lrs; i++)
		lrs[i] = lr_read(i);
	v->ich_vmcr = read_sysreg(ICH_VMCR_EL2);
	v->ich_ap1r0 = read_sysreg(ICH_AP1R0_EL2);
	/* Off before anything else runs here (a TEE, another VM). */
	write_sysreg(ICH_HCR_EL2, 0);
	isb();
	spin_lock(&vm->lock);
	vgic_sync_lrs(vm->vgic, v->index, lrs, n_lrs);
	kicks = vtimer_sample(v) | vgic_take_kicks(vm->vgic);
	spin_unlock(&vm->lock);
	kicks &= ~(1U << v->index);
	if (kicks)
		gicv_kick(vm, kicks);
}

/* A vCPU in WFI: may it run again (an interrupt it can take, or its timer)? */
bool gicv_should_wake(struct vcpu *v)
{
	struct vm *vm = v->vm;
	bool wake;

	spin_lock(&vm->lock);
	vtimer_sample(v);
	wake = vgic_vcpu_pending(vm->vgic, v->index);
	spin_unlock(&vm->lock);
	/*
	 * Or its TEE has a secure interrupt for it (typed on the secure
	 * console): only the CIEE knows, and delivers it when this vCPU runs.
	 */
	if (!wake && vm->partner) {
		long due = ciee_call(CIEE_CALL_TEE_IRQ_DUE, vm->id, 0, 0, 0, 0);

		wake = due > 0 && ((unsigned long)due >> v->index) & 1;
	}
	return wake;
}
