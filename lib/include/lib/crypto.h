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

/*
 * The fixed arena mbedTLS allocates from (lib/crypto/mbedtls_config.h): four
 * slots of 256 bytes, NULL when none fits; slots are zeroed on free.
 */
void *crypto_arena_calloc(size_t n, size_t size);
void crypto_arena_free(void *ptr);

/* Zero a secret in a way the compiler cannot drop. */
void crypto_zeroize(void *buf, size_t len);

#endif
