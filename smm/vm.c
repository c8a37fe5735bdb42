/* SPDX-License-Identifier: MIT */
/*
 * VMs as the CIEE sees them, and secure memory mapping (SMM): every
 * request is checked against the ownership table (policy/ownership.c)
 * before any translation table changes.
 */
#include <string.h>

#include <arch/phys.h>
#include <arch/sysreg.h>
#include <lib/console.h>
#include <lib/spinlock.h>
#include <vtz/platform.h>

#include "checked.h"
#include "smm.h"

#define vms (smm->vms)
#define smm_lock (smm->lock)

struct ciee_vm *ciee_vm_get(uint64_t id)
{
	/*
	 * dying before live: VM_DESTROY clears live before it clears dying
	 * (smm_pair_destroy), so a reader that finds dying clear by a destroy
	 * finds live clear too.
	 */
	if (id >= CIEE_MAX_VMS || __atomic_load_n(&vms[id].dying, __ATOMIC_SEQ_CST) ||
	    !__atomic_load_n(&vms[id].live, __ATOMIC_SEQ_CST))
		return NULL;
	return &vms[id];
}

/*
 * Under the SMM lock, of a VM found by ciee_vm_get before it: still live
 * and not being destroyed (a destroy may have run between the two).
 */
static bool vm_still(const struct ciee_vm *vm)
{
	uint16_t both;

	/* live (1) and not dying (0), little-endian, in one load: S2_MAP's hot path. */
	__builtin_memcpy(&both, &vm->live, sizeof(both));
	return both == 1;
}

static owner_t vm_owner(const struct ciee_vm *vm)
{
	unsigned int id = (unsigned int)(vm - vms);

	return vm->kind == CIEE_VM_KIND_TEE ? OWNER(OWN_TEE, id) : OWNER(OWN_VM, id);
}

long ciee_own_err(int err)
{
	switch (-err) {
	case OWN_ERR_RANGE: return CIEE_ERR_RANGE;
	case OWN_ERR_ALIGN: return CIEE_ERR_ALIGN;
	case OWN_ERR_NOT_OWNER: return CIEE_ERR_NOT_OWNER;
	case OWN_ERR_TEE_PAGE: return CIEE_ERR_TEE_PAGE;
	case OWN_ERR_PT_PAGE: return CIEE_ERR_PT_PAGE;
	case OWN_ERR_CIEE_PAGE: return CIEE_ERR_CIEE_PAGE;
	case OWN_ERR_OTHER_VM: return CIEE_ERR_OTHER_VM;
	case OWN_ERR_PERM: return CIEE_ERR_PERM;
	case OWN_ERR_MAPPED: return CIEE_ERR_ALIASED;
	case OWN_ERR_MAP_COUNT: return CIEE_ERR_MAP_COUNT;
	default: return CIEE_ERR_NOT_OWNER;
	}
}

static long pt_err_slow(int err)
{
	switch (-err) {
	case PT_OK: return CIEE_OK;
	case PT_ERR_NOMEM: return CIEE_ERR_NOMEM;
	case PT_ERR_NOT_MAPPED: return CIEE_ERR_NOT_MAPPED;
	case PT_ERR_ALIGN: case PT_ERR_SIZE: return CIEE_ERR_ALIGN;
	case PT_ERR_RANGE: return CIEE_ERR_RANGE;
	case PT_ERR_PERM: return CIEE_ERR_PERM;
	default: return CIEE_ERR_MAP;
	}
}

/* The same mapping, with success (PT_OK -> CIEE_OK) tested first. */
static inline long pt_err(int err)
{
	return err == PT_OK ? CIEE_OK : pt_err_slow(err);
}

/* Drop every stage-2 TLB entry of one VM on every CPU. */
static void s2_tlb_flush(const struct ciee_vm *vm)
{
	dsb(ishst);
	/* write_sysreg_checked ends in an isb: the VMID is in effect for the TLBI. */
	write_sysreg_checked(vttbr_el2, vm->s2.root_pa | ((uint64_t)vm->vmid << 48));
	tlbi(vmalls12e1is);
	dsb(ish);
	/*
	 * A constant 0, so no CIEE-mode check after it: 0 is what VTTBR_EL2
	 * holds whenever the hypervisor runs (the CIEE clears it before every
	 * return to it), so a hypervisor that jumps to this msr writes the
	 * value it already has, chosen by no one but this instruction. The
	 * write above, of a VM's table and VMID, stays checked.
	 */
	write_sysreg(vttbr_el2, 0);
	isb();
}

