/* SPDX-License-Identifier: MIT */
/*
 * Translation-table construction for the EL2 stage-1 regime and for
 * stage 2 (VMSAv8-64, 4 KiB granule). Hardware-free: table memory is
 * reached through pt_mem_ops, so the same code runs in the CIEE (identity
 * mapped) and in host unit tests (a buffer standing in for RAM).
 * TLB maintenance is the caller's job; pt_map never overwrites a valid
 * entry, so every change is break-before-make by construction.
 */
#ifndef POLICY_PGTABLE_H
#define POLICY_PGTABLE_H

#include <stdbool.h>
#include <stdint.h>

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PT_ENTRIES 512
#define PT_BLOCK_SIZE_L2 (1UL << 21) /* 2 MiB */
#define PT_BLOCK_SIZE_L1 (1UL << 30) /* 1 GiB */
#define PT_PA_BITS 40 /* physical addresses vTZ accepts (A57: 44) */

/* Descriptor bits common to both regimes. */
#define PTE_VALID (1UL << 0)
#define PTE_TYPE_TABLE (1UL << 1) /* levels 0-2: table; level 3: page */
#define PTE_SH_INNER (3UL << 8)
#define PTE_AF (1UL << 10)
#define PTE_XN (1UL << 54) /* EL2 stage 1: XN; stage 2: XN (ARMv8.0) */
#define PTE_ADDR_MASK 0x0000fffffffff000UL

/* EL2 stage 1: AttrIndx selects MAIR_EL2 byte; AP[2]=1 read-only, AP[1] RES1. */
#define PTE_S1_ATTRIDX(i) ((uint64_t)(i) << 2)
#define PTE_S1_AP_RO (1UL << 7)
#define PTE_S1_AP1 (1UL << 6)
#define MAIR_IDX_DEVICE 0 /* MAIR byte 0x00: Device-nGnRnE */
#define MAIR_IDX_NORMAL 1 /* MAIR byte 0xff: Normal WB RA WA */
#define MAIR_EL2_VALUE 0x000000000000ff00UL

/* Stage 2: MemAttr[5:2], S2AP[7:6]. */
#define PTE_S2_MEMATTR_DEVICE (0x0UL << 2) /* Device-nGnRnE */
#define PTE_S2_MEMATTR_NORMAL (0xfUL << 2) /* Normal, outer+inner WB */
#define PTE_S2_AP_R (1UL << 6)
#define PTE_S2_AP_W (1UL << 7)

enum pt_regime { PT_REGIME_S1_EL2, PT_REGIME_S2 };
enum pt_memtype { PT_MEM_NORMAL, PT_MEM_DEVICE };

/* Permission bits for pt_leaf_attrs. */
#define PT_PERM_R 1U
#define PT_PERM_W 2U
#define PT_PERM_X 4U

/* Distinct error codes (returned negated). */
#define PT_OK 0
#define PT_ERR_ALIGN 1      /* va, pa or size not page (or block) aligned */
#define PT_ERR_RANGE 2      /* va beyond the table's input range or pa beyond PT_PA_BITS */
#define PT_ERR_EXISTS 3     /* some page of the range is already mapped */
#define PT_ERR_NOT_MAPPED 4 /* unmap of a page that is not mapped */
#define PT_ERR_NOMEM 5      /* no table page could be allocated */
#define PT_ERR_PERM 6       /* permission set not allowed (none, W without R, W+X, X on device) */
#define PT_ERR_SIZE 7       /* zero size or va+size overflows */
#define PT_ERR_BLOCK 8      /* the range crosses a block mapping: split not supported */
#define PT_ERR_CORRUPT 9    /* a table descriptor points outside table memory */

struct pt_mem_ops {
	/* Pointer to the table page at physical address pa, NULL if pa is not table memory. */
	uint64_t *(*table_ptr)(void *ctx, uint64_t pa);
	/* Allocate a zeroed 4 KiB table page; 0 on success. */
	int (*alloc_table)(void *ctx, uint64_t *pa_out);
	void *ctx;
};

struct pt {
	enum pt_regime regime;
	uint64_t root_pa;     /* 4 KiB aligned table page */
	unsigned start_level; /* 0..2 */
	unsigned va_bits;     /* input range: [0, 1 << va_bits) */
	const struct pt_mem_ops *ops;
};

