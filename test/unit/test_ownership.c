/* SPDX-License-Identifier: MIT */
/*
 * Page ownership and the SMM map rules. Every rule gets an accepted case
 * and every rejection path its own assertion; every refused transition is
 * followed by a check that the table did not change (all or nothing).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <policy/ownership.h>

#define SZ_4K 0x1000UL
#define BASE 0x40000000UL
#define NPAGES 64
#define PG(i) (BASE + (uint64_t)(i) * SZ_4K)
#define END PG(NPAGES)

#define R SMM_PERM_R
#define W SMM_PERM_W
#define X SMM_PERM_X

/* Owner values written out by hand, not with OWNER(). */
#define O_FREE ((owner_t)0x0000)
#define O_HYP ((owner_t)0x1000)
#define O_TEXT ((owner_t)0x2000)
#define O_VM1 ((owner_t)0x3001)
#define O_VM2 ((owner_t)0x3002)
#define O_TEE1 ((owner_t)0x4001)
#define O_TEE2 ((owner_t)0x4002)
#define O_PT ((owner_t)0x5000)
#define O_CIEE ((owner_t)0x6000)
#define O_JUNK ((owner_t)0x9000) /* no such type: a corrupted entry */

/*
 * The fixture's layout (page index: owner):
 *   0-3 FREE  4-7 HYP  8-9 HYP_TEXT  10-13 VM1  14-15 VM2  16-17 TEE1
 *   18 TEE2  19 PT  20 CIEE  21 junk  22-63 FREE
 * Storage has two guard entries past the table that must never change.
 */
#define P_FREE 0
#define P_HYP 4
#define P_TEXT 8
#define P_VM1 10
#define P_VM2 14
#define P_TEE1 16
#define P_TEE2 18
#define P_PT 19
#define P_CIEE 20
#define P_JUNK 21
#define P_FREE2 22
#define GUARD ((owner_t)0xbeef)

struct fx {
	struct own_table t;
	owner_t store[NPAGES + 2];
	owner_t snap[NPAGES + 2];
	/* Map counts: used only by the tracked fixture, guarded the same way. */
	own_maps_t maps[NPAGES + 2];
	own_maps_t maps_snap[NPAGES + 2];
};

static void fx_assign(struct fx *fx, unsigned first, unsigned n, owner_t o)
{
	assert_int_equal(own_set(&fx->t, PG(first), n * SZ_4K, o), 0);
}

static int fx_setup(void **state)
{
	struct fx *fx = test_calloc(1, sizeof(*fx));

	assert_non_null(fx);
	fx->store[NPAGES] = GUARD;
	fx->store[NPAGES + 1] = GUARD;
	fx->maps[NPAGES] = GUARD;
	fx->maps[NPAGES + 1] = GUARD;
	assert_int_equal(own_init(&fx->t, BASE, NPAGES * SZ_4K, fx->store, NPAGES, O_FREE), 0);
	fx_assign(fx, P_HYP, 4, O_HYP);
	fx_assign(fx, P_TEXT, 2, O_TEXT);
	fx_assign(fx, P_VM1, 4, O_VM1);
	fx_assign(fx, P_VM2, 2, O_VM2);
	fx_assign(fx, P_TEE1, 2, O_TEE1);
	fx_assign(fx, P_TEE2, 1, O_TEE2);
	fx_assign(fx, P_PT, 1, O_PT);
	fx_assign(fx, P_CIEE, 1, O_CIEE);
	/* own_set refuses junk, so plant the corrupted entry directly. */
	fx->store[P_JUNK] = O_JUNK;
	*state = fx;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(fx->store[NPAGES], GUARD);
	assert_int_equal(fx->store[NPAGES + 1], GUARD);
	assert_int_equal(fx->maps[NPAGES], GUARD);
	assert_int_equal(fx->maps[NPAGES + 1], GUARD);
	test_free(fx);
	return 0;
}

/* The same layout, with stage-2 map counts tracked (all zero). */
static int fx_setup_tracked(void **state)
{
	struct fx *fx;

	fx_setup(state);
	fx = *state;
	assert_int_equal(own_track_maps(&fx->t, fx->maps, NPAGES), 0);
	return 0;
}

/* Owners and map counts both: a refused call must change neither. */
static void snap(struct fx *fx)
{
	memcpy(fx->snap, fx->store, sizeof(fx->snap));
	memcpy(fx->maps_snap, fx->maps, sizeof(fx->maps_snap));
}

static void assert_unchanged(struct fx *fx)
{
	assert_memory_equal(fx->snap, fx->store, sizeof(fx->snap));
	assert_memory_equal(fx->maps_snap, fx->maps, sizeof(fx->maps_snap));
}

static owner_t owner_at(struct fx *fx, uint64_t pa)
{
	owner_t o = 0xffff;

	assert_int_equal(own_get(&fx->t, pa, &o), 0);
	return o;
}

/* ---------------------------------------------------------------- owners */

static void test_owner_macros(void **state)
{
	(void)state;
	assert_int_equal(OWNER(OWN_VM, 1), O_VM1);
	assert_int_equal(OWNER(OWN_TEE, 2), O_TEE2);
	assert_int_equal(OWNER(OWN_CIEE, 0), O_CIEE);
	assert_int_equal(OWNER(OWN_TEE, OWN_MAX_ID), 0x4fff);
	assert_int_equal(OWNER_TYPE(O_PT), OWN_PT);
	assert_int_equal(OWNER_ID(O_VM2), 2);
	assert_int_equal(OWNER_ID(O_HYP), 0);
}

/* ------------------------------------------------------------------ init */

static void test_init(void **state)
{
	struct own_table t;
	owner_t store[6];
	unsigned i;

	(void)state;
	for (i = 0; i < 6; i++)
		store[i] = GUARD;
	assert_int_equal(own_init(&t, BASE, 4 * SZ_4K, store, 5, O_HYP), 0);
	assert_int_equal(t.base, BASE);
	assert_int_equal(t.npages, 4);
	assert_ptr_equal(t.entries, store);
	for (i = 0; i < 4; i++)
		assert_int_equal(store[i], O_HYP);
	/* Only the pages of the range are written, not the whole storage. */
	assert_int_equal(store[4], GUARD);
	assert_int_equal(store[5], GUARD);

	/* Exactly enough storage; VM and TEE ids up to OWN_MAX_ID. */
	assert_int_equal(own_init(&t, 0, 4 * SZ_4K, store, 4, OWNER(OWN_VM, OWN_MAX_ID)), 0);
	assert_int_equal(store[3], 0x3fff);
	assert_int_equal(own_init(&t, 0, 4 * SZ_4K, store, 4, 0x4fff), 0);
	assert_int_equal(own_init(&t, 0, 4 * SZ_4K, store, 4, O_CIEE), 0);

	/* The last page of the address space ends at 2^64: refused ... */
	assert_int_equal(own_init(&t, 0xfffffffffffff000UL, SZ_4K, store, 1, O_FREE),
			 -OWN_ERR_RANGE);
	/* ... while the one before it is fine. */
	assert_int_equal(own_init(&t, 0xffffffffffffe000UL, SZ_4K, store, 1, O_FREE), 0);
	assert_int_equal(own_get(&t, 0xffffffffffffefffUL, NULL), 0);
	assert_int_equal(own_get(&t, 0xfffffffffffff000UL, NULL), -OWN_ERR_RANGE);
}

static void test_init_rejected(void **state)
{
	struct own_table t;
	owner_t store[4];

	(void)state;
	/* Alignment. */
	assert_int_equal(own_init(&t, BASE + 1, 4 * SZ_4K, store, 4, O_FREE), -OWN_ERR_ALIGN);
	assert_int_equal(own_init(&t, BASE + 0x800, 4 * SZ_4K, store, 4, O_FREE),
			 -OWN_ERR_ALIGN);
	assert_int_equal(own_init(&t, BASE, 4 * SZ_4K + 8, store, 4, O_FREE), -OWN_ERR_ALIGN);
	assert_int_equal(own_init(&t, BASE, 0, store, 4, O_FREE), -OWN_ERR_ALIGN);
	/* Overflow. */
	assert_int_equal(own_init(&t, BASE, 0xfffffffffffff000UL, store, 4, O_FREE),
			 -OWN_ERR_RANGE);
	assert_int_equal(own_init(&t, 0xffffffff00000000UL, 0x100000000UL, store, 4, O_FREE),
			 -OWN_ERR_RANGE);
	/* Storage. */
	assert_int_equal(own_init(&t, BASE, 4 * SZ_4K, store, 3, O_FREE), -OWN_ERR_STORAGE);
	assert_int_equal(own_init(&t, BASE, 4 * SZ_4K, store, 0, O_FREE), -OWN_ERR_STORAGE);
	assert_int_equal(own_init(&t, BASE, 4 * SZ_4K, NULL, 4, O_FREE), -OWN_ERR_STORAGE);
	assert_int_equal(own_init(NULL, BASE, 4 * SZ_4K, store, 4, O_FREE), -OWN_ERR_STORAGE);
	/* Owner: unknown types, and an id on a type that has none. */
	assert_int_equal(own_init(&t, BASE, 4 * SZ_4K, store, 4, 0x7000), -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_init(&t, BASE, 4 * SZ_4K, store, 4, 0xf000), -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_init(&t, BASE, 4 * SZ_4K, store, 4, 0x0001), -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_init(&t, BASE, 4 * SZ_4K, store, 4, 0x1001), -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_init(&t, BASE, 4 * SZ_4K, store, 4, 0x2fff), -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_init(&t, BASE, 4 * SZ_4K, store, 4, 0x5001), -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_init(&t, BASE, 4 * SZ_4K, store, 4, 0x6001), -OWN_ERR_BAD_OWNER);

	/* Precedence: align, then range, then storage, then owner. */
	assert_int_equal(own_init(&t, BASE + 1, 0xfffffffffffff000UL, NULL, 0, 0x7000),
			 -OWN_ERR_ALIGN);
	assert_int_equal(own_init(&t, BASE, 0xfffffffffffff000UL, NULL, 0, 0x7000),
			 -OWN_ERR_RANGE);
	assert_int_equal(own_init(&t, BASE, 4 * SZ_4K, NULL, 0, 0x7000), -OWN_ERR_STORAGE);
}

