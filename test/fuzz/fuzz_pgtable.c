/* SPDX-License-Identifier: MIT */
/*
 * policy/pgtable.c over arch/fake/fake_mem.c: the input is a table layout
 * and a sequence of map / unmap / lookup operations (the hypervisor asks
 * for them) on a small pool of table pages. A shadow model holds what
 * should be mapped; after every operation the whole table is walked and
 * must hold exactly the model's mappings, with no writable executable EL2
 * leaf, every table linked once, and pt_lookup agreeing. Each result is
 * checked against the header's contract (argument errors in its order; a
 * refused request changes no leaf); pt_unmap_each must report exactly the
 * leaves it removed (see removed_leaf). A "corrupt" operation scribbles on a
 * table page (as a bug elsewhere might); after it only memory safety is
 * checked.
 *
 * Layout: byte 0 picks the table (see configs[]); then 8 bytes per op:
 *   [0] kind (bits 2:0), allow_blocks (bit 3), perms R/W/X (bits 6:4),
 *       device memory (bit 7)
 *   [1] va region (bits 2:0), va + 2 KiB (bit 3), pa + 2 KiB (bit 4),
 *       size unit 4K/2M/1G/raw 64-bit (bits 6:5), pa region high bit (bit 7)
 *   [2..3] va offset in pages (& 0x3ff)   [4..5] pa offset in pages (& 0x1fff),
 *   pa region low bits (bits 15:14)        [6] count of units (& 7)
 *   [7] spare (corrupt: entry index)
 * then, for raw attrs or a raw size, 8 more bytes each.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <arch/fake_mem.h>
#include <policy/pgtable.h>

#include "fuzz_util.h"

#define POOL_PA 0x80000000UL
#define POOL_PAGES 16
#define MAX_OPS 64
#define MAX_RANGES 256
#define MAX_LEAVES (POOL_PAGES * PT_ENTRIES)

#define SZ_4K 0x1000UL
#define SZ_2M 0x200000UL
#define SZ_1G 0x40000000UL
#define PA_LIMIT (1UL << PT_PA_BITS)

/* As in pgtable.c: lower attributes [11:2], upper attributes [63:50]. */
#define LEAF_ATTR_MASK 0xfffc000000000ffcUL

enum op_kind {
	OP_MAP, OP_MAP2, OP_MAP_RAW, OP_UNMAP, OP_UNMAP2, OP_LOOKUP, OP_CORRUPT, OP_MAP3,
};

static const struct config {
	enum pt_regime regime;
	unsigned start_level;
	unsigned va_bits;
} configs[] = {
	{ PT_REGIME_S2, PT_S2_START_LEVEL, PT_S2_VA_BITS }, /* vTZ's stage 2 */
	{ PT_REGIME_S1_EL2, 0, 48 },                        /* EL2 stage 1 */
	{ PT_REGIME_S2, 2, 30 },
	{ PT_REGIME_S1_EL2, 1, 39 },
};

/* A mapping the model holds: [va, va+size) -> pa with leaf attributes. */
struct range {
	uint64_t va, pa, size, attrs;
};

struct leaf {
	uint64_t va, size, desc;
};

static struct fuzz_state {
	struct fake_mem mem;
	struct pt pt;
	uint64_t va_max;
	struct range ranges[MAX_RANGES]; /* sorted by va, disjoint */
	unsigned n_ranges;
	struct leaf leaves[MAX_LEAVES];  /* from the last walk, by va */
	unsigned n_leaves;
} s;

static uint64_t level_size(unsigned level)
{
	return 1UL << (PAGE_SHIFT + 9 * (3 - level));
}

/* The model range holding va, or NULL. */
static const struct range *model_find(uint64_t va)
{
	unsigned i;

	for (i = 0; i < s.n_ranges; i++)
		if (va >= s.ranges[i].va && va - s.ranges[i].va < s.ranges[i].size)
			return &s.ranges[i];
	return NULL;
}

static bool model_overlaps(uint64_t va, uint64_t size)
{
	unsigned i;

	for (i = 0; i < s.n_ranges; i++)
		if (va < s.ranges[i].va + s.ranges[i].size && s.ranges[i].va < va + size)
			return true;
	return false;
}

/* Every page of [va, va+size) is in the model. */
static bool model_covers(uint64_t va, uint64_t size)
{
	const struct range *r;

	while (size) {
		uint64_t n;

		r = model_find(va);
		if (!r)
			return false;
		n = r->va + r->size - va;
		if (n >= size)
			return true;
		va += n;
		size -= n;
	}
	return true;
}

