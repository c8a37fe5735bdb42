/* SPDX-License-Identifier: MIT */
/*
 * Faulting test guest: touches an address outside its memory. The
 * hypervisor must report the stage-2 fault and the run must fail.
 */
#include <vtz/smccc.h>

#include "guest.h"

#define NOT_MY_MEMORY 0x20000000UL

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
	gprintf("FATAL: unexpected exception at EL1: ESR=0x%llx ELR=0x%llx FAR=0x%llx\n",
		(unsigned long long)esr, (unsigned long long)elr, (unsigned long long)far);
}

void guest_main(void)
{
	gprintf("fault guest: reading 0x%lx, which is not my memory\n", NOT_MY_MEMORY);
	gprintf("read 0x%x: this line must never appear\n",
		*(volatile unsigned int *)NOT_MY_MEMORY);
}
