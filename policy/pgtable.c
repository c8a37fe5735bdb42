/* SPDX-License-Identifier: MIT */
/*
 * VMSAv8-64 translation tables, 4 KiB granule, EL2 stage 1 and stage 2.
 *
 * The descriptors written here decide what the untrusted hypervisor and
 * the guests can reach, so the code is deliberately conservative:
 *  - a request is validated completely before any leaf is written
 *    (pt_map: check pass, table-allocation pass, write pass), so a refused
 *    request never leaves a half-built mapping behind;
 *  - a valid entry is never overwritten (break-before-make is the
 *    caller's job, done through pt_unmap + TLBI + pt_map);
 *  - every table pointer read from memory goes through ops->table_ptr,
 *    so a corrupted descriptor cannot make us write outside table memory;
 *  - walks are iterative, at most 4 levels deep, and each step of a range
 *    loop advances by at least one page.
 */
#include <policy/pgtable.h>

#include <stddef.h>

#define PT_LEVELS 4
#define PT_LAST_LEVEL 3
#define PT_IDX_BITS 9
#define PT_DESC_TYPE_MASK 3UL
#define PT_DESC_BLOCK 1UL    /* levels 1-2 */
#define PT_DESC_TABLE 3UL    /* levels 0-2 */
#define PT_DESC_PAGE 3UL     /* level 3 */

/* Lower attributes [11:2] and upper attributes [63:50] of a leaf. */
#define PTE_ATTR_MASK 0xfffc000000000ffcUL

/* Bytes one entry of a table at @level maps: L0 512 GiB ... L3 4 KiB. */
static uint64_t level_size(unsigned level)
{
	return 1UL << (PAGE_SHIFT + PT_IDX_BITS * (PT_LAST_LEVEL - level));
}

static unsigned level_index(uint64_t va, unsigned level)
{
	return (unsigned)(va >> (PAGE_SHIFT + PT_IDX_BITS * (PT_LAST_LEVEL - level))) &
	       (PT_ENTRIES - 1);
}

static bool desc_valid(uint64_t desc)
{
	return (desc & PTE_VALID) != 0;
}

