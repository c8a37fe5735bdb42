/* SPDX-License-Identifier: MIT */
/*
 * Page-table construction over fake table memory. Expected descriptors
 * are written out as constants worked out by hand from the VMSAv8-64
 * formats, not recomputed with the code under test.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <arch/fake_mem.h>
#include <policy/pgtable.h>

#define POOL_PA 0x80000000UL
#define POOL_PAGES 64

#define SZ_4K 0x1000UL
#define SZ_2M 0x200000UL
#define SZ_1G 0x40000000UL

struct fx {
	struct fake_mem mem;
	struct pt pt;
	uint64_t rw;  /* normal RW, XN */
	uint64_t rx;  /* normal RX */
};

static int fx_setup_regime(void **state, enum pt_regime regime, unsigned level,
			   unsigned va_bits)
{
	struct fx *fx = test_calloc(1, sizeof(*fx));
	uint64_t root;

	assert_non_null(fx);
	assert_int_equal(fake_mem_init(&fx->mem, POOL_PA, POOL_PAGES), 0);
	assert_int_equal(fake_mem_alloc(&fx->mem, &root), 0);
	assert_int_equal(pt_init(&fx->pt, regime, root, level, va_bits, &fx->mem.ops), 0);
	assert_int_equal(pt_leaf_attrs(regime, PT_PERM_R | PT_PERM_W, PT_MEM_NORMAL, &fx->rw), 0);
	assert_int_equal(pt_leaf_attrs(regime, PT_PERM_R | PT_PERM_X, PT_MEM_NORMAL, &fx->rx), 0);
	*state = fx;
	return 0;
}

/* The stage-2 layout vTZ uses: level 1 start, 39-bit IPA. */
static int fx_setup_s2(void **state)
{
	return fx_setup_regime(state, PT_REGIME_S2, PT_S2_START_LEVEL, PT_S2_VA_BITS);
}

static int fx_setup_s1_l0(void **state)
{
	return fx_setup_regime(state, PT_REGIME_S1_EL2, 0, 48);
}

static int fx_setup_s2_l2(void **state)
{
	return fx_setup_regime(state, PT_REGIME_S2, 2, 30);
}

static int fx_teardown(void **state)
{
	struct fx *fx = *state;

	fake_mem_destroy(&fx->mem);
	test_free(fx);
	return 0;
}

static uint64_t *tbl(struct fx *fx, uint64_t pa)
{
	uint64_t *t = fake_mem_ptr(&fx->mem, pa & PTE_ADDR_MASK);

	assert_non_null(t);
	return t;
}

static void assert_unmapped(struct fx *fx, uint64_t va, uint64_t size)
{
	uint64_t off;

	for (off = 0; off < size; off += SZ_4K)
		assert_int_equal(pt_lookup(&fx->pt, va + off, NULL, NULL), -PT_ERR_NOT_MAPPED);
}

static void assert_maps(struct fx *fx, uint64_t va, uint64_t pa, uint64_t size)
{
	uint64_t off, got;

	for (off = 0; off < size; off += SZ_4K) {
		assert_int_equal(pt_lookup(&fx->pt, va + off, &got, NULL), 0);
		assert_int_equal(got, pa + off);
	}
}

/* ------------------------------------------------------------ attributes */

static void test_attrs_s2(void **state)
{
	uint64_t a;

	(void)state;
	/* MemAttr 0xf<<2 | S2AP RW 0xc0 | SH inner 0x300 | AF 0x400 | XN bit 54 */
	assert_int_equal(pt_leaf_attrs(PT_REGIME_S2, PT_PERM_R | PT_PERM_W, PT_MEM_NORMAL, &a), 0);
	assert_int_equal(a, 0x00400000000007fcUL);
	assert_int_equal(pt_leaf_attrs(PT_REGIME_S2, PT_PERM_R, PT_MEM_NORMAL, &a), 0);
	assert_int_equal(a, 0x000000000000077cUL | PTE_XN);
	assert_int_equal(pt_leaf_attrs(PT_REGIME_S2, PT_PERM_R | PT_PERM_X, PT_MEM_NORMAL, &a), 0);
	assert_int_equal(a, 0x000000000000077cUL);
	/* Stage 2 can express execute-only: S2AP = 00, XN clear. */
	assert_int_equal(pt_leaf_attrs(PT_REGIME_S2, PT_PERM_X, PT_MEM_NORMAL, &a), 0);
	assert_int_equal(a, 0x000000000000073cUL);
	/* Device-nGnRnE: MemAttr 0000. */
	assert_int_equal(pt_leaf_attrs(PT_REGIME_S2, PT_PERM_R | PT_PERM_W, PT_MEM_DEVICE, &a), 0);
	assert_int_equal(a, 0x00400000000007c0UL);
	assert_int_equal(pt_leaf_attrs(PT_REGIME_S2, PT_PERM_R, PT_MEM_DEVICE, &a), 0);
	assert_int_equal(a, 0x0040000000000740UL);
}

/* pt_s2_leaf_attrs is pt_leaf_attrs(PT_REGIME_S2, ...) on every input. */
static void test_attrs_s2_lookup(void **state)
{
	unsigned perms, type;
	uint64_t want, got;
	int rw, rg;

	(void)state;
	for (type = 0; type < 4; type++)
		for (perms = 0; perms < 64; perms++) {
			want = got = 0x5a5a5a5a;
			rw = pt_leaf_attrs(PT_REGIME_S2, perms, (enum pt_memtype)type, &want);
			rg = pt_s2_leaf_attrs(perms, (enum pt_memtype)type, &got);
			assert_int_equal(rg, rw);
			assert_int_equal(got, want); /* equal, and untouched when refused */
			if (rw == 0)
				assert_int_not_equal(got, 0);
		}
	assert_int_equal(pt_s2_leaf_attrs(PT_PERM_R, PT_MEM_NORMAL, NULL), -PT_ERR_PERM);
	assert_int_equal(pt_s2_leaf_attrs(UINT_MAX, PT_MEM_NORMAL, &got), -PT_ERR_PERM);
	assert_int_equal(pt_s2_leaf_attrs(PT_PERM_R, (enum pt_memtype)UINT_MAX, &got),
			 -PT_ERR_PERM);
}

