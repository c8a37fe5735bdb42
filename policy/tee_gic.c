/* SPDX-License-Identifier: MIT */
/*
 * A guest TEE's GICv3 distributor and redistributors: register state as
 * the GICv3 architecture specification (IHI 0069) defines it for an
 * implementation with two security states and affinity routing enabled,
 * seen from the Secure state. See policy/tee_gic.h.
 */
#include <string.h>

#include <policy/tee_gic.h>
#include <vtz/gicv3_regs.h>
#include <vtz/platform.h>


/* GICD_CTLR, Secure view: the enables are state; ARE_S and ARE_NS are RAO. */
#define CTLR_ENABLES 0x7U
#define CTLR_ARE_S (1U << 4)
#define CTLR_ARE_NS (1U << 5)
/*
 * GICD_TYPER: ITLinesNumber for 288 INTIDs, SecurityExtn, IDbits = 9
 * (INTIDs below 1024), as QEMU's GICv3 reports for virt.
 */
#define TYPER_VALUE ((TEE_GIC_NREG - 1U) | (1U << 10) | (9U << 19))
#define IIDR_ARM 0x0000043bU
#define PIDR2_GICV3 0x3bU /* ArchRev 3 */

/* Redistributor frames: RD_base, then SGI_base. */
#define GICR_SGI GICR_SGI_BASE
#define WAKER_PROCESSOR_SLEEP (1U << 1)
#define WAKER_CHILDREN_ASLEEP (1U << 2)
#define ICFGR0_SGI 0xaaaaaaaaU /* SGIs are edge-triggered: read-only */
/* TF-A's defaults on QEMU's virt: SGIs 8..15 secure group 1, the rest non-secure group 1. */
#define TFA_GROUP0 0xffff00ffU
#define TFA_GRPMOD0 0x0000ff00U

void tee_gic_init(struct tee_gic *g, unsigned int n_cpus)
{
	unsigned int i;

	memset(g, 0, sizeof(*g));
	g->n_cpus = n_cpus > TEE_GIC_MAX_CPUS ? TEE_GIC_MAX_CPUS : n_cpus;
	/* TF-A's gicv3_distif_init(): every group enabled (a secure OS relies on it). */
	g->ctlr = CTLR_ENABLES;
	for (i = 1; i < TEE_GIC_NREG; i++)
		g->group[i] = 0xffffffffU;
	for (i = 0; i < TEE_GIC_MAX_CPUS; i++) {
		g->cpu[i].group = TFA_GROUP0;
		g->cpu[i].grpmod = TFA_GRPMOD0;
	}
}

/*
 * ISPENDR/ICPENDR word n (an SPI word): a set of a non-secure group 1
 * interrupt raises it for the normal world instead of the TEE; a clear
 * withdraws either. Reads show both.
 */
static uint32_t spi_pending(struct tee_gic *g, unsigned int n, bool is_write, bool set, uint32_t v)
{
	uint32_t ns = g->group[n] & ~g->grpmod[n];

	if (!is_write)
		return g->pending[n] | g->ns_raised[n] | g->line[n];
	if (!set) {
		g->pending[n] &= ~v;
		g->ns_raised[n] &= ~v;
		return 0;
	}
	if (v & ns & ~g->ns_raised[n])
		g->raised_new = true;
	g->ns_raised[n] |= v & ns;
	g->pending[n] |= v & ~ns;
	return 0;
}

bool tee_gic_raised_new(struct tee_gic *g)
{
	bool r = g->raised_new;

	g->raised_new = false;
	return r;
}

unsigned int tee_gic_take_raised(struct tee_gic *g)
{
	unsigned int n;

	for (n = 1; n < TEE_GIC_NREG; n++) {
		if (g->ns_raised[n]) {
			unsigned int bit = (unsigned int)__builtin_ctz(g->ns_raised[n]);

			g->ns_raised[n] &= ~(1U << bit);
			return n * 32 + bit;
		}
	}
	return 0;
}

void tee_gic_drop_raised(struct tee_gic *g)
{
	memset(g->ns_raised, 0, sizeof(g->ns_raised));
	g->raised_new = false;
}

