/* SPDX-License-Identifier: MIT */
/*
 * A guest TEE's view of the GICv3 of QEMU's virt machine, as the secure
 * world of an ARMv8.0 machine with TF-A sees it (docs/architecture.md, "A
 * GIC for the TEE"): the distributor at PLAT_GICD_BASE and one
 * redistributor frame per TEE vCPU at PLAT_GICR_BASE, affinity routing on
 * for both security states (QEMU's GICv3 has no legacy mode; TF-A leaves
 * it on), 288 interrupt IDs, the security extension present.
 *
 * It is register state a TrustZone OS configures and reads back (groups,
 * enables, priorities, routing), kept per TEE by the CIEE, which answers
 * the TEE's accesses itself (ciee/tee_gic.c): the groups decide which of
 * the TEE's interrupts are secure, so the hypervisor must not write them.
 * At reset it is as TF-A leaves the GIC for a secure OS on this machine
 * (gicv3_spis_config_defaults(), gicv3_ppi_sgi_config_defaults() and
 * QEMU's secure SGIs 8..15): every SPI and PPI non-secure group 1, SGIs
 * 8..15 secure group 1, and GICD_CTLR with group 0, secure and
 * non-secure group 1 enabled (gicv3_distif_init()).
 *
 * An ISPENDR write to an SPI the TEE has in non-secure group 1 makes it
 * pending for the normal world, as on the real GIC: here it is recorded
 * as raised (ns_raised) for the TEE's own VM, and taken from there one
 * INTID at a time (tee_gic_take_raised()).
 *
 * The TEE's own (secure) interrupts: an SPI in group 0 or secure group 1
 * is pending when the TEE wrote its ISPENDR bit or when the device line
 * the CIEE drives into the view is high (tee_gic_set_line(): the secure
 * UART's receive interrupt). tee_gic_secure_next() picks the one a vCPU
 * is to be signalled, as a GIC's CPU interface would: enabled, its
 * group enabled in GICD_CTLR, routed to that vCPU (GICD_IROUTER Aff0, or
 * any vCPU with IRM), not already with the vCPU, highest priority first
 * (lowest value; the lowest INTID on a tie). The CIEE puts it in a list
 * register (tee_gic_secure_load()) and tells the view what the TEE made
 * of it (tee_gic_secure_unload()). Hardware-free: linked into the CIEE
 * and the host tests.
 */
#ifndef POLICY_TEE_GIC_H
#define POLICY_TEE_GIC_H

#include <stdbool.h>
#include <stdint.h>

#define TEE_GIC_NIRQ 288 /* INTIDs 0..287: QEMU virt's 256 SPIs */
#define TEE_GIC_NREG (TEE_GIC_NIRQ / 32)
#define TEE_GIC_MAX_CPUS 8

/* One redistributor: the CPU's SGIs (0..15) and PPIs (16..31). */
struct tee_gic_cpu {
	uint32_t group, grpmod, enable, pending, active;
	uint32_t cfg[2];
	uint8_t prio[32];
	uint32_t waker;
};

struct tee_gic {
	unsigned int n_cpus;
	uint32_t ctlr;
	/* SPIs; word 0 (INTIDs 0..31) lives in each redistributor. */
	uint32_t group[TEE_GIC_NREG], grpmod[TEE_GIC_NREG], enable[TEE_GIC_NREG];
	uint32_t pending[TEE_GIC_NREG], active[TEE_GIC_NREG];
	uint32_t cfg[TEE_GIC_NIRQ / 16];
	uint8_t prio[TEE_GIC_NIRQ];
	uint64_t irouter[TEE_GIC_NIRQ];
	struct tee_gic_cpu cpu[TEE_GIC_MAX_CPUS];
	/* SPIs raised for the normal world (non-secure group 1), not yet taken. */
	uint32_t ns_raised[TEE_GIC_NREG];
	/* Device lines into the view (SPIs), and secure SPIs now in a vCPU's list register. */
	uint32_t line[TEE_GIC_NREG];
	uint32_t in_lr[TEE_GIC_NREG];
	/* An access since the last tee_gic_raised_new() raised one anew. */
	bool raised_new;
};

/* A distributor at reset with n_cpus redistributors (1..TEE_GIC_MAX_CPUS). */
void tee_gic_init(struct tee_gic *g, unsigned int n_cpus);

/* Whether ipa is in the distributor or one of this view's redistributor frames. */
bool tee_gic_claims(const struct tee_gic *g, uint64_t ipa);

/*
 * One access of size bytes (4, or 8 for the 64-bit registers) at ipa
 * (tee_gic_claims() true). Returns the value read (0 for a write).
 * Reserved and unimplemented registers read as zero and ignore writes, as
 * the architecture has them.
 */
uint64_t tee_gic_access(struct tee_gic *g, uint64_t ipa, unsigned int size, bool is_write,
			uint64_t value);

/* Whether accesses since the last call raised an SPI for the normal world anew; clears it. */
bool tee_gic_raised_new(struct tee_gic *g);

/*
 * The lowest SPI raised for the normal world and not yet taken, now taken
 * (no longer raised); 0 when there is none (0 is never an SPI).
 */
unsigned int tee_gic_take_raised(struct tee_gic *g);

/* Forget every raise not yet taken (its normal world is being reset). */
void tee_gic_drop_raised(struct tee_gic *g);

/* A device's interrupt line into SPI intid (32..287): high (true) or low. */
void tee_gic_set_line(struct tee_gic *g, unsigned int intid, bool level);

/* A secure interrupt to signal: its INTID, priority and group (1: secure group 1, 0: group 0). */
struct tee_gic_irq {
	unsigned int intid;
	uint8_t prio;
	bool group1;
};

/* The secure interrupt to signal to vCPU cpu now (true), if any. */
bool tee_gic_secure_next(const struct tee_gic *g, unsigned int cpu, struct tee_gic_irq *irq);

/* Bit n set: vCPU n (< n_cpus) has a secure interrupt to be signalled. */
uint32_t tee_gic_secure_cpus(const struct tee_gic *g);

/* intid (from tee_gic_secure_next()) is now in a list register: not signalled twice. */
void tee_gic_secure_load(struct tee_gic *g, unsigned int intid);

/*
 * What became of intid in its list register, by the register's state
 * field: 0 (the TEE acknowledged and ended it: it is done, its ISPENDR
 * latch cleared; a line still high makes it pending again), 1 (never
 * acknowledged: back to pending, the list register is free again), 2 or
 * 3 (acknowledged, not ended: active, and it stays in the list register).
 */
void tee_gic_secure_unload(struct tee_gic *g, unsigned int intid, unsigned int lr_state);

#endif
