/* SPDX-License-Identifier: MIT */
/*
 * A guest TEE's GICv3 view (policy/tee_gic.c), driven as OP-TEE 4.9's
 * core/drivers/gic.c drives it at boot: identification, the ISENABLER
 * probe for the largest INTID, affinity routing, redistributor discovery
 * by GICR_TYPER, and the per-interrupt configuration.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <policy/tee_gic.h>
#include <vtz/platform.h>

#define D(off) (PLAT_GICD_BASE + (off))
#define R(cpu, off) (PLAT_GICR_BASE + (cpu) * PLAT_GICR_FRAME + (off))

static struct tee_gic gic;

static uint64_t rd(uint64_t ipa, unsigned int size)
{
	return tee_gic_access(&gic, ipa, size, false, 0);
}

static void wr(uint64_t ipa, unsigned int size, uint64_t v)
{
	assert_int_equal(tee_gic_access(&gic, ipa, size, true, v), 0);
}

static int setup(void **state)
{
	(void)state;
	memset(&gic, 0xa5, sizeof(gic));
	tee_gic_init(&gic, 2);
	return 0;
}

static void test_identification(void **state)
{
	(void)state;
	assert_int_equal((rd(D(0xffe8), 4) >> 4) & 0xf, 3);  /* PIDR2.ArchRev: GICv3 */
	assert_int_equal(rd(D(0x4), 4) & 0x1f, 8);           /* ITLinesNumber: 288 IDs */
	assert_true(rd(D(0x4), 4) & (1U << 10));             /* SecurityExtn */
	assert_int_equal(rd(D(0x0), 4), 0x37); /* ARE_S, ARE_NS; every group on, as TF-A leaves it */
	wr(D(0x0), 4, 0x4);                                  /* EnableGrp1S */
	assert_int_equal(rd(D(0x0), 4), 0x34);
	wr(D(0x0), 4, 0);                                    /* ARE stays on (RAO/WI) */
	assert_int_equal(rd(D(0x0), 4), 0x30);
	assert_int_equal((rd(R(1, 0xffe8), 4) >> 4) & 0xf, 3);
}

/* OP-TEE's probe_max_it(): set every enable of the top register, read back. */
static void test_probe_max_interrupt(void **state)
{
	unsigned int max_regs = rd(D(0x4), 4) & 0x1f, i;
	int last = -1;

	(void)state;
	for (i = max_regs + 1; i-- > 0 && last < 0;) {
		uint32_t old = (uint32_t)rd(D(0x100 + 4 * i), 4), reg;

		wr(D(0x100 + 4 * i), 4, 0xffffffff);
		reg = (uint32_t)rd(D(0x100 + 4 * i), 4);
		wr(D(0x180 + 4 * i), 4, ~old);
		if (reg)
			last = (int)(i * 32 + 31 - __builtin_clz(reg));
	}
	assert_int_equal(last, TEE_GIC_NIRQ - 1);
	assert_int_equal(rd(D(0x100 + 4 * max_regs), 4), 0); /* restored */
	/* Word 0 is each CPU's under affinity routing: RAZ/WI in the distributor. */
	wr(D(0x100), 4, 0xffffffff);
	assert_int_equal(rd(D(0x100), 4), 0);
}

/* OP-TEE's probe_redist_base_addrs(): frames until GICR_TYPER.Last. */
static void test_redistributors_by_typer(void **state)
{
	uint64_t t0, t1;

	(void)state;
	t0 = rd(R(0, 0x8), 8);
	t1 = rd(R(1, 0x8), 8);
	assert_int_equal(t0 >> 32, 0);
	assert_int_equal(t1 >> 32, 1);
	assert_false(t0 & 0x10);
	assert_true(t1 & 0x10);
	assert_int_equal(rd(R(1, 0xc), 4), 1); /* the upper half alone */
	assert_true(tee_gic_claims(&gic, R(1, 0x10100)));
	assert_false(tee_gic_claims(&gic, R(2, 0x8))); /* no third vCPU */
	assert_false(tee_gic_claims(&gic, PLAT_UART1_BASE));
	assert_int_equal(rd(R(2, 0x8), 8), 0);
}