/*
 * A guest VM's identity: 1..15 of [a-z0-9_-], then NUL to the 16th byte
 * (the 16 bytes little-endian in lo, hi). What a TEE's key is bound to,
 * beside its image: a label the hypervisor chooses, checked only so that
 * two spellings cannot name one VM.
 */
static bool identity_ok(uint64_t lo, uint64_t hi)
{
	unsigned int i, len = 0;

	for (i = 0; i < 16; i++) {
		unsigned char c = (unsigned char)((i < 8 ? lo >> (8 * i) : hi >> (8 * (i - 8))) & 0xff);

		if (c == 0)
			break;
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return false;
		len++;
	}
	if (len == 0 || len == 16)
		return false;
	/* Everything after the name is NUL. */
	return len >= 8 ? (hi >> (8 * (len - 8))) == 0 : (lo >> (8 * len)) == 0 && hi == 0;
}

long ciee_vm_create(uint64_t id, uint64_t kind, uint64_t partner, uint64_t ident_lo,
		    uint64_t ident_hi)
{
	struct ciee_vm *vm;
	uint64_t root;
	unsigned int i;
	long ret = CIEE_OK;

	if (id >= CIEE_MAX_VMS)
		return CIEE_ERR_BAD_VM;
	if (kind != CIEE_VM_KIND_GUEST && kind != CIEE_VM_KIND_TEE)
		return CIEE_ERR_BAD_KIND;
	if (kind == CIEE_VM_KIND_GUEST ? !identity_ok(ident_lo, ident_hi) : (ident_lo | ident_hi))
		return CIEE_ERR_BAD_IDENTITY;
	spin_lock(&smm_lock);
	vm = &vms[id];
	if (vm->live) {
		ret = CIEE_ERR_VM_EXISTS;
		goto out;
	}
	/* One live VM per identity: two would hold one key. */
	for (i = 0; i < CIEE_MAX_VMS && kind == CIEE_VM_KIND_GUEST; i++) {
		if (vms[i].live && vms[i].kind == CIEE_VM_KIND_GUEST &&
		    vms[i].identity[0] == ident_lo && vms[i].identity[1] == ident_hi) {
			ret = CIEE_ERR_IDENTITY_IN_USE;
			goto out;
		}
	}
	if (kind == CIEE_VM_KIND_TEE) {
		/* A TEE belongs to exactly one existing guest VM without a TEE. */
		if (partner >= CIEE_MAX_VMS || !vms[partner].live || vms[partner].dying ||
		    vms[partner].kind != CIEE_VM_KIND_GUEST ||
		    vms[partner].partner != CIEE_MAX_VMS) {
			ret = CIEE_ERR_BAD_KIND;
			goto out;
		}
	}
	if (ciee_table_alloc(NULL, &root)) {
		ret = CIEE_ERR_NOMEM;
		goto out;
	}
	memset(vm, 0, sizeof(*vm));
	if (pt_init(&vm->s2, PT_REGIME_S2, root, PT_S2_START_LEVEL, PT_S2_VA_BITS,
		    &ciee_table_ops)) {
		ret = CIEE_ERR_NOMEM;
		goto out;
	}
	vm->kind = (unsigned int)kind;
	vm->identity[0] = ident_lo;
	vm->identity[1] = ident_hi;
	vm->vmid = (uint16_t)(id + 1);
	vm->partner = CIEE_MAX_VMS;
	if (kind == CIEE_VM_KIND_TEE) {
		vm->partner = (unsigned int)partner;
		vms[partner].partner = (unsigned int)id;
	}
	dsb(ish); /* every field before live: the CIEE may read it from another CPU */
	vm->live = true;
out:
	spin_unlock(&smm_lock);
	return ret;
}

static bool in_ram(uint64_t pa, uint64_t size)
{
	return pa >= PLAT_NS_RAM_BASE && pa + size >= pa && pa + size <= smm->ram_end;
}

static bool overlaps_ram(uint64_t pa, uint64_t size)
{
	return pa < PLAT_NS_RAM_BASE + PLAT_NS_RAM_MAX && pa + size > PLAT_NS_RAM_BASE;
}

/*
 * DMA. Some devices of QEMU virt write (and read) any non-secure physical
 * address on request, past every translation table: there is no TZASC,
 * and QEMU's SMMUv3 sits on PCIe only and translates stage 1 only. Whoever
 * can program one can write any TEE page, any table and the ownership
 * table. So device MMIO is mapped, for the hypervisor and for guests, only
 * from an allow-list of devices that cannot master the bus; a request
 * that touches a known bus master gets its own error, so that an
 * integrator sees why.
 */
