/* SPDX-License-Identifier: MIT */
/*
 * Emulated GICv3 distributor and redistributors for one VM, and the
 * list-register state machine (see vgic.h for the guest's view).
 *
 * Where an interrupt's state lives. Our struct vgic_irq is the truth for
 * every interrupt NOT currently in a list register. vgic_flush_lrs()
 * hands an interrupt to one vCPU's LRs and marks it (lr_vcpu), so no other
 * vCPU lists it until vgic_sync_lrs() takes it back. An edge interrupt's
 * pending latch moves into the LR at flush (cleared here); a new edge that
 * arrives while it is listed sets the latch again, so it is neither lost
 * nor delivered twice: it becomes pending+active, or pending again, at
 * the next flush. A level interrupt's pending state is its line (or a
 * software latch from ISPENDR): it is never cleared at flush; once the
 * guest has acknowledged it, it is listed active-only with the LR's EOI bit
 * set, so the guest's EOI raises a maintenance interrupt, the hypervisor
 * exits, syncs, and the line is sampled again: still high means pending
 * again.
 *
 * Every guest value is checked: sizes, alignment, offsets, interrupt IDs
 * and vCPU indices; loops are bounded by the fixed array sizes.
 */
#include <stddef.h>
#include <string.h>

#include <vtz/gicv3_regs.h>

#include "vgic.h"

/* GICD_CTLR with DS = 1 */
#define GICD_CTLR_ENABLE_G1 (1U << 1)
#define GICD_CTLR_ARE (1U << 4)
#define GICD_CTLR_DS (1U << 6)

#define GICD_TYPER_ITLINES ((VGIC_NR_IRQS / 32) - 1)
#define GICD_TYPER_CPUS_SHIFT 5
#define GICD_TYPER_IDBITS_SHIFT 19 /* field = bits - 1 */
#define GICD_TYPER_IDBITS 9	   /* 10 bits: INTIDs < 1024 */
#define GICD_TYPER_A3V (1U << 24)

/* ARM (JEP106 0x43b), product 0x76 ('v'): matches no Linux GIC quirk. */
#define VGIC_IIDR 0x7600043bU

#define GICR_WAKER_PSLEEP (1U << 1)
#define GICR_WAKER_CASLEEP (1U << 2)

#define IROUTER_IRM (1ULL << 31)
#define IROUTER_MASK (0xff00ffffffULL | IROUTER_IRM)
#define MPIDR_AFF_MASK 0xff00ffffffULL

#define ICC_SGI1R_IRM (1ULL << 40)

/* Register offsets: include/vtz/gicv3_regs.h. */
#define GICD_IROUTER_END 0x7fe0 /* n = 1020..1023 reserved */
#define GIC_IDREGS 0xffd0

/* PIDR4-7, PIDR0-3, CIDR0-3 as QEMU's GICv3 gives them (ArchRev 3). */
static const uint8_t gicd_ids[12] = {0x44, 0, 0, 0, 0x92, 0xb4, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1};
static const uint8_t gicr_ids[12] = {0x44, 0, 0, 0, 0x93, 0xb4, 0x3b, 0, 0x0d, 0xf0, 0x05, 0xb1};

enum bitreg {
	BR_GROUP,
	BR_SENABLE,
	BR_CENABLE,
	BR_SPEND,
	BR_CPEND,
	BR_SACTIVE,
	BR_CACTIVE,
	BR_GRPMOD
};

/* ------------------------------------------------------------ helpers */

static struct vgic_irq *irq_get(struct vgic *g, unsigned int vcpu, unsigned int intid)
{
	if (intid < VGIC_NR_PRIVATE)
		return &g->cpu[vcpu].priv[intid];
	return &g->spi[intid - VGIC_NR_PRIVATE];
}

static bool irq_pending(const struct vgic_irq *irq)
{
	return irq->pending_latch || (!irq->edge && irq->line);
}

/* The vCPU an SPI's IROUTER names, or -1 if none: the guest may route to
 * an affinity no vCPU has, and then the SPI is simply not forwarded. */
