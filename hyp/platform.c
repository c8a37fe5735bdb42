/* SPDX-License-Identifier: MIT */
/*
 * Where the hypervisor learns the machine: QEMU's device tree (RAM, CPUs
 * and UART through policy/fdt_info.c; the GIC, the timer's PPIs and NUMA
 * node ids read here with libfdt) or the firmware's ACPI tables the
 * monitor installed (policy/acpi.c: MADT, GTDT, SPCR, SRAT, SLIT). The
 * VM configuration's firmware-tables chooses; with "acpi" the device tree
 * is not read for any of this.
 */
#include <string.h>

#include <lib/console.h>
#include <lib/fmt.h>
#include <libfdt.h>
#include <policy/acpi.h>
#include <vtz/platform.h>

#include "platform.h"

#define PPI_BASE 16

static void default_distances(struct platform *p)
{
	unsigned int i, j;

	for (i = 0; i < PLATFORM_MAX_NODES; i++)
		for (j = 0; j < PLATFORM_MAX_NODES; j++)
			p->dist[i][j] = i == j ? ACPI_DIST_LOCAL : ACPI_DIST_REMOTE;
}

static int note_node(struct platform *p, uint32_t node)
{
	if (node >= PLATFORM_MAX_NODES) {
		con_printf("platform: NUMA node %u: this hypervisor takes at most %u\n", node,
			   PLATFORM_MAX_NODES);
		return -1;
	}
	if (node + 1 > p->n_nodes)
		p->n_nodes = node + 1;
	return 0;
}

/* numa-node-id of @node, 0 without one. */
static uint32_t dt_node_id(const void *dtb, int node)
{
	int len;
	const fdt32_t *v = fdt_getprop(dtb, node, "numa-node-id", &len);

	return v && len == 4 ? fdt32_to_cpu(*v) : 0;
}

/* The memory node whose reg starts at @base (2 address cells, as QEMU's root has). */
static uint32_t dt_mem_node(const void *dtb, uint64_t base)
{
	int node, len;

	fdt_for_each_subnode(node, dtb, 0) {
		const fdt32_t *reg = fdt_getprop(dtb, node, "reg", &len);
		const char *type = fdt_getprop(dtb, node, "device_type", NULL);

		if (!type || strcmp(type, "memory") || !reg || len < 8)
			continue;
		if (((uint64_t)fdt32_to_cpu(reg[0]) << 32 | fdt32_to_cpu(reg[1])) == base)
			return dt_node_id(dtb, node);
	}
	return 0;
}

static uint32_t dt_cpu_node(const void *dtb, uint64_t mpidr)
{
	int cpus = fdt_path_offset(dtb, "/cpus"), node, len;

	if (cpus < 0)
		return 0;
	fdt_for_each_subnode(node, dtb, cpus) {
		const fdt32_t *reg = fdt_getprop(dtb, node, "reg", &len);

		if (reg && len == 4 && fdt32_to_cpu(reg[0]) == mpidr)
			return dt_node_id(dtb, node);
		if (reg && len == 8 &&
		    ((uint64_t)fdt32_to_cpu(reg[0]) << 32 | fdt32_to_cpu(reg[1])) == mpidr)
			return dt_node_id(dtb, node);
	}
	return 0;
}

static int dt_gic_timer(const void *dtb, struct platform *p)
{
	int gic = fdt_node_offset_by_compatible(dtb, -1, "arm,gic-v3");
	int timer = fdt_node_offset_by_compatible(dtb, -1, "arm,armv8-timer");
	const fdt32_t *v;
	int len, i;

	v = gic >= 0 ? fdt_getprop(dtb, gic, "reg", &len) : NULL;
	if (!v || len < 32) {
		con_printf("platform: device tree: no GICv3 node with two reg ranges\n");
		return -1;
	}
	p->gicd = (uint64_t)fdt32_to_cpu(v[0]) << 32 | fdt32_to_cpu(v[1]);
	p->gicr = (uint64_t)fdt32_to_cpu(v[4]) << 32 | fdt32_to_cpu(v[5]);
	v = timer >= 0 ? fdt_getprop(dtb, timer, "interrupts", &len) : NULL;
	if (!v || len < 4 * 12) {
		con_printf("platform: device tree: no armv8-timer node with four interrupts\n");
		return -1;
	}
	/* <type number flags> each: PPIs (type 1), in the binding's order. */
	for (i = 0; i < TIMER_COUNT; i++)
		p->timer[i] = fdt32_to_cpu(v[3 * i + 1]) + PPI_BASE;
	return 0;
}

static void dt_distances(const void *dtb, struct platform *p)
{
	int map = fdt_node_offset_by_compatible(dtb, -1, "numa-distance-map-v1"), len, i;
	const fdt32_t *v = map >= 0 ? fdt_getprop(dtb, map, "distance-matrix", &len) : NULL;

	for (i = 0; v && i + 12 <= len; i += 12) {
		uint32_t a = fdt32_to_cpu(v[i / 4]), b = fdt32_to_cpu(v[i / 4 + 1]);

		if (a < PLATFORM_MAX_NODES && b < PLATFORM_MAX_NODES)
			p->dist[a][b] = (uint8_t)fdt32_to_cpu(v[i / 4 + 2]);
	}
}

