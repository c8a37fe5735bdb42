/* SPDX-License-Identifier: MIT */
/*
 * Thin wrappers over mbedTLS, and the fixed arena it allocates from. We
 * never hand-write cryptography: SHA-256, HMAC, HKDF and ECDSA are
 * mbedTLS's (Debian source package mbedtls, pinned in scripts/setup.sh).
 *
 * The arena: mbedtls_md_setup() with HMAC asks for two blocks (the SHA-256
 * context and the HMAC pads), and HKDF holds at most one such context at a
 * time. An ECDSA-P256 verification (lib/crypto/mbedtls_config.h: window 2,
 * no fixed-point tables) holds at most 32 blocks of at most 144 bytes at
 * once (measured on the host). Fixed slots cover both without a heap;
 * every slot is zeroed on free, since the pads are derived from the key.
 * One lock serialises every operation: the monitor serves SMCs on several
 * CPUs at once.
 */
#include <stdbool.h>
#include <string.h>

#include <lib/spinlock.h>

#include "mbedtls/ecdsa.h"
#include "mbedtls/hkdf.h"
#include "mbedtls/hmac_drbg.h"
#include "mbedtls/md.h"
#include "mbedtls/platform_util.h"
#include "mbedtls/sha256.h"

#include <lib/crypto.h>

#define ARENA_SLOTS 40
#define ARENA_SLOT_SIZE 256

static struct {
	uint64_t mem[ARENA_SLOTS][ARENA_SLOT_SIZE / 8]; /* 8-byte aligned blocks */
	bool used[ARENA_SLOTS];
} arena;

static struct spinlock crypto_lock = SPINLOCK_INIT;

void *crypto_arena_calloc(size_t n, size_t size)
{
	unsigned int i;

	if (!n || !size || n > ARENA_SLOT_SIZE / size)
		return NULL;
	for (i = 0; i < ARENA_SLOTS; i++) {
		if (!arena.used[i]) {
			arena.used[i] = true;
			memset(arena.mem[i], 0, ARENA_SLOT_SIZE);
			return arena.mem[i];
		}
	}
	return NULL;
}

void crypto_arena_free(void *ptr)
{
	unsigned int i;

	for (i = 0; i < ARENA_SLOTS; i++) {
		if (ptr == arena.mem[i]) {
			mbedtls_platform_zeroize(arena.mem[i], ARENA_SLOT_SIZE);
			arena.used[i] = false;
			return;
		}
	}
}

void crypto_zeroize(void *buf, size_t len)
{
	mbedtls_platform_zeroize(buf, len);
}

int crypto_sha256(const void *data, size_t len, uint8_t out[CRYPTO_SHA256_LEN])
{
	int ret;

	spin_lock(&crypto_lock);
	ret = mbedtls_sha256_ret(data, len, out, 0);
	spin_unlock(&crypto_lock);
	return ret ? -1 : 0;
}

int crypto_hkdf_sha256(const uint8_t *salt, size_t salt_len, const uint8_t *ikm,
		       size_t ikm_len, const uint8_t *info, size_t info_len, uint8_t *out,
		       size_t out_len)
{
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	int ret;

	spin_lock(&crypto_lock);
	ret = mbedtls_hkdf(md, salt, salt_len, ikm, ikm_len, info, info_len, out, out_len);
	spin_unlock(&crypto_lock);
	return ret ? -1 : 0;
}

int crypto_hkdf_expand_sha256(const uint8_t *prk, size_t prk_len, const uint8_t *info,
			      size_t info_len, uint8_t *out, size_t out_len)
{
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	int ret;

	spin_lock(&crypto_lock);
	ret = mbedtls_hkdf_expand(md, prk, prk_len, info, info_len, out, out_len);
	spin_unlock(&crypto_lock);
	return ret ? -1 : 0;
}

int crypto_ecdsa_p256_verify(const uint8_t point[CRYPTO_P256_POINT_LEN],
			     const uint8_t hash[CRYPTO_SHA256_LEN], const uint8_t *sig,
			     size_t sig_len)
{
	mbedtls_ecdsa_context ctx;
	int ret;

	spin_lock(&crypto_lock);
	mbedtls_ecdsa_init(&ctx);
	if (mbedtls_ecp_group_load(&ctx.grp, MBEDTLS_ECP_DP_SECP256R1) ||
	    mbedtls_ecp_point_read_binary(&ctx.grp, &ctx.Q, point, CRYPTO_P256_POINT_LEN) ||
	    mbedtls_ecp_check_pubkey(&ctx.grp, &ctx.Q))
		ret = CRYPTO_ERR_BAD_KEY;
	/* Anything but exactly one valid DER signature, trailing bytes included, fails. */
	else if (mbedtls_ecdsa_read_signature(&ctx, hash, CRYPTO_SHA256_LEN, sig, sig_len))
		ret = CRYPTO_ERR_BAD_SIGNATURE;
	else
		ret = 0;
	mbedtls_ecdsa_free(&ctx);
	spin_unlock(&crypto_lock);
	return ret;
}

/*
 * FIPS 186-4 B.4.1 ("key pair generation using extra random bits"), with
 * mbedTLS's bignums: d = (c mod (n - 1)) + 1, c the seed as a big-endian
 * integer of at least 64 bits more than n, so d is in [1, n - 1] with a
 * negligible bias. The seed comes from HKDF over the device root key
 * (monitor/attest.c), so the same device always has the same key.
 */
