/* SPDX-License-Identifier: MIT */
/*
 * The secure-memory-mapping calls (smm/vm.c, smm/mmu.c), the real
 * code linked against arch/fake: fake RAM stands in for the platform's
 * non-secure RAM (SMM state, ownership table and page-table pool live in
 * it at their real addresses), register writes and TLB invalidations are
 * recorded. Every test starts from the state ciee_mmu_build() leaves at
 * boot, from fake image headers. Every rejection path has its own
 * CIEE_ERR_* code and is checked to change nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include <arch/phys.h>
#include <arch/sysreg.h>
#include <lib/console.h>
#include <vtz/ciee_abi.h>
#include <vtz/image.h>
#include <vtz/platform.h>

#include "../../ciee/ciee.h"

/* Fake image headers: text sizes in the range real images have. */
#define HYP_TEXT 0x00040000UL
#define CIEE_TEXT 0x00008000UL

#define SZ_4K 0x1000UL
#define POOL PLAT_VM_POOL_BASE
#define P(i) (POOL + (uint64_t)(i) * SZ_4K)
#define RAM_END (PLAT_NS_RAM_BASE + PLAT_NS_RAM_SIZE)
/* The window RAM may occupy (2 GiB): never device memory, even where a 1 GiB machine has none. */
#define RAM_WINDOW_END (PLAT_NS_RAM_BASE + PLAT_NS_RAM_MAX)
#define HYP_DATA (PLAT_HYP_BASE + HYP_TEXT) /* first hypervisor data page */

/* IPAs as the hypervisor lays out guests (docs/architecture.md). */
#define IPA_VM 0x40000000UL
#define IPA_TEE 0x0e100000UL
#define IPA_UART 0x09000000UL
#define DEV_FREE PLAT_RTC_BASE /* an allowed device the boot map does not cover */

#define R CIEE_MAP_R
#define W CIEE_MAP_W
#define X CIEE_MAP_X
#define DEV CIEE_MAP_DEVICE

/* A guest VM's identity for VM_CREATE: "g" and its id in two digits (unique per id). */
#define IDENT(id) ((uint64_t)'g' | (uint64_t)('0' + (id) / 10 % 10) << 8 | \
		   (uint64_t)('0' + (id) % 10) << 16)

/* VM ids: two guest/TEE pairs. */
#define VM0 0
#define TEE0 1
#define VM1 2
#define TEE1 3

/* ------------------------------------------------------------ the CIEE's environment */

static jmp_buf *panic_jmp;
static const char *panic_why;

/* A CIEE panic stops the CPU: a test fails unless it asked for one. */
void ciee_panic(const char *why)
{
	panic_why = why;
	if (panic_jmp)
		longjmp(*panic_jmp, 1);
	fail_msg("unexpected ciee_panic: %s", why);
	abort();
}

#define assert_panics(stmt)                                                             \
	do {                                                                            \
		jmp_buf jb_;                                                            \
		panic_why = NULL;                                                       \
		panic_jmp = &jb_;                                                       \
		if (!setjmp(jb_)) {                                                     \
			stmt;                                                           \
			panic_jmp = NULL;                                               \
			fail_msg("no ciee_panic from " #stmt);                          \
		}                                                                       \
		panic_jmp = NULL;                                                       \
		assert_non_null(panic_why);                                             \
	} while (0)

static char last_line[CONSOLE_LINE_MAX];

void con_printf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_line, sizeof(last_line), fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ helpers */

static void put64(uint64_t pa, uint64_t v)
{
	*(volatile uint64_t *)phys_to_virt(pa) = v;
}

static void write_headers(uint64_t hyp_text, uint64_t ciee_text)
{
	put64(PLAT_HYP_BASE + HYP_HDR_MAGIC_OFFSET, HYP_IMAGE_MAGIC);
	put64(PLAT_HYP_BASE + HYP_HDR_TEXT_SIZE_OFFSET, hyp_text);
	put64(PLAT_CIEE_BASE + CIEE_MAGIC_OFFSET, CIEE_IMAGE_MAGIC);
	put64(PLAT_CIEE_BASE + CIEE_TEXT_SIZE_OFFSET, ciee_text);
}

static int boot(void **state)
{
	(void)state;
	fake_phys_reset();
	fake_arch_reset();
	write_headers(HYP_TEXT, CIEE_TEXT);
	ciee_mmu_build(PLAT_NS_RAM_SIZE);
	/* Only what the calls under test do is counted. */
	fake_arch_reset();
	return 0;
}

/* How many stage-2 entries point at the page (the count RECLAIM relies on). */
static unsigned int maps(uint64_t pa)
{
	return own_map_count(&smm->own, pa);
}

static owner_t owner(uint64_t pa)
{
	owner_t o = 0xffff;

	assert_int_equal(own_get(&smm->own, pa, &o), 0);
	return o;
}

/* Hypervisor stage-1 lookup: true if mapped (identity), desc filled. */
static bool s1_get(uint64_t va, uint64_t *desc)
{
	struct pt s1 = smm_pt(&smm->hyp_s1);
	uint64_t pa, d;
	int err = pt_lookup(&s1, va, &pa, &d);

	if (err) {
		assert_int_equal(err, -PT_ERR_NOT_MAPPED);
		return false;
	}
	assert_int_equal(pa, va);
	if (desc)
		*desc = d;
	return true;
}

/* Stage-2 lookup of VM id: the PA mapped at ipa, or 0 if none. */
static uint64_t s2_pa(unsigned int id, uint64_t ipa, uint64_t *desc)
{
	struct pt s2 = smm_pt(&smm->vms[id].s2);
	uint64_t pa, d;

	if (pt_lookup(&s2, ipa, &pa, &d))
		return 0;
	if (desc)
		*desc = d;
	return pa;
}

static void assert_s1_rw_xn(uint64_t va)
{
	uint64_t d;

	assert_true(s1_get(va, &d));
	assert_true(d & PTE_XN);
	assert_false(d & PTE_S1_AP_RO);
	assert_int_equal(d & PTE_S1_ATTRIDX(7), PTE_S1_ATTRIDX(MAIR_IDX_NORMAL));
}

static void assert_s1_rx(uint64_t va)
{
	uint64_t d;

	assert_true(s1_get(va, &d));
	assert_false(d & PTE_XN);
	assert_true(d & PTE_S1_AP_RO);
}

static void fill(uint64_t pa, uint8_t v)
{
	memset(phys_to_virt(pa), v, SZ_4K);
}

static bool all_bytes(uint64_t pa, uint8_t v)
{
	const uint8_t *p = phys_to_virt(pa);
	size_t i;

	for (i = 0; i < SZ_4K; i++)
		if (p[i] != v)
			return false;
	return true;
}

static uint64_t vttbr_of(unsigned int id)
{
	return smm->vms[id].s2.root_pa | ((uint64_t)smm->vms[id].vmid << 48);
}

/* Was the i-th TLB invalidation a stage-2 flush of VM id? */
static void assert_s2_flush(unsigned int i, unsigned int id)
{
	const struct fake_tlbi_rec *t = fake_tlbi_get(i);

	assert_non_null(t);
	assert_string_equal(t->op, "vmalls12e1is");
	assert_int_equal(t->vttbr, vttbr_of(id));
}

/* A name as VM_CREATE takes it: its first 8 bytes (NUL-padded) and the rest. */
static uint64_t name_lo(const char *s)
{
	uint64_t v = 0;

	memcpy(&v, s, strnlen(s, 8));
	return v;
}

static uint64_t name_hi(const char *s)
{
	uint64_t v = 0;

	if (strlen(s) > 8)
		memcpy(&v, s + 8, strnlen(s + 8, 8));
	return v;
}

static void create_guest(unsigned int id)
{
	assert_int_equal(ciee_vm_create(id, CIEE_VM_KIND_GUEST, 0, IDENT(id), 0), CIEE_OK);
}

static void create_pair(unsigned int vm, unsigned int tee)
{
	create_guest(vm);
	assert_int_equal(ciee_vm_create(tee, CIEE_VM_KIND_TEE, vm, 0, 0), CIEE_OK);
}

static int boot_pairs(void **state)
{
	boot(state);
	create_pair(VM0, TEE0);
	create_pair(VM1, TEE1);
	fake_arch_reset();
	return 0;
}

static void donate(unsigned int id, uint64_t pa, uint64_t size)
{
	assert_int_equal(ciee_donate(id, pa, size), CIEE_OK);
}

static void map(unsigned int id, uint64_t ipa, uint64_t pa, uint64_t size, uint64_t flags)
{
	assert_int_equal(ciee_s2_map(id, ipa, pa, size, flags), CIEE_OK);
}

/* ------------------------------------------------------------ boot */

static void test_boot_ownership(void **state)
{
	(void)state;
	assert_int_equal(owner(PLAT_NS_RAM_BASE), OWNER(OWN_HYP, 0)); /* the DTB */
	assert_int_equal(owner(PLAT_CIEE_BASE - SZ_4K), OWNER(OWN_HYP, 0));
	assert_int_equal(owner(PLAT_CIEE_BASE), OWNER(OWN_CIEE, 0));
	assert_int_equal(owner(PLAT_HYP_BASE - SZ_4K), OWNER(OWN_CIEE, 0));
	assert_int_equal(owner(PLAT_HYP_BASE), OWNER(OWN_HYP_TEXT, 0));
	assert_int_equal(owner(HYP_DATA - SZ_4K), OWNER(OWN_HYP_TEXT, 0));
	assert_int_equal(owner(HYP_DATA), OWNER(OWN_HYP, 0));
	assert_int_equal(owner(POOL - SZ_4K), OWNER(OWN_HYP, 0));
	assert_int_equal(owner(POOL), OWNER(OWN_FREE, 0));
	assert_int_equal(owner(PLAT_ACPI_BASE - SZ_4K), OWNER(OWN_FREE, 0));
	/* The firmware's ACPI tables: the CIEE's, so never donated. */
	assert_int_equal(owner(PLAT_ACPI_BASE), OWNER(OWN_CIEE, 0));
	assert_int_equal(owner(PLAT_CIEE_DATA_BASE - SZ_4K), OWNER(OWN_CIEE, 0));
	assert_int_equal(owner(PLAT_CIEE_DATA_BASE), OWNER(OWN_CIEE, 0));
	assert_int_equal(owner(RAM_END - SZ_4K), OWNER(OWN_CIEE, 0));
	/* The table itself is where the monitor's reset scrub expects it. */
	assert_ptr_equal(smm->own.entries, phys_to_virt(PLAT_CIEE_DATA_BASE));
	assert_int_equal(smm->own.npages, PLAT_NS_RAM_SIZE / SZ_4K);
}

static void test_boot_hyp_stage1(void **state)
{
	uint64_t d;

	(void)state;
	/* CIEE data: ownership table, SMM state, every table, never mapped. */
	assert_false(s1_get(PLAT_CIEE_DATA_BASE, NULL));
	assert_false(s1_get(PLAT_SMM_STATE_BASE, NULL));
	assert_false(s1_get(PLAT_PT_POOL_BASE, NULL));
	assert_false(s1_get(smm->hyp_s1.root_pa, NULL));
	assert_false(s1_get(RAM_END - SZ_4K, NULL));
	assert_true(smm->hyp_s1.root_pa >= PLAT_PT_POOL_BASE);

	/* Its text and the CIEE's text (the gate) read-execute. */
	assert_s1_rx(PLAT_HYP_BASE);
	assert_s1_rx(HYP_DATA - SZ_4K);
	assert_s1_rx(PLAT_CIEE_BASE);
	assert_s1_rx(PLAT_CIEE_BASE + CIEE_TEXT - SZ_4K);
	/* The CIEE's private data past its text: not mapped. */
	assert_false(s1_get(PLAT_CIEE_BASE + CIEE_TEXT, NULL));
	assert_false(s1_get(PLAT_HYP_BASE - SZ_4K, NULL));

	/* Its data, the staging images and the VM pool: read-write, never executable. */
	assert_s1_rw_xn(HYP_DATA);
	assert_s1_rw_xn(PLAT_TEE_IMAGE_BASE);
	assert_s1_rw_xn(POOL);
	assert_s1_rw_xn(PLAT_ACPI_BASE - SZ_4K);

	/* The firmware's ACPI tables read-only, not executable. */
	assert_true(s1_get(PLAT_ACPI_BASE, &d));
	assert_true(d & PTE_XN);
	assert_true(d & PTE_S1_AP_RO);
	assert_true(s1_get(PLAT_CIEE_DATA_BASE - SZ_4K, &d));
	assert_true(d & PTE_S1_AP_RO);

	/* The DTB read-only, not executable. */
	assert_true(s1_get(PLAT_NS_RAM_BASE, &d));
	assert_true(d & PTE_XN);
	assert_true(d & PTE_S1_AP_RO);

	/* The boot devices: device memory, RW, XN; nothing past them. */
	assert_true(s1_get(PLAT_UART0_BASE, &d));
	assert_true(d & PTE_XN);
	assert_false(d & PTE_S1_AP_RO);
	assert_int_equal(d & PTE_S1_ATTRIDX(7), PTE_S1_ATTRIDX(MAIR_IDX_DEVICE));
	assert_false(s1_get(DEV_FREE, NULL));

	/* No TLB maintenance at build time: the MMU is not on yet. */
	assert_int_equal(fake_tlbi_count(NULL), 0);
	assert_true(ciee_tables_used() > 1);
	assert_int_equal(smm->pool_next, ciee_tables_used() * SZ_4K);
}

static void test_boot_bad_headers(void **state)
{
	static const struct {
		uint64_t hyp_text, ciee_text;
		const char *why;
	} bad[] = {
		{ 0, CIEE_TEXT, "hypervisor header: bad text size" },
		{ HYP_TEXT + 8, CIEE_TEXT, "hypervisor header: bad text size" },
		{ PLAT_HYP_SIZE + SZ_4K, CIEE_TEXT, "hypervisor header: bad text size" },
		{ HYP_TEXT, 0, "CIEE header: bad text size" },
		{ HYP_TEXT, CIEE_TEXT + 8, "CIEE header: bad text size" },
		{ HYP_TEXT, PLAT_CIEE_SIZE + SZ_4K, "CIEE header: bad text size" },
	};
	volatile size_t i; /* live across the longjmp out of ciee_panic */

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_headers(bad[i].hyp_text, bad[i].ciee_text);
		assert_panics(ciee_mmu_build(PLAT_NS_RAM_SIZE));
		assert_string_equal(panic_why, bad[i].why);
	}
	/* The largest text sizes the headers may give are accepted. */
	fake_phys_reset();
	write_headers(PLAT_HYP_SIZE, PLAT_CIEE_SIZE);
	ciee_mmu_build(PLAT_NS_RAM_SIZE);
	assert_s1_rx(PLAT_HYP_BASE + PLAT_HYP_SIZE - SZ_4K);
	assert_s1_rx(PLAT_CIEE_BASE + PLAT_CIEE_SIZE - SZ_4K);
}

/*
 * With the real images (`make images` ran, make unit sets VTZ_IMAGES): the
 * same build from their real headers, as the CIEE does it at boot.
 */
static bool load_image(const char *name, uint64_t pa)
{
	const char *dir = getenv("VTZ_IMAGES");
	char path[512];
	size_t n;
	FILE *f;

	if (!dir)
		return false;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return false;
	n = fread(phys_to_virt(pa), 1, SZ_4K, f);
	fclose(f);
	return n >= 0x20;
}

static void test_boot_real_images(void **state)
{
	uint64_t hyp_text;

	(void)state;
	fake_phys_reset();
	if (!load_image("hyp.bin", PLAT_HYP_BASE) || !load_image("ciee.bin", PLAT_CIEE_BASE)) {
		skip();
		return;
	}
	assert_int_equal(*(uint64_t *)phys_to_virt(PLAT_HYP_BASE + HYP_HDR_MAGIC_OFFSET),
			 HYP_IMAGE_MAGIC);
	assert_int_equal(*(uint64_t *)phys_to_virt(PLAT_CIEE_BASE + CIEE_MAGIC_OFFSET),
			 CIEE_IMAGE_MAGIC);
	hyp_text = *(uint64_t *)phys_to_virt(PLAT_HYP_BASE + HYP_HDR_TEXT_SIZE_OFFSET);
	ciee_mmu_build(PLAT_NS_RAM_SIZE);
	assert_s1_rx(PLAT_HYP_BASE + hyp_text - SZ_4K);
	assert_s1_rw_xn(PLAT_HYP_BASE + hyp_text);
	assert_int_equal(owner(PLAT_HYP_BASE + hyp_text - SZ_4K), OWNER(OWN_HYP_TEXT, 0));
	assert_false(s1_get(PLAT_CIEE_DATA_BASE, NULL));
}

