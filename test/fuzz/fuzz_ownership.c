/* SPDX-License-Identifier: MIT */
/*
 * policy/ownership.c: the input sets up a small ownership table, then is a
 * sequence of own_donate / own_reclaim / own_set / own_get / own_all,
 * smm_check_* and own_init calls, as a hostile hypervisor would make them
 * (addresses around and outside the table, sizes that wrap, forged owner
 * values and ids, bad permissions). Every result is compared with a
 * reference written from policy/ownership.h, a refused call must leave
 * the table exactly as it was, a check never changes it, and
 * smm_check_vm_map never allows a page that is not the VM's own (another
 * VM's, a TEE's, anything else).
 *
 * Stage-2 map counts (aliases): own_map_get / own_map_put ops play the
 * CIEE mapping and unmapping pages, a shadow count per page follows them,
 * every count must equal its shadow after every op, and own_reclaim (and
 * own_donate) must never succeed on a page whose shadow count is nonzero:
 * no page changes owner while some stage 2 still points at it.
 * smm_check_hyp_buffer is checked against the header's rule too, and
 * smm_vm_map_get (the CIEE's S2_MAP of a guest's RAM) against
 * smm_check_vm_map's rule followed by own_map_get's: same result, counts
 * raised only when it succeeds, never for a page that is not the VM's.
 *
 * Layout: [0] base (bits 1:0), [1] pages - 1 (& 63), [2] initial owner
 * (bits 6:0), map counts not tracked (bit 7), then 8 bytes per op:
 *   [0] kind (bits 3:0; 12-14 are map get/put again, 15 is smm_vm_map_get)
 *   [1] first page, from 4 below the table
 *   [2] pages (bits 4:0), pa + 2 KiB (bit 5), raw 64-bit size (bit 6),
 *       reclaim with scrub NULL (bit 7)
 *   [3] perms (bits 3:0); map get, vm map get: preset the first page's count to
 *       OWN_MAX_MAPS - bit 0 (bit 4); track: one entry short (bit 0)
 *   [4] owner  [5] vm id (hyp buffer: size low bits)  [6] tee id
 *   [7] raw owner low (hyp buffer: byte offset)
 * then 8 more bytes for a raw size.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <policy/ownership.h>

#include "fuzz_util.h"

#define PG 0x1000ULL
#define MAX_PAGES 64
#define MAX_OPS 128
#define SCRATCH_ENTRIES 8

enum op_kind {
	OP_DONATE, OP_RECLAIM, OP_SET, OP_GET, OP_CHECK_VM, OP_CHECK_TEE, OP_CHECK_HYP, OP_INIT,
	OP_MAP_GET, OP_MAP_PUT, OP_HYP_BUFFER, OP_TRACK, OP_VM_MAP_GET,
};

static struct own_table t;
static owner_t *entries;   /* exactly t.npages, so ASan sees any overrun */
static owner_t shadow[MAX_PAGES];
static own_maps_t *maps;   /* exactly t.npages too */
static own_maps_t shadow_maps[MAX_PAGES];
static bool tracked;       /* the shadow of t.maps != NULL */
static uint64_t base, npages;

/* Mostly well-formed owners (some with a forged id); bit 7: any 16-bit value. */
static owner_t owner_from(uint8_t b, uint8_t raw)
{
	if (b & 0x80)
		return (owner_t)(raw | (b & 0x7f) << 8 | (b & 1) << 15);
	return OWNER(b & 7, (b >> 3) & 3);
}

/* Small ids, the largest valid one, and ids above it. */
static unsigned id_from(uint8_t b)
{
	return (b & 0x80) ? OWN_MAX_ID + (b & 0x7fU) : b & 3U;
}

static bool ref_owner_valid(owner_t o)
{
	switch (OWNER_TYPE(o)) {
	case OWN_VM:
	case OWN_TEE:
		return true;
	case OWN_FREE:
	case OWN_HYP:
	case OWN_HYP_TEXT:
	case OWN_PT:
	case OWN_CIEE:
		return OWNER_ID(o) == 0;
	default:
		return false;
	}
}

static bool ref_perms_valid(unsigned perms)
{
	return perms && !(perms & ~7U) && !((perms & SMM_PERM_W) && !(perms & SMM_PERM_R));
}

