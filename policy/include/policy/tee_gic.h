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
 * 8..15 secure group 1.
 *
 * An ISPENDR write to an SPI the TEE has in non-secure group 1 makes it
 * pending for the normal world, as on the real GIC: here it is recorded
 * as raised (ns_raised) for the TEE's own VM, and taken from there one
 * INTID at a time (tee_gic_take_raised()). An ISPENDR write to a secure
 * SPI stays in the TEE's own view and never leaves it. Hardware-free:
 * linked into the CIEE and the host tests.
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

#endif