static void test_attrs_s1(void **state)
{
	uint64_t a;

	(void)state;
	/* AttrIndx 1 (0x4) | AP[1] 0x40 | SH 0x300 | AF 0x400, AP[2] 0x80 if RO */
	assert_int_equal(
		pt_leaf_attrs(PT_REGIME_S1_EL2, PT_PERM_R | PT_PERM_W, PT_MEM_NORMAL, &a), 0);
	assert_int_equal(a, 0x0040000000000744UL);
	assert_int_equal(pt_leaf_attrs(PT_REGIME_S1_EL2, PT_PERM_R, PT_MEM_NORMAL, &a), 0);
	assert_int_equal(a, 0x00400000000007c4UL);
	assert_int_equal(
		pt_leaf_attrs(PT_REGIME_S1_EL2, PT_PERM_R | PT_PERM_X, PT_MEM_NORMAL, &a), 0);
	assert_int_equal(a, 0x00000000000007c4UL);
	/* AttrIndx 0 = MAIR byte 0 = Device-nGnRnE. */
	assert_int_equal(
		pt_leaf_attrs(PT_REGIME_S1_EL2, PT_PERM_R | PT_PERM_W, PT_MEM_DEVICE, &a), 0);
	assert_int_equal(a, 0x0040000000000740UL);
	assert_int_equal(pt_leaf_attrs(PT_REGIME_S1_EL2, PT_PERM_R, PT_MEM_DEVICE, &a), 0);
	assert_int_equal(a, 0x00400000000007c0UL);
	/* The MAIR value the indices refer to. */
	assert_int_equal((MAIR_EL2_VALUE >> (8 * MAIR_IDX_NORMAL)) & 0xff, 0xff);
	assert_int_equal((MAIR_EL2_VALUE >> (8 * MAIR_IDX_DEVICE)) & 0xff, 0x00);
}

static void test_attrs_rejected(void **state)
{
	static const enum pt_regime regimes[] = { PT_REGIME_S1_EL2, PT_REGIME_S2 };
	uint64_t a = 0x1234;
	unsigned i;

	(void)state;
	for (i = 0; i < 2; i++) {
		enum pt_regime r = regimes[i];

		assert_int_equal(pt_leaf_attrs(r, 0, PT_MEM_NORMAL, &a), -PT_ERR_PERM);
		assert_int_equal(pt_leaf_attrs(r, PT_PERM_W, PT_MEM_NORMAL, &a), -PT_ERR_PERM);
		assert_int_equal(pt_leaf_attrs(r, PT_PERM_W | PT_PERM_X, PT_MEM_NORMAL, &a),
				 -PT_ERR_PERM);
		/* W+X: refused at EL2; allowed in stage 2 (the guest's stage 1 rules). */
		assert_int_equal(pt_leaf_attrs(r, PT_PERM_R | PT_PERM_W | PT_PERM_X, PT_MEM_NORMAL,
					       &a),
				 r == PT_REGIME_S1_EL2 ? -PT_ERR_PERM : 0);
		if (r == PT_REGIME_S2) {
			assert_true(a & PTE_S2_AP_W);
			assert_false(a & PTE_XN);
		}
		assert_int_equal(pt_leaf_attrs(r, PT_PERM_R | PT_PERM_X, PT_MEM_DEVICE, &a),
				 -PT_ERR_PERM);
		assert_int_equal(pt_leaf_attrs(r, PT_PERM_X, PT_MEM_DEVICE, &a), -PT_ERR_PERM);
		assert_int_equal(pt_leaf_attrs(r, PT_PERM_R | 8, PT_MEM_NORMAL, &a), -PT_ERR_PERM);
		assert_int_equal(pt_leaf_attrs(r, PT_PERM_R, (enum pt_memtype)7, &a), -PT_ERR_PERM);
		assert_int_equal(pt_leaf_attrs(r, PT_PERM_R, PT_MEM_NORMAL, NULL), -PT_ERR_PERM);
	}
	assert_int_equal(pt_leaf_attrs((enum pt_regime)7, PT_PERM_R, PT_MEM_NORMAL, &a),
			 -PT_ERR_PERM);
	/* EL2 stage 1 cannot express execute-only: it would be readable too. */
	a = 0x1234;
	assert_int_equal(pt_leaf_attrs(PT_REGIME_S1_EL2, PT_PERM_X, PT_MEM_NORMAL, &a),
			 -PT_ERR_PERM);
	assert_int_equal(a, 0x1234); /* untouched on refusal */
}

static void test_descriptors(void **state)
{
	uint64_t a;

	(void)state;
	assert_int_equal(pt_leaf_attrs(PT_REGIME_S2, PT_PERM_R | PT_PERM_W, PT_MEM_NORMAL, &a), 0);
	/* Stage-2 normal RW page at 0x40001000. */
	assert_int_equal(pt_make_leaf(0x40001000, a, 3), 0x00400000400017ffUL);
	/* Blocks: type 0b01, address bits below the block size are RES0. */
	assert_int_equal(pt_make_leaf(0x40200000, a, 2), 0x00400000402007fdUL);
	assert_int_equal(pt_make_leaf(0x40201000, a, 2), 0x00400000402007fdUL);
	assert_int_equal(pt_make_leaf(0x40000000, a, 1), 0x00400000400007fdUL);
	assert_int_equal(pt_make_leaf(0x7fe00000, a, 1), 0x00400000400007fdUL);
	/* Stage-1 normal RW page. */
	assert_int_equal(
		pt_leaf_attrs(PT_REGIME_S1_EL2, PT_PERM_R | PT_PERM_W, PT_MEM_NORMAL, &a), 0);
	assert_int_equal(pt_make_leaf(0x40001000, a, 3), 0x0040000040001747UL);
	/* attrs cannot smuggle address or type bits. */
	assert_int_equal(pt_make_leaf(0x40001000, ~0UL, 3), 0xfffc000040001fffUL);
	assert_int_equal(pt_make_leaf(0x40001fff, 0, 3), 0x0000000040001003UL);
	/* No level-0 blocks with a 4 KiB granule; no level 4. */
	assert_int_equal(pt_make_leaf(0, a, 0), 0);
	assert_int_equal(pt_make_leaf(0x40001000, a, 4), 0);
	assert_int_equal(pt_make_table(0x80001000), 0x0000000080001003UL);
	assert_int_equal(pt_make_table(0x80001abc), 0x0000000080001003UL);
	assert_int_equal(pt_make_table(0xffff000080001000UL), 0x0000000080001003UL);
}

/* ------------------------------------------------------------------ init */

