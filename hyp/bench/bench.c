/* SPDX-License-Identifier: MIT */
/*
 * Stage-2 mapping benchmark (built into hyp-bench.bin only; see
 * docs/performance.md). Runs after the guest powers off and times, with
 * CNTPCT_EL0 under `-icount shift=0`, one 4 KiB stage-2 map and its
 * matching unmap:
 *   checked:   through the SMM interface, as every vTZ hypervisor must
 *              (the CIEE's gate, or with GATE=el3 an SMC to the monitor),
 *              on distinct pages donated to a VM;
 *   unchecked: pt_map/pt_unmap of policy/pgtable.c called directly on a
 *              stage-2 table in the hypervisor's own memory, with the
 *              barriers and TLB invalidation a conventional hypervisor
 *              needs: no ownership check, no gate, no lock.
 * Both make the same calls on the same IPAs and PAs; the maps are timed
 * in one pass and the unmaps in another, so each can be reported.
 * To show where the difference goes, it also times the cheapest call
 * through the channel S2_MAP takes (gate-only): CPU_STATUS through the
 * CIEE's gate, or with GATE=el3 an SMCCC_VERSION SMC to the monitor.
 *
 * Output (scripts/vtz_bench.py converts ticks to instructions):
 *   bench-hyp: cntfrq F
 *   bench-hyp: s2-map KIND pages N map-ticks M unmap-ticks U errors E
 *   bench-hyp: gate-only calls N ticks T errors E
 */
#include <string.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <vtz/smccc.h>
#include <policy/pgtable.h>
#include <vtz/ciee_abi.h>

#include "../hyp.h"

#define BENCH_PAGES 2000
/* An IPA range no VM uses, 2 MiB aligned: both tables need the same number of levels. */
#define BENCH_IPA 0x80000000UL
#define BENCH_TABLES 16

