/* SPDX-License-Identifier: MIT */
/*
 * A simple scheduler: every CPU runs the same loop, taking the next
 * runnable VM from one queue (round robin), running its vCPU until it
 * exits, handling that exit, and putting it back. A VM is on one CPU at a
 * time, but may move to another CPU at its next turn; its TEE runs on
 * whichever CPU serves its call. Guests give the CPU back at every trap
 * (console output, SMC) and at every tick (irq.c). A TEE call preempted by
 * the tick gives the CPU back too: its VM stays in the call, goes back in
 * the queue, and whichever CPU picks it next resumes the TEE
 * (vcpu_tee_resume()); other VMs run in between.
 */
#include <arch/sysreg.h>
#include <lib/console.h>
#include <lib/spinlock.h>

#include "hyp.h"

#define NO_CPU 0xffU

static struct spinlock rq_lock = SPINLOCK_INIT;
static struct vm *rq[HYP_MAX_VMS];
static unsigned int n_rq, cursor;
static volatile unsigned int n_live;
static volatile unsigned int started;

void sched_add(struct vm *vm)
{
	spin_lock(&rq_lock);
	if (n_rq < HYP_MAX_VMS) {
		vm->last_cpu = NO_CPU;
		rq[n_rq++] = vm;
		n_live++;
	}
	spin_unlock(&rq_lock);
}

static struct vm *pick(void)
{
	struct vm *vm = NULL;
	unsigned int i;

	spin_lock(&rq_lock);
	for (i = 0; i < n_rq; i++) {
		struct vm *c = rq[(cursor + i) % n_rq];

		if (c->running && !c->busy) {
			c->busy = true;
			vm = c;
			cursor = (cursor + i + 1) % n_rq;
			break;
		}
	}
	spin_unlock(&rq_lock);
	return vm;
}

void sched_start(void)
{
	vcpu_defer_preempted = true;
	__atomic_store_n(&started, 1, __ATOMIC_RELEASE);
	dsb(ish);
	sev();
}

/* Runs until no VM is left; every CPU calls it. */
void sched_loop(void)
{
	unsigned int cpu = this_cpu_index();

	while (!__atomic_load_n(&started, __ATOMIC_ACQUIRE))
		wfe();
	tick_start(tick_period_us());
	while (__atomic_load_n(&n_live, __ATOMIC_ACQUIRE)) {
		struct vm *vm = pick();

		if (!vm) {
			__asm__ volatile("yield");
			continue;
		}
		if (vm->last_cpu != NO_CPU && vm->last_cpu != cpu)
			vm->migrations++;
		vm->last_cpu = cpu;
		vm->steps[cpu]++;
		if (vm->tee_preempted)
			vcpu_tee_resume(vm);
		else
			vcpu_step(vm);
		if (!vm->running)
			__atomic_sub_fetch(&n_live, 1, __ATOMIC_ACQ_REL);
		__atomic_store_n(&vm->busy, false, __ATOMIC_RELEASE);
	}
	tick_stop();
}

void sched_report(void)
{
	unsigned int i;

	for (i = 0; i < n_rq; i++) {
		const struct vm *vm = rq[i];

		con_printf("%s: %s; %lu exits on cpu0, %lu on cpu1, moved between CPUs %u times\n",
			   vm->name, vm->faulted ? "stopped by a fault" : "powered off",
			   vm->steps[0], vm->steps[1], vm->migrations);
	}
	for (i = 0; i < n_rq; i++) {
		const struct vm *tee = rq[i]->partner;

		if (!tee)
			continue;
		if (tee->resumes == tee->preemptions)
			con_printf("%s: preempted %lu times mid-call, resumed every time "
				   "(%lu times on another CPU)\n", tee->name, tee->preemptions,
				   tee->resumed_elsewhere);
		else
			con_printf("%s: preempted %lu times mid-call, resumed only %lu times\n",
				   tee->name, tee->preemptions, tee->resumes);
	}
	irq_report();
}