int crypto_p256_key_from_seed(const uint8_t *seed, size_t seed_len,
			      uint8_t scalar[CRYPTO_P256_SCALAR_LEN])
{
	mbedtls_ecp_group grp;
	mbedtls_mpi c, n1;
	int ret;

	if (seed_len < CRYPTO_P256_SCALAR_LEN + 8)
		return -1;
	spin_lock(&crypto_lock);
	mbedtls_ecp_group_init(&grp);
	mbedtls_mpi_init(&c);
	mbedtls_mpi_init(&n1);
	ret = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
	if (!ret)
		ret = mbedtls_mpi_read_binary(&c, seed, seed_len);
	if (!ret)
		ret = mbedtls_mpi_sub_int(&n1, &grp.N, 1);
	if (!ret)
		ret = mbedtls_mpi_mod_mpi(&c, &c, &n1);
	if (!ret)
		ret = mbedtls_mpi_add_int(&c, &c, 1);
	if (!ret)
		ret = mbedtls_mpi_write_binary(&c, scalar, CRYPTO_P256_SCALAR_LEN);
	/* mbedtls_mpi_free zeroes the limbs: nothing of d stays in the arena. */
	mbedtls_mpi_free(&c);
	mbedtls_mpi_free(&n1);
	mbedtls_ecp_group_free(&grp);
	spin_unlock(&crypto_lock);
	return ret ? -1 : 0;
}

int crypto_p256_public(const uint8_t scalar[CRYPTO_P256_SCALAR_LEN],
		       uint8_t point[CRYPTO_P256_POINT_LEN])
{
	mbedtls_ecp_group grp;
	mbedtls_ecp_point q;
	mbedtls_mpi d;
	size_t olen = 0;
	int ret;

	spin_lock(&crypto_lock);
	mbedtls_ecp_group_init(&grp);
	mbedtls_ecp_point_init(&q);
	mbedtls_mpi_init(&d);
	ret = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
	if (!ret)
		ret = mbedtls_mpi_read_binary(&d, scalar, CRYPTO_P256_SCALAR_LEN);
	if (!ret)
		ret = mbedtls_ecp_check_privkey(&grp, &d);
	if (!ret)
		ret = mbedtls_ecp_mul(&grp, &q, &d, &grp.G, NULL, NULL);
	if (!ret)
		ret = mbedtls_ecp_point_write_binary(&grp, &q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen,
						     point, CRYPTO_P256_POINT_LEN);
	if (!ret && olen != CRYPTO_P256_POINT_LEN)
		ret = -1;
	mbedtls_mpi_free(&d);
	mbedtls_ecp_point_free(&q);
	mbedtls_ecp_group_free(&grp);
	spin_unlock(&crypto_lock);
	return ret ? -1 : 0;
}

/*
 * The blinding values mbedTLS's scalar multiplication asks for: an
 * HMAC-DRBG (mbedTLS's) seeded from the key and the digest under a label of
 * its own, as mbedtls_ecdsa_sign_det() does when given none. There is no
 * entropy source here; side channels are outside our threat model.
 */
static int sign_blinding(void *ctx, unsigned char *out, size_t len)
{
	return mbedtls_hmac_drbg_random(ctx, out, len);
}

int crypto_ecdsa_p256_sign(const uint8_t scalar[CRYPTO_P256_SCALAR_LEN],
			   const uint8_t hash[CRYPTO_SHA256_LEN], uint8_t sig[CRYPTO_P256_SIG_LEN])
{
	static const char label[] = "vTZ ECDSA blinding";
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	uint8_t seed[CRYPTO_P256_SCALAR_LEN + CRYPTO_SHA256_LEN + sizeof(label) - 1];
	mbedtls_hmac_drbg_context blind;
	mbedtls_ecp_group grp;
	mbedtls_mpi d, r, s;
	int ret;

	memcpy(seed, scalar, CRYPTO_P256_SCALAR_LEN);
	memcpy(seed + CRYPTO_P256_SCALAR_LEN, hash, CRYPTO_SHA256_LEN);
	memcpy(seed + CRYPTO_P256_SCALAR_LEN + CRYPTO_SHA256_LEN, label, sizeof(label) - 1);
	spin_lock(&crypto_lock);
	mbedtls_hmac_drbg_init(&blind);
	mbedtls_ecp_group_init(&grp);
	mbedtls_mpi_init(&d);
	mbedtls_mpi_init(&r);
	mbedtls_mpi_init(&s);
	ret = md ? mbedtls_hmac_drbg_seed_buf(&blind, md, seed, sizeof(seed)) : -1;
	if (!ret)
		ret = mbedtls_ecp_group_load(&grp, MBEDTLS_ECP_DP_SECP256R1);
	if (!ret)
		ret = mbedtls_mpi_read_binary(&d, scalar, CRYPTO_P256_SCALAR_LEN);
	if (!ret)
		ret = mbedtls_ecp_check_privkey(&grp, &d);
	/* RFC 6979: k from the key and the digest, so a signature never needs entropy. */
	if (!ret)
		ret = mbedtls_ecdsa_sign_det_ext(&grp, &r, &s, &d, hash, CRYPTO_SHA256_LEN,
						 MBEDTLS_MD_SHA256, sign_blinding, &blind);
	if (!ret)
		ret = mbedtls_mpi_write_binary(&r, sig, CRYPTO_P256_SCALAR_LEN);
	if (!ret)
		ret = mbedtls_mpi_write_binary(&s, sig + CRYPTO_P256_SCALAR_LEN,
					       CRYPTO_P256_SCALAR_LEN);
	mbedtls_mpi_free(&d);
	mbedtls_mpi_free(&r);
	mbedtls_mpi_free(&s);
	mbedtls_ecp_group_free(&grp);
	mbedtls_hmac_drbg_free(&blind);
	spin_unlock(&crypto_lock);
	crypto_zeroize(seed, sizeof(seed));
	if (ret)
		memset(sig, 0, CRYPTO_P256_SIG_LEN);
	return ret ? -1 : 0;
}