static void test_init(void **state)
{
	struct fake_mem mem;
	struct pt pt;
	uint64_t root;

	(void)state;
	assert_int_equal(fake_mem_init(&mem, POOL_PA, 4), 0);
	assert_int_equal(fake_mem_alloc(&mem, &root), 0);
	assert_int_equal(root, POOL_PA);

	assert_int_equal(pt_init(&pt, PT_REGIME_S2, root + 8, 1, 39, &mem.ops), -PT_ERR_ALIGN);
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, root + 0x800, 1, 39, &mem.ops),
			 -PT_ERR_ALIGN);
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, root, 3, 21, &mem.ops), -PT_ERR_RANGE);
	/* va_bits must need exactly the levels from start_level down. */
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, root, 0, 39, &mem.ops), -PT_ERR_RANGE);
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, root, 0, 40, &mem.ops), 0);
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, root, 0, 48, &mem.ops), 0);
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, root, 0, 49, &mem.ops), -PT_ERR_RANGE);
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, root, 1, 30, &mem.ops), -PT_ERR_RANGE);
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, root, 1, 31, &mem.ops), 0);
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, root, 1, 40, &mem.ops), -PT_ERR_RANGE);
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, root, 2, 21, &mem.ops), -PT_ERR_RANGE);
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, root, 2, 22, &mem.ops), 0);
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, root, 2, 30, &mem.ops), 0);
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, root, 2, 31, &mem.ops), -PT_ERR_RANGE);
	assert_int_equal(pt_init(&pt, (enum pt_regime)9, root, 1, 39, &mem.ops), -PT_ERR_RANGE);
	/* Root beyond the PA range, or not in table memory. */
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, 1UL << PT_PA_BITS, 1, 39, &mem.ops),
			 -PT_ERR_RANGE);
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, POOL_PA + 4 * SZ_4K, 1, 39, &mem.ops),
			 -PT_ERR_CORRUPT);
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, 0x1000, 1, 39, &mem.ops), -PT_ERR_CORRUPT);
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, root, 1, 39, NULL), -PT_ERR_CORRUPT);

	assert_int_equal(pt_init(&pt, PT_REGIME_S1_EL2, root, 1, 39, &mem.ops), 0);
	assert_int_equal(pt.regime, PT_REGIME_S1_EL2);
	assert_int_equal(pt.root_pa, root);
	assert_int_equal(pt.start_level, 1);
	assert_int_equal(pt.va_bits, 39);
	assert_ptr_equal(pt.ops, &mem.ops);
	fake_mem_destroy(&mem);
}

/* ------------------------------------------------------------------- map */

static void test_map_page_layout(void **state)
{
	struct fx *fx = *state;
	uint64_t *root = tbl(fx, fx->pt.root_pa), *l2, *l3, pa, desc;

	assert_int_equal(pt_map(&fx->pt, 0x40001000, 0x40001000, SZ_4K, fx->rw, false), 0);
	/* IPA 0x40001000: L1 index 1, L2 index 0, L3 index 1. */
	assert_int_equal(root[1] & 3, 3);
	assert_int_equal(root[0], 0);
	l2 = tbl(fx, root[1]);
	assert_int_equal(l2[0] & 3, 3);
	l3 = tbl(fx, l2[0]);
	assert_int_equal(l3[1], 0x00400000400017ffUL);
	assert_int_equal(l3[0], 0);
	assert_int_equal(l3[2], 0);
	assert_int_equal(fake_mem_used(&fx->mem), 3); /* root, L2, L3 */
	/* Table descriptors are exactly address | 0b11. */
	assert_int_equal(root[1], (root[1] & PTE_ADDR_MASK) | 3);

	assert_int_equal(pt_lookup(&fx->pt, 0x40001000, &pa, &desc), 0);
	assert_int_equal(pa, 0x40001000);
	assert_int_equal(desc, 0x00400000400017ffUL);
	assert_unmapped(fx, 0x40000000, SZ_4K);
	assert_unmapped(fx, 0x40002000, SZ_4K);

	/* A second page in the same L3 table allocates nothing. */
	assert_int_equal(pt_map(&fx->pt, 0x40002000, 0x50000000, SZ_4K, fx->rx, false), 0);
	assert_int_equal(fake_mem_used(&fx->mem), 3);
	assert_int_equal(l3[2], 0x000000005000077fUL);
}

static void test_map_args(void **state)
{
	struct fx *fx = *state;
	struct pt *pt = &fx->pt;

	assert_int_equal(pt_map(pt, 0x40000000, 0x40000000, 0, fx->rw, false), -PT_ERR_SIZE);
	assert_int_equal(pt_map(pt, 0xfffffffffffff000UL, 0x40000000, 0x2000, fx->rw, false),
			 -PT_ERR_SIZE);
	assert_int_equal(pt_map(pt, 0x40000000, 0xfffffffffffff000UL, 0x2000, fx->rw, false),
			 -PT_ERR_SIZE);
	assert_int_equal(pt_map(pt, 0x40000800, 0x40000000, SZ_4K, fx->rw, false), -PT_ERR_ALIGN);
	assert_int_equal(pt_map(pt, 0x40000000, 0x40000004, SZ_4K, fx->rw, false), -PT_ERR_ALIGN);
	assert_int_equal(pt_map(pt, 0x40000000, 0x40000000, 0x1800, fx->rw, false), -PT_ERR_ALIGN);
	/* IPA limit 1 << 39; PA limit 1 << 40. */
	assert_int_equal(pt_map(pt, 1UL << 39, 0x40000000, SZ_4K, fx->rw, false), -PT_ERR_RANGE);
	assert_int_equal(pt_map(pt, (1UL << 39) - SZ_4K, 0x40000000, 2 * SZ_4K, fx->rw, false),
			 -PT_ERR_RANGE);
	assert_int_equal(pt_map(pt, 0x40000000, 1UL << 40, SZ_4K, fx->rw, false), -PT_ERR_RANGE);
	assert_int_equal(pt_map(pt, 0x40000000, (1UL << 40) - SZ_4K, 2 * SZ_4K, fx->rw, false),
			 -PT_ERR_RANGE);
	assert_int_equal(fake_mem_used(&fx->mem), 1); /* nothing allocated */

	/* The last page of both ranges is fine. */
	assert_int_equal(pt_map(pt, (1UL << 39) - SZ_4K, (1UL << 40) - SZ_4K, SZ_4K, fx->rw,
				false), 0);
	assert_maps(fx, (1UL << 39) - SZ_4K, (1UL << 40) - SZ_4K, SZ_4K);
}

