/* SPDX-License-Identifier: MIT */
/*
 * Firmware update policy (policy/fw_update.c): a torn or damaged metadata
 * copy never decides; the newer valid copy does; a bundle header whose
 * images do not fit is refused with its own code; chunks are taken only
 * in order, and a COMMIT only after the last byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <policy/fw_update.h>

static void test_crc32_known_value(void **state)
{
	(void)state;
	/* The check value of CRC-32/ISO-HDLC (zlib's crc32). */
	assert_int_equal(fw_crc32("123456789", 9), 0xcbf43926u);
}

static struct fw_meta meta(uint32_t seq, uint32_t slot, uint32_t counter)
{
	struct fw_meta m = { .seq = seq, .slot = slot, .counter = counter };

	fw_meta_seal(&m);
	return m;
}

static void test_meta_valid_and_erased(void **state)
{
	struct fw_meta m = meta(1, 0, 1), e;

	(void)state;
	assert_int_equal(fw_meta_check(&m), 0);
	memset(&e, 0xff, sizeof(e));
	assert_int_equal(fw_meta_check(&e), -FW_META_ERR_ERASED);
	/* A -bios image is padded with zeros: no firmware slots either. */
	memset(&e, 0, sizeof(e));
	assert_int_equal(fw_meta_check(&e), -FW_META_ERR_ERASED);
	/* Half erased, half zero: written by someone, and not a record. */
	memset(&e, 0xff, sizeof(e) / 2);
	assert_int_equal(fw_meta_check(&e), -FW_META_ERR_MAGIC);
}

static void test_meta_refusals(void **state)
{
	struct fw_meta m;

	(void)state;
	m = meta(1, 0, 1);
	m.magic ^= 1;
	assert_int_equal(fw_meta_check(&m), -FW_META_ERR_MAGIC);
	/* A torn write: any covered byte changed. */
	m = meta(1, 0, 1);
	m.counter = 7;
	assert_int_equal(fw_meta_check(&m), -FW_META_ERR_CRC);
	m = meta(1, 0, 1);
	((uint8_t *)&m)[offsetof(struct fw_meta, crc)] ^= 0x10;
	assert_int_equal(fw_meta_check(&m), -FW_META_ERR_CRC);
	m = meta(1, 2, 1);
	assert_int_equal(fw_meta_check(&m), -FW_META_ERR_SLOT);
	m = (struct fw_meta){ .seq = 1, .slot = 0, .counter = 1, .reserved = 1 };
	m.magic = FW_META_MAGIC;
	m.crc = fw_crc32(&m, offsetof(struct fw_meta, crc));
	assert_int_equal(fw_meta_check(&m), -FW_META_ERR_RESERVED);
}

static void test_meta_pick(void **state)
{
	struct fw_meta m[2];
	int err[2];

	(void)state;
	m[0] = meta(4, 0, 1);
	m[1] = meta(5, 1, 2);
	assert_int_equal(fw_meta_pick(m, err), 1);
	m[1].seq = 3; /* now older, and torn: the crc no longer matches */
	assert_int_equal(fw_meta_pick(m, err), 0);
	assert_int_equal(err[1], -FW_META_ERR_CRC);
	m[1] = meta(3, 1, 2);
	assert_int_equal(fw_meta_pick(m, err), 0);
	memset(&m[0], 0xff, sizeof(m[0]));
	assert_int_equal(fw_meta_pick(m, err), 1);
	memset(&m[1], 0x5a, sizeof(m[1]));
	assert_int_equal(fw_meta_pick(m, err), -1);
	assert_int_equal(err[0], -FW_META_ERR_ERASED);
	assert_int_equal(err[1], -FW_META_ERR_MAGIC);
}

#define ROOM 0x800000u
#define CIEE_MAX 0x300000u
#define HYP_MAX 0x400000u

static struct fw_bundle_hdr bundle(void)
{
	return (struct fw_bundle_hdr){ .magic = FW_BUNDLE_MAGIC, .size = 0x20000,
				       .ciee_off = 0x1000, .ciee_size = 0xc000,
				       .hyp_off = 0xd000, .hyp_size = 0x13000 };
}

static void test_bundle_ok(void **state)
{
	struct fw_bundle_hdr h = bundle();

	(void)state;
	assert_int_equal(fw_bundle_check(&h, ROOM, CIEE_MAX, HYP_MAX), 0);
	/* The other order is fine too. */
	h.hyp_off = 0x1000;
	h.hyp_size = 0xc000;
	h.ciee_off = 0xd000;
	h.ciee_size = 0x13000;
	assert_int_equal(fw_bundle_check(&h, ROOM, CIEE_MAX, HYP_MAX), 0);
}

