/* SPDX-License-Identifier: MIT */
/*
 * VMs as the CIEE sees them: an id, a kind (guest VM or guest TEE), a
 * partner, and a stage-2 table only the CIEE writes.
 */
#include <string.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <lib/spinlock.h>

#include "ciee.h"

static struct ciee_vm vms[CIEE_MAX_VMS];
static struct spinlock vm_lock = SPINLOCK_INIT;

struct ciee_vm *ciee_vm_get(uint64_t id)
{
	if (id >= CIEE_MAX_VMS || !vms[id].live)
		return NULL;
	return &vms[id];
}

long ciee_vm_create(uint64_t id, uint64_t kind, uint64_t partner)
{
	struct ciee_vm *vm;
	uint64_t root;
	long ret = CIEE_OK;

	if (id >= CIEE_MAX_VMS)
		return CIEE_ERR_BAD_VM;
	if (kind != CIEE_VM_KIND_GUEST && kind != CIEE_VM_KIND_TEE)
		return CIEE_ERR_BAD_KIND;
	spin_lock(&vm_lock);
	vm = &vms[id];
	if (vm->live) {
		ret = CIEE_ERR_VM_EXISTS;
		goto out;
	}
	if (kind == CIEE_VM_KIND_TEE) {
		/* A TEE belongs to exactly one existing guest VM without a TEE. */
		if (partner >= CIEE_MAX_VMS || !vms[partner].live ||
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
	vm->vmid = (uint16_t)(id + 1);
	vm->partner = CIEE_MAX_VMS;
	if (kind == CIEE_VM_KIND_TEE) {
		vm->partner = (unsigned int)partner;
		vms[partner].partner = (unsigned int)id;
	}
	vm->live = true;
out:
	spin_unlock(&vm_lock);
	return ret;
}

long ciee_s2_map(uint64_t id, uint64_t ipa, uint64_t pa, uint64_t size, uint64_t flags)
{
	struct ciee_vm *vm = ciee_vm_get(id);
	unsigned int perms = 0;
	uint64_t attrs;
	int err;

	if (!vm)
		return CIEE_ERR_BAD_VM;
	if (flags & ~(uint64_t)(CIEE_MAP_R | CIEE_MAP_W | CIEE_MAP_X | CIEE_MAP_DEVICE))
		return CIEE_ERR_PERM;
	perms |= (flags & CIEE_MAP_R) ? PT_PERM_R : 0;
	perms |= (flags & CIEE_MAP_W) ? PT_PERM_W : 0;
	perms |= (flags & CIEE_MAP_X) ? PT_PERM_X : 0;
	if (pt_leaf_attrs(PT_REGIME_S2, perms,
			  (flags & CIEE_MAP_DEVICE) ? PT_MEM_DEVICE : PT_MEM_NORMAL, &attrs))
		return CIEE_ERR_PERM;
	spin_lock(&vm_lock);
	err = pt_map(&vm->s2, ipa, pa, size, attrs, true);
	/* New entries only (pt_map never replaces one): no stale TLB entry can exist. */
	dsb(ishst);
	spin_unlock(&vm_lock);
	if (err == -PT_ERR_NOMEM)
		return CIEE_ERR_NOMEM;
	return err ? CIEE_ERR_MAP : CIEE_OK;
}
