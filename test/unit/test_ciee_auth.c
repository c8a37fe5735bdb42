/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for monitor/ciee_auth.h: the monitor serves its CIEE-only
 * services (measure a TEE, derive its key) only to a caller at EL2h in
 * CIEE mode with every interrupt masked. Everything the hypervisor can
 * be in when it issues an SMC is refused, and so is an SMC in CIEE mode
 * from anywhere but the CIEE's one call site.
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

/* The CIEE's smc at 0x40100400 (made up): ELR_EL3 is the address after it. */
#define SITE_RET 0x40100404UL
#define CIEE_STATE (SPSR_EL2H | SPSR_DAIF_MASKED)

static void test_only_the_ciee_call_site_is_served(void **state)
{
	(void)state;
	assert_int_equal(ciee_caller_check(CIEE_STATE, SCTLR_EL2_CIEE, SITE_RET, SITE_RET),
			 CIEE_CALLER_OK);
	/* CIEE mode, any other address: refused with its own answer. */
	assert_int_equal(ciee_caller_check(CIEE_STATE, SCTLR_EL2_CIEE, SITE_RET - 4, SITE_RET),
			 CIEE_CALLER_WRONG_SITE);
	assert_int_equal(ciee_caller_check(CIEE_STATE, SCTLR_EL2_CIEE, SITE_RET + 4, SITE_RET),
			 CIEE_CALLER_WRONG_SITE);
	assert_int_equal(ciee_caller_check(CIEE_STATE, SCTLR_EL2_CIEE, 0x40100008UL, SITE_RET),
			 CIEE_CALLER_WRONG_SITE);
	/* A copy of the smc elsewhere (same low bits, another page). */
	assert_int_equal(ciee_caller_check(CIEE_STATE, SCTLR_EL2_CIEE, SITE_RET + 0x1000,
					   SITE_RET),
			 CIEE_CALLER_WRONG_SITE);
	/* No site recorded (0): nothing is served, not even an ELR of 0. */
	assert_int_equal(ciee_caller_check(CIEE_STATE, SCTLR_EL2_CIEE, 0, 0),
			 CIEE_CALLER_WRONG_SITE);
	assert_int_equal(ciee_caller_check(CIEE_STATE, SCTLR_EL2_CIEE, SITE_RET, 0),
			 CIEE_CALLER_WRONG_SITE);
}

static void test_right_site_wrong_mode_is_not_the_ciee(void **state)
{
	(void)state;
	/* The hypervisor branching to the CIEE's own smc with its MMU on. */
	assert_int_equal(ciee_caller_check(CIEE_STATE, SCTLR_EL2_HYP, SITE_RET, SITE_RET),
			 CIEE_CALLER_NOT_CIEE);
	assert_int_equal(ciee_caller_check(SPSR_EL2H, SCTLR_EL2_CIEE, SITE_RET, SITE_RET),
			 CIEE_CALLER_NOT_CIEE);
	assert_int_equal(ciee_caller_check(SPSR_EL1H_ | SPSR_DAIF_MASKED, SCTLR_EL2_CIEE,
					   SITE_RET, SITE_RET),
			 CIEE_CALLER_NOT_CIEE);
}

static void test_call_site_from_the_header_is_checked(void **state)
{
	(void)state;
	assert_true(ciee_smc_site_valid(0x400, 0x8000, 0x300000, AARCH64_SMC0));
	/* Not an smc #0 (hvc #0, smc #1, a nop). */
	assert_false(ciee_smc_site_valid(0x400, 0x8000, 0x300000, 0xd4000002U));
	assert_false(ciee_smc_site_valid(0x400, 0x8000, 0x300000, 0xd4000023U));
	assert_false(ciee_smc_site_valid(0x400, 0x8000, 0x300000, 0xd503201fU));
	/* Unaligned, at or past the end of text, text past the region. */
	assert_false(ciee_smc_site_valid(0x402, 0x8000, 0x300000, AARCH64_SMC0));
	assert_false(ciee_smc_site_valid(0x8000, 0x8000, 0x300000, AARCH64_SMC0));
	assert_false(ciee_smc_site_valid(UINT64_MAX - 3, 0x8000, 0x300000, AARCH64_SMC0));
	assert_false(ciee_smc_site_valid(0x400, 0x301000, 0x300000, AARCH64_SMC0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_the_ciee_is_accepted),
		cmocka_unit_test(test_hypervisor_mode_is_refused),
		cmocka_unit_test(test_interrupts_must_be_masked),
		cmocka_unit_test(test_other_modes_are_refused),
		cmocka_unit_test(test_only_the_ciee_call_site_is_served),
		cmocka_unit_test(test_right_site_wrong_mode_is_not_the_ciee),
		cmocka_unit_test(test_call_site_from_the_header_is_checked),
	};

	return cmocka_run_group_tests_name("ciee_auth", tests, NULL, NULL);
}