static void test_mmu_setup(void **state)
{
	(void)state;
	ciee_mmu_setup();
	assert_int_equal(fake_read_sysreg("ttbr0_el2"), smm->hyp_s1.root_pa);
	assert_int_equal(fake_read_sysreg("mair_el2"), MAIR_EL2_VALUE);
	assert_int_equal(fake_read_sysreg("tcr_el2") & 0x3f, 25); /* T0SZ: 39-bit VA */
	assert_int_equal(fake_tlbi_count("alle2"), 1);
	assert_int_equal(fake_tlbi_count(NULL), 1);
}

/* ------------------------------------------------------------ VM_CREATE */

static void test_vm_create_ok(void **state)
{
	struct ciee_vm *vm, *tee;

	(void)state;
	create_guest(VM0);
	vm = ciee_vm_get(VM0);
	assert_non_null(vm);
	assert_int_equal(vm->kind, CIEE_VM_KIND_GUEST);
	assert_int_equal(vm->vmid, VM0 + 1);
	assert_int_equal(vm->partner, CIEE_MAX_VMS);
	assert_int_equal(vm->s2.regime, PT_REGIME_S2);
	assert_true(vm->s2.root_pa >= PLAT_PT_POOL_BASE);

	assert_int_equal(ciee_vm_create(TEE0, CIEE_VM_KIND_TEE, VM0, 0, 0), CIEE_OK);
	tee = ciee_vm_get(TEE0);
	assert_non_null(tee);
	assert_int_equal(tee->kind, CIEE_VM_KIND_TEE);
	assert_int_equal(tee->partner, VM0);
	assert_int_equal(vm->partner, TEE0);
	assert_int_not_equal(tee->vmid, vm->vmid);
	assert_int_not_equal(tee->s2.root_pa, vm->s2.root_pa);

	/* The last id is valid. */
	create_guest(CIEE_MAX_VMS - 1);
	assert_null(ciee_vm_get(4));
}

static void test_vm_create_bad_vm(void **state)
{
	(void)state;
	assert_int_equal(ciee_vm_create(CIEE_MAX_VMS, CIEE_VM_KIND_GUEST, 0, IDENT(0), 0), CIEE_ERR_BAD_VM);
	assert_int_equal(ciee_vm_create(UINT64_MAX, CIEE_VM_KIND_GUEST, 0, IDENT(0), 0), CIEE_ERR_BAD_VM);
	assert_null(ciee_vm_get(CIEE_MAX_VMS));
	assert_int_equal(smm->pool_next, ciee_tables_used() * SZ_4K);
}

static void test_vm_create_exists(void **state)
{
	uint64_t pool;

	(void)state;
	create_guest(VM0);
	pool = smm->pool_next;
	assert_int_equal(ciee_vm_create(VM0, CIEE_VM_KIND_GUEST, 0, IDENT(VM0), 0), CIEE_ERR_VM_EXISTS);
	/* Even as a TEE with a valid partner: the id is taken. */
	create_guest(VM1);
	pool = smm->pool_next;
	assert_int_equal(ciee_vm_create(VM0, CIEE_VM_KIND_TEE, VM1, 0, 0), CIEE_ERR_VM_EXISTS);
	assert_int_equal(ciee_vm_get(VM0)->kind, CIEE_VM_KIND_GUEST);
	assert_int_equal(ciee_vm_get(VM1)->partner, CIEE_MAX_VMS);
	assert_int_equal(smm->pool_next, pool); /* no table leaked */
}

static void test_vm_create_bad_kind(void **state)
{
	(void)state;
	assert_int_equal(ciee_vm_create(VM0, 2, 0, 0, 0), CIEE_ERR_BAD_KIND);
	assert_int_equal(ciee_vm_create(VM0, UINT64_MAX, 0, 0, 0), CIEE_ERR_BAD_KIND);
	assert_null(ciee_vm_get(VM0));
}

static void test_vm_create_tee_bad_partner(void **state)
{
	(void)state;
	/* Partner not live, out of range, or the TEE itself. */
	assert_int_equal(ciee_vm_create(TEE0, CIEE_VM_KIND_TEE, VM0, 0, 0), CIEE_ERR_BAD_KIND);
	assert_int_equal(ciee_vm_create(TEE0, CIEE_VM_KIND_TEE, CIEE_MAX_VMS, 0, 0), CIEE_ERR_BAD_KIND);
	assert_int_equal(ciee_vm_create(TEE0, CIEE_VM_KIND_TEE, UINT64_MAX, 0, 0), CIEE_ERR_BAD_KIND);
	assert_int_equal(ciee_vm_create(TEE0, CIEE_VM_KIND_TEE, TEE0, 0, 0), CIEE_ERR_BAD_KIND);
	assert_null(ciee_vm_get(TEE0));

	create_pair(VM0, TEE0);
	/* Partner is a TEE. */
	assert_int_equal(ciee_vm_create(TEE1, CIEE_VM_KIND_TEE, TEE0, 0, 0), CIEE_ERR_BAD_KIND);
	/* Partner already has a TEE. */
	assert_int_equal(ciee_vm_create(TEE1, CIEE_VM_KIND_TEE, VM0, 0, 0), CIEE_ERR_BAD_KIND);
	assert_null(ciee_vm_get(TEE1));
	assert_int_equal(ciee_vm_get(VM0)->partner, TEE0);
	assert_int_equal(ciee_vm_get(TEE0)->partner, VM0);
}

static void test_vm_create_nomem(void **state)
{
	(void)state;
	create_guest(VM0);
	smm->pool_next = PLAT_PT_POOL_SIZE; /* the pool is used up */
	assert_int_equal(ciee_vm_create(VM1, CIEE_VM_KIND_GUEST, 0, IDENT(VM1), 0), CIEE_ERR_NOMEM);
	assert_int_equal(ciee_vm_create(TEE0, CIEE_VM_KIND_TEE, VM0, 0, 0), CIEE_ERR_NOMEM);
	assert_null(ciee_vm_get(VM1));
	assert_null(ciee_vm_get(TEE0));
	assert_int_equal(ciee_vm_get(VM0)->partner, CIEE_MAX_VMS);
}

/* ------------------------------------------------------------ S2_MAP */

static void test_s2_map_ok(void **state)
{
	uint64_t d;
	int i;

	(void)state;
	donate(VM0, P(0), 4 * SZ_4K);
	/* W+X is the guest's business on its own pages (its stage 1 decides). */
	map(VM0, IPA_VM, P(0), 3 * SZ_4K, R | W | X);
	for (i = 0; i < 3; i++) {
		assert_int_equal(s2_pa(VM0, IPA_VM + i * SZ_4K, &d), P(i));
		assert_false(d & PTE_XN);
		assert_true(d & PTE_S2_AP_R);
		assert_true(d & PTE_S2_AP_W);
		assert_int_equal(d & PTE_S2_MEMATTR_NORMAL, PTE_S2_MEMATTR_NORMAL);
	}
	map(VM0, IPA_VM + 0x100000, P(3), SZ_4K, R);
	assert_int_equal(s2_pa(VM0, IPA_VM + 0x100000, &d), P(3));
	assert_true(d & PTE_XN);
	assert_false(d & PTE_S2_AP_W);

	/* A TEE maps its own pages anywhere. */
	donate(TEE0, P(8), SZ_4K);
	map(TEE0, IPA_TEE, P(8), SZ_4K, R | W);
	assert_int_equal(s2_pa(TEE0, IPA_TEE, NULL), P(8));
	/* Mapping does not change who owns a page, nor flush anything. */
	assert_int_equal(owner(P(0)), OWNER(OWN_VM, VM0));
	assert_int_equal(fake_tlbi_count("vmalls12e1is"), 0);
}

static void test_s2_map_bad_vm(void **state)
{
	(void)state;
	donate(VM0, P(0), SZ_4K);
	assert_int_equal(ciee_s2_map(5, IPA_VM, P(0), SZ_4K, R), CIEE_ERR_BAD_VM);
	assert_int_equal(ciee_s2_map(CIEE_MAX_VMS, IPA_VM, P(0), SZ_4K, R), CIEE_ERR_BAD_VM);
	assert_int_equal(ciee_s2_map(UINT64_MAX, IPA_VM, P(0), SZ_4K, R), CIEE_ERR_BAD_VM);
}

static void test_s2_map_align(void **state)
{
	(void)state;
	donate(VM0, P(0), 2 * SZ_4K);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM + 0x800, P(0), SZ_4K, R), CIEE_ERR_ALIGN);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(0) + 1, SZ_4K, R), CIEE_ERR_ALIGN);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(0), 0, R), CIEE_ERR_ALIGN);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(0), SZ_4K + 0x800, R), CIEE_ERR_ALIGN);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), 0);
}

static void test_s2_map_range(void **state)
{
	(void)state;
	donate(VM0, P(0), SZ_4K);
	/* Normal memory outside RAM (secure RAM, device space, past the end). */
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, PLAT_SECURE_RAM_BASE, SZ_4K, R | W),
			 CIEE_ERR_RANGE);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, PLAT_UART0_BASE, SZ_4K, R | W), CIEE_ERR_RANGE);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, RAM_END, SZ_4K, R | W), CIEE_ERR_RANGE);
	/* Straddling either end of RAM. */
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, PLAT_NS_RAM_BASE - SZ_4K, 2 * SZ_4K, R),
			 CIEE_ERR_RANGE);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, RAM_END - SZ_4K, 2 * SZ_4K, R), CIEE_ERR_RANGE);
	/* Wrapping around the address space. */
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, 0xfffffffffffff000UL, 2 * SZ_4K, R),
			 CIEE_ERR_RANGE);
	/* Device memory overlapping RAM, even the VM's own page. */
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(0), SZ_4K, R | W | DEV), CIEE_ERR_RANGE);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, PLAT_NS_RAM_BASE - SZ_4K, 2 * SZ_4K, R | DEV),
			 CIEE_ERR_RANGE);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, RAM_END - SZ_4K, 2 * SZ_4K, R | DEV),
			 CIEE_ERR_RANGE);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, 0xfffffffffffff000UL, 2 * SZ_4K, R | DEV),
			 CIEE_ERR_RANGE);
	/* An IPA beyond the 39-bit IPA space, for a page the VM owns. */
	assert_int_equal(ciee_s2_map(VM0, 1UL << PT_S2_VA_BITS, P(0), SZ_4K, R), CIEE_ERR_RANGE);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), 0);
}

static void test_s2_map_perm(void **state)
{
	(void)state;
	donate(VM0, P(0), SZ_4K);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(0), SZ_4K, R | 0x10), CIEE_ERR_PERM);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(0), SZ_4K, R | (1UL << 63)), CIEE_ERR_PERM);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(0), SZ_4K, 0), CIEE_ERR_PERM);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(0), SZ_4K, W), CIEE_ERR_PERM);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(0), SZ_4K, W | X), CIEE_ERR_PERM);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(0), SZ_4K, DEV), CIEE_ERR_PERM);
	/* Never executable device memory (speculative fetch from MMIO). */
	assert_int_equal(ciee_s2_map(VM0, IPA_UART, PLAT_UART0_BASE, SZ_4K, R | X | DEV),
			 CIEE_ERR_PERM);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), 0);
	assert_int_equal(s2_pa(VM0, IPA_UART, NULL), 0);
}

static void test_s2_map_not_owner(void **state)
{
	(void)state;
	/* Free pages, the hypervisor's data, its text, the DTB: not the VM's. */
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(0), SZ_4K, R | W), CIEE_ERR_NOT_OWNER);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, HYP_DATA, SZ_4K, R | W), CIEE_ERR_NOT_OWNER);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, PLAT_HYP_BASE, SZ_4K, R | X), CIEE_ERR_NOT_OWNER);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, PLAT_DTB_BASE, SZ_4K, R), CIEE_ERR_NOT_OWNER);
	assert_int_equal(ciee_s2_map(TEE0, IPA_TEE, P(0), SZ_4K, R | W), CIEE_ERR_NOT_OWNER);
	/* One page not owned refuses the whole range. */
	donate(VM0, P(1), SZ_4K);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(0), 2 * SZ_4K, R | W), CIEE_ERR_NOT_OWNER);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(1), 2 * SZ_4K, R | W), CIEE_ERR_NOT_OWNER);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), 0);
	assert_int_equal(s2_pa(VM0, IPA_VM + SZ_4K, NULL), 0);
}

static void test_s2_map_tee_page(void **state)
{
	(void)state;
	donate(TEE0, P(0), SZ_4K);
	donate(TEE1, P(1), SZ_4K);
	/* A VM may not map its own TEE's page... */
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(0), SZ_4K, R), CIEE_ERR_TEE_PAGE);
	/* ...nor another's TEE's; nor may another TEE. */
	assert_int_equal(ciee_s2_map(VM1, IPA_VM, P(0), SZ_4K, R), CIEE_ERR_TEE_PAGE);
	assert_int_equal(ciee_s2_map(TEE1, IPA_TEE, P(0), SZ_4K, R), CIEE_ERR_TEE_PAGE);
	assert_int_equal(ciee_s2_map(TEE0, IPA_TEE, P(1), SZ_4K, R), CIEE_ERR_TEE_PAGE);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), 0);
	assert_int_equal(s2_pa(VM1, IPA_VM, NULL), 0);
	assert_int_equal(s2_pa(TEE1, IPA_TEE, NULL), 0);
	map(TEE0, IPA_TEE, P(0), SZ_4K, R | W);
}

static void test_s2_map_other_vm(void **state)
{
	(void)state;
	donate(VM1, P(0), SZ_4K);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(0), SZ_4K, R), CIEE_ERR_OTHER_VM);
	/* A TEE sees its own VM's pages, no other VM's. */
	assert_int_equal(ciee_s2_map(TEE0, IPA_VM, P(0), SZ_4K, R), CIEE_ERR_OTHER_VM);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), 0);
	assert_int_equal(s2_pa(TEE0, IPA_VM, NULL), 0);
}

static void test_s2_map_ciee_page(void **state)
{
	(void)state;
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, PLAT_CIEE_BASE, SZ_4K, R), CIEE_ERR_CIEE_PAGE);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, PLAT_CIEE_DATA_BASE, SZ_4K, R),
			 CIEE_ERR_CIEE_PAGE);
	assert_int_equal(ciee_s2_map(TEE0, IPA_TEE, PLAT_SMM_STATE_BASE, SZ_4K, R),
			 CIEE_ERR_CIEE_PAGE);
	/* Table pages sit in the CIEE data region, owned by the CIEE as a whole. */
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, smm->vms[VM0].s2.root_pa, SZ_4K, R),
			 CIEE_ERR_CIEE_PAGE);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), 0);
}

/*
 * No SMM call makes a page OWN_PT (tables come from the CIEE data region),
 * so the path is reached by marking a page by hand: the error must still
 * be the specific one.
 */
static void test_s2_map_pt_page(void **state)
{
	(void)state;
	assert_int_equal(own_set(&smm->own, P(0), SZ_4K, OWNER(OWN_PT, 0)), 0);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(0), SZ_4K, R), CIEE_ERR_PT_PAGE);
	assert_int_equal(ciee_s2_map(TEE0, IPA_TEE, P(0), SZ_4K, R), CIEE_ERR_PT_PAGE);
	assert_int_equal(ciee_donate(VM0, P(0), SZ_4K), CIEE_ERR_NOT_OWNER);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), 0);
}

