/* SPDX-License-Identifier: MIT */
/*
 * Our mbedTLS configuration (MBEDTLS_CONFIG_FILE), replacing the library's
 * own config.h: only what SHA-256, HKDF-SHA256 and ECDSA-P256 signature
 * verification need, for the monitor, the TEE and the host unit tests
 * alike. Freestanding: no entropy source,
 * no file IO, no time, no libc allocator. The message-digest layer asks
 * for two small contexts per HMAC; they come from a fixed arena in
 * lib/crypto/crypto.c (crypto_arena_calloc/free), never from a heap.
 */
#ifndef VTZ_MBEDTLS_CONFIG_H
#define VTZ_MBEDTLS_CONFIG_H

#include <stddef.h>

/* Algorithms. */
#define MBEDTLS_SHA256_C
#define MBEDTLS_MD_C
#define MBEDTLS_HKDF_C
/* Smaller SHA-256 (one round function instead of an unrolled loop). */
#define MBEDTLS_SHA256_SMALLER

/*
 * ECDSA-P256 verification of the signed boot images (the monitor only;
 * the linker drops it elsewhere). ECDSA needs ASN1 write to be enabled,
 * though verification only parses. Only public values are involved, so
 * the ECP side-channel blinding (which would need a DRBG) is not needed:
 * MBEDTLS_ECP_NO_INTERNAL_RNG. Small windows, no fixed-point tables: the
 * allocations fit the fixed arena (lib/crypto/crypto.c).
 */
#define MBEDTLS_BIGNUM_C
#define MBEDTLS_ECP_C
#define MBEDTLS_ECP_DP_SECP256R1_ENABLED
#define MBEDTLS_ECP_NIST_OPTIM
#define MBEDTLS_ECP_NO_INTERNAL_RNG
#define MBEDTLS_ECDSA_C
/*
 * Attestation reports (monitor/attest.c) are signed with deterministic
 * ECDSA (RFC 6979), which needs HMAC-DRBG: no entropy source required.
 */
#define MBEDTLS_ECDSA_DETERMINISTIC
#define MBEDTLS_HMAC_DRBG_C
#define MBEDTLS_ASN1_PARSE_C
#define MBEDTLS_ASN1_WRITE_C
#define MBEDTLS_ECP_MAX_BITS 256
#define MBEDTLS_MPI_MAX_SIZE 64
#define MBEDTLS_ECP_WINDOW_SIZE 2
#define MBEDTLS_ECP_FIXED_POINT_OPTIM 0

/* Platform: our allocator, nothing else from a C library. */
#define MBEDTLS_PLATFORM_C
#define MBEDTLS_PLATFORM_MEMORY
#define MBEDTLS_PLATFORM_NO_STD_FUNCTIONS
#define MBEDTLS_PLATFORM_CALLOC_MACRO crypto_arena_calloc
#define MBEDTLS_PLATFORM_FREE_MACRO crypto_arena_free
void *crypto_arena_calloc(size_t n, size_t size);
void crypto_arena_free(void *ptr);

#include "mbedtls/check_config.h"

#endif
