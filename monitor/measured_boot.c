/* SPDX-License-Identifier: MIT */
/*
 * Measured boot (docs/security.md, "Measured boot"): the monitor records
 * every measurement it takes in a TCG crypto-agile event log
 * (policy/event_log.c) kept in its secure RAM, and extends its own copy of
 * the PCRs the log replays to. What goes where:
 *   PCR 0  the monitor itself (EV_S_CRTM_CONTENTS), the CIEE and the
 *          hypervisor (EV_POST_CODE, the digests their signatures cover),
 *          then a separator;
 *   PCR 1  the VM configuration the loader staged (EV_POST_CODE), then a
 *          separator;
 *   PCR 2  every guest TEE image at TEE_BOOT, with its VM's identity in
 *          the event data (EV_POST_CODE, "vTZ TEE of VM <name>").
 * The hypervisor may read the log (VTZ_SMC_MON_EVENT_LOG) into a buffer
 * of its own; it can neither write it nor the PCRs.
 */
#include <stdbool.h>
#include <string.h>

#include <lib/console.h>
#include <lib/fmt.h>
#include <lib/crypto.h>
#include <lib/spinlock.h>
#include <policy/event_log.h>
#include <policy/ownership.h>
#include <vtz/monitor_abi.h>
#include <vtz/platform.h>
#include <vtz/smccc.h>

#include "../smm/smm.h"
#include "monitor.h"

#define MBOOT_PCRS 3 /* the PCRs we extend: 0, 1, 2 */

/* End of monitor.bin in flash: code, rodata, and .data's load image (monitor.lds). */
extern char __monitor_image_end[];

static uint8_t log_buf[VTZ_EVLOG_SIZE];
static struct evlog evlog;
static uint8_t pcr[MBOOT_PCRS][CRYPTO_SHA256_LEN];
/* Appends (any CPU: TEE_BOOT) and reads; taken after the SMM lock, never before it. */
static struct spinlock mboot_lock = SPINLOCK_INIT;

/* One event: logged if there is room, always extended into its PCR. */
static void record(uint32_t index, uint32_t type, const uint8_t digest[CRYPTO_SHA256_LEN],
		   const char *what, size_t len)
{
	uint8_t ext[2 * CRYPTO_SHA256_LEN];
	int ret;

	spin_lock(&mboot_lock);
	ret = evlog_add(&evlog, index, type, digest, what, (uint32_t)len);
	/* PCR = SHA-256(PCR || digest): the TPM's extend, what a verifier replays. */
	memcpy(ext, pcr[index], CRYPTO_SHA256_LEN);
	memcpy(ext + CRYPTO_SHA256_LEN, digest, CRYPTO_SHA256_LEN);
	if (crypto_sha256(ext, sizeof(ext), pcr[index]))
		ret = -1;
	spin_unlock(&mboot_lock);
	if (ret == EVLOG_ERR_FULL)
		con_printf("measured boot: event log full, event '%s' not logged (PCR%u extended)\n",
			   what, index);
	else if (ret)
		monitor_panic("measured boot: an event could not be recorded");
}

static void record_str(uint32_t index, uint32_t type, const uint8_t *digest, const char *what)
{
	record(index, type, digest, what, strlen(what) + 1);
}

void mboot_init(uint8_t d[CRYPTO_SHA256_LEN])
{
	uint64_t size = (uint64_t)__monitor_image_end;
	char h[2 * CRYPTO_SHA256_LEN + 1];

	if (evlog_init(&evlog, log_buf, sizeof(log_buf)))
		monitor_panic("measured boot: no room for the event log");
	/* The monitor measures itself first: the root of the chain (flash0, secure-only). */
	if (crypto_sha256((const void *)0, size, d))
		monitor_panic("measured boot: SHA-256 failed");
	record_str(0, EV_S_CRTM_CONTENTS, d, "vTZ monitor");
	fmt_hex(d, CRYPTO_SHA256_LEN, h);
	con_printf("measured boot: monitor sha256 %s (%lu bytes of flash); TCG event log "
		   "in secure RAM\n", h, size);
}

void mboot_image(const char *what, const uint8_t digest[CRYPTO_SHA256_LEN])
{
	record_str(0, EV_POST_CODE, digest, what);
}

