/* SPDX-License-Identifier: MIT */
/*
 * The CIEE builds and owns every translation table: the hypervisor's EL2
 * stage 1 here, and each VM's stage 2 in vm.c. Tables and the ownership
 * table live in the CIEE data region at the top of RAM, which no
 * hypervisor mapping ever covers. (The CIEE itself runs with the EL2 MMU
 * off, so it needs no tables of its own.)
 */
#include <string.h>

#include <arch/phys.h>
#include <arch/sysreg.h>
#include <lib/console.h>
#include <vtz/image.h>
#include <vtz/platform.h>

#include "checked.h"
#include "smm.h"

static uint64_t *table_ptr(void *ctx, uint64_t pa)
{
	(void)ctx;
	if (pa < PLAT_PT_POOL_BASE || pa >= PLAT_PT_POOL_BASE + PLAT_PT_POOL_SIZE ||
	    (pa & (PAGE_SIZE - 1)))
		return NULL;
	return phys_to_virt(pa);
}

/*
 * A table page: one a destroyed VM gave back if there is one, else the
 * next never used. The free list lives in the pages themselves, in the
 * CIEE data region no one else maps; a link outside the pool is a broken
 * list, and stops the machine rather than hand out a page it does not own.
 */
int ciee_table_alloc(void *ctx, uint64_t *pa)
{
	int ret = -1;

	(void)ctx;
	spin_lock(&smm->pool_lock);
	if (smm->pool_free) {
		uint64_t next;

		*pa = smm->pool_free;
		next = *(volatile uint64_t *)phys_to_virt(*pa);
		if (next && !table_ptr(NULL, next))
			ciee_panic("table free list corrupt");
		smm->pool_free = next;
		smm->pool_free_pages--;
		ret = 0;
	} else if (smm->pool_next + PAGE_SIZE <= PLAT_PT_POOL_SIZE) {
		*pa = PLAT_PT_POOL_BASE + smm->pool_next;
		smm->pool_next += PAGE_SIZE;
		ret = 0;
	}
	spin_unlock(&smm->pool_lock);
	if (!ret)
		memset(phys_to_virt(*pa), 0, PAGE_SIZE);
	return ret;
}

/* A table page no stage 2 uses any more (after the TLBs dropped it), to the free list. */
void ciee_table_free(uint64_t pa)
{
	if (!table_ptr(NULL, pa))
		ciee_panic("freeing a table page outside the pool");
	memset(phys_to_virt(pa), 0, PAGE_SIZE);
	spin_lock(&smm->pool_lock);
	*(volatile uint64_t *)phys_to_virt(pa) = smm->pool_free;
	smm->pool_free = pa;
	smm->pool_free_pages++;
	spin_unlock(&smm->pool_lock);
}

uint64_t ciee_tables_used(void)
{
	return smm->pool_next / PAGE_SIZE - smm->pool_free_pages;
}

const struct pt_mem_ops ciee_table_ops = {
	.table_ptr = table_ptr,
	.alloc_table = ciee_table_alloc,
	.ctx = NULL,
};

static void own_or_die(uint64_t pa, uint64_t size, owner_t o)
{
	if (own_set(&smm->own, pa, size, o))
		ciee_panic("cannot initialise the ownership table");
}

static void map_or_die(uint64_t va, uint64_t size, unsigned int perms, enum pt_memtype type)
{
	uint64_t attrs;
	int err = pt_leaf_attrs(PT_REGIME_S1_EL2, perms, type, &attrs);

	/* RAM in pages, so single pages can leave the hypervisor's view later. */
	struct pt s1 = smm_pt(&smm->hyp_s1);

	if (!err)
		err = pt_map(&s1, va, va, size, attrs, type == PT_MEM_DEVICE);
	if (err) {
		con_printf("EL2 stage-1 map 0x%llx+0x%llx failed: %s\n", (unsigned long long)va,
			   (unsigned long long)size, pt_strerror(err));
		ciee_panic("cannot build the EL2 translation tables");
	}
}

/*
 * Who owns what at boot, and the hypervisor's EL2 stage 1 that follows
 * from it: its text read-execute, the CIEE's text read-execute (the gate),
 * its data and free RAM read-write/XN; CIEE data and the CIEE data region
 * not at all; of the devices, the GIC and UART0 only (no bus master;
 * the redistributors' LPI registers read-only).
 */
