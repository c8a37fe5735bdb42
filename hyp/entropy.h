/* SPDX-License-Identifier: MIT */
/*
 * Boot entropy for Linux VMs, as QEMU, kvmtool and U-Boot give a kernel:
 * /chosen/rng-seed and /chosen/kaslr-seed in each VM's device tree, fresh
 * at every boot of every VM. Without them a VM's Linux has no entropy
 * source at all (no RNDR on the A57, no virtio-rng), its random number
 * generator stays unseeded for the whole run, and every get_random_*()
 * takes the slow path: arm64 draws one on every system call for the
 * kernel-stack offset, which made each system call cost ~9 400 more
 * instructions in a VM than natively (docs/performance.md).
 */
#ifndef HYP_ENTROPY_H
#define HYP_ENTROPY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ENTROPY_RNG_SEED_LEN 64

/*
 * Take the machine's seed from its device tree (QEMU's /chosen/rng-seed,
 * and kaslr-seed if present), read once and kept only as a derived key
 * (the hypervisor maps the tree read-only). Returns false, with the reason printed, if there is
 * none; VMs then get no seed (and Linux says it is unseeded).
 */
bool entropy_init(const void *dtb);

/*
 * This boot's seeds for the VM called name: independent of every other
 * VM's and boot's (HKDF-SHA256 expand with the name and boot number).
 * Returns false if there is no machine seed.
 */
bool entropy_vm_seed(const char *name, unsigned int boot, uint8_t rng[ENTROPY_RNG_SEED_LEN],
		     uint64_t *kaslr);

#endif