/* A table whose init failed covers nothing, even if it worked before. */
static void test_init_failure_empties(void **state)
{
	struct own_table t;
	owner_t store[4];
	bool scrub;

	(void)state;
	assert_int_equal(own_init(&t, BASE, 4 * SZ_4K, store, 4, O_FREE), 0);
	assert_int_equal(own_init(&t, BASE, 4 * SZ_4K, store, 4, 0x7000), -OWN_ERR_BAD_OWNER);
	assert_int_equal(t.npages, 0);
	assert_null(t.entries);
	assert_int_equal(own_get(&t, BASE, NULL), -OWN_ERR_RANGE);
	assert_int_equal(own_set(&t, BASE, SZ_4K, O_HYP), -OWN_ERR_RANGE);
	assert_false(own_all(&t, BASE, SZ_4K, O_FREE));
	assert_int_equal(own_donate(&t, BASE, SZ_4K, O_VM1), -OWN_ERR_RANGE);
	assert_int_equal(own_reclaim(&t, BASE, SZ_4K, O_VM1, &scrub), -OWN_ERR_RANGE);
	assert_int_equal(smm_check_vm_map(&t, 1, BASE, SZ_4K, R), -OWN_ERR_RANGE);
	assert_int_equal(smm_check_tee_map(&t, 1, 1, BASE, SZ_4K, R), -OWN_ERR_RANGE);
	assert_int_equal(smm_check_hyp_map(&t, BASE, SZ_4K, R), -OWN_ERR_RANGE);
}

static void test_null_table(void **state)
{
	struct own_table zero = { 0 };
	owner_t o;
	bool scrub;

	(void)state;
	assert_int_equal(own_get(NULL, BASE, &o), -OWN_ERR_RANGE);
	assert_int_equal(own_set(NULL, BASE, SZ_4K, O_HYP), -OWN_ERR_RANGE);
	assert_false(own_all(NULL, BASE, SZ_4K, O_FREE));
	assert_int_equal(own_donate(NULL, BASE, SZ_4K, O_VM1), -OWN_ERR_RANGE);
	assert_int_equal(own_reclaim(NULL, BASE, SZ_4K, O_VM1, &scrub), -OWN_ERR_RANGE);
	assert_int_equal(smm_check_vm_map(NULL, 1, BASE, SZ_4K, R), -OWN_ERR_RANGE);
	assert_int_equal(smm_check_tee_map(NULL, 1, 1, BASE, SZ_4K, R), -OWN_ERR_RANGE);
	assert_int_equal(smm_check_hyp_map(NULL, BASE, SZ_4K, R), -OWN_ERR_RANGE);
	/* Alignment is still checked first. */
	assert_int_equal(smm_check_hyp_map(NULL, BASE + 1, SZ_4K, R), -OWN_ERR_ALIGN);
	/* A zeroed table (never initialised) covers nothing, even address 0. */
	assert_int_equal(own_get(&zero, 0, &o), -OWN_ERR_RANGE);
	assert_int_equal(smm_check_hyp_map(&zero, 0, SZ_4K, R), -OWN_ERR_RANGE);
}

/* ------------------------------------------------------------- get / set */

static void test_get(void **state)
{
	struct fx *fx = *state;
	owner_t o = 0x1234;

	assert_int_equal(owner_at(fx, PG(0)), O_FREE);
	assert_int_equal(owner_at(fx, PG(P_HYP)), O_HYP);
	assert_int_equal(owner_at(fx, PG(P_TEXT) + 1), O_TEXT);
	assert_int_equal(owner_at(fx, PG(P_VM1) + 0xfff), O_VM1);
	assert_int_equal(owner_at(fx, PG(P_VM2)), O_VM2);
	assert_int_equal(owner_at(fx, PG(P_TEE1 + 1)), O_TEE1);
	assert_int_equal(owner_at(fx, PG(P_TEE2)), O_TEE2);
	assert_int_equal(owner_at(fx, PG(P_PT)), O_PT);
	assert_int_equal(owner_at(fx, PG(P_CIEE)), O_CIEE);
	assert_int_equal(owner_at(fx, END - 1), O_FREE);
	/* Out of range: *out untouched. */
	assert_int_equal(own_get(&fx->t, BASE - 1, &o), -OWN_ERR_RANGE);
	assert_int_equal(own_get(&fx->t, END, &o), -OWN_ERR_RANGE);
	assert_int_equal(own_get(&fx->t, 0, &o), -OWN_ERR_RANGE);
	assert_int_equal(own_get(&fx->t, UINT64_MAX, &o), -OWN_ERR_RANGE);
	assert_int_equal(o, 0x1234);
	/* NULL out: just the range check. */
	assert_int_equal(own_get(&fx->t, PG(3), NULL), 0);
	assert_int_equal(own_get(&fx->t, END, NULL), -OWN_ERR_RANGE);
}

static void test_set(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(own_set(&fx->t, PG(30), 3 * SZ_4K, O_CIEE), 0);
	assert_int_equal(owner_at(fx, PG(29)), O_FREE);
	assert_int_equal(owner_at(fx, PG(30)), O_CIEE);
	assert_int_equal(owner_at(fx, PG(32)), O_CIEE);
	assert_int_equal(owner_at(fx, PG(33)), O_FREE);
	/* Unchecked beyond validity: even over a TEE page (boot only). */
	assert_int_equal(own_set(&fx->t, PG(P_TEE2), SZ_4K, O_HYP), 0);
	assert_int_equal(owner_at(fx, PG(P_TEE2)), O_HYP);
	/* The whole table. */
	assert_int_equal(own_set(&fx->t, BASE, NPAGES * SZ_4K, O_TEXT), 0);
	assert_true(own_all(&fx->t, BASE, NPAGES * SZ_4K, O_TEXT));

	snap(fx);
	assert_int_equal(own_set(&fx->t, PG(1), SZ_4K, 0x7000), -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_set(&fx->t, PG(1), SZ_4K, 0x1001), -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_set(&fx->t, PG(1) + 4, SZ_4K, O_HYP), -OWN_ERR_ALIGN);
	assert_int_equal(own_set(&fx->t, PG(1), 0, O_HYP), -OWN_ERR_ALIGN);
	/* Straddling the end: nothing written, not even the pages inside. */
	assert_int_equal(own_set(&fx->t, PG(NPAGES - 1), 2 * SZ_4K, O_HYP), -OWN_ERR_RANGE);
	assert_unchanged(fx);
}

static void test_all(void **state)
{
	struct fx *fx = *state;

	assert_true(own_all(&fx->t, PG(P_VM1), 4 * SZ_4K, O_VM1));
	assert_true(own_all(&fx->t, PG(P_VM1 + 3), SZ_4K, O_VM1));
	assert_true(own_all(&fx->t, PG(P_FREE2), (NPAGES - P_FREE2) * SZ_4K, O_FREE));
	assert_false(own_all(&fx->t, PG(P_VM1), 5 * SZ_4K, O_VM1)); /* runs into VM2 */
	assert_false(own_all(&fx->t, PG(P_VM1 - 1), 2 * SZ_4K, O_VM1));
	assert_false(own_all(&fx->t, PG(P_VM1), SZ_4K, O_VM2));
	assert_false(own_all(&fx->t, PG(P_VM1), SZ_4K, O_TEE1)); /* same id, other type */
	/* Range and alignment errors are false, not a partial answer. */
	assert_false(own_all(&fx->t, PG(P_FREE2), (NPAGES - P_FREE2 + 1) * SZ_4K, O_FREE));
	assert_false(own_all(&fx->t, PG(0) + 1, SZ_4K, O_FREE));
	assert_false(own_all(&fx->t, PG(0), 0, O_FREE));
	assert_false(own_all(&fx->t, BASE - SZ_4K, SZ_4K, O_FREE));
}

/* -------------------------------------------------- range checks, shared */

struct bad_range {
	uint64_t pa, size;
	int err;
};

static const struct bad_range bad_ranges[] = {
	{ PG(0) + 1, SZ_4K, -OWN_ERR_ALIGN },
	{ PG(0) + 0x800, SZ_4K, -OWN_ERR_ALIGN },
	{ PG(0), SZ_4K - 1, -OWN_ERR_ALIGN },
	{ PG(0), SZ_4K + 1, -OWN_ERR_ALIGN },
	{ PG(0), 0, -OWN_ERR_ALIGN },
	{ BASE - SZ_4K + 1, SZ_4K, -OWN_ERR_ALIGN }, /* align beats range */
	{ END, 0, -OWN_ERR_ALIGN },
	{ BASE - SZ_4K, SZ_4K, -OWN_ERR_RANGE },
	{ BASE - SZ_4K, 2 * SZ_4K, -OWN_ERR_RANGE }, /* straddles the start */
	{ 0, SZ_4K, -OWN_ERR_RANGE },
	{ END, SZ_4K, -OWN_ERR_RANGE },
	{ PG(NPAGES - 1), 2 * SZ_4K, -OWN_ERR_RANGE }, /* straddles the end */
	{ PG(0), (NPAGES + 1) * SZ_4K, -OWN_ERR_RANGE },
	{ PG(1), 0xfffffffffffff000UL, -OWN_ERR_RANGE }, /* pa + size wraps */
	{ PG(0), 0x10000000000000UL, -OWN_ERR_RANGE },   /* page count overflows */
	{ 0xfffffffffffff000UL, SZ_4K, -OWN_ERR_RANGE },
	{ 0xfffffffffffff000UL, 0x2000, -OWN_ERR_RANGE },
};

