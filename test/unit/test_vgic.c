/* SPDX-License-Identifier: MIT */
/*
 * The emulated GICv3 (hyp/vgic.c): every register the Linux GICv3 driver
 * uses, every rejection path, and the list-register state machine.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "vgic.h"

#define SGI 0x10000 /* SGI_base frame within a redistributor */
#define RD(n) ((uint64_t)(n)*VGIC_REDIST_SIZE)
#define LR_STATE(v) ((v)&ICH_LR_STATE_MASK)
#define LR_INTID(v) ((unsigned int)((v)&ICH_LR_VINTID_MASK))
#define LR_PRIO(v) ((unsigned int)(((v) >> ICH_LR_PRIO_SHIFT) & 0xff))

static struct vgic vg;
static const uint64_t mpidr2[2] = {0x80000000, 0x80000001}; /* bit 31 RES1 is ignored */

/* ------------------------------------------------------------ helpers */

static uint64_t dread(unsigned int off, unsigned int size)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(vgic_dist_access(&vg, 0, off, size, false, &v), 0);
	return v;
}

static void dwrite(unsigned int off, unsigned int size, uint64_t v)
{
	assert_int_equal(vgic_dist_access(&vg, 0, off, size, true, &v), 0);
}

static uint64_t rread(uint64_t off, unsigned int size)
{
	uint64_t v = 0xdeadbeef;

	assert_int_equal(vgic_redist_access(&vg, 0, off, size, false, &v), 0);
	return v;
}

static void rwrite(uint64_t off, unsigned int size, uint64_t v)
{
	assert_int_equal(vgic_redist_access(&vg, 1, off, size, true, &v), 0);
}

static int setup2(void **state)
{
	(void)state;
	assert_int_equal(vgic_init(&vg, 2, mpidr2), 0);
	return 0;
}

/* What Linux does at boot: enable the distributor, wake both
 * redistributors, enable the interrupts we use with priority 0xa0. */
static void linux_boot(void)
{
	unsigned int c;

	dwrite(0x0000, 4, 0x13); /* ARE_NS | EnableGrp1A | EnableGrp1 */
	for (c = 0; c < vg.n_vcpus; c++)
		rwrite(RD(c) + 0x14, 4, 0);
	(void)vgic_take_kicks(&vg);
}

static void enable(unsigned int vcpu, unsigned int intid, uint8_t prio)
{
	if (intid < 32) {
		rwrite(RD(vcpu) + SGI + 0x400 + intid, 1, prio);
		rwrite(RD(vcpu) + SGI + 0x100, 4, 1U << intid);
	} else {
		dwrite(0x400 + intid, 1, prio);
		dwrite(0x100 + intid / 32 * 4, 4, 1U << (intid % 32));
	}
}

static uint64_t flush(unsigned int vcpu, uint64_t lrs[4])
{
	return vgic_flush_lrs(&vg, vcpu, lrs, 4);
}

static unsigned int count_lrs(const uint64_t lrs[4])
{
	unsigned int i, n = 0;

	for (i = 0; i < 4; i++)
		if (LR_STATE(lrs[i]))
			n++;
	return n;
}

/* ------------------------------------------------------ init, errors */

static void test_init_args(void **state)
{
	(void)state;
	assert_int_equal(vgic_init(&vg, 0, mpidr2), VGIC_ERR_ARG);
	assert_int_equal(vgic_init(&vg, 9, mpidr2), VGIC_ERR_ARG);
	assert_int_equal(vgic_init(&vg, 1, NULL), VGIC_ERR_ARG);
	assert_int_equal(vgic_init(NULL, 1, mpidr2), VGIC_ERR_ARG);
	assert_int_equal(vgic_init(&vg, 2, mpidr2), 0);
}

static void test_access_rejects(void **state)
{
	uint64_t v;

	(void)state;
	/* sizes */
	v = 1;
	assert_int_equal(vgic_dist_access(&vg, 0, 0, 2, false, &v), VGIC_ERR_SIZE);
	assert_int_equal(v, 0); /* failed reads read as zero */
	assert_int_equal(vgic_dist_access(&vg, 0, 0, 3, false, &v), VGIC_ERR_SIZE);
	assert_int_equal(vgic_dist_access(&vg, 0, 0, 16, false, &v), VGIC_ERR_SIZE);
	assert_int_equal(vgic_dist_access(&vg, 0, 0, 1, false, &v), VGIC_ERR_SIZE);
	assert_int_equal(vgic_dist_access(&vg, 0, 0, 8, false, &v), VGIC_ERR_SIZE);
	assert_int_equal(vgic_dist_access(&vg, 0, 0x100, 1, true, &v), VGIC_ERR_SIZE);
	assert_int_equal(vgic_dist_access(&vg, 0, 0xffe8, 8, false, &v), VGIC_ERR_SIZE);
	/* alignment */
	assert_int_equal(vgic_dist_access(&vg, 0, 0x102, 4, false, &v), VGIC_ERR_ALIGN);
	assert_int_equal(vgic_dist_access(&vg, 0, 0x6104, 8, false, &v), VGIC_ERR_ALIGN);
	assert_int_equal(vgic_dist_access(&vg, 0, 0x401, 4, true, &v), VGIC_ERR_ALIGN);
	/* offsets: beyond the frame, reserved holes */
	assert_int_equal(vgic_dist_access(&vg, 0, 0x10000, 4, false, &v), VGIC_ERR_OFFSET);
	assert_int_equal(vgic_dist_access(&vg, 0, ~0ULL - 3, 4, false, &v), VGIC_ERR_OFFSET);
	assert_int_equal(vgic_dist_access(&vg, 0, 0x0020, 4, false, &v), VGIC_ERR_OFFSET);
	assert_int_equal(vgic_dist_access(&vg, 0, 0x0040, 4, true, &v), VGIC_ERR_OFFSET);
	assert_int_equal(vgic_dist_access(&vg, 0, 0x8000, 4, false, &v), VGIC_ERR_OFFSET);
	assert_int_equal(vgic_dist_access(&vg, 0, 0xc000, 4, false, &v), VGIC_ERR_OFFSET);
	/* vCPU, NULL */
	assert_int_equal(vgic_dist_access(&vg, 2, 0, 4, false, &v), VGIC_ERR_VCPU);
	assert_int_equal(vgic_dist_access(&vg, 0, 0, 4, false, NULL), VGIC_ERR_ARG);
	assert_int_equal(vgic_dist_access(NULL, 0, 0, 4, false, &v), VGIC_ERR_ARG);

	/* redistributors: only n_vcpus frames */
	assert_int_equal(vgic_redist_access(&vg, 0, RD(2), 4, false, &v), VGIC_ERR_OFFSET);
	assert_int_equal(vgic_redist_access(&vg, 0, RD(8) + 8, 8, false, &v), VGIC_ERR_OFFSET);
	assert_int_equal(vgic_redist_access(&vg, 5, 0, 4, false, &v), VGIC_ERR_VCPU);
	assert_int_equal(vgic_redist_access(&vg, 0, 0x10, 8, false, &v), VGIC_ERR_SIZE);
	assert_int_equal(vgic_redist_access(&vg, 0, 0x14, 8, false, &v), VGIC_ERR_ALIGN);
	assert_int_equal(vgic_redist_access(&vg, 0, 0x14, 1, false, &v), VGIC_ERR_SIZE);
	assert_int_equal(vgic_redist_access(&vg, 0, 0x14, 2, false, &v), VGIC_ERR_SIZE);
	assert_int_equal(vgic_redist_access(&vg, 0, 0x0c, 8, false, &v), VGIC_ERR_ALIGN);
	assert_int_equal(vgic_redist_access(&vg, 0, 0x70, 8, false, &v), VGIC_ERR_SIZE);
	assert_int_equal(vgic_redist_access(&vg, 0, 0x70, 4, false, &v), VGIC_ERR_OFFSET);
	assert_int_equal(vgic_redist_access(&vg, 0, SGI + 0x100, 1, true, &v), VGIC_ERR_SIZE);
	assert_int_equal(vgic_redist_access(&vg, 0, SGI + 0x400, 8, false, &v), VGIC_ERR_SIZE);
	assert_int_equal(vgic_redist_access(&vg, 0, SGI + 0x420, 1, false, &v), VGIC_ERR_SIZE);
	assert_int_equal(vgic_redist_access(&vg, 0, SGI + 0x104, 4, false, &v), VGIC_ERR_OFFSET);
	assert_int_equal(vgic_redist_access(&vg, 0, SGI + 0xc08, 4, false, &v), VGIC_ERR_OFFSET);
	assert_int_equal(vgic_redist_access(&vg, 0, SGI + 0xffe8, 4, false, &v), VGIC_ERR_OFFSET);
	assert_int_equal(vgic_redist_access(&vg, 0, 0, 4, false, NULL), VGIC_ERR_ARG);
}