static void test_map_attrs_checked(void **state)
{
	struct fx *fx = *state;
	struct pt *pt = &fx->pt;

	/* Address or type bits in attrs. */
	assert_int_equal(pt_map(pt, 0x40000000, 0x40000000, SZ_4K, fx->rw | 0x1000, false),
			 -PT_ERR_PERM);
	assert_int_equal(pt_map(pt, 0x40000000, 0x40000000, SZ_4K, fx->rw | 3, false),
			 -PT_ERR_PERM);
	assert_unmapped(fx, 0x40000000, SZ_4K);
	assert_int_equal(fake_mem_used(&fx->mem), 1);
}

static void test_map_s1_wx_raw(void **state)
{
	struct fx *fx = *state;

	/* Stage 1: AP[2] clear (writable) with XN clear is W+X. */
	assert_int_equal(pt_map(&fx->pt, 0x1000, 0x1000, SZ_4K, fx->rx & ~PTE_S1_AP_RO, false),
			 -PT_ERR_PERM);
	assert_int_equal(pt_map(&fx->pt, 0x1000, 0x1000, SZ_4K, fx->rx, false), 0);
	/* Four levels from level 0: root + L1 + L2 + L3. */
	assert_int_equal(fake_mem_used(&fx->mem), 4);
	assert_int_equal(pt_map(&fx->pt, 0xffff00000000UL, 0x40000000, SZ_4K, fx->rw, false), 0);
	assert_maps(fx, 0xffff00000000UL, 0x40000000, SZ_4K);
	assert_maps(fx, 0x1000, 0x1000, SZ_4K);
}

static void test_map_exists(void **state)
{
	struct fx *fx = *state;
	struct pt *pt = &fx->pt;

	assert_int_equal(pt_map(pt, 0x40003000, 0x60003000, SZ_4K, fx->rw, false), 0);
	/* Overlapping a mapped page anywhere in the range refuses all of it. */
	assert_int_equal(pt_map(pt, 0x40000000, 0x40000000, 0x8000, fx->rw, false),
			 -PT_ERR_EXISTS);
	assert_int_equal(pt_map(pt, 0x40003000, 0x40003000, SZ_4K, fx->rw, false),
			 -PT_ERR_EXISTS);
	assert_int_equal(pt_map(pt, 0x40003000, 0x40003000, SZ_4K, fx->rw, true), -PT_ERR_EXISTS);
	/* And a 2 MiB block over a table that has an entry. */
	assert_int_equal(pt_map(pt, 0x40000000, 0x40000000, SZ_2M, fx->rw, true), -PT_ERR_EXISTS);
	assert_unmapped(fx, 0x40000000, 0x3000);
	assert_unmapped(fx, 0x40004000, 0x4000);
	assert_maps(fx, 0x40003000, 0x60003000, SZ_4K); /* old mapping intact */
}

static void test_map_under_block(void **state)
{
	struct fx *fx = *state;
	struct pt *pt = &fx->pt;
	uint64_t *root = tbl(fx, pt->root_pa), *l2;

	assert_int_equal(pt_map(pt, 0x40200000, 0x80200000, SZ_2M, fx->rw, true), 0);
	l2 = tbl(fx, root[1]);
	assert_int_equal(l2[1], 0x00400000802007fdUL);
	/* A page inside the block is mapped already. */
	assert_int_equal(pt_map(pt, 0x40201000, 0x90000000, SZ_4K, fx->rw, false),
			 -PT_ERR_EXISTS);
	assert_int_equal(pt_map(pt, 0x40200000, 0x80200000, SZ_2M, fx->rw, true), -PT_ERR_EXISTS);
	assert_int_equal(pt_map(pt, 0x40000000, 0x40000000, SZ_1G, fx->rw, true), -PT_ERR_EXISTS);
	assert_int_equal(pt_map(pt, 0x401ff000, 0x401ff000, 0x2000, fx->rw, false),
			 -PT_ERR_EXISTS);
	assert_unmapped(fx, 0x401ff000, SZ_4K);
	assert_int_equal(l2[1], 0x00400000802007fdUL);
	/* A 1 GiB block under which an L2 table exists is refused too. */
	assert_int_equal(pt_map(pt, 0x40000000, 0, SZ_1G, fx->rw, true), -PT_ERR_EXISTS);
}

static void test_map_blocks(void **state)
{
	struct fx *fx = *state;
	struct pt *pt = &fx->pt;
	uint64_t *root = tbl(fx, pt->root_pa), *l2, desc, pa;

	/* 1 GiB at a 1 GiB-aligned IPA and PA: one L1 block, no table. */
	assert_int_equal(pt_map(pt, 0x40000000, 0xc0000000, SZ_1G, fx->rw, true), 0);
	assert_int_equal(root[1], 0x00400000c00007fdUL);
	assert_int_equal(fake_mem_used(&fx->mem), 1);
	assert_int_equal(pt_lookup(pt, 0x7fffffff & ~0xfffUL, &pa, &desc), 0);
	assert_int_equal(pa, 0xfffff000);
	assert_int_equal(desc, 0x00400000c00007fdUL);

	/* Without allow_blocks the same shape is pages. */
	assert_int_equal(pt_map(pt, 0x80000000, 0x80000000, SZ_2M, fx->rw, false), 0);
	l2 = tbl(fx, root[2]);
	assert_int_equal(l2[0] & 3, 3); /* table, not a block */
	assert_int_equal(tbl(fx, l2[0])[511], 0x00400000801ff7ffUL);

	/*
	 * 2 MiB + 8 KiB from an unaligned start: a page, a 2 MiB block and a
	 * page, because only the middle is 2 MiB aligned in both IPA and PA.
	 */
	assert_int_equal(pt_map(pt, 0x803ff000, 0x903ff000, SZ_2M + 0x2000, fx->rw, true), 0);
	assert_int_equal(l2[1] & 3, 3);
	assert_int_equal(tbl(fx, l2[1])[511], 0x00400000903ff7ffUL);
	assert_int_equal(l2[2], 0x00400000904007fdUL);
	assert_int_equal(l2[3] & 3, 3);
	assert_int_equal(tbl(fx, l2[3])[0], 0x00400000906007ffUL);
	assert_maps(fx, 0x803ff000, 0x903ff000, SZ_2M + 0x2000);

	/* IPA and PA aligned differently: no block possible, pages only. */
	assert_int_equal(pt_map(pt, 0x80800000, 0xa0801000, SZ_2M, fx->rw, true), 0);
	assert_int_equal(l2[4] & 3, 3);
	assert_maps(fx, 0x80800000, 0xa0801000, SZ_2M);

	/* A 2 MiB-aligned 4 MiB range is two blocks. */
	assert_int_equal(pt_map(pt, 0x80c00000, 0xa0c00000, 2 * SZ_2M, fx->rw, true), 0);
	assert_int_equal(l2[6], 0x00400000a0c007fdUL);
	assert_int_equal(l2[7], 0x00400000a0e007fdUL);
}