static void test_s2_map_ipa_mismatch(void **state)
{
	(void)state;
	donate(VM0, P(0), 3 * SZ_4K);
	donate(TEE0, P(4), SZ_4K);
	map(VM0, IPA_VM, P(0), 2 * SZ_4K, R | W);

	/* The TEE maps its VM's page at another IPA than the VM. */
	assert_int_equal(ciee_s2_map(TEE0, IPA_VM + 0x10000, P(0), SZ_4K, R | W),
			 CIEE_ERR_IPA_MISMATCH);
	/* At an IPA where the VM has another of its pages. */
	assert_int_equal(ciee_s2_map(TEE0, IPA_VM, P(0), SZ_4K, R), CIEE_OK);
	assert_int_equal(ciee_s2_map(TEE0, IPA_VM + SZ_4K, P(2), SZ_4K, R),
			 CIEE_ERR_IPA_MISMATCH);
	/* A range whose second page is off by one. */
	assert_int_equal(ciee_s2_map(TEE0, IPA_VM + 0x40000, P(0), 2 * SZ_4K, R),
			 CIEE_ERR_IPA_MISMATCH);
	/* A VM page the VM has not mapped at all. */
	assert_int_equal(ciee_s2_map(TEE0, IPA_VM + 0x20000, P(2), SZ_4K, R),
			 CIEE_ERR_IPA_MISMATCH);
	assert_int_equal(s2_pa(TEE0, IPA_VM + SZ_4K, NULL), 0);
	assert_int_equal(s2_pa(TEE0, IPA_VM + 0x10000, NULL), 0);
	assert_int_equal(s2_pa(TEE0, IPA_VM + 0x20000, NULL), 0);

	/* Where the VM has it, fine. */
	map(TEE0, IPA_VM + SZ_4K, P(1), SZ_4K, R | W);
	assert_int_equal(s2_pa(TEE0, IPA_VM, NULL), P(0));
	assert_int_equal(s2_pa(TEE0, IPA_VM + SZ_4K, NULL), P(1));
	/*
	 * The TEE's own pages go only in its secure-RAM window, never where
	 * it takes its VM's buffers: not even at a free VM IPA.
	 */
	assert_int_equal(ciee_s2_map(TEE0, IPA_VM + 0x30000, P(4), SZ_4K, R | W),
			 CIEE_ERR_TEE_IPA);
	assert_int_equal(s2_pa(TEE0, IPA_VM + 0x30000, NULL), 0);
	assert_int_equal(maps(P(4)), 0);
	map(TEE0, IPA_TEE, P(4), SZ_4K, R | W);
	/* Refused requests counted nothing: the VM's and the TEE's mappings only. */
	assert_int_equal(maps(P(0)), 2);
	assert_int_equal(maps(P(1)), 2);
	assert_int_equal(maps(P(2)), 0);
	assert_int_equal(maps(P(4)), 1);
}

static void test_s2_map_tee_vm_page_not_exec(void **state)
{
	(void)state;
	donate(VM0, P(0), SZ_4K);
	map(VM0, IPA_VM, P(0), SZ_4K, R | W | X);
	/* A TEE never runs normal-world code. */
	assert_int_equal(ciee_s2_map(TEE0, IPA_VM, P(0), SZ_4K, R | X), CIEE_ERR_PERM);
	assert_int_equal(s2_pa(TEE0, IPA_VM, NULL), 0);
}

/*
 * DMA: at boot the hypervisor sees the GIC distributor, its
 * redistributors and UART0, and no other page of the device space; in
 * particular none of a device that can master the bus.
 */
static void test_boot_devices(void **state)
{
	static const uint64_t bus_masters[][2] = {
		{PLAT_GIC_ITS_BASE, PLAT_GIC_ITS_SIZE},
		{PLAT_FW_CFG_BASE, SZ_4K},
		{PLAT_SMMU_BASE, PLAT_SMMU_SIZE},
		{PLAT_VIRTIO_BASE, PLAT_VIRTIO_SIZE},
		{PLAT_PLATFORM_BUS_BASE, PLAT_PLATFORM_BUS_SIZE},
		{PLAT_PCIE_MMIO_BASE, PLAT_PCIE_MMIO_SIZE},
		{PLAT_PCIE_PIO_BASE, PLAT_PCIE_PIO_SIZE},
		{PLAT_PCIE_ECAM_BASE, PLAT_PCIE_ECAM_SIZE},
		{PLAT_PCIE_HIGH_ECAM_BASE, PLAT_PCIE_HIGH_ECAM_SIZE},
	};
	uint64_t pa, d;
	unsigned int i, mapped = 0;

	(void)state;
	for (pa = PLAT_DEVICE_BASE; pa < PLAT_NS_RAM_BASE; pa += SZ_4K) {
		bool want = (pa >= PLAT_GICD_BASE && pa < PLAT_GICD_BASE + PLAT_GICD_SIZE) ||
			    (pa >= PLAT_GICR_BASE && pa < PLAT_GICR_BASE + PLAT_GICR_SIZE) ||
			    pa == PLAT_UART0_BASE;

		bool rd = pa >= PLAT_GICR_BASE && pa < PLAT_GICR_BASE + PLAT_GICR_SIZE &&
			  (pa - PLAT_GICR_BASE) % PLAT_GICR_FRAME < PLAT_GICR_RD_SIZE;

		assert_int_equal(s1_get(pa, &d), want);
		if (want) {
			assert_true(d & PTE_XN);
			assert_int_equal(d & PTE_S1_ATTRIDX(7), PTE_S1_ATTRIDX(MAIR_IDX_DEVICE));
			/* A redistributor's LPI registers (RD_base) are read-only. */
			assert_int_equal(!!(d & PTE_S1_AP_RO), rd);
			mapped++;
		}
	}
	assert_int_equal(mapped, (PLAT_GICD_SIZE + PLAT_GICR_SIZE + PLAT_UART0_SIZE) / SZ_4K);
	for (i = 0; i < sizeof(bus_masters) / sizeof(bus_masters[0]); i++) {
		assert_false(s1_get(bus_masters[i][0], NULL));
		assert_false(s1_get(bus_masters[i][0] + bus_masters[i][1] - SZ_4K, NULL));
	}
	assert_false(s1_get(PLAT_RTC_BASE, NULL));
	assert_false(s1_get(PLAT_GPIO_BASE, NULL));
}

static void test_s2_map_device(void **state)
{
	uint64_t d;

	(void)state;
	map(VM0, IPA_UART, PLAT_UART0_BASE, SZ_4K, R | W | DEV);
	assert_int_equal(s2_pa(VM0, IPA_UART, &d), PLAT_UART0_BASE);
	assert_true(d & PTE_XN);
	assert_int_equal(d & PTE_S2_MEMATTR_NORMAL, PTE_S2_MEMATTR_DEVICE);
	/* A TEE too, any allowed device; ownership is not asked. */
	map(TEE0, 0x09010000, PLAT_RTC_BASE, SZ_4K, R | W | DEV);
	map(VM1, 0x08000000, PLAT_GICD_BASE, PLAT_GICD_SIZE, R | W | DEV);
	map(VM1, 0x09030000, PLAT_GPIO_BASE, SZ_4K, R | DEV);
}

/*
 * DMA: a guest (or TEE) given a bus master could write any TEE page, so
 * S2_MAP refuses every one of them, and anything that is not inside one
 * allowed device; nothing is mapped.
 */
static void test_s2_map_dma_device(void **state)
{
	static const uint64_t dma[] = {
		PLAT_GIC_ITS_BASE,
		PLAT_GIC_ITS_BASE + PLAT_GIC_ITS_SIZE - SZ_4K,
		PLAT_FW_CFG_BASE,
		PLAT_SMMU_BASE,
		PLAT_VIRTIO_BASE,
		PLAT_VIRTIO_BASE + PLAT_VIRTIO_SIZE - SZ_4K,
		PLAT_PLATFORM_BUS_BASE,
		PLAT_PLATFORM_BUS_BASE + PLAT_PLATFORM_BUS_SIZE - SZ_4K,
		PLAT_PCIE_MMIO_BASE,
		PLAT_PCIE_MMIO_BASE + PLAT_PCIE_MMIO_SIZE - SZ_4K,
		PLAT_PCIE_PIO_BASE,
		PLAT_PCIE_ECAM_BASE,
		PLAT_NS_RAM_BASE - SZ_4K, /* ECAM's last page, just below RAM */
		PLAT_PCIE_HIGH_ECAM_BASE,
		PLAT_PCIE_HIGH_MMIO_BASE,
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(dma) / sizeof(dma[0]); i++) {
		assert_int_equal(ciee_s2_map(VM0, IPA_UART, dma[i], SZ_4K, R | W | DEV),
				 CIEE_ERR_DMA_DEVICE);
		assert_int_equal(ciee_s2_map(TEE0, IPA_UART, dma[i], SZ_4K, R | DEV),
				 CIEE_ERR_DMA_DEVICE);
	}
	/*
	 * The redistributors' LPI registers (RD_base frames) make the GIC read
	 * and write memory: read-only only. SGI_base frames are fine.
	 */
	assert_int_equal(ciee_s2_map(VM0, IPA_UART, PLAT_GICR_BASE, SZ_4K, R | W | DEV),
			 CIEE_ERR_DMA_DEVICE);
	assert_int_equal(ciee_s2_map(TEE0, IPA_UART, PLAT_GICR_BASE + PLAT_GICR_FRAME +
						       PLAT_GICR_RD_SIZE - SZ_4K,
				     SZ_4K, R | W | DEV),
			 CIEE_ERR_DMA_DEVICE);
	/* SGI_base of cpu0 and RD_base of cpu1 */
	assert_int_equal(ciee_s2_map(VM0, IPA_UART, PLAT_GICR_BASE + PLAT_GICR_RD_SIZE,
				     PLAT_GICR_FRAME, R | W | DEV),
			 CIEE_ERR_DMA_DEVICE);
	assert_int_equal(s2_pa(VM0, IPA_UART, NULL), 0);
	map(VM1, 0x080a0000, PLAT_GICR_BASE, PLAT_GICR_FRAME, R | DEV);
	map(VM1, 0x080d0000, PLAT_GICR_BASE + PLAT_GICR_FRAME + PLAT_GICR_RD_SIZE,
	    PLAT_GICR_FRAME - PLAT_GICR_RD_SIZE, R | W | DEV);
	/* An allowed device's range that runs into a bus master: fw_cfg after the RTC. */
	assert_int_equal(ciee_s2_map(VM0, IPA_UART, PLAT_RTC_BASE, 0x20000, R | W | DEV),
			 CIEE_ERR_DMA_DEVICE);
	/* Not inside one allowed device: secure-only UART1, past the RTC, above RAM. */
	assert_int_equal(ciee_s2_map(VM0, IPA_UART, PLAT_UART1_BASE, SZ_4K, R | W | DEV),
			 CIEE_ERR_NOT_DEVICE);
	assert_int_equal(ciee_s2_map(VM0, IPA_UART, PLAT_RTC_BASE, 2 * SZ_4K, R | W | DEV),
			 CIEE_ERR_NOT_DEVICE);
	assert_int_equal(ciee_s2_map(VM1, 0x100000000UL, RAM_WINDOW_END, 2 * SZ_4K, R | DEV),
			 CIEE_ERR_NOT_DEVICE);
	/* The second GiB a 1 GiB machine lacks is still RAM's window, never a device. */
	assert_int_equal(ciee_s2_map(VM1, 0x100000000UL, RAM_END, 2 * SZ_4K, R | DEV),
			 CIEE_ERR_RANGE);
	assert_int_equal(ciee_s2_map(VM1, IPA_UART, 0, SZ_4K, R | DEV), CIEE_ERR_NOT_DEVICE);
	assert_int_equal(s2_pa(VM0, IPA_UART, NULL), 0);
	assert_int_equal(s2_pa(TEE0, IPA_UART, NULL), 0);
	assert_int_equal(s2_pa(VM1, IPA_UART, NULL), 0);
	assert_int_equal(s2_pa(VM1, 0x100000000UL, NULL), 0);
}

static void test_s2_map_exists(void **state)
{
	(void)state;
	donate(VM0, P(0), 2 * SZ_4K);
	map(VM0, IPA_VM, P(0), SZ_4K, R | W);
	/* Never replaces a live entry: no stale TLB entry can exist. */
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(1), SZ_4K, R | W), CIEE_ERR_MAP);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), P(0));
}

/* ------------------------------------------------------------ S2_UNMAP */

static void test_s2_unmap_ok(void **state)
{
	(void)state;
	donate(VM0, P(0), 2 * SZ_4K);
	map(VM0, IPA_VM, P(0), 2 * SZ_4K, R | W);
	assert_int_equal(ciee_s2_unmap(VM0, IPA_VM, 2 * SZ_4K), CIEE_OK);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), 0);
	assert_int_equal(s2_pa(VM0, IPA_VM + SZ_4K, NULL), 0);
	/* Every CPU drops the VM's stage-2 entries, and VTTBR is left clear. */
	assert_int_equal(fake_tlbi_count(NULL), 1);
	assert_s2_flush(0, VM0);
	assert_int_equal(fake_read_sysreg("vttbr_el2"), 0);
	/* Unmapped, still the VM's: only reclaim gives a page back. */
	assert_int_equal(owner(P(0)), OWNER(OWN_VM, VM0));
}

static void test_s2_unmap_not_mapped(void **state)
{
	(void)state;
	assert_int_equal(ciee_s2_unmap(VM0, IPA_VM, SZ_4K), CIEE_ERR_NOT_MAPPED);
	/* All or nothing: the first page stays. */
	donate(VM0, P(0), SZ_4K);
	map(VM0, IPA_VM, P(0), SZ_4K, R | W);
	assert_int_equal(ciee_s2_unmap(VM0, IPA_VM, 2 * SZ_4K), CIEE_ERR_NOT_MAPPED);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), P(0));
	assert_int_equal(fake_tlbi_count(NULL), 0);
}

static void test_s2_unmap_args(void **state)
{
	(void)state;
	assert_int_equal(ciee_s2_unmap(5, IPA_VM, SZ_4K), CIEE_ERR_BAD_VM);
	assert_int_equal(ciee_s2_unmap(CIEE_MAX_VMS, IPA_VM, SZ_4K), CIEE_ERR_BAD_VM);
	assert_int_equal(ciee_s2_unmap(VM0, IPA_VM + 1, SZ_4K), CIEE_ERR_ALIGN);
	assert_int_equal(ciee_s2_unmap(VM0, IPA_VM, 0), CIEE_ERR_ALIGN);
	assert_int_equal(ciee_s2_unmap(VM0, 1UL << PT_S2_VA_BITS, SZ_4K), CIEE_ERR_RANGE);
	assert_int_equal(fake_tlbi_count(NULL), 0);
}

/* ------------------------------------------------------------ DONATE */

static void test_donate_vm_ok(void **state)
{
	(void)state;
	donate(VM0, P(0), 2 * SZ_4K);
	assert_int_equal(owner(P(0)), OWNER(OWN_VM, VM0));
	assert_int_equal(owner(P(1)), OWNER(OWN_VM, VM0));
	assert_int_equal(owner(P(2)), OWNER(OWN_FREE, 0));
	/* The hypervisor keeps its view of a VM's memory (it loads the guest). */
	assert_s1_rw_xn(P(0));
	assert_s1_rw_xn(P(1));
	assert_int_equal(fake_tlbi_count(NULL), 0);
	/* Hypervisor data pages may be given too. */
	donate(VM1, HYP_DATA, SZ_4K);
	assert_int_equal(owner(HYP_DATA), OWNER(OWN_VM, VM1));
}

static void test_donate_tee_ok(void **state)
{
	(void)state;
	donate(TEE0, P(0), 2 * SZ_4K);
	assert_int_equal(owner(P(0)), OWNER(OWN_TEE, TEE0));
	assert_int_equal(owner(P(1)), OWNER(OWN_TEE, TEE0));
	/* Gone from the hypervisor's stage 1, and from every CPU's TLB. */
	assert_false(s1_get(P(0), NULL));
	assert_false(s1_get(P(1), NULL));
	assert_s1_rw_xn(P(2));
	assert_int_equal(fake_tlbi_count("alle2is"), 1);
	assert_int_equal(fake_tlbi_count(NULL), 1);
	/* A read-only hypervisor page (the DTB) leaves its view the same way. */
	donate(TEE1, PLAT_DTB_BASE + SZ_4K, SZ_4K);
	assert_false(s1_get(PLAT_DTB_BASE + SZ_4K, NULL));
	assert_int_equal(fake_tlbi_count("alle2is"), 2);
}

