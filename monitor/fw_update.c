/* SPDX-License-Identifier: MIT */
/*
 * Firmware in flash0 and its signed update (docs/security.md, "Firmware
 * update"; layout in include/vtz/fw_update.h).
 *
 * At cold boot (fw_boot): the newer valid metadata copy names the active
 * slot and the anti-rollback counter. The monitor copies that slot's CIEE
 * and hypervisor images into their RAM regions and verifies them there
 * (owner's signature, equal security versions, none below the counter);
 * if they fail, the other slot, under the same rules. No metadata at all:
 * loader mode, the images QEMU's loader staged, as before.
 *
 * At run time (fw_smc, the hypervisor's calls): BEGIN erases the slot not
 * running; each CHUNK is copied once from the hypervisor's page into
 * secure RAM and programmed into that slot from there; COMMIT verifies
 * the whole bundle as it lies in flash0, which nothing non-secure can
 * write, and only then writes a new metadata record into the other copy:
 * the new slot, the counter raised to the bundle's version. A power cut
 * before that record is whole leaves the old record deciding.
 */
#include <stdbool.h>
#include <string.h>

#include <lib/console.h>
#include <lib/spinlock.h>
#include <policy/fw_update.h>
#include <policy/ownership.h>
#include <vtz/ciee_abi.h>
#include <vtz/fw_update.h>
#include <vtz/image.h>
#include <vtz/platform.h>
#include <vtz/smccc.h>

#include "../smm/smm.h"
#include "cfi_flash.h"
#include "monitor.h"

static const uint64_t slot_off[FW_SLOTS] = { FW_SLOT_A_OFFSET, FW_SLOT_B_OFFSET };
static const uint64_t meta_off[2] = { FW_META0_OFFSET, FW_META1_OFFSET };

/* Boot state: flash mode or not, the deciding record and its copy, the slot running. */
static bool flash_mode;
static struct fw_meta cur;
static int cur_copy;
static unsigned int running;
/* The update being received; its chunk, copied once from the hypervisor's page. */
static struct fw_stage stage;
static unsigned int target;
static uint8_t chunk[FW_CHUNK_MAX] __attribute__((aligned(8)));
static struct spinlock fw_lock = SPINLOCK_INIT;

static char slot_name(unsigned int slot)
{
	return slot ? 'B' : 'A';
}

/* len bytes (a multiple of 8) from flash0 at off (8-aligned): aligned Device reads only. */
static void flash_read(uint64_t off, void *dst, uint64_t len)
{
	const volatile uint64_t *src = (const volatile uint64_t *)(uintptr_t)off;
	uint64_t *d = dst, i;

	for (i = 0; i < len / 8; i++)
		d[i] = src[i];
}

/* Copy exactly len bytes from flash0 at off to RAM at pa (both 8-aligned). */
static void flash_copy_out(uint64_t off, uint64_t pa, uint64_t len)
{
	const volatile uint64_t *src = (const volatile uint64_t *)(uintptr_t)off;
	volatile uint64_t *dst = (volatile uint64_t *)(uintptr_t)pa;
	uint64_t i;

	for (i = 0; i < len / 8; i++)
		dst[i] = src[i];
	/* The tail byte by byte: nothing past the image's region is written. */
	for (i = len & ~7ull; i < len; i++)
		((volatile uint8_t *)dst)[i] = ((const volatile uint8_t *)src)[i];
}

static int read_bundle_hdr(unsigned int slot, struct fw_bundle_hdr *h)
{
	flash_read(slot_off[slot], h, sizeof(*h));
	return fw_bundle_check(h, FW_SLOT_SIZE, PLAT_CIEE_SIZE, PLAT_HYP_SIZE);
}

/*
 * Verify both images of a bundle at ciee/hyp (flash or RAM), their sizes
 * from h. 0, or a VTZ_FW_ERR_* code with *why set (the details printed).
 */
static int verify_pair(const struct fw_bundle_hdr *h, uint64_t ciee, uint64_t hyp,
		       uint32_t counter, struct boot_measurement *cm,
		       struct boot_measurement *hm, const char **why)
{
	int err;