const struct ciee_device ciee_devices[] = {
	{PLAT_GICD_BASE, PLAT_GICD_SIZE, true, false},
	{PLAT_GICR_BASE, PLAT_GICR_SIZE, true, true},
	{PLAT_UART0_BASE, PLAT_UART0_SIZE, true, false},
	{PLAT_RTC_BASE, PLAT_RTC_SIZE, false, false},
	{PLAT_GPIO_BASE, PLAT_GPIO_SIZE, false, false},
};
const unsigned int ciee_n_devices = sizeof(ciee_devices) / sizeof(ciee_devices[0]);

static const struct {
	uint64_t base, size;
} dma_devices[] = {
	{PLAT_GIC_ITS_BASE, PLAT_GIC_ITS_SIZE},
	{PLAT_FW_CFG_BASE, PLAT_FW_CFG_SIZE},
	{PLAT_SMMU_BASE, PLAT_SMMU_SIZE},
	{PLAT_VIRTIO_BASE, PLAT_VIRTIO_SIZE},
	{PLAT_PLATFORM_BUS_BASE, PLAT_PLATFORM_BUS_SIZE},
	{PLAT_PCIE_MMIO_BASE, PLAT_PCIE_MMIO_SIZE},
	{PLAT_PCIE_PIO_BASE, PLAT_PCIE_PIO_SIZE},
	{PLAT_PCIE_ECAM_BASE, PLAT_PCIE_ECAM_SIZE},
	{PLAT_PCIE_HIGH_ECAM_BASE, PLAT_PCIE_HIGH_ECAM_SIZE},
	{PLAT_PCIE_HIGH_MMIO_BASE, PLAT_PCIE_HIGH_MMIO_SIZE},
};

/*
 * Does [pa, pa + size), inside device d, touch one of its RD_base frames?
 * It is clear of them only if it lies in one CPU's SGI_base frame.
 */
static bool touches_rd_frame(const struct ciee_device *d, uint64_t pa, uint64_t size)
{
	uint64_t s = pa - d->base, e = pa + size - d->base;

	return s / PLAT_GICR_FRAME != (e - 1) / PLAT_GICR_FRAME ||
	       s % PLAT_GICR_FRAME < PLAT_GICR_RD_SIZE;
}

/*
 * May [pa, pa + size) be mapped as device memory (writable or not)? Only
 * if it lies inside one allowed device, and, writable, outside the
 * redistributors' LPI registers. The caller has checked it does not wrap.
 */
long ciee_device_check(uint64_t pa, uint64_t size, bool writable)
{
	unsigned int i;

	for (i = 0; i < sizeof(dma_devices) / sizeof(dma_devices[0]); i++)
		if (pa < dma_devices[i].base + dma_devices[i].size &&
		    pa + size > dma_devices[i].base)
			return CIEE_ERR_DMA_DEVICE;
	for (i = 0; i < ciee_n_devices; i++) {
		const struct ciee_device *d = &ciee_devices[i];

		if (pa < d->base || pa + size > d->base + d->size)
			continue;
		if (writable && d->rd_frames && touches_rd_frame(d, pa, size))
			return CIEE_ERR_DMA_DEVICE;
		return CIEE_OK;
	}
	return CIEE_ERR_NOT_DEVICE;
}

/*
 * Where a TEE's stage 2 may put each page (a TEE takes its VM's buffers by
 * IPA, so its own pages must never sit where its VM's are): its own pages
 * only in its secure-RAM window, its VM's pages only in the normal-world
 * window and only where its VM has them (so reclaim finds both).
 * Ownership has been checked (TEE's or VM's) before this runs.
 */
static long check_tee_ipas(const struct ciee_vm *tee, uint64_t ipa, uint64_t pa, uint64_t size)
{
	const struct ciee_vm *guest = &vms[tee->partner];
	struct pt s2 = smm_pt(&guest->s2);
	uint64_t off, vm_pa, desc;

	for (off = 0; off < size; off += PAGE_SIZE) {
		uint64_t at = ipa + off;
		owner_t o;

		if (own_get(&smm->own, pa + off, &o))
			return CIEE_ERR_RANGE;
		if (OWNER_TYPE(o) == OWN_TEE) {
			if (at < VTZ_TEE_RAM_IPA_BASE ||
			    at - VTZ_TEE_RAM_IPA_BASE >= VTZ_TEE_RAM_IPA_SIZE)
				return CIEE_ERR_TEE_IPA;
			if (tee->measured && at < tee->own_ipa_top)
				return CIEE_ERR_TEE_FROZEN;
			continue;
		}
		if (at < VTZ_TEE_NS_RAM_BASE)
			return CIEE_ERR_TEE_IPA;
		if (pt_lookup(&s2, at, &vm_pa, &desc) || vm_pa != pa + off)
			return CIEE_ERR_IPA_MISMATCH;
	}
	return CIEE_OK;
}

