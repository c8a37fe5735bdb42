/* SPDX-License-Identifier: MIT */
/*
 * Interrupts and the hypervisor's tick. The hypervisor itself always runs
 * with interrupts masked: HCR_EL2.IMO (set by the CIEE) routes a physical
 * IRQ that arrives while a guest or a TEE runs to EL2, through the CIEE's
 * vectors, and the CIEE returns it as an exit (CIEE_EXIT_GUEST_IRQ, or
 * CIEE_EXIT_TEE_PREEMPTED with nothing of the TEE's state). The interrupt
 * is still pending at the GIC: irq_handle() takes it (ICC_IAR1_EL1),
 * re-arms the tick and ends it (ICC_EOIR1_EL1).
 *
 * The tick is the EL2 physical timer (CNTHP, PPI INTID 26), which the
 * monitor has put in non-secure group 1 on every CPU (monitor/gic.c).
 */
#include <arch/sysreg.h>
#include <lib/console.h>
#include <lib/fmt.h>

#include "hyp.h"

#define INTID_HYP_TIMER 26
#define INTID_VTIMER 27
#define INTID_SPURIOUS 1020 /* 1020..1023: no interrupt to take */

#define GICR_STRIDE 0x20000UL
#define GICR_SGI_BASE 0x10000UL
#define GICR_ISENABLER0 0x0100
#define GICR_IPRIORITYR 0x0400
#define TICK_PRIORITY 0xa0

#define CNTHP_CTL_ENABLE 1UL

/* ICC_SRE_EL2: SRE, DFB, DIB, Enable (EL1 may use its system registers). */
#define ICC_SRE_EL2_ALL 0xfUL

static uint64_t tick_ticks; /* counter ticks per tick, 0: no tick */
static unsigned long ticks[PLAT_MAX_CPUS];
static unsigned long spurious[PLAT_MAX_CPUS];

/* This CPU's GIC CPU interface on, and the tick's PPI enabled in its redistributor. */
void irq_cpu_init(void)
{
	uint64_t sgi = PLAT_GICR_BASE + this_cpu_index() * GICR_STRIDE + GICR_SGI_BASE;

	write_sysreg(S3_4_C12_C9_5, ICC_SRE_EL2_ALL); /* ICC_SRE_EL2 */
	isb();
	write_sysreg(S3_0_C4_C6_0, 0xff); /* ICC_PMR_EL1: every priority */
	write_sysreg(S3_0_C12_C12_7, 1);  /* ICC_IGRPEN1_EL1: group 1 on */
	isb();
	write_sysreg(cnthp_ctl_el2, 0);
	*(volatile uint8_t *)(sgi + GICR_IPRIORITYR + INTID_HYP_TIMER) = TICK_PRIORITY;
	*(volatile uint32_t *)(sgi + GICR_ISENABLER0) = 1U << INTID_HYP_TIMER;
	dsb(sy);
	gicv_cpu_init();
}

static void tick_arm(void)
{
	write_sysreg(cnthp_tval_el2, tick_ticks);
	write_sysreg(cnthp_ctl_el2, CNTHP_CTL_ENABLE);
	isb();
}

/*
 * Start this CPU's tick: every period_us microseconds of the generic
 * counter (guest time under -icount). 0 leaves it off.
 */
void tick_start(unsigned int period_us)
{
	uint64_t freq = read_sysreg(cntfrq_el0);

	if (!period_us)
		return;
	tick_ticks = freq / 1000000 * period_us;
	if (!tick_ticks)
		tick_ticks = 1;
	tick_arm();
}

void tick_stop(void)
{
	write_sysreg(cnthp_ctl_el2, 0);
	isb();
}

unsigned int tick_period_us(void)
{
	if (hyp_tick_period_us)
		return hyp_tick_period_us();
	return HYP_TICK_PERIOD_US;
}

/* Take and end every pending interrupt, after an IRQ exit. */
void irq_handle(void)
{
	unsigned int cpu = this_cpu_index();
	unsigned int n;

	for (n = 0; n < 16; n++) {
		uint64_t iar = read_sysreg(S3_0_C12_C12_0); /* ICC_IAR1_EL1 */
		unsigned int intid = (unsigned int)(iar & 0xffffff);

		if (intid >= INTID_SPURIOUS) {
			if (!n)
				spurious[cpu]++;
			return;
		}
		if (intid == INTID_VTIMER)
			gicv_vtimer_fired(); /* a Linux vCPU's: injected at its next entry */
		if (intid == INTID_HYP_TIMER) {
			ticks[cpu]++;
			if (tick_ticks)
				tick_arm();
			else
				tick_stop();
		}
		write_sysreg(S3_0_C12_C12_1, iar); /* ICC_EOIR1_EL1 */
		isb();
	}
}

void irq_report(void)
{
	char more[160];
	size_t len = 0;
	unsigned int c;

	/* cpu0 and cpu1 always (the format the tests read), others that ticked. */
	more[0] = '\0';
	for (c = 2; c < PLAT_MAX_CPUS && len < sizeof(more); c++)
		if (ticks[c] || spurious[c])
			len += (size_t)fmt_snprintf(more + len, sizeof(more) - len,
						    ", %lu on cpu%u (%lu spurious)", ticks[c], c,
						    spurious[c]);
	con_printf("tick every %u us: %lu interrupts on cpu0, %lu on cpu1 (%lu, %lu spurious)%s\n",
		   tick_period_us(), ticks[0], ticks[1], spurious[0], spurious[1], more);
}