int platform_from_dt(const void *dtb, struct platform *p)
{
	static struct fdt_info info;
	unsigned int i;
	int err = fdt_info_read(dtb, PLAT_DTB_MAX_SIZE, &info);

	memset(p, 0, sizeof(*p));
	p->source = "dt";
	default_distances(p);
	if (err) {
		con_printf("platform: cannot read the device tree: %s\n", fdt_info_strerror(err));
		return -1;
	}
	p->n_nodes = 1;
	p->n_cpus = info.n_cpus;
	for (i = 0; i < info.n_cpus; i++) {
		p->mpidr[i] = info.cpu_mpidr[i];
		p->cpu_node[i] = dt_cpu_node(dtb, info.cpu_mpidr[i]);
		if (note_node(p, p->cpu_node[i]))
			return -1;
	}
	p->n_mem = info.n_mem;
	for (i = 0; i < info.n_mem; i++) {
		p->mem[i].base = info.mem[i].base;
		p->mem[i].size = info.mem[i].size;
		p->mem[i].node = dt_mem_node(dtb, info.mem[i].base);
		if (note_node(p, p->mem[i].node))
			return -1;
	}
	p->uart = info.uart_base;
	dt_distances(dtb, p);
	return dt_gic_timer(dtb, p);
}

int platform_from_acpi(uint64_t rsdp, uint64_t ram_size, struct platform *p)
{
	static struct acpi_info a;
	const struct acpi_window win = {PLAT_ACPI_BASE, (const uint8_t *)PLAT_ACPI_BASE,
					PLAT_ACPI_SIZE};
	unsigned int i, j;
	int err;

	memset(p, 0, sizeof(*p));
	p->source = "acpi";
	if (!rsdp) {
		con_printf("platform: FIRMWARE_TABLES=acpi, but the monitor installed no ACPI tables "
			   "(its console says why)\n");
		return -1;
	}
	err = acpi_parse(&win, rsdp, &a);
	if (err) {
		con_printf("platform: ACPI tables refused: %s\n", acpi_strerror(err));
		return -1;
	}
	p->n_cpus = a.n_cpus;
	for (i = 0; i < a.n_cpus; i++) {
		p->mpidr[i] = a.cpu[i].mpidr;
		p->cpu_node[i] = a.cpu[i].node;
	}
	p->gicd = a.gicd_base;
	p->gicr = a.gicr[0].base;
	p->timer[TIMER_SEC_EL1] = a.timer_sec_el1;
	p->timer[TIMER_NS_EL1] = a.timer_ns_el1;
	p->timer[TIMER_VIRT] = a.timer_virt;
	p->timer[TIMER_NS_EL2] = a.timer_ns_el2;
	p->uart = a.uart_base;
	if (a.has_srat) {
		p->n_mem = a.n_mem;
		for (i = 0; i < a.n_mem; i++) {
			p->mem[i].base = a.mem[i].base;
			p->mem[i].size = a.mem[i].size;
			p->mem[i].node = a.mem[i].node;
		}
	} else {
		/* No SRAT: RAM as the firmware found it (a UEFI memory map's job). */
		p->n_mem = 1;
		p->mem[0].base = PLAT_NS_RAM_BASE;
		p->mem[0].size = ram_size;
	}
	p->n_nodes = a.n_nodes;
	default_distances(p);
	for (i = 0; i < ACPI_MAX_NODES; i++)
		for (j = 0; j < ACPI_MAX_NODES; j++)
			p->dist[i][j] = a.dist[i][j];
	return 0;
}

void platform_print(const struct platform *p)
{
	unsigned int i, j;

	con_printf("platform: source=%s cpus=%u nodes=%u\n", p->source, p->n_cpus, p->n_nodes);
	for (i = 0; i < p->n_cpus; i++)
		con_printf("platform: cpu%u mpidr=0x%llx node=%u\n", i,
			   (unsigned long long)p->mpidr[i], p->cpu_node[i]);
	con_printf("platform: gicd=0x%llx gicr=0x%llx timer-intids=%u,%u,%u,%u uart=0x%llx\n",
		   (unsigned long long)p->gicd, (unsigned long long)p->gicr,
		   p->timer[TIMER_SEC_EL1], p->timer[TIMER_NS_EL1], p->timer[TIMER_VIRT],
		   p->timer[TIMER_NS_EL2], (unsigned long long)p->uart);
	for (i = 0; i < p->n_mem; i++)
		con_printf("platform: memory 0x%llx-0x%llx node=%u\n",
			   (unsigned long long)p->mem[i].base,
			   (unsigned long long)(p->mem[i].base + p->mem[i].size - 1), p->mem[i].node);
	for (i = 0; p->n_nodes > 1 && i < p->n_nodes; i++) {
		char line[64];
		size_t n = 0;

		for (j = 0; j < p->n_nodes && n + 5 < sizeof(line); j++)
			n += (size_t)fmt_snprintf(line + n, sizeof(line) - n, " %u", p->dist[i][j]);
		con_printf("platform: distances from node%u:%s\n", i, line);
	}
}

void platform_to_info(const struct platform *p, struct fdt_info *info)
{
	unsigned int i;

	memset(info, 0, sizeof(*info));
	info->n_cpus = p->n_cpus < FDT_INFO_MAX_CPUS ? p->n_cpus : FDT_INFO_MAX_CPUS;
	for (i = 0; i < info->n_cpus; i++)
		info->cpu_mpidr[i] = p->mpidr[i];
	info->n_mem = p->n_mem < FDT_INFO_MAX_MEM ? p->n_mem : FDT_INFO_MAX_MEM;
	for (i = 0; i < info->n_mem; i++) {
		info->mem[i].base = p->mem[i].base;
		info->mem[i].size = p->mem[i].size;
	}
	info->uart_base = p->uart;
}