/* May a TEE have device memory at [ipa, ipa + size)? Only outside both of its RAM windows. */
static bool tee_device_ipa(uint64_t ipa, uint64_t size)
{
	uint64_t end = ipa + size;

	if (end < ipa || end > VTZ_TEE_NS_RAM_BASE)
		return false;
	return end <= VTZ_TEE_RAM_IPA_BASE || ipa >= VTZ_TEE_RAM_IPA_BASE + VTZ_TEE_RAM_IPA_SIZE;
}

/*
 * Does a TEE's device mapping [ipa, +size) -> [pa, +size) touch its GIC?
 * The CIEE answers a TEE's GIC accesses itself (ciee/tee_gic.c), from its
 * own view, which decides which of the TEE's interrupts are secure: a
 * mapping at those IPAs would take the accesses past it, and the real GIC
 * anywhere in a TEE would let the TEE (a non-secure master to the GIC)
 * program the hypervisor's interrupts.
 */
static bool overlaps(uint64_t a, uint64_t size, uint64_t base, uint64_t bsize)
{
	return a < base + bsize && a + size > base;
}

static bool tee_touches_gic(uint64_t ipa, uint64_t pa, uint64_t size)
{
	return overlaps(ipa, size, PLAT_GICD_BASE, PLAT_GICD_SIZE) ||
	       overlaps(ipa, size, PLAT_GICR_BASE, CIEE_MAX_VCPUS * PLAT_GICR_FRAME) ||
	       overlaps(pa, size, PLAT_GICD_BASE, PLAT_GICD_SIZE) ||
	       overlaps(pa, size, PLAT_GICR_BASE, PLAT_GICR_SIZE);
}

/* One fewer stage-2 entry points at a RAM leaf just removed (pt_unmap_each). */
static void s2_leaf_removed(void *ctx, uint64_t pa, uint64_t size, uint64_t desc)
{
	(void)ctx;
	(void)desc;
	/* Device memory is never counted: only RAM changes owner. */
	if (pa >= PLAT_NS_RAM_BASE && pa < smm->ram_end && own_map_put(&smm->own, pa, size))
		ciee_panic("stage-2 map count out of step with the tables");
}

/*
 * The hot path (make bench): the VM is looked up by id only; whether it is
 * live, and not being destroyed, is checked once, under the lock.
 */