/* The header's range rules: alignment, then inside the table without wrapping. */
static int ref_range(uint64_t pa, uint64_t size, uint64_t *first, uint64_t *n)
{
	if ((pa | size) & (PG - 1) || size == 0)
		return -OWN_ERR_ALIGN;
	if (pa + size < pa || pa < base || pa + size > base + npages * PG)
		return -OWN_ERR_RANGE;
	*first = (pa - base) / PG;
	*n = size / PG;
	return 0;
}

static int ref_foreign(owner_t o)
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
		return -OWN_ERR_NOT_OWNER;
	}
}

static bool transferable(owner_t o)
{
	return OWNER_TYPE(o) == OWN_VM || OWNER_TYPE(o) == OWN_TEE || OWNER_TYPE(o) == OWN_PT;
}

/*
 * The header gives no order between the argument errors of smm_check_*
 * (bad perms, bad id): when both apply, the call must give one of them.
 */
static bool one_of(int ret, int a, int b)
{
	return (a && ret == a) || (b && ret == b);
}

/* Owners and map counts both equal their shadows (after the shadow's update, if any). */
static void check_unchanged(const char *what, int ret)
{
	FUZZ_CHECK(memcmp(entries, shadow, npages * sizeof(owner_t)) == 0,
		   "%s (ret %d) changed the table", what, ret);
	FUZZ_CHECK(memcmp(maps, shadow_maps, npages * sizeof(own_maps_t)) == 0,
		   "%s (ret %d): map counts differ from the shadow", what, ret);
	FUZZ_CHECK((t.maps != NULL) == tracked, "%s (ret %d): tracking changed", what, ret);
}

static void op_transfer(unsigned kind, uint64_t pa, uint64_t size, owner_t o, bool scrub_null)
{
	uint64_t first = 0, n = 0, i;
	bool scrub = true;
	int want, ret;

	want = ref_range(pa, size, &first, &n);
	if (!want && kind == OP_RECLAIM && scrub_null)
		want = -OWN_ERR_BAD_OWNER;
	if (!want && !ref_owner_valid(o))
		want = -OWN_ERR_BAD_OWNER;
	if (!want && kind != OP_SET && !transferable(o))
		want = -OWN_ERR_TRANSITION;
	for (i = 0; !want && kind != OP_SET && i < n; i++) {
		owner_t cur = shadow[first + i];

		if (kind == OP_DONATE && OWNER_TYPE(cur) != OWN_FREE && OWNER_TYPE(cur) != OWN_HYP)
			want = -OWN_ERR_NOT_OWNER;
		if (kind == OP_RECLAIM && cur != o)
			want = -OWN_ERR_NOT_OWNER;
	}
	/* After ownership: a page still mapped somewhere never changes owner. */
	for (i = 0; !want && tracked && kind != OP_SET && i < n; i++)
		if (shadow_maps[first + i])
			want = -OWN_ERR_MAPPED;

	switch (kind) {
	case OP_DONATE:
		ret = own_donate(&t, pa, size, o);
		break;
	case OP_RECLAIM:
		ret = own_reclaim(&t, pa, size, o, scrub_null ? NULL : &scrub);
		break;
	default:
		ret = own_set(&t, pa, size, o);
		break;
	}
	FUZZ_CHECK(ret == want, "op %u pa %#llx size %#llx owner %#x: %d, want %d", kind,
		   (unsigned long long)pa, (unsigned long long)size, o, ret, want);
	if (ret) {
		check_unchanged("refused transition", ret);
		if (kind == OP_RECLAIM && !scrub_null)
			FUZZ_CHECK(!scrub, "failed reclaim (%d) left *scrub true", ret);
		return;
	}
	/* The rule RECLAIM relies on, stated on its own: no alias outlives it. */
	for (i = 0; kind != OP_SET && i < n; i++)
		FUZZ_CHECK(shadow_maps[first + i] == 0,
			   "op %u succeeded on page %llu with %u stage-2 mappings", kind,
			   (unsigned long long)(first + i), shadow_maps[first + i]);
	for (i = 0; i < n; i++)
		shadow[first + i] = kind == OP_RECLAIM ? OWNER(OWN_HYP, 0) : o;
	check_unchanged("transition", ret);
	if (kind == OP_RECLAIM)
		FUZZ_CHECK(scrub == (OWNER_TYPE(o) != OWN_VM), "reclaim from %#x: scrub %d", o,
			   scrub);
}

