/* SPDX-License-Identifier: MIT */
/*
 * The machine as the hypervisor learns it (platform.c): from QEMU's
 * device tree or from the firmware's ACPI tables, into one description,
 * so the two can be printed side by side and compared.
 */
#ifndef HYP_PLATFORM_H
#define HYP_PLATFORM_H

#include <stdint.h>

#include <policy/fdt_info.h>

#define PLATFORM_MAX_CPUS 8
#define PLATFORM_MAX_MEM 8
#define PLATFORM_MAX_NODES 8 /* the DT may name more nodes than ACPI_MAX_NODES */

enum { TIMER_SEC_EL1, TIMER_NS_EL1, TIMER_VIRT, TIMER_NS_EL2, TIMER_COUNT };

struct platform {
	const char *source; /* "dt" or "acpi" */
	unsigned int n_cpus;
	uint64_t mpidr[PLATFORM_MAX_CPUS];
	uint32_t cpu_node[PLATFORM_MAX_CPUS];
	uint64_t gicd, gicr;           /* distributor, first redistributor range */
	uint32_t timer[TIMER_COUNT];   /* INTIDs */
	uint64_t uart;
	unsigned int n_mem;
	struct {
		uint64_t base, size;
		uint32_t node;
	} mem[PLATFORM_MAX_MEM];
	unsigned int n_nodes;
	uint8_t dist[PLATFORM_MAX_NODES][PLATFORM_MAX_NODES];
};

/* 0, or -1 with the reason printed. */
int platform_from_dt(const void *dtb, struct platform *p);
/* ram_size: the monitor's, for memory when there is no SRAT (as UEFI's memory map would). */
int platform_from_acpi(uint64_t rsdp, uint64_t ram_size, struct platform *p);
/* "platform: ..." lines: the description, the same format from either source. */
void platform_print(const struct platform *p);
/* The parts the rest of the hypervisor takes (fdt_info's shape): RAM, CPUs, UART. */
void platform_to_info(const struct platform *p, struct fdt_info *info);

#endif
