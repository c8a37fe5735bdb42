/* SPDX-License-Identifier: MIT */
/*
 * The attestation report's bytes (policy/attest.c) against the layout
 * written out by hand here, as scripts/vtz_attest.py reads it, and every
 * refusal of a report's destination with its code.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <policy/attest.h>

static void fill(uint8_t *p, size_t n, uint8_t first)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(first + i);
}

static void test_report_layout(void **state)
{
	struct attest_boot b = { .home = VTZ_ATTEST_HOME_EL3, .security_version = 0x01020304 };
	uint8_t tee[32], ident[16] = "vm1", nonce[32], buf[VTZ_ATTEST_REPORT_LEN];
	struct vtz_attest_report r;

	(void)state;
	fill(b.monitor, 32, 0x10);
	fill(b.ciee, 32, 0x30);
	fill(b.hyp, 32, 0x50);
	fill(tee, 32, 0x70);
	fill(nonce, 32, 0x90);
	memset(&r, 0xaa, sizeof(r));
	attest_report_fill(&r, &b, tee, ident, nonce);
	memcpy(buf, &r, sizeof(buf));
	/* Little-endian header: "vTZR", version 1, home, size 256, security version. */
	assert_memory_equal(buf, "vTZR", 4);
	assert_memory_equal(buf + 4, ((uint8_t[]){ 1, 0, 2, 0, 0, 1, 0, 0, 4, 3, 2, 1 }), 12);
	assert_memory_equal(buf + 16, nonce, 32);
	assert_memory_equal(buf + 48, b.monitor, 32);
	assert_memory_equal(buf + 80, b.ciee, 32);
	assert_memory_equal(buf + 112, b.hyp, 32);
	assert_memory_equal(buf + 144, tee, 32);
	assert_memory_equal(buf + 176, ident, 16);
	/* No signature yet, and nothing of the old contents. */
	assert_memory_equal(buf + VTZ_ATTEST_BODY_LEN, (uint8_t[64]){ 0 }, 64);
}

static void test_dest_check(void **state)
{
	(void)state;
	assert_int_equal(attest_dest_check(0x0e200000, 256), 0);
	assert_int_equal(attest_dest_check(0x0e200000, 4096), 0);
	/* The last place in a page a whole report fits. */
	assert_int_equal(attest_dest_check(0x0e200f00, 256), 0);
	/* Size first: a short buffer is ERR_SIZE wherever it is. */
	assert_int_equal(attest_dest_check(0x0e200000, 255), VTZ_ATTEST_ERR_SIZE);
	assert_int_equal(attest_dest_check(0x0e200001, 0), VTZ_ATTEST_ERR_SIZE);
	/* Misaligned, or reaching into the next page. */
	assert_int_equal(attest_dest_check(0x0e200004, 256), VTZ_ATTEST_ERR_ALIGN);
	assert_int_equal(attest_dest_check(0x0e200f08, 256), VTZ_ATTEST_ERR_ALIGN);
	assert_int_equal(attest_dest_check(0xfffffffffffffff8UL, 256), VTZ_ATTEST_ERR_ALIGN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_report_layout),
		cmocka_unit_test(test_dest_check),
	};

	return cmocka_run_group_tests_name("attest", tests, NULL, NULL);
}
