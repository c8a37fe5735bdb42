/* SPDX-License-Identifier: MIT */
/*
 * How much RAM the machine has. Read once at cold boot from QEMU's device
 * tree (policy/fdt_info.c over libfdt, as TF-A reads its platform's),
 * while it is still as QEMU wrote it: nothing untrusted has run yet. The
 * secure memory-mapping code covers exactly this RAM, so a page that does
 * not exist can never be given to anyone.
 */
#include <lib/console.h>
#include <policy/fdt_info.h>
#include <vtz/platform.h>

#include "monitor.h"

static uint64_t ram_size;

uint64_t monitor_ram_size(void)
{
	return ram_size;
}

/*
 * May this page be a VM's or a TEE's? Only in the VM pool: below the
 * CIEE data region in the first GiB, or in the second GiB if the
 * machine has one. Never secure RAM, the images, or the CIEE's data.
 */
bool monitor_vm_pool_page(uint64_t pa)
{
	if (pa >= PLAT_VM_POOL_BASE && pa < PLAT_CIEE_DATA_BASE)
		return true;
	return pa >= PLAT_HIGH_RAM_BASE && pa < PLAT_NS_RAM_BASE + ram_size;
}

void ram_init(void)
{
	static struct fdt_info info;
	unsigned int i;
	int err = fdt_info_read((const void *)PLAT_DTB_BASE, PLAT_DTB_MAX_SIZE, &info);

	if (err) {
		con_printf("FATAL: cannot read QEMU's device tree at 0x%lx: %s\n", PLAT_DTB_BASE,
			   fdt_info_strerror(err));
		power_off();
	}
	/*
	 * The RAM from PLAT_NS_RAM_BASE on, through every region that follows
	 * on without a gap (sorted, disjoint: fdt_info.h): with -numa, QEMU
	 * describes each node's RAM as a memory node of its own.
	 */
	for (i = 0; i < info.n_mem; i++)
		if (info.mem[i].base == PLAT_NS_RAM_BASE + ram_size)
			ram_size += info.mem[i].size;
	if (ram_size < PLAT_NS_RAM_SIZE) {
		con_printf("FATAL: vTZ needs at least 1 GiB of RAM at 0x%lx (run QEMU with -m 1G "
			   "or -m 2G); the device tree says %lu MiB\n", PLAT_NS_RAM_BASE,
			   ram_size >> 20);
		power_off();
	}
	if (ram_size > PLAT_NS_RAM_MAX) {
		con_printf("RAM: %lu MiB; vTZ uses the first %lu MiB\n", ram_size >> 20,
			   PLAT_NS_RAM_MAX >> 20);
		ram_size = PLAT_NS_RAM_MAX;
	}
	ram_size &= ~0xfffUL;
	con_printf("RAM: 0x%lx-0x%lx (%lu MiB), from QEMU's device tree\n", PLAT_NS_RAM_BASE,
		   PLAT_NS_RAM_BASE + ram_size - 1, ram_size >> 20);
}
