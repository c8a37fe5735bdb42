/* SPDX-License-Identifier: MIT */
/* The Arm Architecture calls a secure OS makes of its firmware: TF-A's answers on a Cortex-A57. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <policy/smccc_arch.h>
#include <vtz/optee_abi.h>
#include <vtz/smccc.h>

static int64_t answer(uint64_t fid, uint64_t x1)
{
	int64_t x0 = 0x5a5a;

	assert_int_equal(smccc_arch_secure_call(fid, x1, &x0), SMCCC_ARCH_SET_X0);
	return x0;
}

static void test_version(void **state)
{
	(void)state;
	/* OP-TEE needs >= 1.1 before it may ask ARCH_FEATURES. */
	assert_int_equal(answer(SMCCC_VERSION, 0), 0x10001);
}

static void test_features_a57(void **state)
{
	(void)state;
	assert_int_equal(answer(SMCCC_ARCH_FEATURES, SMCCC_VERSION), 0);
	assert_int_equal(answer(SMCCC_ARCH_FEATURES, SMCCC_ARCH_FEATURES), 0);
	assert_int_equal(answer(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1), 0);
	assert_int_equal(answer(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_2), SMCCC_NOT_REQUIRED);
	assert_int_equal(answer(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_3), 0);
	assert_int_equal(answer(SMCCC_ARCH_FEATURES, SMCCC_ARCH_SOC_ID), SMCCC_NOT_SUPPORTED);
	assert_int_equal(answer(SMCCC_ARCH_FEATURES, PSCI_VERSION), SMCCC_NOT_SUPPORTED);
	/* Only the low 32 bits name the function asked about (w1). */
	assert_int_equal(answer(SMCCC_ARCH_FEATURES, 0xffffffff00000000UL | SMCCC_ARCH_WORKAROUND_1), 0);
}

static void test_workarounds_change_nothing(void **state)
{
	int64_t x0 = 0x5a5a;

	(void)state;
	assert_int_equal(smccc_arch_secure_call(SMCCC_ARCH_WORKAROUND_1, 0, &x0), SMCCC_ARCH_NO_CHANGE);
	assert_int_equal(smccc_arch_secure_call(SMCCC_ARCH_WORKAROUND_2, 1, &x0), SMCCC_ARCH_NO_CHANGE);
	assert_int_equal(smccc_arch_secure_call(SMCCC_ARCH_WORKAROUND_3, 0, &x0), SMCCC_ARCH_NO_CHANGE);
	assert_int_equal(x0, 0x5a5a);
}

static void test_other_arch_calls_unknown(void **state)
{
	(void)state;
	assert_int_equal(answer(SMCCC_ARCH_SOC_ID, 0), SMCCC_NOT_SUPPORTED);
	assert_int_equal(answer(0x80001234, 0), SMCCC_NOT_SUPPORTED);
	/* The SMC64 form of an arch call is owner 0 too: unknown, answered. */
	assert_int_equal(answer(0xc0000000, 0), SMCCC_NOT_SUPPORTED);
}

static void test_not_arch(void **state)
{
	int64_t x0 = 0x5a5a;

	(void)state;
	assert_int_equal(smccc_arch_secure_call(TEESMC_OPTEED_RETURN_CALL_DONE, 0, &x0),
			 SMCCC_ARCH_NOT_ARCH);
	assert_int_equal(smccc_arch_secure_call(VTZ_SMC_TEE_GET_KEY, 0, &x0), SMCCC_ARCH_NOT_ARCH);
	assert_int_equal(smccc_arch_secure_call(PSCI_SYSTEM_OFF, 0, &x0), SMCCC_ARCH_NOT_ARCH);
	/* High bits set: not a valid function ID, so not an arch call either. */
	assert_int_equal(smccc_arch_secure_call(0x100000000UL | SMCCC_VERSION, 0, &x0),
			 SMCCC_ARCH_NOT_ARCH);
	assert_int_equal(x0, 0x5a5a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_features_a57),
		cmocka_unit_test(test_workarounds_change_nothing),
		cmocka_unit_test(test_other_arch_calls_unknown),
		cmocka_unit_test(test_not_arch),
	};

	return cmocka_run_group_tests_name("smccc_arch", tests, NULL, NULL);
}
