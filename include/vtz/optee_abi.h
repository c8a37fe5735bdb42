/* SPDX-License-Identifier: MIT */
/*
 * The parts of the OP-TEE SMC ABI (optee_smc.h) and of TF-A's opteed
 * dispatcher protocol (teesmc_opteed.h) that vTZ implements. Values are
 * the published ABI; the names follow those headers so readers can check.
 */
#ifndef VTZ_OPTEE_ABI_H
#define VTZ_OPTEE_ABI_H

#include <vtz/smccc.h>

#define OPTEE_SMC_OWNER_TRUSTED_OS 50
#define OPTEE_SMC_OWNER_TRUSTED_OS_OPTEED 62
#define OPTEE_SMC_OWNER_TRUSTED_OS_API 63

#define OPTEE_SMC_FAST_CALL_VAL(func) SMCCC_CALL_VAL(1, 0, OPTEE_SMC_OWNER_TRUSTED_OS, func)
#define OPTEE_SMC_STD_CALL_VAL(func) SMCCC_CALL_VAL(0, 0, OPTEE_SMC_OWNER_TRUSTED_OS, func)

/* General-service calls of the trusted OS API owner. */
#define OPTEE_SMC_CALLS_COUNT 0xbf00ff00U
#define OPTEE_SMC_CALLS_UID 0xbf00ff01U
#define OPTEE_SMC_CALLS_REVISION 0xbf00ff03U

/* Returned in x0 by the TEE for a call it does not know. */
#define OPTEE_SMC_RETURN_OK 0x0
#define OPTEE_SMC_RETURN_UNKNOWN_FUNCTION 0xffffffffU
#define OPTEE_SMC_RETURN_EBADCMD 0x5
#define OPTEE_SMC_RETURN_ETHREAD_LIMIT 0x1
#define OPTEE_SMC_RETURN_EBUSY 0x2
#define OPTEE_SMC_RETURN_ERESUME 0x3
#define OPTEE_SMC_RETURN_EBADADDR 0x4
#define OPTEE_SMC_RETURN_ENOMEM 0x6
#define OPTEE_SMC_RETURN_ENOTAVAIL 0x7

/*
 * The OP-TEE calls Linux's optee driver makes (optee_smc.h). Fast calls
 * answer at once; CALL_WITH_ARG (a1:a2 = guest-physical address of a
 * struct optee_msg_arg, include/vtz/optee_msg.h) and RETURN_FROM_RPC are
 * yielding calls, served by the TEE's one thread.
 */
#define OPTEE_SMC_CALL_GET_OS_UUID OPTEE_SMC_FAST_CALL_VAL(0)
#define OPTEE_SMC_CALL_GET_OS_REVISION OPTEE_SMC_FAST_CALL_VAL(1)
#define OPTEE_SMC_CALL_RETURN_FROM_RPC OPTEE_SMC_STD_CALL_VAL(3)
#define OPTEE_SMC_CALL_WITH_ARG OPTEE_SMC_STD_CALL_VAL(4)
#define OPTEE_SMC_GET_SHM_CONFIG OPTEE_SMC_FAST_CALL_VAL(7)
#define OPTEE_SMC_EXCHANGE_CAPABILITIES OPTEE_SMC_FAST_CALL_VAL(9)
#define OPTEE_SMC_DISABLE_SHM_CACHE OPTEE_SMC_FAST_CALL_VAL(10)
#define OPTEE_SMC_ENABLE_SHM_CACHE OPTEE_SMC_FAST_CALL_VAL(11)
#define OPTEE_SMC_GET_THREAD_COUNT OPTEE_SMC_FAST_CALL_VAL(15)
/*
 * Asynchronous notification (the secure world's interrupt to the normal
 * world's driver): ENABLE_ASYNC_NOTIF once the driver took the interrupt
 * of the optee node; at each interrupt, GET_ASYNC_NOTIF_VALUE until no
 * value is pending (a1 = value, a2 = VALID | PENDING); the value
 * DO_BOTTOM_HALF asks for a yielding call with OPTEE_MSG_CMD_DO_BOTTOM_HALF.
 */
#define OPTEE_SMC_ENABLE_ASYNC_NOTIF OPTEE_SMC_FAST_CALL_VAL(16)
#define OPTEE_SMC_GET_ASYNC_NOTIF_VALUE OPTEE_SMC_FAST_CALL_VAL(17)
#define OPTEE_SMC_ASYNC_NOTIF_VALID (1U << 0)
#define OPTEE_SMC_ASYNC_NOTIF_PENDING (1U << 1)
#define OPTEE_SMC_ASYNC_NOTIF_VALUE_DO_BOTTOM_HALF 0
/* The largest notification value we tell the driver of (OP-TEE's NOTIF_ASYNC_VALUE_MAX). */
#define VTZ_TEE_NOTIF_VALUE_MAX 63