void tee_gic_set_line(struct tee_gic *g, unsigned int intid, bool level)
{
	if (intid < 32 || intid >= TEE_GIC_NIRQ)
		return;
	if (level)
		g->line[intid / 32] |= 1U << (intid % 32);
	else
		g->line[intid / 32] &= ~(1U << (intid % 32));
}

/* GICD_CTLR's group enables, Secure view: EnableGrp0 (bit 0), EnableGrp1S (bit 2). */
#define CTLR_GRP0 (1U << 0)
#define CTLR_GRP1S (1U << 2)
#define IROUTER_IRM (1ULL << 31)

/* SPIs of word n that are secure, enabled with their group, pending and with no vCPU yet. */
static uint32_t secure_due(const struct tee_gic *g, unsigned int n)
{
	uint32_t secure = ~g->group[n], g1s = secure & g->grpmod[n], g0 = secure & ~g->grpmod[n];
	uint32_t on = ((g->ctlr & CTLR_GRP1S) ? g1s : 0) | ((g->ctlr & CTLR_GRP0) ? g0 : 0);

	return on & g->enable[n] & (g->pending[n] | g->line[n]) & ~g->in_lr[n] & ~g->active[n];
}

/* The vCPU an SPI is routed to: Aff0 of GICD_IROUTER (the others 0), vCPU 0 with IRM. */
static unsigned int spi_target(const struct tee_gic *g, unsigned int intid)
{
	uint64_t r = g->irouter[intid];

	if (r & IROUTER_IRM)
		return 0;
	if (r & ~0xffULL)
		return TEE_GIC_MAX_CPUS; /* an affinity this view has no vCPU at */
	return (unsigned int)r;
}

bool tee_gic_secure_next(const struct tee_gic *g, unsigned int cpu, struct tee_gic_irq *irq)
{
	unsigned int n, best = 0;
	int best_prio = 0x100;

	for (n = 1; n < TEE_GIC_NREG; n++) {
		uint32_t due = secure_due(g, n);

		while (due) {
			unsigned int bit = (unsigned int)__builtin_ctz(due), intid = n * 32 + bit;

			due &= due - 1;
			if (spi_target(g, intid) == cpu && g->prio[intid] < best_prio) {
				best = intid;
				best_prio = g->prio[intid];
			}
		}
	}
	if (!best)
		return false;
	irq->intid = best;
	irq->prio = (uint8_t)best_prio;
	irq->group1 = (g->grpmod[best / 32] >> (best % 32)) & 1;
	return true;
}

uint32_t tee_gic_secure_cpus(const struct tee_gic *g)
{
	uint32_t cpus = 0;
	unsigned int n;

	for (n = 1; n < TEE_GIC_NREG; n++) {
		uint32_t due = secure_due(g, n);

		while (due) {
			unsigned int bit = (unsigned int)__builtin_ctz(due);
			unsigned int cpu = spi_target(g, n * 32 + bit);

			due &= due - 1;
			if (cpu < g->n_cpus)
				cpus |= 1U << cpu;
		}
	}
	return cpus;
}

void tee_gic_secure_load(struct tee_gic *g, unsigned int intid)
{
	if (intid >= 32 && intid < TEE_GIC_NIRQ)
		g->in_lr[intid / 32] |= 1U << (intid % 32);
}

void tee_gic_secure_unload(struct tee_gic *g, unsigned int intid, unsigned int lr_state)
{
	unsigned int n = intid / 32;
	uint32_t bit = 1U << (intid % 32);

	if (intid < 32 || intid >= TEE_GIC_NIRQ)
		return;
	switch (lr_state) {
	case 0:
		g->in_lr[n] &= ~bit;
		g->active[n] &= ~bit;
		g->pending[n] &= ~bit;
		break;
	case 1:
		g->in_lr[n] &= ~bit;
		break;
	default:
		g->in_lr[n] |= bit;
		g->active[n] |= bit;
		break;
	}
}

