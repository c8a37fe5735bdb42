/* SPDX-License-Identifier: MIT */
/*
 * An emulated GICv3 for one VM: the distributor and one redistributor per
 * vCPU as QEMU's virt machine lays them out (GICD at 0x08000000, 64 KiB;
 * GICRs from 0x080a0000, 128 KiB each: RD_base frame, then SGI_base
 * frame), and the list-register logic the hypervisor needs to deliver
 * virtual interrupts through ICH_LR<n>_EL2.
 *
 * What the guest sees: a GICv3 with security disabled (GICD_CTLR.DS = 1,
 * as a non-secure-only GIC looks), affinity routing always on (ARE RAO/WI),
 * group 1 only (IGROUPR RAO/WI, IGRPMODR RAZ/WI, EnableGrp0 RAZ/WI), 288
 * interrupt IDs (SGIs 0-15, PPIs 16-31, SPIs 32-287, as QEMU's virt has:
 * its TEE may raise any SPI, e.g. OP-TEE's notification, 219), no LPIs,
 * no ITS, no message-based SPIs.
 *
 * Pure state machine: no hardware access, no global state. Everything
 * lives in the caller's struct vgic. The functions are NOT thread-safe:
 * the caller serializes every call on one struct vgic (a per-VM lock),
 * including flush/sync from the CPU that runs a vCPU and injections from
 * other CPUs.
 *
 * What the hypervisor must do around it:
 * - Before each entry: hcr = vgic_flush_lrs(); write ICH_LR<n>_EL2 for
 *   every implemented LR (ICH_VTR_EL2.ListRegs + 1; 4 on QEMU's A57),
 *   unused ones 0, and ICH_HCR_EL2 = hcr. After each exit, before
 *   handling it: read the same LRs back, vgic_sync_lrs(), and ICH_HCR_EL2
 *   = 0. Keep ICH_VMCR_EL2 and ICH_AP1R0_EL2 (and AP0R0) per vCPU: they
 *   are the guest's PMR/BPR/group enables and active priorities.
 * - Enable the maintenance interrupt (PPI 25) at the physical GIC: the
 *   EOI bit of level LRs, UIE and NPIE raise it while the guest runs; the
 *   hypervisor only needs to exit, sync and flush again.
 * - ICC_SGI1R_EL1 writes trap to EL2 (EC 0x18, op0 3 op1 0 CRn 12 CRm 11
 *   op2 5) when HCR_EL2.IMO is set: pass the value to vgic_sgi1r_write()
 *   and kick the vCPUs it returns. ICC_ASGI1R_EL1/ICC_SGI0R_EL1 (op2 6, 7)
 *   can be ignored (group 1 only).
 * - Kick (make exit and re-flush) the vCPUs returned by vgic_inject(),
 *   vgic_set_line(), vgic_sgi1r_write() and vgic_take_kicks() if running.
 * - Level inputs: vgic_set_line(UART SPI, vpl011_irq_level()) after every
 *   UART access and input byte; for the virtual timer, sample CNTV_CTL_EL0
 *   (ENABLE && ISTATUS && !IMASK) at every exit into vgic_set_line(vcpu,
 *   27, level); while it is high, keep the physical PPI 27 disabled or it
 *   fires again at once (this model lists software interrupts, HW = 0).
 */
#ifndef HYP_VGIC_H
#define HYP_VGIC_H

#include <stdbool.h>
#include <stdint.h>

#define VGIC_MAX_VCPUS 8
#define VGIC_NR_SGIS 16
#define VGIC_NR_PRIVATE 32 /* SGIs + PPIs, banked per vCPU */
#define VGIC_NR_IRQS 288   /* GICD_TYPER.ITLinesNumber = 8, as QEMU's virt has */
#define VGIC_NR_SPIS (VGIC_NR_IRQS - VGIC_NR_PRIVATE)
#define VGIC_MAX_LRS 16 /* ICH_VTR_EL2.ListRegs allows at most 16 */

#define VGIC_DIST_SIZE 0x10000ULL
#define VGIC_REDIST_SIZE 0x20000ULL /* per vCPU: RD_base + SGI_base */

/* Errors (negative). A failed read always leaves *val = 0, so a caller
 * that prefers RAZ/WI for a bad access can simply complete it. */
#define VGIC_ERR_SIZE (-1)   /* access size not allowed for that register */
#define VGIC_ERR_ALIGN (-2)  /* offset not naturally aligned to the size */
#define VGIC_ERR_OFFSET (-3) /* outside the frame, or a reserved offset */
#define VGIC_ERR_VCPU (-4)   /* vCPU index out of range */
#define VGIC_ERR_INTID (-5)  /* interrupt ID out of range for the call */
#define VGIC_ERR_ARG (-6)    /* other bad argument (n_vcpus, NULL) */

/* ICH_LR<n>_EL2 (GICv3, 64-bit) fields. */
#define ICH_LR_VINTID_MASK 0xffffffffULL
#define ICH_LR_PINTID_SHIFT 32
#define ICH_LR_EOI (1ULL << 41) /* HW = 0: maintenance IRQ on EOI */
#define ICH_LR_PRIO_SHIFT 48
#define ICH_LR_GROUP (1ULL << 60)
#define ICH_LR_HW (1ULL << 61)
#define ICH_LR_STATE_SHIFT 62
#define ICH_LR_STATE_MASK (3ULL << 62)
#define ICH_LR_PENDING (1ULL << 62)
#define ICH_LR_ACTIVE (2ULL << 62)