/* EXCHANGE_CAPABILITIES: a1 in (normal world), a1 out (secure world). */
#define OPTEE_SMC_NSEC_CAP_UNIPROCESSOR (1U << 0)
#define OPTEE_SMC_SEC_CAP_HAVE_RESERVED_SHM (1U << 0)
#define OPTEE_SMC_SEC_CAP_UNREGISTERED_SHM (1U << 1)
#define OPTEE_SMC_SEC_CAP_DYNAMIC_SHM (1U << 2)
#define OPTEE_SMC_SEC_CAP_ASYNC_NOTIF (1U << 5)

/*
 * RPC: a yielding call may come back with a0 = OPTEE_SMC_RETURN_RPC_*
 * (a1, a2 its arguments, a3 the thread to resume); the normal world does
 * what it asks and resumes the thread with RETURN_FROM_RPC, a1..a3 as
 * the RPC asks (a3 unchanged).
 */
#define OPTEE_SMC_RETURN_RPC_PREFIX 0xffff0000U
#define OPTEE_SMC_RETURN_RPC_PREFIX_MASK 0xffff0000U
#define OPTEE_SMC_RETURN_RPC_FUNC_MASK 0x0000ffffU
#define OPTEE_SMC_RPC_FUNC_ALLOC 0
#define OPTEE_SMC_RPC_FUNC_FREE 2
#define OPTEE_SMC_RPC_FUNC_FOREIGN_INTR 4
#define OPTEE_SMC_RPC_FUNC_CMD 5
#define OPTEE_SMC_RETURN_RPC_FOREIGN_INTR                                                \
	(OPTEE_SMC_RETURN_RPC_PREFIX | OPTEE_SMC_RPC_FUNC_FOREIGN_INTR)
#define OPTEE_SMC_RETURN_IS_RPC(ret)                                                     \
	((ret) != OPTEE_SMC_RETURN_UNKNOWN_FUNCTION &&                                     \
	 ((ret)&OPTEE_SMC_RETURN_RPC_PREFIX_MASK) == OPTEE_SMC_RETURN_RPC_PREFIX)

/*
 * What vTZ's TEE reports for OPTEE_SMC_CALL_GET_OS_REVISION: its own
 * version (not OP-TEE's), with no build id.
 */
#define VTZ_TEE_OS_REVISION_MAJOR 0
#define VTZ_TEE_OS_REVISION_MINOR 4
/*
 * Threads of a TEE (OPTEE_SMC_GET_THREAD_COUNT), one per CPU it may run
 * on; a suspended thread's id (0..COUNT-1) travels in RPC a3.
 */
#define VTZ_TEE_THREAD_COUNT 8

/*
 * vTZ's own fast call for the walking skeleton and benchmarks:
 * x1, x2 in; returns x0 = OK, x1 = x1 + x2, x2 = x1 ^ x2, x3 = TEE id tag.
 */
#define VTZ_SMC_TEE_PING OPTEE_SMC_FAST_CALL_VAL(0xf000)
/*
 * A minimal per-TEE secret store (until the secure-store TA speaks the
 * OP-TEE message protocol): STORE x1 = slot (0..15), x2 = value; LOAD x1 =
 * slot, returns x1 = value. Each TEE has its own slots, in its own memory.
 */
#define VTZ_SMC_TEE_STORE OPTEE_SMC_FAST_CALL_VAL(0xf002)
#define VTZ_SMC_TEE_LOAD OPTEE_SMC_FAST_CALL_VAL(0xf003)
#define VTZ_TEE_STORE_SLOTS 16
/* The echo TA's fast path for benchmarks: returns x0 = OK, x1 = x1, nothing printed. */
#define VTZ_SMC_TEE_NULL OPTEE_SMC_FAST_CALL_VAL(0xf001)
/*
 * The TEE's key-derived tag (issue 4's key TA prerequisite): x1 in;
 * returns x0 = OK, x1, x2 = the first 16 bytes (little-endian words) of
 * HKDF-Expand(PRK = the TEE's key, info = x1 as 8 little-endian bytes).
 * The key depends on the device root key and the TEE's measurement only,
 * so the same image gets the same tag in both homes.
 */