static void test_map_blocks_over_empty_table(void **state)
{
	struct fx *fx = *state;
	struct pt *pt = &fx->pt;
	uint64_t *root = tbl(fx, pt->root_pa), *l2;
	unsigned used;

	/* Leave an empty L3 table in the 2 MiB slot at 0x40200000. */
	assert_int_equal(pt_map(pt, 0x40200000, 0x40200000, SZ_4K, fx->rw, false), 0);
	assert_int_equal(pt_unmap(pt, 0x40200000, SZ_4K), 0);
	used = fake_mem_used(&fx->mem);
	l2 = tbl(fx, root[1]);
	/* The table entry is valid, so it is kept and filled with pages. */
	assert_int_equal(pt_map(pt, 0x40200000, 0x40200000, SZ_2M, fx->rw, true), 0);
	assert_int_equal(l2[1] & 3, 3);
	assert_int_equal(tbl(fx, l2[1])[0], 0x00400000402007ffUL);
	assert_int_equal(fake_mem_used(&fx->mem), used);
	assert_maps(fx, 0x40200000, 0x40200000, SZ_2M);

	/*
	 * A 1 GiB slot holding an L2 table (with an empty L3 table in it):
	 * 2 MiB blocks beneath, pages beneath the L3 table, no new tables.
	 */
	assert_int_equal(pt_unmap(pt, 0x40200000, SZ_2M), 0);
	assert_int_equal(pt_map(pt, 0x40000000, 0x40000000, SZ_1G, fx->rw, true), 0);
	assert_int_equal(root[1] & 3, 3);
	assert_int_equal(l2[0], 0x00400000400007fdUL);
	assert_int_equal(l2[1] & 3, 3);
	assert_int_equal(tbl(fx, l2[1])[511], 0x00400000403ff7ffUL);
	assert_int_equal(l2[2], 0x00400000404007fdUL);
	assert_int_equal(l2[511], 0x004000007fe007fdUL);
	assert_int_equal(fake_mem_used(&fx->mem), used);
	assert_maps(fx, 0x40000000, 0x40000000, 0x600000);
	assert_maps(fx, 0x7ffff000, 0x7ffff000, SZ_4K);
}

static void test_map_nomem_writes_no_leaf(void **state)
{
	struct fx *fx = *state;
	struct pt *pt = &fx->pt;
	unsigned i, j;

	/* 4 MiB of pages needs an L2 table and two L3 tables: allow two. */
	fake_mem_set_alloc_limit(&fx->mem, 2);
	assert_int_equal(pt_map(pt, 0x40000000, 0x40000000, 2 * SZ_2M, fx->rw, false),
			 -PT_ERR_NOMEM);
	assert_unmapped(fx, 0x40000000, 2 * SZ_2M);
	/* Scan every table page handed out: no leaf anywhere. */
	for (i = 1; i < fake_mem_used(&fx->mem); i++) {
		uint64_t *t = tbl(fx, POOL_PA + i * SZ_4K);

		for (j = 0; j < PT_ENTRIES; j++)
			assert_true(t[j] == 0 || (t[j] & 3) == 3);
	}
	/* The L3 tables are empty: no entry in them at all. */
	for (j = 0; j < PT_ENTRIES; j++)
		assert_int_equal(tbl(fx, POOL_PA + 2 * SZ_4K)[j], 0);

	/* With memory again the retry succeeds and reuses what was built. */
	fake_mem_set_alloc_limit(&fx->mem, FAKE_MEM_NO_LIMIT);
	assert_int_equal(pt_map(pt, 0x40000000, 0x40000000, 2 * SZ_2M, fx->rw, false), 0);
	assert_int_equal(fake_mem_used(&fx->mem), 4);
	assert_maps(fx, 0x40000000, 0x40000000, 2 * SZ_2M);
}

static void test_map_pool_exhausted(void **state)
{
	struct fake_mem mem;
	struct pt pt;
	uint64_t root, rw;

	(void)state;
	assert_int_equal(fake_mem_init(&mem, POOL_PA, 2), 0);
	assert_int_equal(fake_mem_alloc(&mem, &root), 0);
	assert_int_equal(pt_init(&pt, PT_REGIME_S2, root, 1, 39, &mem.ops), 0);
	assert_int_equal(pt_leaf_attrs(PT_REGIME_S2, PT_PERM_R, PT_MEM_NORMAL, &rw), 0);
	assert_int_equal(pt_map(&pt, 0x1000, 0x1000, SZ_4K, rw, false), -PT_ERR_NOMEM);
	assert_int_equal(pt_lookup(&pt, 0x1000, NULL, NULL), -PT_ERR_NOT_MAPPED);
	/* A block needs no table below the root. */
	assert_int_equal(pt_map(&pt, 0, 0, SZ_2M, rw, true), 0);
	assert_int_equal(pt_lookup(&pt, 0x1000, NULL, NULL), 0);
	fake_mem_destroy(&mem);
}