static void test_donate_not_owner(void **state)
{
	(void)state;
	donate(VM0, P(1), SZ_4K);
	/* Already given: to anyone, the same VM included. */
	assert_int_equal(ciee_donate(VM0, P(1), SZ_4K), CIEE_ERR_NOT_OWNER);
	assert_int_equal(ciee_donate(VM1, P(1), SZ_4K), CIEE_ERR_NOT_OWNER);
	assert_int_equal(ciee_donate(TEE0, P(1), SZ_4K), CIEE_ERR_NOT_OWNER);
	/* All or nothing: a range with one given page changes nothing. */
	assert_int_equal(ciee_donate(TEE0, P(0), 3 * SZ_4K), CIEE_ERR_NOT_OWNER);
	assert_int_equal(owner(P(0)), OWNER(OWN_FREE, 0));
	assert_int_equal(owner(P(1)), OWNER(OWN_VM, VM0));
	assert_int_equal(owner(P(2)), OWNER(OWN_FREE, 0));
	assert_s1_rw_xn(P(0));
	assert_s1_rw_xn(P(2));
	assert_int_equal(fake_tlbi_count(NULL), 0);
	/* Hypervisor text, the CIEE, the CIEE data region: never donated. */
	assert_int_equal(ciee_donate(TEE0, PLAT_HYP_BASE, SZ_4K), CIEE_ERR_NOT_OWNER);
	assert_int_equal(ciee_donate(VM0, PLAT_CIEE_BASE, SZ_4K), CIEE_ERR_NOT_OWNER);
	assert_int_equal(ciee_donate(TEE0, PLAT_PT_POOL_BASE, SZ_4K), CIEE_ERR_NOT_OWNER);
	assert_s1_rx(PLAT_HYP_BASE);
	assert_int_equal(fake_tlbi_count(NULL), 0);
}

static void test_donate_args(void **state)
{
	(void)state;
	assert_int_equal(ciee_donate(5, P(0), SZ_4K), CIEE_ERR_BAD_VM);
	assert_int_equal(ciee_donate(CIEE_MAX_VMS, P(0), SZ_4K), CIEE_ERR_BAD_VM);
	assert_int_equal(ciee_donate(VM0, P(0) + 0x10, SZ_4K), CIEE_ERR_ALIGN);
	assert_int_equal(ciee_donate(VM0, P(0), 0), CIEE_ERR_ALIGN);
	assert_int_equal(ciee_donate(VM0, P(0), 0x800), CIEE_ERR_ALIGN);
	assert_int_equal(ciee_donate(VM0, PLAT_SECURE_RAM_BASE, SZ_4K), CIEE_ERR_RANGE);
	assert_int_equal(ciee_donate(TEE0, RAM_END - SZ_4K, 2 * SZ_4K), CIEE_ERR_RANGE);
	assert_int_equal(ciee_donate(TEE0, PLAT_NS_RAM_BASE - SZ_4K, 2 * SZ_4K), CIEE_ERR_RANGE);
	assert_int_equal(ciee_donate(TEE0, 0xfffffffffffff000UL, 2 * SZ_4K), CIEE_ERR_RANGE);
	assert_int_equal(owner(P(0)), OWNER(OWN_FREE, 0));
	assert_int_equal(fake_tlbi_count(NULL), 0);
}

/* ------------------------------------------------------------ RECLAIM */

static void test_reclaim_vm_page(void **state)
{
	(void)state;
	donate(VM0, P(0), SZ_4K);
	map(VM0, IPA_VM, P(0), SZ_4K, R | W);
	fill(P(0), 0x5a);
	assert_int_equal(ciee_reclaim(VM0, IPA_VM, SZ_4K), CIEE_OK);
	assert_int_equal(owner(P(0)), OWNER(OWN_HYP, 0));
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), 0);
	/* The hypervisor could read it all along: nothing to scrub. */
	assert_true(all_bytes(P(0), 0x5a));
	assert_s1_rw_xn(P(0));
	/* The VM's TLB entries go, and its TEE's, which may have shared it. */
	assert_int_equal(fake_tlbi_count(NULL), 2);
	assert_s2_flush(0, VM0);
	assert_s2_flush(1, TEE0);
	assert_int_equal(fake_read_sysreg("vttbr_el2"), 0);

	/* A guest without a TEE: only its own. */
	create_guest(4);
	donate(4, P(1), SZ_4K);
	map(4, IPA_VM, P(1), SZ_4K, R | W);
	fake_arch_reset();
	assert_int_equal(ciee_reclaim(4, IPA_VM, SZ_4K), CIEE_OK);
	assert_int_equal(fake_tlbi_count(NULL), 1);
	assert_s2_flush(0, 4);
}

static void test_reclaim_tee_page(void **state)
{
	(void)state;
	donate(TEE0, P(0), 2 * SZ_4K);
	map(TEE0, IPA_TEE, P(0), 2 * SZ_4K, R | W);
	fill(P(0), 0xa5);
	fill(P(1), 0x3c);
	fake_arch_reset();
	assert_int_equal(ciee_reclaim(TEE0, IPA_TEE, 2 * SZ_4K), CIEE_OK);
	assert_int_equal(owner(P(0)), OWNER(OWN_HYP, 0));
	assert_int_equal(owner(P(1)), OWNER(OWN_HYP, 0));
	assert_int_equal(s2_pa(TEE0, IPA_TEE, NULL), 0);
	assert_int_equal(s2_pa(TEE0, IPA_TEE + SZ_4K, NULL), 0);
	/* Zeroed before the hypervisor sees it again, read-write, XN. */
	assert_true(all_bytes(P(0), 0));
	assert_true(all_bytes(P(1), 0));
	assert_s1_rw_xn(P(0));
	assert_s1_rw_xn(P(1));
	/* The TEE's TLB entries go; the hypervisor only gained mappings. */
	assert_int_equal(fake_tlbi_count(NULL), 1);
	assert_s2_flush(0, TEE0);
	/* Given back to the hypervisor, it may be donated again. */
	donate(VM0, P(0), SZ_4K);
}

static void test_reclaim_vm_page_shared_with_tee(void **state)
{
	(void)state;
	donate(VM0, P(0), 2 * SZ_4K);
	map(VM0, IPA_VM, P(0), 2 * SZ_4K, R | W);
	map(TEE0, IPA_VM, P(0), SZ_4K, R | W);
	fill(P(0), 0x77);
	assert_int_equal(ciee_reclaim(VM0, IPA_VM, SZ_4K), CIEE_OK);
	/* Gone from both: the TEE cannot keep a page the VM lost. */
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), 0);
	assert_int_equal(s2_pa(TEE0, IPA_VM, NULL), 0);
	assert_int_equal(owner(P(0)), OWNER(OWN_HYP, 0));
	assert_true(all_bytes(P(0), 0x77));
	assert_int_equal(fake_tlbi_count(NULL), 2);
	assert_s2_flush(0, VM0);
	assert_s2_flush(1, TEE0);
	/* The VM's other page, which the TEE does not map, is untouched. */
	assert_int_equal(s2_pa(VM0, IPA_VM + SZ_4K, NULL), P(1));
}

/*
 * The TEE's own page at an IPA where its VM has a page: the VM lays out
 * its IPA space as it likes, the TEE's window included. Reclaiming the
 * VM's page there leaves the TEE's page alone.
 */
static void test_reclaim_tee_alias_ipa(void **state)
{
	(void)state;
	donate(VM0, P(0), 2 * SZ_4K);
	donate(TEE0, P(4), SZ_4K);
	map(VM0, IPA_TEE, P(0), SZ_4K, R | W);
	map(TEE0, IPA_TEE, P(4), SZ_4K, R | W);
	fill(P(4), 0x11);
	assert_int_equal(ciee_reclaim(VM0, IPA_TEE, SZ_4K), CIEE_OK);
	assert_int_equal(s2_pa(VM0, IPA_TEE, NULL), 0);
	assert_int_equal(owner(P(0)), OWNER(OWN_HYP, 0));
	assert_int_equal(maps(P(0)), 0);
	assert_int_equal(s2_pa(TEE0, IPA_TEE, NULL), P(4));
	assert_true(all_bytes(P(4), 0x11));
	assert_int_equal(owner(P(4)), OWNER(OWN_TEE, TEE0));
	assert_int_equal(maps(P(4)), 1);
	/* The other way round cannot be set up: no TEE page at a VM IPA. */
	map(VM0, IPA_VM, P(1), SZ_4K, R | W);
	assert_int_equal(ciee_s2_map(TEE0, IPA_VM, P(4), SZ_4K, R | W), CIEE_ERR_TEE_IPA);
	assert_int_equal(s2_pa(TEE0, IPA_VM, NULL), 0);
	assert_int_equal(maps(P(4)), 1);
}

static void test_reclaim_not_mapped(void **state)
{
	(void)state;
	donate(VM0, P(0), SZ_4K);
	assert_int_equal(ciee_reclaim(VM0, IPA_VM, SZ_4K), CIEE_ERR_NOT_MAPPED);
	assert_int_equal(ciee_reclaim(TEE0, IPA_TEE, SZ_4K), CIEE_ERR_NOT_MAPPED);
	assert_int_equal(owner(P(0)), OWNER(OWN_VM, VM0));
	assert_int_equal(fake_tlbi_count(NULL), 0);
}

static void test_reclaim_not_owner(void **state)
{
	(void)state;
	/* Device memory is nobody's to give back. */
	map(VM0, IPA_UART, PLAT_UART0_BASE, SZ_4K, R | W | DEV);
	assert_int_equal(ciee_reclaim(VM0, IPA_UART, SZ_4K), CIEE_ERR_NOT_OWNER);
	assert_int_equal(s2_pa(VM0, IPA_UART, NULL), PLAT_UART0_BASE);

	/* A TEE cannot reclaim its VM's page through its own mapping. */
	donate(VM0, P(0), SZ_4K);
	map(VM0, IPA_VM, P(0), SZ_4K, R | W);
	map(TEE0, IPA_VM, P(0), SZ_4K, R | W);
	fill(P(0), 0x42);
	assert_int_equal(ciee_reclaim(TEE0, IPA_VM, SZ_4K), CIEE_ERR_NOT_OWNER);
	assert_int_equal(owner(P(0)), OWNER(OWN_VM, VM0));
	assert_int_equal(s2_pa(TEE0, IPA_VM, NULL), P(0));
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), P(0));
	assert_true(all_bytes(P(0), 0x42));
	assert_int_equal(fake_tlbi_count(NULL), 0);
}

static void test_reclaim_all_or_nothing(void **state)
{
	(void)state;
	donate(VM0, P(0), SZ_4K);
	map(VM0, IPA_VM, P(0), SZ_4K, R | W);
	/* Second page not mapped. */
	assert_int_equal(ciee_reclaim(VM0, IPA_VM, 2 * SZ_4K), CIEE_ERR_NOT_MAPPED);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), P(0));
	assert_int_equal(owner(P(0)), OWNER(OWN_VM, VM0));
	/* Second page not the VM's. */
	map(VM0, IPA_VM + SZ_4K, PLAT_UART0_BASE, SZ_4K, R | W | DEV);
	assert_int_equal(ciee_reclaim(VM0, IPA_VM, 2 * SZ_4K), CIEE_ERR_NOT_OWNER);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), P(0));
	assert_int_equal(owner(P(0)), OWNER(OWN_VM, VM0));

	/*
	 * A TEE's first page is neither scrubbed nor handed back when the
	 * page after it is refused: not mapped (a device cannot be in a TEE's
	 * RAM window at all), ...
	 */
	donate(TEE0, P(4), 3 * SZ_4K);
	map(TEE0, IPA_TEE, P(4), SZ_4K, R | W);
	assert_int_equal(ciee_s2_map(TEE0, IPA_TEE + SZ_4K, PLAT_RTC_BASE, SZ_4K, R | W | DEV),
			 CIEE_ERR_TEE_IPA);
	fill(P(4), 0x99);
	assert_int_equal(ciee_reclaim(TEE0, IPA_TEE, 2 * SZ_4K), CIEE_ERR_NOT_MAPPED);
	assert_true(all_bytes(P(4), 0x99));
	assert_int_equal(owner(P(4)), OWNER(OWN_TEE, TEE0));
	assert_int_equal(s2_pa(TEE0, IPA_TEE, NULL), P(4));
	assert_int_equal(s2_pa(TEE0, IPA_TEE + SZ_4K, NULL), 0);
	assert_int_equal(maps(P(4)), 1);
	assert_false(s1_get(P(4), NULL));
	/* ... or the TEE's, but mapped at a second IPA too (an alias). */
	map(TEE0, IPA_TEE + 0x20000, P(5), SZ_4K, R | W);
	map(TEE0, IPA_TEE + 0x21000, P(6), SZ_4K, R | W);
	map(TEE0, IPA_TEE + 0x30000, P(6), SZ_4K, R);
	fill(P(5), 0x98);
	assert_int_equal(ciee_reclaim(TEE0, IPA_TEE + 0x20000, 2 * SZ_4K), CIEE_ERR_ALIASED);
	assert_true(all_bytes(P(5), 0x98));
	assert_int_equal(owner(P(5)), OWNER(OWN_TEE, TEE0));
	assert_int_equal(owner(P(6)), OWNER(OWN_TEE, TEE0));
	assert_int_equal(s2_pa(TEE0, IPA_TEE + 0x20000, NULL), P(5));
	assert_int_equal(s2_pa(TEE0, IPA_TEE + 0x21000, NULL), P(6));
	assert_int_equal(s2_pa(TEE0, IPA_TEE + 0x30000, NULL), P(6));
	assert_int_equal(maps(P(5)), 1);
	assert_int_equal(maps(P(6)), 2);
	assert_false(s1_get(P(5), NULL));
	/* The donation to the TEE flushed; no refused call did. */
	assert_int_equal(fake_tlbi_count(NULL), 1);
	assert_int_equal(fake_tlbi_count("alle2is"), 1);
}

static void test_reclaim_args(void **state)
{
	(void)state;
	assert_int_equal(ciee_reclaim(5, IPA_VM, SZ_4K), CIEE_ERR_BAD_VM);
	assert_int_equal(ciee_reclaim(CIEE_MAX_VMS, IPA_VM, SZ_4K), CIEE_ERR_BAD_VM);
	assert_int_equal(ciee_reclaim(VM0, IPA_VM + 8, SZ_4K), CIEE_ERR_ALIGN);
	assert_int_equal(ciee_reclaim(VM0, IPA_VM, 0), CIEE_ERR_ALIGN);
	assert_int_equal(ciee_reclaim(VM0, IPA_VM, 0x10), CIEE_ERR_ALIGN);
	assert_int_equal(ciee_reclaim(VM0, 0xfffffffffffff000UL, 2 * SZ_4K), CIEE_ERR_RANGE);
	assert_int_equal(ciee_reclaim(VM0, 0, PLAT_NS_RAM_MAX + SZ_4K), CIEE_ERR_RANGE);
	assert_int_equal(fake_tlbi_count(NULL), 0);
}

/* ------------------------------------------------------------ map counts and aliases */

/* Set a page's map count by hand: 65535 real mappings would take a while. */
static void set_maps(uint64_t pa, own_maps_t n)
{
	smm->own.maps[(pa - PLAT_NS_RAM_BASE) / SZ_4K] = n;
}