static int route_target(const struct vgic *g, const struct vgic_irq *irq)
{
	unsigned int c;

	if (irq->irouter & IROUTER_IRM) {
		/* 1 of N: any participating PE; we take the first awake one. */
		for (c = 0; c < g->n_vcpus; c++)
			if (!g->cpu[c].asleep)
				return (int)c;
		return 0;
	}
	for (c = 0; c < g->n_vcpus; c++)
		if (g->cpu[c].mpidr == (irq->irouter & MPIDR_AFF_MASK))
			return (int)c;
	return -1;
}

/* Which vCPU an interrupt belongs to right now: for an SPI, the one whose
 * LRs hold it, else where it is active, else its route. */
static int irq_owner(const struct vgic *g, unsigned int bank, unsigned int intid,
		     const struct vgic_irq *irq)
{
	if (intid < VGIC_NR_PRIVATE)
		return (int)bank;
	if (irq->lr_vcpu)
		return irq->lr_vcpu - 1;
	if (irq->act_vcpu)
		return irq->act_vcpu - 1;
	return route_target(g, irq);
}

static bool deliverable(const struct vgic *g, const struct vgic_irq *irq)
{
	return g->enabled && irq->enabled && irq_pending(irq);
}

/* Kick mask for one interrupt: its owner, if it has something to take or
 * holds it in an LR that must be refreshed. */
static uint32_t irq_kick(const struct vgic *g, unsigned int bank, unsigned int intid,
			 const struct vgic_irq *irq)
{
	int owner = irq_owner(g, bank, intid, irq);

	if (owner < 0)
		return 0;
	if (deliverable(g, irq) || irq->lr_vcpu)
		return 1U << owner;
	return 0;
}

static uint32_t all_deliverable_kicks(const struct vgic *g)
{
	uint32_t mask = 0;
	unsigned int c, i;

	for (c = 0; c < g->n_vcpus; c++)
		for (i = 0; i < VGIC_NR_PRIVATE; i++)
			mask |= irq_kick(g, c, i, &g->cpu[c].priv[i]);
	for (i = 0; i < VGIC_NR_SPIS; i++)
		mask |= irq_kick(g, 0, VGIC_NR_PRIVATE + i, &g->spi[i]);
	return mask;
}

/* Pending as the guest reads it: ours, or handed to an LR as pending. */
static bool irq_pending_view(const struct vgic *g, unsigned int intid, const struct vgic_irq *irq)
{
	const struct vgic_cpu *cpu;
	unsigned int i;

	if (irq_pending(irq))
		return true;
	if (!irq->lr_vcpu)
		return false;
	cpu = &g->cpu[irq->lr_vcpu - 1];
	for (i = 0; i < cpu->nr_lrs && i < VGIC_MAX_LRS; i++)
		if (cpu->lr_intid[i] == intid)
			return (cpu->lr_val[i] & ICH_LR_PENDING) != 0;
	return false;
}

static uint64_t mpidr_to_typer_aff(uint64_t mpidr)
{
	return ((mpidr >> 8) & 0xff000000ULL) | (mpidr & 0xffffffULL);
}

/* -------------------------------------------------------------- init */

int vgic_init(struct vgic *g, unsigned int n_vcpus, const uint64_t mpidr[])
{
	unsigned int c, i;

	if (!g || !mpidr || n_vcpus == 0 || n_vcpus > VGIC_MAX_VCPUS)
		return VGIC_ERR_ARG;
	memset(g, 0, sizeof(*g));
	g->n_vcpus = n_vcpus;
	for (c = 0; c < n_vcpus; c++) {
		g->cpu[c].mpidr = mpidr[c] & MPIDR_AFF_MASK;
		g->cpu[c].asleep = true;
		/* SGIs are always edge; PPIs and SPIs reset to level. */
		for (i = 0; i < VGIC_NR_SGIS; i++)
			g->cpu[c].priv[i].edge = true;
	}
	return 0;
}

/* ------------------------------------------ one-bit-per-IRQ registers */