/*
 * Every range function, with arguments that would otherwise succeed (or,
 * for the map checks, fail on pages), must give the range error and change
 * nothing.
 */
static void test_range_checks(void **state)
{
	struct fx *fx = *state;
	size_t i;
	bool scrub;

	snap(fx);
	for (i = 0; i < sizeof(bad_ranges) / sizeof(bad_ranges[0]); i++) {
		const struct bad_range *b = &bad_ranges[i];

		assert_int_equal(own_set(&fx->t, b->pa, b->size, O_HYP), b->err);
		assert_false(own_all(&fx->t, b->pa, b->size, O_FREE));
		assert_int_equal(own_donate(&fx->t, b->pa, b->size, O_VM1), b->err);
		assert_int_equal(own_can_donate(&fx->t, b->pa, b->size, O_VM1), b->err);
		assert_int_equal(own_reclaim(&fx->t, b->pa, b->size, O_VM1, &scrub), b->err);
		assert_int_equal(smm_check_vm_map(&fx->t, 1, b->pa, b->size, R | W), b->err);
		assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, b->pa, b->size, R | W), b->err);
		assert_int_equal(smm_check_hyp_map(&fx->t, b->pa, b->size, R | W), b->err);
		/* Range errors come before argument errors. */
		assert_int_equal(own_set(&fx->t, b->pa, b->size, 0x7000), b->err);
		assert_int_equal(own_donate(&fx->t, b->pa, b->size, 0x7000), b->err);
		assert_int_equal(own_can_donate(&fx->t, b->pa, b->size, 0x7000), b->err);
		assert_int_equal(own_reclaim(&fx->t, b->pa, b->size, 0x7000, NULL), b->err);
		assert_int_equal(smm_check_vm_map(&fx->t, OWN_MAX_ID + 1, b->pa, b->size, 0),
				 b->err);
		assert_int_equal(smm_check_tee_map(&fx->t, 1, 2, b->pa, b->size, 0), b->err);
		assert_int_equal(smm_check_hyp_map(&fx->t, b->pa, b->size, W | X), b->err);
		assert_unchanged(fx);
	}
}

/* ---------------------------------------------------------------- donate */

/*
 * own_can_donate says what own_donate would, changing nothing: the CIEE
 * asks it first, takes a TEE's pages out of every other view, then donates.
 */
static void test_can_donate(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(own_donate(&fx->t, PG(1), SZ_4K, O_VM1), 0);
	snap(fx);
	assert_int_equal(own_can_donate(&fx->t, PG(0), SZ_4K, O_TEE2), 0);
	assert_int_equal(own_can_donate(&fx->t, PG(0), 2 * SZ_4K, O_TEE2), -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_can_donate(&fx->t, PG(0), SZ_4K, O_HYP), -OWN_ERR_TRANSITION);
	assert_int_equal(own_can_donate(&fx->t, PG(0), SZ_4K, 0x7000), -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_can_donate(&fx->t, PG(0) + 8, SZ_4K, O_TEE2), -OWN_ERR_ALIGN);
	assert_unchanged(fx);
	/* Each answer is own_donate's. */
	assert_int_equal(own_donate(&fx->t, PG(0), 2 * SZ_4K, O_TEE2), -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_donate(&fx->t, PG(0), SZ_4K, O_TEE2), 0);
	assert_int_equal(owner_at(fx, PG(0)), O_TEE2);
}

static void test_donate(void **state)
{
	struct fx *fx = *state;

	/* FREE -> VM, TEE, PT. */
	assert_int_equal(own_donate(&fx->t, PG(0), SZ_4K, O_VM1), 0);
	assert_int_equal(owner_at(fx, PG(0)), O_VM1);
	assert_int_equal(own_donate(&fx->t, PG(1), SZ_4K, O_TEE2), 0);
	assert_int_equal(owner_at(fx, PG(1)), O_TEE2);
	assert_int_equal(own_donate(&fx->t, PG(2), SZ_4K, O_PT), 0);
	assert_int_equal(owner_at(fx, PG(2)), O_PT);
	/* HYP -> VM, several pages; the next HYP page is left alone. */
	assert_int_equal(own_donate(&fx->t, PG(P_HYP + 1), 2 * SZ_4K, O_VM2), 0);
	assert_true(own_all(&fx->t, PG(P_HYP + 1), 2 * SZ_4K, O_VM2));
	assert_int_equal(owner_at(fx, PG(P_HYP + 3)), O_HYP);
	/* A mix of FREE and HYP pages (3 FREE, 4 HYP) in one call. */
	assert_int_equal(own_donate(&fx->t, PG(3), 2 * SZ_4K, OWNER(OWN_TEE, OWN_MAX_ID)), 0);
	assert_true(own_all(&fx->t, PG(3), 2 * SZ_4K, 0x4fff));
	assert_int_equal(owner_at(fx, PG(2)), O_PT);
	assert_int_equal(owner_at(fx, PG(5)), O_VM2);
	/* The largest id. */
	assert_int_equal(own_donate(&fx->t, PG(NPAGES - 1), SZ_4K, 0x3fff), 0);
	assert_int_equal(owner_at(fx, PG(NPAGES - 1)), 0x3fff);
}

static void test_donate_not_owner(void **state)
{
	struct fx *fx = *state;

	snap(fx);
	/* Pages of every owner that is not FREE or HYP. */
	assert_int_equal(own_donate(&fx->t, PG(P_TEXT), SZ_4K, O_VM1), -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_donate(&fx->t, PG(P_VM1), SZ_4K, O_VM1), -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_donate(&fx->t, PG(P_VM2), SZ_4K, O_VM1), -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_donate(&fx->t, PG(P_TEE1), SZ_4K, O_VM1), -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_donate(&fx->t, PG(P_TEE2), SZ_4K, O_TEE2), -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_donate(&fx->t, PG(P_PT), SZ_4K, O_TEE1), -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_donate(&fx->t, PG(P_CIEE), SZ_4K, O_PT), -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_donate(&fx->t, PG(P_JUNK), SZ_4K, O_VM1), -OWN_ERR_NOT_OWNER);
	/*
	 * All or nothing: FREE and HYP pages, then a text page at the end.
	 * The donatable pages before it must not change.
	 */
	assert_int_equal(own_donate(&fx->t, PG(0), (P_TEXT + 1) * SZ_4K, O_VM1),
			 -OWN_ERR_NOT_OWNER);
	/* The whole table: the free pages after the CIEE page stay free. */
	assert_int_equal(own_donate(&fx->t, BASE, NPAGES * SZ_4K, O_PT), -OWN_ERR_NOT_OWNER);
	assert_unchanged(fx);
}

static void test_donate_bad_target(void **state)
{
	struct fx *fx = *state;

	snap(fx);
	/* Valid owners, but not a donation target. */
	assert_int_equal(own_donate(&fx->t, PG(0), SZ_4K, O_FREE), -OWN_ERR_TRANSITION);
	assert_int_equal(own_donate(&fx->t, PG(0), SZ_4K, O_HYP), -OWN_ERR_TRANSITION);
	assert_int_equal(own_donate(&fx->t, PG(0), SZ_4K, O_TEXT), -OWN_ERR_TRANSITION);
	assert_int_equal(own_donate(&fx->t, PG(0), SZ_4K, O_CIEE), -OWN_ERR_TRANSITION);
	/* Not owners at all. */
	assert_int_equal(own_donate(&fx->t, PG(0), SZ_4K, 0x7000), -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_donate(&fx->t, PG(0), SZ_4K, 0xf123), -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_donate(&fx->t, PG(0), SZ_4K, 0x5001), -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_donate(&fx->t, PG(0), SZ_4K, 0x6002), -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_donate(&fx->t, PG(0), SZ_4K, 0x0003), -OWN_ERR_BAD_OWNER);
	/* Argument errors come before page errors. */
	assert_int_equal(own_donate(&fx->t, PG(P_CIEE), SZ_4K, 0x7000), -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_donate(&fx->t, PG(P_CIEE), SZ_4K, O_HYP), -OWN_ERR_TRANSITION);
	assert_unchanged(fx);
}

/* --------------------------------------------------------------- reclaim */

static void test_reclaim(void **state)
{
	struct fx *fx = *state;
	bool scrub;

	/* Leaving a VM: the hypervisor could see it anyway, no scrub. */
	scrub = true;
	assert_int_equal(own_reclaim(&fx->t, PG(P_VM1), 4 * SZ_4K, O_VM1, &scrub), 0);
	assert_false(scrub);
	assert_true(own_all(&fx->t, PG(P_VM1), 4 * SZ_4K, O_HYP));
	assert_int_equal(owner_at(fx, PG(P_VM2)), O_VM2);
	/* Leaving a TEE or a page table: scrub. */
	scrub = false;
	assert_int_equal(own_reclaim(&fx->t, PG(P_TEE1), 2 * SZ_4K, O_TEE1, &scrub), 0);
	assert_true(scrub);
	assert_true(own_all(&fx->t, PG(P_TEE1), 2 * SZ_4K, O_HYP));
	scrub = false;
	assert_int_equal(own_reclaim(&fx->t, PG(P_PT), SZ_4K, O_PT, &scrub), 0);
	assert_true(scrub);
	assert_int_equal(owner_at(fx, PG(P_PT)), O_HYP);
	/* Reclaimed pages can be donated again. */
	assert_int_equal(own_donate(&fx->t, PG(P_TEE1), SZ_4K, O_VM2), 0);
	assert_int_equal(owner_at(fx, PG(P_TEE1)), O_VM2);
}

