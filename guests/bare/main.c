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

/*
 * The TEE answers on the TEE vCPU with my vCPU's index, and says which
 * (bits 19:16 of x3): a VM vCPU's calls reach only its own TEE vCPU.
 */
static int ping(uint64_t a, uint64_t b, unsigned int vcpu)
{
	struct smc_regs r = { .x = { VTZ_SMC_TEE_PING, a, b } };

	guest_smc(&r);
	if (r.x[0] != OPTEE_SMC_RETURN_OK || r.x[1] != a + b || r.x[2] != (a ^ b) ||
	    (r.x[3] & 0xfff00000UL) != 0x7ee00000UL || ((r.x[3] >> 16) & 0xf) != vcpu) {
		gprintf("FATAL: bad TEE reply: x0=0x%llx x1=0x%llx x2=0x%llx x3=0x%llx\n",
			(unsigned long long)r.x[0], (unsigned long long)r.x[1],
			(unsigned long long)r.x[2], (unsigned long long)r.x[3]);
		return -1;
	}
	gprintf("%sround trip ok: TEE replied 0x%llx + 0x%llx = 0x%llx (xor 0x%llx, call #%llu, "
		"TEE cpu%u)\n", vcpu ? "vCPU 1: " : "",
		(unsigned long long)a, (unsigned long long)b, (unsigned long long)r.x[1],
		(unsigned long long)r.x[2], (unsigned long long)(r.x[3] & 0xffff), vcpu);
	return 0;
}

static uint64_t secret_of(uint64_t id, unsigned int slot)
{
	return 0x5ec2e7000000UL | ((uint64_t)slot << 16) | (id << 8) | 0x42;
}

static int check_secret(uint64_t id, unsigned int slot)
{
	uint64_t secret = secret_of(id, slot);
	struct smc_regs r = { .x = { VTZ_SMC_TEE_LOAD, slot } };

	guest_smc(&r);
	if (r.x[0] != OPTEE_SMC_RETURN_OK || r.x[1] != secret) {
		gprintf("FATAL: slot %u of my TEE holds 0x%llx, not my secret 0x%llx\n", slot,
			(unsigned long long)r.x[1], (unsigned long long)secret);
		return -1;
	}
	gprintf("my secret 0x%llx is in my TEE, and slot %u there is mine\n",
		(unsigned long long)secret, slot);
	return 0;
}

/*
 * Keep a secret in my own TEE and read it back: each VM's secret differs,
 * and each TEE's store is its own, so reading slot 0 gives back mine.
 */
static int keep_secret(uint64_t id, unsigned int slot)
{
	uint64_t secret = secret_of(id, slot);
	struct smc_regs r = { .x = { VTZ_SMC_TEE_STORE, slot, secret } };

	guest_smc(&r);
	if (r.x[0] != OPTEE_SMC_RETURN_OK) {
		gprintf("FATAL: my TEE refused to store my secret (0x%llx)\n",
			(unsigned long long)r.x[0]);
		return -1;
	}
	return check_secret(id, slot);
}

/* Many calls in a row, so several VMs' calls interleave on the CPUs. */
static int call_burst(uint64_t id, unsigned int n, unsigned int vcpu)
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
	gprintf("%s%u calls to my TEE, every reply mine\n", vcpu ? "vCPU 1: " : "", n);
	return 0;
}

/* vCPU 1: 0 while it runs, then 1 (all its calls right) or 2 (a failure). */
static volatile uint32_t vcpu1_done;

/* vCPU 1, started by vCPU 0: its own calls, to its own TEE vCPU, at once. */
void guest_secondary_main(uint64_t id)
{
	int bad;

	gprintf("vCPU 1: up, calling my TEE from this vCPU too\n");
	bad = ping(0x1111, 0x2222, 1) || keep_secret(id, 1) || call_burst(id, 200, 1);
	__asm__ volatile("dsb sy" ::: "memory");
	vcpu1_done = bad ? 2 : 1;
}

