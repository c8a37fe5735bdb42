/* SPDX-License-Identifier: MIT */
/*
 * hyp-preempt.bin (scenario "preempt"): the normal hypervisor with a fast
 * tick, so that TEE calls, short as ours are, get preempted many times
 * per run (test/system/test_preempt.py). The default hypervisor ticks
 * every HYP_TICK_PERIOD_US.
 */
#include "../hyp.h"

#define PREEMPT_TICK_PERIOD_US 100

unsigned int hyp_tick_period_us(void)
{
	return PREEMPT_TICK_PERIOD_US;
}
