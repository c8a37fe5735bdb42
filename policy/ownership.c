/* SPDX-License-Identifier: MIT */
/*
 * Page ownership and the secure-memory-mapping (SMM) rules.
 *
 * The CIEE consults this table before it writes any translation entry, and
 * every argument here comes (directly or not) from the untrusted
 * hypervisor, so:
 *  - every range is checked for alignment, then for lying inside the
 *    table without wrapping, before any entry is read;
 *  - arguments (owner values, ids, permissions) are checked before pages,
 *    and every page is checked before any page changes owner, so a refused
 *    transition leaves the table exactly as it was;
 *  - an entry with a type we do not know (a corrupted table) matches no
 *    rule and is refused, never treated as some default owner;
 *  - every loop is bounded by the number of pages of a range that has
 *    already been checked to lie inside the table.
 */
#include <policy/ownership.h>

#include <stddef.h>

#define OWN_PAGE_SHIFT 12
#define OWN_PAGE_SIZE ((uint64_t)1 << OWN_PAGE_SHIFT)
#define OWN_PAGE_MASK (OWN_PAGE_SIZE - 1)

#define SMM_PERM_ALL (SMM_PERM_R | SMM_PERM_W | SMM_PERM_X)

static bool owner_valid(owner_t o)
{
	switch (OWNER_TYPE(o)) {
	case OWN_VM:
	case OWN_TEE:
		/* Every id an owner_t can hold is 0..OWN_MAX_ID. */
		return true;
	case OWN_FREE:
	case OWN_HYP:
	case OWN_HYP_TEXT:
	case OWN_PT:
	case OWN_CIEE:
		/* One owner of each of these kinds: a nonzero id is a forgery. */
		return OWNER_ID(o) == 0;
	default:
		return false;
	}
}

/*
 * Check [pa, pa+size) against the table and return the index of its first
 * page and its number of pages. Alignment first, then range: a range that
 * wraps past 2^64 or leaves the table is refused, whatever its alignment.
 */
static inline __attribute__((always_inline)) int
own_range(const struct own_table *t, uint64_t pa, uint64_t size, uint64_t *first, uint64_t *count)
{
	uint64_t idx, n;

	if ((pa & OWN_PAGE_MASK) || (size & OWN_PAGE_MASK) || size == 0)
		return -OWN_ERR_ALIGN;
	/*
	 * A NULL or failed-init table covers nothing. (npages == 0 needs no
	 * test of its own: idx >= npages below refuses every range then.)
	 */
	if (!t || !t->entries)
		return -OWN_ERR_RANGE;
	if (size > UINT64_MAX - pa || pa < t->base)
		return -OWN_ERR_RANGE;
	idx = (pa - t->base) >> OWN_PAGE_SHIFT;
	n = size >> OWN_PAGE_SHIFT;
	/* Written so that neither side can overflow. */
	if (idx >= t->npages || n > t->npages - idx)
		return -OWN_ERR_RANGE;
	*first = idx;
	*count = n;
	return 0;
}

/* Only R, W, X; at least one; never writable without readable. */
static int perms_valid(unsigned perms)
{
	if (perms == 0 || (perms & ~SMM_PERM_ALL))
		return -OWN_ERR_PERM;
	if ((perms & SMM_PERM_W) && !(perms & SMM_PERM_R))
		return -OWN_ERR_PERM;
	return 0;
}

int own_init(struct own_table *t, uint64_t base, uint64_t size, owner_t *storage,
	     uint64_t storage_entries, owner_t initial)
{
	uint64_t i, n;

	if (!t)
		return -OWN_ERR_STORAGE;
	/* Until we succeed, the table covers nothing: every later call fails. */
	t->base = 0;
	t->npages = 0;
	t->entries = NULL;
	t->maps = NULL;

	if ((base & OWN_PAGE_MASK) || (size & OWN_PAGE_MASK) || size == 0)
		return -OWN_ERR_ALIGN;
	/* The end must be representable: base + size may not reach 2^64. */
	if (size > UINT64_MAX - base)
		return -OWN_ERR_RANGE;
	n = size >> OWN_PAGE_SHIFT;
	if (!storage || storage_entries < n)
		return -OWN_ERR_STORAGE;
	if (!owner_valid(initial))
		return -OWN_ERR_BAD_OWNER;

	for (i = 0; i < n; i++)
		storage[i] = initial;
	t->base = base;
	t->npages = n;
	t->entries = storage;
	t->maps = NULL;
	return 0;
}

int own_track_maps(struct own_table *t, own_maps_t *storage, uint64_t storage_entries)
{
	uint64_t i;

	if (!t || !t->entries || !storage || storage_entries < t->npages)
		return -OWN_ERR_STORAGE;
	for (i = 0; i < t->npages; i++)
		storage[i] = 0;
	t->maps = storage;
	return 0;
}