/* -------------------------------------------------------- distributor */

static void test_gicd_ctlr(void **state)
{
	(void)state;
	/* DS = 1, ARE RAO/WI, disabled at reset, RWP always 0 */
	assert_int_equal(dread(0, 4), 0x50);
	dwrite(0, 4, 0x13);
	assert_int_equal(dread(0, 4), 0x52);
	dwrite(0, 4, 0);
	assert_int_equal(dread(0, 4), 0x50); /* ARE stays on */
	dwrite(0, 4, 0x80000001);	     /* RWP, EnableGrp0: WI */
	assert_int_equal(dread(0, 4), 0x50);
}

static void test_gicd_id_regs(void **state)
{
	uint64_t typer;

	(void)state;
	typer = dread(0x4, 4);
	assert_int_equal(typer & 0x1f, 8);		 /* ITLinesNumber: 288 INTIDs */
	assert_int_equal((typer >> 5) & 7, 1);		 /* CPUNumber: 2 - 1 */
	assert_int_equal((typer >> 19) & 0x1f, 9);	 /* IDbits: 10 */
	assert_int_equal(typer & (3U << 16), 0);	 /* no MBIS, no LPIS */
	assert_int_equal(typer & (1U << 10), 0);	 /* SecurityExtn 0 */
	assert_int_equal(typer & (1U << 25), 0);	 /* 1 of N supported */
	assert_int_equal(dread(0x8, 4), 0x7600043b);	 /* IIDR */
	assert_int_equal(dread(0xc, 4), 0);		 /* TYPER2 */
	assert_int_equal(dread(0x10, 4), 0);		 /* STATUSR */
	assert_int_equal(dread(0xffe8, 4) & 0xf0, 0x30); /* PIDR2.ArchRev = 3 */
	assert_int_equal(dread(0xffe8, 4), 0x3b);
	assert_int_equal(dread(0xfff0, 4), 0x0d);
	assert_int_equal(dread(0xfffc, 4), 0xb1);
	dwrite(0x4, 4, 0); /* RO: WI */
	assert_int_equal(dread(0x4, 4), typer);
}

static void test_gicd_bitregs(void **state)
{
	static const unsigned int rao[] = {0x80, 0x84};
	unsigned int i;

	(void)state;
	/* IGROUPR: group 1 only: SPIs RAO/WI, n = 0 (banked): RAZ */
	assert_int_equal(dread(0x80, 4), 0);
	assert_int_equal(dread(rao[1], 4), 0xffffffff);
	dwrite(0x84, 4, 0);
	assert_int_equal(dread(0x84, 4), 0xffffffff);
	assert_int_equal(dread(0x98, 4), 0xffffffff); /* INTIDs 192..223 */
	assert_int_equal(dread(0xa4, 4), 0);  /* unimplemented INTIDs (288..) */
	assert_int_equal(dread(0xd04, 4), 0); /* IGRPMODR RAZ/WI */
	dwrite(0xd04, 4, 0xffffffff);
	assert_int_equal(dread(0xd04, 4), 0);

	/* ISENABLER/ICENABLER */
	dwrite(0x104, 4, 0x80000005);
	assert_int_equal(dread(0x104, 4), 0x80000005);
	assert_int_equal(dread(0x184, 4), 0x80000005);
	dwrite(0x184, 4, 0x4);
	assert_int_equal(dread(0x104, 4), 0x80000001);
	dwrite(0x100, 4, 0xffffffff); /* SGIs/PPIs not here: WI */
	assert_int_equal(dread(0x100, 4), 0);
	assert_int_equal(rread(SGI + 0x100, 4), 0);
	dwrite(0x17c, 4, 0xffffffff); /* beyond 63: WI */
	assert_int_equal(dread(0x17c, 4), 0);

	/* ISPENDR/ICPENDR */
	dwrite(0x204, 4, 0x3);
	assert_int_equal(dread(0x204, 4), 0x3);
	assert_int_equal(dread(0x284, 4), 0x3);
	dwrite(0x284, 4, 0x1);
	assert_int_equal(dread(0x204, 4), 0x2);

	/* ISACTIVER/ICACTIVER */
	dwrite(0x304, 4, 0x10);
	assert_int_equal(dread(0x304, 4), 0x10);
	assert_int_equal(dread(0x384, 4), 0x10);
	dwrite(0x384, 4, 0x10);
	assert_int_equal(dread(0x304, 4), 0);

	for (i = 0; i < 2; i++)
		assert_int_equal(dread(0x380 + 4 * i, 4), 0);
}

