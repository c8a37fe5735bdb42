/* SPDX-License-Identifier: MIT */
/*
 * NUMA placement. The nodes come from the platform description (ACPI's
 * SRAT and SLIT, or the device tree's numa-node-id and distance-map:
 * platform.c). A VM's memory, its TEE's memory and its vCPUs' CPUs are
 * taken from one node: the one its configuration names (numa-node), or
 * the one with the most free RAM. A node without room for a VM or its TEE
 * gives way to the nearest node that has it (SLIT distance, then node
 * number), and the console says so. Placement is the hypervisor's, so
 * untrusted: the CIEE's VM_PLACEMENT call reports where each VM's pages
 * really are and where its vCPUs really ran (test_numa).
 */
#include <lib/console.h>
#include <lib/fmt.h>
#include <vtz/ciee_abi.h>

#include "hyp.h"
#include "numa.h"

static struct platform plat;
/* The VMs placed, for the CIEE's account at the end (numa_report_ran). */
static struct {
	char name[VM_NAME_MAX];
	unsigned int vm, tee; /* CIEE ids; tee = CIEE_MAX_VMS if none */
} placed[HYP_MAX_VMS];
static unsigned int n_placed;
static int placing = -1; /* node of the VM being created, -1 none */
static bool placed_any;  /* its first allocation (the VM's own RAM) is made */
static const char *placing_name;

void numa_init(const struct platform *p)
{
	plat = *p;
}

static uint64_t node_free(unsigned int node)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < plat.n_mem; i++)
		if (plat.mem[i].node == node)
			n += mem_free_in(plat.mem[i].base, plat.mem[i].base + plat.mem[i].size);
	return n;
}

static uint64_t node_alloc(unsigned int node, uint64_t size)
{
	unsigned int i;
	uint64_t pa;

	for (i = 0; i < plat.n_mem; i++) {
		if (plat.mem[i].node != node)
			continue;
		pa = mem_alloc_in(size, plat.mem[i].base, plat.mem[i].base + plat.mem[i].size);
		if (pa)
			return pa;
	}
	return 0;
}

void numa_place_begin(const char *name, int want)
{
	unsigned int k, best = 0;

	if (want >= 0 && (unsigned int)want >= plat.n_nodes) {
		con_printf("placement: %s: numa-node %d, but the machine has %u node%s: on the one "
			   "with the most free RAM\n", name, want, plat.n_nodes,
			   plat.n_nodes == 1 ? "" : "s");
		want = -1;
	}
	if (want < 0)
		for (k = 1; k < plat.n_nodes; k++)
			if (node_free(k) > node_free(best))
				best = k;
	placing = want >= 0 ? want : (int)best;
	placing_name = name;
	placed_any = false;
	con_printf("placement: %s node=%d\n", name, placing);
}

void numa_place_end(void)
{
	placing = -1;
}

uint64_t numa_alloc(const char *what, uint64_t size)
{
	unsigned int tried = 0, k, n, next, home;
	uint64_t pa;

	if (placing < 0 || plat.n_nodes <= 1)
		return mem_alloc(size);
	home = (unsigned int)placing;
	pa = node_alloc(home, size);
	if (pa) {
		placed_any = true;
		return pa;
	}
	tried |= 1U << home;
	/* The nearest other node first, each node once. */
	for (n = 1; n < plat.n_nodes; n++) {
		next = PLATFORM_MAX_NODES;
		for (k = 0; k < plat.n_nodes; k++)
			if (!(tried & (1U << k)) &&
			    (next == PLATFORM_MAX_NODES || plat.dist[home][k] < plat.dist[home][next]))
				next = k;
		if (next == PLATFORM_MAX_NODES)
			return 0;
		tried |= 1U << next;
		pa = node_alloc(next, size);
		if (!pa)
			continue;
		if (!placed_any) {
			/* The VM itself moves: its TEE and its vCPUs follow it there. */
			con_printf("placement: %s: node %u full, on node %u instead (distance %u)\n",
				   placing_name, home, next, plat.dist[home][next]);
			placing = (int)next;
		} else {
			con_printf("placement: %s: node %u full, %s's %llu MiB on node %u (distance "
				   "%u)\n", placing_name, home, what, (unsigned long long)(size >> 20),
				   next, plat.dist[home][next]);
		}
		placed_any = true;
		return pa;
	}
	return 0;
}

uint32_t numa_cpu_mask(void)
{
	uint32_t mask = 0;
	unsigned int i;

	if (placing < 0 || plat.n_nodes <= 1)
		return 0;
	for (i = 0; i < plat.n_cpus; i++)
		if (plat.cpu_node[i] == (unsigned int)placing && (plat.mpidr[i] & 0xff) < 32)
			mask |= 1U << (plat.mpidr[i] & 0xff);
	return mask;
}

/* The CIEE's answer for @id, printed as "what cpus=.. nodes=..". */
static void print_ciee_view(char *buf, size_t n, const char *what, unsigned int id, bool cpus)
{
	long r = ciee_call(CIEE_CALL_VM_PLACEMENT, id, 0, 0, 0, 0);

	if (r < 0) {
		fmt_snprintf(buf, n, "%s: %s", what, ciee_strerror(r));
		return;
	}
	if (cpus)
		fmt_snprintf(buf, n, "%s cpus=0x%lx", what, (unsigned long)r & 0xffff);
	else
		fmt_snprintf(buf, n, "%s nodes=0x%lx%s", what,
			     (unsigned long)(r >> CIEE_PLACEMENT_NODES_SHIFT) & 0xff,
			     r >> CIEE_PLACEMENT_OUTSIDE_SHIFT & 1 ? " and outside every node" : "");
}

void numa_report_created(const char *name, const struct vm *vm)
{
	char a[96], b[96];

	if (plat.n_nodes <= 1 || !vm || n_placed >= HYP_MAX_VMS)
		return;
	fmt_snprintf(placed[n_placed].name, VM_NAME_MAX, "%s", name);
	placed[n_placed].vm = vm->id;
	placed[n_placed].tee = vm->partner ? vm->partner->id : CIEE_MAX_VMS;
	print_ciee_view(a, sizeof(a), "vm", vm->id, false);
	if (vm->partner)
		print_ciee_view(b, sizeof(b), ", tee", vm->partner->id, false);
	else
		b[0] = 0;
	con_printf("placement-check: %s: pages (the CIEE's view): %s%s\n", name, a, b);
	n_placed++;
}

void numa_report_ran(void)
{
	char a[96], b[96];
	unsigned int i;

	for (i = 0; i < n_placed; i++) {
		print_ciee_view(a, sizeof(a), "vm", placed[i].vm, true);
		if (placed[i].tee < CIEE_MAX_VMS)
			print_ciee_view(b, sizeof(b), ", tee", placed[i].tee, true);
		else
			b[0] = 0;
		con_printf("placement-check: %s: ran (the CIEE's view): %s%s\n", placed[i].name, a,
			   b);
	}
}