static void op_get(uint64_t pa, uint64_t size, owner_t o)
{
	uint64_t first, n, i;
	owner_t got = 0xbeef;
	bool all, want_all;
	int ret;

	ret = own_get(&t, pa, &got);
	if (pa < base || (pa - base) / PG >= npages) {
		FUZZ_CHECK(ret == -OWN_ERR_RANGE, "own_get(%#llx) outside: %d",
			   (unsigned long long)pa, ret);
		FUZZ_CHECK(got == 0xbeef, "own_get(%#llx) outside wrote *out",
			   (unsigned long long)pa);
	} else {
		FUZZ_CHECK(ret == 0 && got == shadow[(pa - base) / PG], "own_get(%#llx): %d, %#x",
			   (unsigned long long)pa, ret, got);
	}
	FUZZ_CHECK(own_get(&t, pa, NULL) == ret, "own_get(%#llx, NULL)", (unsigned long long)pa);

	want_all = !ref_range(pa, size, &first, &n);
	for (i = 0; want_all && i < n; i++)
		want_all = shadow[first + i] == o;
	all = own_all(&t, pa, size, o);
	FUZZ_CHECK(all == want_all, "own_all(%#llx, %#llx, %#x) = %d", (unsigned long long)pa,
		   (unsigned long long)size, o, all);
}

static void op_check(unsigned kind, uint64_t pa, uint64_t size, unsigned perms, unsigned vm,
		     unsigned tee)
{
	uint64_t first = 0, n = 0, i;
	int want, arg_a = 0, arg_b = 0, ret;

	want = ref_range(pa, size, &first, &n);
	if (!want) {
		if (!ref_perms_valid(perms) ||
		    (kind == OP_CHECK_HYP &&
		     (!(perms & SMM_PERM_R) || ((perms & SMM_PERM_W) && (perms & SMM_PERM_X)))))
			arg_a = -OWN_ERR_PERM;
		if ((kind == OP_CHECK_VM && vm > OWN_MAX_ID) ||
		    (kind == OP_CHECK_TEE && (vm > OWN_MAX_ID || tee > OWN_MAX_ID)))
			arg_b = -OWN_ERR_BAD_OWNER;
	}
	for (i = 0; !want && !arg_a && !arg_b && i < n; i++) {
		owner_t o = shadow[first + i];

		switch (kind) {
		case OP_CHECK_VM:
			if (o != OWNER(OWN_VM, vm))
				want = ref_foreign(o);
			break;
		case OP_CHECK_TEE:
			if (o == OWNER(OWN_TEE, tee))
				break;
			if (o == OWNER(OWN_VM, vm))
				want = (perms & SMM_PERM_X) ? -OWN_ERR_PERM : 0;
			else
				want = ref_foreign(o);
			break;
		default:
			switch (OWNER_TYPE(o)) {
			case OWN_FREE:
			case OWN_HYP:
			case OWN_VM:
				want = (perms & SMM_PERM_X) ? -OWN_ERR_PERM : 0;
				break;
			case OWN_HYP_TEXT:
				want = (perms & SMM_PERM_W) ? -OWN_ERR_PERM : 0;
				break;
			default:
				want = ref_foreign(o);
				break;
			}
			break;
		}
	}

	switch (kind) {
	case OP_CHECK_VM:
		ret = smm_check_vm_map(&t, vm, pa, size, perms);
		break;
	case OP_CHECK_TEE:
		ret = smm_check_tee_map(&t, tee, vm, pa, size, perms);
		break;
	default:
		ret = smm_check_hyp_map(&t, pa, size, perms);
		break;
	}
	if (arg_a || arg_b)
		FUZZ_CHECK(one_of(ret, arg_a, arg_b), "check %u perms %#x vm %u tee %u: %d, want %d/%d",
			   kind, perms, vm, tee, ret, arg_a, arg_b);
	else
		FUZZ_CHECK(ret == want, "check %u pa %#llx size %#llx perms %#x vm %u tee %u: %d, want %d",
			   kind, (unsigned long long)pa, (unsigned long long)size, perms, vm, tee,
			   ret, want);
	check_unchanged("smm_check", ret);

	/* The rule the CIEE relies on, stated on its own. */
	if (kind == OP_CHECK_VM && ret == 0)
		for (i = 0; i < n; i++)
			FUZZ_CHECK(shadow[first + i] == OWNER(OWN_VM, vm),
				   "VM %u allowed to map page %llu owned by %#x", vm,
				   (unsigned long long)(first + i), shadow[first + i]);
}