static void test_map_counts(void **state)
{
	(void)state;
	/* Boot maps nothing in any stage 2 (the hypervisor's stage 1 is not counted). */
	assert_int_equal(maps(HYP_DATA), 0);
	assert_int_equal(maps(PLAT_DTB_BASE), 0);
	donate(VM0, P(0), 4 * SZ_4K);
	map(VM0, IPA_VM, P(0), 2 * SZ_4K, R | W);
	map(VM0, IPA_VM + 0x10000, P(1), 2 * SZ_4K, R | W);
	map(TEE0, IPA_VM, P(0), SZ_4K, R | W);
	assert_int_equal(maps(P(0)), 2);
	assert_int_equal(maps(P(1)), 2);
	assert_int_equal(maps(P(2)), 1);
	assert_int_equal(maps(P(3)), 0);

	/* Refused maps count nothing, whatever refuses them. */
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(3), SZ_4K, R), CIEE_ERR_MAP);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM + 0x20000, P(3), 2 * SZ_4K, R),
			 CIEE_ERR_NOT_OWNER);
	assert_int_equal(ciee_s2_map(VM0, 1UL << PT_S2_VA_BITS, P(3), SZ_4K, R), CIEE_ERR_RANGE);
	/* Counted, then refused by the table (its second IPA is taken): put back. */
	assert_int_equal(ciee_s2_map(VM0, IPA_VM + 0x10000 - SZ_4K, P(2), 2 * SZ_4K, R),
			 CIEE_ERR_MAP);
	assert_int_equal(s2_pa(VM0, IPA_VM + 0x10000 - SZ_4K, NULL), 0);
	assert_int_equal(ciee_s2_map(TEE0, IPA_VM + 0x50000, P(3), SZ_4K, R),
			 CIEE_ERR_IPA_MISMATCH);
	assert_int_equal(maps(P(2)), 1);
	assert_int_equal(maps(P(3)), 0);
	/* Device memory has no owner and no count. */
	map(VM0, IPA_UART, PLAT_UART0_BASE, SZ_4K, R | W | DEV);
	assert_int_equal(maps(PLAT_UART0_BASE), 0);

	/* Unmapping puts back what it removes, and only that. */
	assert_int_equal(ciee_s2_unmap(VM0, IPA_VM + 0x10000, 2 * SZ_4K), CIEE_OK);
	assert_int_equal(maps(P(1)), 1);
	assert_int_equal(maps(P(2)), 0);
	assert_int_equal(ciee_s2_unmap(VM0, IPA_VM, 3 * SZ_4K), CIEE_ERR_NOT_MAPPED);
	assert_int_equal(maps(P(0)), 2);
	assert_int_equal(ciee_s2_unmap(TEE0, IPA_VM, SZ_4K), CIEE_OK);
	assert_int_equal(maps(P(0)), 1);
	assert_int_equal(ciee_s2_unmap(VM0, IPA_VM, 2 * SZ_4K), CIEE_OK);
	assert_int_equal(ciee_s2_unmap(VM0, IPA_UART, SZ_4K), CIEE_OK);
	assert_int_equal(maps(P(0)), 0);
	assert_int_equal(maps(P(1)), 0);
}

static void test_s2_map_count_overflow(void **state)
{
	(void)state;
	donate(VM0, P(0), 2 * SZ_4K);
	set_maps(P(1), OWN_MAX_MAPS);
	/* All or nothing: the first page is neither mapped nor counted. */
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, P(0), 2 * SZ_4K, R | W), CIEE_ERR_MAP_COUNT);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), 0);
	assert_int_equal(s2_pa(VM0, IPA_VM + SZ_4K, NULL), 0);
	assert_int_equal(maps(P(0)), 0);
	assert_int_equal(maps(P(1)), OWN_MAX_MAPS);
	/* Into the TEE too, where the VM has the page. */
	set_maps(P(1), 0);
	map(VM0, IPA_VM + SZ_4K, P(1), SZ_4K, R | W);
	set_maps(P(1), OWN_MAX_MAPS);
	assert_int_equal(ciee_s2_map(TEE0, IPA_VM + SZ_4K, P(1), SZ_4K, R), CIEE_ERR_MAP_COUNT);
	assert_int_equal(s2_pa(TEE0, IPA_VM + SZ_4K, NULL), 0);
	assert_int_equal(maps(P(1)), OWN_MAX_MAPS);
	map(VM0, IPA_VM, P(0), SZ_4K, R | W);
	assert_int_equal(maps(P(0)), 1);
	assert_int_equal(fake_tlbi_count(NULL), 0);
}

/*
 * A free page with a nonzero count means the counts are broken; DONATE
 * refuses it (CIEE_ERR_ALIASED) and changes nothing, the hypervisor's
 * view of it included.
 */
static void test_donate_mapped(void **state)
{
	(void)state;
	set_maps(P(1), 1);
	assert_int_equal(ciee_donate(TEE0, P(0), 2 * SZ_4K), CIEE_ERR_ALIASED);
	assert_int_equal(ciee_donate(VM0, P(1), SZ_4K), CIEE_ERR_ALIASED);
	assert_int_equal(owner(P(0)), OWNER(OWN_FREE, 0));
	assert_int_equal(owner(P(1)), OWNER(OWN_FREE, 0));
	assert_s1_rw_xn(P(0));
	assert_s1_rw_xn(P(1));
	assert_int_equal(fake_tlbi_count(NULL), 0);
	set_maps(P(1), 0);
	donate(TEE0, P(0), 2 * SZ_4K);
}

/* A VM page mapped at two IPAs of the VM: neither reclaim may leave the other behind. */
static void test_reclaim_alias_vm(void **state)
{
	(void)state;
	donate(VM0, P(0), 2 * SZ_4K);
	map(VM0, IPA_VM, P(0), SZ_4K, R | W);
	map(VM0, IPA_VM + 0x10000, P(0), SZ_4K, R);
	assert_int_equal(maps(P(0)), 2);
	fill(P(0), 0x5a);
	fake_arch_reset();
	assert_int_equal(ciee_reclaim(VM0, IPA_VM, SZ_4K), CIEE_ERR_ALIASED);
	assert_int_equal(ciee_reclaim(VM0, IPA_VM + 0x10000, SZ_4K), CIEE_ERR_ALIASED);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), P(0));
	assert_int_equal(s2_pa(VM0, IPA_VM + 0x10000, NULL), P(0));
	assert_int_equal(owner(P(0)), OWNER(OWN_VM, VM0));
	assert_int_equal(maps(P(0)), 2);
	assert_true(all_bytes(P(0), 0x5a));
	assert_int_equal(fake_tlbi_count(NULL), 0);
	/*
	 * Both aliases in one request: still refused (each IPA must be the
	 * page's only mapping); P(1) in front of them is not reclaimed either.
	 */
	map(VM0, IPA_VM - SZ_4K, P(1), SZ_4K, R | W);
	map(VM0, IPA_VM + SZ_4K, P(0), SZ_4K, R | W);
	assert_int_equal(ciee_reclaim(VM0, IPA_VM - SZ_4K, 3 * SZ_4K), CIEE_ERR_ALIASED);
	assert_int_equal(owner(P(1)), OWNER(OWN_VM, VM0));
	assert_int_equal(s2_pa(VM0, IPA_VM - SZ_4K, NULL), P(1));
	assert_int_equal(maps(P(0)), 3);
	assert_int_equal(maps(P(1)), 1);
	assert_int_equal(fake_tlbi_count(NULL), 0);

	/* Once the other mappings are gone, the reclaim goes through. */
	assert_int_equal(ciee_s2_unmap(VM0, IPA_VM + 0x10000, SZ_4K), CIEE_OK);
	assert_int_equal(ciee_s2_unmap(VM0, IPA_VM + SZ_4K, SZ_4K), CIEE_OK);
	assert_int_equal(maps(P(0)), 1);
	fake_arch_reset();
	assert_int_equal(ciee_reclaim(VM0, IPA_VM - SZ_4K, 2 * SZ_4K), CIEE_OK);
	assert_int_equal(owner(P(0)), OWNER(OWN_HYP, 0));
	assert_int_equal(owner(P(1)), OWNER(OWN_HYP, 0));
	assert_int_equal(maps(P(0)), 0);
	assert_int_equal(maps(P(1)), 0);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), 0);
	assert_true(all_bytes(P(0), 0x5a)); /* a VM's page: no scrub */
	assert_int_equal(fake_tlbi_count(NULL), 2);
	assert_s2_flush(0, VM0);
	assert_s2_flush(1, TEE0);
}

/*
 * The alias in the TEE at another IPA: S2_MAP refuses to make one, but
 * the VM can move its page after the TEE mapped it. RECLAIM then finds
 * the TEE's mapping and refuses.
 */
static void test_reclaim_alias_tee(void **state)
{
	(void)state;
	donate(VM0, P(0), SZ_4K);
	map(VM0, IPA_VM, P(0), SZ_4K, R | W);
	assert_int_equal(ciee_s2_map(TEE0, IPA_VM + 0x10000, P(0), SZ_4K, R | W),
			 CIEE_ERR_IPA_MISMATCH);
	map(TEE0, IPA_VM, P(0), SZ_4K, R | W);
	assert_int_equal(ciee_s2_unmap(VM0, IPA_VM, SZ_4K), CIEE_OK);
	map(VM0, IPA_VM + 0x10000, P(0), SZ_4K, R | W);
	assert_int_equal(maps(P(0)), 2);
	fill(P(0), 0x66);
	fake_arch_reset();
	assert_int_equal(ciee_reclaim(VM0, IPA_VM + 0x10000, SZ_4K), CIEE_ERR_ALIASED);
	assert_int_equal(s2_pa(VM0, IPA_VM + 0x10000, NULL), P(0));
	assert_int_equal(s2_pa(TEE0, IPA_VM, NULL), P(0));
	assert_int_equal(owner(P(0)), OWNER(OWN_VM, VM0));
	assert_int_equal(maps(P(0)), 2);
	assert_true(all_bytes(P(0), 0x66));
	assert_int_equal(fake_tlbi_count(NULL), 0);
	/* Out of the TEE, it can go. */
	assert_int_equal(ciee_s2_unmap(TEE0, IPA_VM, SZ_4K), CIEE_OK);
	assert_int_equal(ciee_reclaim(VM0, IPA_VM + 0x10000, SZ_4K), CIEE_OK);
	assert_int_equal(owner(P(0)), OWNER(OWN_HYP, 0));
	assert_int_equal(maps(P(0)), 0);

	/* At the same IPA in VM and TEE, RECLAIM removes both (no alias). */
	donate(VM0, P(1), SZ_4K);
	map(VM0, IPA_VM, P(1), SZ_4K, R | W);
	map(TEE0, IPA_VM, P(1), SZ_4K, R);
	assert_int_equal(maps(P(1)), 2);
	assert_int_equal(ciee_reclaim(VM0, IPA_VM, SZ_4K), CIEE_OK);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), 0);
	assert_int_equal(s2_pa(TEE0, IPA_VM, NULL), 0);
	assert_int_equal(maps(P(1)), 0);
	assert_int_equal(owner(P(1)), OWNER(OWN_HYP, 0));
}

/*
 * Where a TEE's stage 2 may put pages: its own only inside its secure-RAM
 * window, its VM's only from VTZ_TEE_NS_RAM_BASE (and where the VM has
 * them). Every refusal maps and counts nothing.
 */
/*
 * Once its image is measured (TEE_BOOT sets `measured` under the SMM
 * lock), a TEE takes a page of its own only above every IPA it ever had
 * one at: nothing of the hypervisor's writing replaces a TEE page.
 */
static void test_s2_map_tee_frozen_after_measure(void **state)
{
	const uint64_t win = VTZ_TEE_RAM_IPA_BASE;
	struct ciee_vm *tee = ciee_vm_get(TEE0);

	(void)state;
	donate(TEE0, P(0), 6 * SZ_4K);
	map(TEE0, win + 2 * SZ_4K, P(0), 2 * SZ_4K, R | W | X);
	assert_int_equal(tee->own_ipa_top, win + 4 * SZ_4K);
	/* Before the measurement the hypervisor may still lay pages out. */
	assert_int_equal(ciee_s2_unmap(TEE0, win + 2 * SZ_4K, SZ_4K), CIEE_OK);
	map(TEE0, win + 2 * SZ_4K, P(2), SZ_4K, R | W | X);
	map(TEE0, win, P(3), SZ_4K, R | W);
	assert_int_equal(tee->own_ipa_top, win + 4 * SZ_4K);

	tee->measured = true;
	fake_arch_reset();
	/* Where one of its pages was, or below the top: refused, nothing changes. */
	assert_int_equal(ciee_s2_unmap(TEE0, win + 2 * SZ_4K, SZ_4K), CIEE_OK);
	assert_int_equal(ciee_s2_map(TEE0, win + 2 * SZ_4K, P(4), SZ_4K, R | W | X),
			 CIEE_ERR_TEE_FROZEN);
	assert_int_equal(ciee_s2_map(TEE0, win + SZ_4K, P(4), SZ_4K, R | W), CIEE_ERR_TEE_FROZEN);
	assert_int_equal(ciee_s2_map(TEE0, win + 3 * SZ_4K, P(4), 2 * SZ_4K, R | W),
			 CIEE_ERR_TEE_FROZEN);
	assert_int_equal(s2_pa(TEE0, win + 2 * SZ_4K, NULL), 0);
	assert_int_equal(maps(P(4)), 0);
	assert_int_equal(tee->own_ipa_top, win + 4 * SZ_4K);
	/* Fresh IPAs above: each once, and the top rises with them. */
	map(TEE0, win + 4 * SZ_4K, P(4), SZ_4K, R | W);
	assert_int_equal(tee->own_ipa_top, win + 5 * SZ_4K);
	assert_int_equal(ciee_reclaim(TEE0, win + 4 * SZ_4K, SZ_4K), CIEE_OK);
	donate(TEE0, P(4), SZ_4K);
	assert_int_equal(ciee_s2_map(TEE0, win + 4 * SZ_4K, P(4), SZ_4K, R | W),
			 CIEE_ERR_TEE_FROZEN);
	map(TEE0, win + 5 * SZ_4K, P(4), SZ_4K, R | W);
	/* Its VM's pages in the normal-world window are not frozen (shared memory). */
	donate(VM0, P(8), SZ_4K);
	map(VM0, IPA_VM, P(8), SZ_4K, R | W);
	map(TEE0, IPA_VM, P(8), SZ_4K, R | W);
	assert_int_equal(ciee_s2_unmap(TEE0, IPA_VM, SZ_4K), CIEE_OK);
	map(TEE0, IPA_VM, P(8), SZ_4K, R | W);
}

/* A TEE's device mappings stay out of both of its RAM windows. */
static void test_s2_map_tee_device_ipa(void **state)
{
	const uint64_t win = VTZ_TEE_RAM_IPA_BASE, win_end = win + VTZ_TEE_RAM_IPA_SIZE;

	(void)state;
	assert_int_equal(ciee_s2_map(TEE0, win, PLAT_UART0_BASE, SZ_4K, R | W | DEV),
			 CIEE_ERR_TEE_IPA);
	assert_int_equal(ciee_s2_map(TEE0, win - SZ_4K, PLAT_GICD_BASE, 2 * SZ_4K, R | W | DEV),
			 CIEE_ERR_TEE_IPA);
	assert_int_equal(ciee_s2_map(TEE0, VTZ_TEE_NS_RAM_BASE, PLAT_UART0_BASE, SZ_4K,
				     R | W | DEV),
			 CIEE_ERR_TEE_IPA);
	assert_int_equal(ciee_s2_map(TEE0, VTZ_TEE_NS_RAM_BASE - SZ_4K, PLAT_GICD_BASE,
				     2 * SZ_4K, R | W | DEV),
			 CIEE_ERR_TEE_IPA);
	assert_int_equal(s2_pa(TEE0, win, NULL), 0);
	/* Below the window, between the windows: fine. A VM may put one anywhere. */
	map(TEE0, IPA_UART, PLAT_UART0_BASE, SZ_4K, R | W | DEV);
	map(TEE0, win_end, PLAT_UART0_BASE, SZ_4K, R | W | DEV);
	map(VM0, win, PLAT_UART0_BASE, SZ_4K, R | W | DEV);
}

/*
 * A TEE's GIC is the CIEE's (ciee/tee_gic.c): no device at its
 * distributor's or its redistributors' IPAs, and the real GIC nowhere in
 * a TEE. A VM may have either.
 */
static void test_s2_map_tee_gic(void **state)
{
	const uint64_t gicr_end = PLAT_GICR_BASE + CIEE_MAX_VCPUS * PLAT_GICR_FRAME;

	(void)state;
	assert_int_equal(ciee_s2_map(TEE0, PLAT_GICD_BASE, PLAT_UART0_BASE, SZ_4K, R | W | DEV),
			 CIEE_ERR_TEE_GIC);
	assert_int_equal(ciee_s2_map(TEE0, PLAT_GICD_BASE - SZ_4K, PLAT_GICD_BASE - SZ_4K,
				     2 * SZ_4K, R | DEV),
			 CIEE_ERR_NOT_DEVICE); /* nothing there: the device check first */
	assert_int_equal(ciee_s2_map(TEE0, gicr_end - SZ_4K, PLAT_UART0_BASE, SZ_4K, R | W | DEV),
			 CIEE_ERR_TEE_GIC);
	assert_int_equal(ciee_s2_map(TEE0, IPA_UART, PLAT_GICD_BASE, SZ_4K, R | W | DEV),
			 CIEE_ERR_TEE_GIC);
	assert_int_equal(ciee_s2_map(TEE0, IPA_UART, PLAT_GICR_BASE + PLAT_GICR_FRAME + 0x10000,
				     SZ_4K, R | W | DEV),
			 CIEE_ERR_TEE_GIC);
	assert_int_equal(s2_pa(TEE0, PLAT_GICD_BASE, NULL), 0);
	assert_int_equal(s2_pa(TEE0, IPA_UART, NULL), 0);
	/* Just past its last redistributor frame: another device may be there. */
	map(TEE0, gicr_end, PLAT_UART0_BASE, SZ_4K, R | W | DEV);
	map(VM0, PLAT_GICD_BASE, PLAT_GICD_BASE, SZ_4K, R | W | DEV);
}