/*
 * One more stage-2 entry for each of n counts, in one pass: a count
 * already at OWN_MAX_MAPS stops it, and the counts it had raised go back
 * down, so the caller sees all or nothing (the SMM lock is held: nobody
 * sees the counts in between).
 */
static inline __attribute__((always_inline)) int maps_add(own_maps_t *maps, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++) {
		if (maps[i] >= OWN_MAX_MAPS) {
			while (i--)
				maps[i]--;
			return -OWN_ERR_MAP_COUNT;
		}
		maps[i]++;
	}
	return 0;
}

/* One fewer for each of n counts, in one pass; a zero count undoes it all. */
static inline __attribute__((always_inline)) int maps_sub(own_maps_t *maps, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++) {
		if (maps[i] == 0) {
			while (i--)
				maps[i]++;
			return -OWN_ERR_NOT_OWNER;
		}
		maps[i]--;
	}
	return 0;
}

int own_map_get(struct own_table *t, uint64_t pa, uint64_t size)
{
	uint64_t first, n;
	int ret;

	ret = own_range(t, pa, size, &first, &n);
	if (ret)
		return ret;
	if (!t->maps)
		return -OWN_ERR_STORAGE;
	return maps_add(t->maps + first, n);
}

int own_map_put(struct own_table *t, uint64_t pa, uint64_t size)
{
	uint64_t first, n;
	int ret;

	ret = own_range(t, pa, size, &first, &n);
	if (ret)
		return ret;
	if (!t->maps)
		return -OWN_ERR_STORAGE;
	return maps_sub(t->maps + first, n);
}

unsigned own_map_count(const struct own_table *t, uint64_t pa)
{
	uint64_t idx;

	if (!t || !t->entries || !t->maps || pa < t->base)
		return 0;
	idx = (pa - t->base) >> OWN_PAGE_SHIFT;
	return idx < t->npages ? t->maps[idx] : 0;
}

int own_get(const struct own_table *t, uint64_t pa, owner_t *out)
{
	uint64_t idx;

	if (!t || !t->entries || pa < t->base)
		return -OWN_ERR_RANGE;
	idx = (pa - t->base) >> OWN_PAGE_SHIFT;
	if (idx >= t->npages)
		return -OWN_ERR_RANGE;
	if (out)
		*out = t->entries[idx];
	return 0;
}

int own_set(struct own_table *t, uint64_t pa, uint64_t size, owner_t owner)
{
	uint64_t first, n, i;
	int ret;

	ret = own_range(t, pa, size, &first, &n);
	if (ret)
		return ret;
	if (!owner_valid(owner))
		return -OWN_ERR_BAD_OWNER;
	for (i = 0; i < n; i++)
		t->entries[first + i] = owner;
	return 0;
}

bool own_all(const struct own_table *t, uint64_t pa, uint64_t size, owner_t o)
{
	uint64_t first, n, i;

	if (own_range(t, pa, size, &first, &n))
		return false;
	for (i = 0; i < n; i++)
		if (t->entries[first + i] != o)
			return false;
	return true;
}

/* The owners a checked transition may give pages to or take them from. */
static bool transferable(owner_t o)
{
	enum own_type type = OWNER_TYPE(o);

	return type == OWN_VM || type == OWN_TEE || type == OWN_PT;
}

int own_can_donate(const struct own_table *t, uint64_t pa, uint64_t size, owner_t to)
{
	uint64_t first, n, i;
	int ret;

	ret = own_range(t, pa, size, &first, &n);
	if (ret)
		return ret;
	if (!owner_valid(to))
		return -OWN_ERR_BAD_OWNER;
	if (!transferable(to))
		return -OWN_ERR_TRANSITION;

	/* Check every page before changing any: all or nothing. */
	for (i = 0; i < n; i++) {
		enum own_type type = OWNER_TYPE(t->entries[first + i]);

		/* OWN_FREE and OWN_HYP carry id 0, so the type says it all. */
		if (type != OWN_FREE && type != OWN_HYP)
			return -OWN_ERR_NOT_OWNER;
	}
	/* Never happens while the counts are right (reclaim leaves none): refuse anyway. */
	if (t->maps)
		for (i = 0; i < n; i++)
			if (t->maps[first + i])
				return -OWN_ERR_MAPPED;
	return 0;
}

int own_donate(struct own_table *t, uint64_t pa, uint64_t size, owner_t to)
{
	uint64_t first, n, i;
	int ret;

	ret = own_can_donate(t, pa, size, to);
	if (ret || (ret = own_range(t, pa, size, &first, &n)))
		return ret;
	for (i = 0; i < n; i++)
		t->entries[first + i] = to;
	return 0;
}

