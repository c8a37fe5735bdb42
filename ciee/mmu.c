/* SPDX-License-Identifier: MIT */
/*
 * The CIEE builds and owns every translation table: the hypervisor's EL2
 * stage 1 here, and each VM's stage 2 in vm.c. Tables come from a static
 * pool inside the CIEE's region (no dynamic allocation).
 */
#include <string.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <vtz/image.h>
#include <vtz/platform.h>

#include "ciee.h"

extern char __pt_pool_start[], __pt_pool_end[];
extern char __ciee_start[], __ciee_text_end[], __ciee_end[];

static uint64_t pool_next; /* bytes handed out from the pool */
static struct pt hyp_s1;

static uint64_t *table_ptr(void *ctx, uint64_t pa)
{
	uint64_t start = (uint64_t)__pt_pool_start, end = (uint64_t)__pt_pool_end;

	(void)ctx;
	if (pa < start || pa >= end || (pa & (PAGE_SIZE - 1)))
		return NULL;
	return (uint64_t *)pa; /* identity mapped */
}

int ciee_table_alloc(void *ctx, uint64_t *pa)
{
	uint64_t start = (uint64_t)__pt_pool_start, end = (uint64_t)__pt_pool_end;

	(void)ctx;
	if (start + pool_next + PAGE_SIZE > end)
		return -1;
	*pa = start + pool_next;
	pool_next += PAGE_SIZE;
	memset((void *)*pa, 0, PAGE_SIZE);
	return 0;
}

const struct pt_mem_ops ciee_table_ops = {
	.table_ptr = table_ptr,
	.alloc_table = ciee_table_alloc,
	.ctx = NULL,
};

static void map_or_die(uint64_t va, uint64_t size, unsigned int perms, enum pt_memtype type)
{
	uint64_t attrs;
	int err = pt_leaf_attrs(PT_REGIME_S1_EL2, perms, type, &attrs);

	if (!err)
		err = pt_map(&hyp_s1, va, va, size, attrs, true);
	if (err) {
		con_printf("EL2 stage-1 map 0x%llx+0x%llx failed: %s\n", (unsigned long long)va,
			   (unsigned long long)size, pt_strerror(err));
		ciee_panic("cannot build the EL2 translation tables");
	}
}

/*
 * EL2 stage 1, identity mapped. Executable: the CIEE's text and the
 * hypervisor's text, nothing else (WXN enforces that writable is never
 * executable).
 */
void ciee_mmu_build(void)
{
	uint64_t root, hyp_text;
	uint64_t ciee_text_end = (uint64_t)__ciee_text_end;

	if (ciee_table_alloc(NULL, &root) || pt_init(&hyp_s1, PT_REGIME_S1_EL2, root, 1, 39,
						     &ciee_table_ops))
		ciee_panic("cannot allocate the EL2 root table");

	hyp_text = *(volatile uint64_t *)(PLAT_HYP_BASE + HYP_HDR_TEXT_SIZE_OFFSET);
	if (hyp_text == 0 || hyp_text > PLAT_HYP_SIZE || (hyp_text & (PAGE_SIZE - 1)))
		ciee_panic("hypervisor header: bad text size");

	map_or_die(PLAT_DEVICE_BASE, 0x04000000, PT_PERM_R | PT_PERM_W, PT_MEM_DEVICE);
	map_or_die(PLAT_NS_RAM_BASE, PLAT_CIEE_BASE - PLAT_NS_RAM_BASE, PT_PERM_R, PT_MEM_NORMAL);
	map_or_die(PLAT_CIEE_BASE, ciee_text_end - PLAT_CIEE_BASE, PT_PERM_R | PT_PERM_X,
		   PT_MEM_NORMAL);
	map_or_die(ciee_text_end, PLAT_HYP_BASE - ciee_text_end, PT_PERM_R | PT_PERM_W,
		   PT_MEM_NORMAL);
	map_or_die(PLAT_HYP_BASE, hyp_text, PT_PERM_R | PT_PERM_X, PT_MEM_NORMAL);
	map_or_die(PLAT_HYP_BASE + hyp_text, PLAT_NS_RAM_BASE + PLAT_NS_RAM_SIZE -
		   (PLAT_HYP_BASE + hyp_text), PT_PERM_R | PT_PERM_W, PT_MEM_NORMAL);
	con_printf("EL2 stage 1 built: CIEE text 0x%lx-0x%llx and hypervisor text "
		   "0x%lx-0x%llx executable, everything else XN, WXN on\n",
		   PLAT_CIEE_BASE, (unsigned long long)ciee_text_end - 1, PLAT_HYP_BASE,
		   (unsigned long long)(PLAT_HYP_BASE + hyp_text - 1));
}

void ciee_mmu_enable(void)
{
	write_sysreg(mair_el2, MAIR_EL2_VALUE);
	write_sysreg(tcr_el2, TCR_EL2_RES1 | TCR_T0SZ(25) | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA |
				      TCR_SH0_INNER | TCR_TG0_4K | TCR_EL2_PS_40);
	write_sysreg(ttbr0_el2, hyp_s1.root_pa);
	dsb(ish);
	__asm__ volatile("tlbi alle2" ::: "memory");
	dsb(ish);
	isb();
	write_sysreg(sctlr_el2, SCTLR_EL2_RES1 | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_SA |
					SCTLR_WXN);
	isb();
}
