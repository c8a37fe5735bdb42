/* SPDX-License-Identifier: MIT */
/*
 * Default test guest: one call through every layer to its own TEE, a
 * check of the reply, then PSCI SYSTEM_OFF.
 */
#include <vtz/optee_abi.h>
#include <vtz/smccc.h>

#include "guest.h"

void guest_power_off(void)
{
	struct smc_regs r = { .x = { PSCI_SYSTEM_OFF } };

	gprintf("powering off (PSCI SYSTEM_OFF)\n");
	guest_smc(&r);
	for (;;)
		;
}

void guest_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
	(void)kind;
	gprintf("FATAL: unexpected exception at EL1: EC=0x%02llx ESR=0x%llx ELR=0x%llx "
		"FAR=0x%llx\n",
		(unsigned long long)(esr >> 26), (unsigned long long)esr,
		(unsigned long long)elr, (unsigned long long)far);
}

static int ping(uint64_t a, uint64_t b)
{
	struct smc_regs r = { .x = { VTZ_SMC_TEE_PING, a, b } };

	guest_smc(&r);
	if (r.x[0] != OPTEE_SMC_RETURN_OK || r.x[1] != a + b || r.x[2] != (a ^ b) ||
	    (r.x[3] & 0xfff00000UL) != 0x7ee00000UL) {
		gprintf("FATAL: bad TEE reply: x0=0x%llx x1=0x%llx x2=0x%llx x3=0x%llx\n",
			(unsigned long long)r.x[0], (unsigned long long)r.x[1],
			(unsigned long long)r.x[2], (unsigned long long)r.x[3]);
		return -1;
	}
	gprintf("round trip ok: TEE replied 0x%llx + 0x%llx = 0x%llx (xor 0x%llx, call #%llu)\n",
		(unsigned long long)a, (unsigned long long)b, (unsigned long long)r.x[1],
		(unsigned long long)r.x[2], (unsigned long long)(r.x[3] & 0xffff));
	return 0;
}

/*
 * Keep a secret in my own TEE and read it back: each VM's secret differs,
 * and each TEE's store is its own, so reading slot 0 gives back mine.
 */
static int keep_secret(uint64_t id)
{
	uint64_t secret = 0x5ec2e7000000UL | (id << 8) | 0x42;
	struct smc_regs r = { .x = { VTZ_SMC_TEE_STORE, 0, secret } };

	guest_smc(&r);
	if (r.x[0] != OPTEE_SMC_RETURN_OK) {
		gprintf("FATAL: my TEE refused to store my secret (0x%llx)\n",
			(unsigned long long)r.x[0]);
		return -1;
	}
	r = (struct smc_regs){ .x = { VTZ_SMC_TEE_LOAD, 0 } };
	guest_smc(&r);
	if (r.x[0] != OPTEE_SMC_RETURN_OK || r.x[1] != secret) {
		gprintf("FATAL: slot 0 of my TEE holds 0x%llx, not my secret 0x%llx\n",
			(unsigned long long)r.x[1], (unsigned long long)secret);
		return -1;
	}
	gprintf("my secret 0x%llx is in my TEE, and slot 0 there is mine\n",
		(unsigned long long)secret);
	return 0;
}

/* Many calls in a row, so several VMs' calls interleave on the CPUs. */
static int call_burst(uint64_t id, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct smc_regs r = { .x = { VTZ_SMC_TEE_NULL, id, i } };

		guest_smc(&r);
		if (r.x[0] != OPTEE_SMC_RETURN_OK || r.x[1] != id || r.x[2] != i) {
			gprintf("FATAL: call %u: bad reply x0=0x%llx x1=0x%llx\n", i,
				(unsigned long long)r.x[0], (unsigned long long)r.x[1]);
			return -1;
		}
	}
	gprintf("%u calls to my TEE, every reply mine\n", n);
	return 0;
}

void guest_main(uint64_t id)
{
	struct smc_regs r = { .x = { OPTEE_SMC_CALLS_UID } };

	gprintf("bare-metal guest at EL1: calling my TEE\n");
	guest_smc(&r);
	gprintf("TEE UID %08llx-%08llx-%08llx-%08llx\n", (unsigned long long)r.x[0],
		(unsigned long long)r.x[1], (unsigned long long)r.x[2],
		(unsigned long long)r.x[3]);
	if (ping(0x1234, 0x5678) || ping(0xdeadbeef00, 0x1100ff))
		return;
	if (keep_secret(id) || call_burst(id, 200) || keep_secret(id))
		return;
	r = (struct smc_regs){ .x = { SMCCC_VERSION } };
	guest_smc(&r);
	gprintf("SMCCC version 0x%llx\n", (unsigned long long)r.x[0]);
}
