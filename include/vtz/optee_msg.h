/* SPDX-License-Identifier: MIT */
/*
 * The OP-TEE message protocol (optee_msg.h of OP-TEE and Linux) as vTZ's
 * TEE speaks it through OPTEE_SMC_CALL_WITH_ARG, the GlobalPlatform
 * client result codes it answers with, and our built-in trusted
 * applications (UUIDs and commands). Values are the published ABI; the
 * names follow those headers so readers can check them.
 */
#ifndef VTZ_OPTEE_MSG_H
#define VTZ_OPTEE_MSG_H

#include <stdint.h>

/* Parameter attributes: a type in bits 7:0, then flags. */
#define OPTEE_MSG_ATTR_TYPE_NONE 0x0
#define OPTEE_MSG_ATTR_TYPE_VALUE_INPUT 0x1
#define OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT 0x2
#define OPTEE_MSG_ATTR_TYPE_VALUE_INOUT 0x3
#define OPTEE_MSG_ATTR_TYPE_RMEM_INPUT 0x5
#define OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT 0x6
#define OPTEE_MSG_ATTR_TYPE_RMEM_INOUT 0x7
#define OPTEE_MSG_ATTR_TYPE_TMEM_INPUT 0x9
#define OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT 0xa
#define OPTEE_MSG_ATTR_TYPE_TMEM_INOUT 0xb
#define OPTEE_MSG_ATTR_TYPE_MASK 0xffULL
/* Consumed by the TEE itself, not passed to the TA (OPEN_SESSION only). */
#define OPTEE_MSG_ATTR_META (1ULL << 8)
/*
 * tmem.buf_ptr is the address of a page list, not of the buffer: each
 * 4 KiB list page holds 511 page addresses and, last, the address of the
 * next list page; the low 12 bits of buf_ptr are the buffer's offset in
 * its first page.
 */
#define OPTEE_MSG_ATTR_NONCONTIG (1ULL << 9)
#define OPTEE_MSG_ATTR_CACHE_SHIFT 16
#define OPTEE_MSG_ATTR_CACHE_MASK 0x7ULL
#define OPTEE_MSG_ATTR_CACHE_PREDEFINED 0

#define OPTEE_MSG_LOGIN_PUBLIC 0x00000000
#define OPTEE_MSG_LOGIN_USER 0x00000001
#define OPTEE_MSG_LOGIN_GROUP 0x00000002
#define OPTEE_MSG_LOGIN_APPLICATION 0x00000004
#define OPTEE_MSG_LOGIN_APPLICATION_USER 0x00000005
#define OPTEE_MSG_LOGIN_APPLICATION_GROUP 0x00000006
#define OPTEE_MSG_LOGIN_REE_KERNEL 0x80000000

#define OPTEE_MSG_NONCONTIG_PAGE_SIZE 4096
/* Page addresses per list page; the last slot links to the next list page. */
#define OPTEE_MSG_PAGELIST_ENTRIES ((OPTEE_MSG_NONCONTIG_PAGE_SIZE / 8) - 1)

struct optee_msg_param_tmem {
	uint64_t buf_ptr;
	uint64_t size;
	uint64_t shm_ref;
};

struct optee_msg_param_rmem {
	uint64_t offs;
	uint64_t size;
	uint64_t shm_ref;
};

struct optee_msg_param_value {
	uint64_t a;
	uint64_t b;
	uint64_t c;
};

struct optee_msg_param {
	uint64_t attr;
	union {
		struct optee_msg_param_tmem tmem;
		struct optee_msg_param_rmem rmem;
		struct optee_msg_param_value value;
		uint8_t octets[24];
	} u;
};

struct optee_msg_arg {
	uint32_t cmd;
	uint32_t func;
	uint32_t session;
	uint32_t cancel_id;
	uint32_t pad;
	uint32_t ret;
	uint32_t ret_origin;
	uint32_t num_params;
	struct optee_msg_param params[];
};

#define OPTEE_MSG_GET_ARG_SIZE(n)                                                        \
	(sizeof(struct optee_msg_arg) + sizeof(struct optee_msg_param) * (uint64_t)(n))

_Static_assert(sizeof(struct optee_msg_param) == 32, "optee_msg_param layout");
_Static_assert(sizeof(struct optee_msg_arg) == 32, "optee_msg_arg layout");

