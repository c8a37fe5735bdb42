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
 * enables, priorities, routing), kept per TEE by the hypervisor, which
 * serves the TEE's MMIO: a TEE's interrupt configuration is no secret, and
 * a hypervisor that lies about it only denies the TEE service, as it can
 * anyway. Hardware-free: linked into the hypervisor and the host tests.
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

#endif