static void test_gicd_priority_cfg(void **state)
{
	(void)state;
	/* byte and word access; SGI/PPI bytes are RAZ/WI here */
	dwrite(0x420, 4, 0xa0b0c0d0);
	assert_int_equal(dread(0x420, 4), 0xa0b0c0d0);
	assert_int_equal(dread(0x421, 1), 0xc0);
	dwrite(0x423, 1, 0x10);
	assert_int_equal(dread(0x420, 4), 0x10b0c0d0);
	dwrite(0x43f, 1, 0x55); /* INTID 63 */
	assert_int_equal(dread(0x43c, 4), 0x55000000);
	dwrite(0x400, 4, 0xffffffff);
	assert_int_equal(dread(0x400, 4), 0);
	dwrite(0x440 + 219 - 64, 1, 0x30); /* INTID 219, OP-TEE's notification */
	assert_int_equal(dread(0x400 + 219, 1), 0x30);
	dwrite(0x520, 1, 0xff); /* INTID 288: none */
	assert_int_equal(dread(0x520, 1), 0);
	assert_int_equal(dread(0x800, 4), 0); /* ITARGETSR RAZ/WI with ARE */
	dwrite(0x820, 1, 0xff);
	assert_int_equal(dread(0x820, 1), 0);

	/* ICFGR: SPIs 32-47 in ICFGR2, 48-63 in ICFGR3; 0/1 banked: RAZ */
	assert_int_equal(dread(0xc08, 4), 0); /* level at reset */
	dwrite(0xc08, 4, 0xffffffff);
	assert_int_equal(dread(0xc08, 4), 0xaaaaaaaa); /* only bit 2k+1 */
	dwrite(0xc0c, 4, 0x2);
	assert_int_equal(dread(0xc0c, 4), 0x2);
	dwrite(0xc04, 4, 0xaaaaaaaa);
	assert_int_equal(dread(0xc04, 4), 0);
	assert_int_equal(dread(0xc10, 4), 0);
	assert_int_equal(dread(0xe00, 4), 0); /* NSACR */
	assert_int_equal(dread(0xf00, 4), 0); /* SGIR */
	assert_int_equal(dread(0xf10, 1), 0); /* CPENDSGIR */
	assert_int_equal(dread(0xf2c, 4), 0); /* SPENDSGIR */
}

static void test_gicd_irouter(void **state)
{
	(void)state;
	assert_int_equal(dread(0x6100, 8), 0);
	dwrite(0x6100, 8, 0xffffffffffffffffULL); /* RES0 bits dropped */
	assert_int_equal(dread(0x6100, 8), 0xff80ffffffULL);
	assert_int_equal(dread(0x6100, 4), 0x80ffffff);
	assert_int_equal(dread(0x6104, 4), 0xff);
	dwrite(0x6104, 4, 0x1);
	assert_int_equal(dread(0x6100, 8), 0x180ffffffULL);
	dwrite(0x6100, 4, 0x1);
	assert_int_equal(dread(0x6100, 8), 0x100000001ULL);
	dwrite(0x61f8, 8, 0x1); /* INTID 63 */
	assert_int_equal(dread(0x61f8, 8), 1);
	/* private INTIDs reserved, > 287 unimplemented: RAZ/WI */
	dwrite(0x6000, 8, 1);
	assert_int_equal(dread(0x6000, 8), 0);
	dwrite(0x6000 + 8 * 219, 8, 1);
	assert_int_equal(dread(0x6000 + 8 * 219, 8), 1);
	dwrite(0x6000 + 8 * 288, 8, 1);
	assert_int_equal(dread(0x6000 + 8 * 288, 8), 0);
	assert_int_equal(dread(0x7fd8, 8), 0);
}

/* ----------------------------------------------------- redistributors */

static void test_gicr_rd_base(void **state)
{
	static const uint64_t mp4[4] = {0x0, 0x1, 0x0100, 0x0300020100ULL};
	uint64_t t;

	(void)state;
	t = rread(RD(0) + 8, 8);
	assert_int_equal(t >> 32, 0);
	assert_int_equal((t >> 8) & 0xffff, 0);
	assert_int_equal(t & 0x10, 0);
	assert_int_equal(t & 1, 0); /* no PLPIS */
	t = rread(RD(1) + 8, 8);
	assert_int_equal(t >> 32, 1);
	assert_int_equal((t >> 8) & 0xffff, 1);
	assert_int_equal(t & 0x10, 0x10); /* Last */
	assert_int_equal(rread(RD(1) + 8, 4), 0x110);
	assert_int_equal(rread(RD(1) + 0xc, 4), 1);
	rwrite(RD(1) + 8, 8, 0); /* RO */
	assert_int_equal(rread(RD(1) + 0xc, 4), 1);

	assert_int_equal(rread(RD(0), 4), 0); /* CTLR: RWP 0, no LPIs */
	rwrite(RD(0), 4, 1);
	assert_int_equal(rread(RD(0), 4), 0);
	assert_int_equal(rread(RD(0) + 4, 4), 0x7600043b);
	assert_int_equal(rread(RD(0) + 0x10, 4), 0);
	assert_int_equal(rread(RD(1) + 0xffe8, 4), 0x3b);
	assert_int_equal(rread(RD(1) + 0xffe0, 4), 0x93);

	/* WAKER: asleep at reset; ChildrenAsleep follows ProcessorSleep */
	assert_int_equal(rread(RD(0) + 0x14, 4), 0x6);
	rwrite(RD(0) + 0x14, 4, 0);
	assert_int_equal(rread(RD(0) + 0x14, 4), 0);
	assert_int_equal(rread(RD(1) + 0x14, 4), 0x6);
	rwrite(RD(0) + 0x14, 4, 0x2);
	assert_int_equal(rread(RD(0) + 0x14, 4), 0x6);

	/* Affinity with Aff1..Aff3 */
	assert_int_equal(vgic_init(&vg, 4, mp4), 0);
	assert_int_equal(rread(RD(2) + 0xc, 4), 0x100);
	assert_int_equal(rread(RD(3) + 0xc, 4), 0x03020100);
	assert_int_equal(rread(RD(3) + 8, 4), 0x310);
	assert_int_equal(rread(RD(2) + 8, 4), 0x200);
}