static uint32_t bitreg_read(const struct vgic *g, unsigned int bank, unsigned int first,
			    enum bitreg r)
{
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < 32; i++) {
		const struct vgic_irq *irq = irq_get((struct vgic *)g, bank, first + i);
		bool bit = false;

		switch (r) {
		case BR_GROUP:
			bit = true; /* group 1 only: RAO/WI */
			break;
		case BR_GRPMOD:
			bit = false;
			break;
		case BR_SENABLE:
		case BR_CENABLE:
			bit = irq->enabled;
			break;
		case BR_SPEND:
		case BR_CPEND:
			bit = irq_pending_view(g, first + i, irq);
			break;
		case BR_SACTIVE:
		case BR_CACTIVE:
			bit = irq->active;
			break;
		}
		if (bit)
			v |= 1U << i;
	}
	return v;
}

static void bitreg_write(struct vgic *g, unsigned int bank, unsigned int first, enum bitreg r,
			 uint32_t v)
{
	unsigned int i;

	for (i = 0; i < 32; i++) {
		unsigned int intid = first + i;
		struct vgic_irq *irq;
		int owner;

		if (!(v & (1U << i)))
			continue;
		irq = irq_get(g, bank, intid);
		switch (r) {
		case BR_GROUP:
		case BR_GRPMOD:
			return; /* WI */
		case BR_SENABLE:
			irq->enabled = true;
			break;
		case BR_CENABLE:
			/* Kick before: a listed IRQ must leave its LRs. */
			g->kicks |= irq_kick(g, bank, intid, irq);
			irq->enabled = false;
			break;
		case BR_SPEND:
			irq->pending_latch = true;
			break;
		case BR_CPEND:
			g->kicks |= irq_kick(g, bank, intid, irq);
			irq->pending_latch = false;
			if (irq->lr_vcpu)
				irq->lr_retire = true;
			break;
		case BR_SACTIVE:
			if (!irq->active && intid >= VGIC_NR_PRIVATE) {
				owner = irq_owner(g, bank, intid, irq);
				irq->act_vcpu =
				    (uint8_t)(owner >= 0 ? (unsigned int)owner + 1 : bank + 1);
			}
			irq->active = true;
			break;
		case BR_CACTIVE:
			g->kicks |= irq_kick(g, bank, intid, irq);
			irq->active = false;
			irq->act_vcpu = 0;
			break;
		}
		g->kicks |= irq_kick(g, bank, intid, irq);
	}
}

/* Priority bytes: 'n' bytes from INTID first (SGI/PPI bank or SPIs). */
static uint64_t prio_read(struct vgic *g, unsigned int bank, unsigned int first, unsigned int n)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		v |= (uint64_t)irq_get(g, bank, first + i)->priority << (8 * i);
	return v;
}

static void prio_write(struct vgic *g, unsigned int bank, unsigned int first, unsigned int n,
		       uint64_t v)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		irq_get(g, bank, first + i)->priority = (uint8_t)(v >> (8 * i));
}

/* ICFGR: two bits per IRQ, bit 2k+1 = edge. 16 IRQs from first. */
static uint32_t cfg_read(struct vgic *g, unsigned int bank, unsigned int first)
{
	uint32_t v = 0;
	unsigned int i;

	for (i = 0; i < 16; i++)
		if (irq_get(g, bank, first + i)->edge)
			v |= 2U << (2 * i);
	return v;
}

static void cfg_write(struct vgic *g, unsigned int bank, unsigned int first, uint32_t v)
{
	unsigned int i;

	for (i = 0; i < 16; i++)
		irq_get(g, bank, first + i)->edge = (v >> (2 * i + 1)) & 1;
}

static int check_access(uint64_t off, uint64_t frame_size, unsigned int size)
{
	if (size != 1 && size != 4 && size != 8)
		return VGIC_ERR_SIZE;
	if (off >= frame_size)
		return VGIC_ERR_OFFSET;
	if (off & (size - 1))
		return VGIC_ERR_ALIGN;
	return 0;
}

static uint32_t id_reg(const uint8_t ids[12], uint64_t off)
{
	return ids[(off - GIC_IDREGS) / 4];
}

/* A 64-bit register accessed as 64 bits, or as 32 bits at either half. */
static uint64_t reg64_read_part(uint64_t reg, uint64_t off, unsigned int size)
{
	if (size == 8)
		return reg;
	return (off & 4) ? reg >> 32 : reg & 0xffffffffULL;
}