/* Per-CPU SGIs/PPIs in the redistributor, each CPU its own. */
static void test_redistributor_state(void **state)
{
	(void)state;
	wr(R(0, 0x10080), 4, 0xffff00ff);          /* IGROUPR0: SGIs 8..15 secure */
	wr(R(0, 0x10d00), 4, 0x0000ff00);          /* IGRPMODR0 */
	assert_int_equal(rd(R(0, 0x10080), 4), 0xffff00ff);
	wr(R(1, 0x10080), 4, 0);
	assert_int_equal(rd(R(0, 0x10080), 4), 0xffff00ff); /* the other CPU's is apart */
	wr(R(1, 0x10100), 4, 1U << 9);             /* ISENABLER0 */
	wr(R(1, 0x10100), 4, 1U << 27);
	wr(R(1, 0x10180), 4, 1U << 9);             /* ICENABLER0 */
	assert_int_equal(rd(R(1, 0x10100), 4), 1U << 27);
	assert_int_equal(rd(R(1, 0x10180), 4), 1U << 27);
	wr(R(0, 0x10409), 1, 0x40);                /* IPRIORITYR, one byte */
	assert_int_equal(rd(R(0, 0x10408), 4), 0x4000);
	assert_int_equal(rd(R(0, 0x10c00), 4), 0xaaaaaaaa); /* SGIs: edge, read-only */
	assert_int_equal(rd(R(0, 0x0), 4) & 0x8, 0);       /* GICR_CTLR.RWP never set */
	wr(R(0, 0x14), 4, 0x2);                             /* WAKER.ProcessorSleep */
	assert_int_equal(rd(R(0, 0x14), 4), 0x6);
	wr(R(0, 0x14), 4, 0);
	assert_int_equal(rd(R(0, 0x14), 4), 0);
}

/* An SPI as OP-TEE adds its console's (INTID 40): group, priority, route, enable. */
static void test_spi_configuration(void **state)
{
	(void)state;
	wr(D(0x180 + 4), 4, 1U << 8);
	wr(D(0x280 + 4), 4, 1U << 8);
	wr(D(0x80 + 4), 4, 0xfffffeff);
	wr(D(0xd00 + 4), 4, 1U << 8);
	wr(D(0x400 + 40), 1, 0x1);
	wr(D(0x6000 + 8 * 40), 8, 0x1);
	wr(D(0x100 + 4), 4, 1U << 8);
	assert_int_equal(rd(D(0x80 + 4), 4), 0xfffffeff);
	assert_int_equal(rd(D(0xd00 + 4), 4), 1U << 8);
	assert_int_equal(rd(D(0x428), 4), 0x1);
	assert_int_equal(rd(D(0x6000 + 8 * 40), 8), 1);
	wr(D(0x6000 + 8 * 40 + 4), 4, 0x2);
	assert_int_equal(rd(D(0x6000 + 8 * 40), 8), 0x200000001ULL);
	assert_int_equal(rd(D(0x100 + 4), 4), 1U << 8);
	wr(D(0xc00 + 8), 4, 0x20000);                      /* ICFGR2: INTID 40 edge */
	assert_int_equal(rd(D(0xc00 + 8), 4), 0x20000);
	/* Nothing for INTIDs 0..31 in the distributor: no router, no priority, no config. */
	wr(D(0x6000 + 8 * 5), 8, 0x1);
	assert_int_equal(rd(D(0x6000 + 8 * 5), 8), 0);
	wr(D(0x400 + 5), 1, 0x80);
	assert_int_equal(rd(D(0x404), 4), 0);
	wr(D(0xc04), 4, 0xffffffff);
	assert_int_equal(rd(D(0xc04), 4), 0);
}

/* Accesses the architecture does not define read as zero and change nothing. */
static void test_odd_accesses(void **state)
{
	struct tee_gic before;

	(void)state;
	memcpy(&before, &gic, sizeof(gic));
	wr(D(0x102), 4, 0xffffffff);       /* misaligned */
	wr(D(0x100 + 4), 2, 0xffff);       /* 16-bit */
	wr(D(0x100 + 4), 8, ~0ULL);        /* 64-bit */
	wr(D(0x6000 + 8 * 40 + 4), 8, 1);  /* 64-bit across two routers */
	wr(D(0xfff0), 4, 0xffffffff);      /* beyond the registers */
	wr(D(0x4), 4, 0);                  /* TYPER is read-only */
	assert_memory_equal(&before, &gic, sizeof(gic));
	assert_int_equal(rd(D(0x102), 4), 0);
	assert_int_equal(rd(D(0x4), 4) & 0x1f, 8);
}