#define VTZ_SMC_TEE_KEY_TAG OPTEE_SMC_FAST_CALL_VAL(0xf004)

/*
 * Test builds of the TEE only (tee-test, TEE_TEST_HOOKS): fault inside
 * the TEE, so tests can check what its dispatcher does with a dead TEE.
 * The TEE that ships answers it UNKNOWN_FUNCTION like any unknown call.
 */
#define VTZ_SMC_TEE_TEST_FAULT OPTEE_SMC_FAST_CALL_VAL(0xf0fe)
/*
 * Test builds only, like TEST_FAULT: enable FP/SIMD at EL1 and fill every
 * FP/SIMD register, FPSR and FPCR with a secret derived from x1 (qN = x1 + N
 * in its low half, its complement in the high half), print (so the call
 * stops for MMIO with the secret live), then check the registers still
 * hold it. Returns x0 = OK, x1 = how many registers lost the secret.
 */
#define VTZ_SMC_TEE_TEST_FP OPTEE_SMC_FAST_CALL_VAL(0xf0fd)
/*
 * Test builds only: x1 = an 8-byte aligned IPA in the TEE's own window
 * (VTZ_TEE_TEST_PEEK_BASE, 16 MiB: its RAM and the scratch IPAs above it);
 * returns x0 = OK, x1 = the word the TEE reads there, or x0 = EBADADDR.
 * It lets the attack suite ask the only party that can see a TEE page what
 * is in it (dma-into-tee-page).
 */
#define VTZ_SMC_TEE_TEST_PEEK OPTEE_SMC_FAST_CALL_VAL(0xf0fc)
#define VTZ_TEE_TEST_PEEK_BASE 0x0e100000UL /* = VTZ_TEE_ENTRY_IPA */
#define VTZ_TEE_TEST_PEEK_SPAN 0x01000000UL
/*
 * Test builds only: a long call. The TEE counts x1 (at most
 * VTZ_TEE_TEST_SPIN_MAX) iterations of a loop, then returns x0 = OK,
 * x1 = the count, x2 = x2 + 1: calls that the tick preempts, so a test can
 * destroy a VM in the middle of a TEE call it made (test_lifecycle).
 */
#define VTZ_SMC_TEE_TEST_SPIN OPTEE_SMC_FAST_CALL_VAL(0xf0fb)
#define VTZ_TEE_TEST_SPIN_MAX (1UL << 26)
/*
 * Test builds only: x1 = an SPI (32..287), x2 = 1 to make it secure
 * (group 0) first, 0 to make it non-secure group 1; then the TEE writes
 * its GICD_ISPENDR bit, as OP-TEE raises its notification. Returns x0 =
 * OK, or EBADCMD for another INTID. The attack suite's way to make a TEE
 * raise interrupts (tee-irq-into-other-vm, take-tee-secure-irq).
 */
#define VTZ_SMC_TEE_TEST_RAISE OPTEE_SMC_FAST_CALL_VAL(0xf0fa)
/*
 * Test builds only: x1 = an address; the TEE asks its dispatcher for an
 * attestation report there (VTZ_SMC_TEE_ATTEST, a zero nonce) whatever the
 * address is, and returns x0 = OK, x1 = the dispatcher's answer (0 or
 * VTZ_ATTEST_ERR_*). The attack suite's way to make a TEE ask for a report
 * into memory it does not own (tee-attest-into-foreign-page).
 */
#define VTZ_SMC_TEE_TEST_ATTEST OPTEE_SMC_FAST_CALL_VAL(0xf0f9)
/*
 * Test builds only: the TEE acknowledges whatever interrupt its GIC CPU
 * interface offers (ICC_IAR1_EL1), ends it if it is one, and returns
 * x0 = OK, x1 = the INTID (1023: none). The attack suite's way to see
 * whether list registers the hypervisor filled reach a TEE
 * (forge-tee-interrupt).
 */
#define VTZ_SMC_TEE_TEST_ACK OPTEE_SMC_FAST_CALL_VAL(0xf0f8)

/*
 * opteed protocol: the secure OS reports back with these function IDs
 * (owner 62, fast, SMC32). Literal values so assembly can use them too;
 * checked against the SMCCC encoding below.
 */
