/* SPDX-License-Identifier: MIT */
/*
 * Attacks on a VM's end (VM_DESTROY, issue 11): the hypervisor destroys a
 * VM while its TEE is stopped in the middle of an entry and then resumes
 * it or reuses its memory and ids; stages a TLB entry for a VM id and
 * looks through it after the id was reused; creates a VM over a live
 * TEE's pages. Each verdict comes from what was observed.
 */
#include <string.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <vtz/ciee_abi.h>
#include <vtz/platform.h>

#include "../hyp.h"
#include "attack.h"

#define SECRET 0x5ec2e7deadbeef00UL
#define PAGE 0x1000UL
#define OTHER_IPA 0x50000000UL /* outside a bare VM's RAM window */

static bool page_zero(uint64_t pa)
{
	const volatile uint64_t *p = (const volatile uint64_t *)pa;
	unsigned int i;

	for (i = 0; i < PAGE / 8; i++)
		if (p[i])
			return false;
	return true;
}

static void fill_secret(uint64_t pa)
{
	uint64_t *p = (uint64_t *)pa;
	unsigned int i;

	for (i = 0; i < PAGE / 8; i++)
		p[i] = SECRET ^ i;
	dsb(ish);
}

static struct vm *pair(const char *name, const char *tee_name, struct vm **tee)
{
	struct vm *vm = vm_create_guest(name, PLAT_GUEST_IMAGE_BASE, PLAT_GUEST_IMAGE_MAX, 1);

	*tee = vm ? vm_create_tee(vm, tee_name, PLAT_TEE_IMAGE_BASE, PLAT_TEE_IMAGE_MAX) : NULL;
	return *tee ? vm : NULL;
}

/*
 * The TEE stopped mid-entry at an MMIO access (its state live in the
 * CIEE), a page of its holding a secret; the hypervisor destroys the VM,
 * resumes the stopped TEE, reads the page, makes a new pair at the same
 * ids and resumes "the" TEE there.
 */
static void destroy_mid_call(void)
{
	static struct ciee_mmio mmio;
	static struct ciee_tee_boot_cfg cfg;
	struct vm *tee, *vm = pair("lc0", "lctee0", &tee), *tee2 = NULL, *vm2;
	unsigned int tee_id;
	uint64_t pa;
	long r, destroy, resume, resume2 = 0;
	bool zero;

	if (!vm) {
		not_run("destroy-vm-with-tee-mid-call", "could not create the pair");
		return;
	}
	tee_id = tee->id;
	pa = tee->ram_pa; /* the first page of its image: its code, measured, never zero */
	cfg.ns_size = vm->ram_size;
	memcpy(cfg.name, "lctee0", 7);
	r = ciee_call(CIEE_CALL_TEE_BOOT, tee->id, (unsigned long)&mmio, VTZ_TEE_ENTRY_IPA, 0,
		      (unsigned long)&cfg);
	if (r != CIEE_EXIT_TEE_MMIO) {
		not_run("destroy-vm-with-tee-mid-call", "the TEE's entry did not stop at MMIO");
		return;
	}
	destroy = vm_teardown(vm) ? -1 : CIEE_OK;
	resume = ciee_call(CIEE_CALL_TEE_RESUME, tee_id, (unsigned long)&mmio, 0, 0, 0);
	zero = page_zero(pa);
	vm2 = pair("lc1", "lctee1", &tee2);
	if (vm2 && tee2->id == tee_id)
		resume2 = ciee_call(CIEE_CALL_TEE_RESUME, tee2->id, (unsigned long)&mmio, 0, 0, 0);
	verdict("destroy-vm-with-tee-mid-call",
		destroy == CIEE_OK && resume < 0 && zero && vm2 && tee2->id == tee_id &&
			resume2 == CIEE_ERR_TEE_STATE,
		"destroy with the TEE stopped mid-entry: %s; resume of it: %s; its page after: "
		"%s; resume at its reused id: %s",
		destroy == CIEE_OK ? "ok" : "refused", ciee_strerror(resume),
		zero ? "zeroed" : "NOT zeroed", vm2 ? ciee_strerror(resume2) : "no new pair");
	if (vm2)
		vm_teardown(vm2);
}

/*
 * A VM runs (its RAM's translations cached under its VMID), is destroyed,
 * and the page that held its first instructions (IPA 0x40000000) goes to
 * a live TEE with a secret; the hypervisor keeps the rest of that RAM, so
 * a new VM at the same id (same VMID) gets other pages at the same IPAs.
 * Through a stale translation it would run the TEE's secret as code and
 * fault; it must run its own image and power off cleanly. (QEMU's TLB is
 * not tagged by VMID: it flushes whenever VTTBR_EL2 changes, so under QEMU
 * this attack is blocked even without the CIEE's TLBI; test_smm checks
 * that VM_DESTROY issues it, for hardware that keeps entries per VMID.)
 */