bool tee_gic_claims(const struct tee_gic *g, uint64_t ipa)
{
	return (ipa >= PLAT_GICD_BASE && ipa < PLAT_GICD_BASE + PLAT_GICD_SIZE) ||
	       (ipa >= PLAT_GICR_BASE && ipa < PLAT_GICR_BASE + g->n_cpus * PLAT_GICR_FRAME);
}

/*
 * A set/clear register pair word (ISENABLER/ICENABLER and the like): a
 * write of ones sets or clears those bits; a read shows the state.
 */
static uint32_t set_clear(uint32_t *word, bool is_write, bool set, uint32_t v)
{
	if (is_write) {
		if (set)
			*word |= v;
		else
			*word &= ~v;
		return 0;
	}
	return *word;
}

static uint32_t plain(uint32_t *word, bool is_write, uint32_t v)
{
	if (is_write)
		*word = v;
	return is_write ? 0 : *word;
}

/* Byte-addressed priorities, in 1- or 4-byte accesses. */
static uint32_t prio_access(uint8_t *prio, unsigned int n, uint64_t off, unsigned int size,
			    bool is_write, uint32_t v)
{
	uint32_t r = 0;
	unsigned int i;

	if (size != 1 && size != 4)
		return 0;
	for (i = 0; i < size && off + i < n; i++) {
		if (is_write)
			prio[off + i] = (uint8_t)(v >> (8 * i));
		else
			r |= (uint32_t)prio[off + i] << (8 * i);
	}
	return is_write ? 0 : r;
}

static uint64_t gicd_access(struct tee_gic *g, uint64_t off, unsigned int size, bool is_write,
			    uint64_t value)
{
	uint32_t v = (uint32_t)value;
	unsigned int n;

	if (off >= GICD_IROUTER && off < GICD_IROUTER + 8 * TEE_GIC_NIRQ) {
		n = (unsigned int)((off - GICD_IROUTER) / 8);
		if (n < 32 || (off % 8) + size > 8)
			return 0; /* INTIDs 0..31 have no router: reserved */
		if (size == 8 && !(off % 8)) {
			if (is_write)
				g->irouter[n] = value;
			return is_write ? 0 : g->irouter[n];
		}
		if (size != 4)
			return 0;
		if (is_write) {
			unsigned int sh = (off % 8) ? 32 : 0;

			g->irouter[n] = (g->irouter[n] & ~(0xffffffffULL << sh)) | ((uint64_t)v << sh);
			return 0;
		}
		return (uint32_t)(g->irouter[n] >> ((off % 8) ? 32 : 0));
	}
	if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + TEE_GIC_NIRQ)
		/* INTIDs 0..31: in the redistributors under affinity routing (RAZ/WI). */
		return off < GICD_IPRIORITYR + 32 ? 0
						   : prio_access(g->prio, TEE_GIC_NIRQ,
								 off - GICD_IPRIORITYR, size,
								 is_write, v);
	if (size != 4 || off % 4)
		return 0;
	if (off == GICD_CTLR) {
		if (is_write)
			g->ctlr = v & CTLR_ENABLES;
		return is_write ? 0 : (g->ctlr | CTLR_ARE_S | CTLR_ARE_NS);
	}
	if (off == GICD_TYPER)
		return is_write ? 0 : TYPER_VALUE;
	if (off == GICD_IIDR)
		return is_write ? 0 : IIDR_ARM;
	if (off == GIC_PIDR2)
		return is_write ? 0 : PIDR2_GICV3;
	if (off >= GICD_ICFGR && off < GICD_ICFGR + 4 * (TEE_GIC_NIRQ / 16)) {
		n = (unsigned int)((off - GICD_ICFGR) / 4);
		return n < 2 ? 0 : plain(&g->cfg[n], is_write, v);
	}
	/* The 32-bit-per-register banks: word 0 is each CPU's (RAZ/WI here). */
	n = (unsigned int)((off & 0x7f) / 4);
	if (n == 0 || n >= TEE_GIC_NREG)
		return 0;
	switch (off & ~0x7fULL) {
	case GICD_IGROUPR:
		return plain(&g->group[n], is_write, v);
	case GICD_IGRPMODR:
		return plain(&g->grpmod[n], is_write, v);
	case GICD_ISENABLER:
	case GICD_ICENABLER:
		return set_clear(&g->enable[n], is_write, (off & ~0x7fULL) == GICD_ISENABLER, v);
	case GICD_ISPENDR:
	case GICD_ICPENDR:
		return spi_pending(g, n, is_write, (off & ~0x7fULL) == GICD_ISPENDR, v);
	case GICD_ISACTIVER:
	case GICD_ICACTIVER:
		return set_clear(&g->active[n], is_write, (off & ~0x7fULL) == GICD_ISACTIVER, v);
	default:
		return 0;
	}
}