int own_reclaim(struct own_table *t, uint64_t pa, uint64_t size, owner_t from, bool *scrub)
{
	uint64_t first, n, i;
	int ret;

	/* False on every failure, the range errors included. */
	if (scrub)
		*scrub = false;
	ret = own_range(t, pa, size, &first, &n);
	if (ret)
		return ret;
	/*
	 * Without somewhere to say "zero these first" the caller could hand a
	 * TEE's secrets to the hypervisor: refuse rather than guess.
	 */
	if (!scrub)
		return -OWN_ERR_BAD_OWNER;
	if (!owner_valid(from))
		return -OWN_ERR_BAD_OWNER;
	if (!transferable(from))
		return -OWN_ERR_TRANSITION;

	for (i = 0; i < n; i++)
		if (t->entries[first + i] != from)
			return -OWN_ERR_NOT_OWNER;
	/* An alias left in some stage 2 would outlive the change of owner. */
	if (t->maps)
		for (i = 0; i < n; i++)
			if (t->maps[first + i])
				return -OWN_ERR_MAPPED;
	for (i = 0; i < n; i++)
		t->entries[first + i] = OWNER(OWN_HYP, 0);
	/*
	 * A VM's memory is the hypervisor's to see anyway (it maps VM pages);
	 * a TEE's is secret, and a page table's reveals the TEE's layout.
	 */
	*scrub = OWNER_TYPE(from) != OWN_VM;
	return 0;
}

/*
 * Why a guest (a VM, or its TEE) may not map a page owned by o, as
 * precisely as we can say it: the most specific reason helps whoever reads
 * the log of a refused, possibly hostile, request. The callers have
 * already accepted the pages the guest owns, so any VM page here is
 * another VM's.
 */
static int foreign_page(owner_t o)
{
	switch (OWNER_TYPE(o)) {
	case OWN_TEE:
		return -OWN_ERR_TEE_PAGE;
	case OWN_PT:
		return -OWN_ERR_PT_PAGE;
	case OWN_CIEE:
		return -OWN_ERR_CIEE_PAGE;
	case OWN_VM:
		return -OWN_ERR_OTHER_VM;
	default:
		/* FREE, HYP, HYP_TEXT, and whatever a corrupted entry holds. */
		return -OWN_ERR_NOT_OWNER;
	}
}

/*
 * The rule of smm_check_vm_map, shared with smm_vm_map_get so that both
 * make exactly the same checks in the same order; *first, *n: the pages.
 */
static inline __attribute__((always_inline)) int
vm_map_check(const struct own_table *t, unsigned vm_id, uint64_t pa, uint64_t size,
	     unsigned perms, uint64_t *first, uint64_t *n)
{
	uint64_t i;
	owner_t mine;
	int ret;

	ret = own_range(t, pa, size, first, n);
	if (ret)
		return ret;
	ret = perms_valid(perms);
	if (ret)
		return ret;
	/* OWNER() would truncate a larger id into some other VM's. */
	if (vm_id > OWN_MAX_ID)
		return -OWN_ERR_BAD_OWNER;
	mine = OWNER(OWN_VM, vm_id);

	/*
	 * Any R/W/X combination is fine on a guest's own RAM: stage 2 has to
	 * allow W+X for a guest kernel that loads code; W^X inside the guest
	 * is its own stage 1's business.
	 */
	for (i = 0; i < *n; i++) {
		owner_t o = t->entries[*first + i];

		if (o != mine)
			return foreign_page(o);
	}
	return 0;
}

int smm_check_vm_map(const struct own_table *t, unsigned vm_id, uint64_t pa, uint64_t size,
		     unsigned perms)
{
	uint64_t first, n;

	return vm_map_check(t, vm_id, pa, size, perms, &first, &n);
}

int smm_vm_map_get(struct own_table *t, unsigned vm_id, uint64_t pa, uint64_t size,
		   unsigned perms)
{
	uint64_t first, n;
	int ret;

	ret = vm_map_check(t, vm_id, pa, size, perms, &first, &n);
	if (ret)
		return ret;
	/* Then exactly own_map_get's checks: own_range passed above. */
	if (!t->maps)
		return -OWN_ERR_STORAGE;
	return maps_add(t->maps + first, n);
}

