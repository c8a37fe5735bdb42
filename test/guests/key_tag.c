/* SPDX-License-Identifier: MIT */
/*
 * Key-tag test guest (test/system/test_keys.py): asks its TEE for tags
 * derived from the TEE's key (VTZ_SMC_TEE_KEY_TAG) and prints them, so the
 * test can compare the same TEE image's tags in both homes, and another
 * image's. Built for vTZ (guest-keys.bin) and natively (guest-native-keys.bin)
 * with guests/bare's start-up code.
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

static void key_tag(uint64_t in)
{
	struct smc_regs r = { .x = { VTZ_SMC_TEE_KEY_TAG, in } };

	guest_smc(&r);
	gprintf("key tag 0x%llx: x0=0x%llx tag %016llx%016llx\n", (unsigned long long)in,
		(unsigned long long)r.x[0], (unsigned long long)r.x[1],
		(unsigned long long)r.x[2]);
}

void guest_main(void)
{
	gprintf("key-tag guest: asking my TEE for key-derived tags\n");
	key_tag(0x1234);
	key_tag(0x1234);
	key_tag(0x5678);
}