	err = verify_image("CIEE", ciee, h->ciee_size, CIEE_LOAD_SIZE_OFFSET, cm, false);
	if (!err)
		err = verify_image("hypervisor", hyp, h->hyp_size, HYP_HDR_LOAD_SIZE_OFFSET, hm,
				   false);
	if (err) {
		*why = err == VTZ_FW_ERR_KEY ? "signed by another key than the owner's" :
		       err == VTZ_FW_ERR_FORMAT ? "an image has no valid signature trailer" :
		       err == VTZ_FW_ERR_DIGEST ? "an image was altered after signing" :
						  "an image's signature does not verify";
		return err;
	}
	if (cm->security_counter != hm->security_counter) {
		con_printf("firmware: CIEE security version %u, hypervisor %u: one bundle's images "
			   "carry one version\n", cm->security_counter, hm->security_counter);
		*why = "its CIEE and hypervisor carry different security versions";
		return VTZ_FW_ERR_VERSIONS;
	}
	if (cm->security_counter < counter) {
		con_printf("firmware: security version %u is below the anti-rollback counter %u\n",
			   cm->security_counter, counter);
		*why = "rollback: its security version is below the anti-rollback counter";
		return VTZ_FW_ERR_ROLLBACK;
	}
	return 0;
}

/* Copy a slot's images to their RAM regions and verify them there. */
static int load_slot(unsigned int slot, struct boot_measurement *cm,
		     struct boot_measurement *hm, const char **why)
{
	struct fw_bundle_hdr h;
	int err;

	err = read_bundle_hdr(slot, &h);
	if (err) {
		con_printf("firmware: slot %c holds no valid bundle: %s\n", slot_name(slot),
			   fw_bundle_strerror(err));
		*why = "no valid bundle in it";
		return VTZ_FW_ERR_BUNDLE;
	}
	flash_copy_out(slot_off[slot] + h.ciee_off, PLAT_CIEE_BASE, h.ciee_size);
	flash_copy_out(slot_off[slot] + h.hyp_off, PLAT_HYP_BASE, h.hyp_size);
	return verify_pair(&h, PLAT_CIEE_BASE, PLAT_HYP_BASE, cur.counter, cm, hm, why);
}

bool fw_boot(struct boot_measurement *cm, struct boot_measurement *hm)
{
	struct fw_meta m[2];
	const char *why = "";
	unsigned int i;
	int err[2], pick;

	flash_read(FW_META0_OFFSET, &m[0], sizeof(m[0]));
	flash_read(FW_META1_OFFSET, &m[1], sizeof(m[1]));
	pick = fw_meta_pick(m, err);
	if (err[0] == -FW_META_ERR_ERASED && err[1] == -FW_META_ERR_ERASED) {
		con_printf("firmware: no slots in flash0: CIEE and hypervisor from QEMU's loader\n");
		return false;
	}
	for (i = 0; i < 2; i++)
		if (err[i] && err[i] != -FW_META_ERR_ERASED)
			con_printf("firmware: metadata copy %u ignored: %s\n", i,
				   fw_meta_strerror(err[i]));
	if (pick < 0)
		monitor_panic("firmware: no valid metadata copy in flash0 (remove the flash file: "
			      "the next run with --flash-file makes a new one)");
	cur = m[pick];
	cur_copy = pick;
	flash_mode = true;
	running = cur.slot;
	if (load_slot(running, cm, hm, &why)) {
		con_printf("firmware: slot %c refused: %s; booting slot %c\n", slot_name(running),
			   why, slot_name(!running));
		running = !running;
		if (load_slot(running, cm, hm, &why)) {
			con_printf("FATAL: firmware: slot %c refused too: %s; nothing to boot\n",
				   slot_name(running), why);
			power_off();
		}
	}
	con_printf("firmware: slot %c, security version %u (anti-rollback counter %u, "
		   "metadata copy %d, sequence %u)\n", slot_name(running), cm->security_counter,
		   cur.counter, cur_copy, cur.seq);
	return true;
}

static int64_t fw_begin(struct smc_frame *f)
{
	uint64_t size = f->x[1], off, bad;
	int err;

	err = fw_stage_begin(&stage, size, FW_SLOT_SIZE);
	if (err)
		return err;
	target = !running;
	for (off = 0; off < size; off += FW_FLASH_SECTOR) {
		if (cfi_erase(slot_off[target] + off, &bad)) {
			fw_stage_reset(&stage);
			con_printf("firmware update: erasing slot %c failed at flash 0x%lx\n",
				   slot_name(target), bad);
			f->x[1] = bad;
			return VTZ_FW_ERR_FLASH;
		}
	}
	con_printf("firmware update: receiving 0x%lx bytes into slot %c (erased)\n", size,
		   slot_name(target));
	f->x[1] = target;
	f->x[2] = cur.counter;
	return 0;
}

