/* SPDX-License-Identifier: MIT */
/*
 * mbedTLS's common.h includes <assert.h>, which a freestanding build does
 * not have. mbedTLS uses assert() only for MBEDTLS_CHECK_PARAMS_ASSERT,
 * which our configuration leaves off, and static_assert through its own
 * macros; an empty assert() is all it needs.
 */
#ifndef VTZ_MBEDTLS_SHIM_ASSERT_H
#define VTZ_MBEDTLS_SHIM_ASSERT_H

#define assert(cond) ((void)0)

#endif
