/* SPDX-License-Identifier: MIT */
/*
 * How an update reaches the hypervisor, which carries it to the monitor
 * (include/vtz/fw_update.h has the monitor's side): a Linux VM's firmware
 * mailbox, and the loader's staged bundle. Untrusted ends only (the
 * hypervisor, guests, the runner): not part of the trusted base.
 */
#ifndef VTZ_FW_MAILBOX_H
#define VTZ_FW_MAILBOX_H

#include <stdint.h>

#include <vtz/fw_update.h>

/*
 * The firmware mailbox of a Linux VM (hyp/fw_deliver.c): how a program in
 * the guest hands a bundle to the hypervisor, which passes each step on
 * to the monitor calls above and reports their answers. A user program
 * cannot make an SMC or an HVC (both are UNDEFINED at EL0), so the
 * guest's side is two pages of emulated MMIO, reached through /dev/mem
 * (they are in no device tree, so no driver claims them); 32-bit accesses
 * only, one at a time (the vtz-client fw-update program).
 *   +0x000 CMD    (W)  FWBOX_BEGIN: ARG = bundle size; FWBOX_CHUNK: the
 *                      first ARG bytes of DATA at bundle offset OFF;
 *                      FWBOX_COMMIT. The call runs when CMD is written.
 *   +0x004 ARG    (W)
 *   +0x008 OFF    (W)
 *   +0x00c RESULT (R)  the monitor's x0 (0 or VTZ_FW_ERR_*), x1, x2
 *   +0x010 X1     (R)  of the last call (X2: +0x014); FWBOX_IDLE before any
 *   +0x1000 DATA  (W)  4 KiB: the chunk, a word at a time
 */
#define GUEST_FWBOX_IPA 0x0b000000UL
#define GUEST_FWBOX_SIZE 0x2000UL
#define FWBOX_CMD 0x000
#define FWBOX_ARG 0x004
#define FWBOX_OFF 0x008
#define FWBOX_RESULT 0x00c
#define FWBOX_X1 0x010
#define FWBOX_X2 0x014
#define FWBOX_DATA 0x1000
#define FWBOX_BEGIN 1
#define FWBOX_CHUNK 2
#define FWBOX_COMMIT 3
#define FWBOX_IDLE 1 /* RESULT before any call */
#define FWBOX_ERR_CMD (-1) /* RESULT: CMD not one of the three */

/*
 * The loader's word to the hypervisor (scripts/vtz_run.py --fw-bundle):
 * a bundle staged at PLAT_FW_STAGE_BASE, for the hypervisor to carry to
 * the monitor at boot (hyp/fw_deliver.c). In the staging area Linux's
 * initramfs would use: for configurations without a Linux VM.
 * stop_at: nonzero: deliver only that many bytes, then stop without a
 * COMMIT (a test's power cut in the middle of the slot write).
 * flags: FW_DESC_SCRIBBLE rewrites each chunk's buffer after the monitor
 * took it (an attack: the flash must keep what was checked).
 */
#define PLAT_FW_STAGE_BASE 0x7e000000UL
#define PLAT_FW_DESC (PLAT_FW_STAGE_BASE + FW_SLOT_SIZE)
#define FW_DESC_MAGIC 0x31304457465a5476ULL /* "vTZFWD01" little-endian */
#define FW_DESC_SCRIBBLE 1ULL
struct fw_desc {
	uint64_t magic;
	uint64_t size;
	uint64_t stop_at;
	uint64_t flags;
};

#endif