/* API UID and revision (OPTEE_SMC_CALLS_UID / _REVISION). */
#define OPTEE_MSG_UID_0 0x384fb3e0
#define OPTEE_MSG_UID_1 0xe7f811e3
#define OPTEE_MSG_UID_2 0xaf630002
#define OPTEE_MSG_UID_3 0xa5d5c51b
#define OPTEE_MSG_REVISION_MAJOR 2
#define OPTEE_MSG_REVISION_MINOR 0
/* The trusted OS UUID OP-TEE reports (OPTEE_SMC_CALL_GET_OS_UUID). */
#define OPTEE_MSG_OS_OPTEE_UUID_0 0x486178e0
#define OPTEE_MSG_OS_OPTEE_UUID_1 0xe7f811e3
#define OPTEE_MSG_OS_OPTEE_UUID_2 0xbc5e0002
#define OPTEE_MSG_OS_OPTEE_UUID_3 0xa5d5c51b

/* struct optee_msg_arg::cmd */
#define OPTEE_MSG_CMD_OPEN_SESSION 0
#define OPTEE_MSG_CMD_INVOKE_COMMAND 1
#define OPTEE_MSG_CMD_CLOSE_SESSION 2
#define OPTEE_MSG_CMD_CANCEL 3
#define OPTEE_MSG_CMD_REGISTER_SHM 4
#define OPTEE_MSG_CMD_UNREGISTER_SHM 5
#define OPTEE_MSG_CMD_DO_BOTTOM_HALF 6
#define OPTEE_MSG_CMD_STOP_ASYNC_NOTIF 7

/* GlobalPlatform TEE Client API results (ret) and origins (ret_origin). */
#define TEEC_SUCCESS 0x00000000
#define TEEC_ERROR_GENERIC 0xffff0000
#define TEEC_ERROR_ACCESS_DENIED 0xffff0001
#define TEEC_ERROR_BAD_FORMAT 0xffff0005
#define TEEC_ERROR_BAD_PARAMETERS 0xffff0006
#define TEEC_ERROR_BAD_STATE 0xffff0007
#define TEEC_ERROR_ITEM_NOT_FOUND 0xffff0008
#define TEEC_ERROR_NOT_IMPLEMENTED 0xffff0009
#define TEEC_ERROR_NOT_SUPPORTED 0xffff000a
#define TEEC_ERROR_OUT_OF_MEMORY 0xffff000c
#define TEEC_ERROR_BUSY 0xffff000d
#define TEEC_ERROR_COMMUNICATION 0xffff000e
#define TEEC_ERROR_SHORT_BUFFER 0xffff0010
#define TEEC_ERROR_STORAGE_NO_SPACE 0xffff3041

#define TEEC_ORIGIN_API 1
#define TEEC_ORIGIN_COMMS 2
#define TEEC_ORIGIN_TEE 3
#define TEEC_ORIGIN_TRUSTED_APP 4

/*
 * Limits of vTZ's TEE (each one bounds memory the TEE owns, all of it
 * static: tee/msg.h):
 * - parameters per message: 4 for the TA, as GlobalPlatform has it, plus
 *   OPEN_SESSION's 2 meta parameters;
 * - open sessions: 64 (the 65th open is TEEC_ERROR_OUT_OF_MEMORY);
 * - registered buffers: 256 at once, each up to VTZ_MSG_MAX_SHM_SIZE,
 *   and VTZ_MSG_SHM_POOL_PAGES pages among all of them (128 MiB: a
 *   whole Linux VM's RAM), since the TEE keeps its own copy of every
 *   page address (8 bytes a page, 256 KiB for the pool);
 * - memref contents: a memref of up to VTZ_MSG_COPY_MAX bytes reaches
 *   the TA as a copy in TEE memory (4 of them fill the calling thread's
 *   VTZ_MSG_BOUNCE_SIZE bounce area exactly); a larger one, up to what
 *   its buffer holds, is streamed: the TA copies it in or out in chunks
 *   (tee/msg.h: ta_memref_read/_write). No memref is refused for size.
 */
#define VTZ_MSG_MAX_PARAMS 6
#define VTZ_TA_NUM_PARAMS 4
#define VTZ_MSG_MAX_SESSIONS 64
#define VTZ_MSG_MAX_SHM 256
#define VTZ_MSG_MAX_SHM_SIZE (64ULL * 1024 * 1024)
#define VTZ_MSG_SHM_POOL_PAGES 32768
#define VTZ_MSG_BOUNCE_SIZE (32 * 1024)
#define VTZ_MSG_COPY_MAX (VTZ_MSG_BOUNCE_SIZE / VTZ_TA_NUM_PARAMS)

