/* SPDX-License-Identifier: MIT */
/*
 * The lifecycle test's guest (vms/lifecycle.dts). Its boot argument x0 is
 * its index in the configuration:
 *   0: a VM created and destroyed over and over (on-poweroff = restart).
 *      Each time it first checks that nothing of an earlier VM is left:
 *      its RAM above its image is zero and its TEE's store is empty (a
 *      new TEE). Then it leaves its own marks everywhere (its RAM, its
 *      TEE's store) for the next one to look for, and powers off.
 *   1 and up: the load: calls to its own TEE, every reply checked, until
 *      it is destroyed. VM 1 makes null calls; VM 2 and up long ones
 *      (a TEE with test hooks, VTZ_SMC_TEE_TEST_SPIN), which the tick
 *      preempts: a destroy lands in the middle of one.
 */
#include <stdbool.h>

#include <vtz/optee_abi.h>

#include "guest.h"

#define RAM_BASE 0x40000000UL
#define RAM_SIZE 0x01000000UL
/* Above the image, its stacks and a margin: what an earlier VM could have left. */
#define CHECK_FROM (RAM_BASE + 0x00100000UL)
#define MARK 0x6d61726b6d61726bUL /* "markmark" */
#define SLOTS 2

extern char __guest_stack1_top[];

void guest_power_off(void)
{
	struct smc_regs r = { .x = { PSCI_SYSTEM_OFF } };

	guest_smc(&r);
	for (;;)
		;
}

void guest_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
	(void)kind;
	gprintf("FATAL: unexpected exception: ESR=0x%llx ELR=0x%llx FAR=0x%llx\n",
		(unsigned long long)esr, (unsigned long long)elr, (unsigned long long)far);
}

static uint64_t tee_slot(uint64_t fid, uint64_t slot, uint64_t value, uint64_t *out)
{
	struct smc_regs r = { .x = { fid, slot, value } };

	guest_smc(&r);
	*out = r.x[1];
	return r.x[0];
}

static void cycle(void)
{
	volatile uint64_t *p;
	uint64_t left = 0, v, slot;

	for (p = (volatile uint64_t *)CHECK_FROM; p < (volatile uint64_t *)(RAM_BASE + RAM_SIZE);
	     p++)
		left += *p != 0;
	for (slot = 0; slot < SLOTS; slot++) {
		if (tee_slot(VTZ_SMC_TEE_LOAD, slot, 0, &v) != OPTEE_SMC_RETURN_OK) {
			gprintf("FATAL: my TEE does not answer\n");
			return;
		}
		left += v != 0;
	}
	if (left) {
		gprintf("FATAL: %llu words of an earlier VM or TEE are still there\n",
			(unsigned long long)left);
		return;
	}
	for (p = (volatile uint64_t *)CHECK_FROM; p < (volatile uint64_t *)(RAM_BASE + RAM_SIZE);
	     p++)
		*p = MARK;
	for (slot = 0; slot < SLOTS; slot++)
		tee_slot(VTZ_SMC_TEE_STORE, slot, MARK ^ slot, &v);
	gprintf("cycle: nothing of an earlier VM (%lu MiB of RAM zero, my TEE's store empty); "
		"my marks left\n", (RAM_BASE + RAM_SIZE - CHECK_FROM) >> 20);
}

#define SPIN 2000000UL

static void load(uint64_t id)
{
	unsigned long n;

	for (n = 1;; n++) {
		bool spin = id >= 2;
		struct smc_regs r = { .x = { spin ? VTZ_SMC_TEE_TEST_SPIN : VTZ_SMC_TEE_NULL,
					     spin ? SPIN : id, n } };

		guest_smc(&r);
		if (r.x[0] != OPTEE_SMC_RETURN_OK || r.x[1] != (spin ? SPIN : id) ||
		    r.x[2] != (spin ? n + 1 : n)) {
			gprintf("FATAL: call %lu: wrong reply x0=0x%llx x1=0x%llx\n", n,
				(unsigned long long)r.x[0], (unsigned long long)r.x[1]);
			return;
		}
		if (n % (spin ? 50 : 5000) == 0)
			gprintf("load: %lu calls to my TEE, every reply mine\n", n);
	}
}

void guest_main(uint64_t id)
{
	if (id == 0)
		cycle();
	else
		load(id);
}
