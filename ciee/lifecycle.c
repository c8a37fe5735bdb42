/* SPDX-License-Identifier: MIT */
/*
 * A VM's end (VM_DESTROY), and what makes it safe: every CIEE call that
 * runs a VM's vCPUs or its TEE's holds a use of the pair for as long as
 * it runs (pair_enter/pair_exit). VM_DESTROY first marks the pair dying,
 * so no new use starts, and tears it down only once no use is left: no
 * CPU can be inside a VM or TEE whose tables, pages and ids are going.
 *
 * The ordering argument: a user increments its count, then reads dying;
 * VM_DESTROY sets dying, then reads the count (all sequentially
 * consistent). At least one of the two sees the other: either the user
 * backs off, or VM_DESTROY returns CIEE_ERR_VM_BUSY.
 */
#include <string.h>

#include <lib/console.h>

#include "ciee.h"

#define vms (smm->vms)

static long gone_err(uint64_t id)
{
	if (id < CIEE_MAX_VMS && __atomic_load_n(&vms[id].dying, __ATOMIC_SEQ_CST) &&
	    __atomic_load_n(&vms[id].live, __ATOMIC_SEQ_CST))
		return CIEE_ERR_VM_DYING;
	return CIEE_ERR_BAD_VM;
}

long ciee_pair_enter(uint64_t id)
{
	const struct ciee_vm *vm = ciee_vm_get(id);
	uint64_t root;

	if (!vm)
		return gone_err(id);
	root = vm->kind == CIEE_VM_KIND_TEE ? vm->partner : id;
	if (root >= CIEE_MAX_VMS)
		return CIEE_ERR_BAD_KIND;
	__atomic_add_fetch(&smm->pair_users[root], 1, __ATOMIC_SEQ_CST);
	/*
	 * Again, now that the use is visible: the pair is still there and
	 * still one pair (a destroy and a new VM_CREATE may have reused the
	 * ids between the lookup and the increment). From here until
	 * pair_exit no VM_DESTROY of it can get past its check.
	 */
	vm = ciee_vm_get(id);
	if (!vm || !ciee_vm_get(root) ||
	    (root != id && (vm->kind != CIEE_VM_KIND_TEE || vm->partner != root))) {
		long err = !vm ? gone_err(id) : !ciee_vm_get(root) ? gone_err(root)
								    : CIEE_ERR_BAD_KIND;

		__atomic_sub_fetch(&smm->pair_users[root], 1, __ATOMIC_SEQ_CST);
		return err;
	}
	return (long)root;
}

void ciee_pair_exit(long root)
{
	__atomic_sub_fetch(&smm->pair_users[root], 1, __ATOMIC_SEQ_CST);
}

/*
 * Under the SMM lock, once no CPU runs the pair and none can start: its
 * world-switch state is this CPU's alone. A TEE's registers and FP/SIMD
 * state (secrets) go, with its VM vCPUs' pending calls and replies; the
 * next VM or TEE at these ids starts from nothing.
 */
static void wipe_pair(unsigned int vm, unsigned int tee)
{
	if (tee < CIEE_MAX_VMS)
		memset(&ciee_tees[tee], 0, sizeof(ciee_tees[tee]));
	memset(ciee_vcpus[vm], 0, sizeof(ciee_vcpus[vm]));
}

long ciee_vm_destroy(uint64_t id)
{
	struct smm_destroyed done;
	unsigned int tee;
	long r;

	r = smm_pair_destroy(id, wipe_pair, &done);
	if (r != CIEE_OK)
		return r;
	tee = done.tee;
	if (tee < CIEE_MAX_VMS)
		con_printf("VM vm%u and its TEE vm%u destroyed: %llu pages zeroed and given back, "
			   "%llu table pages freed (%llu in use), both VMIDs flushed from every "
			   "TLB\n", (unsigned int)id, tee, (unsigned long long)done.pages,
			   (unsigned long long)done.tables, (unsigned long long)ciee_tables_used());
	else
		con_printf("VM vm%u destroyed: %llu pages zeroed and given back, %llu table pages "
			   "freed (%llu in use), its VMID flushed from every TLB\n",
			   (unsigned int)id, (unsigned long long)done.pages,
			   (unsigned long long)done.tables, (unsigned long long)ciee_tables_used());
	return CIEE_OK;
}