static void test_reclaim_not_owner(void **state)
{
	struct fx *fx = *state;
	bool scrub;

	snap(fx);
	/* Another VM's or TEE's pages, same type or same id. */
	assert_int_equal(own_reclaim(&fx->t, PG(P_VM2), SZ_4K, O_VM1, &scrub),
			 -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_reclaim(&fx->t, PG(P_TEE1), SZ_4K, O_VM1, &scrub),
			 -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_reclaim(&fx->t, PG(P_TEE2), SZ_4K, O_TEE1, &scrub),
			 -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_reclaim(&fx->t, PG(P_VM1), SZ_4K, O_PT, &scrub),
			 -OWN_ERR_NOT_OWNER);
	/* Pages nobody was given. */
	assert_int_equal(own_reclaim(&fx->t, PG(0), SZ_4K, O_VM1, &scrub), -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_reclaim(&fx->t, PG(P_HYP), SZ_4K, O_TEE1, &scrub),
			 -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_reclaim(&fx->t, PG(P_CIEE), SZ_4K, O_PT, &scrub),
			 -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_reclaim(&fx->t, PG(P_JUNK), SZ_4K, O_PT, &scrub),
			 -OWN_ERR_NOT_OWNER);
	/* All or nothing: VM1's pages, then one of VM2's. */
	assert_int_equal(own_reclaim(&fx->t, PG(P_VM1), 5 * SZ_4K, O_VM1, &scrub),
			 -OWN_ERR_NOT_OWNER);
	/* TEE1's pages, then TEE2's: no TEE page leaves, nothing to scrub. */
	scrub = true;
	assert_int_equal(own_reclaim(&fx->t, PG(P_TEE1), 3 * SZ_4K, O_TEE1, &scrub),
			 -OWN_ERR_NOT_OWNER);
	assert_false(scrub);
	assert_unchanged(fx);
}

static void test_reclaim_bad_args(void **state)
{
	struct fx *fx = *state;
	bool scrub;

	snap(fx);
	/* Not a reclaim source. */
	assert_int_equal(own_reclaim(&fx->t, PG(0), SZ_4K, O_FREE, &scrub), -OWN_ERR_TRANSITION);
	assert_int_equal(own_reclaim(&fx->t, PG(P_HYP), SZ_4K, O_HYP, &scrub),
			 -OWN_ERR_TRANSITION);
	assert_int_equal(own_reclaim(&fx->t, PG(P_TEXT), SZ_4K, O_TEXT, &scrub),
			 -OWN_ERR_TRANSITION);
	assert_int_equal(own_reclaim(&fx->t, PG(P_CIEE), SZ_4K, O_CIEE, &scrub),
			 -OWN_ERR_TRANSITION);
	/* Not owners. */
	assert_int_equal(own_reclaim(&fx->t, PG(P_JUNK), SZ_4K, O_JUNK, &scrub),
			 -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_reclaim(&fx->t, PG(P_PT), SZ_4K, 0x5001, &scrub),
			 -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_reclaim(&fx->t, PG(P_CIEE), SZ_4K, 0x6001, &scrub),
			 -OWN_ERR_BAD_OWNER);
	/* No scrub flag: refused, even for a VM page that needs no scrub. */
	assert_int_equal(own_reclaim(&fx->t, PG(P_TEE1), SZ_4K, O_TEE1, NULL),
			 -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_reclaim(&fx->t, PG(P_VM1), SZ_4K, O_VM1, NULL),
			 -OWN_ERR_BAD_OWNER);
	/* Argument errors before page errors; scrub left false. */
	scrub = true;
	assert_int_equal(own_reclaim(&fx->t, PG(P_VM1), SZ_4K, O_HYP, &scrub),
			 -OWN_ERR_TRANSITION);
	assert_false(scrub);
	scrub = true;
	assert_int_equal(own_reclaim(&fx->t, PG(P_VM1), SZ_4K, 0x7000, &scrub),
			 -OWN_ERR_BAD_OWNER);
	assert_false(scrub);
	assert_unchanged(fx);
}

/*
 * Found by test/fuzz/fuzz_ownership: a reclaim refused for its range left
 * *scrub as the caller had it, though the header says it is false on failure.
 */
static void test_reclaim_range_error_clears_scrub(void **state)
{
	struct fx *fx = *state;
	size_t i;
	bool scrub;

	snap(fx);
	for (i = 0; i < sizeof(bad_ranges) / sizeof(bad_ranges[0]); i++) {
		const struct bad_range *b = &bad_ranges[i];

		scrub = true;
		assert_int_equal(own_reclaim(&fx->t, b->pa, b->size, O_TEE1, &scrub), b->err);
		assert_false(scrub);
	}
	scrub = true;
	assert_int_equal(own_reclaim(NULL, BASE, SZ_4K, O_TEE1, &scrub), -OWN_ERR_RANGE);
	assert_false(scrub);
	assert_unchanged(fx);
}

/* ---------------------------------------------------------------- VM map */

static void test_vm_map(void **state)
{
	struct fx *fx = *state;

	/* Every valid permission set on the VM's own RAM, W+X included. */
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_VM1), 4 * SZ_4K, R), 0);
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_VM1), 4 * SZ_4K, R | W), 0);
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_VM1), 4 * SZ_4K, R | X), 0);
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_VM1), 4 * SZ_4K, X), 0);
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_VM1), 4 * SZ_4K, R | W | X), 0);
	assert_int_equal(smm_check_vm_map(&fx->t, 2, PG(P_VM2 + 1), SZ_4K, R | W), 0);
	/* The largest id. */
	assert_int_equal(own_donate(&fx->t, PG(40), SZ_4K, 0x3fff), 0);
	assert_int_equal(smm_check_vm_map(&fx->t, OWN_MAX_ID, PG(40), SZ_4K, R | W), 0);
}

static void test_vm_map_foreign(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_TEE1), SZ_4K, R), -OWN_ERR_TEE_PAGE);
	/* Its own TEE's pages too: the VM may not look into its TEE. */
	assert_int_equal(smm_check_vm_map(&fx->t, 2, PG(P_TEE2), SZ_4K, R), -OWN_ERR_TEE_PAGE);
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_PT), SZ_4K, R), -OWN_ERR_PT_PAGE);
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_CIEE), SZ_4K, R), -OWN_ERR_CIEE_PAGE);
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_VM2), SZ_4K, R), -OWN_ERR_OTHER_VM);
	assert_int_equal(smm_check_vm_map(&fx->t, 2, PG(P_VM1), SZ_4K, R), -OWN_ERR_OTHER_VM);
	assert_int_equal(smm_check_vm_map(&fx->t, 0, PG(P_VM1), SZ_4K, R), -OWN_ERR_OTHER_VM);
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_HYP), SZ_4K, R), -OWN_ERR_NOT_OWNER);
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_TEXT), SZ_4K, R),
			 -OWN_ERR_NOT_OWNER);
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_FREE), SZ_4K, R),
			 -OWN_ERR_NOT_OWNER);
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_JUNK), SZ_4K, R),
			 -OWN_ERR_NOT_OWNER);
	/* Own pages followed by a foreign one: the whole request fails. */
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_VM1), 5 * SZ_4K, R),
			 -OWN_ERR_OTHER_VM);
	/* The first foreign page decides: VM2's before TEE1's. */
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_VM1), 8 * SZ_4K, R),
			 -OWN_ERR_OTHER_VM);
	assert_int_equal(smm_check_vm_map(&fx->t, 2, PG(P_VM2), 4 * SZ_4K, R),
			 -OWN_ERR_TEE_PAGE);
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_TEE2), 3 * SZ_4K, R),
			 -OWN_ERR_TEE_PAGE);
}

static void test_vm_map_bad_args(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_VM1), SZ_4K, 0), -OWN_ERR_PERM);
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_VM1), SZ_4K, 8), -OWN_ERR_PERM);
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_VM1), SZ_4K, R | 0x80000000U),
			 -OWN_ERR_PERM);
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_VM1), SZ_4K, W), -OWN_ERR_PERM);
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_VM1), SZ_4K, W | X), -OWN_ERR_PERM);
	/*
	 * An id OWNER() would truncate: 0x1001 would otherwise pass as VM 1.
	 */
	assert_int_equal(smm_check_vm_map(&fx->t, 0x1001, PG(P_VM1), SZ_4K, R),
			 -OWN_ERR_BAD_OWNER);
	assert_int_equal(smm_check_vm_map(&fx->t, OWN_MAX_ID + 1, PG(P_VM1), SZ_4K, R),
			 -OWN_ERR_BAD_OWNER);
	assert_int_equal(smm_check_vm_map(&fx->t, UINT_MAX, PG(P_VM1), SZ_4K, R),
			 -OWN_ERR_BAD_OWNER);
	/* Arguments are checked before pages. */
	assert_int_equal(smm_check_vm_map(&fx->t, 1, PG(P_TEE1), SZ_4K, 0), -OWN_ERR_PERM);
}

/* --------------------------------------------------------------- TEE map */

