/* SPDX-License-Identifier: MIT */
/*
 * Remote attestation (docs/security.md, "Attestation"): the report a TEE
 * obtains with VTZ_SMC_TEE_ATTEST (include/vtz/optee_abi.h), signed by the
 * device attestation key that the monitor derives from the device root
 * key. Fixed size, little-endian integers, byte arrays as they are, no
 * pointers: a verifier parses it with struct offsets alone
 * (scripts/vtz_attest.py).
 */
#ifndef VTZ_ATTEST_ABI_H
#define VTZ_ATTEST_ABI_H

#include <stdint.h>

#define VTZ_ATTEST_MAGIC 0x525a5476U /* "vTZR" as little-endian bytes */
#define VTZ_ATTEST_VERSION 1U
#define VTZ_ATTEST_NONCE_LEN 32
#define VTZ_ATTEST_HASH_LEN 32
#define VTZ_ATTEST_IDENTITY_LEN 16 /* = VTZ_VM_IDENTITY_LEN */
#define VTZ_ATTEST_SIG_LEN 64

/* Where the attested TEE runs (report.home). */
#define VTZ_ATTEST_HOME_CIEE 1   /* a guest TEE, vTZ with the CIEE at EL2 (GATE=ciee) */
#define VTZ_ATTEST_HOME_EL3 2    /* a guest TEE, vTZ with memory mapping at EL3 (GATE=el3) */
#define VTZ_ATTEST_HOME_NATIVE 3 /* the TEE at S-EL1 behind the monitor: no CIEE, no hypervisor */

/*
 * The report. Everything before `signature` is the signed body:
 * signature = ECDSA P-256 over SHA-256(body), raw r || s, each 32 bytes
 * big-endian (SEC 1), made deterministically (RFC 6979) by the monitor.
 *   magic, version, home, size (= sizeof the report, 256)
 *   security_version  the lower of the security versions the owner signed
 *                     into the CIEE and the hypervisor images (SEC_CNT,
 *                     SECURITY_VERSION=); 0 natively (no signed images)
 *   nonce             the caller's 32 bytes, unchanged
 *   monitor           SHA-256 of the monitor's flash image, as measured
 *                     at boot (the event log's "vTZ monitor")
 *   ciee, hyp         the digests their signatures cover, as verified at
 *                     boot (the log's "vTZ CIEE", "vTZ hypervisor");
 *                     all zero natively, where there are none
 *   tee               SHA-256 of this TEE's image, as measured before its
 *                     first instruction (the log's "vTZ TEE of VM ...")
 *   identity          its VM's identity (name, NUL-padded) as the CIEE
 *                     recorded it at VM_CREATE; all zero natively
 */
struct vtz_attest_report {
	uint32_t magic;
	uint16_t version;
	uint16_t home;
	uint32_t size;
	uint32_t security_version;
	uint8_t nonce[VTZ_ATTEST_NONCE_LEN];
	uint8_t monitor[VTZ_ATTEST_HASH_LEN];
	uint8_t ciee[VTZ_ATTEST_HASH_LEN];
	uint8_t hyp[VTZ_ATTEST_HASH_LEN];
	uint8_t tee[VTZ_ATTEST_HASH_LEN];
	uint8_t identity[VTZ_ATTEST_IDENTITY_LEN];
	uint8_t signature[VTZ_ATTEST_SIG_LEN];
};

#define VTZ_ATTEST_BODY_LEN 192U
#define VTZ_ATTEST_REPORT_LEN 256U

_Static_assert(sizeof(struct vtz_attest_report) == VTZ_ATTEST_REPORT_LEN, "report layout");
_Static_assert(__builtin_offsetof(struct vtz_attest_report, signature) == VTZ_ATTEST_BODY_LEN,
	       "report layout");

/*
 * The device attestation key: HKDF-SHA256(IKM = device root key, no salt,
 * info = VTZ_ATTEST_KEY_INFO) -> 48 bytes v (big-endian integer), private
 * scalar d = (v mod (n - 1)) + 1, n the P-256 group order: FIPS 186-4
 * B.4.1, so `make keys` derives the same public key from
 * build/device-root-key.bin (scripts/vtz_attest.py export).
 */
#define VTZ_ATTEST_KEY_INFO "vTZ attestation key v1"
#define VTZ_ATTEST_SEED_LEN 48

/*
 * Errors of VTZ_SMC_TEE_ATTEST (x0), each for one check, negative so
 * they never read as success:
 */
#define VTZ_ATTEST_ERR_SIZE (-2)    /* x2 (the buffer's size) < VTZ_ATTEST_REPORT_LEN */
#define VTZ_ATTEST_ERR_ALIGN (-3)   /* x1 not 8-byte aligned, or the report crosses a page */
#define VTZ_ATTEST_ERR_NOT_OWN (-4) /* x1 is not in a page of the TEE's own, mapped writable */
#define VTZ_ATTEST_ERR_SIGN (-5)    /* the monitor could not make the report */

#endif
