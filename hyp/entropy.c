/* SPDX-License-Identifier: MIT */
/*
 * Per-VM boot seeds from the machine's own (hyp/entropy.h).
 *
 * QEMU puts fresh random bytes in its device tree's /chosen (rng-seed,
 * kaslr-seed) at every start of the machine, as firmware would from a
 * hardware RNG. The hypervisor extracts one key from them at boot
 * (HKDF-Extract, mbedTLS through lib/crypto) and expands a VM's seeds
 * from it with the VM's name and boot number as the context, so no two
 * VMs, and no two boots of one VM, see the same bytes, and no VM learns
 * another's or the machine's seed. The hypervisor is untrusted: what a
 * VM's normal-world RNG starts from is the normal world's business, as
 * on any hypervisor; TEEs never draw from it.
 */
#include <string.h>

#include <lib/console.h>
#include <lib/crypto.h>
#include <lib/fmt.h>
#include <lib/spinlock.h>
#include <libfdt.h>

#include "entropy.h"

#define MACHINE_SEED_MIN 16 /* bytes: below this, it is not a seed */

static uint8_t prk[CRYPTO_SHA256_LEN];
static bool have_seed;
/* mbedTLS draws from one fixed arena (lib/crypto): one derivation at a time. */
static struct spinlock lock;

static const char salt[] = "vTZ VM boot entropy";

bool entropy_init(const void *dtb)
{
	int node = fdt_path_offset(dtb, "/chosen");
	uint8_t ikm[2 * ENTROPY_RNG_SEED_LEN];
	size_t n = 0;
	int len = 0;
	const uint8_t *p;

	if (node >= 0) {
		p = fdt_getprop(dtb, node, "rng-seed", &len);
		if (p && len >= MACHINE_SEED_MIN) {
			n = (size_t)len < sizeof(ikm) ? (size_t)len : sizeof(ikm);
			memcpy(ikm, p, n);
		}
		p = fdt_getprop(dtb, node, "kaslr-seed", &len);
		if (n && p && len > 0 && n + (size_t)len <= sizeof(ikm)) {
			memcpy(ikm + n, p, (size_t)len);
			n += (size_t)len;
		}
	}
	if (!n) {
		con_printf("warning: no /chosen/rng-seed (at least %u bytes) in the machine's "
			   "device tree: Linux VMs get no boot entropy and start unseeded\n",
			   MACHINE_SEED_MIN);
		return false;
	}
	have_seed = crypto_hkdf_sha256((const uint8_t *)salt, sizeof(salt) - 1, ikm, n, NULL, 0,
				       prk, sizeof(prk)) == 0;
	crypto_zeroize(ikm, sizeof(ikm));
	if (!have_seed)
		con_printf("warning: cannot derive VM boot entropy: VMs start unseeded\n");
	return have_seed;
}

bool entropy_vm_seed(const char *name, unsigned int boot, uint8_t rng[ENTROPY_RNG_SEED_LEN],
		     uint64_t *kaslr)
{
	uint8_t out[ENTROPY_RNG_SEED_LEN + sizeof(uint64_t)];
	char info[64];
	int n;
	bool ok;

	if (!have_seed)
		return false;
	/* The name is at most VM_NAME_MAX; info is "vm boot NAME BOOT". */
	n = fmt_snprintf(info, sizeof(info), "vm boot %s %u", name, boot);
	if (n < 0 || (size_t)n >= sizeof(info))
		return false;
	spin_lock(&lock);
	ok = crypto_hkdf_expand_sha256(prk, sizeof(prk), (const uint8_t *)info, (size_t)n, out,
				       sizeof(out)) == 0;
	spin_unlock(&lock);
	if (ok) {
		memcpy(rng, out, ENTROPY_RNG_SEED_LEN);
		memcpy(kaslr, out + ENTROPY_RNG_SEED_LEN, sizeof(*kaslr));
	}
	crypto_zeroize(out, sizeof(out));
	return ok;
}
