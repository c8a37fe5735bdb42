/* SPDX-License-Identifier: MIT */
/* SMCCC function-ID decoding and guest SMC routing, on real function IDs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <policy/smc_class.h>
#include <vtz/optee_abi.h>
#include <vtz/smccc.h>

static void expect_fid(uint64_t x0, bool fast, bool smc64, unsigned owner, unsigned func,
		       enum smc_owner_class cls)
{
	struct smc_fid f;

	memset(&f, 0xa5, sizeof(f));
	assert_int_equal(smc_fid_decode(x0, &f), SMC_FID_OK);
	assert_int_equal(f.fast, fast);
	assert_int_equal(f.smc64, smc64);
	assert_int_equal(f.owner, owner);
	assert_int_equal(f.func, func);
	assert_int_equal(f.owner_class, cls);
}

static void test_decode_fields(void **state)
{
	(void)state;
	expect_fid(PSCI_CPU_ON_AARCH64, true, true, 4, 3, SMC_OWNER_STD_SECURE);
	expect_fid(PSCI_SYSTEM_OFF, true, false, 4, 8, SMC_OWNER_STD_SECURE);
	expect_fid(SMCCC_VERSION, true, false, 0, 0, SMC_OWNER_ARCH);
	expect_fid(OPTEE_SMC_CALLS_UID, true, false, 63, 0xff01, SMC_OWNER_TRUSTED_OS);
	expect_fid(0x32000004, false, false, 50, 4, SMC_OWNER_TRUSTED_OS);
	expect_fid(VTZ_SMC_TEE_PING, true, false, 50, 0xf000, SMC_OWNER_TRUSTED_OS);
	expect_fid(0x81000000, true, false, 1, 0, SMC_OWNER_CPU);
	expect_fid(0x82000000, true, false, 2, 0, SMC_OWNER_SIP);
	expect_fid(0x83000000, true, false, 3, 0, SMC_OWNER_OEM);
	expect_fid(0xc5000000, true, true, 5, 0, SMC_OWNER_STD_HYP);
	expect_fid(0x86000000, true, false, 6, 0, SMC_OWNER_VENDOR_HYP);
	expect_fid(0x87000000, true, false, 7, 0, SMC_OWNER_RESERVED);
	expect_fid(0xaf000000, true, false, 47, 0, SMC_OWNER_RESERVED);
	expect_fid(0xb0000000, true, false, 48, 0, SMC_OWNER_TRUSTED_APP);
	expect_fid(0xb1000000, true, false, 49, 0, SMC_OWNER_TRUSTED_APP);
	expect_fid(0xbf00ffff, true, false, 63, 0xffff, SMC_OWNER_TRUSTED_OS);
	/* Yielding trusted-OS calls may use bits 23:16 (only fast calls MBZ). */
	expect_fid(0x32010004, false, false, 50, 4, SMC_OWNER_TRUSTED_OS);
}

static void test_decode_null_out(void **state)
{
	(void)state;
	assert_int_equal(smc_fid_decode(PSCI_VERSION, NULL), SMC_FID_OK);
	assert_int_equal(smc_fid_decode(0x84010000, NULL), SMC_FID_ERR_RESERVED_BITS);
}

static void test_decode_high_bits(void **state)
{
	struct smc_fid f;

	(void)state;
	assert_int_equal(smc_fid_decode(0x100000000ULL | PSCI_SYSTEM_OFF, &f),
			 SMC_FID_ERR_HIGH_BITS);
	assert_int_equal(smc_fid_decode(0xffffffff84000008ULL, &f), SMC_FID_ERR_HIGH_BITS);
	assert_int_equal(smc_fid_decode(0x8000000000000000ULL | SMCCC_VERSION, &f),
			 SMC_FID_ERR_HIGH_BITS);
	assert_int_equal(smc_fid_decode(0x100000000ULL, &f), SMC_FID_ERR_HIGH_BITS);
}

static void test_decode_reserved_bits(void **state)
{
	struct smc_fid f;
	unsigned bit;

	(void)state;
	for (bit = 16; bit < 24; bit++) {
		assert_int_equal(smc_fid_decode(PSCI_SYSTEM_OFF | (1U << bit), &f),
				 SMC_FID_ERR_RESERVED_BITS);
		assert_int_equal(smc_fid_decode(OPTEE_SMC_CALLS_UID | (1U << bit), &f),
				 SMC_FID_ERR_RESERVED_BITS);
	}
}