static void test_bundle_refusals(void **state)
{
	struct fw_bundle_hdr h;

	(void)state;
	h = bundle();
	h.magic = 0;
	assert_int_equal(fw_bundle_check(&h, ROOM, CIEE_MAX, HYP_MAX), -FW_BUNDLE_ERR_MAGIC);
	h = bundle();
	h.reserved = 1;
	assert_int_equal(fw_bundle_check(&h, ROOM, CIEE_MAX, HYP_MAX), -FW_BUNDLE_ERR_RESERVED);
	h = bundle();
	h.size = ROOM + 1;
	assert_int_equal(fw_bundle_check(&h, ROOM, CIEE_MAX, HYP_MAX), -FW_BUNDLE_ERR_SIZE);
	h.size = 4;
	assert_int_equal(fw_bundle_check(&h, ROOM, CIEE_MAX, HYP_MAX), -FW_BUNDLE_ERR_SIZE);
	h = bundle();
	h.hyp_off = 0xd008;
	assert_int_equal(fw_bundle_check(&h, ROOM, CIEE_MAX, HYP_MAX), -FW_BUNDLE_ERR_ALIGN);
	h = bundle();
	h.ciee_size = 0;
	assert_int_equal(fw_bundle_check(&h, ROOM, CIEE_MAX, HYP_MAX), -FW_BUNDLE_ERR_CIEE);
	h = bundle();
	h.hyp_size = 0x13001; /* one byte past the bundle */
	assert_int_equal(fw_bundle_check(&h, ROOM, CIEE_MAX, HYP_MAX), -FW_BUNDLE_ERR_HYP);
	h = bundle();
	h.hyp_off = 0xfffff000u; /* offset + size would wrap in 32 bits */
	assert_int_equal(fw_bundle_check(&h, ROOM, CIEE_MAX, HYP_MAX), -FW_BUNDLE_ERR_HYP);
	h = bundle();
	h.size = 0x400000 + 0x2000;
	h.hyp_size = 0x400001; /* bigger than the hypervisor's region */
	assert_int_equal(fw_bundle_check(&h, ROOM, CIEE_MAX, HYP_MAX), -FW_BUNDLE_ERR_HYP);
	h = bundle();
	h.hyp_off = 0xc000; /* the last page of the CIEE image */
	assert_int_equal(fw_bundle_check(&h, ROOM, CIEE_MAX, HYP_MAX), -FW_BUNDLE_ERR_OVERLAP);
	h = bundle();
	h.ciee_off = 0; /* over the header */
	assert_int_equal(fw_bundle_check(&h, ROOM, CIEE_MAX, HYP_MAX), -FW_BUNDLE_ERR_OVERLAP);
}

static void test_stage_in_order(void **state)
{
	struct fw_stage s = { 0 };

	(void)state;
	assert_int_equal(fw_stage_chunk(&s, 0, 16), VTZ_FW_ERR_NO_UPDATE);
	assert_int_equal(fw_stage_ready(&s), VTZ_FW_ERR_NO_UPDATE);
	assert_int_equal(fw_stage_begin(&s, 0, ROOM), VTZ_FW_ERR_SIZE);
	assert_int_equal(fw_stage_begin(&s, ROOM + 1, ROOM), VTZ_FW_ERR_SIZE);
	assert_int_equal(fw_stage_begin(&s, 0x1800, ROOM), 0);
	assert_int_equal(fw_stage_chunk(&s, 0x1000, 0x800), VTZ_FW_ERR_OFFSET);
	assert_int_equal(fw_stage_chunk(&s, 0, 0), VTZ_FW_ERR_LENGTH);
	assert_int_equal(fw_stage_chunk(&s, 0, FW_CHUNK_MAX + 1), VTZ_FW_ERR_LENGTH);
	assert_int_equal(fw_stage_chunk(&s, 0, 0x1000), 0);
	assert_int_equal(fw_stage_ready(&s), VTZ_FW_ERR_INCOMPLETE);
	/* Again the same chunk: not the next byte. */
	assert_int_equal(fw_stage_chunk(&s, 0, 0x1000), VTZ_FW_ERR_OFFSET);
	assert_int_equal(fw_stage_chunk(&s, 0x1000, 0x801), VTZ_FW_ERR_LENGTH);
	assert_int_equal(fw_stage_chunk(&s, 0x1000, 0x800), 0);
	assert_int_equal(fw_stage_ready(&s), 0);
	fw_stage_committed(&s);
	assert_int_equal(fw_stage_begin(&s, 0x1800, ROOM), VTZ_FW_ERR_COMMITTED);
	assert_int_equal(fw_stage_chunk(&s, 0x1800, 1), VTZ_FW_ERR_COMMITTED);
	assert_int_equal(fw_stage_ready(&s), VTZ_FW_ERR_COMMITTED);
}

static void test_stage_reset_after_refusal(void **state)
{
	struct fw_stage s = { 0 };

	(void)state;
	assert_int_equal(fw_stage_begin(&s, 0x10, ROOM), 0);
	assert_int_equal(fw_stage_chunk(&s, 0, 0x10), 0);
	fw_stage_reset(&s);
	assert_int_equal(fw_stage_ready(&s), VTZ_FW_ERR_NO_UPDATE);
	assert_int_equal(fw_stage_begin(&s, 0x10, ROOM), 0);
	assert_int_equal(fw_stage_ready(&s), VTZ_FW_ERR_INCOMPLETE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32_known_value),
		cmocka_unit_test(test_meta_valid_and_erased),
		cmocka_unit_test(test_meta_refusals),
		cmocka_unit_test(test_meta_pick),
		cmocka_unit_test(test_bundle_ok),
		cmocka_unit_test(test_bundle_refusals),
		cmocka_unit_test(test_stage_in_order),
		cmocka_unit_test(test_stage_reset_after_refusal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
