/* SPDX-License-Identifier: MIT */
/*
 * A flattened device tree for one Linux VM, built with libfdt's
 * sequential-write API into a caller-supplied buffer: memory, CPUs (PSCI
 * over SMC), the architected timer, our emulated GICv3 and PL011 with
 * its 24 MHz APB clock, /chosen, and optionally OP-TEE's firmware node.
 * The node and property forms follow the DTB QEMU's virt machine makes.
 */
#ifndef HYP_GUEST_DTB_H
#define HYP_GUEST_DTB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUEST_DTB_MAX_VCPUS 8

struct guest_dtb_cfg {
	uint64_t ram_base, ram_size;
	unsigned int n_vcpus;
	uint64_t mpidr[GUEST_DTB_MAX_VCPUS]; /* affinity fields only (bits 39:32, 23:0) */
	uint64_t gicd_base, gicd_size;
	uint64_t gicr_base, gicr_size;	   /* at least n_vcpus * 0x20000 */
	uint64_t uart_base, uart_size;	   /* uart_size 0 means 0x1000 */
	unsigned int uart_spi;		   /* SPI number, i.e. INTID - 32 */
	const char *bootargs;		   /* NULL: no bootargs property */
	uint64_t initrd_start, initrd_end; /* both 0: no initrd */
	bool optee; /* firmware { optee { compatible = "linaro,optee-tz"; method = "smc"; } } */
	/* /chosen/rng-seed and kaslr-seed, as QEMU gives a kernel: none if rng_seed_len is 0. */
	const uint8_t *rng_seed;
	size_t rng_seed_len;
	uint64_t kaslr_seed;
};

/* Configuration errors: below libfdt's (-1..-FDT_ERR_MAX), so a caller
 * can tell them apart; guest_dtb_strerror() names both. */
#define GUEST_DTB_ERR_ARG (-101)     /* NULL buffer or cfg */
#define GUEST_DTB_ERR_VCPUS (-102)   /* n_vcpus not 1..8 */
#define GUEST_DTB_ERR_MPIDR (-103)   /* non-affinity bits set, or two vCPUs alike */
#define GUEST_DTB_ERR_SIZE (-104)    /* a region of size 0, or GICR too small */
#define GUEST_DTB_ERR_RANGE (-105)   /* a region wraps past 2^64 */
#define GUEST_DTB_ERR_OVERLAP (-106) /* two regions overlap */
#define GUEST_DTB_ERR_SPI (-107)     /* uart_spi >= 988 */
#define GUEST_DTB_ERR_INITRD (-108)  /* end < start, one of them 0, or not in RAM */
#define GUEST_DTB_ERR_SEED (-109)    /* rng_seed_len without rng_seed, or over 256 bytes */

/* Build the tree: 0, a GUEST_DTB_ERR_*, or a negative libfdt error
 * (-FDT_ERR_NOSPACE: buf too small; 4 KiB is plenty for 8 vCPUs). */
int guest_dtb_build(void *buf, size_t size, const struct guest_dtb_cfg *cfg);

const char *guest_dtb_strerror(int err);

#endif