/* The unchecked baseline's stage-2 tables: hypervisor memory (identity mapped). */
static uint64_t tables[BENCH_TABLES][PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static unsigned int tables_used;

static uint64_t *own_table_ptr(void *ctx, uint64_t pa)
{
	uint64_t base = (uint64_t)tables;

	(void)ctx;
	if (pa < base || pa >= base + sizeof(tables) || (pa & (PAGE_SIZE - 1)))
		return NULL;
	return (uint64_t *)pa;
}

static int own_table_alloc(void *ctx, uint64_t *pa_out)
{
	(void)ctx;
	if (tables_used >= BENCH_TABLES)
		return -1;
	memset(tables[tables_used], 0, PAGE_SIZE);
	*pa_out = (uint64_t)tables[tables_used++];
	return 0;
}

static const struct pt_mem_ops own_ops = {
	.table_ptr = own_table_ptr,
	.alloc_table = own_table_alloc,
};

static inline uint64_t counter(void)
{
	uint64_t v;

	/* isb on both sides: the read may not move into or out of the window. */
	isb();
	v = read_sysreg(cntpct_el0);
	isb();
	return v;
}

/* The TLB maintenance of a conventional hypervisor's stage-2 unmap (KVM's per-IPA flush). */
static inline void s2_tlb_flush_ipa(uint64_t ipa)
{
	dsb(ishst);
	__asm__ volatile("tlbi ipas2e1is, %0" : : "r"(ipa >> PAGE_SHIFT) : "memory");
	dsb(ish);
	tlbi(vmalle1is);
	dsb(ish);
	isb();
}

struct pass {
	uint64_t map_ticks, unmap_ticks;
	unsigned int errors;
};

static void checked_pass(struct vm *vm, uint64_t pa, struct pass *p)
{
	uint64_t t0, t1, t2;
	unsigned int i;

	t0 = counter();
	for (i = 0; i < BENCH_PAGES; i++)
		if (ciee_call(CIEE_CALL_S2_MAP, vm->id, BENCH_IPA + i * PAGE_SIZE,
			      pa + i * PAGE_SIZE, PAGE_SIZE, CIEE_MAP_R | CIEE_MAP_W) != CIEE_OK)
			p->errors++;
	t1 = counter();
	for (i = 0; i < BENCH_PAGES; i++)
		if (ciee_call(CIEE_CALL_S2_UNMAP, vm->id, BENCH_IPA + i * PAGE_SIZE, PAGE_SIZE, 0,
			      0) != CIEE_OK)
			p->errors++;
	t2 = counter();
	p->map_ticks = t1 - t0;
	p->unmap_ticks = t2 - t1;
}

static void unchecked_pass(struct pt *pt, uint64_t attrs, uint64_t pa, struct pass *p)
{
	uint64_t t0, t1, t2, ipa;
	unsigned int i;

	t0 = counter();
	for (i = 0; i < BENCH_PAGES; i++) {
		if (pt_map(pt, BENCH_IPA + i * PAGE_SIZE, pa + i * PAGE_SIZE, PAGE_SIZE, attrs,
			   true))
			p->errors++;
		dsb(ishst); /* the walker must see the entry before the VM runs */
	}
	t1 = counter();
	for (i = 0; i < BENCH_PAGES; i++) {
		ipa = BENCH_IPA + i * PAGE_SIZE;
		if (pt_unmap(pt, ipa, PAGE_SIZE))
			p->errors++;
		s2_tlb_flush_ipa(ipa);
	}
	t2 = counter();
	p->map_ticks = t1 - t0;
	p->unmap_ticks = t2 - t1;
}

/* The channel alone: a call that does no work, the way S2_MAP travels. */
static void gate_only(void)
{
	unsigned int i, errors = 0;
	uint64_t t0, t1;

	t0 = counter();
	for (i = 0; i < BENCH_PAGES; i++) {
#ifdef GATE_el3
		if (hyp_smc(SMCCC_VERSION, 0, 0, 0) != SMCCC_VERSION_1_1)
			errors++;
#else
		if (ciee_call(CIEE_CALL_CPU_STATUS, this_cpu_index(), 0, 0, 0, 0) < 0)
			errors++;
#endif
	}
	t1 = counter();
	con_printf("bench-hyp: gate-only calls %u ticks %llu errors %u\n", BENCH_PAGES,
		   (unsigned long long)(t1 - t0), errors);
}

static void report(const char *kind, const struct pass *p)
{
	con_printf("bench-hyp: s2-map %s pages %u map-ticks %llu unmap-ticks %llu errors %u\n",
		   kind, BENCH_PAGES, (unsigned long long)p->map_ticks,
		   (unsigned long long)p->unmap_ticks, p->errors);
}

void hyp_bench_run(void)
{
	struct pass warm = { 0 }, checked = { 0 }, unchecked = { 0 };
	uint64_t size = (uint64_t)BENCH_PAGES * PAGE_SIZE, pa, attrs;
	struct vm *vm;
	struct pt pt;
	long r;

	con_printf("bench-hyp: cntfrq %llu\n", (unsigned long long)read_sysreg(cntfrq_el0));
	vm = vm_create_guest("vm-bench", PLAT_GUEST_IMAGE_BASE, PLAT_GUEST_IMAGE_MAX, 1);
	pa = mem_alloc(size);
	if (!vm || !pa)
		hyp_panic("bench: cannot create the benchmark VM");
	r = ciee_call(CIEE_CALL_DONATE, vm->id, pa, size, 0, 0);
	if (r != CIEE_OK) {
		con_printf("FATAL: bench: donating %u pages refused: %s\n", BENCH_PAGES,
			   ciee_strerror(r));
		return;
	}

	/*
	 * A first pass of each, untimed: it allocates the intermediate
	 * tables, which stay (unmap frees none), so the timed pass measures
	 * the steady state of a map and an unmap.
	 */
	checked_pass(vm, pa, &warm);
	checked_pass(vm, pa, &checked);
	checked.errors += warm.errors;

	memset(&warm, 0, sizeof(warm));
	if (own_table_alloc(NULL, &pt.root_pa) ||
	    pt_init(&pt, PT_REGIME_S2, pt.root_pa, PT_S2_START_LEVEL, PT_S2_VA_BITS, &own_ops) ||
	    pt_leaf_attrs(PT_REGIME_S2, PT_PERM_R | PT_PERM_W, PT_MEM_NORMAL, &attrs))
		hyp_panic("bench: cannot set up the unchecked stage-2 table");
	unchecked_pass(&pt, attrs, pa, &warm);
	unchecked_pass(&pt, attrs, pa, &unchecked);
	unchecked.errors += warm.errors;

	report("checked", &checked);
	report("unchecked", &unchecked);
	gate_only();
	if (checked.errors || unchecked.errors)
		con_printf("FATAL: bench: %u checked and %u unchecked operations failed\n",
			   checked.errors, unchecked.errors);
}
