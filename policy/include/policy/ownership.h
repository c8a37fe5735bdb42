/* SPDX-License-Identifier: MIT */
/*
 * Page ownership and the secure-memory-mapping (SMM) rules. Every 4 KiB
 * page of non-secure RAM has exactly one owner; ownership changes only
 * through the checked transitions below, and every mapping request is
 * checked against the owner of every page it covers. Hardware-free: the
 * table's storage is given by the caller (CIEE memory in the images, a
 * host buffer in the tests). No allocation, bounded loops.
 */
#ifndef POLICY_OWNERSHIP_H
#define POLICY_OWNERSHIP_H

#include <stdbool.h>
#include <stdint.h>

/* An owner: a type and, for VMs and TEEs, the VM id (0..OWN_MAX_ID). */
typedef uint16_t owner_t;
#define OWN_TYPE_SHIFT 12
#define OWN_ID_MASK 0x0fffU
#define OWN_MAX_ID 0x0fffU

enum own_type {
	OWN_FREE = 0,     /* not given to anyone: the hypervisor may donate it */
	OWN_HYP = 1,      /* hypervisor data (read-write, never executable) */
	OWN_HYP_TEXT = 2, /* verified hypervisor text (read-execute only) */
	OWN_VM = 3,       /* guest VM n */
	OWN_TEE = 4,      /* guest TEE n */
	OWN_PT = 5,       /* translation-table page (written by the CIEE only) */
	OWN_CIEE = 6,     /* CIEE/monitor code and data */
};

#define OWNER(type, id) ((owner_t)(((unsigned)(type) << OWN_TYPE_SHIFT) | ((id) & OWN_ID_MASK)))
#define OWNER_TYPE(o) ((enum own_type)((o) >> OWN_TYPE_SHIFT))
#define OWNER_ID(o) ((unsigned)((o) & OWN_ID_MASK))

/*
 * Per page, how many stage-2 entries point at it (own_track_maps()). The
 * CIEE counts every RAM page it maps into any stage 2 and every one it
 * unmaps, so a page that changes owner is known to be mapped nowhere: no
 * alias at a second IPA can outlive a RECLAIM.
 */
typedef uint16_t own_maps_t;
#define OWN_MAX_MAPS 0xffffU

struct own_table {
	uint64_t base;   /* first byte covered, page aligned */
	uint64_t npages;
	owner_t *entries; /* npages entries */
	own_maps_t *maps; /* npages counts, or NULL: mappings not tracked */
};

/* Errors, each distinct (returned negated). */
#define OWN_OK 0
#define OWN_ERR_RANGE 1     /* address outside the table, or size overflows */
#define OWN_ERR_ALIGN 2     /* address or size not page aligned, or size 0 */
#define OWN_ERR_NOT_OWNER 3 /* some page is not owned by the expected owner */
#define OWN_ERR_BAD_OWNER 4 /* owner value with an unknown type or bad id */
#define OWN_ERR_TRANSITION 5 /* that change of owner is not allowed */
#define OWN_ERR_TEE_PAGE 6  /* the request would expose a TEE page */
#define OWN_ERR_PT_PAGE 7   /* the request would map a translation-table page */
#define OWN_ERR_CIEE_PAGE 8 /* the request would map CIEE/monitor memory */
#define OWN_ERR_OTHER_VM 9  /* page belongs to another VM (another TEE's: TEE_PAGE) */
#define OWN_ERR_PERM 10     /* permissions not allowed for that owner (e.g. X on data) */
#define OWN_ERR_STORAGE 11  /* table storage too small for the range */
#define OWN_ERR_MAPPED 12   /* a page is still mapped in some stage 2 */
#define OWN_ERR_MAP_COUNT 13 /* a page already has OWN_MAX_MAPS mappings */
#define OWN_ERR_TEXT_PAGE 14 /* the range touches the hypervisor's text */

/*
 * Every function returns 0 or a negated OWN_ERR_*. Functions taking a range
 * check, in this order and before anything else: alignment (OWN_ERR_ALIGN:
 * pa or size not page aligned, or size 0), then range (OWN_ERR_RANGE: pa+size
 * wraps, or the range leaves the table; a NULL table covers nothing). Then
 * their other arguments, then the pages in address order: the first page
 * refused decides the error.
 */

/*
 * Set up a table over [base, base+size) with every page owned by initial.
 * Checks, in order: OWN_ERR_ALIGN, OWN_ERR_RANGE (base+size must not reach
 * 2^64), OWN_ERR_STORAGE (t or storage NULL, or fewer than size/4 KiB
 * entries), OWN_ERR_BAD_OWNER. On failure *t covers nothing, so every later
 * call on it fails with OWN_ERR_RANGE.
 */
int own_init(struct own_table *t, uint64_t base, uint64_t size, owner_t *storage,
	     uint64_t storage_entries, owner_t initial);

/*
 * Track stage-2 mappings in storage (at least t->npages counts, all set to
 * 0 here). From then on own_reclaim refuses a page that is still mapped.
 * OWN_ERR_STORAGE if t is not initialised or storage is NULL or too small.
 */
int own_track_maps(struct own_table *t, own_maps_t *storage, uint64_t storage_entries);

/*
 * One more (own_map_get) or one fewer (own_map_put) stage-2 entry points
 * at each page of [pa, pa+size). All or nothing: get refuses with
 * OWN_ERR_MAP_COUNT if some page already has OWN_MAX_MAPS; put refuses
 * with OWN_ERR_NOT_OWNER if some page has none (the caller's bookkeeping
 * is broken). After the range checks, OWN_ERR_STORAGE when the table
 * does not track mappings.
 */
