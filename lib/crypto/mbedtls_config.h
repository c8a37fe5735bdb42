/* SPDX-License-Identifier: MIT */
/*
 * Our mbedTLS configuration (MBEDTLS_CONFIG_FILE), replacing the library's
 * own config.h: only what SHA-256 and HKDF-SHA256 need, for the monitor,
 * the TEE and the host unit tests alike. Freestanding: no entropy source,
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