long ciee_s2_map(uint64_t id, uint64_t ipa, uint64_t pa, uint64_t size, uint64_t flags)
{
	struct ciee_vm *vm = id < CIEE_MAX_VMS ? &vms[id] : NULL;
	unsigned int perms = 0;
	bool device = flags & CIEE_MAP_DEVICE, counted = false;
	uint64_t attrs;
	long ret;
	int err;

	if (!vm)
		return CIEE_ERR_BAD_VM;
	if (flags & ~(uint64_t)(CIEE_MAP_R | CIEE_MAP_W | CIEE_MAP_X | CIEE_MAP_DEVICE))
		return CIEE_ERR_PERM;
	if (!size || ((ipa | pa | size) & (PAGE_SIZE - 1)))
		return CIEE_ERR_ALIGN;
	perms |= (flags & CIEE_MAP_R) ? PT_PERM_R : 0;
	perms |= (flags & CIEE_MAP_W) ? PT_PERM_W : 0;
	perms |= (flags & CIEE_MAP_X) ? PT_PERM_X : 0;
	/* pt_leaf_attrs(PT_REGIME_S2, ...) by lookup: same result, same refusals. */
	if (pt_s2_leaf_attrs(perms, device ? PT_MEM_DEVICE : PT_MEM_NORMAL, &attrs))
		return CIEE_ERR_PERM;

	spin_lock(&smm_lock);
	if (!vm_still(vm)) {
		spin_unlock(&smm_lock);
		return CIEE_ERR_BAD_VM;
	}
	if (device) {
		/*
		 * Device memory only outside RAM (RAM is governed by ownership),
		 * and only devices that cannot DMA into a TEE.
		 */
		ret = overlaps_ram(pa, size) || pa + size < pa
			      ? CIEE_ERR_RANGE
			      : ciee_device_check(pa, size, flags & CIEE_MAP_W);
		/* In a TEE, devices never where its RAM is (its own, or its VM's). */
		if (ret == CIEE_OK && vm->kind == CIEE_VM_KIND_TEE && !tee_device_ipa(ipa, size))
			ret = CIEE_ERR_TEE_IPA;
		if (ret == CIEE_OK && vm->kind == CIEE_VM_KIND_TEE && tee_touches_gic(ipa, pa, size))
			ret = CIEE_ERR_TEE_GIC;
	} else if (!in_ram(pa, size)) {
		ret = CIEE_ERR_RANGE;
	} else if (vm->kind == CIEE_VM_KIND_GUEST) {
		/*
		 * smm_check_vm_map and then own_map_get, in one pass over the
		 * range (smm_vm_map_get): the same checks, the same errors, and
		 * on any error no count changed.
		 */
		err = smm_vm_map_get(&smm->own, (unsigned int)id, pa, size, perms);
		ret = err == -OWN_ERR_STORAGE ? CIEE_ERR_RANGE : err ? ciee_own_err(err) : CIEE_OK;
		counted = true;
	} else {
		err = smm_check_tee_map(&smm->own, (unsigned int)id, vm->partner, pa, size, perms);
		ret = err ? ciee_own_err(err) : check_tee_ipas(vm, ipa, pa, size);
	}
	/* Every RAM page it maps is counted: no page changes owner while mapped. */
	if (ret == CIEE_OK && !device) {
		if (!counted) {
			err = own_map_get(&smm->own, pa, size);
			ret = err == -OWN_ERR_MAP_COUNT ? CIEE_ERR_MAP_COUNT
			      : err			 ? CIEE_ERR_RANGE
							 : CIEE_OK;
		}
		if (ret == CIEE_OK) {
			struct pt s2 = smm_pt(&vm->s2);

			/* pt_map never replaces a live entry: no stale TLB entry can exist. */
			ret = pt_err(pt_map(&s2, ipa, pa, size, attrs, true));
			if (ret != CIEE_OK)
				own_map_put(&smm->own, pa, size);
		}
	} else if (ret == CIEE_OK) {
		struct pt s2 = smm_pt(&vm->s2);

		ret = pt_err(pt_map(&s2, ipa, pa, size, attrs, true));
	}
	/* A TEE's own pages (a range in its secure window holds no other kind). */
	if (ret == CIEE_OK && vm->kind == CIEE_VM_KIND_TEE && !device &&
	    own_all(&smm->own, pa, PAGE_SIZE, vm_owner(vm)) && ipa + size > vm->own_ipa_top)
		vm->own_ipa_top = ipa + size;
	dsb(ishst);
	spin_unlock(&smm_lock);
	return ret;
}

long ciee_s2_unmap(uint64_t id, uint64_t ipa, uint64_t size)
{
	struct ciee_vm *vm = id < CIEE_MAX_VMS ? &vms[id] : NULL;
	struct pt s2;
	long ret;

	if (!vm)
		return CIEE_ERR_BAD_VM;

	spin_lock(&smm_lock);
	if (!vm_still(vm)) {
		spin_unlock(&smm_lock);
		return CIEE_ERR_BAD_VM;
	}
	s2 = smm_pt(&vm->s2);
	ret = pt_err(pt_unmap_each(&s2, ipa, size, s2_leaf_removed, NULL));
	if (ret == CIEE_OK)
		s2_tlb_flush(vm);
	spin_unlock(&smm_lock);
	return ret;
}

/*
 * Give free or hypervisor pages to a VM or a TEE, all checked first. Pages
 * given to a TEE leave the hypervisor's stage 1 (and every CPU's TLB)
 * before they become the TEE's.
 */
long ciee_donate(uint64_t id, uint64_t pa, uint64_t size)
{
	struct ciee_vm *vm = ciee_vm_get(id);
	long ret;
	int err;

	if (!vm)
		return CIEE_ERR_BAD_VM;
	if (!size || ((pa | size) & (PAGE_SIZE - 1)))
		return CIEE_ERR_ALIGN;
	if (!in_ram(pa, size))
		return CIEE_ERR_RANGE;
	spin_lock(&smm_lock);
	if (!vm_still(vm)) {
		spin_unlock(&smm_lock);
		return CIEE_ERR_BAD_VM;
	}
	err = own_can_donate(&smm->own, pa, size, vm_owner(vm));
	ret = err ? ciee_own_err(err) : CIEE_OK;
	/*
	 * A TEE's pages leave the hypervisor's stage 1, and every CPU's TLB,
	 * before they change owner: no one else maps a page the TEE owns.
	 */
	if (ret == CIEE_OK && vm->kind == CIEE_VM_KIND_TEE) {
		struct pt s1 = smm_pt(&smm->hyp_s1);

		err = pt_unmap(&s1, pa, size);
		ciee_hyp_tlb_flush();
		if (err)
			ciee_panic("hypervisor view out of step with the ownership table");
	}
	if (ret == CIEE_OK && own_donate(&smm->own, pa, size, vm_owner(vm)))
		ciee_panic("donate: ownership changed under the lock");
	spin_unlock(&smm_lock);
	return ret;
}