/*
 * One more or one fewer stage-2 mapping of each page (the CIEE's S2_MAP and
 * S2_UNMAP). All or nothing: a refusal changes no count.
 */
static void op_map(unsigned kind, uint64_t pa, uint64_t size, bool preset, bool one_short)
{
	uint64_t first = 0, n = 0, i;
	int want, ret;

	/* Reaching OWN_MAX_MAPS by 65535 gets is too slow for a fuzzer: preset it. */
	if (preset && tracked && pa >= base && (pa - base) / PG < npages) {
		i = (pa - base) / PG;
		maps[i] = shadow_maps[i] = (own_maps_t)(OWN_MAX_MAPS - one_short);
	}
	want = ref_range(pa, size, &first, &n);
	if (!want && !tracked)
		want = -OWN_ERR_STORAGE;
	for (i = 0; !want && i < n; i++) {
		if (kind == OP_MAP_GET && shadow_maps[first + i] >= OWN_MAX_MAPS)
			want = -OWN_ERR_MAP_COUNT;
		if (kind == OP_MAP_PUT && shadow_maps[first + i] == 0)
			want = -OWN_ERR_NOT_OWNER;
	}
	ret = kind == OP_MAP_GET ? own_map_get(&t, pa, size) : own_map_put(&t, pa, size);
	FUZZ_CHECK(ret == want, "map op %u pa %#llx size %#llx: %d, want %d", kind,
		   (unsigned long long)pa, (unsigned long long)size, ret, want);
	for (i = 0; !ret && i < n; i++)
		shadow_maps[first + i] += kind == OP_MAP_GET ? 1 : -1;
	check_unchanged("map count op", ret);
}

/*
 * smm_vm_map_get: smm_check_vm_map's rule, then own_map_get's, in that
 * order; all or nothing.
 */
static void op_vm_map_get(uint64_t pa, uint64_t size, unsigned perms, unsigned vm, bool preset,
			  bool one_short)
{
	uint64_t first = 0, n = 0, i;
	int want, arg_a = 0, arg_b = 0, ret;

	if (preset && tracked && pa >= base && (pa - base) / PG < npages) {
		i = (pa - base) / PG;
		maps[i] = shadow_maps[i] = (own_maps_t)(OWN_MAX_MAPS - one_short);
	}
	want = ref_range(pa, size, &first, &n);
	if (!want) {
		if (!ref_perms_valid(perms))
			arg_a = -OWN_ERR_PERM;
		if (vm > OWN_MAX_ID)
			arg_b = -OWN_ERR_BAD_OWNER;
	}
	for (i = 0; !want && !arg_a && !arg_b && i < n; i++)
		if (shadow[first + i] != OWNER(OWN_VM, vm))
			want = ref_foreign(shadow[first + i]);
	if (!want && !arg_a && !arg_b && !tracked)
		want = -OWN_ERR_STORAGE;
	for (i = 0; !want && !arg_a && !arg_b && i < n; i++)
		if (shadow_maps[first + i] >= OWN_MAX_MAPS)
			want = -OWN_ERR_MAP_COUNT;
	ret = smm_vm_map_get(&t, vm, pa, size, perms);
	if (arg_a || arg_b)
		FUZZ_CHECK(one_of(ret, arg_a, arg_b), "vm map get perms %#x vm %u: %d, want %d/%d",
			   perms, vm, ret, arg_a, arg_b);
	else
		FUZZ_CHECK(ret == want, "vm map get pa %#llx size %#llx perms %#x vm %u: %d, want %d",
			   (unsigned long long)pa, (unsigned long long)size, perms, vm, ret, want);
	for (i = 0; !ret && i < n; i++) {
		FUZZ_CHECK(shadow[first + i] == OWNER(OWN_VM, vm),
			   "VM %u counted a mapping of page %llu owned by %#x", vm,
			   (unsigned long long)(first + i), shadow[first + i]);
		shadow_maps[first + i]++;
	}
	check_unchanged("smm_vm_map_get", ret);
}