int own_map_get(struct own_table *t, uint64_t pa, uint64_t size);
int own_map_put(struct own_table *t, uint64_t pa, uint64_t size);

/* Stage-2 entries pointing at the page containing pa (0 when not tracked or out of range). */
unsigned own_map_count(const struct own_table *t, uint64_t pa);

/* Owner of the page containing pa (out may be NULL: just the range check). */
int own_get(const struct own_table *t, uint64_t pa, owner_t *out);

/* Boot-time assignment, unchecked beyond range/alignment/owner validity. */
int own_set(struct own_table *t, uint64_t pa, uint64_t size, owner_t owner);

/* True if every page of [pa, pa+size) is owned by o (false on range errors). */
bool own_all(const struct own_table *t, uint64_t pa, uint64_t size, owner_t o);

/*
 * Checked transitions. Either every page changes owner or none does.
 *  donate:  FREE or HYP -> VM n, TEE n or PT.
 *  reclaim: VM n, TEE n or PT -> HYP. *scrub is set when the pages must
 *           be zeroed before the new owner can see them (leaving a TEE or a
 *           page table); the caller zeroes them before anything else maps them.
 *           scrub must not be NULL (-OWN_ERR_BAD_OWNER); it is false on failure.
 * After the range checks: a bad owner value is OWN_ERR_BAD_OWNER, an owner
 * outside those lists OWN_ERR_TRANSITION, then any page not owned as
 * required (donate: FREE/HYP; reclaim: exactly from) OWN_ERR_NOT_OWNER.
 */
int own_donate(struct own_table *t, uint64_t pa, uint64_t size, owner_t to);
/* Would own_donate succeed? The same checks and errors, nothing changed. */
int own_can_donate(const struct own_table *t, uint64_t pa, uint64_t size, owner_t to);
/*
 * reclaim, when mappings are tracked: a page still mapped in any stage 2
 * is refused with OWN_ERR_MAPPED (checked after ownership), so a page
 * never changes owner while some stage-2 entry still points at it.
 */
int own_reclaim(struct own_table *t, uint64_t pa, uint64_t size, owner_t from, bool *scrub);

/* Permission bits for the map rules (same values as pgtable's PT_PERM_*). */
#define SMM_PERM_R 1U
#define SMM_PERM_W 2U
#define SMM_PERM_X 4U

/*
 * May guest VM vm_id's stage 2 map [pa, pa+size)? Only pages of VM vm_id.
 * May TEE tee_id (the TEE of VM vm_id) map them? Pages of TEE tee_id, and
 * pages of its VM vm_id (not executable: a TEE never runs normal-world code).
 * perms: nonzero, only R/W/X, W needs R (else OWN_ERR_PERM); W+X is allowed
 * on the guest's own pages (stage 2). Ids above OWN_MAX_ID are
 * OWN_ERR_BAD_OWNER. tee_id and vm_id are VM ids of their own: the caller
 * (the CIEE) keeps which VM each TEE belongs to. A page of any
 * other owner is refused with the most specific error: TEE_PAGE, PT_PAGE,
 * CIEE_PAGE, OTHER_VM (another VM's page), else NOT_OWNER (FREE/HYP/text).
 */
int smm_check_vm_map(const struct own_table *t, unsigned vm_id, uint64_t pa, uint64_t size,
		     unsigned perms);
int smm_check_tee_map(const struct own_table *t, unsigned tee_id, unsigned vm_id, uint64_t pa,
		      uint64_t size, unsigned perms);

/*
 * smm_check_vm_map, then, if it allows the request, own_map_get on the
 * same range, in one call: the same checks in the same order with the
 * same errors (the ownership errors first, then OWN_ERR_STORAGE when
 * mappings are not tracked, then OWN_ERR_MAP_COUNT), all or nothing: on
 * any error no count has changed. The CIEE's S2_MAP of a guest's RAM.
 */
int smm_vm_map_get(struct own_table *t, unsigned vm_id, uint64_t pa, uint64_t size,
		   unsigned perms);

/*
 * May the hypervisor's EL2 stage 1 map [pa, pa+size) with perms? HYP and
 * FREE pages read-write (never X); VM pages read-write (never X);
 * HYP_TEXT read-execute only; never TEE, PT or CIEE pages (not even
 * read-only). perms must include R (EL2 has no execute-only) and never
 * both W and X (SCTLR_EL2.WXN); otherwise OWN_ERR_PERM.
 */
int smm_check_hyp_map(const struct own_table *t, uint64_t pa, uint64_t size, unsigned perms);

/*
 * May the CIEE take a structure of size bytes at addr from the hypervisor
 * (and write it back there)? Only if it lies wholly in pages the
 * hypervisor owns as writable data (OWN_HYP). addr must be 8-byte aligned
 * and size nonzero (OWN_ERR_ALIGN); the range must not wrap and must lie
 * in the table (OWN_ERR_RANGE: devices, nothing). Then, first page
 * refused decides: OWN_ERR_TEXT_PAGE, OWN_ERR_PT_PAGE, OWN_ERR_TEE_PAGE,
 * OWN_ERR_OTHER_VM (a VM's page), OWN_ERR_CIEE_PAGE, else OWN_ERR_NOT_OWNER
 * (free pages, corrupted entries).
 */
int smm_check_hyp_buffer(const struct own_table *t, uint64_t addr, uint64_t size);

/* Short message for an OWN_ERR_* code, negated or not. */
const char *own_strerror(int err);

#endif
