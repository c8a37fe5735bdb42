/* SPDX-License-Identifier: MIT */
/*
 * Boot integrity: the TEE image header the dispatchers measure, the
 * device root key's place in secure flash, and the monitor services only
 * the CIEE may call (measure a guest TEE, derive its key).
 */
#ifndef VTZ_MONITOR_ABI_H
#define VTZ_MONITOR_ABI_H

/*
 * TEE image header (tee/entry.S): the first instruction branches over it,
 * then at +8 the magic and at +0x10 the number of bytes of the image
 * (tee.bin, the loaded sections from the image start). A dispatcher hashes
 * exactly the bytes the image's loader loaded; an image with this header
 * must name that size, and under the CIEE a loader may leave the size to
 * the header (struct ciee_tee_boot_cfg). Images without it (a TrustZone OS
 * built for TF-A) are measured at the loader's size alone.
 */
#define TEE_HDR_MAGIC_OFFSET 0x8
#define TEE_HDR_SIZE_OFFSET 0x10
#define TEE_HDR_END 0x18
#define TEE_IMAGE_MAGIC 0x31494545545a5476UL /* "vTZTEEI1" little-endian */
#define TEE_IMAGE_MAX 0x00100000UL           /* 1 MiB: PLAT_TEE_IMAGE_MAX */

/*
 * Device root key, in secure flash (monitor/mkflash.py): at this offset
 * the magic, then 32 random bytes made once per build (mk/mbedtls.mk).
 * Below the native TEE's header (0xff000); the monitor's image must end
 * before it.
 */
#define ROOT_KEY_FLASH_OFFSET 0x000fe000UL
#define ROOT_KEY_MAGIC 0x313059454b5a5476UL /* "vTZKEY01" little-endian */
#define ROOT_KEY_LEN 32

/*
 * The hash of the owner's image-signing public key, in secure flash
 * (monitor/mkflash.py): the magic, then SHA-256 of the key's DER
 * SubjectPublicKeyInfo (make keys, scripts/vtz_sign.py). The monitor runs
 * only a CIEE and a hypervisor signed by that key (docs/security.md,
 * "Signed images").
 */
#define OWNER_KEY_HASH_FLASH_OFFSET 0x000fe040UL
#define OWNER_KEY_HASH_MAGIC 0x31304e574f5a5476UL /* "vTZOWN01" little-endian */
#define OWNER_KEY_HASH_LEN 32

/*
 * Monitor services for the CIEE only (SiP, fast, SMC64; outside the
 * GATE=el3 memory-mapping range VTZ_SMC_SMM_BASE | 0..0xff). The monitor
 * serves them only to a caller at EL2 in CIEE mode (SCTLR_EL2 ==
 * SCTLR_EL2_CIEE) with every interrupt masked; anyone else, the
 * hypervisor included, gets SMCCC_NOT_SUPPORTED.
 *
 * TEE_MEASURE: x1 = PA of a guest TEE's image (its first page), x2 = its
 * size in bytes (its loader's, or its header's). The image must lie in RAM
 * and be 1..TEE_IMAGE_MAX bytes; if it starts with a valid header, that
 * header must name the same size.
 * Returns x0 = 0 and x1..x4 = SHA-256 of the image (bytes 0..7 in x1,
 * little-endian, and so on), or x0 = SMCCC_INVALID_PARAMETER.
 *
 * (TEE_MEASURE also takes x5..x6 = the identity of the TEE's VM, for the
 * event log's record of it.)
 * TEE_KEY: x1..x4 = a TEE's measurement as TEE_MEASURE returned it,
 * x5..x6 = the identity of its VM (16 bytes, as VM_CREATE recorded it).
 * Returns x0 = 0 and x1..x4 = that TEE's 32-byte key (same packing):
 * HKDF-SHA256(IKM = device root key, no salt,
 *             info = VTZ_TEE_KEY_INFO || measurement || identity).
 * Natively the identity is 16 zero bytes: one normal world, no VM.
 */