static void test_decode_yield_owner(void **state)
{
	struct smc_fid f;
	unsigned owner;

	(void)state;
	/* A yielding call with owner 4 (a "yielding PSCI" call) is malformed. */
	assert_int_equal(smc_fid_decode(0x04000000, &f), SMC_FID_ERR_YIELD_OWNER);
	assert_int_equal(smc_fid_decode(0x44000003, &f), SMC_FID_ERR_YIELD_OWNER);
	for (owner = 0; owner < SMCCC_OWNER_TRUSTED_OS_FIRST; owner++)
		assert_int_equal(smc_fid_decode(SMCCC_CALL_VAL(0, 0, owner, 1), &f),
				 SMC_FID_ERR_YIELD_OWNER);
	for (owner = SMCCC_OWNER_TRUSTED_OS_FIRST; owner <= SMCCC_OWNER_TRUSTED_OS_LAST; owner++) {
		assert_int_equal(smc_fid_decode(SMCCC_CALL_VAL(0, 0, owner, 1), &f), SMC_FID_OK);
		assert_int_equal(smc_fid_decode(SMCCC_CALL_VAL(0, 1, owner, 1), &f), SMC_FID_OK);
	}
}

static void test_route_arch(void **state)
{
	(void)state;
	assert_int_equal(smc_route_from_guest(SMCCC_VERSION), SMC_ROUTE_ARCH);
	assert_int_equal(smc_route_from_guest(SMCCC_ARCH_FEATURES), SMC_ROUTE_ARCH);
	assert_int_equal(smc_route_from_guest(0xc0000000), SMC_ROUTE_ARCH);
	assert_int_equal(smc_route_from_guest(0x80007fff), SMC_ROUTE_ARCH);
}

static void test_route_psci(void **state)
{
	(void)state;
	assert_int_equal(smc_route_from_guest(PSCI_VERSION), SMC_ROUTE_PSCI);
	assert_int_equal(smc_route_from_guest(PSCI_CPU_ON_AARCH64), SMC_ROUTE_PSCI);
	assert_int_equal(smc_route_from_guest(PSCI_CPU_OFF), SMC_ROUTE_PSCI);
	assert_int_equal(smc_route_from_guest(PSCI_CPU_SUSPEND_AARCH64), SMC_ROUTE_PSCI);
	assert_int_equal(smc_route_from_guest(PSCI_AFFINITY_INFO_AARCH64), SMC_ROUTE_PSCI);
	assert_int_equal(smc_route_from_guest(PSCI_SYSTEM_OFF), SMC_ROUTE_PSCI);
	assert_int_equal(smc_route_from_guest(PSCI_SYSTEM_RESET), SMC_ROUTE_PSCI);
	assert_int_equal(smc_route_from_guest(PSCI_FEATURES), SMC_ROUTE_PSCI);
	/* PSCI is functions 0x00-0x1f of owner 4; 0x20 up is something else. */
	assert_int_equal(smc_route_from_guest(0x8400001f), SMC_ROUTE_PSCI);
	assert_int_equal(smc_route_from_guest(0xc400001f), SMC_ROUTE_PSCI);
	assert_int_equal(smc_route_from_guest(0x84000020), SMC_ROUTE_DENY);
	assert_int_equal(smc_route_from_guest(0x8400ffff), SMC_ROUTE_DENY);
}