static void test_corrupt_table(void **state)
{
	struct fx *fx = *state;
	struct pt *pt = &fx->pt;
	uint64_t *root = tbl(fx, pt->root_pa), *l2;

	/* A table descriptor pointing at ordinary RAM, outside table memory. */
	root[1] = pt_make_table(0x40000000);
	assert_int_equal(pt_map(pt, 0x40001000, 0x40001000, SZ_4K, fx->rw, false),
			 -PT_ERR_CORRUPT);
	assert_int_equal(pt_lookup(pt, 0x40001000, NULL, NULL), -PT_ERR_CORRUPT);
	assert_int_equal(pt_unmap(pt, 0x40001000, SZ_4K), -PT_ERR_CORRUPT);
	/* Just past the pool. */
	root[1] = pt_make_table(POOL_PA + POOL_PAGES * SZ_4K);
	assert_int_equal(pt_map(pt, 0x40001000, 0x40001000, SZ_4K, fx->rw, true),
			 -PT_ERR_CORRUPT);

	/* Same one level down. */
	root[1] = 0;
	assert_int_equal(pt_map(pt, 0x40001000, 0x40001000, SZ_4K, fx->rw, false), 0);
	l2 = tbl(fx, root[1]);
	l2[0] = pt_make_table(0x1000);
	assert_int_equal(pt_lookup(pt, 0x40001000, NULL, NULL), -PT_ERR_CORRUPT);
	assert_int_equal(pt_map(pt, 0x40002000, 0x40002000, SZ_4K, fx->rw, false),
			 -PT_ERR_CORRUPT);
	assert_int_equal(pt_unmap(pt, 0x40001000, SZ_4K), -PT_ERR_CORRUPT);
}

static void test_corrupt_level0_block(void **state)
{
	struct fx *fx = *state;
	uint64_t *root = tbl(fx, fx->pt.root_pa);

	/* Bits 0b01 at level 0 is not an encoding the 4 KiB granule has. */
	root[0] = 0x40000000UL | 0x401;
	assert_int_equal(pt_map(&fx->pt, 0x1000, 0x1000, SZ_4K, fx->rw, false), -PT_ERR_CORRUPT);
	assert_int_equal(pt_lookup(&fx->pt, 0x1000, NULL, NULL), -PT_ERR_CORRUPT);
	assert_int_equal(pt_unmap(&fx->pt, 0, SZ_4K), -PT_ERR_CORRUPT);
}

static void test_start_level2(void **state)
{
	struct fx *fx = *state;
	uint64_t *root = tbl(fx, fx->pt.root_pa);

	/* 30-bit input range, root at level 2. */
	assert_int_equal(pt_map(&fx->pt, 0x200000, 0x40200000, SZ_2M, fx->rw, true), 0);
	assert_int_equal(root[1], 0x00400000402007fdUL);
	assert_int_equal(pt_map(&fx->pt, 0x3ffff000, 0x1000, SZ_4K, fx->rw, false), 0);
	assert_maps(fx, 0x3ffff000, 0x1000, SZ_4K);
	assert_int_equal(pt_map(&fx->pt, 0x40000000, 0x1000, SZ_4K, fx->rw, false),
			 -PT_ERR_RANGE);
	assert_int_equal(pt_lookup(&fx->pt, 0x40000000, NULL, NULL), -PT_ERR_RANGE);
}

/* ----------------------------------------------------------------- unmap */

static void test_unmap_pages(void **state)
{
	struct fx *fx = *state;
	struct pt *pt = &fx->pt;

	assert_int_equal(pt_map(pt, 0x40000000, 0x40000000, 0x4000, fx->rw, false), 0);
	assert_int_equal(pt_unmap(pt, 0x40001000, 0x2000), 0);
	assert_maps(fx, 0x40000000, 0x40000000, SZ_4K);
	assert_unmapped(fx, 0x40001000, 0x2000);
	assert_maps(fx, 0x40003000, 0x40003000, SZ_4K);
	/* Unmapped pages can be mapped again. */
	assert_int_equal(pt_map(pt, 0x40001000, 0x50001000, 0x2000, fx->rw, false), 0);
	assert_maps(fx, 0x40001000, 0x50001000, 0x2000);
}

static void test_unmap_not_mapped(void **state)
{
	struct fx *fx = *state;
	struct pt *pt = &fx->pt;

	assert_int_equal(pt_unmap(pt, 0x40000000, SZ_4K), -PT_ERR_NOT_MAPPED);
	assert_int_equal(pt_map(pt, 0x40000000, 0x40000000, 0x2000, fx->rw, false), 0);
	/* The hole at the end is found before the first two pages are cleared. */
	assert_int_equal(pt_unmap(pt, 0x40000000, 0x3000), -PT_ERR_NOT_MAPPED);
	assert_maps(fx, 0x40000000, 0x40000000, 0x2000);
	/* Same for a hole at the very first level. */
	assert_int_equal(pt_unmap(pt, 0x3ffff000, 0x2000), -PT_ERR_NOT_MAPPED);
	assert_maps(fx, 0x40000000, 0x40000000, SZ_4K);
	assert_int_equal(pt_unmap(pt, 0x40000000, 0x2000), 0);
	assert_int_equal(pt_unmap(pt, 0x40000000, 0x2000), -PT_ERR_NOT_MAPPED);
}

static void test_unmap_args(void **state)
{
	struct fx *fx = *state;
	struct pt *pt = &fx->pt;

	assert_int_equal(pt_unmap(pt, 0x40000000, 0), -PT_ERR_SIZE);
	assert_int_equal(pt_unmap(pt, 0xfffffffffffff000UL, 0x2000), -PT_ERR_SIZE);
	assert_int_equal(pt_unmap(pt, 0x40000010, SZ_4K), -PT_ERR_ALIGN);
	assert_int_equal(pt_unmap(pt, 0x40000000, 0x10), -PT_ERR_ALIGN);
	assert_int_equal(pt_unmap(pt, 1UL << 39, SZ_4K), -PT_ERR_RANGE);
	assert_int_equal(pt_unmap(pt, (1UL << 39) - SZ_4K, 2 * SZ_4K), -PT_ERR_RANGE);
}