static uint64_t reg64_write_part(uint64_t reg, uint64_t off, unsigned int size, uint64_t v)
{
	if (size == 8)
		return v;
	if (off & 4)
		return (reg & 0xffffffffULL) | (v << 32);
	return (reg & ~0xffffffffULL) | (v & 0xffffffffULL);
}

/* --------------------------------------------------------- distributor */

static int dist_bitreg(struct vgic *g, uint64_t off, bool is_write, uint64_t *val)
{
	static const enum bitreg kinds[] = {BR_GROUP, BR_SENABLE, BR_CENABLE, BR_SPEND,
					    BR_CPEND, BR_SACTIVE, BR_CACTIVE};
	enum bitreg r = off >= GICD_IGRPMODR ? BR_GRPMOD : kinds[(off - GICD_IGROUPR) / 0x80];
	unsigned int n = (unsigned int)(off & 0x7f) / 4;

	/* n = 0 (SGIs/PPIs) lives in the redistributors with ARE on: RAZ/WI
	 * here; INTIDs we do not implement: RAZ/WI. */
	if (n == 0 || n >= VGIC_NR_IRQS / 32) {
		if (!is_write)
			*val = 0;
		return 0;
	}
	if (is_write)
		bitreg_write(g, 0, n * 32, r, (uint32_t)*val);
	else
		*val = bitreg_read(g, 0, n * 32, r);
	return 0;
}

static int dist_reg(struct vgic *g, uint64_t off, unsigned int size, bool is_write, uint64_t *val)
{
	bool byte_ok = (off >= GICD_IPRIORITYR && off < GICD_ICFGR) ||
		       (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10);
	bool wide_ok = off >= GICD_IROUTER && off < GICD_IROUTER_END;
	uint64_t v = is_write ? *val : 0;

	if ((size == 1 && !byte_ok) || (size == 8 && !wide_ok))
		return VGIC_ERR_SIZE;

	if (off == GICD_CTLR) {
		if (is_write) {
			bool was = g->enabled;

			g->enabled = (v & GICD_CTLR_ENABLE_G1) != 0;
			if (g->enabled && !was)
				g->kicks |= all_deliverable_kicks(g);
		} else {
			v = GICD_CTLR_ARE | GICD_CTLR_DS | (g->enabled ? GICD_CTLR_ENABLE_G1 : 0);
		}
	} else if (off == GICD_TYPER) {
		v = GICD_TYPER_ITLINES | ((uint64_t)(g->n_vcpus - 1) << GICD_TYPER_CPUS_SHIFT) |
		    (GICD_TYPER_IDBITS << GICD_TYPER_IDBITS_SHIFT) | GICD_TYPER_A3V;
	} else if (off == GICD_IIDR) {
		v = VGIC_IIDR;
	} else if (off == GICD_TYPER2 || off == GICD_STATUSR) {
		v = 0;
	} else if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR) {
		return dist_bitreg(g, off, is_write, val);
	} else if (off >= GICD_IGRPMODR && off < GICD_IGRPMODR + 0x80) {
		return dist_bitreg(g, off, is_write, val);
	} else if (off >= GICD_IPRIORITYR && off < GICD_ITARGETSR) {
		unsigned int intid = (unsigned int)(off - GICD_IPRIORITYR);

		/* Private INTIDs: banked in the redistributors; above the last: none. */
		if (intid < VGIC_NR_PRIVATE || intid >= VGIC_NR_IRQS)
			v = 0;
		else if (is_write)
			prio_write(g, 0, intid, size, v);
		else
			v = prio_read(g, 0, intid, size);
	} else if (off >= GICD_ITARGETSR && off < GICD_ICFGR) {
		v = 0; /* ARE on: RAZ/WI */
	} else if (off >= GICD_ICFGR && off < GICD_IGRPMODR) {
		unsigned int first = (unsigned int)(off - GICD_ICFGR) / 4 * 16;

		if (first < VGIC_NR_PRIVATE || first >= VGIC_NR_IRQS)
			v = 0;
		else if (is_write)
			cfg_write(g, 0, first, (uint32_t)v);
		else
			v = cfg_read(g, 0, first);
	} else if (off >= GICD_NSACR && off < GICD_SGIR) {
		v = 0; /* DS = 1: RAZ/WI */
	} else if (off == GICD_SGIR || (off >= GICD_CPENDSGIR && off < GICD_SPENDSGIR + 0x10)) {
		v = 0; /* GICv2 compatibility only; ARE on: RAZ/WI */
	} else if (wide_ok) {
		unsigned int intid = (unsigned int)((off - GICD_IROUTER) / 8);

		if (intid < VGIC_NR_PRIVATE || intid >= VGIC_NR_IRQS) {
			v = 0; /* reserved (private) or unimplemented: RAZ/WI */
		} else {
			struct vgic_irq *irq = &g->spi[intid - VGIC_NR_PRIVATE];

			if (is_write) {
				irq->irouter =
				    reg64_write_part(irq->irouter, off, size, v) & IROUTER_MASK;
				g->kicks |= irq_kick(g, 0, intid, irq);
			} else {
				v = reg64_read_part(irq->irouter, off, size);
			}
		}
	} else if (off >= GIC_IDREGS) {
		v = id_reg(gicd_ids, off);
	} else {
		return VGIC_ERR_OFFSET;
	}
	if (!is_write)
		*val = v;
	return 0;
}