static int64_t fw_chunk(struct smc_frame *f)
{
	uint64_t buf = f->x[1], off = f->x[2], len = f->x[3], bad, i;
	const volatile uint8_t *src = (const volatile uint8_t *)(uintptr_t)buf;
	int err;

	err = fw_stage_chunk(&stage, off, len);
	if (err)
		return err;
	/* The buffer, under the SMM lock: no DONATE can move its pages meanwhile. */
	spin_lock(&smm->lock);
	err = smm_check_hyp_buffer(&smm->own, buf, len);
	if (!err)
		for (i = 0; i < len; i++)
			chunk[i] = src[i];
	spin_unlock(&smm->lock);
	if (err) {
		stage.next = off; /* not taken: the same chunk may come again */
		f->x[1] = (uint64_t)(int64_t)err;
		return VTZ_FW_ERR_BUFFER;
	}
	/* From the copy only: what the hypervisor writes now changes nothing. */
	if (cfi_program(slot_off[target] + off, chunk, len, &bad)) {
		fw_stage_reset(&stage);
		con_printf("firmware update: programming slot %c failed at flash 0x%lx\n",
			   slot_name(target), bad);
		f->x[1] = bad;
		return VTZ_FW_ERR_FLASH;
	}
	if ((off + len) / 0x10000 != off / 0x10000 || off + len == stage.size)
		con_printf("firmware update: slot %c holds 0x%lx of 0x%lx bytes\n",
			   slot_name(target), off + len, stage.size);
	f->x[1] = off + len;
	return 0;
}

/* The new record, into the copy that does not hold the current one; read back. */
static int write_meta(uint32_t counter)
{
	struct fw_meta m = { .seq = cur.seq + 1, .slot = target, .counter = counter }, back;
	int copy = !cur_copy;
	uint64_t bad;

	fw_meta_seal(&m);
	if (cfi_erase(meta_off[copy], &bad) ||
	    cfi_program(meta_off[copy], (const uint8_t *)&m, sizeof(m), &bad))
		return -1;
	flash_read(meta_off[copy], &back, sizeof(back));
	if (memcmp(&back, &m, sizeof(m)) || fw_meta_check(&back))
		return -1;
	cur = m;
	cur_copy = copy;
	return 0;
}

static int64_t fw_commit(struct smc_frame *f)
{
	struct boot_measurement cm, hm;
	struct fw_bundle_hdr h;
	const char *why = "";
	uint32_t old = cur.counter, counter;
	int err;

	err = fw_stage_ready(&stage);
	if (err)
		return err;
	err = read_bundle_hdr(target, &h);
	if (!err && h.size != stage.size)
		err = -FW_BUNDLE_ERR_SIZE;
	if (err) {
		con_printf("firmware update refused: the bundle's header: %s\n",
			   fw_bundle_strerror(err));
		fw_stage_reset(&stage);
		f->x[1] = (uint64_t)(int64_t)err;
		return VTZ_FW_ERR_BUNDLE;
	}
	/* In place in flash0: the bytes the next boot will copy. */
	err = verify_pair(&h, slot_off[target] + h.ciee_off, slot_off[target] + h.hyp_off, old,
			  &cm, &hm, &why);
	if (err) {
		con_printf("firmware update refused: %s (error %d); slot %c stays active\n", why,
			   err, slot_name(running));
		fw_stage_reset(&stage);
		f->x[1] = err == VTZ_FW_ERR_ROLLBACK ? old : 0;
		return err;
	}
	counter = cm.security_counter > old ? cm.security_counter : old;
	if (write_meta(counter)) {
		con_printf("firmware update: writing the metadata failed; slot %c stays active\n",
			   slot_name(running));
		fw_stage_reset(&stage);
		return VTZ_FW_ERR_FLASH;
	}
	fw_stage_committed(&stage);
	con_printf("firmware update: slot %c committed: security version %u (anti-rollback "
		   "counter %u -> %u); the next boot runs it\n", slot_name(target),
		   cm.security_counter, old, counter);
	f->x[1] = cm.security_counter;
	f->x[2] = target;
	return 0;
}

void fw_smc(struct smc_frame *f)
{
	uint32_t fid = (uint32_t)f->x[0];
	int64_t ret;

	spin_lock(&fw_lock);
	if (!flash_mode)
		ret = VTZ_FW_ERR_NOT_FLASH_BOOTED;
	else if (fid == VTZ_SMC_MON_FW_BEGIN)
		ret = fw_begin(f);
	else if (fid == VTZ_SMC_MON_FW_CHUNK)
		ret = fw_chunk(f);
	else
		ret = fw_commit(f);
	spin_unlock(&fw_lock);
	f->x[0] = (uint64_t)ret;
}