/*
 * Leaf attribute bits (without output address or type bits).
 * EL2 stage 1 has no execute-only encoding, so X without R is refused there.
 */
int pt_leaf_attrs(enum pt_regime regime, unsigned perms, enum pt_memtype type, uint64_t *attrs);

/*
 * pt_leaf_attrs(PT_REGIME_S2, perms, type, attrs) by looking it up: the
 * same attributes and the same refusals (-PT_ERR_PERM, nothing written)
 * for every perms and type (test_pgtable compares the two on all of
 * them). pt_s2_leaf_table[type][perms] is 0 where pt_leaf_attrs refuses.
 */
extern const uint64_t pt_s2_leaf_table[2][8];
static inline int pt_s2_leaf_attrs(unsigned perms, enum pt_memtype type, uint64_t *attrs)
{
	uint64_t a;

	if (!attrs || perms > 7 || (unsigned)type > PT_MEM_DEVICE)
		return -PT_ERR_PERM;
	a = pt_s2_leaf_table[type][perms];
	if (!a)
		return -PT_ERR_PERM;
	*attrs = a;
	return PT_OK;
}

/* Descriptor constructors. level is 1..3; level 3 makes a page, 1..2 a block. */
uint64_t pt_make_leaf(uint64_t pa, uint64_t attrs, unsigned level);
uint64_t pt_make_table(uint64_t table_pa);

/* Prepare a pt over an already-zeroed root table page. */
int pt_init(struct pt *pt, enum pt_regime regime, uint64_t root_pa, unsigned start_level,
	    unsigned va_bits, const struct pt_mem_ops *ops);

/*
 * Map [va, va+size) to [pa, pa+size) with attrs from pt_leaf_attrs.
 * allow_blocks: use 2 MiB / 1 GiB blocks where alignment permits.
 * The whole range is checked to be unmapped before anything is written,
 * so a refused request changes nothing (tables may have been allocated).
 * attrs may hold only leaf attribute bits, and W^X is re-checked on them.
 */
int pt_map(struct pt *pt, uint64_t va, uint64_t pa, uint64_t size, uint64_t attrs,
	   bool allow_blocks);

/* Unmap [va, va+size); every page must be mapped (checked first). */
int pt_unmap(struct pt *pt, uint64_t va, uint64_t size);

/*
 * pt_unmap, telling removed() of every leaf it clears (a page or a whole
 * block: its output address, its size, its descriptor), after the whole
 * range was checked: called only when the unmap succeeds. removed may be
 * NULL.
 */
int pt_unmap_each(struct pt *pt, uint64_t va, uint64_t size,
		  void (*removed)(void *ctx, uint64_t pa, uint64_t size, uint64_t desc),
		  void *ctx);

/*
 * Tear a whole table down (a VM that is destroyed): removed() for every
 * valid leaf (its output address, its size, its descriptor), freed() for
 * every table page once all of its entries are cleared, the root last.
 * Either callback may be NULL. Afterwards pt is unusable (its ops are
 * gone). -PT_ERR_CORRUPT for a table descriptor outside table memory
 * (what was walked before it is already cleared). The caller invalidates
 * the TLBs before any freed page is used again.
 */
struct pt_destroy_ops {
	void (*removed)(void *ctx, uint64_t pa, uint64_t size, uint64_t desc);
	void (*freed)(void *ctx, uint64_t table_pa);
};
int pt_destroy(struct pt *pt, const struct pt_destroy_ops *ops, void *ctx);

/*
 * Translate va; returns 0 and the leaf descriptor, or -PT_ERR_NOT_MAPPED
 * (-PT_ERR_RANGE for va beyond va_bits, -PT_ERR_CORRUPT for a bad table).
 */
int pt_lookup(const struct pt *pt, uint64_t va, uint64_t *pa_out, uint64_t *desc_out);

const char *pt_strerror(int err);

/* Stage-2 VTCR_EL2 value for pt_s2_* tables: 4K, T0SZ=25 (39-bit IPA), SL0=1 (level 1). */
#define PT_S2_VA_BITS 39
#define PT_S2_START_LEVEL 1

#endif