static void test_tee_map(void **state)
{
	struct fx *fx = *state;

	/* Its own pages: any valid permission set. */
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_TEE1), 2 * SZ_4K, R), 0);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_TEE1), 2 * SZ_4K, R | X), 0);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_TEE1), 2 * SZ_4K, X), 0);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_TEE1), 2 * SZ_4K, R | W | X), 0);
	assert_int_equal(smm_check_tee_map(&fx->t, 2, 2, PG(P_TEE2), SZ_4K, R | W), 0);
	/* Its VM's pages: readable, writable, never executable. */
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_VM1), 4 * SZ_4K, R), 0);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_VM1), 4 * SZ_4K, R | W), 0);
	assert_int_equal(smm_check_tee_map(&fx->t, 2, 2, PG(P_VM2), 2 * SZ_4K, R | W), 0);
	/* A mix of VM and TEE pages in one request. */
	assert_int_equal(own_set(&fx->t, PG(P_VM2), 2 * SZ_4K, O_VM1), 0);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_VM1), 8 * SZ_4K, R | W), 0);
}

static void test_tee_map_rejected(void **state)
{
	struct fx *fx = *state;

	/* X on the VM's pages, alone or in a mixed range. */
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_VM1), SZ_4K, R | X),
			 -OWN_ERR_PERM);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_VM1), SZ_4K, X), -OWN_ERR_PERM);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_VM1), SZ_4K, R | W | X),
			 -OWN_ERR_PERM);
	assert_int_equal(own_set(&fx->t, PG(P_TEE1 - 1), SZ_4K, O_VM1), 0);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_TEE1 - 1), 3 * SZ_4K, R | X),
			 -OWN_ERR_PERM);
	/* Every other owner. */
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_TEE2), SZ_4K, R),
			 -OWN_ERR_TEE_PAGE);
	assert_int_equal(smm_check_tee_map(&fx->t, 2, 2, PG(P_TEE1), SZ_4K, R),
			 -OWN_ERR_TEE_PAGE);
	assert_int_equal(smm_check_tee_map(&fx->t, 2, 2, PG(P_VM1), SZ_4K, R),
			 -OWN_ERR_OTHER_VM);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_PT), SZ_4K, R), -OWN_ERR_PT_PAGE);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_CIEE), SZ_4K, R),
			 -OWN_ERR_CIEE_PAGE);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_HYP), SZ_4K, R),
			 -OWN_ERR_NOT_OWNER);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_TEXT), SZ_4K, R),
			 -OWN_ERR_NOT_OWNER);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_FREE), SZ_4K, R),
			 -OWN_ERR_NOT_OWNER);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_JUNK), SZ_4K, R),
			 -OWN_ERR_NOT_OWNER);
	/* Own pages, then another TEE's: the whole request fails. */
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_TEE1), 3 * SZ_4K, R),
			 -OWN_ERR_TEE_PAGE);
}

static void test_tee_map_bad_args(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_TEE1), SZ_4K, 0), -OWN_ERR_PERM);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_TEE1), SZ_4K, 8), -OWN_ERR_PERM);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_TEE1), SZ_4K, W), -OWN_ERR_PERM);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_TEE1), SZ_4K, W | X),
			 -OWN_ERR_PERM);
	/*
	 * The pair is the caller's (the CIEE's) record: given the pair
	 * (TEE 1, VM 2), VM 2's pages and TEE 1's are allowed, VM 1's are not.
	 */
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 2, PG(P_VM2), SZ_4K, R), 0);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 2, PG(P_TEE1), SZ_4K, R), 0);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 2, PG(P_VM1), SZ_4K, R),
			 -OWN_ERR_OTHER_VM);
	/* Ids OWNER() would truncate. */
	assert_int_equal(smm_check_tee_map(&fx->t, 0x1001, 0x1001, PG(P_TEE1), SZ_4K, R),
			 -OWN_ERR_BAD_OWNER);
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 0x1001, PG(P_VM1), SZ_4K, R),
			 -OWN_ERR_BAD_OWNER);
	assert_int_equal(smm_check_tee_map(&fx->t, 0x1001, 1, PG(P_TEE1), SZ_4K, R),
			 -OWN_ERR_BAD_OWNER);
	/* Arguments are checked before pages. */
	assert_int_equal(smm_check_tee_map(&fx->t, 1, 1, PG(P_CIEE), SZ_4K, 0), -OWN_ERR_PERM);
}

/* -------------------------------------------------------- hypervisor map */

static void test_hyp_map(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_FREE), 4 * SZ_4K, R), 0);
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_FREE), 4 * SZ_4K, R | W), 0);
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_HYP), 4 * SZ_4K, R), 0);
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_HYP), 4 * SZ_4K, R | W), 0);
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_VM1), 6 * SZ_4K, R), 0);
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_VM1), 6 * SZ_4K, R | W), 0);
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_TEXT), 2 * SZ_4K, R), 0);
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_TEXT), 2 * SZ_4K, R | X), 0);
	/* Read-only across data and text. */
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(0), P_TEE1 * SZ_4K, R), 0);
}

static void test_hyp_map_rejected(void **state)
{
	struct fx *fx = *state;

	/* Never executable data. */
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_FREE), SZ_4K, R | X), -OWN_ERR_PERM);
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_HYP), SZ_4K, R | X), -OWN_ERR_PERM);
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_VM1), SZ_4K, R | X), -OWN_ERR_PERM);
	/* Never writable text. */
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_TEXT), SZ_4K, R | W), -OWN_ERR_PERM);
	/* Text then data with R|X: the data page is refused. */
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_TEXT), 3 * SZ_4K, R | X),
			 -OWN_ERR_PERM);
	/* Never TEE, PT or CIEE pages, not even read-only. */
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_TEE1), SZ_4K, R), -OWN_ERR_TEE_PAGE);
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_TEE2), SZ_4K, R | W),
			 -OWN_ERR_TEE_PAGE);
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_PT), SZ_4K, R), -OWN_ERR_PT_PAGE);
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_PT), SZ_4K, R | W), -OWN_ERR_PT_PAGE);
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_CIEE), SZ_4K, R), -OWN_ERR_CIEE_PAGE);
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_JUNK), SZ_4K, R), -OWN_ERR_NOT_OWNER);
	/* A read-only request that runs into a TEE page. */
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(0), (P_TEE1 + 1) * SZ_4K, R),
			 -OWN_ERR_TEE_PAGE);
}

static void test_hyp_map_bad_perms(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_TEXT), SZ_4K, 0), -OWN_ERR_PERM);
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_TEXT), SZ_4K, 8 | R), -OWN_ERR_PERM);
	/* Execute-only cannot be expressed at EL2: it would grant R. */
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_TEXT), SZ_4K, X), -OWN_ERR_PERM);
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_HYP), SZ_4K, W), -OWN_ERR_PERM);
	/* W+X is refused whatever the page. */
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_TEXT), SZ_4K, R | W | X),
			 -OWN_ERR_PERM);
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_HYP), SZ_4K, W | X), -OWN_ERR_PERM);
	/* Checked before pages: a CIEE page with bad perms is a perm error. */
	assert_int_equal(smm_check_hyp_map(&fx->t, PG(P_CIEE), SZ_4K, R | W | X),
			 -OWN_ERR_PERM);
}

/* ------------------------------------------------------------ map counts */

static void test_track_maps(void **state)
{
	struct own_table t, zero = { 0 };
	owner_t store[4];
	own_maps_t maps[6];
	unsigned i;

	(void)state;
	for (i = 0; i < 6; i++)
		maps[i] = 0x5555;
	assert_int_equal(own_init(&t, BASE, 4 * SZ_4K, store, 4, O_FREE), 0);
	/* Refused: no table, an uninitialised one, no storage, too little. */
	assert_int_equal(own_track_maps(NULL, maps, 4), -OWN_ERR_STORAGE);
	assert_int_equal(own_track_maps(&zero, maps, 4), -OWN_ERR_STORAGE);
	assert_int_equal(own_track_maps(&t, NULL, 4), -OWN_ERR_STORAGE);
	assert_int_equal(own_track_maps(&t, maps, 3), -OWN_ERR_STORAGE);
	assert_int_equal(own_track_maps(&t, maps, 0), -OWN_ERR_STORAGE);
	/* A refusal neither writes the storage nor starts tracking. */
	for (i = 0; i < 6; i++)
		assert_int_equal(maps[i], 0x5555);
	assert_null(t.maps);
	assert_int_equal(own_map_get(&t, BASE, SZ_4K), -OWN_ERR_STORAGE);

	/* Exactly enough: the table's counts are zeroed, nothing past them. */
	assert_int_equal(own_track_maps(&t, maps, 4), 0);
	assert_ptr_equal(t.maps, maps);
	for (i = 0; i < 4; i++)
		assert_int_equal(maps[i], 0);
	assert_int_equal(maps[4], 0x5555);
	assert_int_equal(maps[5], 0x5555);
	assert_int_equal(own_map_get(&t, BASE, SZ_4K), 0);
	assert_int_equal(own_map_count(&t, BASE), 1);
	/* Tracking again starts from zero. */
	assert_int_equal(own_track_maps(&t, maps, 5), 0);
	assert_int_equal(own_map_count(&t, BASE), 0);

	/* A table whose init failed has nothing to track. */
	assert_int_equal(own_init(&t, BASE, 4 * SZ_4K, store, 4, 0x7000), -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_track_maps(&t, maps, 4), -OWN_ERR_STORAGE);
	assert_int_equal(own_map_count(&t, BASE), 0);
	assert_int_equal(own_map_get(&t, BASE, SZ_4K), -OWN_ERR_RANGE);
	assert_int_equal(own_map_count(NULL, BASE), 0);
}

