/* SPDX-License-Identifier: MIT */
/*
 * Carrying a firmware update to the monitor (docs/security.md, "Firmware
 * update"). The loader (scripts/vtz_run.py --fw-bundle) may stage a bundle
 * with a descriptor (include/vtz/fw_mailbox.h); at boot the hypervisor
 * hands it over: BEGIN, one page at a time through a buffer of its own
 * (the only kind the monitor reads), COMMIT. It only carries: the monitor
 * verifies what it wrote into flash0 and decides, and the hypervisor
 * prints the answer. The descriptor's test knobs: stop part-way (a power
 * cut mid-write) and scribble over each buffer after the monitor took it.
 */
#include <stdbool.h>
#include <string.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <lib/spinlock.h>
#include <vtz/fw_mailbox.h>

#include "hyp.h"

static uint8_t fw_buf[FW_CHUNK_MAX] __attribute__((aligned(4096)));

struct fw_ret {
	int64_t x0;
	uint64_t x1, x2;
};

static struct fw_ret fw_call(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (struct fw_ret){ (int64_t)x0, x1, x2 };
}

void hyp_fw_deliver(void)
{
	const volatile struct fw_desc *d = (const volatile struct fw_desc *)PLAT_FW_DESC;
	const uint8_t *bundle = (const uint8_t *)PLAT_FW_STAGE_BASE;
	uint64_t size = d->size, stop = d->stop_at, flags = d->flags, off, n;
	struct fw_ret r;

	if (d->magic != FW_DESC_MAGIC)
		return;
	if (!size || size > FW_SLOT_SIZE) {
		con_printf("firmware update: the staged bundle's size 0x%lx is not 1..0x%lx\n",
			   size, FW_SLOT_SIZE);
		return;
	}
	con_printf("firmware update: carrying a 0x%lx-byte bundle to the monitor\n", size);
	r = fw_call(VTZ_SMC_MON_FW_BEGIN, size, 0, 0);
	if (r.x0) {
		con_printf("firmware update: BEGIN refused by the monitor (%ld)\n", (long)r.x0);
		return;
	}
	for (off = 0; off < size; off += n) {
		if (stop && off >= stop) {
			con_printf("firmware update: power cut after 0x%lx bytes (test)\n", off);
			for (;;)
				wfi();
		}
		n = size - off < FW_CHUNK_MAX ? size - off : FW_CHUNK_MAX;
		memcpy(fw_buf, bundle + off, n);
		r = fw_call(VTZ_SMC_MON_FW_CHUNK, (uint64_t)fw_buf /* identity-mapped */, off, n);
		if (r.x0) {
			con_printf("firmware update: CHUNK at 0x%lx refused by the monitor (%ld, %ld)\n",
				   off, (long)r.x0, (long)r.x1);
			return;
		}
		/* An attack: change the bytes after the monitor took them. */
		if (flags & FW_DESC_SCRIBBLE)
			memset(fw_buf, 0x5a, sizeof(fw_buf));
	}
	r = fw_call(VTZ_SMC_MON_FW_COMMIT, 0, 0, 0);
	if (r.x0)
		con_printf("firmware update: COMMIT refused by the monitor (%ld, %ld)\n",
			   (long)r.x0, (long)r.x1);
	else
		con_printf("firmware update: committed: security version %lu in slot %c; it runs "
			   "from the next boot\n", (unsigned long)r.x1, r.x2 ? 'B' : 'A');
}

/*
 * A Linux VM's firmware mailbox (include/vtz/fw_mailbox.h, GUEST_FWBOX_*):
 * the guest's words collect in fw_buf, and CMD makes the monitor call.
 * One mailbox for the machine (one buffer the monitor reads): guests that
 * use it at once spoil each other's updates, which the monitor then
 * refuses, like any other bundle that is not the owner's.
 */
static struct spinlock fwbox_lock = SPINLOCK_INIT;
static uint32_t fwbox_arg, fwbox_off;
static struct fw_ret fwbox_last = { FWBOX_IDLE, 0, 0 };

void fwbox_access(uint64_t off, unsigned int size, bool is_write, uint64_t *val)
{
	uint32_t v = (uint32_t)*val;

	if (size != 4 || off % 4) {
		if (!is_write)
			*val = 0;
		return;
	}
	spin_lock(&fwbox_lock);
	if (is_write && off >= FWBOX_DATA && off < FWBOX_DATA + FW_CHUNK_MAX) {
		memcpy(&fw_buf[off - FWBOX_DATA], &v, 4);
	} else if (is_write && off == FWBOX_ARG) {
		fwbox_arg = v;
	} else if (is_write && off == FWBOX_OFF) {
		fwbox_off = v;
	} else if (is_write && off == FWBOX_CMD) {
		if (v == FWBOX_BEGIN)
			fwbox_last = fw_call(VTZ_SMC_MON_FW_BEGIN, fwbox_arg, 0, 0);
		else if (v == FWBOX_CHUNK)
			fwbox_last = fw_call(VTZ_SMC_MON_FW_CHUNK, (uint64_t)fw_buf, fwbox_off,
					     fwbox_arg);
		else if (v == FWBOX_COMMIT)
			fwbox_last = fw_call(VTZ_SMC_MON_FW_COMMIT, 0, 0, 0);
		else
			fwbox_last = (struct fw_ret){ FWBOX_ERR_CMD, 0, 0 };
		if (v == FWBOX_BEGIN || v == FWBOX_COMMIT)
			con_printf("firmware update from a VM: %s: monitor says %ld\n",
				   v == FWBOX_BEGIN ? "BEGIN" : "COMMIT", (long)fwbox_last.x0);
	} else if (!is_write) {
		*val = off == FWBOX_RESULT ? (uint32_t)fwbox_last.x0 :
		       off == FWBOX_X1	   ? (uint32_t)fwbox_last.x1 :
		       off == FWBOX_X2	   ? (uint32_t)fwbox_last.x2 :
					     0;
	}
	spin_unlock(&fwbox_lock);
}
