/* SPDX-License-Identifier: MIT */
/*
 * Signed boot images (docs/security.md, "Signed images"): the monitor runs
 * a CIEE and a hypervisor only if each carries a valid MCUboot-style
 * trailer (policy/signed_image.c) whose ECDSA-P256 signature, made by the
 * owner's key, covers the image. The owner's key is known by its hash,
 * which the flash holds (monitor/mkflash.py); the image carries the key
 * itself. Every primitive is mbedTLS's (lib/crypto).
 *
 * When: at cold boot, before any non-secure code has run (the other CPUs
 * wait in the monitor's pen), so the bytes checked here are the bytes the
 * CIEE will run and map: nothing could change them in between. What fails
 * stops the boot with a line naming the image and the reason.
 */
#include <stdbool.h>
#include <string.h>

#include <lib/console.h>
#include <lib/fmt.h>
#include <lib/crypto.h>
#include <policy/signed_image.h>
#include <vtz/fw_update.h>
#include <vtz/monitor_abi.h>

#include "monitor.h"

static uint8_t owner_key_hash[OWNER_KEY_HASH_LEN] __attribute__((aligned(8)));

void verify_init(const char *flash_image)
{
	const volatile uint64_t *rec = (const volatile uint64_t *)OWNER_KEY_HASH_FLASH_OFFSET;
	uint64_t w[OWNER_KEY_HASH_LEN / 8];
	char h[2 * OWNER_KEY_HASH_LEN + 1];
	unsigned int i;

	if (rec[0] != OWNER_KEY_HASH_MAGIC) {
		con_printf("FATAL: no owner key hash in secure flash at 0x%lx (boot with -bios %s, "
			   "which `make images` builds)\n", OWNER_KEY_HASH_FLASH_OFFSET, flash_image);
		power_off();
	}
	/* Flash is Device memory with the MMU off: aligned 8-byte reads only. */
	for (i = 0; i < OWNER_KEY_HASH_LEN / 8; i++)
		w[i] = rec[1 + i];
	memcpy(owner_key_hash, w, sizeof(owner_key_hash));
	fmt_hex(owner_key_hash, sizeof(owner_key_hash), h);
	con_printf("owner key: sha256 %s (from secure flash)\n", h);
}

/* Not a secret, but no reason to stop early either. */
static bool same(const uint8_t *a, const uint8_t *b, size_t n)
{
	uint8_t d = 0;
	size_t i;

	for (i = 0; i < n; i++)
		d |= a[i] ^ b[i];
	return !d;
}

/* "FATAL: " when a refusal stops the boot, nothing when the caller goes on. */
static const char *prefix(bool fatal)
{
	return fatal ? "FATAL: " : "";
}

int verify_image(const char *name, uint64_t base, uint64_t region, uint64_t size_offset,
		 struct boot_measurement *out, bool fatal)
{
	const uint8_t *img = (const uint8_t *)base;
	uint64_t size = *(const volatile uint64_t *)(base + size_offset);
	uint8_t point[CRYPTO_P256_POINT_LEN], sig[SIMG_SIG_MAX];
	uint8_t digest[CRYPTO_SHA256_LEN], khash[CRYPTO_SHA256_LEN];
	char h[2 * CRYPTO_SHA256_LEN + 1], h2[2 * CRYPTO_SHA256_LEN + 1];
	const char *why = NULL;
	struct simg s;
	int ret, err = 0;

	ret = simg_parse(img, size, region, &s);
	if (ret) {
		con_printf("%s%s image refused: its signature trailer after 0x%lx bytes: %s "
			   "(error %d)\n", prefix(fatal), name, size, simg_strerror(ret), ret);
		err = VTZ_FW_ERR_FORMAT;
		goto out;
	}
	/* 1. The bytes: image and protected TLVs, against the signed digest. */
	if (crypto_sha256(img, s.signed_size, digest)) {
		why = "SHA-256 failed";
		err = VTZ_FW_ERR_DIGEST;
	} else if (!same(digest, img + s.hash_off, sizeof(digest))) {
		why = "its SHA-256 does not match the digest in its trailer (an image byte or its "
		      "security counter was altered after signing)";
		err = VTZ_FW_ERR_DIGEST;
	}
	if (err)
		goto refused;
	/* 2. The signer: the carried key must be the owner's. */
	if (crypto_sha256(img + s.pubkey_off, SIMG_PUBKEY_LEN, khash)) {
		why = "SHA-256 failed";
		err = VTZ_FW_ERR_DIGEST;
		goto refused;
	}
	if (!same(khash, owner_key_hash, sizeof(khash))) {
		fmt_hex(khash, sizeof(khash), h);
		fmt_hex(owner_key_hash, sizeof(owner_key_hash), h2);
		con_printf("%s%s image refused: signed by another key (public key sha256 %s; "
			   "the owner's is %s)\n", prefix(fatal), name, h, h2);
		err = VTZ_FW_ERR_KEY;
		goto out;
	}
	/* 3. The signature, over the digest computed here, not the one carried. */
	memcpy(point, img + s.pubkey_off + SIMG_PUBKEY_PREFIX_LEN, sizeof(point));
	memcpy(sig, img + s.sig_off, s.sig_len);
	ret = crypto_ecdsa_p256_verify(point, digest, sig, s.sig_len);
	if (ret == CRYPTO_ERR_BAD_KEY)
		why = "its public key is not a point of P-256";
	else if (ret)
		why = "its ECDSA-P256 signature does not verify";
	if (ret) {
		err = VTZ_FW_ERR_SIGNATURE;
		goto refused;
	}
	fmt_hex(digest, sizeof(digest), h);
	con_printf("%s image verified: signed by the owner's key, security version %u, "
		   "sha256 %s\n", name, s.security_counter, h);
	memcpy(out->digest, digest, sizeof(out->digest));
	out->security_counter = s.security_counter;
	return 0;
refused:
	con_printf("%s%s image refused: %s\n", prefix(fatal), name, why);
out:
	if (fatal)
		power_off();
	return err;
}

void verify_boot_image(const char *name, uint64_t base, uint64_t region, uint64_t size_offset,
		       struct boot_measurement *out)
{
	verify_image(name, base, region, size_offset, out, true);
}