static void model_add(uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs)
{
	unsigned i;

	FUZZ_CHECK(s.n_ranges < MAX_RANGES, "model full");
	for (i = s.n_ranges; i > 0 && s.ranges[i - 1].va > va; i--)
		s.ranges[i] = s.ranges[i - 1];
	s.ranges[i] = (struct range){ va, pa, size, attrs };
	s.n_ranges++;
}

/* Take [va, va+size) out of the model, splitting ranges it cuts. */
static void model_remove(uint64_t va, uint64_t size)
{
	static struct range out[MAX_RANGES];
	uint64_t end = va + size;
	unsigned i, n = 0;

	for (i = 0; i < s.n_ranges; i++) {
		struct range r = s.ranges[i];
		uint64_t r_end = r.va + r.size;

		if (r_end <= va || r.va >= end) {
			out[n++] = r;
			continue;
		}
		if (r.va < va)
			out[n++] = (struct range){ r.va, r.pa, va - r.va, r.attrs };
		if (r_end > end) {
			FUZZ_CHECK(n < MAX_RANGES, "model full");
			out[n++] = (struct range){ end, r.pa + (end - r.va), r_end - end, r.attrs };
		}
	}
	memcpy(s.ranges, out, n * sizeof(out[0]));
	s.n_ranges = n;
}

/* Collect every leaf, checking the tables' shape on the way. */
static void walk(uint64_t table_pa, unsigned level, uint64_t va_base, uint8_t *seen)
{
	uint64_t *table = fake_mem_ptr(&s.mem, table_pa);
	uint64_t idx = (table_pa - POOL_PA) / PAGE_SIZE;
	unsigned i;

	FUZZ_CHECK(table, "table at %#llx is not table memory", (unsigned long long)table_pa);
	FUZZ_CHECK(!seen[idx], "table page %llu linked twice", (unsigned long long)idx);
	seen[idx] = 1;
	for (i = 0; i < PT_ENTRIES; i++) {
		uint64_t desc = table[i], va = va_base + i * level_size(level);

		if (!(desc & PTE_VALID))
			continue;
		FUZZ_CHECK(va < s.va_max, "entry for va %#llx beyond the input range",
			   (unsigned long long)va);
		if (level < 3 && (desc & 3) == 3) {
			walk(desc & PTE_ADDR_MASK, level + 1, va, seen);
			continue;
		}
		FUZZ_CHECK(level >= 1, "level-0 block at va %#llx", (unsigned long long)va);
		FUZZ_CHECK(s.n_leaves < MAX_LEAVES, "too many leaves");
		s.leaves[s.n_leaves++] = (struct leaf){ va, level_size(level), desc };
	}
}

/* The table holds exactly the model's mappings. */
static void check_table(void)
{
	uint8_t seen[POOL_PAGES] = { 0 };
	uint64_t mapped = 0, modelled = 0;
	unsigned i;

	s.n_leaves = 0;
	walk(s.pt.root_pa, s.pt.start_level, 0, seen);
	for (i = 0; i < s.n_leaves; i++) {
		const struct leaf *l = &s.leaves[i];
		const struct range *r = model_find(l->va);
		uint64_t pa = l->desc & PTE_ADDR_MASK;

		if (s.pt.regime == PT_REGIME_S1_EL2)
			FUZZ_CHECK((l->desc & PTE_S1_AP_RO) || (l->desc & PTE_XN),
				   "writable executable EL2 leaf %#llx at va %#llx",
				   (unsigned long long)l->desc, (unsigned long long)l->va);
		FUZZ_CHECK(r, "leaf at va %#llx not in the model", (unsigned long long)l->va);
		FUZZ_CHECK(l->va + l->size <= r->va + r->size,
			   "leaf at va %#llx size %#llx runs past its mapping",
			   (unsigned long long)l->va, (unsigned long long)l->size);
		FUZZ_CHECK(pa == r->pa + (l->va - r->va) && (l->desc & LEAF_ATTR_MASK) == r->attrs,
			   "leaf at va %#llx: desc %#llx, expected pa %#llx attrs %#llx",
			   (unsigned long long)l->va, (unsigned long long)l->desc,
			   (unsigned long long)(r->pa + (l->va - r->va)),
			   (unsigned long long)r->attrs);
		mapped += l->size;
	}
	for (i = 0; i < s.n_ranges; i++)
		modelled += s.ranges[i].size;
	FUZZ_CHECK(mapped == modelled, "table maps %#llx bytes, model %#llx",
		   (unsigned long long)mapped, (unsigned long long)modelled);
}

