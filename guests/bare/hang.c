/* SPDX-License-Identifier: MIT */
/*
 * Hanging test guest: never powers off. The run script's timeout must
 * catch it and fail the run.
 */
#include "guest.h"

void guest_power_off(void)
{
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
	gprintf("hang guest: spinning forever\n");
	for (;;)
		__asm__ volatile("wfe");
}
