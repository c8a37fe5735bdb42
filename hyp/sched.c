/* SPDX-License-Identifier: MIT */
/*
 * A simple scheduler: every CPU runs the same loop, taking the next
 * runnable vCPU from one queue (round robin), running it until it exits,
 * handling that exit, and putting it back. A vCPU is on one CPU at a time,
 * but may move to another CPU at its next turn; two vCPUs of one VM may run
 * at once; its TEE vCPU runs on whichever CPU serves its call. Guests give the CPU back at every trap
 * (console output, SMC) and at every tick (irq.c). A TEE call preempted by
 * the tick gives the CPU back too: its VM stays in the call, goes back in
 * the queue, and whichever CPU picks it next resumes the TEE
 * (vcpu_tee_resume()); other VMs run in between.
 */
#include <arch/sysreg.h>
#include <lib/console.h>
#include <lib/fmt.h>
#include <lib/spinlock.h>

#include "hyp.h"

#define NO_CPU 0xffU
#define RQ_MAX (HYP_MAX_VMS * HYP_MAX_VCPUS)

static struct spinlock rq_lock = SPINLOCK_INIT;
static struct vcpu *rq[RQ_MAX];
static struct vm *vms_added[HYP_MAX_VMS];
static unsigned int n_rq, n_vms_added, cursor;
static volatile unsigned int n_live;
static volatile unsigned int started;

void sched_add(struct vm *vm)
{
	unsigned int i;

	spin_lock(&rq_lock);
	if (n_vms_added < HYP_MAX_VMS && n_rq + vm->n_vcpus <= RQ_MAX) {
		vms_added[n_vms_added++] = vm;
		for (i = 0; i < vm->n_vcpus; i++) {
			vm->vcpus[i].last_cpu = NO_CPU;
			rq[n_rq++] = &vm->vcpus[i];
		}
		n_live++;
	}
	spin_unlock(&rq_lock);
}

/* vm stopped running (vcpu.c, once per VM): one fewer to wait for. */
void sched_vm_stopped(struct vm *vm)
{
	unsigned int i;

	spin_lock(&rq_lock);
	for (i = 0; i < n_vms_added; i++) {
		if (vms_added[i] == vm) {
			n_live--;
			break;
		}
	}
	spin_unlock(&rq_lock);
}

/* No vCPU of vm is on a CPU now (rq_lock held: busy is set under it). */
static bool vm_idle(const struct vm *vm);

void sched_remove(struct vm *vm)
{
	unsigned int i, j, guard;
	bool idle = false;

	/* It is not running, so pick() takes none of its vCPUs: wait for the ones on a CPU. */
	for (guard = 0; guard < 100000000 && !idle; guard++) {
		spin_lock(&rq_lock);
		idle = vm_idle(vm);
		if (idle) {
			for (i = 0, j = 0; i < n_rq; i++)
				if (rq[i]->vm != vm)
					rq[j++] = rq[i];
			n_rq = j;
			cursor = n_rq ? cursor % n_rq : 0;
			for (i = 0, j = 0; i < n_vms_added; i++)
				if (vms_added[i] != vm)
					vms_added[j++] = vms_added[i];
			n_vms_added = j;
		}
		spin_unlock(&rq_lock);
		if (!idle)
			__asm__ volatile("yield");
	}
	if (!idle)
		con_printf("error: %s: a CPU never left it\n", vm->name);
}

static bool vm_idle(const struct vm *vm)
{
	unsigned int i;

	for (i = 0; i < vm->n_vcpus; i++) {
		if (vm->vcpus[i].busy)
			return false;
	}
	return true;
}

static struct vcpu *pick(void)
{
	struct vcpu *v = NULL;
	unsigned int i;

	spin_lock(&rq_lock);
	for (i = 0; i < n_rq; i++) {
		struct vcpu *c = rq[(cursor + i) % n_rq];

		/* A VM to reboot: its vCPU 0, once none of its vCPUs is on a CPU. */
		if (c->vm->running && __atomic_load_n(&c->vm->reset_pending, __ATOMIC_ACQUIRE)) {
			if (c->index == 0 && vm_idle(c->vm)) {
				c->busy = true;
				v = c;
				cursor = (cursor + i + 1) % n_rq;
				break;
			}
			continue;
		}
		/* NUMA placement: only on its node's CPUs. */
		if (c->vm->cpu_mask && !(c->vm->cpu_mask & (1U << this_cpu_index())))
			continue;
		if (c->vm->running && __atomic_load_n(&c->on, __ATOMIC_ACQUIRE) && !c->busy) {
			/* In WFI: only once it has something to take. */
			if (__atomic_load_n(&c->waiting, __ATOMIC_ACQUIRE)) {
				if (!gicv_should_wake(c))
					continue;
				__atomic_store_n(&c->waiting, false, __ATOMIC_RELEASE);
			}
			c->busy = true;
			v = c;
			cursor = (cursor + i + 1) % n_rq;
			break;
		}
	}
	spin_unlock(&rq_lock);
	return v;
}