/* Without tracking: get and put refuse after the range checks, counts read 0. */
static void test_map_untracked(void **state)
{
	struct fx *fx = *state;
	size_t i;

	snap(fx);
	assert_null(fx->t.maps);
	assert_int_equal(own_map_get(&fx->t, PG(0), SZ_4K), -OWN_ERR_STORAGE);
	assert_int_equal(own_map_put(&fx->t, PG(0), SZ_4K), -OWN_ERR_STORAGE);
	assert_int_equal(own_map_count(&fx->t, PG(0)), 0);
	for (i = 0; i < sizeof(bad_ranges) / sizeof(bad_ranges[0]); i++) {
		assert_int_equal(own_map_get(&fx->t, bad_ranges[i].pa, bad_ranges[i].size),
				 bad_ranges[i].err);
		assert_int_equal(own_map_put(&fx->t, bad_ranges[i].pa, bad_ranges[i].size),
				 bad_ranges[i].err);
	}
	assert_int_equal(own_map_get(NULL, PG(0), SZ_4K), -OWN_ERR_RANGE);
	assert_int_equal(own_map_put(NULL, PG(0) + 1, SZ_4K), -OWN_ERR_ALIGN);
	assert_unchanged(fx);
}

static void test_map_get_put(void **state)
{
	struct fx *fx = *state;
	size_t i;

	assert_int_equal(own_map_get(&fx->t, PG(0), 4 * SZ_4K), 0);
	assert_int_equal(own_map_get(&fx->t, PG(1), 2 * SZ_4K), 0);
	assert_int_equal(own_map_count(&fx->t, PG(0)), 1);
	assert_int_equal(own_map_count(&fx->t, PG(1)), 2);
	/* Any address inside the page. */
	assert_int_equal(own_map_count(&fx->t, PG(2) + 0xfff), 2);
	assert_int_equal(own_map_count(&fx->t, PG(3) + 0x123), 1);
	assert_int_equal(own_map_count(&fx->t, PG(4)), 0);
	/* Outside the table: 0, not a neighbour's count. */
	assert_int_equal(own_map_count(&fx->t, BASE - 1), 0);
	assert_int_equal(own_map_count(&fx->t, END), 0);
	assert_int_equal(own_map_count(&fx->t, 0), 0);
	assert_int_equal(own_map_count(&fx->t, UINT64_MAX), 0);
	/* Counting does not look at owners, nor change them. */
	assert_int_equal(own_map_get(&fx->t, PG(P_CIEE), SZ_4K), 0);
	assert_int_equal(owner_at(fx, PG(P_CIEE)), O_CIEE);
	/* The last page of the table. */
	assert_int_equal(own_map_get(&fx->t, PG(NPAGES - 1), SZ_4K), 0);
	assert_int_equal(own_map_count(&fx->t, END - 1), 1);

	assert_int_equal(own_map_put(&fx->t, PG(0), 4 * SZ_4K), 0);
	assert_int_equal(own_map_count(&fx->t, PG(0)), 0);
	assert_int_equal(own_map_count(&fx->t, PG(1)), 1);
	assert_int_equal(own_map_count(&fx->t, PG(2)), 1);
	assert_int_equal(own_map_count(&fx->t, PG(3)), 0);

	/* Range errors, in the shared order, change no count. */
	snap(fx);
	for (i = 0; i < sizeof(bad_ranges) / sizeof(bad_ranges[0]); i++) {
		assert_int_equal(own_map_get(&fx->t, bad_ranges[i].pa, bad_ranges[i].size),
				 bad_ranges[i].err);
		assert_int_equal(own_map_put(&fx->t, bad_ranges[i].pa, bad_ranges[i].size),
				 bad_ranges[i].err);
	}
	assert_unchanged(fx);
}

/* A count at OWN_MAX_MAPS refuses the whole get: none of the range moves. */
static void test_map_get_overflow(void **state)
{
	struct fx *fx = *state;

	/* 65535 gets would do; setting the count directly is the same state. */
	fx->maps[5] = OWN_MAX_MAPS - 1;
	assert_int_equal(own_map_get(&fx->t, PG(4), 2 * SZ_4K), 0);
	assert_int_equal(own_map_count(&fx->t, PG(5)), OWN_MAX_MAPS);
	assert_int_equal(own_map_count(&fx->t, PG(4)), 1);
	snap(fx);
	assert_int_equal(own_map_get(&fx->t, PG(5), SZ_4K), -OWN_ERR_MAP_COUNT);
	/* Pages before and after the full one are not counted either. */
	assert_int_equal(own_map_get(&fx->t, PG(3), 4 * SZ_4K), -OWN_ERR_MAP_COUNT);
	/* Alignment and range still come first. */
	assert_int_equal(own_map_get(&fx->t, PG(5) + 8, SZ_4K), -OWN_ERR_ALIGN);
	assert_int_equal(own_map_get(&fx->t, PG(5), NPAGES * SZ_4K), -OWN_ERR_RANGE);
	assert_unchanged(fx);
	/* One put makes room for one more get. */
	assert_int_equal(own_map_put(&fx->t, PG(5), SZ_4K), 0);
	assert_int_equal(own_map_get(&fx->t, PG(5), SZ_4K), 0);
	assert_int_equal(own_map_count(&fx->t, PG(5)), OWN_MAX_MAPS);
}

/*
 * smm_vm_map_get is smm_check_vm_map followed (when it allows) by
 * own_map_get: the same result on every input, and on any error no
 * count changed. Two fixtures, the same state: one calls the fused
 * function, the other the two; both tables must stay identical.
 */
static void vm_map_get_vs_composition(struct fx *a, struct fx *b, unsigned vm, uint64_t pa,
				      uint64_t size, unsigned perms)
{
	int want, got;

	snap(a);
	want = smm_check_vm_map(&b->t, vm, pa, size, perms);
	if (!want)
		want = own_map_get(&b->t, pa, size);
	got = smm_vm_map_get(&a->t, vm, pa, size, perms);
	assert_int_equal(got, want);
	if (got)
		assert_unchanged(a);
	assert_memory_equal(a->store, b->store, sizeof(a->store));
	assert_memory_equal(a->maps, b->maps, sizeof(a->maps));
}

static void test_vm_map_get_equivalent(void **state)
{
	struct fx *a = *state, *b;
	static const unsigned vms[] = { 0, 1, 2, OWN_MAX_ID, OWN_MAX_ID + 1, UINT_MAX };
	static const unsigned perms[] = { 0, R, W, X, R | W, R | X, W | X, R | W | X, 8, R | 8 };
	unsigned v, p, first, n;
	size_t i;

	fx_setup_tracked((void **)&b);
	/* Some pages with counts, one of them full, in both. */
	a->maps[P_VM1 + 1] = b->maps[P_VM1 + 1] = 3;
	a->maps[P_VM1 + 3] = b->maps[P_VM1 + 3] = OWN_MAX_MAPS;
	a->maps[P_VM2] = b->maps[P_VM2] = OWN_MAX_MAPS - 1;
	for (v = 0; v < sizeof(vms) / sizeof(vms[0]); v++)
		for (p = 0; p < sizeof(perms) / sizeof(perms[0]); p++) {
			for (first = 0; first < NPAGES; first++)
				for (n = 1; n <= 5 && first + n <= NPAGES + 1; n++)
					vm_map_get_vs_composition(a, b, vms[v], PG(first), n * SZ_4K,
								  perms[p]);
			for (i = 0; i < sizeof(bad_ranges) / sizeof(bad_ranges[0]); i++)
				vm_map_get_vs_composition(a, b, vms[v], bad_ranges[i].pa,
							  bad_ranges[i].size, perms[p]);
		}
	/* Counts did go up where allowed (VM1's pages, VM2's until full). */
	assert_true(own_map_count(&a->t, PG(P_VM1)) > 0);
	assert_int_equal(own_map_count(&a->t, PG(P_VM2)), OWN_MAX_MAPS);
	fx_teardown((void **)&b);
}