static void stale_tlb(struct vm *victim_tee, uint64_t victim_ipa)
{
	struct vm *tee, *vm = pair("lc2", "lctee2", &tee), *tee2 = NULL, *vm2;
	uint64_t old_pa, held;
	unsigned int id;
	long r;

	if (!vm || vm_boot_tee(tee)) {
		not_run("stale-tlb-across-vm-id-reuse", "could not set up the first VM");
		return;
	}
	id = vm->id;
	old_pa = vm->ram_pa;
	vcpu_run_loop(vm);
	if (vm_teardown(vm)) {
		not_run("stale-tlb-across-vm-id-reuse", "destroy refused");
		return;
	}
	held = mem_alloc(GUEST_RAM_SIZE); /* first fit: the old VM's RAM, kept by us */
	fill_secret(old_pa);
	r = ciee_call(CIEE_CALL_DONATE, victim_tee->id, old_pa, PAGE, 0, 0);
	if (r == CIEE_OK)
		r = ciee_call(CIEE_CALL_S2_MAP, victim_tee->id, victim_ipa, old_pa, PAGE,
			      CIEE_MAP_R | CIEE_MAP_W);
	vm2 = pair("lc3", "lctee3", &tee2);
	if (held != old_pa || r != CIEE_OK || !vm2 || vm2->id != id || vm_boot_tee(tee2)) {
		not_run("stale-tlb-across-vm-id-reuse", "could not reuse the id over new pages");
		return;
	}
	vcpu_run_loop(vm2);
	verdict("stale-tlb-across-vm-id-reuse", !vm2->faulted,
		"vm id %u (VMID %u) reused after VM_DESTROY, its old first page now a TEE's: "
		"the new VM %s", id, id + 1,
		vm2->faulted ? "faulted (ran through a stale translation)"
			     : "ran its own image and powered off cleanly");
	vm_teardown(vm2);
}

/* A new VM over a live TEE's pages, or at a live id, or as a second TEE of a VM. */
static void create_over_live_tee(struct vm *vm0, struct vm *tee0)
{
	struct vm *vm = vm_create_guest("lc4", PLAT_GUEST_IMAGE_BASE, PLAT_GUEST_IMAGE_MAX, 1);
	long donate, map, exists, second;

	if (!vm) {
		not_run("create-vm-over-live-tee-pages", "could not create the VM");
		return;
	}
	donate = ciee_call(CIEE_CALL_DONATE, vm->id, tee0->ram_pa, PAGE, 0, 0);
	map = ciee_call(CIEE_CALL_S2_MAP, vm->id, OTHER_IPA, tee0->ram_pa, PAGE, CIEE_MAP_R);
	exists = ciee_call(CIEE_CALL_VM_CREATE, tee0->id, CIEE_VM_KIND_GUEST, 0, 'x', 0);
	second = ciee_call(CIEE_CALL_VM_CREATE, CIEE_MAX_VMS - 1, CIEE_VM_KIND_TEE, vm0->id, 0,
			   0);
	verdict("create-vm-over-live-tee-pages",
		donate < 0 && map < 0 && exists == CIEE_ERR_VM_EXISTS &&
			second == CIEE_ERR_BAD_KIND,
		"DONATE of its page: %s; S2_MAP of it: %s; VM_CREATE at its id: %s; a second "
		"TEE for its VM: %s", ciee_strerror(donate), ciee_strerror(map),
		ciee_strerror(exists), ciee_strerror(second));
	vm_teardown(vm);
}

/*
 * A second VM under a live VM's identity: its TEE would derive the same
 * key (monitor/keys.c), so it could unseal what the first one sealed.
 */
static void create_under_live_identity(struct vm *vm0)
{
	uint64_t ident[2] = { 0, 0 };
	unsigned int id = CIEE_MAX_VMS - 2;
	long same, spelled;

	memcpy(ident, vm0->name, strnlen(vm0->name, sizeof(ident) - 1));
	same = ciee_call(CIEE_CALL_VM_CREATE, id, CIEE_VM_KIND_GUEST, 0, ident[0], ident[1]);
	/* The same name with a byte after its NUL: one identity, two spellings. */
	spelled = ciee_call(CIEE_CALL_VM_CREATE, id, CIEE_VM_KIND_GUEST, 0, ident[0],
			    ident[1] | (1UL << 56));
	verdict("create-vm-under-live-identity",
		same == CIEE_ERR_IDENTITY_IN_USE && spelled == CIEE_ERR_BAD_IDENTITY,
		"VM_CREATE as %s while it lives: %s; with a byte after the name's NUL: %s",
		vm0->name, ciee_strerror(same), ciee_strerror(spelled));
	if (same == CIEE_OK || spelled == CIEE_OK)
		ciee_call(CIEE_CALL_VM_DESTROY, id, 0, 0, 0, 0);
}

void lifecycle_attacks_run(struct vm *vm0, struct vm *tee0, uint64_t tee0_free_ipa)
{
	create_under_live_identity(vm0);
	destroy_mid_call();
	stale_tlb(tee0, tee0_free_ipa);
	create_over_live_tee(vm0, tee0);
}