/* Only meaningful for levels 0-2; at level 3 the same encoding is a page. */
static bool desc_is_table(uint64_t desc)
{
	return (desc & PT_DESC_TYPE_MASK) == PT_DESC_TABLE;
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* Bytes from va to the end of the region one entry at @level covers. */
static uint64_t to_entry_end(uint64_t va, unsigned level)
{
	uint64_t size = level_size(level);

	return size - (va & (size - 1));
}

static uint64_t *table_at(const struct pt *pt, uint64_t pa)
{
	return pt->ops->table_ptr(pt->ops->ctx, pa);
}

int pt_leaf_attrs(enum pt_regime regime, unsigned perms, enum pt_memtype type, uint64_t *attrs)
{
	bool r = perms & PT_PERM_R, w = perms & PT_PERM_W, x = perms & PT_PERM_X;
	uint64_t a = PTE_AF | PTE_SH_INNER;

	if (!attrs || perms == 0 || (perms & ~(PT_PERM_R | PT_PERM_W | PT_PERM_X)))
		return -PT_ERR_PERM;
	if (w && !r)
		return -PT_ERR_PERM;
	/*
	 * W^X at EL2: SCTLR_EL2.WXN would fault it anyway; never build it.
	 * Stage 2 is different: a guest's RAM must be writable and executable
	 * there (its kernel loads code), and the guest's own stage 1 decides
	 * W^X inside it. Which pages a VM may map at all is ownership policy.
	 */
	if (w && x && regime == PT_REGIME_S1_EL2)
		return -PT_ERR_PERM;
	if (type != PT_MEM_NORMAL && type != PT_MEM_DEVICE)
		return -PT_ERR_PERM;
	/* Speculative instruction fetch from MMIO can have side effects. */
	if (x && type == PT_MEM_DEVICE)
		return -PT_ERR_PERM;
	if (!x)
		a |= PTE_XN;

	switch (regime) {
	case PT_REGIME_S1_EL2:
		/*
		 * EL2 stage 1 has no execute-only encoding (AP[1] is RES1, so
		 * every valid page is readable): X without R would silently
		 * grant R, so refuse it.
		 */
		if (!r)
			return -PT_ERR_PERM;
		a |= PTE_S1_ATTRIDX(type == PT_MEM_NORMAL ? MAIR_IDX_NORMAL : MAIR_IDX_DEVICE);
		a |= PTE_S1_AP1;
		if (!w)
			a |= PTE_S1_AP_RO;
		break;
	case PT_REGIME_S2:
		a |= type == PT_MEM_NORMAL ? PTE_S2_MEMATTR_NORMAL : PTE_S2_MEMATTR_DEVICE;
		if (r)
			a |= PTE_S2_AP_R;
		if (w)
			a |= PTE_S2_AP_W;
		break;
	default:
		return -PT_ERR_PERM;
	}
	*attrs = a;
	return PT_OK;
}

/* pt_leaf_attrs' stage-2 rules, for the table below: 0 where it refuses. */
#define S2_REFUSED(p, dev)                                                              \
	((p) == 0 || (((p) & PT_PERM_W) && !((p) & PT_PERM_R)) || ((dev) && ((p) & PT_PERM_X)))
#define S2_ATTRS(p, dev)                                                                \
	(S2_REFUSED(p, dev)                                                             \
		 ? 0                                                                    \
		 : PTE_AF | PTE_SH_INNER | (((p) & PT_PERM_X) ? 0 : PTE_XN) |           \
			   ((dev) ? PTE_S2_MEMATTR_DEVICE : PTE_S2_MEMATTR_NORMAL) |    \
			   (((p) & PT_PERM_R) ? PTE_S2_AP_R : 0) |                      \
			   (((p) & PT_PERM_W) ? PTE_S2_AP_W : 0))
#define S2_ROW(dev)                                                                     \
	{ S2_ATTRS(0, dev), S2_ATTRS(1, dev), S2_ATTRS(2, dev), S2_ATTRS(3, dev),        \
	  S2_ATTRS(4, dev), S2_ATTRS(5, dev), S2_ATTRS(6, dev), S2_ATTRS(7, dev) }

const uint64_t pt_s2_leaf_table[2][8] = {
	[PT_MEM_NORMAL] = S2_ROW(0),
	[PT_MEM_DEVICE] = S2_ROW(1),
};

uint64_t pt_make_leaf(uint64_t pa, uint64_t attrs, unsigned level)
{
	uint64_t oa;

	/* Level 0 has no block descriptor with a 4 KiB granule. */
	if (level < 1 || level > PT_LAST_LEVEL)
		return 0;
	/* Address bits below the block size are RES0 in a block descriptor. */
	oa = pa & PTE_ADDR_MASK & ~(level_size(level) - 1);
	return oa | (attrs & PTE_ATTR_MASK) |
	       (level == PT_LAST_LEVEL ? PT_DESC_PAGE : PT_DESC_BLOCK);
}

uint64_t pt_make_table(uint64_t table_pa)
{
	return (table_pa & PTE_ADDR_MASK) | PT_DESC_TABLE;
}

/* Smallest and largest input range a walk starting at @level can cover. */
static bool va_bits_fit_level(unsigned va_bits, unsigned start_level)
{
	unsigned max = PAGE_SHIFT + PT_IDX_BITS * (PT_LEVELS - start_level);

	return va_bits <= max && va_bits > max - PT_IDX_BITS;
}

int pt_init(struct pt *pt, enum pt_regime regime, uint64_t root_pa, unsigned start_level,
	    unsigned va_bits, const struct pt_mem_ops *ops)
{
	if (!pt || !ops || !ops->table_ptr || !ops->alloc_table)
		return -PT_ERR_CORRUPT;
	if (regime != PT_REGIME_S1_EL2 && regime != PT_REGIME_S2)
		return -PT_ERR_RANGE;
	if (root_pa & (PAGE_SIZE - 1))
		return -PT_ERR_ALIGN;
	if (root_pa >> PT_PA_BITS)
		return -PT_ERR_RANGE;
	if (start_level > 2 || !va_bits_fit_level(va_bits, start_level))
		return -PT_ERR_RANGE;
	if (!ops->table_ptr(ops->ctx, root_pa))
		return -PT_ERR_CORRUPT;

	pt->regime = regime;
	pt->root_pa = root_pa;
	pt->start_level = start_level;
	pt->va_bits = va_bits;
	pt->ops = ops;
	return PT_OK;
}

static bool pt_usable(const struct pt *pt)
{
	return pt && pt->ops && pt->ops->table_ptr && pt->start_level <= 2 &&
	       va_bits_fit_level(pt->va_bits, pt->start_level);
}

/*
 * Argument checks shared by pt_map (with pa) and pt_unmap (no pa: pa == va
 * and !has_pa, so a va above PT_PA_BITS in a wider table stays unmappable).
 */
static int check_range(const struct pt *pt, uint64_t va, uint64_t pa, uint64_t size,
		       bool has_pa)
{
	if (size == 0 || va + size < va || pa + size < pa)
		return -PT_ERR_SIZE;
	if ((va | pa | size) & (PAGE_SIZE - 1))
		return -PT_ERR_ALIGN;
	if (va + size > (1UL << pt->va_bits) || (has_pa && pa + size > (1UL << PT_PA_BITS)))
		return -PT_ERR_RANGE;
	return PT_OK;
}

/*
 * Leaf attributes must not carry address or type bits, and pt_map
 * re-checks W^X on the raw bits of EL2 stage-1 entries: the CIEE must
 * never build a writable executable EL2 mapping, even if a caller
 * bypasses pt_leaf_attrs. (Stage 2 may be W+X: see pt_leaf_attrs.)
 */
static int check_attrs(const struct pt *pt, uint64_t attrs)
{
	if (attrs & ~PTE_ATTR_MASK)
		return -PT_ERR_PERM;
	if (pt->regime == PT_REGIME_S1_EL2 && !(attrs & PTE_S1_AP_RO) && !(attrs & PTE_XN))
		return -PT_ERR_PERM;
	return PT_OK;
}

enum map_pass {
	MAP_CHECK, /* nothing in the range is mapped; no writes */
	MAP_ALLOC, /* allocate and link missing tables; no leaves */
	MAP_WRITE, /* write the leaves; every table exists by now */
};

static bool block_fits(bool allow_blocks, unsigned level, uint64_t va, uint64_t pa,
		       uint64_t rem)
{
	uint64_t size = level_size(level);

	return allow_blocks && level >= 1 && level < PT_LAST_LEVEL &&
	       !((va | pa) & (size - 1)) && rem >= size;
}

/* Link a fresh table into the invalid entry *slot. */
static int link_new_table(const struct pt *pt, uint64_t *slot)
{
	uint64_t pa;

	if (pt->ops->alloc_table(pt->ops->ctx, &pa) != 0)
		return -PT_ERR_NOMEM;
	if ((pa & (PAGE_SIZE - 1)) || !table_at(pt, pa))
		return -PT_ERR_CORRUPT;
	*slot = pt_make_table(pa);
	return PT_OK;
}

/*
 * One step of pt_map's @pass at va: walks down to the level where the leaf
 * for va goes and reports in *step how many bytes this step covered.
 * The leaf level depends only on alignment, allow_blocks and which
 * entries are invalid, so all three passes take the same decisions.
 */
static int map_step(const struct pt *pt, uint64_t va, uint64_t pa, uint64_t rem,
		    uint64_t attrs, bool allow_blocks, enum map_pass pass, uint64_t *step)
{
	uint64_t *table = table_at(pt, pt->root_pa);
	unsigned level;
	int ret;

	if (!table)
		return -PT_ERR_CORRUPT;
	for (level = pt->start_level; level <= PT_LAST_LEVEL; level++) {
		uint64_t *slot = &table[level_index(va, level)];
		bool leaf = level == PT_LAST_LEVEL ||
			    (!desc_valid(*slot) && block_fits(allow_blocks, level, va, pa, rem));

		if (leaf) {
			if (desc_valid(*slot))
				return -PT_ERR_EXISTS;
			if (pass == MAP_WRITE)
				*slot = pt_make_leaf(pa, attrs, level);
			/* A level-3 table is complete once it exists: skip it. */
			if (pass == MAP_ALLOC && level == PT_LAST_LEVEL)
				*step = min_u64(rem, to_entry_end(va, level - 1));
			else
				*step = level_size(level);
			return PT_OK;
		}
		if (!desc_valid(*slot)) {
			/* Nothing below this entry can be mapped: skip all of it. */
			if (pass == MAP_CHECK) {
				*step = min_u64(rem, to_entry_end(va, level));
				return PT_OK;
			}
			/* MAP_ALLOC built every table; a hole now means a race or bug. */
			if (pass == MAP_WRITE)
				return -PT_ERR_CORRUPT;
			ret = link_new_table(pt, slot);
			if (ret)
				return ret;
		} else if (!desc_is_table(*slot)) {
			/* A block (or a level-0 "block", which is not an encoding). */
			return level == 0 ? -PT_ERR_CORRUPT : -PT_ERR_EXISTS;
		}
		table = table_at(pt, *slot & PTE_ADDR_MASK);
		if (!table)
			return -PT_ERR_CORRUPT;
	}
	return -PT_ERR_CORRUPT; /* not reached: level 3 is always a leaf */
}

static int map_pass(const struct pt *pt, uint64_t va, uint64_t pa, uint64_t size,
		    uint64_t attrs, bool allow_blocks, enum map_pass pass)
{
	uint64_t done = 0, step = 0;
	int ret;

	/* Each step covers at least one page, so this ends after size/4K steps. */
	while (done < size) {
		ret = map_step(pt, va + done, pa + done, size - done, attrs, allow_blocks, pass,
			       &step);
		if (ret)
			return ret;
		done += step;
	}
	return PT_OK;
}

int pt_map(struct pt *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs,
	   bool allow_blocks)
{
	int ret;

	if (!pt_usable(pt))
		return -PT_ERR_CORRUPT;
	ret = check_range(pt, va, pa, size, true);
	if (!ret)
		ret = check_attrs(pt, attrs);
	if (!ret)
		ret = map_pass(pt, va, pa, size, attrs, allow_blocks, MAP_CHECK);
	if (!ret)
		ret = map_pass(pt, va, pa, size, attrs, allow_blocks, MAP_ALLOC);
	if (!ret)
		ret = map_pass(pt, va, pa, size, attrs, allow_blocks, MAP_WRITE);
	return ret;
}

/*
 * One step of pt_unmap at va. With @clear false only verifies that va is
 * mapped by a leaf the range covers entirely; with @clear it zeroes it.
 */
static int unmap_step(const struct pt *pt, uint64_t va, uint64_t rem, bool clear,
		      uint64_t *step, uint64_t *desc_out)
{
	uint64_t *table = table_at(pt, pt->root_pa);
	unsigned level;

	if (!table)
		return -PT_ERR_CORRUPT;
	for (level = pt->start_level; level <= PT_LAST_LEVEL; level++) {
		uint64_t *slot = &table[level_index(va, level)];
		uint64_t size = level_size(level);

		if (!desc_valid(*slot))
			return -PT_ERR_NOT_MAPPED;
		if (level == PT_LAST_LEVEL || !desc_is_table(*slot)) {
			if (level == 0)
				return -PT_ERR_CORRUPT;
			/* Splitting a block would need break-before-make of the whole block. */
			if ((va & (size - 1)) || rem < size)
				return -PT_ERR_BLOCK;
			*desc_out = *slot;
			if (clear)
				*slot = 0;
			*step = size;
			return PT_OK;
		}
		table = table_at(pt, *slot & PTE_ADDR_MASK);
		if (!table)
			return -PT_ERR_CORRUPT;
	}
	return -PT_ERR_CORRUPT; /* not reached */
}

int pt_unmap(struct pt *pt, uint64_t va, uint64_t size)
{
	return pt_unmap_each(pt, va, size, NULL, NULL);
}

int pt_unmap_each(struct pt *pt, uint64_t va, uint64_t size,
		  void (*removed)(void *ctx, uint64_t pa, uint64_t size, uint64_t desc),
		  void *ctx)
{
	uint64_t done, step = 0, desc = 0;
	unsigned pass;
	int ret;

	if (!pt_usable(pt))
		return -PT_ERR_CORRUPT;
	ret = check_range(pt, va, va, size, false);
	if (ret)
		return ret;
	/* Pass 0 verifies the whole range, pass 1 clears it. */
	for (pass = 0; pass < 2; pass++) {
		for (done = 0; done < size; done += step) {
			ret = unmap_step(pt, va + done, size - done, pass == 1, &step, &desc);
			if (ret)
				return ret;
			if (pass == 1 && removed)
				removed(ctx, desc & PTE_ADDR_MASK & ~(step - 1), step, desc);
		}
	}
	return PT_OK;
}

/*
 * One table of pt_destroy at @level: every valid leaf to removed(), every
 * next-level table torn down the same way and then given to freed(), each
 * entry cleared. Recursion is bounded by the level (at most 3 deep).
 */
static int destroy_table(const struct pt *pt, uint64_t *table, unsigned level, uint64_t va,
			 const struct pt_destroy_ops *ops, void *ctx)
{
	unsigned i;

	for (i = 0; i < PT_ENTRIES; i++) {
		uint64_t desc = table[i], at = va + (uint64_t)i * level_size(level);

		if (!desc_valid(desc))
			continue;
		if (level < PT_LAST_LEVEL && desc_is_table(desc)) {
			uint64_t next_pa = desc & PTE_ADDR_MASK;
			uint64_t *next = table_at(pt, next_pa);
			int ret;

			if (!next)
				return -PT_ERR_CORRUPT;
			ret = destroy_table(pt, next, level + 1, at, ops, ctx);
			if (ret)
				return ret;
			table[i] = 0;
			if (ops->freed)
				ops->freed(ctx, next_pa);
			continue;
		}
		if (level == 0)
			return -PT_ERR_CORRUPT;
		table[i] = 0;
		if (ops->removed)
			ops->removed(ctx, desc & PTE_ADDR_MASK & ~(level_size(level) - 1),
				     level_size(level), desc);
	}
	return PT_OK;
}

int pt_destroy(struct pt *pt, const struct pt_destroy_ops *ops, void *ctx)
{
	uint64_t *root;
	int ret;

	if (!pt_usable(pt) || !ops)
		return -PT_ERR_CORRUPT;
	root = table_at(pt, pt->root_pa);
	if (!root)
		return -PT_ERR_CORRUPT;
	ret = destroy_table(pt, root, pt->start_level, 0, ops, ctx);
	if (ret)
		return ret;
	if (ops->freed)
		ops->freed(ctx, pt->root_pa);
	pt->ops = NULL; /* unusable from now on: its pages are no longer its own */
	return PT_OK;
}

int pt_lookup(const struct pt *pt, uint64_t va, uint64_t *pa_out, uint64_t *desc_out)
{
	const uint64_t *table;
	unsigned level;

	if (!pt_usable(pt))
		return -PT_ERR_CORRUPT;
	if (va >> pt->va_bits)
		return -PT_ERR_RANGE;
	table = table_at(pt, pt->root_pa);
	if (!table)
		return -PT_ERR_CORRUPT;
	for (level = pt->start_level; level <= PT_LAST_LEVEL; level++) {
		uint64_t desc = table[level_index(va, level)];
		uint64_t size = level_size(level);

		if (!desc_valid(desc))
			return -PT_ERR_NOT_MAPPED;
		if (level == PT_LAST_LEVEL || !desc_is_table(desc)) {
			if (level == 0)
				return -PT_ERR_CORRUPT;
			if (pa_out)
				*pa_out = (desc & PTE_ADDR_MASK & ~(size - 1)) | (va & (size - 1));
			if (desc_out)
				*desc_out = desc;
			return PT_OK;
		}
		table = table_at(pt, desc & PTE_ADDR_MASK);
		if (!table)
			return -PT_ERR_CORRUPT;
	}
	return -PT_ERR_CORRUPT; /* not reached */
}

const char *pt_strerror(int err)
{
	if (err < 0)
		err = -err;
	switch (err) {
	case PT_OK:
		return "success";
	case PT_ERR_ALIGN:
		return "address or size not page aligned";
	case PT_ERR_RANGE:
		return "address out of range";
	case PT_ERR_EXISTS:
		return "range already mapped";
	case PT_ERR_NOT_MAPPED:
		return "page not mapped";
	case PT_ERR_NOMEM:
		return "out of table memory";
	case PT_ERR_PERM:
		return "permissions not allowed";
	case PT_ERR_SIZE:
		return "zero size or range wraps";
	case PT_ERR_BLOCK:
		return "range splits a block mapping";
	case PT_ERR_CORRUPT:
		return "table descriptor outside table memory";
	default:
		return "unknown error";
	}
}
