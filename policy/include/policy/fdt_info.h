/* SPDX-License-Identifier: MIT */
/*
 * Reads what the hypervisor needs from QEMU's device tree: RAM regions,
 * CPUs (MPIDRs) and the PL011. Every value comes from an untrusted blob,
 * so every field is checked; each failure has its own error code.
 */
#ifndef POLICY_FDT_INFO_H
#define POLICY_FDT_INFO_H

#include <stddef.h>
#include <stdint.h>

#define FDT_INFO_MAX_MEM 8
#define FDT_INFO_MAX_CPUS 8

struct fdt_mem_region {
	uint64_t base;
	uint64_t size;
};

struct fdt_info {
	unsigned n_mem;
	struct fdt_mem_region mem[FDT_INFO_MAX_MEM]; /* sorted by base */
	unsigned n_cpus;
	uint64_t cpu_mpidr[FDT_INFO_MAX_CPUS]; /* from each cpu node's reg */
	uint64_t uart_base;                     /* first "arm,pl011" node, 0 if none */
};

#define FDT_INFO_OK 0
/* fdt_check_header failed, size > max_size, or the structure block is not 4-byte aligned */
#define FDT_INFO_ERR_HEADER (-1)
#define FDT_INFO_ERR_NO_MEMORY (-2)   /* no memory node with a usable reg */
#define FDT_INFO_ERR_BAD_REG (-3)     /* reg property malformed / zero size / wraps */
#define FDT_INFO_ERR_OVERLAP (-4)     /* two memory regions overlap */
#define FDT_INFO_ERR_TOO_MANY (-5)    /* more regions or cpus than the tables hold */
#define FDT_INFO_ERR_NO_CPUS (-6)     /* no /cpus/cpu@ node */
#define FDT_INFO_ERR_CELLS (-7)       /* #address-cells / #size-cells missing or > 2 */
#define FDT_INFO_ERR_STRUCTURE (-8)   /* libfdt reported a structural error while walking */

int fdt_info_read(const void *fdt, size_t max_size, struct fdt_info *out);
const char *fdt_info_strerror(int err);

#endif
