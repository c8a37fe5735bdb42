/* SPDX-License-Identifier: MIT */
/*
 * TEE-fault test guest (with tee-test, the TEE built with test hooks). Under
 * vTZ every VM runs it: VM 1 makes its own TEE fault and checks that its
 * next call fails with an error instead of hanging; the other VMs keep
 * using their TEEs meanwhile and must not notice. Natively (x0 is not a VM
 * index there) the one guest is the faulting one.
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
	gprintf("FATAL: unexpected exception at EL1: ESR=0x%llx ELR=0x%llx FAR=0x%llx\n",
		(unsigned long long)esr, (unsigned long long)elr, (unsigned long long)far);
}

static uint64_t call(uint32_t fid, const char *what)
{
	struct smc_regs r = { .x = { fid, 0x1234, 0x5678 } };

	guest_smc(&r);
	gprintf("%s: x0=0x%llx\n", what, (unsigned long long)r.x[0]);
	return r.x[0];
}

#define FAULTING_VM 1
#define MAX_VM_INDEX 16

/* The VMs whose TEEs stay healthy: many calls, a secret kept across them. */
static void keep_working(uint64_t id)
{
	uint64_t secret = 0x5ec2e7000000UL | (id << 8) | 0x42;
	struct smc_regs r = { .x = { VTZ_SMC_TEE_STORE, 0, secret } };
	unsigned int i;

	guest_smc(&r);
	for (i = 0; i < 2000; i++) {
		r = (struct smc_regs){ .x = { VTZ_SMC_TEE_NULL, id, i } };
		guest_smc(&r);
		if (r.x[0] != OPTEE_SMC_RETURN_OK || r.x[1] != id || r.x[2] != i) {
			gprintf("FATAL: call %u to my TEE failed: x0=0x%llx\n", i,
				(unsigned long long)r.x[0]);
			return;
		}
	}
	r = (struct smc_regs){ .x = { VTZ_SMC_TEE_LOAD, 0 } };
	guest_smc(&r);
	if (r.x[0] != OPTEE_SMC_RETURN_OK || r.x[1] != secret) {
		gprintf("FATAL: my TEE lost my secret\n");
		return;
	}
	gprintf("2000 calls while another VM's TEE died: my TEE and my secret are fine\n");
}

void guest_main(uint64_t id)
{
	if (id < MAX_VM_INDEX && id != FAULTING_VM) {
		keep_working(id);
		return;
	}
	gprintf("tee-fault guest: making my TEE fault\n");
	if (call(VTZ_SMC_TEE_PING, "ping before the fault") != OPTEE_SMC_RETURN_OK)
		return;
	call(VTZ_SMC_TEE_TEST_FAULT, "faulting call");
	if (call(VTZ_SMC_TEE_PING, "ping after the fault") == OPTEE_SMC_RETURN_UNKNOWN_FUNCTION)
		gprintf("call after the TEE died failed with UNKNOWN_FUNCTION, as it must\n");
}