static void test_route_tee(void **state)
{
	(void)state;
	assert_int_equal(smc_route_from_guest(OPTEE_SMC_CALLS_UID), SMC_ROUTE_TEE);
	assert_int_equal(smc_route_from_guest(OPTEE_SMC_CALLS_COUNT), SMC_ROUTE_TEE);
	assert_int_equal(smc_route_from_guest(OPTEE_SMC_CALLS_REVISION), SMC_ROUTE_TEE);
	assert_int_equal(smc_route_from_guest(0x32000004), SMC_ROUTE_TEE);
	assert_int_equal(smc_route_from_guest(VTZ_SMC_TEE_PING), SMC_ROUTE_TEE);
	assert_int_equal(smc_route_from_guest(OPTEE_SMC_STD_CALL_VAL(0)), SMC_ROUTE_TEE);
	assert_int_equal(smc_route_from_guest(0xf2000000), SMC_ROUTE_TEE); /* SMC64 fast */
	assert_int_equal(smc_route_from_guest(0x72000001), SMC_ROUTE_TEE); /* SMC64 yielding */
	assert_int_equal(smc_route_from_guest(0x3f000000), SMC_ROUTE_TEE); /* owner 63 yield */
	assert_int_equal(smc_route_from_guest(TEESMC_OPTEED_RETURN_ENTRY_DONE), SMC_ROUTE_TEE);
}

static void test_route_deny(void **state)
{
	(void)state;
	assert_int_equal(smc_route_from_guest(0x82000000), SMC_ROUTE_DENY); /* SiP */
	assert_int_equal(smc_route_from_guest(0xc2000001), SMC_ROUTE_DENY);
	assert_int_equal(smc_route_from_guest(0xc5000000), SMC_ROUTE_DENY); /* std hyp */
	assert_int_equal(smc_route_from_guest(0x85000000), SMC_ROUTE_DENY);
	assert_int_equal(smc_route_from_guest(0x86000000), SMC_ROUTE_DENY); /* vendor hyp */
	assert_int_equal(smc_route_from_guest(0x81000000), SMC_ROUTE_DENY); /* CPU */
	assert_int_equal(smc_route_from_guest(0x83000000), SMC_ROUTE_DENY); /* OEM */
	assert_int_equal(smc_route_from_guest(0x87000000), SMC_ROUTE_DENY); /* reserved */
	assert_int_equal(smc_route_from_guest(0xaf000000), SMC_ROUTE_DENY); /* reserved */
	assert_int_equal(smc_route_from_guest(0xb0000000), SMC_ROUTE_DENY); /* trusted app */
	assert_int_equal(smc_route_from_guest(0xb1000000), SMC_ROUTE_DENY);
	/* Malformed IDs: every decode error is a deny. */
	assert_int_equal(smc_route_from_guest(0x84010008), SMC_ROUTE_DENY); /* bits 23:16 */
	assert_int_equal(smc_route_from_guest(0xbf80ff01), SMC_ROUTE_DENY);
	assert_int_equal(smc_route_from_guest(0x80010000), SMC_ROUTE_DENY);
	assert_int_equal(smc_route_from_guest(0x100000000ULL | PSCI_SYSTEM_OFF), SMC_ROUTE_DENY);
	assert_int_equal(smc_route_from_guest(0xffffffff32000004ULL), SMC_ROUTE_DENY);
	assert_int_equal(smc_route_from_guest(0x04000000), SMC_ROUTE_DENY); /* yield, owner 4 */
	assert_int_equal(smc_route_from_guest(0x00000000), SMC_ROUTE_DENY); /* yield, arch */
	assert_int_equal(smc_route_from_guest(0x31000000), SMC_ROUTE_DENY); /* yield, TA */
	assert_int_equal(smc_route_from_guest(0xffffffffffffffffULL), SMC_ROUTE_DENY);
}

static void test_route_names(void **state)
{
	(void)state;
	assert_string_equal(smc_route_name(SMC_ROUTE_ARCH), "arch");
	assert_string_equal(smc_route_name(SMC_ROUTE_PSCI), "psci");
	assert_string_equal(smc_route_name(SMC_ROUTE_TEE), "tee");
	assert_string_equal(smc_route_name(SMC_ROUTE_DENY), "deny");
	assert_string_equal(smc_route_name((enum smc_route)42), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_fields),
		cmocka_unit_test(test_decode_null_out),
		cmocka_unit_test(test_decode_high_bits),
		cmocka_unit_test(test_decode_reserved_bits),
		cmocka_unit_test(test_decode_yield_owner),
		cmocka_unit_test(test_route_arch),
		cmocka_unit_test(test_route_psci),
		cmocka_unit_test(test_route_tee),
		cmocka_unit_test(test_route_deny),
		cmocka_unit_test(test_route_names),
	};

	return cmocka_run_group_tests_name("smc_class", tests, NULL, NULL);
}