static void test_s2_map_tee_ipa(void **state)
{
	const uint64_t win = VTZ_TEE_RAM_IPA_BASE, win_end = win + VTZ_TEE_RAM_IPA_SIZE;
	const uint64_t ns = VTZ_TEE_NS_RAM_BASE;

	(void)state;
	donate(TEE0, P(0), 4 * SZ_4K);
	donate(VM0, P(4), SZ_4K);
	donate(VM0, P(8), 3 * SZ_4K);
	/* The TEE's page below its window, just past its end, far above it. */
	assert_int_equal(ciee_s2_map(TEE0, win - SZ_4K, P(0), SZ_4K, R | W), CIEE_ERR_TEE_IPA);
	assert_int_equal(ciee_s2_map(TEE0, win_end, P(0), SZ_4K, R | W), CIEE_ERR_TEE_IPA);
	assert_int_equal(ciee_s2_map(TEE0, 0, P(0), SZ_4K, R | W), CIEE_ERR_TEE_IPA);
	assert_int_equal(ciee_s2_map(TEE0, ns, P(0), SZ_4K, R | W), CIEE_ERR_TEE_IPA);
	/* A range that crosses either end of the window. */
	assert_int_equal(ciee_s2_map(TEE0, win_end - SZ_4K, P(0), 2 * SZ_4K, R | W),
			 CIEE_ERR_TEE_IPA);
	assert_int_equal(ciee_s2_map(TEE0, win - SZ_4K, P(0), 2 * SZ_4K, R | W),
			 CIEE_ERR_TEE_IPA);
	assert_int_equal(s2_pa(TEE0, win_end - SZ_4K, NULL), 0);
	assert_int_equal(s2_pa(TEE0, win, NULL), 0);
	assert_int_equal(maps(P(0)), 0);
	assert_int_equal(maps(P(1)), 0);
	/* Its first and last pages are fine. */
	map(TEE0, win, P(2), SZ_4K, R | W | X);
	map(TEE0, win_end - SZ_4K, P(3), SZ_4K, R | W);

	/*
	 * The VM's page below VTZ_TEE_NS_RAM_BASE, even where the VM has it
	 * (the VM may put its pages at any IPA, the TEE's window included).
	 */
	map(VM0, win + 0x10000, P(8), SZ_4K, R | W);
	assert_int_equal(ciee_s2_map(TEE0, win + 0x10000, P(8), SZ_4K, R | W), CIEE_ERR_TEE_IPA);
	map(VM0, ns - SZ_4K, P(9), 2 * SZ_4K, R | W);
	assert_int_equal(ciee_s2_map(TEE0, ns - SZ_4K, P(9), SZ_4K, R), CIEE_ERR_TEE_IPA);
	/* A range that crosses VTZ_TEE_NS_RAM_BASE from below. */
	assert_int_equal(ciee_s2_map(TEE0, ns - SZ_4K, P(9), 2 * SZ_4K, R), CIEE_ERR_TEE_IPA);
	/* The TEE's own page in its window, then its VM's page right after it. */
	assert_int_equal(ciee_s2_map(TEE0, win + 0x20000, P(3), 2 * SZ_4K, R), CIEE_ERR_TEE_IPA);
	assert_int_equal(s2_pa(TEE0, win + 0x10000, NULL), 0);
	assert_int_equal(s2_pa(TEE0, ns - SZ_4K, NULL), 0);
	assert_int_equal(s2_pa(TEE0, ns, NULL), 0);
	assert_int_equal(s2_pa(TEE0, win + 0x20000, NULL), 0);
	assert_int_equal(maps(P(3)), 1);
	assert_int_equal(maps(P(4)), 0);
	assert_int_equal(maps(P(8)), 1);
	assert_int_equal(maps(P(9)), 1);
	assert_int_equal(maps(P(10)), 1);
	/* From VTZ_TEE_NS_RAM_BASE on, where the VM has it: fine. */
	map(TEE0, ns, P(10), SZ_4K, R | W);
	assert_int_equal(maps(P(10)), 2);
	/* No refused call flushed anything (only the donation to the TEE did). */
	assert_int_equal(fake_tlbi_count("vmalls12e1is"), 0);
}

/* A page inside a block mapping: RECLAIM refuses (a block is unmapped whole). */
static void test_reclaim_in_block(void **state)
{
	const uint64_t sz_2m = 0x200000UL, ipa = IPA_VM + sz_2m;
	uint64_t d;

	(void)state;
	assert_int_equal(P(0) % sz_2m, 0);
	donate(VM0, P(0), sz_2m);
	map(VM0, ipa, P(0), sz_2m, R | W);
	assert_int_equal(s2_pa(VM0, ipa + 5 * SZ_4K, &d), P(5));
	assert_false(d & PTE_TYPE_TABLE); /* a block, not a page */
	/* Every page of the block counted once. */
	assert_int_equal(maps(P(0)), 1);
	assert_int_equal(maps(P(511)), 1);
	assert_int_equal(maps(P(512)), 0);
	fill(P(5), 0x33);
	fake_arch_reset();
	assert_int_equal(ciee_reclaim(VM0, ipa + 5 * SZ_4K, SZ_4K), CIEE_ERR_MAP);
	assert_int_equal(ciee_reclaim(VM0, ipa, sz_2m), CIEE_ERR_MAP);
	/* Part of the block cannot be unmapped either. */
	assert_int_equal(ciee_s2_unmap(VM0, ipa + 5 * SZ_4K, SZ_4K), CIEE_ERR_MAP);
	assert_int_equal(s2_pa(VM0, ipa + 5 * SZ_4K, NULL), P(5));
	assert_int_equal(owner(P(5)), OWNER(OWN_VM, VM0));
	assert_int_equal(maps(P(5)), 1);
	assert_true(all_bytes(P(5), 0x33));
	assert_int_equal(fake_tlbi_count(NULL), 0);
	/* Unmapped whole, every page's count goes. */
	assert_int_equal(ciee_s2_unmap(VM0, ipa, sz_2m), CIEE_OK);
	assert_int_equal(maps(P(0)), 0);
	assert_int_equal(maps(P(5)), 0);
	assert_int_equal(maps(P(511)), 0);
	/* Mapped again as a page, it can be reclaimed. */
	map(VM0, ipa + 5 * SZ_4K, P(5), SZ_4K, R | W);
	assert_int_equal(ciee_reclaim(VM0, ipa + 5 * SZ_4K, SZ_4K), CIEE_OK);
	assert_int_equal(owner(P(5)), OWNER(OWN_HYP, 0));
	assert_int_equal(owner(P(4)), OWNER(OWN_VM, VM0));
}

/*
 * RECLAIM's order, observed: each TEE page is made read-only in fake RAM,
 * so the scrub's first write to it faults; the handler records what had
 * happened by then (TLB invalidations, the TEE's and the hypervisor's
 * mappings of it) and lets the write go on.
 */
#define ORDER_PAGES 40 /* more than one batch of 32 */

static struct {
	bool seen, in_tee, in_hyp;
	unsigned int tlbi;
} scrub_seen[ORDER_PAGES];
static uint8_t *order_base;
static struct sigaction order_old;

static void on_scrub_write(int sig, siginfo_t *si, void *uc)
{
	uintptr_t a = (uintptr_t)si->si_addr, b = (uintptr_t)order_base;
	struct pt s2 = smm_pt(&smm->vms[TEE0].s2), s1 = smm_pt(&smm->hyp_s1);
	uint64_t pa, d;
	size_t i;

	(void)uc;
	if (a < b || (a - b) / SZ_4K >= ORDER_PAGES) {
		/* Not ours: let the fault happen again under the old handler. */
		sigaction(sig, &order_old, NULL);
		return;
	}
	i = (a - b) / SZ_4K;
	/* Plain memory reads only: nothing here takes a lock or allocates. */
	scrub_seen[i].seen = true;
	scrub_seen[i].tlbi = fake_tlbi_count(NULL);
	scrub_seen[i].in_tee = !pt_lookup(&s2, IPA_TEE + i * SZ_4K, &pa, &d);
	scrub_seen[i].in_hyp = !pt_lookup(&s1, P(i), &pa, &d);
	mprotect(order_base + i * SZ_4K, SZ_4K, PROT_READ | PROT_WRITE);
}

static void test_reclaim_order_batches(void **state)
{
	struct sigaction sa;
	bool observe = sysconf(_SC_PAGESIZE) == (long)SZ_4K;
	unsigned int i;

	(void)state;
	donate(TEE0, P(0), ORDER_PAGES * SZ_4K);
	map(TEE0, IPA_TEE, P(0), ORDER_PAGES * SZ_4K, R | W);
	for (i = 0; i < ORDER_PAGES; i++)
		fill(P(i), (uint8_t)(0x80 + i));
	fake_arch_reset();
	memset(scrub_seen, 0, sizeof(scrub_seen));
	order_base = phys_to_virt(P(0));
	if (observe) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_scrub_write;
		sa.sa_flags = SA_SIGINFO;
		sigemptyset(&sa.sa_mask);
		assert_int_equal(sigaction(SIGSEGV, &sa, &order_old), 0);
		assert_int_equal(mprotect(order_base, ORDER_PAGES * SZ_4K, PROT_READ), 0);
	}
	assert_int_equal(ciee_reclaim(TEE0, IPA_TEE, ORDER_PAGES * SZ_4K), CIEE_OK);
	if (observe) {
		assert_int_equal(mprotect(order_base, ORDER_PAGES * SZ_4K, PROT_READ | PROT_WRITE),
				 0);
		assert_int_equal(sigaction(SIGSEGV, &order_old, NULL), 0);
		for (i = 0; i < ORDER_PAGES; i++) {
			assert_true(scrub_seen[i].seen);
			/* Out of the TEE's stage 2 and its TLBs before the scrub ... */
			assert_false(scrub_seen[i].in_tee);
			/* ... and exactly its own batch's flush done: 32 pages a round. */
			assert_int_equal(scrub_seen[i].tlbi, i / 32 + 1);
			/* The hypervisor gets it back only once it is zero. */
			assert_false(scrub_seen[i].in_hyp);
		}
	}
	for (i = 0; i < ORDER_PAGES; i++) {
		assert_true(all_bytes(P(i), 0));
		assert_int_equal(owner(P(i)), OWNER(OWN_HYP, 0));
		assert_int_equal(maps(P(i)), 0);
		assert_int_equal(s2_pa(TEE0, IPA_TEE + i * SZ_4K, NULL), 0);
		assert_s1_rw_xn(P(i));
	}
	/* One flush per batch of 32, all the TEE's. */
	assert_int_equal(fake_tlbi_count(NULL), 2);
	assert_s2_flush(0, TEE0);
	assert_s2_flush(1, TEE0);
}

/* A VM's pages over two batches: each batch flushes the VM and its TEE. */
static void test_reclaim_vm_batches(void **state)
{
	unsigned int i;

	(void)state;
	donate(VM0, P(0), 33 * SZ_4K);
	map(VM0, IPA_VM, P(0), 33 * SZ_4K, R | W);
	map(TEE0, IPA_VM + 32 * SZ_4K, P(32), SZ_4K, R | W);
	fill(P(32), 0x21);
	fake_arch_reset();
	assert_int_equal(ciee_reclaim(VM0, IPA_VM, 33 * SZ_4K), CIEE_OK);
	for (i = 0; i < 33; i++) {
		assert_int_equal(owner(P(i)), OWNER(OWN_HYP, 0));
		assert_int_equal(maps(P(i)), 0);
		assert_int_equal(s2_pa(VM0, IPA_VM + i * SZ_4K, NULL), 0);
	}
	assert_int_equal(s2_pa(TEE0, IPA_VM + 32 * SZ_4K, NULL), 0);
	assert_true(all_bytes(P(32), 0x21));
	assert_int_equal(fake_tlbi_count(NULL), 4);
	assert_s2_flush(0, VM0);
	assert_s2_flush(1, TEE0);
	assert_s2_flush(2, VM0);
	assert_s2_flush(3, TEE0);

	/* Exactly one batch: one round of flushes. */
	donate(VM0, P(64), 32 * SZ_4K);
	map(VM0, IPA_VM, P(64), 32 * SZ_4K, R | W);
	fake_arch_reset();
	assert_int_equal(ciee_reclaim(VM0, IPA_VM, 32 * SZ_4K), CIEE_OK);
	assert_int_equal(fake_tlbi_count(NULL), 2);
}

/* ------------------------------------------------------------ HYP_MAP */

static void test_hyp_map_device(void **state)
{
	uint64_t d;

	(void)state;
	assert_int_equal(ciee_hyp_map(DEV_FREE, SZ_4K, R | W | DEV), CIEE_OK);
	assert_true(s1_get(DEV_FREE, &d));
	assert_true(d & PTE_XN);
	assert_false(d & PTE_S1_AP_RO);
	assert_int_equal(d & PTE_S1_ATTRIDX(7), PTE_S1_ATTRIDX(MAIR_IDX_DEVICE));
	/* Read-only, and device memory whether or not the flag says so. */
	assert_int_equal(ciee_hyp_map(PLAT_GPIO_BASE, SZ_4K, R), CIEE_OK);
	assert_true(s1_get(PLAT_GPIO_BASE, &d));
	assert_true(d & PTE_S1_AP_RO);
	assert_int_equal(d & PTE_S1_ATTRIDX(7), PTE_S1_ATTRIDX(MAIR_IDX_DEVICE));
	/* Only gains: nothing to invalidate. */
	assert_int_equal(fake_tlbi_count(NULL), 0);
}

static void test_hyp_map_ram(void **state)
{
	(void)state;
	donate(TEE0, P(0), SZ_4K);
	donate(VM0, P(1), SZ_4K);
	assert_int_equal(ciee_hyp_map(P(0), SZ_4K, R | W | DEV), CIEE_ERR_TEE_PAGE);
	assert_int_equal(ciee_hyp_map(P(0), SZ_4K, R), CIEE_ERR_TEE_PAGE);
	assert_false(s1_get(P(0), NULL));
	assert_int_equal(ciee_hyp_map(PLAT_CIEE_DATA_BASE, SZ_4K, R), CIEE_ERR_CIEE_PAGE);
	assert_int_equal(ciee_hyp_map(PLAT_CIEE_BASE + CIEE_TEXT, SZ_4K, R), CIEE_ERR_CIEE_PAGE);
	assert_false(s1_get(PLAT_CIEE_DATA_BASE, NULL));
	/* Pages it may see are already mapped, once: no aliases, no device alias. */
	assert_int_equal(ciee_hyp_map(P(2), SZ_4K, R | W | DEV), CIEE_ERR_MAP);
	assert_int_equal(ciee_hyp_map(P(1), SZ_4K, R | W), CIEE_ERR_MAP);
	assert_int_equal(ciee_hyp_map(HYP_DATA, SZ_4K, R | W), CIEE_ERR_MAP);
	assert_int_equal(ciee_hyp_map(PLAT_HYP_BASE, SZ_4K, R), CIEE_ERR_MAP);
	/* Overlapping RAM from outside. */
	assert_int_equal(ciee_hyp_map(PLAT_NS_RAM_BASE - SZ_4K, 2 * SZ_4K, R | W | DEV),
			 CIEE_ERR_RANGE);
	assert_int_equal(ciee_hyp_map(RAM_END - SZ_4K, 2 * SZ_4K, R | W | DEV), CIEE_ERR_RANGE);
	assert_false(s1_get(PLAT_NS_RAM_BASE - SZ_4K, NULL));
	assert_false(s1_get(RAM_END, NULL));
}