/* ICH_HCR_EL2 bits vgic_flush_lrs() may return. */
#define ICH_HCR_EN (1ULL << 0)
#define ICH_HCR_UIE (1ULL << 1)
#define ICH_HCR_NPIE (1ULL << 3)

/* One interrupt's state, in one vCPU's bank (private) or shared (SPI). */
struct vgic_irq {
	uint8_t priority; /* IPRIORITYR byte as written (all 8 bits kept) */
	bool enabled;
	bool edge;	    /* ICFGR: true = edge-triggered */
	bool pending_latch; /* edge pending, or software (ISPENDR) pending */
	bool line;	    /* level input as last set by vgic_set_line() */
	bool active;
	uint8_t lr_vcpu;  /* vCPU + 1 whose LRs hold it since the last flush; 0: none */
	uint8_t act_vcpu; /* SPIs: vCPU + 1 where it is active; 0: none */
	bool lr_retire;	  /* ICPENDR hit it while listed: drop the LR's pending at sync */
	uint64_t irouter; /* SPIs: GICD_IROUTER as written (valid bits only) */
};

struct vgic_cpu {
	uint64_t mpidr; /* affinity fields only */
	bool asleep;	/* GICR_WAKER.ProcessorSleep (ChildrenAsleep mirrors it) */
	struct vgic_irq priv[VGIC_NR_PRIVATE];
	/* What the last vgic_flush_lrs() wrote, to check and undo at sync. */
	unsigned int nr_lrs;
	uint32_t lr_intid[VGIC_MAX_LRS];
	uint64_t lr_val[VGIC_MAX_LRS];
};

struct vgic {
	unsigned int n_vcpus;
	bool enabled; /* GICD_CTLR.EnableGrp1 */
	/* vCPUs that may have something new to take since the last
	 * vgic_take_kicks() (e.g. after a guest's ISENABLER write). */
	uint32_t kicks;
	struct vgic_cpu cpu[VGIC_MAX_VCPUS];
	struct vgic_irq spi[VGIC_NR_SPIS];
};

/* 0, or VGIC_ERR_ARG if n_vcpus is not 1..VGIC_MAX_VCPUS or a pointer is NULL. */
int vgic_init(struct vgic *g, unsigned int n_vcpus, const uint64_t mpidr[]);

/*
 * A trapped guest access. off is from the start of the distributor, or
 * from the FIRST redistributor (the vCPU's frame is off / 0x20000). vcpu is
 * the accessing vCPU (validated; no register is banked by it with ARE on).
 * size: 4 for every register; also 1 for IPRIORITYR/ITARGETSR/[S|C]PENDSGIR;
 * 8 (or 4 for either half) for GICD_IROUTER<n> and GICR_TYPER. Reads fill
 * *val. Returns 0 or a VGIC_ERR_*.
 */
int vgic_dist_access(struct vgic *g, unsigned int vcpu, uint64_t off, unsigned int size,
		     bool is_write, uint64_t *val);
int vgic_redist_access(struct vgic *g, unsigned int vcpu, uint64_t off, unsigned int size,
		       bool is_write, uint64_t *val);

/*
 * Interrupt inputs from the hypervisor's own device models. vcpu selects
 * the bank for SGIs/PPIs and is ignored (but must be valid) for SPIs.
 * Both return a bitmask of vCPUs to kick (0: none needs to) or a VGIC_ERR_*.
 */
int vgic_set_line(struct vgic *g, unsigned int vcpu, unsigned int intid, bool level);
int vgic_inject(struct vgic *g, unsigned int vcpu, unsigned int intid);

/* A trapped ICC_SGI1R_EL1 write by src_vcpu: the vCPUs that got a new
 * pending SGI (0 if none, or if src_vcpu or the value is invalid). */
uint32_t vgic_sgi1r_write(struct vgic *g, unsigned int src_vcpu, uint64_t value);

/*
 * Before entering a vCPU: lrs[0..n_lrs) receive the ICH_LR<n>_EL2 values
 * (unused ones 0), and the ICH_HCR_EL2 value is returned: En, plus UIE
 * and/or NPIE when more interrupts are pending than fit (so the hypervisor
 * regains control to list the rest). n_lrs is clamped to VGIC_MAX_LRS.
 * Returns 0 (and lists nothing) for an invalid vcpu.
 */
uint64_t vgic_flush_lrs(struct vgic *g, unsigned int vcpu, uint64_t lrs[], unsigned int n_lrs);

/* After the vCPU exits: the LR values read back (same count as flushed). */
void vgic_sync_lrs(struct vgic *g, unsigned int vcpu, const uint64_t lrs[], unsigned int n_lrs);

/* Any enabled, pending interrupt the vCPU could take (to end its WFI). */
bool vgic_vcpu_pending(const struct vgic *g, unsigned int vcpu);

/* vCPUs that guest MMIO writes may have made an interrupt deliverable to
 * since the last call (ISENABLER, ISPENDR, IROUTER, GICD_CTLR); clears it. */
uint32_t vgic_take_kicks(struct vgic *g);

#endif
