/* SPDX-License-Identifier: MIT */
/*
 * Remote attestation (docs/security.md, "Attestation"), in the monitor
 * only: the device attestation key and the signed reports. Linked into
 * both monitors: natively the monitor's TEE dispatcher asks for its TEE's
 * report (tee_dispatch.c); under vTZ the CIEE does, from its call site
 * (main.c checks that), with the measurement and identity it recorded.
 *
 * The key: HKDF-SHA256 over the device root key (info
 * VTZ_ATTEST_KEY_INFO, 48 bytes), turned into a P-256 scalar by FIPS 186-4
 * B.4.1; derived once at boot into this .bss, in secure RAM, and never
 * copied anywhere else. `make keys` derives its public key from the root
 * key file the same way (scripts/vtz_attest.py export).
 */
#include <stdbool.h>
#include <string.h>

#include <lib/console.h>
#include <lib/crypto.h>
#include <lib/fmt.h>
#include <policy/attest.h>
#include <vtz/attest_abi.h>
#include <vtz/monitor_abi.h>
#include <vtz/platform.h>

#include "monitor.h"

static uint8_t attest_key[CRYPTO_P256_SCALAR_LEN] __attribute__((aligned(8)));
static struct attest_boot attest_boot;
static bool attest_ready;

void attest_init(const struct attest_boot *boot)
{
	static const char info[] = VTZ_ATTEST_KEY_INFO;
	uint8_t seed[VTZ_ATTEST_SEED_LEN], pub[CRYPTO_P256_POINT_LEN], fp[CRYPTO_SHA256_LEN];
	char h[2 * CRYPTO_SHA256_LEN + 1];
	int ret;

	attest_boot = *boot;
	ret = keys_derive(info, sizeof(info) - 1, seed, sizeof(seed));
	if (!ret)
		ret = crypto_p256_key_from_seed(seed, sizeof(seed), attest_key);
	crypto_zeroize(seed, sizeof(seed));
	if (!ret)
		ret = crypto_p256_public(attest_key, pub);
	if (!ret)
		ret = crypto_sha256(pub, sizeof(pub), fp);
	if (ret) {
		/* No reports then, but the machine still boots: TEEs get ERR_SIGN. */
		crypto_zeroize(attest_key, sizeof(attest_key));
		con_printf("attestation key: could not be derived; no reports this boot\n");
		return;
	}
	attest_ready = true;
	fmt_hex(fp, sizeof(fp), h);
	con_printf("attestation key: derived from the device root key; public key sha256 %s\n",
		   h);
}

int attest_sign(const uint8_t tee[VTZ_ATTEST_HASH_LEN],
		const uint8_t identity[VTZ_ATTEST_IDENTITY_LEN],
		const uint8_t nonce[VTZ_ATTEST_NONCE_LEN], struct vtz_attest_report *r)
{
	uint8_t digest[CRYPTO_SHA256_LEN];

	attest_report_fill(r, &attest_boot, tee, identity, nonce);
	if (!attest_ready || crypto_sha256(r, VTZ_ATTEST_BODY_LEN, digest) ||
	    crypto_ecdsa_p256_sign(attest_key, digest, r->signature))
		return -1;
	return 0;
}

/*
 * Copy a signed report to pa with 8-byte stores (the MMU is off: physical
 * addresses are pointers). The caller checked pa: 8-aligned, the whole
 * report in one page that is the TEE's.
 */
void attest_copy_out(uint64_t pa, const struct vtz_attest_report *r)
{
	volatile uint64_t *dst = (volatile uint64_t *)pa;
	uint64_t w[VTZ_ATTEST_REPORT_LEN / 8];
	unsigned int i;

	memcpy(w, r, sizeof(w));
	for (i = 0; i < VTZ_ATTEST_REPORT_LEN / 8; i++)
		dst[i] = w[i];
}

/*
 * VTZ_SMC_MON_ATTEST from the CIEE (main.c checked the caller; natively
 * nothing calls it and the linker drops it, as keys_ciee_smc()): the
 * measurement, identity and nonce in registers, the report's PA in x11.
 * The CIEE checked that PA is the TEE's own writable page and holds the
 * SMM lock; the monitor checks again that it is RAM a TEE can own (the VM
 * pool, not the CIEE's data), so even a CIEE bug cannot have it write
 * over secure RAM or the CIEE's own state.
 */
void attest_ciee_smc(struct smc_frame *f)
{
	struct vtz_attest_report r __attribute__((aligned(8)));
	uint8_t meas[VTZ_ATTEST_HASH_LEN] __attribute__((aligned(8)));
	uint8_t ident[VTZ_ATTEST_IDENTITY_LEN] __attribute__((aligned(8)));
	uint8_t nonce[VTZ_ATTEST_NONCE_LEN] __attribute__((aligned(8)));
	uint64_t pa = f->x[11];

	memcpy(meas, &f->x[1], sizeof(meas));
	memcpy(ident, &f->x[5], sizeof(ident));
	memcpy(nonce, &f->x[7], sizeof(nonce));
	if (attest_dest_check(pa, VTZ_ATTEST_REPORT_LEN) || !monitor_vm_pool_page(pa)) {
		f->x[0] = (uint64_t)(int64_t)VTZ_MON_ERR_ATTEST_PA;
		return;
	}
	if (attest_sign(meas, ident, nonce, &r)) {
		f->x[0] = (uint64_t)(int64_t)VTZ_MON_ERR_ATTEST_SIGN;
		return;
	}
	attest_copy_out(pa, &r);
	f->x[0] = 0;
}
