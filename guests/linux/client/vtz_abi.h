/* SPDX-License-Identifier: MIT */
/*
 * vTZ's built-in trusted applications as vtz-client sees them. The
 * UUIDs and command numbers are defined once, in include/vtz/optee_msg.h
 * (the ABI our TEE implements); that header also defines the GP result
 * codes with other spellings than Debian's tee_client_api.h, so the two
 * cannot share a translation unit: vtz_abi.c includes ours and exports
 * what the client needs, with static checks that the mirrored values here
 * match.
 */
#ifndef VTZ_CLIENT_ABI_H
#define VTZ_CLIENT_ABI_H

#include <stdint.h>

#define VTZ_UUID_LEN 16

/* RFC 4122 octets (big-endian), as in optee_msg.h. */
extern const uint8_t vtz_ta_echo_uuid[VTZ_UUID_LEN];
extern const uint8_t vtz_ta_store_uuid[VTZ_UUID_LEN];
extern const uint8_t vtz_ta_key_uuid[VTZ_UUID_LEN];
extern const uint8_t vtz_ta_attest_uuid[VTZ_UUID_LEN];

enum vtz_echo_cmd {
	VTZ_ECHO_ECHO = 0,
	VTZ_ECHO_ADD = 1,
	VTZ_ECHO_ECHO_MEM = 2,
	VTZ_ECHO_YIELD = 3,
	VTZ_ECHO_NOTIFY = 5,
};

enum vtz_store_cmd {
	VTZ_STORE_PUT = 0,
	VTZ_STORE_GET = 1,
	VTZ_STORE_DELETE = 2,
};

enum vtz_key_cmd {
	VTZ_KEY_MAC = 0,
};

enum vtz_attest_cmd {
	VTZ_ATTEST_ATTEST = 0,
};

enum vtz_limits {
	VTZ_ECHO_MAX_YIELDS = 16,
	VTZ_STORE_KEY_MAX = 64,
	VTZ_STORE_VALUE_MAX = 512,
	VTZ_KEY_TAG_SIZE = 32,
	/* include/vtz/attest_abi.h: the nonce and the whole signed report. */
	VTZ_NONCE_SIZE = 32,
	VTZ_REPORT_SIZE = 256,
	/* Bytes of memref contents one call may carry through the TEE. */
	VTZ_BOUNCE_SIZE = 32 * 1024,
};

#endif