/* Pages RECLAIM takes per round: unmapped and flushed together, then scrubbed. */
#define RECLAIM_BATCH 32

/*
 * Take pages back from a VM or TEE, by IPA. Every page is checked first:
 * mapped there as a page (not inside a block), owned by that VM or TEE,
 * and mapped nowhere else but there (and, for a VM's page, at the same IPA
 * in its TEE's stage 2): a page with an alias anywhere is refused with
 * CIEE_ERR_ALIASED and nothing changes. Then, batch by batch: each page
 * leaves every stage 2 that maps it, the TLBs of every CPU drop it, and
 * only then is it zeroed (when it leaves a TEE) and given to the
 * hypervisor, so no CPU can still write it after the scrub.
 */
long ciee_reclaim(uint64_t id, uint64_t ipa, uint64_t size)
{
	struct ciee_vm *vm = ciee_vm_get(id), *tee = NULL;
	struct pt s2, s1, tee_s2;
	owner_t owner;
	uint64_t off, pa, desc, attrs, tee_pa, tee_desc;
	uint64_t batch[RECLAIM_BATCH];
	unsigned int n, i;
	long ret = CIEE_OK;

	if (!vm)
		return CIEE_ERR_BAD_VM;
	if (!size || ((ipa | size) & (PAGE_SIZE - 1)))
		return CIEE_ERR_ALIGN;
	if (ipa + size < ipa || size > PLAT_NS_RAM_MAX)
		return CIEE_ERR_RANGE;
	if (pt_leaf_attrs(PT_REGIME_S1_EL2, PT_PERM_R | PT_PERM_W, PT_MEM_NORMAL, &attrs))
		return CIEE_ERR_PERM;

	spin_lock(&smm_lock);
	/* Its kind and partner read under the lock: a destroy may have run since the get. */
	if (!vm_still(vm)) {
		spin_unlock(&smm_lock);
		return CIEE_ERR_BAD_VM;
	}
	owner = vm_owner(vm);
	if (vm->kind == CIEE_VM_KIND_GUEST && vm->partner < CIEE_MAX_VMS)
		tee = &vms[vm->partner];
	s2 = smm_pt(&vm->s2);
	s1 = smm_pt(&smm->hyp_s1);
	if (tee)
		tee_s2 = smm_pt(&tee->s2);
	for (off = 0; off < size && ret == CIEE_OK; off += PAGE_SIZE) {
		unsigned int expected = 1;

		if (pt_lookup(&s2, ipa + off, &pa, &desc))
			ret = CIEE_ERR_NOT_MAPPED;
		else if (!(desc & PTE_TYPE_TABLE))
			ret = CIEE_ERR_MAP; /* inside a block: a block is unmapped whole */
		else if (!own_all(&smm->own, pa & ~(PAGE_SIZE - 1), PAGE_SIZE, owner))
			ret = CIEE_ERR_NOT_OWNER;
		else {
			pa &= ~(PAGE_SIZE - 1);
			if (tee && !pt_lookup(&tee_s2, ipa + off, &tee_pa, &tee_desc) &&
			    (tee_pa & ~(PAGE_SIZE - 1)) == pa)
				expected = (tee_desc & PTE_TYPE_TABLE) ? 2 : 0;
			/* Mapped anywhere else (another IPA, a block in the TEE): an alias. */
			if (own_map_count(&smm->own, pa) != expected)
				ret = CIEE_ERR_ALIASED;
		}
	}
	for (off = 0; off < size && ret == CIEE_OK;) {
		for (n = 0; n < RECLAIM_BATCH && off < size; n++, off += PAGE_SIZE) {
			if (pt_lookup(&s2, ipa + off, &pa, &desc) ||
			    pt_unmap_each(&s2, ipa + off, PAGE_SIZE, s2_leaf_removed, NULL))
				ciee_panic("reclaim: stage 2 changed under the lock");
			pa &= ~(PAGE_SIZE - 1);
			if (tee && !pt_lookup(&tee_s2, ipa + off, &tee_pa, &tee_desc) &&
			    (tee_pa & ~(PAGE_SIZE - 1)) == pa &&
			    pt_unmap_each(&tee_s2, ipa + off, PAGE_SIZE, s2_leaf_removed, NULL))
				ciee_panic("reclaim: the TEE's stage 2 changed under the lock");
			batch[n] = pa;
		}
		/* Out of every stage 2 and every CPU's TLB before anything else. */
		s2_tlb_flush(vm);
		if (tee)
			s2_tlb_flush(tee);
		for (i = 0; i < n; i++) {
			bool scrub = false;

			if (own_reclaim(&smm->own, batch[i], PAGE_SIZE, owner, &scrub))
				ciee_panic("reclaim: ownership or map count changed under the lock");
			if (scrub)
				memset(phys_to_virt(batch[i]), 0, PAGE_SIZE);
			if (vm->kind == CIEE_VM_KIND_TEE &&
			    pt_map(&s1, batch[i], batch[i], PAGE_SIZE, attrs, false))
				ciee_panic("reclaim: cannot give the page back to the hypervisor");
		}
	}
	spin_unlock(&smm_lock);
	return ret;
}