static void test_gicr_sgi_base(void **state)
{
	(void)state;
	assert_int_equal(rread(SGI + 0x80, 4), 0xffffffff); /* IGROUPR0 RAO/WI */
	rwrite(SGI + 0x80, 4, 0);
	assert_int_equal(rread(SGI + 0x80, 4), 0xffffffff);
	rwrite(SGI + 0x100, 4, 0x08000003);
	assert_int_equal(rread(SGI + 0x100, 4), 0x08000003);
	assert_int_equal(rread(RD(1) + SGI + 0x100, 4), 0); /* banked */
	rwrite(SGI + 0x180, 4, 1);
	assert_int_equal(rread(SGI + 0x180, 4), 0x08000002);
	rwrite(SGI + 0x200, 4, 0x10);
	assert_int_equal(rread(SGI + 0x200, 4), 0x10);
	rwrite(SGI + 0x280, 4, 0x10);
	assert_int_equal(rread(SGI + 0x280, 4), 0);
	rwrite(SGI + 0x300, 4, 0x20);
	assert_int_equal(rread(SGI + 0x300, 4), 0x20);
	rwrite(SGI + 0x380, 4, 0x20);
	assert_int_equal(rread(SGI + 0x380, 4), 0);
	rwrite(SGI + 0x41b, 1, 0xa0); /* PPI 27 */
	assert_int_equal(rread(SGI + 0x418, 4), 0xa0000000);
	rwrite(SGI + 0x400, 4, 0x04030201);
	assert_int_equal(rread(SGI + 0x402, 1), 3);
	assert_int_equal(rread(SGI + 0xc00, 4), 0xaaaaaaaa); /* SGIs edge, RO */
	rwrite(SGI + 0xc00, 4, 0);
	assert_int_equal(rread(SGI + 0xc00, 4), 0xaaaaaaaa);
	assert_int_equal(rread(SGI + 0xc04, 4), 0); /* PPIs level */
	rwrite(SGI + 0xc04, 4, 0x5556);
	assert_int_equal(rread(SGI + 0xc04, 4), 0x2);
	assert_int_equal(rread(SGI + 0xd00, 4), 0); /* IGRPMODR0 */
	rwrite(SGI + 0xd00, 4, 0xffffffff);
	assert_int_equal(rread(SGI + 0xd00, 4), 0);
	assert_int_equal(rread(SGI + 0xe00, 4), 0); /* NSACR */
}

/* -------------------------------------------------- inputs, SGI1R */

static void test_input_rejects(void **state)
{
	uint64_t lrs[4];

	(void)state;
	assert_int_equal(vgic_inject(&vg, 0, 288), VGIC_ERR_INTID);
	assert_int_equal(vgic_inject(&vg, 0, 0xffffffff), VGIC_ERR_INTID);
	assert_int_equal(vgic_inject(&vg, 2, 33), VGIC_ERR_VCPU);
	assert_int_equal(vgic_inject(NULL, 0, 33), VGIC_ERR_ARG);
	assert_int_equal(vgic_set_line(&vg, 0, 288, true), VGIC_ERR_INTID);
	assert_int_equal(vgic_set_line(&vg, 0, 3, true), VGIC_ERR_INTID); /* SGI */
	assert_int_equal(vgic_set_line(&vg, 7, 27, true), VGIC_ERR_VCPU);
	assert_int_equal(vgic_sgi1r_write(&vg, 2, 1), 0);
	assert_int_equal(vgic_sgi1r_write(NULL, 0, 1), 0);
	assert_int_equal(vgic_flush_lrs(&vg, 2, lrs, 4), 0);
	assert_int_equal(vgic_flush_lrs(&vg, 0, NULL, 4), 0);
	vgic_sync_lrs(&vg, 3, lrs, 4); /* ignored */
	vgic_sync_lrs(NULL, 0, lrs, 4);
	assert_false(vgic_vcpu_pending(&vg, 2));
	assert_false(vgic_vcpu_pending(NULL, 0));
	assert_int_equal(vgic_take_kicks(NULL), 0);
}

static void test_sgi1r(void **state)
{
	static const uint64_t mp4[4] = {0x0, 0x1, 0x0100, 0x0300020100ULL};

	(void)state;
	linux_boot();
	/* TargetList bit 1 = Aff0 1, INTID 5, from vCPU 0 */
	assert_int_equal(vgic_sgi1r_write(&vg, 0, (5ULL << 24) | 0x2), 0x2);
	assert_int_equal(rread(RD(1) + SGI + 0x200, 4), 0x20);
	assert_int_equal(rread(RD(0) + SGI + 0x200, 4), 0);
	/* already pending: not new */
	assert_int_equal(vgic_sgi1r_write(&vg, 0, (5ULL << 24) | 0x2), 0);
	/* to self and other */
	assert_int_equal(vgic_sgi1r_write(&vg, 1, (1ULL << 24) | 0x3), 0x3);
	/* IRM: all but self */
	assert_int_equal(vgic_sgi1r_write(&vg, 1, (1ULL << 40) | (7ULL << 24) | 0xffff), 0x1);
	assert_int_equal(rread(RD(0) + SGI + 0x200, 4), 0x82);
	/* Aff1 = 1: nobody has it */
	assert_int_equal(vgic_sgi1r_write(&vg, 0, (1ULL << 16) | (2ULL << 24) | 0x3), 0);
	/* RS = 1 (Aff0 16-31): nobody */
	assert_int_equal(vgic_sgi1r_write(&vg, 0, (1ULL << 44) | (2ULL << 24) | 0x3), 0);

	assert_int_equal(vgic_init(&vg, 4, mp4), 0);
	assert_int_equal(vgic_sgi1r_write(&vg, 0, (1ULL << 16) | 0x1), 0x4);
	assert_int_equal(vgic_sgi1r_write(&vg, 0, (3ULL << 48) | (2ULL << 32) | (1ULL << 16) | 1),
			 0x8);
	assert_int_equal(vgic_sgi1r_write(&vg, 0, (2ULL << 32) | (1ULL << 16) | 1), 0);
	assert_int_equal(vgic_sgi1r_write(&vg, 0, (9ULL << 24) | 0x3), 0x3);
	assert_int_equal(vgic_sgi1r_write(&vg, 2, (1ULL << 40) | (10ULL << 24)), 0xb);
}

/* ----------------------------------------------------- LR state machine */

static void test_lr_edge_cycle(void **state)
{
	uint64_t lrs[4], hcr;

	(void)state;
	linux_boot();
	dwrite(0xc08, 4, 0x2); /* SPI 32: edge */
	enable(0, 32, 0x80);
	assert_false(vgic_vcpu_pending(&vg, 0));
	assert_int_equal(vgic_inject(&vg, 0, 32), 0x1);
	assert_true(vgic_vcpu_pending(&vg, 0));
	assert_false(vgic_vcpu_pending(&vg, 1));

	hcr = flush(0, lrs);
	assert_int_equal(hcr, ICH_HCR_EN);
	assert_int_equal(LR_INTID(lrs[0]), 32);
	assert_int_equal(LR_STATE(lrs[0]), ICH_LR_PENDING);
	assert_int_equal(LR_PRIO(lrs[0]), 0x80);
	assert_true(lrs[0] & ICH_LR_GROUP);
	assert_false(lrs[0] & (ICH_LR_HW | ICH_LR_EOI));
	assert_int_equal(lrs[1] | lrs[2] | lrs[3], 0);
	assert_int_equal(dread(0x204, 4), 1); /* still pending to the guest's view */

	/* Guest acknowledges: LR active */
	lrs[0] = (lrs[0] & ~ICH_LR_STATE_MASK) | ICH_LR_ACTIVE;
	vgic_sync_lrs(&vg, 0, lrs, 4);
	assert_int_equal(dread(0x304, 4), 1);
	assert_int_equal(dread(0x204, 4), 0);
	assert_false(vgic_vcpu_pending(&vg, 0));

	/* Still active: must be listed again */
	flush(0, lrs);
	assert_int_equal(LR_INTID(lrs[0]), 32);
	assert_int_equal(LR_STATE(lrs[0]), ICH_LR_ACTIVE);

	/* Guest EOIs: LR invalid */
	lrs[0] &= ~ICH_LR_STATE_MASK;
	vgic_sync_lrs(&vg, 0, lrs, 4);
	assert_int_equal(dread(0x304, 4), 0);
	flush(0, lrs);
	assert_int_equal(count_lrs(lrs), 0);
	vgic_sync_lrs(&vg, 0, lrs, 4);
}