/*
 * Built-in trusted applications. A TA's UUID travels in OPEN_SESSION's
 * first meta parameter as its 16 octets in RFC 4122 (big-endian) order,
 * octets 0..7 in value.a and 8..15 in value.b as the bytes lie in memory
 * (what Linux's driver and libteec put there).
 *
 * Echo TA, 7ee0ec40-0000-4000-8000-000000000001:
 *   ECHO      p0 value inout: returned unchanged
 *   ADD       p0 value in (a, b), p1 value out: a = p0.a + p0.b
 *   ECHO_MEM  p0 memref in, p1 memref out: p1 = p0 (SHORT_BUFFER, with the
 *             size needed, if p1 is smaller); p2 value out: a = byte sum
 *   YIELD     p0 value inout: a = how many times to return to the normal
 *             world (OPTEE_SMC_RETURN_RPC_FOREIGN_INTR, at most 16) before
 *             finishing; b = how many resumes it saw
 *   YIELD_MEM p0 as YIELD; p1 memref in, p2 memref out: after the last
 *             resume, p2 = p1 (SHORT_BUFFER, with the size needed, if p2
 *             is smaller): a TA that keeps memref copies across its RPCs,
 *             so a test can run other calls meanwhile and check them
 *   NOTIFY    p0 value out: raises an asynchronous notification to the
 *             normal world asking for a bottom half (OP-TEE's
 *             notif_send_async(DO_BOTTOM_HALF), PLAT_TEE_NOTIF_INTID);
 *             a = the bottom halves the normal world ran before this
 *             call. TEEC_ERROR_BAD_STATE if the normal world has not
 *             enabled notifications (OPTEE_SMC_ENABLE_ASYNC_NOTIF)
 */
#define VTZ_TA_ECHO_UUID                                                                 \
	{ 0x7e, 0xe0, 0xec, 0x40, 0x00, 0x00, 0x40, 0x00,                                \
	  0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01 }
#define VTZ_TA_ECHO_CMD_ECHO 0
#define VTZ_TA_ECHO_CMD_ADD 1
#define VTZ_TA_ECHO_CMD_ECHO_MEM 2
#define VTZ_TA_ECHO_CMD_YIELD 3
#define VTZ_TA_ECHO_CMD_YIELD_MEM 4
#define VTZ_TA_ECHO_CMD_NOTIFY 5
#define VTZ_TA_ECHO_MAX_YIELDS 16

/*
 * Secure store TA, 7ee0ec40-0000-4000-8000-000000000002: items in this
 * TEE's own memory (per TEE, lost at reset), at most VTZ_TA_STORE_ITEMS
 * keys of up to 64 bytes with values of up to 512 bytes.
 *   PUT     p0 memref in key, p1 memref in value (replaces)
 *   GET     p0 memref in key, p1 memref out value (SHORT_BUFFER + size)
 *   DELETE  p0 memref in key
 * An unknown key is ITEM_NOT_FOUND; a full store STORAGE_NO_SPACE.
 */
#define VTZ_TA_STORE_UUID                                                                \
	{ 0x7e, 0xe0, 0xec, 0x40, 0x00, 0x00, 0x40, 0x00,                                \
	  0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02 }
#define VTZ_TA_STORE_CMD_PUT 0
#define VTZ_TA_STORE_CMD_GET 1
#define VTZ_TA_STORE_CMD_DELETE 2
#define VTZ_TA_STORE_ITEMS 16
#define VTZ_TA_STORE_KEY_MAX 64
#define VTZ_TA_STORE_VALUE_MAX 512

/*
 * Key TA, 7ee0ec40-0000-4000-8000-000000000003:
 *   MAC  p0 value in: a = key index; p1 memref in: message; p2 memref
 *        out: tag (32 bytes; SHORT_BUFFER with size 32 if smaller) =
 *        HMAC-SHA256(K, message) where K = HKDF-Expand(PRK = this TEE's
 *        key, info = "vTZ key TA" || index as 8 little-endian bytes, 32).
 * The TEE's key never leaves the TEE; K only lives during the call.
 */
#define VTZ_TA_KEY_UUID                                                                  \
	{ 0x7e, 0xe0, 0xec, 0x40, 0x00, 0x00, 0x40, 0x00,                                \
	  0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03 }
#define VTZ_TA_KEY_CMD_MAC 0
#define VTZ_TA_KEY_INFO "vTZ key TA"
#define VTZ_TA_KEY_TAG_SIZE 32

/*
 * Attestation TA, 7ee0ec40-0000-4000-8000-000000000004:
 *   ATTEST  p0 memref in: the caller's nonce, exactly 32 bytes
 *           (BAD_PARAMETERS otherwise); p1 memref out: the signed report
 *           (include/vtz/attest_abi.h, 256 bytes; SHORT_BUFFER with size
 *           256 if smaller), as this TEE's dispatcher made it
 *           (VTZ_SMC_TEE_ATTEST). GENERIC if the dispatcher refused.
 */
#define VTZ_TA_ATTEST_UUID                                                               \
	{ 0x7e, 0xe0, 0xec, 0x40, 0x00, 0x00, 0x40, 0x00,                                \
	  0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04 }
#define VTZ_TA_ATTEST_CMD_ATTEST 0

#endif
