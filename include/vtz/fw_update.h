/* SPDX-License-Identifier: MIT */
/*
 * Signed firmware update (docs/security.md, "Firmware update"): where the
 * firmware bundles and their metadata live in flash0, the bundle's
 * header, and the monitor calls that stage and commit an update.
 *
 * flash0 (64 MiB, secure-only, QEMU's CFI01 with 256 KiB sectors):
 *   0x00000000  monitor (the boot ROM: not updatable), keys (mkflash.py)
 *   0x01000000  metadata copy 0 (one sector)
 *   0x01040000  metadata copy 1 (one sector)
 *   0x02000000  slot A: a bundle (8 MiB)
 *   0x02800000  slot B: a bundle (8 MiB)
 * A flash with no valid metadata copy boots as before: the CIEE and the
 * hypervisor from QEMU's loader (loader mode). With one, the monitor
 * copies the active slot's images into RAM and boots them (flash mode).
 */
#ifndef VTZ_FW_UPDATE_H
#define VTZ_FW_UPDATE_H

#include <stdint.h>

#define FW_FLASH_SECTOR 0x00040000UL
#define FW_META0_OFFSET 0x01000000UL
#define FW_META1_OFFSET 0x01040000UL
#define FW_SLOT_A_OFFSET 0x02000000UL
#define FW_SLOT_B_OFFSET 0x02800000UL
#define FW_SLOT_SIZE 0x00800000UL
#define FW_SLOTS 2

/*
 * A metadata record, at the start of its sector, little-endian. The valid
 * copy with the higher seq decides: slot (0 = A, 1 = B) boots, and no
 * bundle below counter (the anti-rollback counter) boots or is accepted.
 * crc: CRC-32 (IEEE) of the bytes before it, against torn writes only (no
 * one but the monitor can write flash0). A new record always goes into
 * the copy that does not hold the current one, and is written last.
 */
#define FW_META_MAGIC 0x31304d57465a5476ULL /* "vTZFWM01" little-endian */
struct fw_meta {
	uint64_t magic;
	uint32_t seq;
	uint32_t slot;
	uint32_t counter;
	uint32_t reserved; /* 0 */
	uint32_t crc;
	uint32_t pad; /* 0, not covered: keeps the record 8-byte sized */
};

/*
 * A bundle: this header, then the signed CIEE image and the signed
 * hypervisor image (each exactly as `make images` signs it, its trailer
 * included) at the offsets it names, 4 KiB aligned, within the bundle.
 * The header is not signed: it only says where the two signed images
 * are; each one's signature, key and security version are checked.
 */
#define FW_BUNDLE_MAGIC 0x31304257465a5476ULL /* "vTZFWB01" little-endian */
#define FW_BUNDLE_ALIGN 0x1000U
struct fw_bundle_hdr {
	uint64_t magic;
	uint32_t size; /* bytes of the whole bundle, header included */
	uint32_t ciee_off, ciee_size;
	uint32_t hyp_off, hyp_size;
	uint32_t reserved; /* 0 */
};

/*
 * Monitor calls, from the hypervisor at EL2 only (SiP, fast, SMC64); any
 * other caller gets SMCCC_NOT_SUPPORTED. The hypervisor only carries: the
 * monitor decides, from what it wrote into flash0 itself.
 *
 * FW_BEGIN: x1 = size of the bundle to come. Erases enough of the
 *   inactive slot. Returns x0 = 0, x1 = the slot (0 A, 1 B), x2 = the
 *   counter; or an error below.
 * FW_CHUNK: x1 = PA of a buffer wholly in pages the hypervisor owns as
 *   writable data (checked in the ownership table), x2 = the offset in
 *   the bundle (exactly the bytes received so far), x3 = bytes (1 ..
 *   FW_CHUNK_MAX, not past the size). The monitor copies the chunk once
 *   into secure RAM, programs it into the slot and reads it back.
 *   Returns x0 = 0, x1 = bytes received so far.
 * FW_COMMIT: the whole bundle received. The monitor checks the header
 *   and verifies both images from flash (owner's signature, equal
 *   security versions, not below the counter); only then writes the
 *   metadata that makes the slot active, with the counter raised to the
 *   bundle's version. Returns x0 = 0, x1 = the version, x2 = the slot.
 * After a COMMIT, every call is refused until the machine restarts.
 */
#define VTZ_SMC_MON_FW_BEGIN 0xc2000110U
#define VTZ_SMC_MON_FW_CHUNK 0xc2000111U
#define VTZ_SMC_MON_FW_COMMIT 0xc2000112U
#define FW_CHUNK_MAX 0x1000U

#define VTZ_FW_ERR_NOT_FLASH_BOOTED (-20) /* booted in loader mode: no slots */
#define VTZ_FW_ERR_SIZE (-21)             /* BEGIN: 0, or more than a slot */
#define VTZ_FW_ERR_NO_UPDATE (-22)        /* CHUNK/COMMIT without BEGIN */
#define VTZ_FW_ERR_OFFSET (-23)           /* CHUNK not at the next byte */
#define VTZ_FW_ERR_LENGTH (-24)           /* CHUNK: 0, > FW_CHUNK_MAX, past the size */
#define VTZ_FW_ERR_BUFFER (-25)           /* CHUNK: buffer not the hypervisor's (x1 = -OWN_ERR_*) */
#define VTZ_FW_ERR_FLASH (-26)            /* erase/program/read-back failed (x1 = flash offset) */
#define VTZ_FW_ERR_INCOMPLETE (-27)       /* COMMIT before the last byte */
#define VTZ_FW_ERR_BUNDLE (-28)           /* COMMIT: bad header (x1 = -FW_BUNDLE_ERR_*) */
#define VTZ_FW_ERR_FORMAT (-29)           /* an image has no valid signature trailer */
#define VTZ_FW_ERR_DIGEST (-30)           /* an image's SHA-256 mismatch */
#define VTZ_FW_ERR_KEY (-31)              /* signed by another key than the owner's */
#define VTZ_FW_ERR_SIGNATURE (-32)        /* ECDSA signature does not verify */
#define VTZ_FW_ERR_VERSIONS (-33)         /* CIEE and hypervisor versions differ */
#define VTZ_FW_ERR_ROLLBACK (-34)         /* version below the counter (x1 = counter) */
#define VTZ_FW_ERR_COMMITTED (-35)        /* an update is committed: restart first */

#endif