static void test_unmap_blocks(void **state)
{
	struct fx *fx = *state;
	struct pt *pt = &fx->pt;

	assert_int_equal(pt_map(pt, 0x40200000, 0x40200000, SZ_2M, fx->rw, true), 0);
	/* Any range covering part of the block would need a split. */
	assert_int_equal(pt_unmap(pt, 0x40201000, SZ_4K), -PT_ERR_BLOCK);
	assert_int_equal(pt_unmap(pt, 0x40200000, SZ_2M / 2), -PT_ERR_BLOCK);
	assert_int_equal(pt_unmap(pt, 0x40300000, SZ_2M), -PT_ERR_BLOCK);
	assert_maps(fx, 0x40200000, 0x40200000, SZ_2M);
	/* The exact block is fine. */
	assert_int_equal(pt_unmap(pt, 0x40200000, SZ_2M), 0);
	assert_unmapped(fx, 0x40200000, SZ_2M);

	/* 1 GiB block: partial refused, whole accepted. */
	assert_int_equal(pt_map(pt, 0x80000000, 0x80000000, SZ_1G, fx->rw, true), 0);
	assert_int_equal(pt_unmap(pt, 0x80000000, SZ_2M), -PT_ERR_BLOCK);
	assert_int_equal(pt_unmap(pt, 0x80000000, SZ_1G), 0);
	assert_unmapped(fx, 0x80000000, SZ_4K);
	assert_unmapped(fx, 0xbffff000, SZ_4K);

	/* Page, block, page in one range. */
	assert_int_equal(pt_map(pt, 0x403ff000, 0x403ff000, SZ_2M + 0x2000, fx->rw, true), 0);
	assert_int_equal(pt_unmap(pt, 0x403ff000, SZ_2M), -PT_ERR_BLOCK);
	assert_int_equal(pt_unmap(pt, 0x40400000, SZ_2M + 0x2000), -PT_ERR_NOT_MAPPED);
	assert_maps(fx, 0x403ff000, 0x403ff000, SZ_2M + 0x2000);
	assert_int_equal(pt_unmap(pt, 0x403ff000, SZ_2M + 0x2000), 0);
	assert_unmapped(fx, 0x403ff000, 0x2000);
	assert_unmapped(fx, 0x405ff000, 0x2000);
}

/*
 * Found by test/fuzz/fuzz_pgtable: in a table wider than PT_PA_BITS (EL2
 * stage 1 from level 0, 48 bits), pt_map accepts a va at or above 2^40 but
 * pt_unmap refused it with PT_ERR_RANGE, as if the va were an output address.
 */
static void test_unmap_va_above_pa_bits(void **state)
{
	struct fx *fx = *state;
	struct pt *pt = &fx->pt;
	const uint64_t va = 1UL << PT_PA_BITS;

	assert_int_equal(pt_map(pt, va, 0x40000000, 0x2000, fx->rw, false), 0);
	assert_maps(fx, va, 0x40000000, 0x2000);
	assert_int_equal(pt_unmap(pt, va, 0x2000), 0);
	assert_unmapped(fx, va, 0x2000);
	assert_int_equal(pt_unmap(pt, (1UL << 48) - SZ_4K, SZ_4K), -PT_ERR_NOT_MAPPED);
	assert_int_equal(pt_unmap(pt, (1UL << 48) - SZ_4K, 2 * SZ_4K), -PT_ERR_RANGE);
}

/* --------------------------------------------------------------- destroy */

struct destroyed {
	uint64_t leaf_bytes, leaves;
	uint64_t tables[16];
	unsigned n_tables;
};

static void on_removed(void *ctx, uint64_t pa, uint64_t size, uint64_t desc)
{
	struct destroyed *d = ctx;

	(void)pa;
	assert_true(desc & PTE_VALID);
	d->leaf_bytes += size;
	d->leaves++;
}

static void on_freed(void *ctx, uint64_t pa)
{
	struct destroyed *d = ctx;
	unsigned i;

	assert_true(d->n_tables < 16);
	d->tables[d->n_tables++] = pa;
	for (i = 0; i < d->n_tables - 1; i++)
		assert_int_not_equal(d->tables[i], pa); /* each table freed once */
}

static const struct pt_destroy_ops destroy_ops = { on_removed, on_freed };

static void test_destroy_all(void **state)
{
	struct fx *fx = *state;
	struct pt *pt = &fx->pt, copy;
	struct destroyed d = { 0 };
	uint64_t root = pt->root_pa;
	unsigned i, j;

	/* A page, a 2 MiB block, a page in another 1 GiB: root, two L2s, two L3s. */
	assert_int_equal(pt_map(pt, 0x40000000, 0x40000000, SZ_4K, fx->rw, false), 0);
	assert_int_equal(pt_map(pt, 0x40200000, 0x40200000, SZ_2M, fx->rw, true), 0);
	assert_int_equal(pt_map(pt, 0x80001000, 0x50000000, 0x2000, fx->rw, false), 0);
	copy = *pt;
	assert_int_equal(pt_destroy(pt, &destroy_ops, &d), 0);
	assert_int_equal(d.leaves, 4);
	assert_int_equal(d.leaf_bytes, SZ_4K + SZ_2M + 0x2000);
	assert_int_equal(d.n_tables, 5);
	assert_int_equal(d.tables[d.n_tables - 1], root); /* the root last */
	/* Every freed table is all zeros: nothing of the VM's mappings stays. */
	for (i = 0; i < d.n_tables; i++)
		for (j = 0; j < PT_ENTRIES; j++)
			assert_int_equal(tbl(fx, d.tables[i])[j], 0);
	/* The handle is dead; a copy of it sees an empty table. */
	assert_int_equal(pt_lookup(pt, 0x40000000, NULL, NULL), -PT_ERR_CORRUPT);
	assert_int_equal(pt_map(pt, 0x40000000, 0x40000000, SZ_4K, fx->rw, false),
			 -PT_ERR_CORRUPT);
	assert_int_equal(pt_destroy(pt, &destroy_ops, &d), -PT_ERR_CORRUPT);
	assert_int_equal(pt_lookup(&copy, 0x40200000, NULL, NULL), -PT_ERR_NOT_MAPPED);
}

static void test_destroy_empty_and_null_ops(void **state)
{
	struct fx *fx = *state;
	struct pt *pt = &fx->pt;
	struct destroyed d = { 0 };
	static const struct pt_destroy_ops none = { NULL, NULL };

	assert_int_equal(pt_destroy(pt, NULL, &d), -PT_ERR_CORRUPT);
	assert_int_equal(pt_destroy(NULL, &destroy_ops, &d), -PT_ERR_CORRUPT);
	assert_int_equal(pt_map(pt, 0x40000000, 0x40000000, SZ_4K, fx->rw, false), 0);
	assert_int_equal(pt_destroy(pt, &none, NULL), 0);
}

static void test_destroy_corrupt(void **state)
{
	struct fx *fx = *state;
	struct pt *pt = &fx->pt;
	struct destroyed d = { 0 };
	uint64_t *root = tbl(fx, pt->root_pa);

	/* A table descriptor outside table memory: refused, nothing freed from there. */
	root[3] = pt_make_table(0x40000000);
	assert_int_equal(pt_destroy(pt, &destroy_ops, &d), -PT_ERR_CORRUPT);
	assert_int_equal(d.n_tables, 0);
}