static void destroy_table_freed(void *ctx, uint64_t pa)
{
	uint64_t *list = ctx;

	/*
	 * Chained through the freed pages themselves (their entries are all
	 * cleared already); they reach the pool only after the TLB flush.
	 */
	*(volatile uint64_t *)phys_to_virt(pa) = *list;
	*list = pa;
}

static const struct pt_destroy_ops destroy_ops = {
	.removed = s2_leaf_removed,
	.freed = destroy_table_freed,
};

/* One stage 2 gone: every entry cleared (map counts dropped), its TLB entries dropped. */
static uint64_t s2_teardown(struct ciee_vm *vm)
{
	struct pt s2 = smm_pt(&vm->s2);
	uint64_t list = 0, pa, n = 0;

	if (pt_destroy(&s2, &destroy_ops, &list))
		ciee_panic("destroy: a stage-2 table is corrupt");
	s2_tlb_flush(vm);
	for (pa = list; pa; n++) {
		uint64_t next = *(volatile uint64_t *)phys_to_virt(pa);

		ciee_table_free(pa);
		pa = next;
	}
	return n;
}

/*
 * Every page owned by `o` back to the hypervisor, zeroed: a run of pages at
 * a time (bounded by RAM's page count). A TEE's pages go back into the
 * hypervisor's stage 1, which lost them at DONATE.
 */
static uint64_t reclaim_all(owner_t o, bool to_hyp_s1, uint64_t attrs)
{
	struct pt s1 = smm_pt(&smm->hyp_s1);
	uint64_t pa, run = 0, pages = 0;
	const uint64_t end = smm->ram_end;

	for (pa = PLAT_NS_RAM_BASE; pa <= end; pa += PAGE_SIZE) {
		owner_t cur = OWNER(OWN_FREE, 0);
		bool scrub;

		if (pa < end && own_get(&smm->own, pa, &cur))
			ciee_panic("destroy: ownership table out of range");
		if (pa < end && cur == o) {
			run += PAGE_SIZE;
			continue;
		}
		if (!run)
			continue;
		if (own_reclaim(&smm->own, pa - run, run, o, &scrub))
			ciee_panic("destroy: a page is still mapped after both tables went");
		memset(phys_to_virt(pa - run), 0, run);
		if (to_hyp_s1 && pt_map(&s1, pa - run, pa - run, run, attrs, false))
			ciee_panic("destroy: cannot give a page back to the hypervisor");
		pages += run / PAGE_SIZE;
		run = 0;
	}
	return pages;
}

long smm_pair_destroy(uint64_t id, void (*wipe)(unsigned int vm, unsigned int tee),
		      struct smm_destroyed *out)
{
	struct ciee_vm *vm, *tee = NULL;
	owner_t vm_o, tee_o = 0;
	uint64_t attrs;

