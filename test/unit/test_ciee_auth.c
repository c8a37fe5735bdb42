/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for monitor/ciee_auth.h: the monitor serves its CIEE-only
 * services (measure a TEE, derive its key) only to a caller at EL2h in
 * CIEE mode with every interrupt masked. Everything the hypervisor can
 * be in when it issues an SMC is refused.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../monitor/ciee_auth.h"

#define SPSR_EL2T 0x8
#define SPSR_EL1H_ 0x5
#define SPSR_AARCH32 0x10

static void test_the_ciee_is_accepted(void **state)
{
	(void)state;
	assert_true(ciee_caller_ok(SPSR_EL2H | SPSR_DAIF_MASKED, SCTLR_EL2_CIEE));
	/* Condition flags do not matter. */
	assert_true(ciee_caller_ok(SPSR_EL2H | SPSR_DAIF_MASKED | (0xfUL << 28), SCTLR_EL2_CIEE));
}

static void test_hypervisor_mode_is_refused(void **state)
{
	(void)state;
	/* The hypervisor's own SCTLR_EL2, even with interrupts masked. */
	assert_false(ciee_caller_ok(SPSR_EL2H | SPSR_DAIF_MASKED, SCTLR_EL2_HYP));
	assert_false(ciee_caller_ok(SPSR_EL2H, SCTLR_EL2_HYP));
	/* Any other value: only the exact CIEE constant counts. */
	assert_false(ciee_caller_ok(SPSR_EL2H | SPSR_DAIF_MASKED, SCTLR_EL2_CIEE | SCTLR_M));
	assert_false(ciee_caller_ok(SPSR_EL2H | SPSR_DAIF_MASKED, SCTLR_EL2_CIEE & ~SCTLR_I));
	assert_false(ciee_caller_ok(SPSR_EL2H | SPSR_DAIF_MASKED, 0));
}

static void test_interrupts_must_be_masked(void **state)
{
	unsigned int bit;

	(void)state;
	/* Each of D, A, I, F unmasked alone is refused. */
	for (bit = 6; bit <= 9; bit++)
		assert_false(ciee_caller_ok(SPSR_EL2H | (SPSR_DAIF_MASKED & ~(1UL << bit)),
					    SCTLR_EL2_CIEE));
}

static void test_other_modes_are_refused(void **state)
{
	(void)state;
	assert_false(ciee_caller_ok(SPSR_EL2T | SPSR_DAIF_MASKED, SCTLR_EL2_CIEE));
	assert_false(ciee_caller_ok(SPSR_EL1H_ | SPSR_DAIF_MASKED, SCTLR_EL2_CIEE));
	assert_false(ciee_caller_ok(SPSR_AARCH32 | SPSR_EL2H | SPSR_DAIF_MASKED, SCTLR_EL2_CIEE));
	assert_false(ciee_caller_ok(0 | SPSR_DAIF_MASKED, SCTLR_EL2_CIEE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_ciee_is_accepted),
		cmocka_unit_test(test_hypervisor_mode_is_refused),
		cmocka_unit_test(test_interrupts_must_be_masked),
		cmocka_unit_test(test_other_modes_are_refused),
	};

	return cmocka_run_group_tests_name("ciee_auth", tests, NULL, NULL);
}