static void test_hyp_map_perm(void **state)
{
	(void)state;
	assert_int_equal(ciee_hyp_map(DEV_FREE, SZ_4K, R | X | DEV), CIEE_ERR_PERM);
	assert_int_equal(ciee_hyp_map(DEV_FREE, SZ_4K, R | X), CIEE_ERR_PERM);
	assert_int_equal(ciee_hyp_map(DEV_FREE, SZ_4K, W | DEV), CIEE_ERR_PERM);
	assert_int_equal(ciee_hyp_map(DEV_FREE, SZ_4K, DEV), CIEE_ERR_PERM);
	assert_int_equal(ciee_hyp_map(DEV_FREE, SZ_4K, 0), CIEE_ERR_PERM);
	assert_int_equal(ciee_hyp_map(DEV_FREE, SZ_4K, R | 0x10), CIEE_ERR_PERM);
	/* Checked before ownership: a TEE page with X is a PERM refusal. */
	donate(TEE0, P(0), SZ_4K);
	assert_int_equal(ciee_hyp_map(P(0), SZ_4K, R | X), CIEE_ERR_PERM);
	assert_false(s1_get(DEV_FREE, NULL));
}

static void test_hyp_map_args(void **state)
{
	(void)state;
	assert_int_equal(ciee_hyp_map(DEV_FREE + 0x10, SZ_4K, R), CIEE_ERR_ALIGN);
	assert_int_equal(ciee_hyp_map(DEV_FREE, 0, R), CIEE_ERR_ALIGN);
	assert_int_equal(ciee_hyp_map(DEV_FREE, 0x800, R), CIEE_ERR_ALIGN);
	assert_int_equal(ciee_hyp_map(1UL << PT_S2_VA_BITS, SZ_4K, R), CIEE_ERR_RANGE);
	assert_int_equal(ciee_hyp_map((1UL << PT_S2_VA_BITS) - SZ_4K, 2 * SZ_4K, R),
			 CIEE_ERR_RANGE);
	assert_int_equal(ciee_hyp_map(0xfffffffffffff000UL, 2 * SZ_4K, R), CIEE_ERR_RANGE);
	/* Already mapped at boot: the table builder refuses to replace it. */
	assert_int_equal(ciee_hyp_map(PLAT_UART0_BASE, SZ_4K, R | W | DEV), CIEE_ERR_MAP);
	/* The last page below the 39-bit limit passes the range check, and is no device. */
	assert_int_equal(ciee_hyp_map((1UL << PT_S2_VA_BITS) - SZ_4K, SZ_4K, R),
			 CIEE_ERR_NOT_DEVICE);
}

/*
 * DMA: no device that can master the bus enters the hypervisor's stage 1,
 * whatever page of it is asked for, alone or with an allowed neighbour.
 */
static void test_hyp_map_dma_device(void **state)
{
	static const uint64_t dma[][2] = {
		{PLAT_GIC_ITS_BASE, SZ_4K},
		{PLAT_GIC_ITS_BASE + PLAT_GIC_ITS_SIZE - SZ_4K, SZ_4K},
		{PLAT_FW_CFG_BASE, SZ_4K},
		{PLAT_SMMU_BASE, SZ_4K},
		{PLAT_SMMU_BASE + PLAT_SMMU_SIZE - SZ_4K, SZ_4K},
		{PLAT_VIRTIO_BASE, SZ_4K},
		{PLAT_VIRTIO_BASE + PLAT_VIRTIO_SIZE - SZ_4K, SZ_4K},
		{PLAT_PLATFORM_BUS_BASE, PLAT_PLATFORM_BUS_SIZE},
		{PLAT_PCIE_MMIO_BASE, SZ_4K},
		{PLAT_PCIE_MMIO_BASE + PLAT_PCIE_MMIO_SIZE - SZ_4K, SZ_4K},
		{PLAT_PCIE_PIO_BASE, PLAT_PCIE_PIO_SIZE},
		{PLAT_PCIE_ECAM_BASE, PLAT_PCIE_ECAM_SIZE},
		{PLAT_PCIE_HIGH_ECAM_BASE, SZ_4K},
		{PLAT_PCIE_HIGH_ECAM_BASE + PLAT_PCIE_HIGH_ECAM_SIZE - SZ_4K, SZ_4K},
		/* An allowed device with a bus master beside it. */
		{PLAT_RTC_BASE, 0x20000},            /* RTC .. fw_cfg */
		{PLAT_GICD_BASE, 0x90000},           /* GICD .. ITS */
		{PLAT_GIC_ITS_BASE - SZ_4K, 2 * SZ_4K}, /* a hole, then the ITS */
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(dma) / sizeof(dma[0]); i++) {
		assert_int_equal(ciee_hyp_map(dma[i][0], dma[i][1], R | W | DEV),
				 CIEE_ERR_DMA_DEVICE);
		assert_int_equal(ciee_hyp_map(dma[i][0], dma[i][1], R), CIEE_ERR_DMA_DEVICE);
		assert_false(s1_get(dma[i][0] + dma[i][1] - SZ_4K, NULL));
	}
	assert_false(s1_get(PLAT_RTC_BASE, NULL));
	/*
	 * The redistributors' LPI registers, writable: refused, whole or in
	 * part (the hypervisor has them read-only from boot, and keeps that).
	 */
	assert_int_equal(ciee_hyp_map(PLAT_GICR_BASE, SZ_4K, R | W | DEV), CIEE_ERR_DMA_DEVICE);
	assert_int_equal(ciee_hyp_map(PLAT_GICR_BASE + PLAT_GICR_SIZE - PLAT_GICR_FRAME,
				      SZ_4K, R | W), CIEE_ERR_DMA_DEVICE);
	assert_int_equal(ciee_hyp_map(PLAT_GICR_BASE + PLAT_GICR_FRAME - SZ_4K, 2 * SZ_4K,
				      R | W), CIEE_ERR_DMA_DEVICE);
	assert_int_equal(ciee_hyp_map(PLAT_GICR_BASE, PLAT_GICR_SIZE, R | W), CIEE_ERR_DMA_DEVICE);
	/* Read-only they pass the check, and are there already: no alias. */
	assert_int_equal(ciee_hyp_map(PLAT_GICR_BASE, SZ_4K, R), CIEE_ERR_MAP);
	assert_int_equal(ciee_device_check(PLAT_GICR_BASE, PLAT_GICR_SIZE, false), CIEE_OK);
	assert_int_equal(ciee_device_check(PLAT_GICR_BASE + PLAT_GICR_RD_SIZE,
					   PLAT_GICR_FRAME - PLAT_GICR_RD_SIZE, true), CIEE_OK);
	assert_int_equal(fake_tlbi_count(NULL), 0);
}

/* Outside RAM and not inside one allowed device: refused, with its own code. */
static void test_hyp_map_not_device(void **state)
{
	static const uint64_t other[][2] = {
		{0, SZ_4K},                               /* flash0 */
		{PLAT_UART1_BASE, SZ_4K},                 /* secure-only */
		{PLAT_SECURE_GPIO, SZ_4K},                /* secure-only */
		{PLAT_SECURE_RAM_BASE, SZ_4K},            /* secure-only */
		{PLAT_RTC_BASE, 2 * SZ_4K},               /* past the RTC's page */
		{PLAT_GICD_BASE + PLAT_GICD_SIZE - SZ_4K, 2 * SZ_4K}, /* past GICD */
		{PLAT_UART0_BASE + SZ_4K, SZ_4K},         /* the hole after UART0 */
		{RAM_WINDOW_END, SZ_4K},                  /* above RAM's window */
		{PLAT_PCIE_HIGH_ECAM_BASE - SZ_4K, SZ_4K},
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		assert_int_equal(ciee_hyp_map(other[i][0], other[i][1], R | W | DEV),
				 CIEE_ERR_NOT_DEVICE);
		assert_false(s1_get(other[i][0] + other[i][1] - SZ_4K, NULL));
	}
	assert_false(s1_get(PLAT_UART1_BASE, NULL));
	assert_false(s1_get(RAM_END, NULL));
	assert_false(s1_get(PLAT_GICD_BASE + PLAT_GICD_SIZE, NULL));
	assert_int_equal(fake_tlbi_count(NULL), 0);
}

/* Every allowed device maps (the boot ones are there already: no alias). */
static void test_hyp_map_allowed_devices(void **state)
{
	unsigned int i;

	(void)state;
	for (i = 0; i < ciee_n_devices; i++) {
		long want = ciee_devices[i].at_boot ? CIEE_ERR_MAP : CIEE_OK;
		/* The redistributors only read-only as a whole (their LPI registers). */
		uint64_t flags = ciee_devices[i].rd_frames ? R | DEV : R | W | DEV;

		assert_int_equal(ciee_device_check(ciee_devices[i].base, ciee_devices[i].size,
						   flags & W),
				 CIEE_OK);
		assert_int_equal(ciee_hyp_map(ciee_devices[i].base, ciee_devices[i].size, flags),
				 want);
		assert_true(s1_get(ciee_devices[i].base + ciee_devices[i].size - SZ_4K, NULL));
	}
	/* A page inside a device is fine too: the last redistributor frame's page. */
	assert_int_equal(ciee_device_check(PLAT_GICR_BASE + PLAT_GICR_SIZE - SZ_4K, SZ_4K, true),
			 CIEE_OK);
}

/* ------------------------------------------------------------ dispatch */

static void test_smm_is_call(void **state)
{
	uint64_t c;

	(void)state;
	for (c = 0; c <= CIEE_CALL_MAX + 4; c++) {
		bool want = c == CIEE_CALL_VM_CREATE || c == CIEE_CALL_S2_MAP ||
			    c == CIEE_CALL_S2_UNMAP || c == CIEE_CALL_DONATE ||
			    c == CIEE_CALL_RECLAIM || c == CIEE_CALL_HYP_MAP;

		assert_int_equal(smm_is_call(c), want);
		if (!want)
			assert_int_equal(smm_dispatch(c, VM0, 0, 0, 0, 0), CIEE_ERR_BAD_CALL);
	}
	assert_false(smm_is_call(UINT64_MAX));
	assert_false(smm_is_call(VTZ_SMC_SMM_BASE | CIEE_CALL_S2_MAP));
	assert_int_equal(smm_dispatch(UINT64_MAX, 0, 0, 0, 0, 0), CIEE_ERR_BAD_CALL);
}

/* Each call reaches its handler with its arguments in order. */
static void test_smm_dispatch(void **state)
{
	(void)state;
	assert_int_equal(smm_dispatch(CIEE_CALL_VM_CREATE, VM0, CIEE_VM_KIND_GUEST, 0, 'a', 'b'),
			 CIEE_ERR_BAD_IDENTITY); /* x5 past the NUL in x4: the identity goes in */
	assert_int_equal(smm_dispatch(CIEE_CALL_VM_CREATE, VM0, CIEE_VM_KIND_GUEST, 0,
				      name_lo("abcdefgh"), 'i'),
			 CIEE_OK);
	assert_int_equal(smm->vms[VM0].identity[1], 'i');
	assert_int_equal(smm_dispatch(CIEE_CALL_VM_CREATE, TEE0, CIEE_VM_KIND_TEE, VM0, 0, 0),
			 CIEE_OK);
	assert_int_equal(ciee_vm_get(TEE0)->partner, VM0);
	assert_int_equal(smm_dispatch(CIEE_CALL_DONATE, VM0, P(0), SZ_4K, 0, 0), CIEE_OK);
	assert_int_equal(owner(P(0)), OWNER(OWN_VM, VM0));
	assert_int_equal(smm_dispatch(CIEE_CALL_S2_MAP, VM0, IPA_VM, P(0), SZ_4K, R), CIEE_OK);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), P(0));
	assert_int_equal(smm_dispatch(CIEE_CALL_S2_MAP, VM0, IPA_VM + SZ_4K, P(0), SZ_4K, W),
			 CIEE_ERR_PERM);
	assert_int_equal(smm_dispatch(CIEE_CALL_S2_UNMAP, VM0, IPA_VM, SZ_4K, 0, 0), CIEE_OK);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), 0);
	map(VM0, IPA_VM, P(0), SZ_4K, R);
	assert_int_equal(smm_dispatch(CIEE_CALL_RECLAIM, VM0, IPA_VM, SZ_4K, 0, 0), CIEE_OK);
	assert_int_equal(owner(P(0)), OWNER(OWN_HYP, 0));
	assert_int_equal(smm_dispatch(CIEE_CALL_HYP_MAP, DEV_FREE, SZ_4K, R | DEV, 0, 0), CIEE_OK);
	assert_true(s1_get(DEV_FREE, NULL));
}

static void test_own_err(void **state)
{
	(void)state;
	assert_int_equal(ciee_own_err(-OWN_ERR_RANGE), CIEE_ERR_RANGE);
	assert_int_equal(ciee_own_err(-OWN_ERR_ALIGN), CIEE_ERR_ALIGN);
	assert_int_equal(ciee_own_err(-OWN_ERR_NOT_OWNER), CIEE_ERR_NOT_OWNER);
	assert_int_equal(ciee_own_err(-OWN_ERR_TEE_PAGE), CIEE_ERR_TEE_PAGE);
	assert_int_equal(ciee_own_err(-OWN_ERR_PT_PAGE), CIEE_ERR_PT_PAGE);
	assert_int_equal(ciee_own_err(-OWN_ERR_CIEE_PAGE), CIEE_ERR_CIEE_PAGE);
	assert_int_equal(ciee_own_err(-OWN_ERR_OTHER_VM), CIEE_ERR_OTHER_VM);
	assert_int_equal(ciee_own_err(-OWN_ERR_PERM), CIEE_ERR_PERM);
	assert_int_equal(ciee_own_err(-OWN_ERR_MAPPED), CIEE_ERR_ALIASED);
	assert_int_equal(ciee_own_err(-OWN_ERR_MAP_COUNT), CIEE_ERR_MAP_COUNT);
	/* Internal errors never read as success, nor as a misleading reason. */
	assert_int_equal(ciee_own_err(-OWN_ERR_BAD_OWNER), CIEE_ERR_NOT_OWNER);
	assert_int_equal(ciee_own_err(-OWN_ERR_TRANSITION), CIEE_ERR_NOT_OWNER);
	assert_int_equal(ciee_own_err(-OWN_ERR_STORAGE), CIEE_ERR_NOT_OWNER);
	assert_int_equal(ciee_own_err(-99), CIEE_ERR_NOT_OWNER);
}

/* ------------------------------------------------------------ VM identities (a key per VM) */

static void test_identity_refusals(void **state)
{
	static const char *const bad[] = { "", "Vm0", "vm 0", "vm.0", "vm/0", "\x7f",
					   "abcdefghijklmnop" /* 16: no room for its NUL */ };
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(ciee_vm_create(4, CIEE_VM_KIND_GUEST, 0, name_lo(bad[i]),
						name_hi(bad[i])),
				 CIEE_ERR_BAD_IDENTITY);
		assert_null(ciee_vm_get(4));
	}
	/* A byte after the NUL: one name, two spellings. */
	assert_int_equal(ciee_vm_create(4, CIEE_VM_KIND_GUEST, 0, 'a' | (1UL << 16), 0),
			 CIEE_ERR_BAD_IDENTITY);
	assert_int_equal(ciee_vm_create(4, CIEE_VM_KIND_GUEST, 0, 'a', 1UL << 56),
			 CIEE_ERR_BAD_IDENTITY);
	assert_int_equal(ciee_vm_create(4, CIEE_VM_KIND_GUEST, 0, name_lo("abcdefgh"),
					name_hi("abcdefgh") | (1UL << 8)),
			 CIEE_ERR_BAD_IDENTITY);
	/* A TEE takes its VM's: it gives none. */
	assert_int_equal(ciee_vm_create(4, CIEE_VM_KIND_GUEST, 0, IDENT(4), 0), CIEE_OK);
	assert_int_equal(ciee_vm_create(5, CIEE_VM_KIND_TEE, 4, IDENT(5), 0),
			 CIEE_ERR_BAD_IDENTITY);
	assert_int_equal(ciee_vm_create(5, CIEE_VM_KIND_TEE, 4, 0, 1), CIEE_ERR_BAD_IDENTITY);
	assert_null(ciee_vm_get(5));
	assert_int_equal(ciee_vm_create(5, CIEE_VM_KIND_TEE, 4, 0, 0), CIEE_OK);
	assert_int_equal(smm->vms[5].identity[0], 0);
}