int vgic_dist_access(struct vgic *g, unsigned int vcpu, uint64_t off, unsigned int size,
		     bool is_write, uint64_t *val)
{
	int ret;

	if (!g || !val)
		return VGIC_ERR_ARG;
	if (!is_write)
		*val = 0;
	if (vcpu >= g->n_vcpus)
		return VGIC_ERR_VCPU;
	ret = check_access(off, VGIC_DIST_SIZE, size);
	if (ret)
		return ret;
	if (is_write && size < 8)
		*val &= (1ULL << (8 * size)) - 1;
	ret = dist_reg(g, off, size, is_write, val);
	if (ret && !is_write)
		*val = 0;
	return ret;
}

/* ----------------------------------------------------- redistributors */

static int rd_base_reg(struct vgic *g, unsigned int rd, uint64_t off, unsigned int size,
		       bool is_write, uint64_t *val)
{
	struct vgic_cpu *cpu = &g->cpu[rd];
	uint64_t v = is_write ? *val : 0;

	if (size == 1)
		return VGIC_ERR_SIZE;
	if (size == 8 && off != GICR_TYPER)
		return VGIC_ERR_SIZE;

	if (off == GICR_CTLR || off == GICR_STATUSR) {
		v = 0; /* no LPIs: EnableLPIs RAZ/WI; RWP and UWP always 0 */
	} else if (off == GICR_IIDR) {
		v = VGIC_IIDR;
	} else if (off == GICR_TYPER || off == GICR_TYPER + 4) {
		uint64_t typer = (mpidr_to_typer_aff(cpu->mpidr) << 32) | ((uint64_t)rd << 8) |
				 (rd == g->n_vcpus - 1 ? GICR_TYPER_LAST : 0);

		v = reg64_read_part(typer, off, size); /* RO */
	} else if (off == GICR_WAKER) {
		if (is_write) {
			bool was = cpu->asleep;

			cpu->asleep = (v & GICR_WAKER_PSLEEP) != 0;
			if (was != cpu->asleep)
				g->kicks |= all_deliverable_kicks(g); /* 1-of-N may move */
		} else {
			v = cpu->asleep ? (GICR_WAKER_PSLEEP | GICR_WAKER_CASLEEP) : 0;
		}
	} else if (off >= GIC_IDREGS) {
		v = id_reg(gicr_ids, off);
	} else {
		return VGIC_ERR_OFFSET;
	}
	if (!is_write)
		*val = v;
	return 0;
}