/* At reset, as TF-A leaves the GIC: SPIs and PPIs non-secure group 1, SGIs 8..15 secure. */
static void test_reset_groups_as_tfa(void **state)
{
	(void)state;
	assert_int_equal(rd(D(0x80 + 4 * 6), 4), 0xffffffff); /* IGROUPR6: INTIDs 192..223 */
	assert_int_equal(rd(D(0xd00 + 4 * 6), 4), 0);
	assert_int_equal(rd(R(1, 0x10080), 4), 0xffff00ff);
	assert_int_equal(rd(R(1, 0x10d00), 4), 0x0000ff00);
}

#define BIT219 (1U << (219 % 32))

/* OP-TEE's notif_send_async(): ISPENDR for INTID 219, non-secure group 1. */
static void test_ns_spi_raised_for_the_vm(void **state)
{
	(void)state;
	assert_false(tee_gic_raised_new(&gic));
	assert_int_equal(tee_gic_take_raised(&gic), 0);
	wr(D(0x200 + 4 * 6), 4, BIT219);
	assert_true(tee_gic_raised_new(&gic));
	assert_false(tee_gic_raised_new(&gic)); /* reported once */
	assert_int_equal(rd(D(0x200 + 4 * 6), 4), BIT219);
	wr(D(0x200 + 4 * 6), 4, BIT219); /* again before it was taken: nothing new */
	assert_false(tee_gic_raised_new(&gic));
	assert_int_equal(tee_gic_take_raised(&gic), 219);
	assert_int_equal(tee_gic_take_raised(&gic), 0);
	assert_int_equal(rd(D(0x200 + 4 * 6), 4), 0);
	/* Several at once come out lowest first. */
	wr(D(0x200 + 4 * 1), 4, 0x3);
	wr(D(0x200 + 4 * 8), 4, 1U << 31);
	assert_true(tee_gic_raised_new(&gic));
	assert_int_equal(tee_gic_take_raised(&gic), 32);
	assert_int_equal(tee_gic_take_raised(&gic), 33);
	assert_int_equal(tee_gic_take_raised(&gic), 287);
	assert_int_equal(tee_gic_take_raised(&gic), 0);
}

/* A secure SPI (group 0, or secure group 1 as OP-TEE makes its own) never leaves the view. */
static void test_secure_spi_not_raised(void **state)
{
	(void)state;
	wr(D(0x80 + 4 * 6), 4, ~BIT219); /* group 0 */
	wr(D(0x200 + 4 * 6), 4, BIT219);
	assert_false(tee_gic_raised_new(&gic));
	assert_int_equal(tee_gic_take_raised(&gic), 0);
	assert_int_equal(rd(D(0x200 + 4 * 6), 4), BIT219); /* pending for the TEE */
	wr(D(0x280 + 4 * 6), 4, BIT219);
	assert_int_equal(rd(D(0x200 + 4 * 6), 4), 0);
	wr(D(0xd00 + 4 * 6), 4, BIT219); /* secure group 1 */
	wr(D(0x200 + 4 * 6), 4, BIT219);
	assert_false(tee_gic_raised_new(&gic));
	assert_int_equal(tee_gic_take_raised(&gic), 0);
	/* Group 1 with the modifier set is secure too, whatever IGROUPR says. */
	wr(D(0x80 + 4 * 6), 4, 0xffffffff);
	wr(D(0x200 + 4 * 6), 4, BIT219);
	assert_int_equal(tee_gic_take_raised(&gic), 0);
	/* SGIs and PPIs are each CPU's: never raised for the VM. */
	wr(R(0, 0x10200), 4, 0xffffffff);
	assert_false(tee_gic_raised_new(&gic));
	assert_int_equal(tee_gic_take_raised(&gic), 0);
}