static void test_lr_edge_reinject(void **state)
{
	uint64_t lrs[4];

	(void)state;
	linux_boot();
	enable(0, 1, 0x40); /* SGI 1: edge */
	vgic_inject(&vg, 0, 1);
	flush(0, lrs);
	assert_int_equal(LR_STATE(lrs[0]), ICH_LR_PENDING);
	/* second edge while listed: stays pending in our state */
	assert_int_equal(vgic_inject(&vg, 0, 1), 0x1);
	lrs[0] = (lrs[0] & ~ICH_LR_STATE_MASK) | ICH_LR_ACTIVE;
	vgic_sync_lrs(&vg, 0, lrs, 4);
	flush(0, lrs);
	assert_int_equal(LR_STATE(lrs[0]), ICH_LR_PENDING | ICH_LR_ACTIVE);
	assert_int_equal(count_lrs(lrs), 1);
	/* EOI of the first; the second is taken later */
	lrs[0] = (lrs[0] & ~ICH_LR_STATE_MASK) | ICH_LR_PENDING;
	vgic_sync_lrs(&vg, 0, lrs, 4);
	flush(0, lrs);
	assert_int_equal(LR_STATE(lrs[0]), ICH_LR_PENDING);
	lrs[0] &= ~ICH_LR_STATE_MASK;
	vgic_sync_lrs(&vg, 0, lrs, 4);
	assert_false(vgic_vcpu_pending(&vg, 0));

	/* not taken at all: pending comes back, once */
	vgic_inject(&vg, 0, 1);
	flush(0, lrs);
	vgic_sync_lrs(&vg, 0, lrs, 4);
	assert_true(vgic_vcpu_pending(&vg, 0));
	flush(0, lrs);
	assert_int_equal(count_lrs(lrs), 1);
	/* a second flush without sync does not lose or duplicate it */
	flush(0, lrs);
	assert_int_equal(count_lrs(lrs), 1);
	assert_int_equal(LR_STATE(lrs[0]), ICH_LR_PENDING);
	/* ICPENDR while listed: dropped at sync */
	rwrite(SGI + 0x280, 4, 0x2);
	vgic_sync_lrs(&vg, 0, lrs, 4);
	assert_false(vgic_vcpu_pending(&vg, 0));
}

static void test_lr_level(void **state)
{
	uint64_t lrs[4];

	(void)state;
	linux_boot();
	enable(1, 27, 0xa0); /* vtimer PPI on vCPU 1 */
	assert_int_equal(vgic_set_line(&vg, 1, 27, true), 0x2);
	assert_int_equal(vgic_set_line(&vg, 1, 27, true), 0); /* no change */
	assert_false(vgic_vcpu_pending(&vg, 0));
	flush(1, lrs);
	assert_int_equal(LR_INTID(lrs[0]), 27);
	assert_int_equal(LR_STATE(lrs[0]), ICH_LR_PENDING);
	assert_true(lrs[0] & ICH_LR_EOI);
	/* ack */
	lrs[0] = (lrs[0] & ~ICH_LR_STATE_MASK) | ICH_LR_ACTIVE;
	vgic_sync_lrs(&vg, 1, lrs, 4);
	/* line still high, but active: listed active-only with EOI */
	flush(1, lrs);
	assert_int_equal(LR_STATE(lrs[0]), ICH_LR_ACTIVE);
	assert_true(lrs[0] & ICH_LR_EOI);
	/* EOI (maintenance exit): line still high -> pending again */
	lrs[0] &= ~ICH_LR_STATE_MASK;
	vgic_sync_lrs(&vg, 1, lrs, 4);
	assert_true(vgic_vcpu_pending(&vg, 1));
	flush(1, lrs);
	assert_int_equal(LR_STATE(lrs[0]), ICH_LR_PENDING);
	lrs[0] = (lrs[0] & ~ICH_LR_STATE_MASK) | ICH_LR_ACTIVE;
	vgic_sync_lrs(&vg, 1, lrs, 4);
	/* the guest handles it and the line drops; EOI: nothing left */
	assert_int_equal(vgic_set_line(&vg, 1, 27, false), 0);
	flush(1, lrs);
	assert_int_equal(LR_STATE(lrs[0]), ICH_LR_ACTIVE);
	lrs[0] &= ~ICH_LR_STATE_MASK;
	vgic_sync_lrs(&vg, 1, lrs, 4);
	assert_false(vgic_vcpu_pending(&vg, 1));
	flush(1, lrs);
	assert_int_equal(count_lrs(lrs), 0);
	vgic_sync_lrs(&vg, 1, lrs, 4);

	/* a level line that drops before the guest takes it: not re-listed */
	vgic_set_line(&vg, 1, 27, true);
	flush(1, lrs);
	vgic_set_line(&vg, 1, 27, false);
	vgic_sync_lrs(&vg, 1, lrs, 4);
	assert_false(vgic_vcpu_pending(&vg, 1));

	/* software pending of a level IRQ is consumed by the ack */
	rwrite(RD(1) + SGI + 0x200, 4, 1U << 27);
	flush(1, lrs);
	assert_int_equal(LR_STATE(lrs[0]), ICH_LR_PENDING);
	lrs[0] &= ~ICH_LR_STATE_MASK;
	lrs[0] |= ICH_LR_ACTIVE;
	vgic_sync_lrs(&vg, 1, lrs, 4);
	assert_int_equal(rread(RD(1) + SGI + 0x200, 4), 0);
}