#define TEESMC_OPTEED_RETURN_ENTRY_DONE 0xbe000000
#define TEESMC_OPTEED_RETURN_ON_DONE 0xbe000001
#define TEESMC_OPTEED_RETURN_OFF_DONE 0xbe000002
#define TEESMC_OPTEED_RETURN_SUSPEND_DONE 0xbe000003
#define TEESMC_OPTEED_RETURN_RESUME_DONE 0xbe000004
#define TEESMC_OPTEED_RETURN_CALL_DONE 0xbe000005
#define TEESMC_OPTEED_RETURN_FIQ_DONE 0xbe000006
#define TEESMC_OPTEED_RETURN_SYSTEM_OFF_DONE 0xbe000007
#define TEESMC_OPTEED_RETURN_SYSTEM_RESET_DONE 0xbe000008
/*
 * vTZ: not a return value. A TEE that stops for good says so with this
 * (owner 62, fast, function 0xdead): both dispatchers, the monitor's
 * natively and the CIEE's, treat any SMC from the TEE that is not the
 * return they expect as fatal for the TEE, so the TEE is stopped and its
 * caller's call fails. HVC cannot serve: it is UNDEFINED at S-EL1 without
 * Secure EL2.
 */
#define TEESMC_VTZ_TEE_DEAD 0xbe00dead
/*
 * vTZ: from inside a call, the TEE asks its dispatcher for its key
 * (owner 62, fast, function 0xf000). The dispatcher puts the 32-byte key
 * in x1..x4 (bytes 0..7 in x1, little-endian), x0 = 0, and resumes the
 * TEE after the SMC; natively the monitor derives it from the
 * measurement it took, as a guest TEE the CIEE asks the monitor with the
 * measurement it recorded (include/vtz/monitor_abi.h). Outside a call
 * it is an unexpected SMC like any other: the TEE is stopped.
 */
#define VTZ_SMC_TEE_GET_KEY 0xbe00f000
/*
 * vTZ: from inside a call, the TEE asks its dispatcher for a signed
 * attestation report (include/vtz/attest_abi.h; owner 62, fast, function
 * 0xf001). Any TEE may make it, OP-TEE OS as well as ours:
 *   x1 = where the report goes: an address in the TEE's own memory,
 *        8-byte aligned, the whole report inside one page (a guest TEE:
 *        an IPA of a page it owns, mapped writable in its stage 2; natively
 *        a physical address inside its secure RAM)
 *   x2 = the size of the buffer there (at least VTZ_ATTEST_REPORT_LEN)
 *   x3..x6 = the caller's 32-byte nonce (bytes 0..7 in x3, little-endian)
 * Returns x0 = 0 and x1 = VTZ_ATTEST_REPORT_LEN with the report written,
 * or x0 = VTZ_ATTEST_ERR_* with nothing written; the TEE resumes after
 * its SMC either way. The measurement and identity in the report are the
 * dispatcher's own records, never the caller's. Outside a call, as
 * GET_KEY, an unexpected SMC: the TEE is stopped.
 */
#define VTZ_SMC_TEE_ATTEST 0xbe00f001
#ifndef __ASSEMBLY__
#define TEESMC_OPTEED_RV(func) SMCCC_CALL_VAL(1, 0, OPTEE_SMC_OWNER_TRUSTED_OS_OPTEED, func)
_Static_assert(TEESMC_OPTEED_RV(0) == TEESMC_OPTEED_RETURN_ENTRY_DONE, "opteed encoding");
_Static_assert(TEESMC_OPTEED_RV(5) == TEESMC_OPTEED_RETURN_CALL_DONE, "opteed encoding");
_Static_assert(TEESMC_OPTEED_RV(0xdead) == TEESMC_VTZ_TEE_DEAD, "opteed encoding");
_Static_assert(TEESMC_OPTEED_RV(0xf000) == VTZ_SMC_TEE_GET_KEY, "opteed encoding");
_Static_assert(TEESMC_OPTEED_RV(0xf001) == VTZ_SMC_TEE_ATTEST, "opteed encoding");
#endif

/*
 * The TEE's vector table (optee_vectors_t in TF-A): each slot is one
 * instruction the dispatcher enters at. Offsets in bytes.
 */
#define OPTEE_VEC_YIELD_SMC 0x00
#define OPTEE_VEC_FAST_SMC 0x04
#define OPTEE_VEC_CPU_ON 0x08
#define OPTEE_VEC_CPU_OFF 0x0c
#define OPTEE_VEC_CPU_RESUME 0x10
#define OPTEE_VEC_CPU_SUSPEND 0x14
#define OPTEE_VEC_FIQ 0x18
#define OPTEE_VEC_SYSTEM_OFF 0x1c
#define OPTEE_VEC_SYSTEM_RESET 0x20
#define OPTEE_VEC_COUNT 9

#endif