static void check_lookup(uint64_t va)
{
	const struct range *r = model_find(va);
	uint64_t pa = 0, desc = 0;
	int ret = pt_lookup(&s.pt, va, &pa, &desc);

	if (va >= s.va_max) {
		FUZZ_CHECK(ret == -PT_ERR_RANGE, "lookup %#llx beyond va_bits: %d",
			   (unsigned long long)va, ret);
		return;
	}
	if (!r) {
		FUZZ_CHECK(ret == -PT_ERR_NOT_MAPPED, "lookup of unmapped %#llx: %d",
			   (unsigned long long)va, ret);
		return;
	}
	FUZZ_CHECK(ret == PT_OK, "lookup of mapped %#llx: %d", (unsigned long long)va, ret);
	FUZZ_CHECK(pa == r->pa + (va - r->va) && (desc & LEAF_ATTR_MASK) == r->attrs,
		   "lookup %#llx: pa %#llx desc %#llx, expected pa %#llx attrs %#llx",
		   (unsigned long long)va, (unsigned long long)pa, (unsigned long long)desc,
		   (unsigned long long)(r->pa + (va - r->va)), (unsigned long long)r->attrs);
}

/* A leaf that [va, va+size) covers only in part (unmap must say PT_ERR_BLOCK). */
static bool splits_leaf(uint64_t va, uint64_t size)
{
	unsigned i;

	for (i = 0; i < s.n_leaves; i++) {
		const struct leaf *l = &s.leaves[i];

		if (l->va < va + size && va < l->va + l->size &&
		    (l->va < va || l->va + l->size > va + size))
			return true;
	}
	return false;
}

/* pt_leaf_attrs against the rules its comment gives. */
static int leaf_attrs(unsigned perms, enum pt_memtype type, uint64_t *attrs)
{
	enum pt_regime regime = s.pt.regime;
	bool r = perms & PT_PERM_R, w = perms & PT_PERM_W, x = perms & PT_PERM_X;
	bool ok = perms && !(w && !r) && !(w && x && regime == PT_REGIME_S1_EL2) &&
		  !(x && type == PT_MEM_DEVICE) && !(regime == PT_REGIME_S1_EL2 && !r);
	int ret = pt_leaf_attrs(regime, perms, type, attrs);

	FUZZ_CHECK(ok ? ret == PT_OK : ret == -PT_ERR_PERM, "pt_leaf_attrs(%u, %u, %u) = %d",
		   regime, perms, type, ret);
	if (ret)
		return ret;
	FUZZ_CHECK(!(*attrs & ~LEAF_ATTR_MASK), "attrs %#llx", (unsigned long long)*attrs);
	FUZZ_CHECK(!(*attrs & PTE_XN) == x, "perms %u: attrs %#llx", perms,
		   (unsigned long long)*attrs);
	if (regime == PT_REGIME_S1_EL2)
		FUZZ_CHECK(!(*attrs & PTE_S1_AP_RO) == w && (*attrs & PTE_S1_AP1),
			   "perms %u: attrs %#llx", perms, (unsigned long long)*attrs);
	else
		FUZZ_CHECK(!!(*attrs & PTE_S2_AP_R) == r && !!(*attrs & PTE_S2_AP_W) == w,
			   "perms %u: attrs %#llx", perms, (unsigned long long)*attrs);
	return ret;
}

/* The argument error pt_map/pt_unmap must give, in the header's order; 0 if none. */
static int arg_error(uint64_t va, uint64_t pa, uint64_t size)
{
	if (size == 0 || va + size < va || pa + size < pa)
		return -PT_ERR_SIZE;
	if ((va | pa | size) & (PAGE_SIZE - 1))
		return -PT_ERR_ALIGN;
	if (va + size > s.va_max || pa + size > PA_LIMIT)
		return -PT_ERR_RANGE;
	return 0;
}

static void do_map(uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs, bool blocks)
{
	int want = arg_error(va, pa, size), ret;

	if (!want && ((attrs & ~LEAF_ATTR_MASK) ||
		      (s.pt.regime == PT_REGIME_S1_EL2 && !(attrs & PTE_S1_AP_RO) &&
		       !(attrs & PTE_XN))))
		want = -PT_ERR_PERM;
	ret = pt_map(&s.pt, va, pa, size, attrs, blocks);
	if (want) {
		FUZZ_CHECK(ret == want, "map va %#llx pa %#llx size %#llx attrs %#llx: %d, want %d",
			   (unsigned long long)va, (unsigned long long)pa, (unsigned long long)size,
			   (unsigned long long)attrs, ret, want);
		return;
	}
	if (model_overlaps(va, size)) {
		FUZZ_CHECK(ret == -PT_ERR_EXISTS, "map over a mapping va %#llx size %#llx: %d",
			   (unsigned long long)va, (unsigned long long)size, ret);
		return;
	}
	FUZZ_CHECK(ret == PT_OK || ret == -PT_ERR_NOMEM,
		   "map of a free range va %#llx pa %#llx size %#llx: %d",
		   (unsigned long long)va, (unsigned long long)pa, (unsigned long long)size, ret);
	if (ret == PT_OK)
		model_add(va, pa, size, attrs);
}