void sched_start(void)
{
	vcpu_defer_preempted = true;
	__atomic_store_n(&started, 1, __ATOMIC_RELEASE);
	dsb(ish);
	sev();
}

unsigned int sched_live(void)
{
	return __atomic_load_n(&n_live, __ATOMIC_ACQUIRE);
}

/*
 * Schedule on this CPU until no VM is left, or until keep_going (if
 * given) says to stop: a CPU may join the scheduler for a while and leave
 * it again (the attack suite's CPU 0, between its attacks). Each turn
 * runs one vCPU exit to its end, so nothing is left half-done on the way
 * out. Returns whether VMs are still live.
 */
bool sched_run(bool (*keep_going)(void))
{
	unsigned int cpu = this_cpu_index();

	while (!__atomic_load_n(&started, __ATOMIC_ACQUIRE))
		wfe();
	gicv_cpu_sched(true);
	tick_start(tick_period_us());
	/* Until no VM runs, no power-off policy is pending and no operator is at the console. */
	while ((__atomic_load_n(&n_live, __ATOMIC_ACQUIRE) || lifecycle_pending() ||
		mgmt_active()) &&
	       (!keep_going || keep_going())) {
		struct vcpu *v;

		console_in_poll();
		lifecycle_poll();
		v = pick();
		if (!v) {
			/* Nothing to run: sleep until an interrupt (the tick, a kick). */
			wfi();
			irq_handle();
			continue;
		}
		if (v->last_cpu != NO_CPU && v->last_cpu != cpu)
			v->migrations++;
		v->last_cpu = cpu;
		v->steps[cpu]++;
		if (v->vm->reset_pending)
			linux_vm_reboot(v->vm);
		else if (v->tee_preempted)
			vcpu_tee_resume(v);
		else
			vcpu_step(v);
		__atomic_store_n(&v->busy, false, __ATOMIC_RELEASE);
	}
	tick_stop();
	gicv_cpu_sched(false);
	return sched_live() != 0;
}

/* Runs until no VM is left; every CPU calls it. */
void sched_loop(void)
{
	sched_run(NULL);
}

/* " 12 on cpu4" for every CPU above cpu1 that did something (cpu0, cpu1 always). */
static void more_cpus(char *buf, size_t n, const unsigned long *per_cpu)
{
	size_t len = 0;
	unsigned int c;

	buf[0] = '\0';
	for (c = 2; c < PLAT_MAX_CPUS && len < n; c++)
		if (per_cpu[c])
			len += (size_t)fmt_snprintf(buf + len, n - len, ", %lu on cpu%u",
						    per_cpu[c], c);
}

void sched_report(void)
{
	unsigned int i, j, c;
	char more[160];

	for (i = 0; i < n_vms_added; i++) {
		const struct vm *vm = vms_added[i];
		unsigned long steps[PLAT_MAX_CPUS] = { 0 };
		unsigned int migrations = 0, started_vcpus = 0;

		for (j = 0; j < vm->n_vcpus; j++) {
			unsigned long all = 0;

			for (c = 0; c < PLAT_MAX_CPUS; c++) {
				steps[c] += vm->vcpus[j].steps[c];
				all += vm->vcpus[j].steps[c];
			}
			migrations += vm->vcpus[j].migrations;
			started_vcpus += all != 0;
		}
		more_cpus(more, sizeof(more), steps);
		con_printf("%s: %s; %lu exits on cpu0, %lu on cpu1%s, moved between CPUs %u times "
			   "(%u of %u vCPUs ran)\n",
			   vm->name, vm->faulted ? "stopped by a fault" : "powered off", steps[0],
			   steps[1], more, migrations, started_vcpus, vm->n_vcpus);
	}
	for (i = 0; i < n_vms_added; i++) {
		const struct vm *tee = vms_added[i]->partner;

		if (!tee)
			continue;
		if (tee->resumes == tee->preemptions)
			con_printf("%s: preempted %lu times mid-call, resumed every time "
				   "(%lu times on another CPU)\n", tee->name, tee->preemptions,
				   tee->resumed_elsewhere);
		else
			con_printf("%s: preempted %lu times mid-call, resumed only %lu times\n",
				   tee->name, tee->preemptions, tee->resumes);
		if (vms_added[i]->tee_irqs || vms_added[i]->tee_irqs_dropped)
			con_printf("%s: %lu interrupts raised by %s injected, %lu dropped\n",
				   vms_added[i]->name, vms_added[i]->tee_irqs, tee->name,
				   vms_added[i]->tee_irqs_dropped);
	}
	irq_report();
}