static void test_lr_priorities(void **state)
{
	static const uint8_t prio[6] = {0x80, 0x20, 0xf0, 0x20, 0x10, 0x90};
	uint64_t lrs[4], hcr, one[1];
	unsigned int i;

	(void)state;
	linux_boot();
	for (i = 0; i < 6; i++) {
		enable(0, 40 + i, prio[i]);
		vgic_inject(&vg, 0, 40 + i);
	}
	hcr = flush(0, lrs);
	assert_int_equal(hcr, ICH_HCR_EN | ICH_HCR_UIE | ICH_HCR_NPIE);
	assert_int_equal(LR_INTID(lrs[0]), 44); /* 0x10 */
	assert_int_equal(LR_INTID(lrs[1]), 41); /* 0x20, lower INTID first */
	assert_int_equal(LR_INTID(lrs[2]), 43); /* 0x20 */
	assert_int_equal(LR_INTID(lrs[3]), 40); /* 0x80 */
	/* guest takes all four, remaining two follow */
	for (i = 0; i < 4; i++)
		lrs[i] = (lrs[i] & ~ICH_LR_STATE_MASK) | ICH_LR_ACTIVE;
	vgic_sync_lrs(&vg, 0, lrs, 4);
	/* 4 active fill the LRs; no NPIE (no pending LR), UIE for room */
	hcr = flush(0, lrs);
	assert_int_equal(hcr, ICH_HCR_EN | ICH_HCR_UIE);
	assert_int_equal(count_lrs(lrs), 4);
	for (i = 0; i < 4; i++) {
		assert_int_equal(LR_STATE(lrs[i]), ICH_LR_ACTIVE);
		lrs[i] &= ~ICH_LR_STATE_MASK;
	}
	vgic_sync_lrs(&vg, 0, lrs, 4);
	hcr = flush(0, lrs);
	assert_int_equal(hcr, ICH_HCR_EN);
	assert_int_equal(LR_INTID(lrs[0]), 45);
	assert_int_equal(LR_INTID(lrs[1]), 42);
	assert_int_equal(count_lrs(lrs), 2);
	vgic_sync_lrs(&vg, 0, lrs, 4);

	/* one LR: no UIE (it would fire at once), NPIE only */
	hcr = vgic_flush_lrs(&vg, 0, one, 1);
	assert_int_equal(hcr, ICH_HCR_EN | ICH_HCR_NPIE);
	assert_int_equal(LR_INTID(one[0]), 45);
	vgic_sync_lrs(&vg, 0, one, 1);
}

static void test_lr_routing(void **state)
{
	uint64_t lrs[4], lrs1[4];

	(void)state;
	linux_boot();
	dwrite(0xc08, 4, 0x8); /* SPI 33: edge */
	enable(0, 33, 0x80);
	dwrite(0x6108, 8, 0x1); /* SPI 33 -> Aff0 1 = vCPU 1 */
	assert_int_equal(vgic_inject(&vg, 0, 33), 0x2);
	assert_false(vgic_vcpu_pending(&vg, 0));
	assert_true(vgic_vcpu_pending(&vg, 1));
	flush(0, lrs);
	assert_int_equal(count_lrs(lrs), 0);
	vgic_sync_lrs(&vg, 0, lrs, 4);
	flush(1, lrs1);
	assert_int_equal(LR_INTID(lrs1[0]), 33);
	/* re-routed while listed on vCPU 1: not listed on vCPU 0 too */
	dwrite(0x6108, 8, 0x0);
	assert_int_equal(vgic_take_kicks(&vg), 0x2);
	vgic_inject(&vg, 0, 33);
	flush(0, lrs);
	assert_int_equal(count_lrs(lrs), 0);
	vgic_sync_lrs(&vg, 0, lrs, 4);
	/* vCPU 1 acks: active there, the new pending waits for it */
	lrs1[0] = (lrs1[0] & ~ICH_LR_STATE_MASK) | ICH_LR_ACTIVE;
	vgic_sync_lrs(&vg, 1, lrs1, 4);
	flush(0, lrs);
	assert_int_equal(count_lrs(lrs), 0);
	vgic_sync_lrs(&vg, 0, lrs, 4);
	flush(1, lrs1);
	assert_int_equal(LR_STATE(lrs1[0]), ICH_LR_ACTIVE | ICH_LR_PENDING);
	/* vCPU 1 EOIs; the second edge is still pending in its LR, not taken */
	lrs1[0] = (lrs1[0] & ~ICH_LR_STATE_MASK) | ICH_LR_PENDING;
	vgic_sync_lrs(&vg, 1, lrs1, 4);
	/* deactivated: now it follows the new route */
	assert_true(vgic_vcpu_pending(&vg, 0));
	flush(0, lrs);
	assert_int_equal(LR_INTID(lrs[0]), 33);
	lrs[0] &= ~ICH_LR_STATE_MASK;
	vgic_sync_lrs(&vg, 0, lrs, 4);

	/* an affinity no vCPU has: not forwarded */
	dwrite(0x6108, 8, 0x5);
	assert_int_equal(vgic_inject(&vg, 0, 33), 0);
	assert_false(vgic_vcpu_pending(&vg, 0) || vgic_vcpu_pending(&vg, 1));
	/* 1 of N: the first awake vCPU */
	rwrite(RD(0) + 0x14, 4, 0x2);
	dwrite(0x6108, 8, 1ULL << 31);
	assert_true(vgic_vcpu_pending(&vg, 1));
	assert_int_equal(vgic_take_kicks(&vg) & 0x2, 0x2);
}

static void test_lr_gating(void **state)
{
	uint64_t lrs[4], v;

	(void)state;
	linux_boot();
	dwrite(0x400 + 34, 1, 0x80);
	vgic_inject(&vg, 0, 34); /* pending but disabled */
	assert_false(vgic_vcpu_pending(&vg, 0));
	flush(0, lrs);
	assert_int_equal(count_lrs(lrs), 0);
	vgic_sync_lrs(&vg, 0, lrs, 4);
	dwrite(0x104, 4, 0x4); /* enable: vCPU 0 must be kicked */
	assert_int_equal(vgic_take_kicks(&vg), 0x1);
	assert_int_equal(vgic_take_kicks(&vg), 0);
	dwrite(0, 4, 0); /* distributor off */
	assert_false(vgic_vcpu_pending(&vg, 0));
	flush(0, lrs);
	assert_int_equal(count_lrs(lrs), 0);
	vgic_sync_lrs(&vg, 0, lrs, 4);
	dwrite(0, 4, 0x2);
	assert_int_equal(vgic_take_kicks(&vg), 0x1);
	flush(0, lrs);
	assert_int_equal(count_lrs(lrs), 1);
	/* sync with a foreign INTID in the LR: ignored, state kept */
	v = lrs[0];
	lrs[0] = (v & ~ICH_LR_VINTID_MASK) | 35;
	vgic_sync_lrs(&vg, 0, lrs, 4);
	assert_true(vgic_vcpu_pending(&vg, 0));
	/* sync with fewer LRs than flushed: the rest unchanged */
	flush(0, lrs);
	vgic_sync_lrs(&vg, 0, lrs, 0);
	assert_true(vgic_vcpu_pending(&vg, 0));
	/* n_lrs clamped to 16 */
	{
		uint64_t big[20];

		memset(big, 0xff, sizeof(big));
		assert_int_equal(vgic_flush_lrs(&vg, 0, big, 20), ICH_HCR_EN);
		assert_int_equal(big[16], ~0ULL);
		assert_int_equal(big[1], 0);
		vgic_sync_lrs(&vg, 0, big, 20);
	}
	/* ICENABLER while listed: kick so the LR is refreshed */
	flush(0, lrs);
	dwrite(0x184, 4, 0x4);
	assert_int_equal(vgic_take_kicks(&vg), 0x1);
	vgic_sync_lrs(&vg, 0, lrs, 4);
	assert_false(vgic_vcpu_pending(&vg, 0));
}