void mboot_vm_config(void)
{
	const volatile uint8_t *b = (const volatile uint8_t *)PLAT_VM_CONFIG_BASE;
	uint8_t d[CRYPTO_SHA256_LEN];
	uint32_t magic, size;

	/* An FDT header, big-endian: magic, then totalsize. */
	magic = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
	size = (uint32_t)b[4] << 24 | (uint32_t)b[5] << 16 | (uint32_t)b[6] << 8 | b[7];
	if (magic != 0xd00dfeed || size < 8 || size > PLAT_VM_CONFIG_MAX) {
		/* None staged (or not one): recorded as such, over zero bytes. */
		if (crypto_sha256("", 0, d))
			monitor_panic("measured boot: SHA-256 failed");
		record_str(1, EV_POST_CODE, d, "vTZ VM configuration: none");
		return;
	}
	if (crypto_sha256((const void *)PLAT_VM_CONFIG_BASE, size, d))
		monitor_panic("measured boot: SHA-256 failed");
	record_str(1, EV_POST_CODE, d, "vTZ VM configuration");
}

/* The end of what the monitor measures before any non-secure code runs. */
void mboot_separators(void)
{
	static const uint8_t zero[4];
	uint8_t d[CRYPTO_SHA256_LEN];

	if (crypto_sha256(zero, sizeof(zero), d))
		monitor_panic("measured boot: SHA-256 failed");
	record(0, EV_SEPARATOR, d, (const char *)zero, sizeof(zero));
	record(1, EV_SEPARATOR, d, (const char *)zero, sizeof(zero));
}

void mboot_tee(const uint8_t digest[CRYPTO_SHA256_LEN], const uint8_t identity[VTZ_VM_IDENTITY_LEN])
{
	static const char prefix[] = "vTZ TEE of VM ";
	char what[sizeof(prefix) + VTZ_VM_IDENTITY_LEN];
	size_t n = sizeof(prefix) - 1, i;

	memcpy(what, prefix, n);
	/* The CIEE checked the name at VM_CREATE: [a-z0-9_-], NUL-padded; '?' otherwise. */
	for (i = 0; i < VTZ_VM_IDENTITY_LEN && identity[i]; i++)
		what[n++] = (identity[i] >= 0x20 && identity[i] < 0x7f) ? (char)identity[i] : '?';
	what[n] = 0;
	record_str(2, EV_POST_CODE, digest, what);
}

/* PSCI SYSTEM_OFF: the PCRs a replay of the log must reach. */
void mboot_report(void)
{
	char h[2 * CRYPTO_SHA256_LEN + 1];
	unsigned int i;

	con_printf("measured boot: %u events logged (%lu bytes), %u dropped\n", evlog.events,
		   evlog.len, evlog.dropped);
	for (i = 0; i < MBOOT_PCRS; i++) {
		fmt_hex(pcr[i], CRYPTO_SHA256_LEN, h);
		con_printf("measured boot: PCR%u sha256 %s\n", i, h);
	}
}

/*
 * VTZ_SMC_MON_EVENT_LOG from the hypervisor (main.c checked it comes from
 * EL2). The buffer is checked in the ownership table and written while
 * the SMM lock holds, so no DONATE on another CPU can hand its pages to a
 * TEE between the check and the copy. Byte stores: the buffer's
 * alignment is the hypervisor's choice beyond 8, and the MMU is off.
 */
void mboot_smc(struct smc_frame *f)
{
	uint64_t buf = f->x[1], size = f->x[2], off = f->x[3], n, i;
	volatile uint8_t *dst = (volatile uint8_t *)buf;
	int err;

	spin_lock(&smm->lock);
	err = smm_check_hyp_buffer(&smm->own, buf, size);
	spin_lock(&mboot_lock);
	if (err) {
		f->x[0] = (uint64_t)(int64_t)VTZ_MON_ERR_EVLOG_BUFFER;
		f->x[1] = (uint64_t)(int64_t)err;
	} else if (off > evlog.len) {
		f->x[0] = (uint64_t)(int64_t)VTZ_MON_ERR_EVLOG_OFFSET;
		f->x[1] = 0;
	} else {
		n = evlog.len - off < size ? evlog.len - off : size;
		for (i = 0; i < n; i++)
			dst[i] = log_buf[off + i];
		f->x[0] = 0;
		f->x[1] = n;
	}
	f->x[2] = evlog.len;
	f->x[3] = evlog.events;
	f->x[4] = evlog.dropped;
	spin_unlock(&mboot_lock);
	spin_unlock(&smm->lock);
}