static void test_destroy_level0_block(void **state)
{
	struct fx *fx = *state;
	struct destroyed d = { 0 };
	uint64_t *root = tbl(fx, fx->pt.root_pa);

	root[0] = 0x40000000UL | 0x401;
	assert_int_equal(pt_destroy(&fx->pt, &destroy_ops, &d), -PT_ERR_CORRUPT);
	assert_int_equal(d.leaves, 0);
}

/* ---------------------------------------------------------------- lookup */

static void test_lookup_offsets(void **state)
{
	struct fx *fx = *state;
	struct pt *pt = &fx->pt;
	uint64_t pa = 0, desc = 0;

	assert_int_equal(pt_map(pt, 0x1000, 0x40005000, SZ_4K, fx->rw, false), 0);
	assert_int_equal(pt_lookup(pt, 0x1abc, &pa, &desc), 0);
	assert_int_equal(pa, 0x40005abc);
	assert_int_equal(desc, 0x00400000400057ffUL);
	assert_int_equal(pt_lookup(pt, 0x1fff, &pa, NULL), 0);
	assert_int_equal(pa, 0x40005fff);

	assert_int_equal(pt_map(pt, 0x40200000, 0x80200000, SZ_2M, fx->rx, true), 0);
	assert_int_equal(pt_lookup(pt, 0x40312345, &pa, &desc), 0);
	assert_int_equal(pa, 0x80312345);
	assert_int_equal(desc, 0x000000008020077dUL);

	assert_int_equal(pt_map(pt, 0x4000000000UL, 0x40000000, SZ_1G, fx->rw, true), 0);
	assert_int_equal(pt_lookup(pt, 0x4012345678UL, &pa, NULL), 0);
	assert_int_equal(pa, 0x52345678);

	pa = 0x77;
	assert_int_equal(pt_lookup(pt, 0x2000, &pa, &desc), -PT_ERR_NOT_MAPPED);
	assert_int_equal(pa, 0x77);
	assert_int_equal(pt_lookup(pt, 0x80000000, NULL, NULL), -PT_ERR_NOT_MAPPED);
	assert_int_equal(pt_lookup(pt, 1UL << 39, NULL, NULL), -PT_ERR_RANGE);
}

static void test_strerror(void **state)
{
	unsigned i, j;
	const char *s[11];

	(void)state;
	for (i = 0; i <= PT_ERR_CORRUPT; i++) {
		s[i] = pt_strerror(-(int)i);
		assert_non_null(s[i]);
		assert_string_equal(s[i], pt_strerror((int)i));
		assert_string_not_equal(s[i], pt_strerror(100));
		for (j = 0; j < i; j++)
			assert_string_not_equal(s[i], s[j]);
	}
	assert_string_equal(pt_strerror(-100), pt_strerror(100));
	assert_string_equal(pt_strerror(-PT_ERR_NOMEM), "out of table memory");
}

static void test_fake_mem(void **state)
{
	struct fake_mem mem;
	uint64_t pa;

	(void)state;
	assert_int_equal(fake_mem_init(&mem, 0x80000800, 1), -1);
	assert_int_equal(fake_mem_init(&mem, POOL_PA, 2), 0);
	assert_null(fake_mem_ptr(&mem, POOL_PA));
	assert_int_equal(fake_mem_alloc(&mem, &pa), 0);
	assert_non_null(fake_mem_ptr(&mem, POOL_PA));
	assert_null(fake_mem_ptr(&mem, POOL_PA - SZ_4K));
	assert_null(fake_mem_ptr(&mem, POOL_PA + 8));
	assert_null(fake_mem_ptr(&mem, POOL_PA + SZ_4K)); /* not handed out yet */
	assert_int_equal(fake_mem_alloc(&mem, &pa), 0);
	assert_int_equal(pa, POOL_PA + SZ_4K);
	assert_int_equal(fake_mem_alloc(&mem, &pa), -1);
	fake_mem_destroy(&mem);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attrs_s2),
		cmocka_unit_test(test_attrs_s2_lookup),
		cmocka_unit_test(test_attrs_s1),
		cmocka_unit_test(test_attrs_rejected),
		cmocka_unit_test(test_descriptors),
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_fake_mem),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test_setup_teardown(test_map_page_layout, fx_setup_s2, fx_teardown),
		cmocka_unit_test_setup_teardown(test_map_args, fx_setup_s2, fx_teardown),
		cmocka_unit_test_setup_teardown(test_map_attrs_checked, fx_setup_s2, fx_teardown),
		cmocka_unit_test_setup_teardown(test_map_s1_wx_raw, fx_setup_s1_l0, fx_teardown),
		cmocka_unit_test_setup_teardown(test_map_exists, fx_setup_s2, fx_teardown),
		cmocka_unit_test_setup_teardown(test_map_under_block, fx_setup_s2, fx_teardown),
		cmocka_unit_test_setup_teardown(test_map_blocks, fx_setup_s2, fx_teardown),
		cmocka_unit_test_setup_teardown(test_map_blocks_over_empty_table, fx_setup_s2,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_map_nomem_writes_no_leaf, fx_setup_s2,
						fx_teardown),
		cmocka_unit_test(test_map_pool_exhausted),
		cmocka_unit_test_setup_teardown(test_corrupt_table, fx_setup_s2, fx_teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_level0_block, fx_setup_s1_l0,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_start_level2, fx_setup_s2_l2, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unmap_pages, fx_setup_s2, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unmap_not_mapped, fx_setup_s2, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unmap_args, fx_setup_s2, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unmap_blocks, fx_setup_s2, fx_teardown),
		cmocka_unit_test_setup_teardown(test_unmap_va_above_pa_bits, fx_setup_s1_l0,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_lookup_offsets, fx_setup_s2, fx_teardown),
		cmocka_unit_test_setup_teardown(test_destroy_all, fx_setup_s2, fx_teardown),
		cmocka_unit_test_setup_teardown(test_destroy_empty_and_null_ops, fx_setup_s2,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_destroy_corrupt, fx_setup_s2, fx_teardown),
		cmocka_unit_test_setup_teardown(test_destroy_level0_block, fx_setup_s1_l0,
						fx_teardown),
	};

	return cmocka_run_group_tests_name("pgtable", tests, NULL, NULL);
}