/* ------------------------------------------- randomized invariants */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	/* xorshift64*: deterministic, so a failure is reproducible */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

/* An interrupt is in at most one LR of one vCPU, and our bookkeeping
 * (lr_vcpu) agrees with what was flushed. */
static void check_lr_invariants(void)
{
	unsigned int c, i, seen_spi[VGIC_NR_SPIS] = {0};

	for (c = 0; c < vg.n_vcpus; c++) {
		unsigned int seen_priv[VGIC_NR_PRIVATE] = {0};
		const struct vgic_cpu *cpu = &vg.cpu[c];

		assert_true(cpu->nr_lrs <= VGIC_MAX_LRS);
		for (i = 0; i < cpu->nr_lrs; i++) {
			unsigned int id = cpu->lr_intid[i];
			const struct vgic_irq *irq;

			assert_true(id < VGIC_NR_IRQS);
			assert_int_equal(LR_INTID(cpu->lr_val[i]), id);
			assert_true(cpu->lr_val[i] & ICH_LR_GROUP);
			assert_false(cpu->lr_val[i] & ICH_LR_HW);
			assert_true(LR_STATE(cpu->lr_val[i]) != 0);
			if (id < VGIC_NR_PRIVATE) {
				irq = &cpu->priv[id];
				assert_int_equal(++seen_priv[id], 1);
			} else {
				irq = &vg.spi[id - VGIC_NR_PRIVATE];
				assert_int_equal(++seen_spi[id - VGIC_NR_PRIVATE], 1);
			}
			assert_int_equal(irq->lr_vcpu, c + 1);
		}
	}
}

/* The guest's CPU interface: acknowledge and/or EOI some listed IRQs. */
static void guest_step(uint64_t *lrs, unsigned int n, bool all, unsigned int *taken)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		uint64_t st = LR_STATE(lrs[i]);
		unsigned int r = all ? 3 : (unsigned int)(rnd() % 4);

		if (!st || r == 0)
			continue;
		if (st == ICH_LR_PENDING) {
			(*taken)++;
			st = (r == 3) ? 0 : ICH_LR_ACTIVE; /* ack, maybe EOI at once */
		} else if (st == ICH_LR_ACTIVE) {
			st = 0;
		} else {
			st = ICH_LR_PENDING; /* EOI of the active instance */
		}
		lrs[i] = (lrs[i] & ~ICH_LR_STATE_MASK) | st;
	}
}

static void test_random_ops(void **state)
{
	static const unsigned int sizes[4] = {1, 4, 8, 2};
	uint64_t lrs[VGIC_MAX_VCPUS][4];
	unsigned int step, c, taken = 0, rounds;
	bool listed[VGIC_MAX_VCPUS] = {false};
	static const uint64_t mp4[4] = {0, 1, 2, 3};
	static const uint64_t dist_hot[12] = {0x0,   0x100, 0x180, 0x200,  0x280,  0x300,
					      0x380, 0x420, 0xc08, 0x6100, 0x6180, 0x104};
	static const uint64_t redist_hot[10] = {0x14,	     SGI + 0x100, SGI + 0x180, SGI + 0x200,
						SGI + 0x280, SGI + 0x300, SGI + 0x380, SGI + 0x404,
						SGI + 0xc04, SGI + 0x100};
	uint64_t off;

	(void)state;
	assert_int_equal(vgic_init(&vg, 4, mp4), 0);
	linux_boot();
	dwrite(0x104, 4, 0xffffffff);
	for (c = 0; c < 4; c++)
		rwrite(RD(c) + SGI + 0x100, 4, 0xffffffff);
	for (step = 0; step < 200000; step++) {
		uint64_t r = rnd(), v = rnd();
		unsigned int vcpu = (unsigned int)((r >> 8) % 5); /* 4: invalid */
		unsigned int intid = (unsigned int)((r >> 16) % 70);
		unsigned int size = sizes[(r >> 24) & 3];

		switch (r % 10) {
		case 0: /* distributor: mostly real registers, some garbage */
			if ((r >> 29) & 1)
				v = ~0ULL; /* writes of all-ones: mostly set-enable/pend/active */
			off = (r >> 31) & 1 ? dist_hot[(r >> 32) % 12] + ((r >> 40) % 8) * 4
					    : (r >> 32) % 0x11000;
			(void)vgic_dist_access(&vg, vcpu, off, size, (r >> 28) & 1, &v);
			break;
		case 1:
			off = (r >> 31) & 1 ? RD((r >> 50) % 5) + redist_hot[(r >> 32) % 10]
					    : (r >> 32) % 0x90000;
			(void)vgic_redist_access(&vg, vcpu, off, size, (r >> 28) & 1, &v);
			break;
		case 2:
			(void)vgic_inject(&vg, vcpu, intid);
			break;
		case 3:
			(void)vgic_set_line(&vg, vcpu, intid, (r >> 30) & 1);
			break;
		case 4:
			(void)vgic_sgi1r_write(&vg, vcpu, v);
			break;
		case 5:
		case 6:
			if (vcpu < 4) {
				(void)vgic_flush_lrs(&vg, vcpu, lrs[vcpu], 4);
				listed[vcpu] = true;
			}
			break;
		default:
			if (vcpu < 4 && listed[vcpu]) {
				guest_step(lrs[vcpu], 4, false, &taken);
				vgic_sync_lrs(&vg, vcpu, lrs[vcpu], 4);
				listed[vcpu] = false;
			}
			break;
		}
		check_lr_invariants();
	}
	print_message("random ops: %u interrupts taken\n", taken);
	assert_true(taken > 1000);

	/* Drain: make everything deliverable, lower every line, and let the
	 * guest take everything: nothing may stay pending or active. */
	for (c = 0; c < 4; c++) {
		unsigned int i;

		if (listed[c])
			vgic_sync_lrs(&vg, c, lrs[c], 4);
		for (i = 16; i < VGIC_NR_IRQS; i++)
			(void)vgic_set_line(&vg, c, i, false);
		rwrite(RD(c) + SGI + 0x100, 4, 0xffffffff);
		rwrite(RD(c) + 0x14, 4, 0);
	}
	dwrite(0, 4, 2);
	dwrite(0x104, 4, 0xffffffff);
	for (c = 32; c < 64; c++)
		dwrite(0x6000 + 8 * c, 8, c % 4);
	for (rounds = 0; rounds < 100; rounds++) {
		bool any = false;

		for (c = 0; c < 4; c++) {
			(void)vgic_flush_lrs(&vg, c, lrs[c], 4);
			if (count_lrs(lrs[c]))
				any = true;
			guest_step(lrs[c], 4, true, &taken);
			vgic_sync_lrs(&vg, c, lrs[c], 4);
			check_lr_invariants();
		}
		if (!any)
			break;
	}
	assert_true(rounds < 100);
	for (c = 0; c < 4; c++) {
		assert_false(vgic_vcpu_pending(&vg, c));
		assert_int_equal(rread(RD(c) + SGI + 0x300, 4), 0);
		assert_int_equal(rread(RD(c) + SGI + 0x200, 4), 0);
	}
	assert_int_equal(dread(0x304, 4), 0);
	assert_int_equal(dread(0x204, 4), 0);
}