/* ICPENDR withdraws a raise not yet taken; a reset of the VM drops them all. */
static void test_raise_withdrawn_and_dropped(void **state)
{
	(void)state;
	wr(D(0x200 + 4 * 6), 4, BIT219 | 1);
	wr(D(0x280 + 4 * 6), 4, BIT219);
	assert_int_equal(tee_gic_take_raised(&gic), 192);
	assert_int_equal(tee_gic_take_raised(&gic), 0);
	wr(D(0x200 + 4 * 6), 4, BIT219);
	tee_gic_drop_raised(&gic);
	assert_false(tee_gic_raised_new(&gic));
	assert_int_equal(tee_gic_take_raised(&gic), 0);
}

/* The secure UART's receive interrupt as OP-TEE and our TEE set it up: secure group 1. */
#define UART1 40
#define BIT40 (1U << (UART1 % 32))
static void setup_uart1_secure(void)
{
	wr(D(0x80 + 4), 4, ~BIT40);      /* IGROUPR1: group 0 ... */
	wr(D(0xd00 + 4), 4, BIT40);      /* ... IGRPMODR1: secure group 1 */
	wr(D(0x400 + UART1), 1, 0x10);   /* priority */
	wr(D(0x100 + 4), 4, BIT40);      /* enabled */
	wr(D(0x0), 4, 0x4);              /* EnableGrp1S */
}

static void test_secure_line_signalled(void **state)
{
	struct tee_gic_irq irq;

	(void)state;
	setup_uart1_secure();
	assert_false(tee_gic_secure_next(&gic, 0, &irq));
	assert_int_equal(tee_gic_secure_cpus(&gic), 0);
	tee_gic_set_line(&gic, UART1, true);
	assert_int_equal(rd(D(0x200 + 4), 4) & BIT40, BIT40); /* a level shows as pending */
	assert_int_equal(tee_gic_secure_cpus(&gic), 1);
	assert_true(tee_gic_secure_next(&gic, 0, &irq));
	assert_int_equal(irq.intid, UART1);
	assert_int_equal(irq.prio, 0x10);
	assert_true(irq.group1);
	assert_false(tee_gic_secure_next(&gic, 1, &irq)); /* routed to vCPU 0 */
	/* Nothing of it is the normal world's. */
	assert_false(tee_gic_raised_new(&gic));
	assert_int_equal(tee_gic_take_raised(&gic), 0);
}

/* Every condition of a GIC's CPU interface, one at a time: none signals it. */
static void test_secure_line_conditions(void **state)
{
	struct tee_gic_irq irq;

	(void)state;
	setup_uart1_secure();
	tee_gic_set_line(&gic, UART1, true);
	wr(D(0x180 + 4), 4, BIT40); /* disabled */
	assert_false(tee_gic_secure_next(&gic, 0, &irq));
	wr(D(0x100 + 4), 4, BIT40);
	wr(D(0x0), 4, 0x1); /* secure group 1 off in the distributor (group 0 on) */
	assert_false(tee_gic_secure_next(&gic, 0, &irq));
	wr(D(0xd00 + 4), 4, 0); /* group 0: on with EnableGrp0, signalled as group 0 */
	assert_true(tee_gic_secure_next(&gic, 0, &irq));
	assert_false(irq.group1);
	wr(D(0x0), 4, 0x4);
	assert_false(tee_gic_secure_next(&gic, 0, &irq));
	wr(D(0xd00 + 4), 4, BIT40);
	wr(D(0x80 + 4), 4, 0xffffffff); /* non-secure group 1: the VM's, never the TEE's */
	assert_false(tee_gic_secure_next(&gic, 0, &irq));
	wr(D(0x80 + 4), 4, ~BIT40);
	wr(D(0x6000 + 8 * UART1), 8, 1); /* to vCPU 1 */
	assert_false(tee_gic_secure_next(&gic, 0, &irq));
	assert_true(tee_gic_secure_next(&gic, 1, &irq));
	assert_int_equal(tee_gic_secure_cpus(&gic), 2);
	wr(D(0x6000 + 8 * UART1), 8, 0x100); /* an affinity with no vCPU: nowhere */
	assert_int_equal(tee_gic_secure_cpus(&gic), 0);
	wr(D(0x6000 + 8 * UART1), 8, 1ULL << 31); /* IRM: any, here vCPU 0 */
	assert_true(tee_gic_secure_next(&gic, 0, &irq));
	tee_gic_set_line(&gic, UART1, false);
	assert_false(tee_gic_secure_next(&gic, 0, &irq));
}