/*
 * pt_unmap_each's reports, checked as they come (the model still holds the
 * range): the leaves removed, in va order, tile [va, va+size) exactly, and
 * each names the pa and attributes the model has there. The CIEE counts
 * stage-2 mappings per page from these: a wrong pa or size would leave a
 * count behind (a page that can never be reclaimed) or drop one (an alias
 * that outlives its reclaim).
 */
static struct {
	uint64_t next_va, end;
	unsigned calls;
} removed_st;

static void removed_leaf(void *ctx, uint64_t pa, uint64_t size, uint64_t desc)
{
	uint64_t va = removed_st.next_va;
	const struct range *r = model_find(va);

	FUZZ_CHECK(ctx == &removed_st, "pt_unmap_each: wrong ctx");
	FUZZ_CHECK(size == SZ_4K || size == SZ_2M || size == SZ_1G,
		   "pt_unmap_each: leaf of size %#llx", (unsigned long long)size);
	FUZZ_CHECK(!(va & (size - 1)) && size <= removed_st.end - va,
		   "pt_unmap_each: leaf %#llx+%#llx outside the range", (unsigned long long)va,
		   (unsigned long long)size);
	FUZZ_CHECK(r && pa == r->pa + (va - r->va),
		   "pt_unmap_each: va %#llx reported pa %#llx, model %#llx", (unsigned long long)va,
		   (unsigned long long)pa, r ? (unsigned long long)(r->pa + (va - r->va)) : 0ULL);
	FUZZ_CHECK((desc & PTE_ADDR_MASK & ~(size - 1)) == pa &&
			   (desc & LEAF_ATTR_MASK) == r->attrs,
		   "pt_unmap_each: va %#llx descriptor %#llx", (unsigned long long)va,
		   (unsigned long long)desc);
	removed_st.next_va = va + size;
	removed_st.calls++;
}