int smm_check_tee_map(const struct own_table *t, unsigned tee_id, unsigned vm_id, uint64_t pa,
		      uint64_t size, unsigned perms)
{
	uint64_t first, n, i;
	owner_t tee, vm;
	int ret;

	ret = own_range(t, pa, size, &first, &n);
	if (ret)
		return ret;
	ret = perms_valid(perms);
	if (ret)
		return ret;
	if (tee_id > OWN_MAX_ID || vm_id > OWN_MAX_ID)
		return -OWN_ERR_BAD_OWNER;
	/*
	 * Which VM a TEE belongs to is the caller's record (the CIEE binds
	 * each TEE to one VM for life, at VM_CREATE); this rule only checks
	 * pages against that pair.
	 */
	tee = OWNER(OWN_TEE, tee_id);
	vm = OWNER(OWN_VM, vm_id);

	for (i = 0; i < n; i++) {
		owner_t o = t->entries[first + i];

		if (o == tee)
			continue;
		if (o == vm) {
			/* A TEE never runs normal-world code. */
			if (perms & SMM_PERM_X)
				return -OWN_ERR_PERM;
			continue;
		}
		return foreign_page(o);
	}
	return 0;
}

int smm_check_hyp_map(const struct own_table *t, uint64_t pa, uint64_t size, unsigned perms)
{
	uint64_t first, n, i;
	int ret;

	ret = own_range(t, pa, size, &first, &n);
	if (ret)
		return ret;
	ret = perms_valid(perms);
	if (ret)
		return ret;
	/*
	 * EL2 stage 1 cannot express execute-only (every valid page is
	 * readable) and SCTLR_EL2.WXN forbids W+X: refuse both outright.
	 */
	if (!(perms & SMM_PERM_R))
		return -OWN_ERR_PERM;
	if ((perms & SMM_PERM_W) && (perms & SMM_PERM_X))
		return -OWN_ERR_PERM;

	for (i = 0; i < n; i++) {
		owner_t o = t->entries[first + i];

		switch (OWNER_TYPE(o)) {
		case OWN_FREE:
		case OWN_HYP:
		case OWN_VM:
			/* Data: only the verified text is ever executable. */
			if (perms & SMM_PERM_X)
				return -OWN_ERR_PERM;
			break;
		case OWN_HYP_TEXT:
			/* Writable text would undo the boot-time scan. */
			if (perms & SMM_PERM_W)
				return -OWN_ERR_PERM;
			break;
		case OWN_TEE:
			return -OWN_ERR_TEE_PAGE;
		case OWN_PT:
			/* Not even read-only: the hypervisor has no business there. */
			return -OWN_ERR_PT_PAGE;
		case OWN_CIEE:
			return -OWN_ERR_CIEE_PAGE;
		default:
			return -OWN_ERR_NOT_OWNER;
		}
	}
	return 0;
}

int smm_check_hyp_buffer(const struct own_table *t, uint64_t addr, uint64_t size)
{
	uint64_t first, last, i;

	if ((addr & 7) || size == 0)
		return -OWN_ERR_ALIGN;
	if (!t || !t->entries || size - 1 > UINT64_MAX - addr || addr < t->base)
		return -OWN_ERR_RANGE;
	first = (addr - t->base) >> OWN_PAGE_SHIFT;
	last = (addr + size - 1 - t->base) >> OWN_PAGE_SHIFT;
	if (last >= t->npages)
		return -OWN_ERR_RANGE;
	for (i = first; i <= last; i++) {
		owner_t o = t->entries[i];

		switch (OWNER_TYPE(o)) {
		case OWN_HYP:
			continue;
		case OWN_HYP_TEXT:
			return -OWN_ERR_TEXT_PAGE;
		case OWN_VM:
			return -OWN_ERR_OTHER_VM;
		default:
			return foreign_page(o);
		}
	}
	return 0;
}

const char *own_strerror(int err)
{
	/* Negate in unsigned arithmetic: -INT_MIN would overflow. */
	unsigned e = err < 0 ? 0U - (unsigned)err : (unsigned)err;

	switch (e) {
	case OWN_OK:
		return "success";
	case OWN_ERR_RANGE:
		return "address range outside the ownership table";
	case OWN_ERR_ALIGN:
		return "address or size not page aligned, or size zero";
	case OWN_ERR_NOT_OWNER:
		return "page not owned by the expected owner";
	case OWN_ERR_BAD_OWNER:
		return "invalid owner or id";
	case OWN_ERR_TRANSITION:
		return "ownership change not allowed";
	case OWN_ERR_TEE_PAGE:
		return "would expose a TEE page";
	case OWN_ERR_PT_PAGE:
		return "would map a translation-table page";
	case OWN_ERR_CIEE_PAGE:
		return "would map CIEE or monitor memory";
	case OWN_ERR_OTHER_VM:
		return "page belongs to another VM";
	case OWN_ERR_PERM:
		return "permissions not allowed for that page";
	case OWN_ERR_STORAGE:
		return "ownership table storage missing or too small";
	case OWN_ERR_MAPPED:
		return "page still mapped in a stage 2";
	case OWN_ERR_MAP_COUNT:
		return "page has too many stage-2 mappings";
	case OWN_ERR_TEXT_PAGE:
		return "range touches the hypervisor's text";
	default:
		return "unknown ownership error";
	}
}