static void test_identity_one_live_vm_each(void **state)
{
	const char *name = "tenant-a_15char";

	(void)state;
	assert_int_equal(strlen(name), 15);
	assert_int_equal(ciee_vm_create(4, CIEE_VM_KIND_GUEST, 0, name_lo(name), name_hi(name)),
			 CIEE_OK);
	assert_int_equal(smm->vms[4].identity[0], name_lo(name));
	assert_int_equal(smm->vms[4].identity[1], name_hi(name));
	/* While it lives, no second VM under its name, nor VM0's. */
	assert_int_equal(ciee_vm_create(6, CIEE_VM_KIND_GUEST, 0, name_lo(name), name_hi(name)),
			 CIEE_ERR_IDENTITY_IN_USE);
	assert_int_equal(ciee_vm_create(6, CIEE_VM_KIND_GUEST, 0, IDENT(VM0), 0),
			 CIEE_ERR_IDENTITY_IN_USE);
	assert_null(ciee_vm_get(6));
	/* Destroyed, its name is free again: a VM re-created under it. */
	assert_int_equal(ciee_vm_destroy(4), CIEE_OK);
	assert_int_equal(ciee_vm_create(6, CIEE_VM_KIND_GUEST, 0, name_lo(name), name_hi(name)),
			 CIEE_OK);
}

/* ------------------------------------------------------------ a 2 GiB machine */

static void test_two_gib(void **state)
{
	const uint64_t high = PLAT_HIGH_RAM_BASE, top = PLAT_NS_RAM_BASE + PLAT_NS_RAM_MAX;

	(void)state;
	fake_phys_reset();
	fake_arch_reset();
	write_headers(HYP_TEXT, CIEE_TEXT);
	/* Out of what the monitor may say: stopped. */
	assert_panics(ciee_mmu_build(PLAT_NS_RAM_SIZE - SZ_4K));
	assert_panics(ciee_mmu_build(PLAT_NS_RAM_MAX + SZ_4K));
	assert_panics(ciee_mmu_build(PLAT_NS_RAM_SIZE + 8));
	ciee_mmu_build(PLAT_NS_RAM_MAX);
	assert_int_equal(smm->own.npages, PLAT_NS_RAM_MAX / SZ_4K);
	/* The second GiB: free, in the hypervisor's view, and a VM's or TEE's on request. */
	assert_int_equal(owner(high), OWNER(OWN_FREE, 0));
	assert_int_equal(owner(top - SZ_4K), OWNER(OWN_FREE, 0));
	assert_s1_rw_xn(high);
	assert_s1_rw_xn(top - SZ_4K);
	assert_false(s1_get(top, NULL));
	create_pair(VM0, TEE0);
	assert_int_equal(ciee_donate(VM0, high, 2 * SZ_4K), CIEE_OK);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, high, 2 * SZ_4K, R | W), CIEE_OK);
	assert_int_equal(ciee_donate(TEE0, top - SZ_4K, SZ_4K), CIEE_OK);
	assert_false(s1_get(top - SZ_4K, NULL));
	assert_int_equal(ciee_s2_map(TEE0, IPA_TEE, top - SZ_4K, SZ_4K, R | W), CIEE_OK);
	/* Nothing beyond what the machine has. */
	assert_int_equal(ciee_donate(VM0, top, SZ_4K), CIEE_ERR_RANGE);
	assert_int_equal(ciee_donate(VM0, top - SZ_4K, 2 * SZ_4K), CIEE_ERR_RANGE);
	/* Destroyed: both back, zeroed, the TEE's back in the hypervisor's view. */
	fill(high, 0x33);
	assert_int_equal(ciee_vm_destroy(VM0), CIEE_OK);
	assert_int_equal(owner(high), OWNER(OWN_HYP, 0));
	assert_true(all_bytes(high, 0));
	assert_int_equal(owner(top - SZ_4K), OWNER(OWN_HYP, 0));
	assert_s1_rw_xn(top - SZ_4K);
}

/* On a 1 GiB machine the second GiB is no one's: not even the hypervisor's to give. */
static void test_one_gib_has_no_second(void **state)
{
	(void)state;
	assert_int_equal(smm->own.npages, PLAT_NS_RAM_SIZE / SZ_4K);
	assert_false(s1_get(PLAT_HIGH_RAM_BASE, NULL));
	assert_int_equal(ciee_donate(VM0, PLAT_HIGH_RAM_BASE, SZ_4K), CIEE_ERR_RANGE);
	assert_int_equal(ciee_s2_map(VM0, IPA_VM, PLAT_HIGH_RAM_BASE, SZ_4K, R), CIEE_ERR_RANGE);
}

/* ------------------------------------------------------------ VM_DESTROY (ciee/lifecycle.c) */

/* The CIEE's world-switch state, which lifecycle.c wipes (tee.c defines it in the image). */
struct ciee_tee ciee_tees[CIEE_MAX_VMS];
struct ciee_vcpu ciee_vcpus[CIEE_MAX_VMS][CIEE_MAX_VCPUS];

/* A pair with memory: VM pages P(0..3) at IPA_VM, TEE pages P(8..11) at IPA_TEE. */
static void pair_with_memory(unsigned int vm, unsigned int tee, unsigned int first)
{
	donate(vm, P(first), 4 * SZ_4K);
	map(vm, IPA_VM, P(first), 4 * SZ_4K, R | W | X);
	map(tee, IPA_VM, P(first), 4 * SZ_4K, R | W);
	donate(tee, P(first + 8), 4 * SZ_4K);
	map(tee, IPA_TEE, P(first + 8), 4 * SZ_4K, R | W | X);
	map(vm, IPA_UART, PLAT_UART0_BASE, SZ_4K, R | W | DEV);
	fill(P(first + 1), 0x5a);
	fill(P(first + 9), 0xa5);
}

static void test_destroy_pair(void **state)
{
	uint64_t tables_before, tables_pair;
	unsigned int i;

	(void)state;
	tables_before = ciee_tables_used();
	pair_with_memory(VM0, TEE0, 0);
	pair_with_memory(VM1, TEE1, 16);
	/* A donated page it never mapped goes back too. */
	donate(TEE0, P(12), SZ_4K);
	fill(P(12), 0x77);
	tables_pair = ciee_tables_used();
	ciee_tees[TEE0].vcpu[0].ctx.x[5] = 0x5ec7e7;
	ciee_tees[TEE0].booted = true;
	ciee_vcpus[VM0][1].reply[0] = 42;
	fake_arch_reset();

	assert_int_equal(ciee_vm_destroy(VM0), CIEE_OK);
	/* Both ids are free, the other pair untouched. */
	assert_null(ciee_vm_get(VM0));
	assert_null(ciee_vm_get(TEE0));
	assert_non_null(ciee_vm_get(VM1));
	assert_int_equal(s2_pa(VM1, IPA_VM + SZ_4K, NULL), P(17));
	assert_int_equal(s2_pa(TEE1, IPA_TEE + SZ_4K, NULL), P(25));
	assert_true(all_bytes(P(17), 0x5a));
	assert_true(all_bytes(P(25), 0xa5));
	/* Every page back to the hypervisor, zeroed, in no stage 2; the TEE's back in its view. */
	for (i = 0; i < 13; i++) {
		if (i >= 4 && i < 8)
			continue;
		assert_int_equal(owner(P(i)), OWNER(OWN_HYP, 0));
		assert_int_equal(maps(P(i)), 0);
		assert_true(all_bytes(P(i), 0));
		assert_s1_rw_xn(P(i));
	}
	/* The TEE's secrets in CIEE memory are gone with it. */
	assert_int_equal(ciee_tees[TEE0].vcpu[0].ctx.x[5], 0);
	assert_false(ciee_tees[TEE0].booted);
	assert_int_equal(ciee_vcpus[VM0][1].reply[0], 0);
	/* Its tables are back in the pool: as many in use as before it existed... */
	assert_true(ciee_tables_used() < tables_pair);
	/* ...and both VMIDs left every TLB, the hypervisor's view was flushed too. */
	assert_true(fake_tlbi_count("vmalls12e1is") >= 2);
	assert_true(fake_tlbi_count("alle2is") >= 1);
	assert_string_not_equal(last_line, "");

	/* The ids are reused: a new pair finds nothing of the old one. */
	create_pair(VM0, TEE0);
	assert_int_equal(s2_pa(VM0, IPA_VM, NULL), 0);
	assert_int_equal(s2_pa(TEE0, IPA_TEE, NULL), 0);
	assert_false(smm->vms[TEE0].measured);
	pair_with_memory(VM0, TEE0, 0);
	assert_int_equal(ciee_vm_destroy(VM0), CIEE_OK);
	assert_int_equal(ciee_vm_destroy(VM1), CIEE_OK);
	/* Every table of both pairs is back: the four roots boot_pairs made included. */
	assert_int_equal(ciee_tables_used(), tables_before - 4);
}

static void test_destroy_without_tee(void **state)
{
	(void)state;
	create_guest(4);
	donate(4, P(0), 2 * SZ_4K);
	map(4, IPA_VM, P(0), SZ_4K, R | W);
	fill(P(1), 0x11);
	assert_int_equal(ciee_vm_destroy(4), CIEE_OK);
	assert_null(ciee_vm_get(4));
	assert_int_equal(owner(P(0)), OWNER(OWN_HYP, 0));
	assert_int_equal(owner(P(1)), OWNER(OWN_HYP, 0));
	assert_true(all_bytes(P(1), 0));
	create_guest(4);
}

static void test_destroy_refusals(void **state)
{
	(void)state;
	assert_int_equal(ciee_vm_destroy(CIEE_MAX_VMS), CIEE_ERR_BAD_VM);
	assert_int_equal(ciee_vm_destroy(5), CIEE_ERR_BAD_VM);
	/* A TEE goes with its VM, never alone. */
	assert_int_equal(ciee_vm_destroy(TEE0), CIEE_ERR_BAD_KIND);
	assert_non_null(ciee_vm_get(TEE0));
	{
		struct smm_destroyed d;

		assert_int_equal(smm_pair_destroy(CIEE_MAX_VMS, NULL, &d), CIEE_ERR_BAD_VM);
		assert_int_equal(smm_pair_destroy(TEE1, NULL, &d), CIEE_ERR_BAD_KIND);
	}
	assert_non_null(ciee_vm_get(VM0));
	assert_non_null(ciee_vm_get(TEE1));
	/* Destroyed once: a second destroy of it (another CPU's, late) touches nothing. */
	assert_int_equal(ciee_vm_destroy(VM1), CIEE_OK);
	create_guest(VM1);
	ciee_tees[TEE1].booted = true; /* as if a new TEE were there */
	assert_int_equal(ciee_vm_destroy(TEE1), CIEE_ERR_BAD_VM);
	assert_true(ciee_tees[TEE1].booted);
}

/* A CPU inside the pair: VM_DESTROY waits; nothing new may enter meanwhile. */
static void test_destroy_busy(void **state)
{
	long use;

	(void)state;
	pair_with_memory(VM0, TEE0, 0);
	use = ciee_pair_enter(TEE0); /* a TEE call in flight */
	assert_int_equal(use, VM0);
	assert_int_equal(ciee_vm_destroy(VM0), CIEE_ERR_VM_BUSY);
	/* Dying: no new run or call, no map, no donation, no new TEE for it. */
	assert_int_equal(ciee_pair_enter(VM0), CIEE_ERR_VM_DYING);
	assert_int_equal(ciee_pair_enter(TEE0), CIEE_ERR_VM_DYING);
	assert_null(ciee_vm_get(VM0));
	assert_int_equal(ciee_s2_map(VM0, IPA_VM + 0x10000, P(0), SZ_4K, R), CIEE_ERR_BAD_VM);
	assert_int_equal(ciee_donate(TEE0, P(13), SZ_4K), CIEE_ERR_BAD_VM);
	assert_int_equal(ciee_reclaim(VM0, IPA_VM, SZ_4K), CIEE_ERR_BAD_VM);
	assert_int_equal(ciee_vm_create(VM0, CIEE_VM_KIND_GUEST, 0, IDENT(VM0), 0), CIEE_ERR_VM_EXISTS);
	/* Its pages are still its own while the call runs. */
	assert_int_equal(owner(P(9)), OWNER(OWN_TEE, TEE0));
	assert_true(all_bytes(P(9), 0xa5));
	ciee_pair_exit(use);
	assert_int_equal(ciee_vm_destroy(VM0), CIEE_OK);
	assert_true(all_bytes(P(9), 0));
	/* The other pair's uses do not count against this one. */
	use = ciee_pair_enter(VM1);
	assert_int_equal(use, VM1);
	create_pair(VM0, TEE0);
	assert_int_equal(ciee_vm_destroy(VM0), CIEE_OK);
	ciee_pair_exit(use);
}

static void test_pair_enter_refusals(void **state)
{
	(void)state;
	assert_int_equal(ciee_pair_enter(CIEE_MAX_VMS), CIEE_ERR_BAD_VM);
	assert_int_equal(ciee_pair_enter(5), CIEE_ERR_BAD_VM);
	assert_int_equal(ciee_pair_enter(VM0), VM0);
	ciee_pair_exit(VM0);
	assert_int_equal(ciee_pair_enter(TEE1), VM1);
	ciee_pair_exit(VM1);
	assert_int_equal(smm->pair_users[VM0], 0);
	assert_int_equal(smm->pair_users[VM1], 0);
}

#define T(fn) cmocka_unit_test_setup(fn, boot)
#define TP(fn) cmocka_unit_test_setup(fn, boot_pairs)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_boot_ownership),
		T(test_boot_hyp_stage1),
		T(test_boot_bad_headers),
		T(test_boot_real_images),
		T(test_mmu_setup),
		T(test_boot_devices),
		TP(test_identity_refusals),
		TP(test_identity_one_live_vm_each),
		T(test_two_gib),
		TP(test_one_gib_has_no_second),
		TP(test_destroy_pair),
		T(test_destroy_without_tee),
		TP(test_destroy_refusals),
		TP(test_destroy_busy),
		TP(test_pair_enter_refusals),
		T(test_vm_create_ok),
		T(test_vm_create_bad_vm),
		T(test_vm_create_exists),
		T(test_vm_create_bad_kind),
		T(test_vm_create_tee_bad_partner),
		T(test_vm_create_nomem),
		TP(test_s2_map_ok),
		TP(test_s2_map_bad_vm),
		TP(test_s2_map_align),
		TP(test_s2_map_range),
		TP(test_s2_map_perm),
		TP(test_s2_map_not_owner),
		TP(test_s2_map_tee_page),
		TP(test_s2_map_other_vm),
		TP(test_s2_map_ciee_page),
		TP(test_s2_map_pt_page),
		TP(test_s2_map_ipa_mismatch),
		TP(test_s2_map_tee_vm_page_not_exec),
		TP(test_s2_map_device),
		TP(test_s2_map_dma_device),
		TP(test_s2_map_exists),
		TP(test_s2_unmap_ok),
		TP(test_s2_unmap_not_mapped),
		TP(test_s2_unmap_args),
		TP(test_donate_vm_ok),
		TP(test_donate_tee_ok),
		TP(test_donate_not_owner),
		TP(test_donate_args),
		TP(test_reclaim_vm_page),
		TP(test_reclaim_tee_page),
		TP(test_reclaim_vm_page_shared_with_tee),
		TP(test_reclaim_tee_alias_ipa),
		TP(test_reclaim_not_mapped),
		TP(test_reclaim_not_owner),
		TP(test_reclaim_all_or_nothing),
		TP(test_reclaim_args),
		TP(test_map_counts),
		TP(test_s2_map_count_overflow),
		TP(test_donate_mapped),
		TP(test_reclaim_alias_vm),
		TP(test_reclaim_alias_tee),
		TP(test_s2_map_tee_ipa),
		TP(test_s2_map_tee_frozen_after_measure),
		TP(test_s2_map_tee_device_ipa),
		TP(test_s2_map_tee_gic),
		TP(test_reclaim_in_block),
		TP(test_reclaim_order_batches),
		TP(test_reclaim_vm_batches),
		TP(test_hyp_map_device),
		TP(test_hyp_map_ram),
		TP(test_hyp_map_perm),
		TP(test_hyp_map_args),
		TP(test_hyp_map_dma_device),
		TP(test_hyp_map_not_device),
		TP(test_hyp_map_allowed_devices),
		T(test_smm_is_call),
		T(test_smm_dispatch),
		T(test_own_err),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
