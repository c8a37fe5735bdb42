/* SPDX-License-Identifier: MIT */
/*
 * What policy/acpi.h promises of acpi_parse()'s result, checked by both
 * ACPI fuzz targets: an error leaves *out zeroed with a known message;
 * success gives 1..MAX distinct CPUs, one GICv3, PPI timers, an aligned
 * UART, sorted disjoint memory, and nodes, distances and CPU/memory node
 * numbers that agree.
 */
#ifndef FUZZ_ACPI_CHECK_H
#define FUZZ_ACPI_CHECK_H

#include <string.h>

#include <policy/acpi.h>

#include "fuzz_util.h"

static void acpi_check_result(int ret, const struct acpi_info *info)
{
	static const struct acpi_info zero;
	unsigned i, j;

	FUZZ_CHECK(ret <= ACPI_OK && ret > ACPI_ERR_LAST, "ret %d", ret);
	FUZZ_CHECK(strcmp(acpi_strerror(ret), "unknown error") != 0, "ret %d", ret);
	if (ret) {
		FUZZ_CHECK(memcmp(info, &zero, sizeof(zero)) == 0, "ret %d left data in *out", ret);
		return;
	}
	FUZZ_CHECK(info->n_cpus >= 1 && info->n_cpus <= ACPI_MAX_CPUS, "n_cpus %u", info->n_cpus);
	for (i = 0; i < info->n_cpus; i++) {
		FUZZ_CHECK(info->cpu[i].node < info->n_nodes, "cpu %u node %u", i,
			   info->cpu[i].node);
		for (j = i + 1; j < info->n_cpus; j++)
			FUZZ_CHECK(info->cpu[i].mpidr != info->cpu[j].mpidr &&
				       info->cpu[i].uid != info->cpu[j].uid,
				   "cpus %u and %u alike", i, j);
	}
	FUZZ_CHECK(info->gic_version == 3 && info->n_gicr >= 1 && info->n_gicr <= ACPI_MAX_GICR,
		   "gic v%u, %u GICRs", info->gic_version, info->n_gicr);
	FUZZ_CHECK(info->timer_ns_el1 >= 16 && info->timer_ns_el1 < 32 && info->timer_virt >= 16 &&
		       info->timer_virt < 32 && info->timer_ns_el2 >= 16 && info->timer_ns_el2 < 32,
		   "timer GSIVs");
	FUZZ_CHECK(info->uart_base && !(info->uart_base & 0xfff), "uart %#llx",
		   (unsigned long long)info->uart_base);
	FUZZ_CHECK(info->n_nodes >= 1 && info->n_nodes <= ACPI_MAX_NODES, "n_nodes %u",
		   info->n_nodes);
	FUZZ_CHECK(info->n_mem <= ACPI_MAX_MEM && (info->has_srat || info->n_mem == 0), "n_mem %u",
		   info->n_mem);
	for (i = 0; i < info->n_mem; i++) {
		const struct acpi_mem_region *r = &info->mem[i];

		FUZZ_CHECK(r->size && r->base + r->size > r->base && r->node < info->n_nodes,
			   "region %u", i);
		if (i)
			FUZZ_CHECK(info->mem[i - 1].base + info->mem[i - 1].size <= r->base,
				   "regions %u and %u unsorted or overlapping", i - 1, i);
	}
	for (i = 0; i < info->n_nodes; i++)
		for (j = 0; j < info->n_nodes; j++)
			FUZZ_CHECK(i == j ? info->dist[i][j] == 10 : info->dist[i][j] > 10,
				   "dist[%u][%u] = %u", i, j, info->dist[i][j]);
	FUZZ_CHECK(!info->has_slit || info->has_srat, "SLIT without SRAT");
}

#endif
