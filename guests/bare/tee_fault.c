/* SPDX-License-Identifier: MIT */
/*
 * TEE-fault test guest (with tee-test, the TEE built with test hooks):
 * makes the TEE fault, then checks that the next call to it fails with
 * an error instead of hanging, and powers off.
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

void guest_main(void)
{
	gprintf("tee-fault guest: making my TEE fault\n");
	if (call(VTZ_SMC_TEE_PING, "ping before the fault") != OPTEE_SMC_RETURN_OK)
		return;
	call(VTZ_SMC_TEE_TEST_FAULT, "faulting call");
	if (call(VTZ_SMC_TEE_PING, "ping after the fault") == OPTEE_SMC_RETURN_UNKNOWN_FUNCTION)
		gprintf("call after the TEE died failed with UNKNOWN_FUNCTION, as it must\n");
}
