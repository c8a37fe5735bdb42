/* SPDX-License-Identifier: MIT */
/*
 * GATE=el3: the secure-memory-mapping code (smm/), served by the monitor.
 * The same source files as the CIEE's (one policy, two places to run it),
 * compiled with SMM_AT_EL3 (monitor/build.mk) so that their register
 * writes skip the CIEE-mode check (EL3 has no untrusted code to jump into
 * it). The monitor runs with its MMU off, so physical addresses are
 * pointers, as in the CIEE. This file gives them what each home supplies.
 */
#include "../smm/smm.h"
#include "monitor.h"

void ciee_panic(const char *why)
{
	monitor_panic(why);
}
