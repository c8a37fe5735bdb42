/* SPDX-License-Identifier: MIT */
/*
 * VM_PLACEMENT: the trusted view of where a VM or TEE is, against which
 * the hypervisor's NUMA placement (hyp/numa.c) is checked. Its pages: the
 * ownership table, each page looked up in the SRAT's memory ranges, read
 * at cold boot from the tables the monitor installed (a region the CIEE
 * owns and the hypervisor can only read). Its vCPUs: every CPU on which
 * VCPU_RUN or a TEE call ran it, recorded by the CIEE itself.
 */
#include <arch/sysreg.h>
#include <policy/acpi.h>
#include <vtz/ciee_abi.h>
#include <vtz/platform.h>

#include "ciee.h"
#include "../smm/smm.h"

static struct acpi_info acpi;
static int have_srat;
static uint32_t ran_on[CIEE_MAX_VMS];

void ciee_placement_init(uint64_t rsdp)
{
	const struct acpi_window win = {PLAT_ACPI_BASE, (const uint8_t *)PLAT_ACPI_BASE,
					PLAT_ACPI_SIZE};

	/* The monitor checked the same bytes; refused here only if they changed. */
	have_srat = rsdp && acpi_parse(&win, rsdp, &acpi) == ACPI_OK && acpi.has_srat;
}

/* @id (a VM or TEE, live: the caller holds its pair) and its partner may run on this CPU now. */
void ciee_placement_ran(uint64_t id)
{
	uint32_t cpu = 1U << this_cpu_index();
	unsigned int partner;

	if (id >= CIEE_MAX_VMS)
		return;
	__atomic_fetch_or(&ran_on[id], cpu, __ATOMIC_RELAXED);
	partner = smm->vms[id].partner;
	if (partner < CIEE_MAX_VMS)
		__atomic_fetch_or(&ran_on[partner], cpu, __ATOMIC_RELAXED);
}

/* The SRAT node of page @pa, or -1 if no SRAT range holds it. */
static int node_of(uint64_t pa)
{
	unsigned int i;

	for (i = 0; i < acpi.n_mem; i++)
		if (pa >= acpi.mem[i].base && pa - acpi.mem[i].base < acpi.mem[i].size)
			return (int)acpi.mem[i].node;
	return -1;
}

long ciee_vm_placement(uint64_t id)
{
	uint64_t pa, nodes = 0, outside = 0;
	owner_t o;

	if (id >= CIEE_MAX_VMS)
		return CIEE_ERR_BAD_VM;
	if (!have_srat)
		return CIEE_ERR_NO_SRAT;
	/* A snapshot, without the SMM lock: a report, not a decision. */
	for (pa = PLAT_NS_RAM_BASE; pa < smm->ram_end; pa += PAGE_SIZE) {
		int node;

		if (own_get(&smm->own, pa, &o) || OWNER_ID(o) != id ||
		    (OWNER_TYPE(o) != OWN_VM && OWNER_TYPE(o) != OWN_TEE))
			continue;
		node = node_of(pa);
		if (node < 0)
			outside = 1;
		else
			nodes |= 1ULL << node;
	}
	return (long)(__atomic_load_n(&ran_on[id], __ATOMIC_RELAXED) |
		      nodes << CIEE_PLACEMENT_NODES_SHIFT | outside << CIEE_PLACEMENT_OUTSIDE_SHIFT);
}