/* own_map_count at any address: the shadow inside the table, 0 elsewhere or untracked. */
static void check_count(uint64_t pa)
{
	unsigned want = 0, got = own_map_count(&t, pa);

	if (tracked && pa >= base && (pa - base) / PG < npages)
		want = shadow_maps[(pa - base) / PG];
	FUZZ_CHECK(got == want, "own_map_count(%#llx) = %u, want %u", (unsigned long long)pa, got,
		   want);
}

/* The header's rule for a hypervisor pointer argument. */
static void op_hyp_buffer(uint64_t addr, uint64_t size)
{
	uint64_t i, first, last;
	int want = 0, ret;

	if ((addr & 7) || size == 0)
		want = -OWN_ERR_ALIGN;
	else if (addr + (size - 1) < addr || addr < base ||
		 addr + (size - 1) >= base + npages * PG)
		want = -OWN_ERR_RANGE;
	if (!want) {
		first = (addr - base) / PG;
		last = (addr + size - 1 - base) / PG;
		for (i = first; !want && i <= last; i++) {
			owner_t o = shadow[i];

			if (OWNER_TYPE(o) == OWN_HYP)
				continue;
			want = OWNER_TYPE(o) == OWN_HYP_TEXT ? -OWN_ERR_TEXT_PAGE : ref_foreign(o);
		}
	}
	ret = smm_check_hyp_buffer(&t, addr, size);
	FUZZ_CHECK(ret == want, "smm_check_hyp_buffer(%#llx, %#llx): %d, want %d",
		   (unsigned long long)addr, (unsigned long long)size, ret, want);
	check_unchanged("smm_check_hyp_buffer", ret);
}

/* (Re)start tracking: every count back to zero, or, one entry short, nothing at all. */
static void op_track(bool one_short)
{
	int ret = own_track_maps(&t, maps, npages - one_short);

	if (one_short) {
		FUZZ_CHECK(ret == -OWN_ERR_STORAGE, "own_track_maps short: %d", ret);
	} else {
		FUZZ_CHECK(ret == 0, "own_track_maps: %d", ret);
		memset(shadow_maps, 0, sizeof(shadow_maps));
		tracked = true;
	}
	check_unchanged("own_track_maps", ret);
}

