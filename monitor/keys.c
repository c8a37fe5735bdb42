/* SPDX-License-Identifier: MIT */
/*
 * Boot integrity, in the monitor only (the TCB's crypto stays at EL3):
 * the device root key, TEE measurement, per-TEE keys. Linked into both
 * monitors: natively the monitor measures the TEE it copies from flash
 * and answers the TEE's key requests itself; under vTZ it serves the CIEE
 * (main.c authenticates the caller, monitor/ciee_auth.h).
 *
 * The root key travels in secure flash (a non-secure fetch from flash0
 * aborts) and is copied here, into secure RAM; it never leaves the
 * monitor. Only keys derived from it do: HKDF-SHA256 with the TEE's
 * measurement in the info, so a TEE image gets the same key in either
 * home on the same device, and any other image gets an unrelated one.
 */
#include <stdbool.h>
#include <string.h>

#include <lib/console.h>
#include <lib/fmt.h>
#include <vtz/monitor_abi.h>
#include <vtz/platform.h>
#include <vtz/smccc.h>

#include <lib/crypto.h>
#include "monitor.h"

static uint8_t root_key[ROOT_KEY_LEN] __attribute__((aligned(8)));

void keys_init(const char *flash_image)
{
	const volatile uint64_t *hdr = (const volatile uint64_t *)ROOT_KEY_FLASH_OFFSET;
	uint64_t w[ROOT_KEY_LEN / 8];
	unsigned int i;

	if (hdr[0] != ROOT_KEY_MAGIC) {
		con_printf("FATAL: no device root key in secure flash at 0x%lx (boot with -bios %s, "
			   "which `make images` builds)\n", ROOT_KEY_FLASH_OFFSET, flash_image);
		power_off();
	}
	/* Flash is Device memory with the MMU off: aligned 8-byte reads only. */
	for (i = 0; i < ROOT_KEY_LEN / 8; i++)
		w[i] = hdr[1 + i];
	memcpy(root_key, w, sizeof(root_key));
	crypto_zeroize(w, sizeof(w));
	con_printf("device root key: copied from secure flash into secure RAM\n");
}

int64_t keys_tee_image_size(uint64_t base)
{
	const volatile uint64_t *img = (const volatile uint64_t *)base;
	uint64_t size;

	if (img[TEE_HDR_MAGIC_OFFSET / 8] != TEE_IMAGE_MAGIC)
		return -1;
	size = img[TEE_HDR_SIZE_OFFSET / 8];
	if (size < TEE_HDR_END || size > TEE_IMAGE_MAX)
		return -1;
	return (int64_t)size;
}

int keys_measure(uint64_t base, uint64_t size, uint8_t out[CRYPTO_SHA256_LEN])
{
	char hex[2 * CRYPTO_SHA256_LEN + 1];

	if (crypto_sha256((const void *)base, size, out))
		return -1;
	fmt_hex(out, CRYPTO_SHA256_LEN, hex);
	con_printf("TEE measured: sha256 %s (%lu bytes at 0x%lx)\n", hex, size, base);
	return 0;
}

int keys_tee_key(const uint8_t measurement[CRYPTO_SHA256_LEN],
		 const uint8_t identity[VTZ_VM_IDENTITY_LEN], uint8_t key[ROOT_KEY_LEN])
{
	static const char label[] = VTZ_TEE_KEY_INFO;
	uint8_t info[sizeof(label) - 1 + CRYPTO_SHA256_LEN + VTZ_VM_IDENTITY_LEN];
	int ret;

	memcpy(info, label, sizeof(label) - 1);
	memcpy(info + sizeof(label) - 1, measurement, CRYPTO_SHA256_LEN);
	memcpy(info + sizeof(label) - 1 + CRYPTO_SHA256_LEN, identity, VTZ_VM_IDENTITY_LEN);
	ret = crypto_hkdf_sha256(NULL, 0, root_key, sizeof(root_key), info, sizeof(info), key,
				 ROOT_KEY_LEN);
	return ret;
}

int keys_derive(const char *info, size_t info_len, uint8_t *out, size_t out_len)
{
	return crypto_hkdf_sha256(NULL, 0, root_key, sizeof(root_key), (const uint8_t *)info,
				  info_len, out, out_len);
}

/*
 * A guest TEE's image, at the PA the CIEE found its first page (the CIEE
 * checked that the pages are the TEE's, contiguous and not yet run, and
 * chose the size: its loader's, or its header's). Only RAM a TEE can own
 * is read: the VM pool (both parts, with 2 GiB), never secure RAM, the
 * CIEE's data region or the hypervisor's images.
 */
static int64_t measure_for_ciee(uint64_t pa, uint64_t size, uint8_t out[CRYPTO_SHA256_LEN])
{
	int64_t hdr_size;

	/* First and last page in the pool, and not across the CIEE data region between its parts. */
	if (pa % 4096 || !size || size > TEE_IMAGE_MAX || !monitor_vm_pool_page(pa) ||
	    !monitor_vm_pool_page(pa + ((size - 1) & ~4095UL)) ||
	    (pa < PLAT_CIEE_DATA_BASE && pa + size > PLAT_CIEE_DATA_BASE))
		return SMCCC_INVALID_PARAMETER;
	/* An image that names its size is measured at exactly that size. */
	hdr_size = keys_tee_image_size(pa);
	if (hdr_size >= 0 && hdr_size != (int64_t)size)
		return SMCCC_INVALID_PARAMETER;
	if (keys_measure(pa, size, out))
		return SMCCC_INVALID_PARAMETER;
	return 0;
}

/* VTZ_SMC_MON_TEE_MEASURE or _KEY, from the CIEE (main.c checked that). */
void keys_ciee_smc(struct smc_frame *f)
{
	uint8_t buf[CRYPTO_SHA256_LEN] __attribute__((aligned(8)));
	uint8_t meas[CRYPTO_SHA256_LEN] __attribute__((aligned(8)));
	uint8_t ident[VTZ_VM_IDENTITY_LEN] __attribute__((aligned(8)));
	int64_t ret;

	if ((uint32_t)f->x[0] == VTZ_SMC_MON_TEE_MEASURE) {
		ret = measure_for_ciee(f->x[1], f->x[2], buf);
		/* Logged with its VM's identity, as the CIEE recorded it at VM_CREATE. */
		memcpy(ident, &f->x[5], sizeof(ident));
		if (!ret)
			mboot_tee(buf, ident);
	} else {
		memcpy(meas, &f->x[1], sizeof(meas));
		/* The TEE's VM's identity, as the CIEE recorded it at VM_CREATE. */
		memcpy(ident, &f->x[5], sizeof(ident));
		ret = keys_tee_key(meas, ident, buf) ? SMCCC_INVALID_PARAMETER : 0;
	}
	f->x[0] = (uint64_t)ret;
	if (ret)
		memset(buf, 0, sizeof(buf));
	memcpy(&f->x[1], buf, sizeof(buf));
	crypto_zeroize(buf, sizeof(buf));
}