static int sgi_base_reg(struct vgic *g, unsigned int rd, uint64_t off, unsigned int size,
			bool is_write, uint64_t *val)
{
	static const enum bitreg kinds[] = {BR_GROUP, BR_SENABLE, BR_CENABLE, BR_SPEND,
					    BR_CPEND, BR_SACTIVE, BR_CACTIVE};
	uint64_t v = is_write ? *val : 0;
	bool byte_ok = off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + VGIC_NR_PRIVATE;

	if (size == 8 || (size == 1 && !byte_ok))
		return VGIC_ERR_SIZE;

	if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR && (off & 0x7f) == 0) {
		enum bitreg r = kinds[(off - GICD_IGROUPR) / 0x80];

		if (is_write)
			bitreg_write(g, rd, 0, r, (uint32_t)v);
		else
			v = bitreg_read(g, rd, 0, r);
	} else if (byte_ok) {
		unsigned int intid = (unsigned int)(off - GICD_IPRIORITYR);

		if (is_write)
			prio_write(g, rd, intid, size, v);
		else
			v = prio_read(g, rd, intid, size);
	} else if (off == GICD_ICFGR) {
		v = 0xaaaaaaaaU; /* SGIs: always edge, RO */
	} else if (off == GICD_ICFGR + 4) {
		if (is_write)
			cfg_write(g, rd, 16, (uint32_t)v);
		else
			v = cfg_read(g, rd, 16);
	} else if (off == GICD_IGRPMODR || off == GICD_NSACR) {
		v = 0; /* group 1 only, DS = 1: RAZ/WI */
	} else {
		return VGIC_ERR_OFFSET;
	}
	if (!is_write)
		*val = v;
	return 0;
}

int vgic_redist_access(struct vgic *g, unsigned int vcpu, uint64_t off, unsigned int size,
		       bool is_write, uint64_t *val)
{
	unsigned int rd;
	uint64_t roff;
	int ret;

	if (!g || !val)
		return VGIC_ERR_ARG;
	if (!is_write)
		*val = 0;
	if (vcpu >= g->n_vcpus)
		return VGIC_ERR_VCPU;
	ret = check_access(off, VGIC_REDIST_SIZE * g->n_vcpus, size);
	if (ret)
		return ret;
	if (is_write && size < 8)
		*val &= (1ULL << (8 * size)) - 1;
	rd = (unsigned int)(off / VGIC_REDIST_SIZE);
	roff = off % VGIC_REDIST_SIZE;
	if (roff < GICR_SGI_BASE)
		ret = rd_base_reg(g, rd, roff, size, is_write, val);
	else
		ret = sgi_base_reg(g, rd, roff - GICR_SGI_BASE, size, is_write, val);
	if (ret && !is_write)
		*val = 0;
	return ret;
}

/* ------------------------------------------------- interrupt inputs */

static int check_irq_args(const struct vgic *g, unsigned int vcpu, unsigned int intid)
{
	if (!g)
		return VGIC_ERR_ARG;
	if (vcpu >= g->n_vcpus)
		return VGIC_ERR_VCPU;
	if (intid >= VGIC_NR_IRQS)
		return VGIC_ERR_INTID;
	return 0;
}

int vgic_set_line(struct vgic *g, unsigned int vcpu, unsigned int intid, bool level)
{
	struct vgic_irq *irq;
	int ret = check_irq_args(g, vcpu, intid);

	if (ret)
		return ret;
	if (intid < VGIC_NR_SGIS)
		return VGIC_ERR_INTID; /* SGIs have no line */
	irq = irq_get(g, vcpu, intid);
	if (level == irq->line)
		return 0;
	irq->line = level;
	/* An edge-configured input latches on the rising edge. */
	if (level && irq->edge)
		irq->pending_latch = true;
	if (!level)
		return 0; /* a stale LR is retired at the vCPU's next exit */
	return (int)irq_kick(g, vcpu, intid, irq);
}

int vgic_inject(struct vgic *g, unsigned int vcpu, unsigned int intid)
{
	struct vgic_irq *irq;
	int ret = check_irq_args(g, vcpu, intid);

	if (ret)
		return ret;
	irq = irq_get(g, vcpu, intid);
	irq->pending_latch = true;
	return (int)irq_kick(g, vcpu, intid, irq);
}