static void test_secure_list_register_states(void **state)
{
	struct tee_gic_irq irq;

	(void)state;
	setup_uart1_secure();
	tee_gic_set_line(&gic, UART1, true);
	assert_true(tee_gic_secure_next(&gic, 0, &irq));
	tee_gic_secure_load(&gic, UART1);
	assert_false(tee_gic_secure_next(&gic, 0, &irq)); /* with the vCPU: not twice */
	tee_gic_secure_unload(&gic, UART1, 1);             /* never acknowledged */
	assert_true(tee_gic_secure_next(&gic, 0, &irq));
	tee_gic_secure_load(&gic, UART1);
	tee_gic_secure_unload(&gic, UART1, 2); /* acknowledged, not ended: active */
	assert_int_equal(rd(D(0x300 + 4), 4) & BIT40, BIT40);
	assert_false(tee_gic_secure_next(&gic, 0, &irq));
	tee_gic_secure_unload(&gic, UART1, 0); /* ended; the line is still high */
	assert_int_equal(rd(D(0x300 + 4), 4) & BIT40, 0);
	assert_true(tee_gic_secure_next(&gic, 0, &irq));
	tee_gic_set_line(&gic, UART1, false);
	assert_false(tee_gic_secure_next(&gic, 0, &irq));
	/* Out-of-range INTIDs are ignored. */
	tee_gic_set_line(&gic, 5, true);
	tee_gic_set_line(&gic, TEE_GIC_NIRQ, true);
	tee_gic_secure_load(&gic, 3);
	tee_gic_secure_unload(&gic, TEE_GIC_NIRQ, 0);
	assert_int_equal(tee_gic_secure_cpus(&gic), 0);
}

/* Its own ISPENDR write to a secure SPI: pending for itself, until ended. Priority decides. */
static void test_secure_self_raise_and_priority(void **state)
{
	struct tee_gic_irq irq;

	(void)state;
	setup_uart1_secure();
	wr(D(0x80 + 4 * 6), 4, ~BIT219);
	wr(D(0xd00 + 4 * 6), 4, BIT219);
	wr(D(0x400 + 219), 1, 0x08);
	wr(D(0x100 + 4 * 6), 4, BIT219);
	tee_gic_set_line(&gic, UART1, true);
	wr(D(0x200 + 4 * 6), 4, BIT219);
	assert_true(tee_gic_secure_next(&gic, 0, &irq));
	assert_int_equal(irq.intid, 219); /* 0x08 before 0x10 */
	tee_gic_secure_load(&gic, 219);
	assert_true(tee_gic_secure_next(&gic, 0, &irq));
	assert_int_equal(irq.intid, UART1);
	tee_gic_secure_unload(&gic, 219, 0);
	assert_int_equal(rd(D(0x200 + 4 * 6), 4) & BIT219, 0); /* edge: done */
	wr(D(0x400 + 219), 1, 0x10);                          /* same priority: lower INTID */
	wr(D(0x200 + 4 * 6), 4, BIT219);
	assert_true(tee_gic_secure_next(&gic, 0, &irq));
	assert_int_equal(irq.intid, UART1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_identification, setup),
		cmocka_unit_test_setup(test_probe_max_interrupt, setup),
		cmocka_unit_test_setup(test_redistributors_by_typer, setup),
		cmocka_unit_test_setup(test_redistributor_state, setup),
		cmocka_unit_test_setup(test_spi_configuration, setup),
		cmocka_unit_test_setup(test_odd_accesses, setup),
		cmocka_unit_test_setup(test_reset_groups_as_tfa, setup),
		cmocka_unit_test_setup(test_ns_spi_raised_for_the_vm, setup),
		cmocka_unit_test_setup(test_secure_spi_not_raised, setup),
		cmocka_unit_test_setup(test_raise_withdrawn_and_dropped, setup),
		cmocka_unit_test_setup(test_secure_line_signalled, setup),
		cmocka_unit_test_setup(test_secure_line_conditions, setup),
		cmocka_unit_test_setup(test_secure_list_register_states, setup),
		cmocka_unit_test_setup(test_secure_self_raise_and_priority, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