static uint64_t gicr_access(struct tee_gic *g, unsigned int cpu, uint64_t off, unsigned int size,
			    bool is_write, uint64_t value)
{
	struct tee_gic_cpu *c = &g->cpu[cpu];
	uint32_t v = (uint32_t)value;
	/* Aff0 = the vCPU's index (its VMPIDR_EL1), Processor_Number too. */
	uint64_t typer = ((uint64_t)cpu << 32) | ((uint64_t)cpu << 8) |
			 (cpu + 1 == g->n_cpus ? GICR_TYPER_LAST : 0);

	if (off == GICR_TYPER && size == 8)
		return is_write ? 0 : typer;
	if (off >= GICR_SGI + GICD_IPRIORITYR && off < GICR_SGI + GICD_IPRIORITYR + 32)
		return prio_access(c->prio, 32, off - GICR_SGI - GICD_IPRIORITYR, size, is_write,
				   v);
	if (size != 4 || off % 4)
		return 0;
	switch (off) {
	case GICR_CTLR: /* no LPIs; RWP never set: every write takes effect at once */
		return 0;
	case GICR_IIDR:
		return is_write ? 0 : IIDR_ARM;
	case GICR_TYPER:
	case GICR_TYPER + 4:
		return is_write ? 0 : (uint32_t)(typer >> (off == GICR_TYPER ? 0 : 32));
	case GICR_WAKER:
		if (is_write)
			c->waker = v & WAKER_PROCESSOR_SLEEP;
		return is_write ? 0 : (c->waker ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0);
	case GIC_PIDR2:
		return is_write ? 0 : PIDR2_GICV3;
	case GICR_SGI + GICD_IGROUPR:
		return plain(&c->group, is_write, v);
	case GICR_SGI + GICD_IGRPMODR:
		return plain(&c->grpmod, is_write, v);
	case GICR_SGI + GICD_ISENABLER:
	case GICR_SGI + GICD_ICENABLER:
		return set_clear(&c->enable, is_write, off == GICR_SGI + GICD_ISENABLER, v);
	case GICR_SGI + GICD_ISPENDR:
	case GICR_SGI + GICD_ICPENDR:
		return set_clear(&c->pending, is_write, off == GICR_SGI + GICD_ISPENDR, v);
	case GICR_SGI + GICD_ISACTIVER:
	case GICR_SGI + GICD_ICACTIVER:
		return set_clear(&c->active, is_write, off == GICR_SGI + GICD_ISACTIVER, v);
	case GICR_SGI + GICD_ICFGR:
		return is_write ? 0 : ICFGR0_SGI;
	case GICR_SGI + GICD_ICFGR + 4:
		return plain(&c->cfg[1], is_write, v);
	default:
		return 0;
	}
}

uint64_t tee_gic_access(struct tee_gic *g, uint64_t ipa, unsigned int size, bool is_write,
			uint64_t value)
{
	uint64_t off;

	if (ipa >= PLAT_GICD_BASE && ipa < PLAT_GICD_BASE + PLAT_GICD_SIZE)
		return gicd_access(g, ipa - PLAT_GICD_BASE, size, is_write, value);
	if (!tee_gic_claims(g, ipa))
		return 0;
	off = ipa - PLAT_GICR_BASE;
	return gicr_access(g, (unsigned int)(off / PLAT_GICR_FRAME), off % PLAT_GICR_FRAME, size,
			   is_write, value);
}