void ciee_mmu_build(uint64_t ram_size)
{
	uint64_t root, hyp_text, ciee_text;
	uint64_t ciee_text_end;
	unsigned int i;

	if (ram_size < PLAT_NS_RAM_SIZE || ram_size > PLAT_NS_RAM_MAX || ram_size % PAGE_SIZE)
		ciee_panic("RAM size from the monitor out of range");
	memset(smm, 0, sizeof(*smm));
	smm->ram_end = PLAT_NS_RAM_BASE + ram_size;
	if (own_init(&smm->own, PLAT_NS_RAM_BASE, ram_size,
		     phys_to_virt(PLAT_CIEE_DATA_BASE), PLAT_OWN_TABLE_SIZE / sizeof(owner_t),
		     OWNER(OWN_FREE, 0)) ||
	    own_track_maps(&smm->own, phys_to_virt(PLAT_MAP_COUNT_BASE),
			   PLAT_MAP_COUNT_SIZE / sizeof(own_maps_t)))
		ciee_panic("cannot initialise the ownership table");
	hyp_text = *(volatile uint64_t *)phys_to_virt(PLAT_HYP_BASE + HYP_HDR_TEXT_SIZE_OFFSET);
	if (hyp_text == 0 || hyp_text > PLAT_HYP_SIZE || (hyp_text & (PAGE_SIZE - 1)))
		ciee_panic("hypervisor header: bad text size");
	/* From the CIEE's header, so the monitor (GATE=el3) reads the same value. */
	ciee_text = *(volatile uint64_t *)phys_to_virt(PLAT_CIEE_BASE + CIEE_TEXT_SIZE_OFFSET);
	if (ciee_text == 0 || ciee_text > PLAT_CIEE_SIZE || (ciee_text & (PAGE_SIZE - 1)))
		ciee_panic("CIEE header: bad text size");
	ciee_text_end = PLAT_CIEE_BASE + ciee_text;

	own_or_die(PLAT_NS_RAM_BASE, PLAT_CIEE_BASE - PLAT_NS_RAM_BASE, OWNER(OWN_HYP, 0));
	own_or_die(PLAT_CIEE_BASE, PLAT_CIEE_SIZE, OWNER(OWN_CIEE, 0));
	own_or_die(PLAT_HYP_BASE, hyp_text, OWNER(OWN_HYP_TEXT, 0));
	own_or_die(PLAT_HYP_BASE + hyp_text, PLAT_VM_POOL_BASE - PLAT_HYP_BASE - hyp_text,
		   OWNER(OWN_HYP, 0));
	own_or_die(PLAT_CIEE_DATA_BASE, PLAT_CIEE_DATA_SIZE, OWNER(OWN_CIEE, 0));
	/* The firmware's ACPI tables: never donated, never written but by the monitor. */
	own_or_die(PLAT_ACPI_BASE, PLAT_ACPI_SIZE, OWNER(OWN_CIEE, 0));

	if (ciee_table_alloc(NULL, &root) ||
	    pt_init(&smm->hyp_s1, PT_REGIME_S1_EL2, root, 1, 39, &ciee_table_ops))
		ciee_panic("cannot allocate the EL2 root table");
	/*
	 * Only the devices it uses, none that can DMA (ciee_devices, vm.c);
	 * of the redistributors, the LPI registers (RD_base) read-only.
	 */
	for (i = 0; i < ciee_n_devices; i++) {
		const struct ciee_device *d = &ciee_devices[i];
		uint64_t off;

		if (!d->at_boot)
			continue;
		if (!d->rd_frames) {
			map_or_die(d->base, d->size, PT_PERM_R | PT_PERM_W, PT_MEM_DEVICE);
			continue;
		}
		for (off = 0; off < d->size; off += PLAT_GICR_FRAME) {
			map_or_die(d->base + off, PLAT_GICR_RD_SIZE, PT_PERM_R, PT_MEM_DEVICE);
			map_or_die(d->base + off + PLAT_GICR_RD_SIZE,
				   PLAT_GICR_FRAME - PLAT_GICR_RD_SIZE, PT_PERM_R | PT_PERM_W,
				   PT_MEM_DEVICE);
		}
	}
	map_or_die(PLAT_NS_RAM_BASE, PLAT_CIEE_BASE - PLAT_NS_RAM_BASE, PT_PERM_R, PT_MEM_NORMAL);
	map_or_die(PLAT_CIEE_BASE, ciee_text_end - PLAT_CIEE_BASE, PT_PERM_R | PT_PERM_X,
		   PT_MEM_NORMAL);
	map_or_die(PLAT_HYP_BASE, hyp_text, PT_PERM_R | PT_PERM_X, PT_MEM_NORMAL);
	map_or_die(PLAT_HYP_BASE + hyp_text, PLAT_ACPI_BASE - (PLAT_HYP_BASE + hyp_text),
		   PT_PERM_R | PT_PERM_W, PT_MEM_NORMAL);
	map_or_die(PLAT_ACPI_BASE, PLAT_ACPI_SIZE, PT_PERM_R, PT_MEM_NORMAL);
	/* A second GiB, free for VMs like the pool below the CIEE data region. */
	if (smm->ram_end > PLAT_HIGH_RAM_BASE)
		map_or_die(PLAT_HIGH_RAM_BASE, smm->ram_end - PLAT_HIGH_RAM_BASE,
			   PT_PERM_R | PT_PERM_W, PT_MEM_NORMAL);
	con_printf("EL2 stage 1 for the hypervisor: its text 0x%lx-0x%llx and the CIEE gate "
		   "page executable, CIEE data, tables and ownership unmapped, WXN on "
		   "(%llu table pages); RAM up to 0x%llx owned\n",
		   PLAT_HYP_BASE, (unsigned long long)(PLAT_HYP_BASE + hyp_text - 1),
		   (unsigned long long)ciee_tables_used(), (unsigned long long)(smm->ram_end - 1));
}

/* Program the hypervisor's translation regime; SCTLR_EL2 is set on the way out. */
void ciee_mmu_setup(void)
{
	write_sysreg_checked(mair_el2, MAIR_EL2_VALUE);
	write_sysreg_checked(tcr_el2, TCR_EL2_RES1 | TCR_T0SZ(25) | TCR_IRGN0_WBWA |
					      TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K |
					      TCR_EL2_PS_40);
	write_sysreg_checked(ttbr0_el2, smm->hyp_s1.root_pa);
	dsb(ish);
	tlbi(alle2);
	dsb(ish);
	isb();
}

/* After the hypervisor's view lost pages: drop them from every CPU's TLB. */
void ciee_hyp_tlb_flush(void)
{
	dsb(ishst);
	tlbi(alle2is);
	dsb(ish);
	isb();
}