/* Every path of smm_vm_map_get, one assertion each. */
static void test_vm_map_get(void **state)
{
	struct fx *fx = *state;

	/* Accepted: every page of its own counted once more, owners unchanged. */
	snap(fx);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_VM1), 4 * SZ_4K, R | W | X), 0);
	assert_memory_equal(fx->snap, fx->store, sizeof(fx->snap));
	assert_int_equal(own_map_count(&fx->t, PG(P_VM1)), 1);
	assert_int_equal(own_map_count(&fx->t, PG(P_VM1 + 3)), 1);
	assert_int_equal(own_map_count(&fx->t, PG(P_VM1 + 4)), 0);
	assert_int_equal(smm_vm_map_get(&fx->t, 2, PG(P_VM2), SZ_4K, R), 0);
	assert_int_equal(own_map_count(&fx->t, PG(P_VM2)), 1);

	snap(fx);
	/* Alignment, then range. */
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_VM1) + 8, SZ_4K, R), -OWN_ERR_ALIGN);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_VM1), 0, R), -OWN_ERR_ALIGN);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, BASE - SZ_4K, SZ_4K, R), -OWN_ERR_RANGE);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(NPAGES - 1), 2 * SZ_4K, R),
			 -OWN_ERR_RANGE);
	assert_int_equal(smm_vm_map_get(NULL, 1, PG(P_VM1), SZ_4K, R), -OWN_ERR_RANGE);
	/* Permissions, then the id. */
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_VM1), SZ_4K, 0), -OWN_ERR_PERM);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_VM1), SZ_4K, W), -OWN_ERR_PERM);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_VM1), SZ_4K, R | 8), -OWN_ERR_PERM);
	assert_int_equal(smm_vm_map_get(&fx->t, OWN_MAX_ID + 1, PG(P_VM1), SZ_4K, R),
			 -OWN_ERR_BAD_OWNER);
	/* Pages of anyone else, each with its own error. */
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_TEE1), SZ_4K, R), -OWN_ERR_TEE_PAGE);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_PT), SZ_4K, R), -OWN_ERR_PT_PAGE);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_CIEE), SZ_4K, R), -OWN_ERR_CIEE_PAGE);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_VM2), SZ_4K, R), -OWN_ERR_OTHER_VM);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_FREE), SZ_4K, R), -OWN_ERR_NOT_OWNER);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_HYP), SZ_4K, R), -OWN_ERR_NOT_OWNER);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_JUNK), SZ_4K, R), -OWN_ERR_NOT_OWNER);
	/* Its own pages and then another's: nothing counted. */
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_VM1), 5 * SZ_4K, R), -OWN_ERR_OTHER_VM);
	assert_unchanged(fx);

	/* A full count refuses the whole range, the pages before it included. */
	fx->maps[P_VM1 + 2] = OWN_MAX_MAPS;
	snap(fx);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_VM1), 4 * SZ_4K, R),
			 -OWN_ERR_MAP_COUNT);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_VM1 + 2), SZ_4K, R),
			 -OWN_ERR_MAP_COUNT);
	/* An owner error anywhere in the range comes before the count. */
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_VM1 + 2), 3 * SZ_4K, R),
			 -OWN_ERR_OTHER_VM);
	assert_unchanged(fx);
	/* One below the limit is still fine, and reaches it. */
	fx->maps[P_VM1 + 2] = OWN_MAX_MAPS - 1;
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_VM1 + 2), SZ_4K, R), 0);
	assert_int_equal(own_map_count(&fx->t, PG(P_VM1 + 2)), OWN_MAX_MAPS);
}

/* Untracked: the ownership errors as before, then OWN_ERR_STORAGE; nothing counted. */
static void test_vm_map_get_untracked(void **state)
{
	struct fx *fx = *state;

	snap(fx);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_VM1) + 8, SZ_4K, R), -OWN_ERR_ALIGN);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_VM1), SZ_4K, W), -OWN_ERR_PERM);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_VM2), SZ_4K, R), -OWN_ERR_OTHER_VM);
	assert_int_equal(smm_vm_map_get(&fx->t, 1, PG(P_VM1), SZ_4K, R), -OWN_ERR_STORAGE);
	assert_unchanged(fx);
	assert_null(fx->t.maps);
}

/* A put on a page with no mapping is the caller's bug: refused whole. */
static void test_map_put_zero(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(own_map_get(&fx->t, PG(0), 2 * SZ_4K), 0);
	snap(fx);
	assert_int_equal(own_map_put(&fx->t, PG(0), 3 * SZ_4K), -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_map_put(&fx->t, PG(2), SZ_4K), -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_map_put(&fx->t, PG(NPAGES - 1), SZ_4K), -OWN_ERR_NOT_OWNER);
	assert_unchanged(fx);
	assert_int_equal(own_map_put(&fx->t, PG(0), 2 * SZ_4K), 0);
	assert_int_equal(own_map_put(&fx->t, PG(0), SZ_4K), -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_map_count(&fx->t, PG(0)), 0);
	assert_int_equal(own_map_count(&fx->t, PG(1)), 0);
}

/* A page still in some stage 2 never changes owner: no alias outlives it. */
static void test_reclaim_mapped(void **state)
{
	struct fx *fx = *state;
	bool scrub;

	assert_int_equal(own_map_get(&fx->t, PG(P_VM1 + 2), SZ_4K), 0);
	assert_int_equal(own_map_get(&fx->t, PG(P_TEE1), SZ_4K), 0);
	snap(fx);
	scrub = true;
	assert_int_equal(own_reclaim(&fx->t, PG(P_VM1), 4 * SZ_4K, O_VM1, &scrub),
			 -OWN_ERR_MAPPED);
	assert_false(scrub);
	assert_int_equal(own_reclaim(&fx->t, PG(P_VM1 + 2), SZ_4K, O_VM1, &scrub),
			 -OWN_ERR_MAPPED);
	/* A TEE page: nothing to scrub, since nothing was reclaimed. */
	scrub = true;
	assert_int_equal(own_reclaim(&fx->t, PG(P_TEE1), 2 * SZ_4K, O_TEE1, &scrub),
			 -OWN_ERR_MAPPED);
	assert_false(scrub);
	/* Ownership is checked first: a later page not the VM's decides. */
	assert_int_equal(own_reclaim(&fx->t, PG(P_VM1), 5 * SZ_4K, O_VM1, &scrub),
			 -OWN_ERR_NOT_OWNER);
	/* And the arguments before that. */
	assert_int_equal(own_reclaim(&fx->t, PG(P_VM1), 4 * SZ_4K, 0x7000, &scrub),
			 -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_reclaim(&fx->t, PG(P_VM1), 4 * SZ_4K, O_HYP, &scrub),
			 -OWN_ERR_TRANSITION);
	assert_int_equal(own_reclaim(&fx->t, PG(P_VM1), 4 * SZ_4K, O_VM1, NULL),
			 -OWN_ERR_BAD_OWNER);
	assert_unchanged(fx);

	/* The pages next to a mapped one are fine on their own. */
	assert_int_equal(own_reclaim(&fx->t, PG(P_VM1), 2 * SZ_4K, O_VM1, &scrub), 0);
	assert_int_equal(owner_at(fx, PG(P_VM1 + 2)), O_VM1);
	/* Unmapped, it goes; the count is untouched by the change of owner. */
	assert_int_equal(own_map_put(&fx->t, PG(P_VM1 + 2), SZ_4K), 0);
	assert_int_equal(own_reclaim(&fx->t, PG(P_VM1 + 2), 2 * SZ_4K, O_VM1, &scrub), 0);
	assert_true(own_all(&fx->t, PG(P_VM1), 4 * SZ_4K, O_HYP));
	assert_int_equal(own_map_put(&fx->t, PG(P_TEE1), SZ_4K), 0);
	assert_int_equal(own_reclaim(&fx->t, PG(P_TEE1), 2 * SZ_4K, O_TEE1, &scrub), 0);
	assert_true(scrub);
}

/*
 * A free or hypervisor page that is mapped means the counts are wrong
 * (reclaim leaves none mapped): donate refuses it rather than trust them.
 */
static void test_donate_mapped(void **state)
{
	struct fx *fx = *state;

	assert_int_equal(own_map_get(&fx->t, PG(2), SZ_4K), 0);
	assert_int_equal(own_map_get(&fx->t, PG(P_HYP), SZ_4K), 0);
	snap(fx);
	assert_int_equal(own_donate(&fx->t, PG(0), 4 * SZ_4K, O_VM1), -OWN_ERR_MAPPED);
	assert_int_equal(own_donate(&fx->t, PG(P_HYP), SZ_4K, O_TEE1), -OWN_ERR_MAPPED);
	assert_int_equal(own_donate(&fx->t, PG(2), SZ_4K, O_PT), -OWN_ERR_MAPPED);
	/* Arguments, then ownership, then the counts. */
	assert_int_equal(own_donate(&fx->t, PG(2), SZ_4K, 0x7000), -OWN_ERR_BAD_OWNER);
	assert_int_equal(own_donate(&fx->t, PG(2), SZ_4K, O_HYP), -OWN_ERR_TRANSITION);
	assert_int_equal(own_donate(&fx->t, PG(2), (P_TEXT - 1) * SZ_4K, O_VM1),
			 -OWN_ERR_NOT_OWNER);
	assert_unchanged(fx);
	/* Unmapped pages around it are donated; once put, it is too. */
	assert_int_equal(own_donate(&fx->t, PG(0), 2 * SZ_4K, O_VM1), 0);
	assert_int_equal(own_map_put(&fx->t, PG(2), SZ_4K), 0);
	assert_int_equal(own_donate(&fx->t, PG(2), 2 * SZ_4K, O_VM1), 0);
	assert_true(own_all(&fx->t, PG(0), 4 * SZ_4K, O_VM1));
}

/* ------------------------------------------------------ hypervisor buffers */

static void test_hyp_buffer(void **state)
{
	struct fx *fx = *state;

	snap(fx);
	/* Inside one HYP page, at its start and its end. */
	assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(P_HYP), 8), 0);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(P_HYP) + 0xff8, 8), 0);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(P_HYP + 1) + 0x100, 0x200), 0);
	/* Spanning two HYP pages. */
	assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(P_HYP) + 0xff8, 16), 0);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(P_HYP) + 0x800, SZ_4K), 0);
	/* All four, exactly. */
	assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(P_HYP), 4 * SZ_4K), 0);
	assert_unchanged(fx);
}

