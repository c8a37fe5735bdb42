/* SPDX-License-Identifier: MIT */
/*
 * GATE=el3: the CIEE's secure-memory-mapping code, served by the monitor.
 * The same source files as the CIEE's (one policy, two places to run it),
 * compiled here with SMM_AT_EL3 so that their register writes skip the
 * CIEE-mode check (EL3 has no untrusted code to jump into it). The monitor
 * runs with its MMU off, so physical addresses are pointers, as in the CIEE.
 */
#define SMM_AT_EL3 1

#include "../ciee/mmu.c"
#include "../ciee/vm.c"

#include "monitor.h"

void ciee_panic(const char *why)
{
	monitor_panic(why);
}
