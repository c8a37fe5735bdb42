/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for lib/crypto/crypto.c, the wrappers over mbedTLS that the
 * monitor (measurement, per-TEE keys) and the TEE (tags) use: published
 * test vectors only, so a wrong wrapper or a misbuilt mbedTLS shows.
 * SHA-256: FIPS 180-2 / NIST CSRC examples. HKDF: RFC 5869 appendix A,
 * test cases 1-3 (the SHA-256 ones). ECDSA-P256: RFC 6979 A.2.5 (SHA-256,
 * message "sample"), the signature DER-encoded as the signed images carry it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <lib/crypto.h>

#define ARENA_SLOTS 40 /* lib/crypto/crypto.c */

static size_t unhex(const char *hex, uint8_t *out, size_t max)
{
	size_t n = 0;
	unsigned int v;

	while (hex[0] && hex[1]) {
		assert_true(n < max);
		assert_int_equal(sscanf(hex, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		hex += 2;
	}
	return n;
}

static void assert_hex(const uint8_t *got, size_t len, const char *want_hex)
{
	uint8_t want[256];

	assert_int_equal(unhex(want_hex, want, sizeof(want)), len);
	assert_memory_equal(got, want, len);
}

static void test_sha256_nist(void **state)
{
	static const char two_blocks[] =
		"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	uint8_t md[CRYPTO_SHA256_LEN];
	uint8_t *million;

	(void)state;
	assert_int_equal(crypto_sha256("abc", 3, md), 0);
	assert_hex(md, 32, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(crypto_sha256(two_blocks, strlen(two_blocks), md), 0);
	assert_hex(md, 32, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	assert_int_equal(crypto_sha256("", 0, md), 0);
	assert_hex(md, 32, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	/* One million 'a': many blocks, as a TEE image is. */
	million = malloc(1000000);
	assert_non_null(million);
	memset(million, 'a', 1000000);
	assert_int_equal(crypto_sha256(million, 1000000, md), 0);
	assert_hex(md, 32, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	free(million);
}

/* RFC 5869 A.1: basic test case with SHA-256. */
static void test_hkdf_rfc5869_case1(void **state)
{
	uint8_t ikm[22], salt[13], info[10], okm[42], prk[32];

	(void)state;
	memset(ikm, 0x0b, sizeof(ikm));
	unhex("000102030405060708090a0b0c", salt, sizeof(salt));
	unhex("f0f1f2f3f4f5f6f7f8f9", info, sizeof(info));
	assert_int_equal(crypto_hkdf_sha256(salt, sizeof(salt), ikm, sizeof(ikm), info,
					    sizeof(info), okm, sizeof(okm)), 0);
	assert_hex(okm, 42, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
			    "34007208d5b887185865");
	/* Expand alone from the published PRK gives the same OKM. */
	unhex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5", prk,
	      sizeof(prk));
	memset(okm, 0, sizeof(okm));
	assert_int_equal(crypto_hkdf_expand_sha256(prk, sizeof(prk), info, sizeof(info), okm,
						   sizeof(okm)), 0);
	assert_hex(okm, 42, "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
			    "34007208d5b887185865");
}

/* RFC 5869 A.2: longer inputs and outputs. */
static void test_hkdf_rfc5869_case2(void **state)
{
	uint8_t ikm[80], salt[80], info[80], okm[82];
	unsigned int i;

	(void)state;
	for (i = 0; i < 80; i++) {
		ikm[i] = (uint8_t)i;
		salt[i] = (uint8_t)(0x60 + i);
		info[i] = (uint8_t)(0xb0 + i);
	}
	assert_int_equal(crypto_hkdf_sha256(salt, sizeof(salt), ikm, sizeof(ikm), info,
					    sizeof(info), okm, sizeof(okm)), 0);
	assert_hex(okm, 82, "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
			    "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
			    "cc30c58179ec3e87c14c01d5c1f3434f1d87");
}

/* RFC 5869 A.3: zero-length salt and info (the monitor's per-TEE key has no salt). */
static void test_hkdf_rfc5869_case3(void **state)
{
	uint8_t ikm[22], okm[42], prk[32];

	(void)state;
	memset(ikm, 0x0b, sizeof(ikm));
	assert_int_equal(crypto_hkdf_sha256(NULL, 0, ikm, sizeof(ikm), NULL, 0, okm, sizeof(okm)),
			 0);
	assert_hex(okm, 42, "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
			    "9d201395faa4b61a96c8");
	unhex("19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04", prk,
	      sizeof(prk));
	memset(okm, 0, sizeof(okm));
	assert_int_equal(crypto_hkdf_expand_sha256(prk, sizeof(prk), NULL, 0, okm, sizeof(okm)),
			 0);
	assert_hex(okm, 42, "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d"
			    "9d201395faa4b61a96c8");
}

static void test_hkdf_bad_lengths(void **state)
{
	uint8_t ikm[32] = { 0 }, prk[32] = { 0 }, short_prk[31] = { 0 };
	static uint8_t okm[255 * 32 + 1];

	(void)state;
	/* RFC 5869: L <= 255 * HashLen. */
	assert_int_equal(crypto_hkdf_sha256(NULL, 0, ikm, sizeof(ikm), NULL, 0, okm,
					    255 * 32 + 1), -1);
	assert_int_equal(crypto_hkdf_sha256(NULL, 0, ikm, sizeof(ikm), NULL, 0, okm, 255 * 32), 0);
	/* A PRK shorter than HashLen is refused. */
	assert_int_equal(crypto_hkdf_expand_sha256(short_prk, sizeof(short_prk), NULL, 0, okm, 16),
			 -1);
	assert_int_equal(crypto_hkdf_expand_sha256(prk, sizeof(prk), NULL, 0, okm, 16), 0);
}

/* The fixed arena: every HMAC context goes back; none is left in use. */
static void test_arena_does_not_leak(void **state)
{
	uint8_t ikm[32] = { 1 }, a[32], b[32];
	void *slots[ARENA_SLOTS + 1];
	unsigned int i;

	(void)state;
	assert_int_equal(crypto_hkdf_sha256(NULL, 0, ikm, 32, NULL, 0, a, 32), 0);
	for (i = 0; i < 1000; i++)
		assert_int_equal(crypto_hkdf_sha256(NULL, 0, ikm, 32, NULL, 0, b, 32), 0);
	assert_memory_equal(a, b, 32);
	/* Exactly ARENA_SLOTS slots, each at most 256 bytes; then NULL, not a heap. */
	assert_null(crypto_arena_calloc(257, 1));
	assert_null(crypto_arena_calloc(SIZE_MAX, 2));
	for (i = 0; i < ARENA_SLOTS; i++) {
		slots[i] = crypto_arena_calloc(1, 200);
		assert_non_null(slots[i]);
	}
	slots[ARENA_SLOTS] = crypto_arena_calloc(1, 1);
	assert_null(slots[ARENA_SLOTS]);
	/* With no slot free, HKDF fails cleanly instead of writing anywhere. */
	assert_int_equal(crypto_hkdf_sha256(NULL, 0, ikm, 32, NULL, 0, b, 32), -1);
	for (i = 0; i < ARENA_SLOTS; i++)
		crypto_arena_free(slots[i]);
	crypto_arena_free(NULL);
	assert_int_equal(crypto_hkdf_sha256(NULL, 0, ikm, 32, NULL, 0, b, 32), 0);
	assert_memory_equal(a, b, 32);
}

/* RFC 6979 A.2.5: P-256, SHA-256, "sample". */
#define P256_UX "60fed4ba255a9d31c961eb74c6356d68c049b8923b61fa6ce669622e60f29fb6"
#define P256_UY "7903fe1008b8bc99a41ae9e95628bc64f2f1b20c2d7e9f5177a3c294d4462299"
#define P256_R "efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716"
#define P256_S "f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8"

struct ecdsa_vec {
	uint8_t point[CRYPTO_P256_POINT_LEN];
	uint8_t hash[CRYPTO_SHA256_LEN];
	uint8_t sig[80];
	size_t sig_len;
};

static void ecdsa_vec(struct ecdsa_vec *v)
{
	v->point[0] = 0x04;
	assert_int_equal(unhex(P256_UX P256_UY, v->point + 1, 64), 64);
	assert_int_equal(crypto_sha256("sample", 6, v->hash), 0);
	/* SEQUENCE { INTEGER 00||r, INTEGER 00||s }: both have their top bit set. */
	v->sig_len = unhex("3046022100" P256_R "022100" P256_S, v->sig, sizeof(v->sig));
	assert_int_equal(v->sig_len, 72);
}

static void test_ecdsa_p256_rfc6979(void **state)
{
	struct ecdsa_vec v;

	(void)state;
	ecdsa_vec(&v);
	assert_int_equal(crypto_ecdsa_p256_verify(v.point, v.hash, v.sig, v.sig_len), 0);
}

/* Every way a verification fails, and none leaves an arena slot taken. */
static void test_ecdsa_p256_refusals(void **state)
{
	struct ecdsa_vec v;
	void *slots[ARENA_SLOTS];
	unsigned int i;

	(void)state;
	ecdsa_vec(&v);
	v.hash[31] ^= 1; /* another message */
	assert_int_equal(crypto_ecdsa_p256_verify(v.point, v.hash, v.sig, v.sig_len),
			 CRYPTO_ERR_BAD_SIGNATURE);
	v.hash[31] ^= 1;
	v.sig[40] ^= 0x80; /* another r */
	assert_int_equal(crypto_ecdsa_p256_verify(v.point, v.hash, v.sig, v.sig_len),
			 CRYPTO_ERR_BAD_SIGNATURE);
	v.sig[40] ^= 0x80;
	v.sig[v.sig_len] = 0; /* a trailing byte */
	assert_int_equal(crypto_ecdsa_p256_verify(v.point, v.hash, v.sig, v.sig_len + 1),
			 CRYPTO_ERR_BAD_SIGNATURE);
	assert_int_equal(crypto_ecdsa_p256_verify(v.point, v.hash, v.sig, v.sig_len - 1),
			 CRYPTO_ERR_BAD_SIGNATURE); /* truncated DER */
	v.point[64] ^= 1; /* not on the curve */
	assert_int_equal(crypto_ecdsa_p256_verify(v.point, v.hash, v.sig, v.sig_len),
			 CRYPTO_ERR_BAD_KEY);
	v.point[64] ^= 1;
	v.point[0] = 0x02; /* compressed: not accepted */
	assert_int_equal(crypto_ecdsa_p256_verify(v.point, v.hash, v.sig, v.sig_len),
			 CRYPTO_ERR_BAD_KEY);
	v.point[0] = 0x04;
	assert_int_equal(crypto_ecdsa_p256_verify(v.point, v.hash, v.sig, v.sig_len), 0);
	for (i = 0; i < ARENA_SLOTS; i++) {
		slots[i] = crypto_arena_calloc(1, 256);
		assert_non_null(slots[i]);
	}
	for (i = 0; i < ARENA_SLOTS; i++)
		crypto_arena_free(slots[i]);
}

/* RFC 6979 A.2.5's key: the public point, and the same r || s as its "sample". */
#define P256_X "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721"

static void test_ecdsa_p256_sign_rfc6979(void **state)
{
	uint8_t d[32], point[CRYPTO_P256_POINT_LEN], want[CRYPTO_P256_POINT_LEN];
	uint8_t hash[32], sig[CRYPTO_P256_SIG_LEN], rs[64];
	unsigned int i;

	(void)state;
	assert_int_equal(unhex(P256_X, d, sizeof(d)), 32);
	want[0] = 0x04;
	assert_int_equal(unhex(P256_UX P256_UY, want + 1, 64), 64);
	assert_int_equal(crypto_p256_public(d, point), 0);
	assert_memory_equal(point, want, sizeof(want));
	assert_int_equal(crypto_sha256("sample", 6, hash), 0);
	assert_int_equal(unhex(P256_R P256_S, rs, sizeof(rs)), 64);
	/* Deterministic: the same bytes every time, and no arena slot kept. */
	for (i = 0; i < 3; i++) {
		assert_int_equal(crypto_ecdsa_p256_sign(d, hash, sig), 0);
		assert_memory_equal(sig, rs, sizeof(rs));
	}
	/* A scalar outside [1, n-1] is refused, with nothing signed. */
	memset(d, 0, sizeof(d));
	assert_int_equal(crypto_ecdsa_p256_sign(d, hash, sig), -1);
	assert_memory_equal(sig, (uint8_t[64]){ 0 }, 64);
	assert_int_equal(crypto_p256_public(d, point), -1);
	memset(d, 0xff, sizeof(d));
	assert_int_equal(crypto_ecdsa_p256_sign(d, hash, sig), -1);
}

/* FIPS 186-4 B.4.1: (c mod (n-1)) + 1, always in [1, n-1]. */
static void test_p256_key_from_seed(void **state)
{
	/* n - 1 of P-256, big-endian. */
	static const char n1[] =
		"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550";
	uint8_t seed[48] = { 0 }, d[32], want[32], point[CRYPTO_P256_POINT_LEN];

	(void)state;
	assert_int_equal(crypto_p256_key_from_seed(seed, 39, d), -1); /* too short */
	assert_int_equal(crypto_p256_key_from_seed(seed, sizeof(seed), d), 0);
	memset(want, 0, sizeof(want));
	want[31] = 1; /* 0 -> 1 */
	assert_memory_equal(d, want, 32);
	/* c = n - 1 -> 0 + 1 = 1 as well; c = n - 2 -> n - 1, the largest scalar. */
	assert_int_equal(unhex(n1, seed + 16, 32), 32);
	assert_int_equal(crypto_p256_key_from_seed(seed, sizeof(seed), d), 0);
	assert_memory_equal(d, want, 32);
	seed[47] = 0x4f;
	assert_int_equal(crypto_p256_key_from_seed(seed, sizeof(seed), d), 0);
	assert_int_equal(unhex(n1, want, 32), 32);
	assert_memory_equal(d, want, 32);
	seed[47] = 0x50;
	memset(seed, 0xff, 16);
	assert_int_equal(crypto_p256_key_from_seed(seed, sizeof(seed), d), 0);
	assert_int_equal(crypto_p256_public(d, point), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sha256_nist),
		cmocka_unit_test(test_hkdf_rfc5869_case1),
		cmocka_unit_test(test_hkdf_rfc5869_case2),
		cmocka_unit_test(test_hkdf_rfc5869_case3),
		cmocka_unit_test(test_hkdf_bad_lengths),
		cmocka_unit_test(test_arena_does_not_leak),
		cmocka_unit_test(test_ecdsa_p256_rfc6979),
		cmocka_unit_test(test_ecdsa_p256_refusals),
		cmocka_unit_test(test_ecdsa_p256_sign_rfc6979),
		cmocka_unit_test(test_p256_key_from_seed),
	};

	return cmocka_run_group_tests_name("crypto", tests, NULL, NULL);
}