uint32_t vgic_sgi1r_write(struct vgic *g, unsigned int src_vcpu, uint64_t value)
{
	unsigned int intid = (value >> 24) & 0xf;
	uint64_t aff321 = ((value >> 48) & 0xff) << 32 | ((value >> 32) & 0xff) << 16 |
			  ((value >> 16) & 0xff) << 8;
	unsigned int rs = (value >> 44) & 0xf;
	uint32_t mask = 0;
	unsigned int c;

	if (!g || src_vcpu >= g->n_vcpus)
		return 0;
	for (c = 0; c < g->n_vcpus; c++) {
		uint64_t mp = g->cpu[c].mpidr;
		struct vgic_irq *irq = &g->cpu[c].priv[intid];
		unsigned int aff0 = mp & 0xff;

		if (value & ICC_SGI1R_IRM) {
			if (c == src_vcpu)
				continue;
		} else if ((mp & ~0xffULL) != aff321 || (aff0 >> 4) != rs ||
			   !(value & (1U << (aff0 & 0xf)))) {
			continue;
		}
		if (!irq->pending_latch) {
			irq->pending_latch = true;
			mask |= 1U << c;
		}
	}
	return mask;
}

/* ---------------------------------------------------- list registers */

/* Give a listed interrupt back to our state from its LR value v (what the
 * hardware holds now) and w (what we wrote). */
static void lr_take_back(struct vgic *g, unsigned int vcpu, unsigned int intid, uint64_t v,
			 uint64_t w)
{
	struct vgic_irq *irq = irq_get(g, vcpu, intid);

	irq->lr_vcpu = 0;
	irq->active = (v & ICH_LR_ACTIVE) != 0;
	if (intid >= VGIC_NR_PRIVATE)
		irq->act_vcpu = irq->active ? (uint8_t)(vcpu + 1) : 0;
	if (w & ICH_LR_PENDING) {
		if (v & ICH_LR_PENDING) {
			/* Not taken: an edge gets its pending back (unless the
			 * guest cleared it meanwhile); a level never lost it. */
			if (irq->edge && !irq->lr_retire)
				irq->pending_latch = true;
		} else if (!irq->edge) {
			/* Acknowledged: that consumes a software latch. */
			irq->pending_latch = false;
		}
	}
	irq->lr_retire = false;
}

void vgic_sync_lrs(struct vgic *g, unsigned int vcpu, const uint64_t lrs[], unsigned int n_lrs)
{
	struct vgic_cpu *cpu;
	unsigned int i;

	if (!g || vcpu >= g->n_vcpus)
		return;
	cpu = &g->cpu[vcpu];
	for (i = 0; i < cpu->nr_lrs && i < VGIC_MAX_LRS; i++) {
		uint64_t w = cpu->lr_val[i];
		uint64_t v = (lrs && i < n_lrs) ? lrs[i] : w;

		/* The guest cannot change an LR's INTID or HW bit; if they
		 * differ, the caller passed something else: keep ours. */
		if ((v & ICH_LR_VINTID_MASK) != (w & ICH_LR_VINTID_MASK) ||
		    (v & ICH_LR_HW) != (w & ICH_LR_HW))
			v = w;
		lr_take_back(g, vcpu, cpu->lr_intid[i], v, w);
	}
	cpu->nr_lrs = 0;
}

/* Ordering for the LRs: active first (they must stay listed, or the
 * guest's EOI would find no LR), then lower priority value, then INTID. */
static bool lr_better(const struct vgic_irq *a, unsigned int ia, const struct vgic_irq *b,
		      unsigned int ib)
{
	if (a->active != b->active)
		return a->active;
	if (a->priority != b->priority)
		return a->priority < b->priority;
	return ia < ib;
}

/* May this vCPU list the interrupt, and would it count as pending? */
static bool lr_candidate(const struct vgic *g, unsigned int vcpu, unsigned int intid,
			 const struct vgic_irq *irq)
{
	/* Cheapest test first: nearly every one of the 288 is idle. */
	if (!irq->active && !deliverable(g, irq))
		return false;
	if (irq->lr_vcpu)
		return false;
	return irq_owner(g, vcpu, intid, irq) == (int)vcpu;
}