/* Start vCPU 1 with PSCI CPU_ON; 0 if it runs, -1 if this VM has no second vCPU. */
static int start_vcpu1(uint64_t id)
{
	extern char guest_secondary_entry[];
	struct smc_regs r = { .x = { PSCI_CPU_ON_AARCH64, 1,
				     (uint64_t)(uintptr_t)guest_secondary_entry, id } };

	guest_smc(&r);
	if (r.x[0] != PSCI_RET_SUCCESS) {
		gprintf("one vCPU only (PSCI CPU_ON for vCPU 1: %lld)\n", (long long)r.x[0]);
		return -1;
	}
	gprintf("started vCPU 1 (PSCI CPU_ON)\n");
	return 0;
}

/* vCPU 1's result, and its secret seen from vCPU 0: one TEE, two vCPUs. */
static int join_vcpu1(uint64_t id)
{
	unsigned long i;

	for (i = 0; i < 100000000UL && !vcpu1_done; i++)
		__asm__ volatile("yield");
	if (vcpu1_done != 1) {
		gprintf("FATAL: vCPU 1 %s\n", vcpu1_done ? "got a wrong reply" : "never finished");
		return -1;
	}
	return check_secret(id, 1);
}

/*
 * My own TEE's memory, wherever I look for it: where a TEE lives on the
 * real machine (secure RAM, 0x0e100000) and, when the hypervisor tells me
 * (boot argument x1, as a curious guest might learn it), at its physical
 * address. Each read must end in an external abort, never in data.
 */
static int probe_tee_memory(uint64_t tee_pa)
{
	uint64_t where[2] = { 0x0e100000UL, tee_pa }, val, esr;
	unsigned int i;

	for (i = 0; i < 2; i++) {
		if (!where[i])
			continue;
		if (guest_probe_read(where[i], &val, &esr) == 0) {
			gprintf("FATAL: read my TEE's memory at 0x%llx: 0x%llx\n",
				(unsigned long long)where[i], (unsigned long long)val);
			return -1;
		}
		gprintf("my TEE's memory at 0x%llx%s: out of my reach (external abort, ESR "
			"0x%llx)\n", (unsigned long long)where[i],
			i ? " (its physical address)" : " (secure RAM)", (unsigned long long)esr);
	}
	return 0;
}

#ifndef VTZ_NATIVE
/* My vCPUs, as PSCI sees them: AFFINITY_INFO knows MPIDR Aff0 0..N-1 only. */
static unsigned int count_vcpus(void)
{
	unsigned int n;

	for (n = 0; n < 64; n++) {
		struct smc_regs r = { .x = { PSCI_AFFINITY_INFO_AARCH64, n, 0 } };

		guest_smc(&r);
		if ((int64_t)r.x[0] < 0)
			break;
	}
	return n;
}
#endif

void guest_main(uint64_t id, uint64_t tee_pa)
{
	struct smc_regs r = { .x = { OPTEE_SMC_CALLS_UID } };
	int two;
#ifndef VTZ_NATIVE
	unsigned int vcpus = count_vcpus();

	gprintf("VM %llu with %u vCPU%s (PSCI AFFINITY_INFO)\n", (unsigned long long)id, vcpus,
		vcpus == 1 ? "" : "s");
#endif
	gprintf("bare-metal guest at EL1: calling my TEE\n");
	guest_smc(&r);
	/* A VM configured without a TEE: its hypervisor has no TEE to send the call to. */
	if ((int64_t)r.x[0] == SMCCC_NOT_SUPPORTED) {
		gprintf("no TEE answers (SMCCC NOT_SUPPORTED): a VM without a TEE, nothing to "
			"call\n");
		return;
	}
	gprintf("TEE UID %08llx-%08llx-%08llx-%08llx\n", (unsigned long long)r.x[0],
		(unsigned long long)r.x[1], (unsigned long long)r.x[2],
		(unsigned long long)r.x[3]);
	if (ping(0x1234, 0x5678, 0) || ping(0xdeadbeef00, 0x1100ff, 0))
		return;
	two = start_vcpu1(id) == 0;
	if (keep_secret(id, 0) || probe_tee_memory(tee_pa) || call_burst(id, 200, 0) ||
	    check_secret(id, 0))
		return;
	if (two && join_vcpu1(id))
		return;
	r = (struct smc_regs){ .x = { SMCCC_VERSION } };
	guest_smc(&r);
	gprintf("SMCCC version 0x%llx\n", (unsigned long long)r.x[0]);
}
