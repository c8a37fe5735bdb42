/* SPDX-License-Identifier: MIT */
/*
 * VMs over time: each defined VM (struct vm_def: from the configuration)
 * is created, runs, powers off and then follows its on-poweroff policy
 * (stop, restart, destroy), or is started, stopped, destroyed and
 * restarted from the management console (mgmt.c). Destroying a VM asks
 * the CIEE to tear down the VM and its TEE (VM_DESTROY: their state
 * wiped, every page zeroed and given back, their TLB entries gone)
 * before their memory returns to the pool and their ids to VM_CREATE.
 *
 * Creation and destruction happen on CPU 0 only, between two scheduler
 * turns (lifecycle_poll()): the other CPUs keep running the other VMs.
 */
#include <string.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <policy/vm_config.h>

#include "hyp.h"

static struct vm_def *defs;
static unsigned int n_defs;
static unsigned long n_started, n_clean, n_failed;
/* VMs that powered off with a policy still to apply (CPU 0 applies it). */
static volatile unsigned int n_pending;

void lifecycle_init(struct vm_def *d, unsigned int n)
{
	defs = d;
	n_defs = n;
}

struct vm_def *vm_def_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < n_defs; i++)
		if (!strncmp(defs[i].cfg->name, name, VM_NAME_MAX))
			return &defs[i];
	return NULL;
}

unsigned int vm_def_count(void)
{
	return n_defs;
}

struct vm_def *vm_def_at(unsigned int i)
{
	return i < n_defs ? &defs[i] : NULL;
}

/* Create a defined VM and its TEE (config.c), boot the TEE, queue the VM. */
int vm_def_start(struct vm_def *d)
{
	struct vm *vm;

	if (d->vm) {
		con_printf("error: %s is already there (%s): destroy or restart it\n", d->cfg->name,
			   d->vm->running ? "running" : "stopped");
		return -1;
	}
	vm = config_vm_create(d->index);
	if (!vm) {
		n_failed++;
		return -1;
	}
	vm->def = d;
	d->vm = vm;
	d->starts++;
	sched_add(vm);
	return 0;
}

/* Stop a running VM (as a power-off would); its memory and TEE stay. */
int vm_def_stop(struct vm_def *d)
{
	if (!d->vm || !d->vm->running) {
		con_printf("error: %s is not running\n", d->cfg->name);
		return -1;
	}
	d->vm->stop_asked = true;
	vm_stop(d->vm, false);
	return 0;
}

/* Tear a VM and its TEE down through the CIEE, and free what was theirs. */
int vm_def_destroy(struct vm_def *d)
{
	struct vm *vm = d->vm;

	if (!vm) {
		con_printf("error: %s does not exist\n", d->cfg->name);
		return -1;
	}
	if (vm->running) {
		vm->stop_asked = true;
		vm_stop(vm, false);
	}
	if (vm_teardown(vm))
		return -1;
	d->vm = NULL;
	return 0;
}

int vm_def_restart(struct vm_def *d)
{
	if (d->vm && vm_def_destroy(d))
		return -1;
	return vm_def_start(d);
}

/*
 * A VM stopped (vcpu.c: powered off, faulted, or asked to stop). Called
 * on the CPU that stopped it: the policy is applied later on CPU 0, and
 * the scheduler keeps going until then.
 */
void lifecycle_vm_stopped(struct vm *vm)
{
	if (vm->faulted)
		__atomic_add_fetch(&n_failed, 1, __ATOMIC_RELAXED);
	else
		__atomic_add_fetch(&n_clean, 1, __ATOMIC_RELAXED);
	if (!vm->def || vm->stop_asked || vm->def->cfg->on_poweroff == VMCFG_ON_POWEROFF_STOP)
		return;
	__atomic_store_n(&vm->policy_due, true, __ATOMIC_RELEASE);
	__atomic_add_fetch(&n_pending, 1, __ATOMIC_ACQ_REL);
}

/* A guest VM was made (vm.c), by the configuration or by a test hypervisor. */
void lifecycle_vm_started(void)
{
	__atomic_add_fetch(&n_started, 1, __ATOMIC_RELAXED);
}

unsigned int lifecycle_pending(void)
{
	return __atomic_load_n(&n_pending, __ATOMIC_ACQUIRE);
}

/* CPU 0, between two scheduler turns: apply the policies now due. */
void lifecycle_poll(void)
{
	unsigned int i;

	if (this_cpu_index() != 0 || !lifecycle_pending())
		return;
	for (i = 0; i < n_defs; i++) {
		struct vm_def *d = &defs[i];
		struct vm *vm = d->vm;
		bool restart;

		if (!vm || !__atomic_load_n(&vm->policy_due, __ATOMIC_ACQUIRE))
			continue;
		restart = d->cfg->on_poweroff == VMCFG_ON_POWEROFF_RESTART;
		con_printf("%s powered off: %s it (on-poweroff = %s)\n", d->cfg->name,
			   restart ? "restarting" : "destroying", restart ? "restart" : "destroy");
		/* Queued again (or gone) before the pending count drops: the scheduler stays up. */
		__atomic_store_n(&vm->policy_due, false, __ATOMIC_RELEASE);
		if (restart)
			vm_def_restart(d);
		else
			vm_def_destroy(d);
		__atomic_sub_fetch(&n_pending, 1, __ATOMIC_ACQ_REL);
	}
}

/* VMs that could not be made or were stopped by a fault, so far. */
unsigned long lifecycle_failed(void)
{
	return n_failed;
}

/* The run's one closing line. */
void lifecycle_report(void)
{
	con_printf("vms: %lu started, %lu stopped cleanly, %lu failed\n", n_started, n_clean,
		   n_failed);
}
