/* SPDX-License-Identifier: MIT */
/*
 * The signed-image trailer parser (policy/signed_image.c): a well-formed
 * trailer is found where it is, at any alignment, and every way a trailer
 * can be malformed is refused with its own code. The values (hash, key,
 * signature bytes) are not checked here: the monitor checks them with
 * mbedTLS (test_crypto.c, test/system/test_signed_boot.py). With the
 * real images (make unit sets VTZ_IMAGES), the signer's output
 * (scripts/vtz_sign.py) parses too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <policy/signed_image.h>
#include <vtz/ciee_abi.h>
#include <vtz/image.h>
#include <vtz/platform.h>

#define IMG 40 /* bytes of image before the trailer in the built blobs */

struct tlv {
	uint16_t type, len;
};

static const struct tlv prot_ok[] = { { SIMG_TLV_SEC_CNT, 4 } };
static const struct tlv unprot_ok[] = {
	{ SIMG_TLV_SHA256, SIMG_HASH_LEN },
	{ SIMG_TLV_PUBKEY, SIMG_PUBKEY_LEN },
	{ SIMG_TLV_ECDSA_SIG, 71 },
};

static uint8_t buf[2048];

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

/* One area at b: info header with magic, then each TLV with a fill value. */
static size_t area(uint8_t *b, uint16_t magic, const struct tlv *t, size_t n)
{
	size_t off = 4, i;

	for (i = 0; i < n; i++) {
		put16(b + off, t[i].type);
		put16(b + off + 2, t[i].len);
		memset(b + off + 4, 0x40 + (int)i, t[i].len);
		if (t[i].type == SIMG_TLV_PUBKEY && t[i].len == SIMG_PUBKEY_LEN) {
			memcpy(b + off + 4, simg_p256_spki_prefix, SIMG_PUBKEY_PREFIX_LEN);
			b[off + 4 + SIMG_PUBKEY_PREFIX_LEN] = 0x04;
		}
		if (t[i].type == SIMG_TLV_SEC_CNT && t[i].len == 4)
			memcpy(b + off + 4, "\x07\x00\x00\x01", 4); /* 0x01000007 */
		off += 4 + t[i].len;
	}
	put16(b, magic);
	put16(b + 2, (uint16_t)off);
	return off;
}