static void do_unmap(uint64_t va, uint64_t size, bool each)
{
	int want = arg_error(va, va, size), ret;

	/* pa == va here, so only the va range applies: the header has no pa. */
	if (want == -PT_ERR_RANGE && va + size <= s.va_max)
		want = 0;
	removed_st.next_va = va;
	removed_st.end = va + size;
	removed_st.calls = 0;
	ret = each ? pt_unmap_each(&s.pt, va, size, removed_leaf, &removed_st)
		   : pt_unmap(&s.pt, va, size);
	/* Only a successful unmap reports anything, and then all of the range. */
	FUZZ_CHECK(ret == PT_OK ? removed_st.next_va == removed_st.end || !each
				: removed_st.calls == 0,
		   "pt_unmap_each va %#llx size %#llx (%d): reports end at %#llx",
		   (unsigned long long)va, (unsigned long long)size, ret,
		   (unsigned long long)removed_st.next_va);
	if (want) {
		FUZZ_CHECK(ret == want, "unmap va %#llx size %#llx: %d, want %d",
			   (unsigned long long)va, (unsigned long long)size, ret, want);
		return;
	}
	if (!model_covers(va, size) || splits_leaf(va, size)) {
		FUZZ_CHECK(ret == -PT_ERR_NOT_MAPPED || ret == -PT_ERR_BLOCK,
			   "unmap va %#llx size %#llx not all mapped or splitting a block: %d",
			   (unsigned long long)va, (unsigned long long)size, ret);
		FUZZ_CHECK(ret == -PT_ERR_NOT_MAPPED || splits_leaf(va, size),
			   "unmap va %#llx size %#llx: BLOCK without a block",
			   (unsigned long long)va, (unsigned long long)size);
		return;
	}
	FUZZ_CHECK(ret == PT_OK, "unmap of mapped va %#llx size %#llx: %d",
		   (unsigned long long)va, (unsigned long long)size, ret);
	model_remove(va, size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size, 0 };
	const struct config *c = &configs[fuzz_u8(&in) % 4];
	bool corrupted = false;
	uint64_t root;
	unsigned op;

	memset(&s, 0, sizeof(s));
	if (fake_mem_init(&s.mem, POOL_PA, POOL_PAGES) || fake_mem_alloc(&s.mem, &root))
		abort();
	FUZZ_CHECK(pt_init(&s.pt, c->regime, root, c->start_level, c->va_bits, &s.mem.ops) == 0,
		   "pt_init");
	s.va_max = 1UL << c->va_bits;

	for (op = 0; op < MAX_OPS && fuzz_left(&in); op++) {
		const uint64_t va_regions[8] = {
			0, SZ_1G - SZ_2M, SZ_1G, 5 * SZ_2M, s.va_max - 2 * SZ_2M,
			s.va_max - SZ_1G, s.va_max, 1UL << 39,
		};
		const uint64_t pa_regions[8] = {
			0, SZ_1G, POOL_PA, 3 * SZ_2M, 3 * SZ_1G, PA_LIMIT - 2 * SZ_2M, PA_LIMIT,
			PA_LIMIT - SZ_1G,
		};
		const uint64_t units[3] = { SZ_4K, SZ_2M, SZ_1G };
		uint8_t b0 = fuzz_u8(&in), b1 = fuzz_u8(&in);
		uint16_t va_off = fuzz_u16(&in), pa_sel = fuzz_u16(&in);
		uint8_t count = fuzz_u8(&in), spare = fuzz_u8(&in);
		unsigned kind = b0 & 7, perms = (b0 >> 4) & 7, unit = (b1 >> 5) & 3;
		bool blocks = b0 & 8;
		enum pt_memtype type = (b0 & 0x80) ? PT_MEM_DEVICE : PT_MEM_NORMAL;
		uint64_t va = va_regions[b1 & 7] + (uint64_t)(va_off & 0x3ff) * SZ_4K;
		uint64_t pa = pa_regions[((b1 >> 5) & 4) | (pa_sel >> 14)] +
			      (uint64_t)(pa_sel & 0x1fff) * SZ_4K;
		uint64_t sz, attrs = 0, page;
		unsigned i, entry;
		int ret;

		if (b1 & 8)
			va += SZ_4K / 2;
		if (b1 & 0x10)
			pa += SZ_4K / 2;
		if (kind == OP_MAP_RAW)
			attrs = fuzz_u64(&in);
		sz = unit == 3 ? fuzz_u64(&in) : (count & 7) * units[unit];

		if (corrupted) {
			/* Only memory safety is left to check: any result will do. */
			if (kind == OP_UNMAP || kind == OP_UNMAP2)
				pt_unmap(&s.pt, va, sz);
			else if (kind == OP_LOOKUP)
				pt_lookup(&s.pt, va, NULL, NULL);
			else if (kind != OP_CORRUPT)
				pt_map(&s.pt, va, pa, sz, attrs & LEAF_ATTR_MASK, blocks);
			continue;
		}
		switch (kind) {
		case OP_MAP:
		case OP_MAP2:
		case OP_MAP3:
			ret = leaf_attrs(perms, type, &attrs);
			if (!ret)
				do_map(va, pa, sz, attrs, blocks);
			break;
		case OP_MAP_RAW:
			do_map(va, pa, sz, attrs, blocks);
			break;
		case OP_UNMAP:
		case OP_UNMAP2:
			/* OP_UNMAP2 through pt_unmap_each, whose reports the CIEE counts by. */
			do_unmap(va, sz, kind == OP_UNMAP2);
			break;
		case OP_LOOKUP:
			check_lookup(va);
			break;
		case OP_CORRUPT:
			page = count % fake_mem_used(&s.mem);
			entry = (spare | (b1 & 1U) << 8) % PT_ENTRIES;
			fake_mem_ptr(&s.mem, POOL_PA + page * PAGE_SIZE)[entry] = fuzz_u64(&in);
			corrupted = true;
			continue;
		}
		check_table();
		check_lookup(va);
		check_lookup(va & ~(PAGE_SIZE - 1));
		if (sz && !(sz & (PAGE_SIZE - 1)) && va + sz > va) {
			check_lookup((va + sz - PAGE_SIZE) & ~(PAGE_SIZE - 1));
			check_lookup((va + sz) & ~(PAGE_SIZE - 1));
		}
		for (i = 0; i < s.n_ranges; i++) {
			check_lookup(s.ranges[i].va);
			check_lookup(s.ranges[i].va + s.ranges[i].size - PAGE_SIZE);
		}
	}
	fake_mem_destroy(&s.mem);
	return 0;
}