/* ---------------------------------- Linux's irq-gic-v3.c, step by step */

/* What drivers/irqchip/irq-gic-v3.c (6.1) does at boot, with the values it
 * checks: gic_validate_dist_version, gic_init_bases, gic_dist_init,
 * gic_iterate_rdists/gic_populate_rdist (64-bit GICR_TYPER reads, stride
 * 128 KiB, stop at Last), gic_enable_redist, gic_cpu_init. */
static void test_linux_probe_sequence(void **state)
{
	static const uint64_t mp[2] = {0x80000000, 0x80000001};
	uint64_t typer, lrs[4];
	unsigned int i, c, gic_irqs;

	(void)state;
	assert_int_equal(vgic_init(&vg, 2, mp), 0);
	/* gic_validate_dist_version */
	assert_true((dread(0xffe8, 4) & 0xf0) == 0x30);
	/* gic_init_bases */
	typer = dread(0x4, 4);
	gic_irqs = 32 * ((typer & 0x1f) + 1);
	assert_int_equal(gic_irqs, 288);
	assert_int_equal((typer >> 8) & 1, 0);	/* no ESPI */
	assert_int_equal((typer >> 17) & 1, 0); /* no LPIs: no ITS probing */
	(void)dread(0x8, 4);			/* gic_enable_quirks(IIDR) */
	assert_int_equal(dread(0xc, 4), 0);	/* TYPER2: no vSGIs, no nASSGIcap */
	/* gic_dist_init */
	dwrite(0x0, 4, 0);
	assert_int_equal(dread(0x0, 4) >> 31, 0); /* RWP */
	for (i = 32; i < gic_irqs; i += 32)
		dwrite(0x80 + i / 8, 4, 0xffffffff);
	for (i = 32; i < gic_irqs; i += 16)
		dwrite(0xc00 + i / 4, 4, 0);
	for (i = 32; i < gic_irqs; i += 4)
		dwrite(0x400 + i, 4, 0xa0a0a0a0);
	for (i = 32; i < gic_irqs; i += 32) {
		dwrite(0x380 + i / 8, 4, 0xffffffff);
		dwrite(0x180 + i / 8, 4, 0xffffffff);
	}
	assert_int_equal(dread(0x0, 4) >> 31, 0);
	dwrite(0x0, 4, 0x13);
	assert_true(dread(0x0, 4) & 0x40); /* DS: security disabled */
	for (i = 32; i < gic_irqs; i++)
		dwrite(0x6000 + 8 * i, 8, 0);

	for (c = 0; c < 2; c++) {
		uint64_t aff = mp[c] & 0xffffff, ptr = 0;
		bool found = false;

		/* gic_populate_rdist: walk the frames until Last */
		for (i = 0; i < 16; i++, ptr += VGIC_REDIST_SIZE) {
			assert_int_equal(rread(ptr + 0xffe8, 4) & 0xf0, 0x30);
			typer = rread(ptr + 0x8, 8);
			assert_int_equal(typer & 2, 0); /* no VLPIS: stride 2 x 64K */
			if ((typer >> 32) == aff) {
				found = true;
				break;
			}
			if (typer & 0x10)
				break;
		}
		assert_true(found);
		assert_int_equal(ptr, RD(c));
		/* gic_enable_redist: wake up */
		rwrite(ptr + 0x14, 4, rread(ptr + 0x14, 4) & ~2ULL);
		assert_int_equal(rread(ptr + 0x14, 4) & 4, 0);
		/* gic_cpu_init */
		rwrite(ptr + SGI + 0x80, 4, 0xffffffff);
		rwrite(ptr + SGI + 0x380, 4, 0xffffffff);
		rwrite(ptr + SGI + 0x180, 4, 0xffffffff);
		assert_int_equal(rread(ptr, 4) & 8, 0); /* GICR_CTLR.RWP */
		for (i = 0; i < 32; i += 4)
			rwrite(ptr + SGI + 0x400 + i, 4, 0xa0a0a0a0);
		rwrite(ptr + SGI + 0xc04, 4, 0);
		/* SGIs 0-15 and the vtimer get enabled (gic_unmask_irq) */
		rwrite(ptr + SGI + 0x100, 4, 0xffff | (1U << 27));
	}
	/* an IPI from CPU 0 to CPU 1 (gic_ipi_send_mask: Aff0 list) */
	assert_int_equal(vgic_sgi1r_write(&vg, 0, (1ULL << 24) | (1U << 1)), 0x2);
	assert_int_equal(vgic_flush_lrs(&vg, 1, lrs, 4), ICH_HCR_EN);
	assert_int_equal(LR_INTID(lrs[0]), 1);
	assert_int_equal(LR_PRIO(lrs[0]), 0xa0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_init_args),
	    cmocka_unit_test_setup(test_access_rejects, setup2),
	    cmocka_unit_test_setup(test_gicd_ctlr, setup2),
	    cmocka_unit_test_setup(test_gicd_id_regs, setup2),
	    cmocka_unit_test_setup(test_gicd_bitregs, setup2),
	    cmocka_unit_test_setup(test_gicd_priority_cfg, setup2),
	    cmocka_unit_test_setup(test_gicd_irouter, setup2),
	    cmocka_unit_test_setup(test_gicr_rd_base, setup2),
	    cmocka_unit_test_setup(test_gicr_sgi_base, setup2),
	    cmocka_unit_test_setup(test_input_rejects, setup2),
	    cmocka_unit_test_setup(test_sgi1r, setup2),
	    cmocka_unit_test_setup(test_lr_edge_cycle, setup2),
	    cmocka_unit_test_setup(test_lr_edge_reinject, setup2),
	    cmocka_unit_test_setup(test_lr_level, setup2),
	    cmocka_unit_test_setup(test_lr_priorities, setup2),
	    cmocka_unit_test_setup(test_lr_routing, setup2),
	    cmocka_unit_test_setup(test_lr_gating, setup2),
	    cmocka_unit_test(test_random_ops),
	    cmocka_unit_test(test_linux_probe_sequence),
	};

	return cmocka_run_group_tests_name("vgic", tests, NULL, NULL);
}