uint64_t vgic_flush_lrs(struct vgic *g, unsigned int vcpu, uint64_t lrs[], unsigned int n_lrs)
{
	uint64_t hcr = ICH_HCR_EN;
	bool overflow = false, listed_pending = false;
	uint16_t cand[VGIC_NR_IRQS];
	struct vgic_cpu *cpu;
	unsigned int i, j, slot, n = 0, n_cand = 0;

	if (!g || !lrs || vcpu >= g->n_vcpus)
		return 0;
	if (n_lrs > VGIC_MAX_LRS)
		n_lrs = VGIC_MAX_LRS;
	cpu = &g->cpu[vcpu];
	/* A flush without a sync since the last one: nothing ran, undo it. */
	vgic_sync_lrs(g, vcpu, NULL, 0);
	memset(lrs, 0, n_lrs * sizeof(lrs[0]));

	/* One pass over every interrupt: the few this vCPU could list. */
	for (i = 0; i < VGIC_NR_IRQS; i++)
		if (lr_candidate(g, vcpu, i, irq_get(g, vcpu, i)))
			cand[n_cand++] = (uint16_t)i;
	/* The best candidates, best first; each one chosen leaves cand[]. */
	for (slot = 0; slot < n_lrs && n_cand; slot++) {
		unsigned int b = 0;

		for (j = 1; j < n_cand; j++)
			if (lr_better(irq_get(g, vcpu, cand[j]), cand[j], irq_get(g, vcpu, cand[b]),
				      cand[b]))
				b = j;
		cpu->lr_intid[n++] = cand[b];
		cand[b] = cand[--n_cand];
	}

	/* Pending but left out for lack of LRs? (A listed active level IRQ
	 * comes back through its EOI maintenance interrupt instead.) */
	for (j = 0; j < n_cand; j++)
		if (deliverable(g, irq_get(g, vcpu, cand[j])))
			overflow = true;

	for (slot = 0; slot < n; slot++) {
		unsigned int intid = cpu->lr_intid[slot];
		struct vgic_irq *irq = irq_get(g, vcpu, intid);
		uint64_t v = intid | ((uint64_t)irq->priority << ICH_LR_PRIO_SHIFT) | ICH_LR_GROUP;

		if (irq->active)
			v |= ICH_LR_ACTIVE;
		if (irq->edge) {
			if (deliverable(g, irq)) {
				v |= ICH_LR_PENDING;
				irq->pending_latch = false; /* moves into the LR */
			}
		} else {
			/* Level: pending only if not active; the EOI
			 * maintenance interrupt makes us sample it again. */
			if (!irq->active && deliverable(g, irq))
				v |= ICH_LR_PENDING;
			v |= ICH_LR_EOI;
		}
		if (v & ICH_LR_PENDING)
			listed_pending = true;
		irq->lr_vcpu = (uint8_t)(vcpu + 1);
		cpu->lr_val[slot] = v;
		lrs[slot] = v;
	}
	cpu->nr_lrs = n;

	/* Come back when there is room, but never with a condition that
	 * already holds at entry (that would be a maintenance-IRQ storm). */
	if (overflow) {
		if (listed_pending)
			hcr |= ICH_HCR_NPIE;
		if (n >= 2)
			hcr |= ICH_HCR_UIE;
	}
	return hcr;
}

bool vgic_vcpu_pending(const struct vgic *g, unsigned int vcpu)
{
	const struct vgic_cpu *cpu;
	unsigned int i;

	if (!g || vcpu >= g->n_vcpus)
		return false;
	cpu = &g->cpu[vcpu];
	for (i = 0; i < cpu->nr_lrs && i < VGIC_MAX_LRS; i++)
		if (cpu->lr_val[i] & ICH_LR_PENDING)
			return true;
	for (i = 0; i < VGIC_NR_IRQS; i++) {
		const struct vgic_irq *irq = irq_get((struct vgic *)g, vcpu, i);

		if (!irq->lr_vcpu && irq_owner(g, vcpu, i, irq) == (int)vcpu && deliverable(g, irq))
			return true;
	}
	return false;
}

uint32_t vgic_take_kicks(struct vgic *g)
{
	uint32_t k;

	if (!g)
		return 0;
	k = g->kicks;
	g->kicks = 0;
	return k;
}