static void test_hyp_buffer_args(void **state)
{
	struct fx *fx = *state;
	struct own_table zero = { 0 };

	snap(fx);
	/* Alignment: addr to 8 bytes, size nonzero; checked before the range. */
	assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(P_HYP) + 4, 8), -OWN_ERR_ALIGN);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(P_HYP) + 1, 8), -OWN_ERR_ALIGN);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(P_HYP), 0), -OWN_ERR_ALIGN);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, BASE - 4, 8), -OWN_ERR_ALIGN);
	assert_int_equal(smm_check_hyp_buffer(NULL, PG(P_HYP) + 4, 8), -OWN_ERR_ALIGN);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, UINT64_MAX, 2), -OWN_ERR_ALIGN);
	/* Wrapping past 2^64. */
	assert_int_equal(smm_check_hyp_buffer(&fx->t, 0xfffffffffffffff8UL, 16), -OWN_ERR_RANGE);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(P_HYP), UINT64_MAX), -OWN_ERR_RANGE);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(P_HYP), 0 - PG(P_HYP) + 8),
			 -OWN_ERR_RANGE);
	/* Outside the table, or straddling either end. */
	assert_int_equal(smm_check_hyp_buffer(&fx->t, BASE - 8, 8), -OWN_ERR_RANGE);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, BASE - 8, 16), -OWN_ERR_RANGE);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, END - 8, 16), -OWN_ERR_RANGE);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, END, 8), -OWN_ERR_RANGE);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, 0, 8), -OWN_ERR_RANGE);
	/* No table, or one never initialised, covers nothing. */
	assert_int_equal(smm_check_hyp_buffer(NULL, PG(P_HYP), 8), -OWN_ERR_RANGE);
	assert_int_equal(smm_check_hyp_buffer(&zero, 0, 8), -OWN_ERR_RANGE);
	/* The last bytes of the table are in range (a free page: not the hypervisor's). */
	assert_int_equal(smm_check_hyp_buffer(&fx->t, END - 8, 8), -OWN_ERR_NOT_OWNER);
	assert_unchanged(fx);
}

/*
 * A buffer that starts in a HYP page and runs into another owner's page,
 * or the other way round, is refused with that owner's error.
 */
static void test_hyp_buffer_straddle(void **state)
{
	static const struct {
		owner_t o;
		int err;
	} other[] = {
		{ O_TEXT, -OWN_ERR_TEXT_PAGE }, { O_PT, -OWN_ERR_PT_PAGE },
		{ O_TEE1, -OWN_ERR_TEE_PAGE },  { O_TEE2, -OWN_ERR_TEE_PAGE },
		{ O_VM1, -OWN_ERR_OTHER_VM },   { O_VM2, -OWN_ERR_OTHER_VM },
		{ O_CIEE, -OWN_ERR_CIEE_PAGE }, { O_FREE, -OWN_ERR_NOT_OWNER },
		{ O_JUNK, -OWN_ERR_NOT_OWNER },
	};
	struct fx *fx = *state;
	size_t i;

	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		/* Pages 30 HYP, 31 the other owner, 32 HYP. */
		fx_assign(fx, 30, 3, O_HYP);
		fx->store[31] = other[i].o; /* own_set refuses junk */
		snap(fx);
		assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(31) - 8, 16), other[i].err);
		assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(32) - 8, 16), other[i].err);
		assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(30), 3 * SZ_4K), other[i].err);
		assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(31) + 0x800, 8), other[i].err);
		/* The HYP pages on either side are still fine on their own. */
		assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(31) - 8, 8), 0);
		assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(32), 8), 0);
		assert_unchanged(fx);
	}
	/* The first refused page decides: text, then a TEE page, and the reverse. */
	fx_assign(fx, 30, 1, O_HYP);
	fx_assign(fx, 31, 1, O_TEXT);
	fx_assign(fx, 32, 1, O_TEE1);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(31) - 8, SZ_4K + 16), -OWN_ERR_TEXT_PAGE);
	fx_assign(fx, 31, 1, O_TEE1);
	fx_assign(fx, 32, 1, O_TEXT);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(31) - 8, SZ_4K + 16), -OWN_ERR_TEE_PAGE);
	fx_assign(fx, 31, 1, O_PT);
	fx_assign(fx, 32, 1, O_CIEE);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(30), 3 * SZ_4K), -OWN_ERR_PT_PAGE);
	fx_assign(fx, 31, 1, O_VM1);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(30), 3 * SZ_4K), -OWN_ERR_OTHER_VM);
	/* The fixture's own layout: free page 3, then the HYP pages 4-7, then text. */
	assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(P_HYP) - 8, 16), -OWN_ERR_NOT_OWNER);
	assert_int_equal(smm_check_hyp_buffer(&fx->t, PG(P_TEXT) - 8, 16), -OWN_ERR_TEXT_PAGE);
}

/* ----------------------------------------------------------------- misc */

static void test_strerror(void **state)
{
	int i, j;

	(void)state;
	/* Every code up to the last one has its own message. */
	for (i = OWN_ERR_RANGE; i <= OWN_ERR_TEXT_PAGE; i++) {
		assert_non_null(own_strerror(i));
		assert_string_equal(own_strerror(-i), own_strerror(i));
		assert_string_not_equal(own_strerror(i), own_strerror(1000));
		for (j = OWN_OK; j < i; j++)
			assert_string_not_equal(own_strerror(i), own_strerror(j));
	}
	assert_string_equal(own_strerror(0), "success");
	assert_string_equal(own_strerror(-OWN_ERR_TEE_PAGE), "would expose a TEE page");
	assert_string_equal(own_strerror(-OWN_ERR_MAPPED), "page still mapped in a stage 2");
	assert_string_equal(own_strerror(OWN_ERR_TEXT_PAGE + 1), own_strerror(-1000));
	assert_string_equal(own_strerror(INT_MIN), own_strerror(1000));
	assert_string_equal(own_strerror(INT_MAX), own_strerror(1000));
}

/*
 * The lifecycle the CIEE runs: boot marks its own memory and the verified
 * text, the hypervisor donates a VM and a TEE, the checks follow the
 * pages, and tearing the TEE down asks for a scrub.
 */
static void test_lifecycle(void **state)
{
	struct own_table t;
	owner_t store[16];
	bool scrub;

	(void)state;
	assert_int_equal(own_init(&t, BASE, 16 * SZ_4K, store, 16, OWNER(OWN_FREE, 0)), 0);
	assert_int_equal(own_set(&t, PG(0), 2 * SZ_4K, OWNER(OWN_CIEE, 0)), 0);
	assert_int_equal(own_set(&t, PG(2), 2 * SZ_4K, OWNER(OWN_HYP_TEXT, 0)), 0);
	assert_int_equal(own_set(&t, PG(4), 2 * SZ_4K, OWNER(OWN_HYP, 0)), 0);
	assert_int_equal(own_donate(&t, PG(6), 4 * SZ_4K, OWNER(OWN_VM, 0)), 0);
	assert_int_equal(own_donate(&t, PG(10), 2 * SZ_4K, OWNER(OWN_TEE, 0)), 0);
	assert_int_equal(own_donate(&t, PG(12), SZ_4K, OWNER(OWN_PT, 0)), 0);

	assert_int_equal(smm_check_vm_map(&t, 0, PG(6), 4 * SZ_4K, R | W | X), 0);
	assert_int_equal(smm_check_tee_map(&t, 0, 0, PG(6), 6 * SZ_4K, R | W), 0);
	assert_int_equal(smm_check_hyp_map(&t, PG(2), 2 * SZ_4K, R | X), 0);
	assert_int_equal(smm_check_hyp_map(&t, PG(4), 6 * SZ_4K, R | W), 0);
	assert_int_equal(smm_check_hyp_map(&t, PG(10), SZ_4K, R), -OWN_ERR_TEE_PAGE);
	assert_int_equal(smm_check_hyp_map(&t, PG(0), SZ_4K, R), -OWN_ERR_CIEE_PAGE);

	/* The hypervisor cannot give the TEE's pages to the VM directly. */
	assert_int_equal(own_donate(&t, PG(10), SZ_4K, OWNER(OWN_VM, 0)), -OWN_ERR_NOT_OWNER);
	assert_int_equal(own_reclaim(&t, PG(10), 2 * SZ_4K, OWNER(OWN_TEE, 0), &scrub), 0);
	assert_true(scrub);
	assert_int_equal(smm_check_hyp_map(&t, PG(10), 2 * SZ_4K, R | W), 0);
	assert_int_equal(smm_check_tee_map(&t, 0, 0, PG(10), SZ_4K, R), -OWN_ERR_NOT_OWNER);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owner_macros),
		cmocka_unit_test(test_init),
		cmocka_unit_test(test_init_rejected),
		cmocka_unit_test(test_init_failure_empties),
		cmocka_unit_test(test_null_table),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_lifecycle),
		cmocka_unit_test_setup_teardown(test_get, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_set, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_all, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_range_checks, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_can_donate, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_donate, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_donate_not_owner, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_donate_bad_target, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reclaim, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reclaim_not_owner, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reclaim_bad_args, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reclaim_range_error_clears_scrub, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_vm_map, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_vm_map_foreign, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_vm_map_bad_args, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_tee_map, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_tee_map_rejected, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_tee_map_bad_args, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_hyp_map, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_hyp_map_rejected, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_hyp_map_bad_perms, fx_setup, fx_teardown),
		cmocka_unit_test(test_track_maps),
		cmocka_unit_test_setup_teardown(test_map_untracked, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_map_get_put, fx_setup_tracked, fx_teardown),
		cmocka_unit_test_setup_teardown(test_map_get_overflow, fx_setup_tracked,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_map_put_zero, fx_setup_tracked, fx_teardown),
		cmocka_unit_test_setup_teardown(test_vm_map_get, fx_setup_tracked, fx_teardown),
		cmocka_unit_test_setup_teardown(test_vm_map_get_equivalent, fx_setup_tracked,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_vm_map_get_untracked, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_reclaim_mapped, fx_setup_tracked, fx_teardown),
		cmocka_unit_test_setup_teardown(test_donate_mapped, fx_setup_tracked, fx_teardown),
		cmocka_unit_test_setup_teardown(test_hyp_buffer, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_hyp_buffer_args, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_hyp_buffer_straddle, fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests_name("ownership", tests, NULL, NULL);
}
