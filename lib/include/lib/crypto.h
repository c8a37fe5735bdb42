/* SPDX-License-Identifier: MIT */
/*
 * Thin wrappers over mbedTLS (built from Debian's source package by
 * mk/mbedtls.mk): the only cryptography in vTZ, none of it written here.
 * Linked into the EL3 monitor, the TEE kernel and the host unit tests.
 */
#ifndef VTZ_CRYPTO_H
#define VTZ_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_SHA256_LEN 32

/* out = SHA-256(data[0..len)). Returns 0, or -1 if mbedTLS failed. */
int crypto_sha256(const void *data, size_t len, uint8_t out[CRYPTO_SHA256_LEN]);

/*
 * RFC 5869 HKDF with SHA-256: extract (salt may be NULL with salt_len 0:
 * HashLen zero bytes) then expand to out_len bytes (at most 255 * 32).
 * Returns 0, or -1 on bad lengths.
 */
int crypto_hkdf_sha256(const uint8_t *salt, size_t salt_len, const uint8_t *ikm,
		       size_t ikm_len, const uint8_t *info, size_t info_len, uint8_t *out,
		       size_t out_len);

/* RFC 5869 HKDF-Expand only: prk must be at least 32 bytes. */
int crypto_hkdf_expand_sha256(const uint8_t *prk, size_t prk_len, const uint8_t *info,
			      size_t info_len, uint8_t *out, size_t out_len);

#define CRYPTO_P256_POINT_LEN 65 /* 0x04, X, Y */
#define CRYPTO_ERR_BAD_KEY -2
#define CRYPTO_ERR_BAD_SIGNATURE -3

/*
 * Verify the DER ECDSA signature sig[0..sig_len) of the SHA-256 digest
 * hash with the P-256 public key point (uncompressed). Returns 0 if it
 * verifies, CRYPTO_ERR_BAD_KEY if point is not a point of the curve,
 * CRYPTO_ERR_BAD_SIGNATURE for any other failure (malformed DER, trailing
 * bytes, a signature that does not verify, no arena slot left).
 */
int crypto_ecdsa_p256_verify(const uint8_t point[CRYPTO_P256_POINT_LEN],
			     const uint8_t hash[CRYPTO_SHA256_LEN], const uint8_t *sig,
			     size_t sig_len);

#define CRYPTO_P256_SCALAR_LEN 32
#define CRYPTO_P256_SIG_LEN 64 /* r || s, each 32 bytes big-endian */

/*
 * A P-256 private scalar from seed_len (at least 40) bytes of key material,
 * FIPS 186-4 B.4.1: (seed mod (n - 1)) + 1, big-endian. 0 or -1.
 */
int crypto_p256_key_from_seed(const uint8_t *seed, size_t seed_len,
			      uint8_t scalar[CRYPTO_P256_SCALAR_LEN]);

/* The public point (uncompressed) of a private scalar. 0, or -1 (not in [1, n-1]). */
int crypto_p256_public(const uint8_t scalar[CRYPTO_P256_SCALAR_LEN],
		       uint8_t point[CRYPTO_P256_POINT_LEN]);

/*
 * Deterministic ECDSA (RFC 6979) with P-256 over the SHA-256 digest hash:
 * sig = r || s. 0, or -1 (bad scalar, no arena slot left) with sig zeroed.
 */
int crypto_ecdsa_p256_sign(const uint8_t scalar[CRYPTO_P256_SCALAR_LEN],
			   const uint8_t hash[CRYPTO_SHA256_LEN], uint8_t sig[CRYPTO_P256_SIG_LEN]);

/*
 * The fixed arena mbedTLS allocates from (lib/crypto/mbedtls_config.h): 40
 * slots of 256 bytes, NULL when none fits; slots are zeroed on free.
 */
void *crypto_arena_calloc(size_t n, size_t size);
void crypto_arena_free(void *ptr);

/* Zero a secret in a way the compiler cannot drop. */
void crypto_zeroize(void *buf, size_t len);

#endif