/*
 * A caller in CIEE mode whose SMC is not the CIEE's own call site
 * (CIEE_MONITOR_SMC_OFFSET) gets VTZ_MON_ERR_CALL_SITE: not a refusal the
 * hypervisor can ever see (it is never in CIEE mode), so distinct from
 * NOT_SUPPORTED, to show which check refused.
 */
#define VTZ_MON_ERR_CALL_SITE (-4)

#define VTZ_SMC_MON_TEE_MEASURE 0xc2000101U
#define VTZ_SMC_MON_TEE_KEY 0xc2000102U
/*
 * VTZ_SMC_MON_TEE_CONSOLE (CIEE only, from its call site): a piece of a
 * guest TEE's console line (ciee/tee_console.c). x1 = the TEE's name (up
 * to 8 bytes, NUL-padded), x2 = bytes in this piece (at most
 * VTZ_MON_CONSOLE_CHUNK) | VTZ_MON_CONSOLE_END on the line's last piece,
 * x3..x4 = the bytes. The monitor prints each whole line on the secure
 * UART as "[name] text", with anything unprintable as '?'.
 */
#define VTZ_SMC_MON_TEE_CONSOLE 0xc2000103U
#define VTZ_MON_CONSOLE_CHUNK 16U
#define VTZ_MON_CONSOLE_END (1ULL << 8)
#define VTZ_MON_CONSOLE_LINE 192U

/*
 * VTZ_SMC_MON_EVENT_LOG (from non-secure EL2: the hypervisor): copy part
 * of the measured-boot event log (docs/security.md, "Measured boot") into
 * a buffer the hypervisor owns. x1 = buffer PA (8-aligned), x2 = its size,
 * x3 = offset into the log. The buffer must lie wholly in pages the
 * hypervisor owns as writable data, checked in the ownership table under
 * the SMM lock, which is held for the copy. Returns x0 = 0, x1 = bytes
 * copied (min(size, log length - offset); 0 at the end), x2 = the log's
 * length, x3 = events in it, x4 = events dropped for want of room; or
 * x0 = VTZ_MON_ERR_EVLOG_OFFSET (offset past the end) or
 * VTZ_MON_ERR_EVLOG_BUFFER with x1 = the ownership check's error
 * (-OWN_ERR_*: alignment, not RAM, text, table, another VM's, a TEE's,
 * CIEE memory, free), nothing copied.
 */
#define VTZ_SMC_MON_EVENT_LOG 0xc2000104U
#define VTZ_MON_ERR_EVLOG_OFFSET (-5)
#define VTZ_MON_ERR_EVLOG_BUFFER (-6)
#define VTZ_EVLOG_SIZE 0x8000UL /* the log's capacity: 32 KiB of secure RAM */

/*
 * VTZ_SMC_MON_ATTEST (CIEE only, from its call site, like TEE_KEY): sign
 * an attestation report (include/vtz/attest_abi.h) for a guest TEE.
 * x1..x4 = its measurement as TEE_MEASURE returned it, x5..x6 = its VM's
 * identity (as TEE_KEY), x7..x10 = the TEE's nonce, x11 = the PA the
 * report goes to: 8-byte aligned, the whole report in one page of the VM
 * pool, a page the CIEE checked is the TEE's own and writable, with the
 * SMM lock held across this call. The monitor builds and signs the report
 * in its own memory, then copies it there. Returns x0 = 0, or
 * VTZ_MON_ERR_ATTEST_PA (x11 not such a page: nothing written) or
 * VTZ_MON_ERR_ATTEST_SIGN (signing failed: nothing written).
 */
#define VTZ_SMC_MON_ATTEST 0xc2000105U
#define VTZ_MON_ERR_ATTEST_PA (-7)
#define VTZ_MON_ERR_ATTEST_SIGN (-8)

#define VTZ_TEE_KEY_INFO "vTZ TEE key"
/* Bytes of a VM's identity in a TEE's key derivation (VM_CREATE's x4..x5). */
#define VTZ_VM_IDENTITY_LEN 16

#endif