/* The image (IMG bytes) and both areas at buf + at; returns the total. */
static size_t build_at(size_t at, const struct tlv *p, size_t np, const struct tlv *u, size_t nu)
{
	size_t n;

	memset(buf, 0xee, sizeof(buf));
	memset(buf + at, 0x11, IMG);
	n = IMG + area(buf + at + IMG, SIMG_TLV_PROT_INFO_MAGIC, p, np);
	return n + area(buf + at + n, SIMG_TLV_INFO_MAGIC, u, nu);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static size_t build(const struct tlv *p, size_t np, const struct tlv *u, size_t nu)
{
	return build_at(0, p, np, u, nu);
}

static size_t build_ok(void)
{
	return build(prot_ok, N(prot_ok), unprot_ok, N(unprot_ok));
}

static int parse(size_t image_size, size_t avail)
{
	struct simg s;

	return simg_parse(buf, image_size, avail, &s);
}

static void test_well_formed_trailer(void **state)
{
	size_t total, at;
	struct simg s;

	(void)state;
	/* At every alignment: the monitor reads byte by byte. */
	for (at = 0; at < 8; at++) {
		total = build_at(at, prot_ok, N(prot_ok), unprot_ok, N(unprot_ok));
		assert_int_equal(simg_parse(buf + at, IMG, total, &s), SIMG_OK);
		assert_int_equal(s.signed_size, IMG + 4 + 8);
		assert_int_equal(s.total_size, total);
		assert_int_equal(s.security_counter, 0x01000007);
		assert_int_equal(s.hash_off, IMG + 12 + 4 + 4);
		assert_int_equal(s.pubkey_off, s.hash_off + SIMG_HASH_LEN + 4);
		assert_int_equal(s.sig_off, s.pubkey_off + SIMG_PUBKEY_LEN + 4);
		assert_int_equal(s.sig_len, 71);
		/* Room after the trailer is fine; the trailer itself must fit. */
		assert_int_equal(simg_parse(buf + at, IMG, total + 100, &s), SIMG_OK);
	}
	/* Unprotected TLVs in any order. */
	{
		const struct tlv u[] = { { SIMG_TLV_ECDSA_SIG, SIMG_SIG_MIN },
					 { SIMG_TLV_PUBKEY, SIMG_PUBKEY_LEN },
					 { SIMG_TLV_SHA256, SIMG_HASH_LEN } };

		total = build(prot_ok, 1, u, N(u));
		assert_int_equal(simg_parse(buf, IMG, total, &s), SIMG_OK);
		assert_int_equal(s.sig_len, SIMG_SIG_MIN);
	}
}

static void test_image_size(void **state)
{
	size_t total;

	(void)state;
	total = build_ok();
	assert_int_equal(parse(0, total), SIMG_ERR_IMAGE_SIZE);
	assert_int_equal(parse(total + 1, total), SIMG_ERR_IMAGE_SIZE);
	assert_int_equal(parse(SIZE_MAX, total), SIMG_ERR_IMAGE_SIZE);
}

/* Missing trailer: an unsigned image, or a size that points elsewhere. */
static void test_no_trailer(void **state)
{
	size_t total;

	(void)state;
	total = build_ok();
	assert_int_equal(parse(IMG - 1, total), SIMG_ERR_NO_TRAILER);
	assert_int_equal(parse(IMG, IMG + 3), SIMG_ERR_NO_TRAILER);
	memset(buf + IMG, 0, total - IMG); /* the unsigned image: zeros after it */
	assert_int_equal(parse(IMG, total), SIMG_ERR_NO_TRAILER);
}

static void test_protected_area_size(void **state)
{
	size_t total;

	(void)state;
	total = build_ok();
	put16(buf + IMG + 2, 3);
	assert_int_equal(parse(IMG, total), SIMG_ERR_PROT_SIZE);
	put16(buf + IMG + 2, (uint16_t)(total - IMG + 1));
	assert_int_equal(parse(IMG, total), SIMG_ERR_PROT_SIZE);
	/* A size that lands inside the next area: its magic is not there. */
	put16(buf + IMG + 2, 8);
	assert_int_equal(parse(IMG, total), SIMG_ERR_TLV_TRUNCATED);
}

static void test_unprotected_area(void **state)
{
	size_t total, u = IMG + 12;

	(void)state;
	total = build_ok();
	assert_int_equal(parse(IMG, u + 3), SIMG_ERR_NO_UNPROT);
	put16(buf + u, 0x6906);
	assert_int_equal(parse(IMG, total), SIMG_ERR_NO_UNPROT);
	put16(buf + u, SIMG_TLV_INFO_MAGIC);
	put16(buf + u + 2, 2);
	assert_int_equal(parse(IMG, total), SIMG_ERR_UNPROT_SIZE);
	put16(buf + u + 2, (uint16_t)(total - u + 1));
	assert_int_equal(parse(IMG, total), SIMG_ERR_UNPROT_SIZE);
	/* The region ends before the trailer does: truncated. */
	put16(buf + u + 2, (uint16_t)(total - u));
	assert_int_equal(parse(IMG, total - 1), SIMG_ERR_UNPROT_SIZE);
}

static void test_truncated_tlv(void **state)
{
	size_t total, u = IMG + 12;

	(void)state;
	/* A value running past its area. */
	total = build_ok();
	put16(buf + u + 2, (uint16_t)(total - u - 1));
	assert_int_equal(parse(IMG, total), SIMG_ERR_TLV_TRUNCATED);
	total = build_ok();
	put16(buf + IMG + 4 + 2, 5); /* SEC_CNT says 5 bytes, its area has 4 */
	assert_int_equal(parse(IMG, total), SIMG_ERR_TLV_TRUNCATED);
	/* A TLV header cut short: 1..3 bytes left in the area. */
	total = build_ok();
	put16(buf + IMG + 2, 12 + 2);
	memmove(buf + IMG + 14, buf + IMG + 12, total - IMG - 12);
	assert_int_equal(parse(IMG, total + 2), SIMG_ERR_TLV_TRUNCATED);
}

static void test_unknown_and_misplaced_types(void **state)
{
	const struct tlv p_unknown[] = { { SIMG_TLV_SEC_CNT, 4 }, { 0x60, 8 } };
	const struct tlv u_unknown[] = { { SIMG_TLV_SHA256, 32 }, { 0x01, 32 },
					 { SIMG_TLV_PUBKEY, 91 }, { SIMG_TLV_ECDSA_SIG, 70 } };
	const struct tlv p_hash[] = { { SIMG_TLV_SEC_CNT, 4 }, { SIMG_TLV_SHA256, 32 } };
	const struct tlv p_key[] = { { SIMG_TLV_PUBKEY, 91 } };
	const struct tlv p_sig[] = { { SIMG_TLV_ECDSA_SIG, 70 } };
	const struct tlv u_cnt[] = { { SIMG_TLV_SHA256, 32 }, { SIMG_TLV_SEC_CNT, 4 },
				     { SIMG_TLV_PUBKEY, 91 }, { SIMG_TLV_ECDSA_SIG, 70 } };
	size_t t;

	(void)state;
	t = build(p_unknown, N(p_unknown), unprot_ok, N(unprot_ok));
	assert_int_equal(parse(IMG, t), SIMG_ERR_TLV_UNKNOWN);
	t = build(prot_ok, 1, u_unknown, N(u_unknown));
	assert_int_equal(parse(IMG, t), SIMG_ERR_TLV_UNKNOWN);
	t = build(p_hash, N(p_hash), unprot_ok, N(unprot_ok));
	assert_int_equal(parse(IMG, t), SIMG_ERR_TLV_WRONG_AREA);
	t = build(p_key, 1, unprot_ok, N(unprot_ok));
	assert_int_equal(parse(IMG, t), SIMG_ERR_TLV_WRONG_AREA);
	t = build(p_sig, 1, unprot_ok, N(unprot_ok));
	assert_int_equal(parse(IMG, t), SIMG_ERR_TLV_WRONG_AREA);
	t = build(prot_ok, 1, u_cnt, N(u_cnt));
	assert_int_equal(parse(IMG, t), SIMG_ERR_TLV_WRONG_AREA);
}

static void test_duplicates(void **state)
{
	const struct tlv p2[] = { { SIMG_TLV_SEC_CNT, 4 }, { SIMG_TLV_SEC_CNT, 4 } };
	const struct tlv u_hash2[] = { { SIMG_TLV_SHA256, 32 }, { SIMG_TLV_PUBKEY, 91 },
				       { SIMG_TLV_SHA256, 32 }, { SIMG_TLV_ECDSA_SIG, 70 } };
	const struct tlv u_key2[] = { { SIMG_TLV_SHA256, 32 }, { SIMG_TLV_PUBKEY, 91 },
				      { SIMG_TLV_PUBKEY, 91 }, { SIMG_TLV_ECDSA_SIG, 70 } };
	const struct tlv u_sig2[] = { { SIMG_TLV_SHA256, 32 }, { SIMG_TLV_ECDSA_SIG, 70 },
				      { SIMG_TLV_PUBKEY, 91 }, { SIMG_TLV_ECDSA_SIG, 70 } };
	size_t t;

	(void)state;
	t = build(p2, N(p2), unprot_ok, N(unprot_ok));
	assert_int_equal(parse(IMG, t), SIMG_ERR_TLV_DUPLICATE);
	t = build(prot_ok, 1, u_hash2, N(u_hash2));
	assert_int_equal(parse(IMG, t), SIMG_ERR_TLV_DUPLICATE);
	t = build(prot_ok, 1, u_key2, N(u_key2));
	assert_int_equal(parse(IMG, t), SIMG_ERR_TLV_DUPLICATE);
	t = build(prot_ok, 1, u_sig2, N(u_sig2));
	assert_int_equal(parse(IMG, t), SIMG_ERR_TLV_DUPLICATE);
}

static void check_length(uint16_t type, uint16_t len)
{
	struct tlv u[N(unprot_ok)];
	struct tlv p[1] = { { SIMG_TLV_SEC_CNT, 4 } };
	size_t i, t;

	memcpy(u, unprot_ok, sizeof(u));
	for (i = 0; i < N(u); i++)
		if (u[i].type == type)
			u[i].len = len;
	if (type == SIMG_TLV_SEC_CNT)
		p[0].len = len;
	t = build(p, 1, u, N(u));
	assert_int_equal(parse(IMG, t), SIMG_ERR_TLV_LENGTH);
}

static void test_wrong_lengths(void **state)
{
	(void)state;
	check_length(SIMG_TLV_SEC_CNT, 3);
	check_length(SIMG_TLV_SEC_CNT, 8);
	check_length(SIMG_TLV_SHA256, 31);
	check_length(SIMG_TLV_SHA256, 48);
	check_length(SIMG_TLV_PUBKEY, 90);
	check_length(SIMG_TLV_PUBKEY, 0);
	check_length(SIMG_TLV_ECDSA_SIG, SIMG_SIG_MIN - 1);
	check_length(SIMG_TLV_ECDSA_SIG, SIMG_SIG_MAX + 1);
}

static void test_pubkey_format(void **state)
{
	size_t t, key, i;
	struct simg s;

	(void)state;
	t = build_ok();
	assert_int_equal(simg_parse(buf, IMG, t, &s), SIMG_OK);
	key = s.pubkey_off;
	/* Every byte of the fixed prefix, and the uncompressed-point tag. */
	for (i = 0; i <= SIMG_PUBKEY_PREFIX_LEN; i++) {
		buf[key + i] ^= 0x01;
		assert_int_equal(parse(IMG, t), SIMG_ERR_PUBKEY_FORMAT);
		buf[key + i] ^= 0x01;
	}
	assert_int_equal(parse(IMG, t), SIMG_OK);
}

static void test_missing_tlvs(void **state)
{
	const struct tlv no_hash[] = { { SIMG_TLV_PUBKEY, 91 }, { SIMG_TLV_ECDSA_SIG, 70 } };
	const struct tlv no_key[] = { { SIMG_TLV_SHA256, 32 }, { SIMG_TLV_ECDSA_SIG, 70 } };
	const struct tlv no_sig[] = { { SIMG_TLV_SHA256, 32 }, { SIMG_TLV_PUBKEY, 91 } };
	size_t t;

	(void)state;
	t = build(NULL, 0, unprot_ok, N(unprot_ok));
	assert_int_equal(parse(IMG, t), SIMG_ERR_NO_SEC_CNT);
	t = build(prot_ok, 1, no_hash, N(no_hash));
	assert_int_equal(parse(IMG, t), SIMG_ERR_NO_HASH);
	t = build(prot_ok, 1, no_key, N(no_key));
	assert_int_equal(parse(IMG, t), SIMG_ERR_NO_PUBKEY);
	t = build(prot_ok, 1, no_sig, N(no_sig));
	assert_int_equal(parse(IMG, t), SIMG_ERR_NO_SIG);
	t = build(prot_ok, 1, NULL, 0);
	assert_int_equal(parse(IMG, t), SIMG_ERR_NO_HASH);
}

/* Every code has its own message, and an unknown code says so. */
static void test_strerror_distinct(void **state)
{
	int a, b;

	(void)state;
	for (a = SIMG_ERR_NO_SIG; a <= SIMG_OK; a++) {
		assert_string_not_equal(simg_strerror(a), "unknown error");
		for (b = SIMG_ERR_NO_SIG; b < a; b++)
			assert_string_not_equal(simg_strerror(a), simg_strerror(b));
	}
	assert_string_equal(simg_strerror(SIMG_ERR_NO_SIG - 1), "unknown error");
	assert_string_equal(simg_strerror(1), "unknown error");
}

/* The images the build signed (scripts/vtz_sign.py) parse as the monitor parses them. */
static void check_real(const char *name, size_t size_offset, size_t region)
{
	const char *dir = getenv("VTZ_IMAGES");
	static uint8_t img[1 << 20];
	char path[512];
	uint64_t size;
	struct simg s;
	size_t len;
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return;
	len = fread(img, 1, sizeof(img), f);
	fclose(f);
	memcpy(&size, img + size_offset, sizeof(size));
	assert_true(len < region);
	assert_int_equal(simg_parse(img, size, region < sizeof(img) ? region : sizeof(img), &s),
			 SIMG_OK);
	assert_int_equal(s.total_size, len);
	assert_true(s.security_counter >= 1);
}

static void test_real_signed_images(void **state)
{
	(void)state;
	check_real("ciee.bin", CIEE_LOAD_SIZE_OFFSET, PLAT_CIEE_SIZE);
	check_real("hyp.bin", HYP_HDR_LOAD_SIZE_OFFSET, PLAT_HYP_SIZE);
	check_real("hyp-attack.bin", HYP_HDR_LOAD_SIZE_OFFSET, PLAT_HYP_SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_well_formed_trailer),
		cmocka_unit_test(test_image_size),
		cmocka_unit_test(test_no_trailer),
		cmocka_unit_test(test_protected_area_size),
		cmocka_unit_test(test_unprotected_area),
		cmocka_unit_test(test_truncated_tlv),
		cmocka_unit_test(test_unknown_and_misplaced_types),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_wrong_lengths),
		cmocka_unit_test(test_pubkey_format),
		cmocka_unit_test(test_missing_tlvs),
		cmocka_unit_test(test_strerror_distinct),
		cmocka_unit_test(test_real_signed_images),
	};

	return cmocka_run_group_tests_name("signed_image", tests, NULL, NULL);
}