	if (id >= CIEE_MAX_VMS)
		return CIEE_ERR_BAD_VM;
	if (pt_leaf_attrs(PT_REGIME_S1_EL2, PT_PERM_R | PT_PERM_W, PT_MEM_NORMAL, &attrs))
		return CIEE_ERR_PERM;
	/*
	 * One critical section from the check to the ids' release: two
	 * destroys of one pair never interleave (the second finds it gone),
	 * and nothing is wiped at ids a new VM may hold by then.
	 */
	spin_lock(&smm_lock);
	vm = &vms[id];
	if (!vm->live || vm->kind != CIEE_VM_KIND_GUEST) {
		spin_unlock(&smm_lock);
		return vm->live ? CIEE_ERR_BAD_KIND : CIEE_ERR_BAD_VM; /* a TEE goes with its VM */
	}
	/* Seen by every later ciee_vm_get and pair entry (ciee/lifecycle.c). */
	__atomic_store_n(&vm->dying, true, __ATOMIC_SEQ_CST);
	if (vm->partner < CIEE_MAX_VMS) {
		tee = &vms[vm->partner];
		__atomic_store_n(&tee->dying, true, __ATOMIC_SEQ_CST);
	}
	/* Marked, then counted: a CPU inside the pair is seen here, or sees dying. */
	if (__atomic_load_n(&smm->pair_users[id], __ATOMIC_SEQ_CST)) {
		spin_unlock(&smm_lock);
		return CIEE_ERR_VM_BUSY; /* it stays dying: the caller tries again */
	}
	if (wipe)
		wipe((unsigned int)id, tee ? vm->partner : CIEE_MAX_VMS);
	out->pages = out->tables = 0;
	out->tee = tee ? vm->partner : CIEE_MAX_VMS;
	vm_o = vm_owner(vm);
	if (tee) {
		tee_o = vm_owner(tee);
		out->tables += s2_teardown(tee);
	}
	out->tables += s2_teardown(vm);
	/* No stage 2 and no TLB holds a page of either now: only then do they change owner. */
	if (tee)
		out->pages += reclaim_all(tee_o, true, attrs);
	out->pages += reclaim_all(vm_o, false, attrs);
	if (tee)
		ciee_hyp_tlb_flush(); /* the hypervisor sees the TEE's pages again, zeroed */
	/*
	 * Not live first, then the rest: an unlocked reader that finds dying
	 * cleared finds live cleared too (ciee_vm_get reads dying last).
	 */
	if (tee) {
		__atomic_store_n(&tee->live, false, __ATOMIC_SEQ_CST);
		dsb(ish);
		memset(tee, 0, sizeof(*tee));
	}
	__atomic_store_n(&vm->live, false, __ATOMIC_SEQ_CST);
	dsb(ish);
	memset(vm, 0, sizeof(*vm));
	dsb(ish); /* both ids free only after all of the above */
	spin_unlock(&smm_lock);
	return CIEE_OK;
}

/*
 * Map more device MMIO into the hypervisor's EL2 stage 1 (identity, RW,
 * never executable), from the allow-list only: a device that can master
 * the bus would let the hypervisor write any page, TEE pages included.
 * RAM is never mapped this way: the hypervisor already sees what it owns,
 * and everything else must stay out of its reach.
 */
long ciee_hyp_map(uint64_t pa, uint64_t size, uint64_t flags)
{
	uint64_t attrs;
	long ret;
	int err;

	if (!size || ((pa | size) & (PAGE_SIZE - 1)))
		return CIEE_ERR_ALIGN;
	if (flags & ~(uint64_t)(CIEE_MAP_R | CIEE_MAP_W | CIEE_MAP_DEVICE) || !(flags & CIEE_MAP_R))
		return CIEE_ERR_PERM;
	if (pa + size < pa || pa + size > (1UL << PT_S2_VA_BITS))
		return CIEE_ERR_RANGE;
	spin_lock(&smm_lock);
	if (overlaps_ram(pa, size)) {
		err = in_ram(pa, size) ? smm_check_hyp_map(&smm->own, pa, size,
							    (unsigned int)flags & 3)
				       : -OWN_ERR_RANGE;
		/* Even an allowed RAM page is already mapped: no aliases. */
		ret = err ? ciee_own_err(err) : CIEE_ERR_MAP;
	} else if (ciee_device_check(pa, size, flags & CIEE_MAP_W) != CIEE_OK) {
		/* a bus master, or no known device */
		ret = ciee_device_check(pa, size, flags & CIEE_MAP_W);
	} else if (pt_leaf_attrs(PT_REGIME_S1_EL2, (unsigned int)flags & 3, PT_MEM_DEVICE,
				 &attrs)) {
		ret = CIEE_ERR_PERM;
	} else {
		struct pt s1 = smm_pt(&smm->hyp_s1);

		ret = pt_err(pt_map(&s1, pa, pa, size, attrs, false));
	}
	spin_unlock(&smm_lock);
	return ret;
}