/* own_init on a scratch table: its checks, and a failed init covers nothing. */
static void op_init(uint64_t b, uint64_t size, unsigned n_storage, bool null_storage,
		    owner_t initial)
{
	owner_t storage[SCRATCH_ENTRIES];
	struct own_table s;
	int want = 0, ret;

	if ((b | size) & (PG - 1) || size == 0)
		want = -OWN_ERR_ALIGN;
	else if (size > UINT64_MAX - b)
		want = -OWN_ERR_RANGE;
	else if (null_storage || n_storage < size / PG)
		want = -OWN_ERR_STORAGE;
	else if (!ref_owner_valid(initial))
		want = -OWN_ERR_BAD_OWNER;
	memset(&s, 0xa5, sizeof(s));
	ret = own_init(&s, b, size, null_storage ? NULL : storage, n_storage, initial);
	FUZZ_CHECK(ret == want, "own_init(%#llx, %#llx, %u, %#x): %d, want %d",
		   (unsigned long long)b, (unsigned long long)size, n_storage, initial, ret, want);
	if (ret) {
		FUZZ_CHECK(own_get(&s, b, NULL) == -OWN_ERR_RANGE &&
				   own_set(&s, b & ~(PG - 1), PG, OWNER(OWN_HYP, 0)) == -OWN_ERR_RANGE,
			   "failed own_init left a usable table");
		return;
	}
	FUZZ_CHECK(own_all(&s, b, size, initial), "own_init: not every page %#x", initial);
	/* A fresh table does not track mappings until asked to. */
	FUZZ_CHECK(own_map_get(&s, b, PG) == -OWN_ERR_STORAGE && own_map_count(&s, b) == 0,
		   "own_init: map counts tracked without own_track_maps");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t bases[4] = {
		0x40000000ULL, 0, 0xfffffffffff00000ULL, 0x80000000ULL,
	};
	struct fuzz_in in = { data, size, 0 };
	uint8_t b_base = fuzz_u8(&in), b_pages = fuzz_u8(&in), b_init = fuzz_u8(&in);
	uint64_t hb_addr, hb_size;
	owner_t initial = owner_from(b_init & 0x7f, 0);
	unsigned op, i;

	base = bases[b_base & 3];
	/* At most 64 pages: the top table ends below 2^64, as own_init requires. */
	npages = 1 + b_pages % MAX_PAGES;
	if (!ref_owner_valid(initial))
		initial = OWNER(OWN_FREE, 0);
	entries = malloc(npages * sizeof(*entries));
	if (!entries)
		abort();
	FUZZ_CHECK(own_init(&t, base, npages * PG, entries, npages, initial) == 0, "own_init");
	for (i = 0; i < npages; i++)
		shadow[i] = initial;
	maps = malloc(npages * sizeof(*maps));
	if (!maps)
		abort();
	/* Untracked, the storage is never written: keep it equal to the (zero) shadow. */
	memset(maps, 0, npages * sizeof(*maps));
	memset(shadow_maps, 0, sizeof(shadow_maps));
	tracked = !(b_init & 0x80);
	if (tracked)
		FUZZ_CHECK(own_track_maps(&t, maps, npages) == 0, "own_track_maps");

	for (op = 0; op < MAX_OPS && fuzz_left(&in); op++) {
		uint8_t kind = fuzz_u8(&in) & 15, b_page = fuzz_u8(&in), b_size = fuzz_u8(&in);
		uint8_t b_perms = fuzz_u8(&in), b_owner = fuzz_u8(&in), b_vm = fuzz_u8(&in);
		uint8_t b_tee = fuzz_u8(&in), b_raw = fuzz_u8(&in);
		uint64_t pa = base + ((uint64_t)b_page % (npages + 8) - 4) * PG;
		uint64_t sz = (b_size & 0x40) ? fuzz_u64(&in) : (uint64_t)(b_size & 0x1f) * PG;
		owner_t o = owner_from(b_owner, b_raw);
		unsigned perms = b_perms & 0xf;

		if (b_size & 0x20)
			pa += PG / 2;
		/* Map counts change most often in a real CIEE: give them more ops. */
		if (kind == 15)
			kind = OP_VM_MAP_GET;
		else if (kind >= 12)
			kind = OP_MAP_GET + (kind & 1);
		switch (kind) {
		case OP_DONATE:
		case OP_RECLAIM:
		case OP_SET:
			op_transfer(kind, pa, sz, o, b_size & 0x80);
			break;
		case OP_GET:
			op_get(pa, sz, o);
			break;
		case OP_CHECK_VM:
		case OP_CHECK_TEE:
		case OP_CHECK_HYP:
			op_check(kind, pa, sz, perms, id_from(b_vm), id_from(b_tee));
			break;
		case OP_MAP_GET:
		case OP_MAP_PUT:
			op_map(kind, pa, sz, b_perms & 0x10, b_perms & 1);
			break;
		case OP_VM_MAP_GET:
			op_vm_map_get(pa, sz, perms, id_from(b_vm), b_perms & 0x10, b_perms & 1);
			break;
		case OP_HYP_BUFFER:
			/* Byte offsets and sizes around pages, from the page-based pa and size. */
			hb_addr = (pa & ~(PG - 1)) + (uint64_t)b_raw * 0x10 + (b_raw & 0xf);
			hb_size = (b_size & 0x40) ? sz
						  : sz + (uint64_t)b_vm * 8 - (b_vm & 0x80 ? PG : 0);
			op_hyp_buffer(hb_addr, hb_size);
			break;
		case OP_TRACK:
			op_track(b_perms & 1);
			break;
		default:
			op_init(pa, sz, b_perms % (SCRATCH_ENTRIES + 1), b_vm & 1, o);
			break;
		}
		check_count(pa);
		check_count(base + (uint64_t)b_tee % npages * PG + b_raw);
		check_unchanged("any op", 0);
	}
	free(maps);
	free(entries);
	return 0;
}
