/* SPDX-License-Identifier: MIT */
/*
 * The secure side of the GICv3 (QEMU virt, secure=on: GICD_CTLR.DS = 0).
 * Some of its registers answer secure accesses only, so the monitor sets
 * them at EL3, where every access is secure: affinity routing and the
 * non-secure group 1 enable in the distributor, and per CPU (the boot CPU
 * at cold boot, every other one when CPU_ON releases it) waking its
 * redistributor and putting the SGIs and PPIs in non-secure group 1, so
 * the hypervisor can use them (its EL2 physical timer: INTID 26). Only
 * the secure physical timer's PPI and PARK_SGI (park.c: a reset stopping
 * the other CPUs) stay in group 0. SPIs are left in
 * group 0, disabled: nothing non-secure uses one yet.
 *
 * Natively (VTZ_NATIVE) the normal world is an OS that owns the machine's
 * devices (Linux: the UART's SPI, PCIe, the RTC), so every SPI goes to
 * non-secure group 1 as well, as TF-A sets up QEMU's GIC for its normal
 * world; there is no PARK_SGI (no reset parking natively), and the
 * secure physical timer's PPI stays in group 0, the TEE's. A secure OS
 * that wants an interrupt for itself moves it to secure group 1 (OP-TEE
 * does, with the GIC's secure registers, which it reaches at S-EL1).
 *
 * Everything else (enabling an interrupt, its priority, the CPU
 * interface's group 1 enable and priority mask) is the hypervisor's.
 */
#include <stdint.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <vtz/platform.h>

#include "monitor.h"

#define GICD_CTLR 0x0000
#define GICD_CTLR_ENABLE_G0 (1U << 0)
#define GICD_CTLR_ENABLE_G1NS (1U << 1)
#define GICD_CTLR_ENABLE_G1S (1U << 2)
#define GICD_CTLR_ARE_S (1U << 4)
#define GICD_CTLR_ARE_NS (1U << 5)
#define GICD_CTLR_RWP (1U << 31)
#define GICD_TYPER 0x0004
#define GICD_TYPER_ITLINES_MASK 0x1fU
#define GICD_IGROUPR 0x0080
#define GICD_IGRPMODR 0x0d00

#define GICR_STRIDE 0x20000UL /* RD_base and SGI_base frames, 64 KiB each */
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_WAKER_PROCESSOR_SLEEP (1U << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1U << 2)
#define GICR_SGI_BASE 0x10000UL
#define GICR_IGROUPR0 0x0080
#define GICR_IGRPMODR0 0x0d00
#define GICR_ISENABLER0 0x0100
#define GICR_IPRIORITYR 0x0400

#define INTID_SECURE_PHYS_TIMER 29
#define POLL_LIMIT 1000000

static volatile uint32_t *reg32(uint64_t addr)
{
	return (volatile uint32_t *)addr;
}

void gic_secure_init(void)
{
	unsigned int i;

	/*
	 * Natively the secure OS's interrupts are secure group 1, enabled here
	 * as TF-A's gicv3_distif_init() does (OP-TEE built for TF-A relies on it).
	 */
	*reg32(PLAT_GICD_BASE + GICD_CTLR) = GICD_CTLR_ARE_S | GICD_CTLR_ARE_NS |
					     GICD_CTLR_ENABLE_G0 | GICD_CTLR_ENABLE_G1NS
#ifdef VTZ_NATIVE
					     | GICD_CTLR_ENABLE_G1S
#endif
		;
	for (i = 0; i < POLL_LIMIT && (*reg32(PLAT_GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP); i++)
		;
#ifdef VTZ_NATIVE
	{
		/* GICD_TYPER.ITLinesNumber N: SPIs up to INTID 32 * (N + 1) - 1. */
		unsigned int n = *reg32(PLAT_GICD_BASE + GICD_TYPER) & GICD_TYPER_ITLINES_MASK;

		for (i = 1; i <= n; i++) {
			*reg32(PLAT_GICD_BASE + GICD_IGROUPR + 4 * i) = 0xffffffffU;
			*reg32(PLAT_GICD_BASE + GICD_IGRPMODR + 4 * i) = 0;
		}
	}
#endif
	gic_secure_init_cpu(this_cpu_index());
}

void gic_secure_init_cpu(unsigned int cpu)
{
	uint64_t rd = PLAT_GICR_BASE + cpu * GICR_STRIDE;
	uint64_t typer = *(volatile uint64_t *)(rd + GICR_TYPER);
	unsigned int i;

	/* QEMU virt: one redistributor per CPU, in MPIDR Aff0 order. */
	if ((typer >> 32) != (read_sysreg(mpidr_el1) & 0xffffffUL)) {
		con_printf("GIC: redistributor at 0x%lx is not cpu%u's: left asleep\n",
			   (unsigned long)rd, cpu);
		return;
	}
	*reg32(rd + GICR_WAKER) &= ~GICR_WAKER_PROCESSOR_SLEEP;
	for (i = 0; i < POLL_LIMIT && (*reg32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP); i++)
		;
#ifdef VTZ_NATIVE
	*reg32(rd + GICR_SGI_BASE + GICR_IGROUPR0) = ~(1U << INTID_SECURE_PHYS_TIMER);
	*reg32(rd + GICR_SGI_BASE + GICR_IGRPMODR0) = 0;
#else
	*reg32(rd + GICR_SGI_BASE + GICR_IGROUPR0) =
		~((1U << INTID_SECURE_PHYS_TIMER) | (1U << PARK_SGI));
	*reg32(rd + GICR_SGI_BASE + GICR_IGRPMODR0) = 0;
	/* PARK_SGI: Group 0 (FIQ to EL3), the highest priority, enabled. */
	*((volatile uint8_t *)(rd + GICR_SGI_BASE + GICR_IPRIORITYR) + PARK_SGI) = 0;
	*reg32(rd + GICR_SGI_BASE + GICR_ISENABLER0) = 1U << PARK_SGI;
#endif
	dsb(sy);
}
