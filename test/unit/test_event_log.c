/* SPDX-License-Identifier: MIT */
/*
 * The measured-boot event log's bytes (policy/event_log.c) against the
 * TCG PC Client PFP layout written out by hand here (the Spec ID event
 * and a TCG_PCR_EVENT2), and every refusal with its code. The Python
 * parser (scripts/vtz_evlog.py) reads what the monitor writes:
 * test/scripts/test_vtz_evlog.py and test/system/test_measured_boot.py.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <policy/event_log.h>

static const uint8_t spec_id_event[EVLOG_HEADER_LEN] = {
	0, 0, 0, 0,             /* PCRIndex 0 */
	3, 0, 0, 0,             /* EV_NO_ACTION */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* SHA-1 digest: zero */
	33, 0, 0, 0,            /* EventSize */
	'S', 'p', 'e', 'c', ' ', 'I', 'D', ' ', 'E', 'v', 'e', 'n', 't', '0', '3', 0,
	0, 0, 0, 0,             /* platformClass */
	0, 2, 2, 2,             /* version minor, major, errata; uintnSize UINT64 */
	1, 0, 0, 0,             /* numberOfAlgorithms */
	0x0b, 0x00, 32, 0,      /* TPM_ALG_SHA256, 32 bytes */
	0,                      /* vendorInfoSize */
};

static void test_header_is_the_spec_id_event(void **state)
{
	uint8_t buf[256];
	struct evlog l;

	(void)state;
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(evlog_init(&l, buf, sizeof(buf)), EVLOG_OK);
	assert_int_equal(l.len, EVLOG_HEADER_LEN);
	assert_memory_equal(buf, spec_id_event, sizeof(spec_id_event));
	assert_int_equal(buf[EVLOG_HEADER_LEN], 0xaa); /* nothing past it */
	assert_int_equal(l.events, 0);
	assert_int_equal(l.dropped, 0);
}

static void test_event_layout(void **state)
{
	uint8_t buf[256], digest[32];
	struct evlog l;
	const uint8_t *e = buf + EVLOG_HEADER_LEN;
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(digest); i++)
		digest[i] = (uint8_t)(0x80 + i);
	assert_int_equal(evlog_init(&l, buf, sizeof(buf)), EVLOG_OK);
	assert_int_equal(evlog_add(&l, 2, EV_POST_CODE, digest, "vTZ", 4), EVLOG_OK);
	assert_int_equal(l.len, EVLOG_HEADER_LEN + EVLOG_EVENT_LEN(4));
	assert_memory_equal(e, "\x02\0\0\0\x01\0\0\0\x01\0\0\0\x0b\0", 14);
	assert_memory_equal(e + 14, digest, 32);
	assert_memory_equal(e + 46, "\x04\0\0\0vTZ\0", 8);
	/* No data: a separator-like event with size 0 is fine too. */
	assert_int_equal(evlog_add(&l, 23, EV_SEPARATOR, digest, NULL, 0), EVLOG_OK);
	assert_int_equal(l.events, 2);
	assert_int_equal(l.len, EVLOG_HEADER_LEN + EVLOG_EVENT_LEN(4) + EVLOG_EVENT_LEN(0));
}

static void test_refusals(void **state)
{
	uint8_t buf[EVLOG_HEADER_LEN + EVLOG_EVENT_LEN(8) + 3], digest[32] = { 1 };
	uint8_t data[EVLOG_DATA_MAX + 1] = { 0 };
	struct evlog l;
	size_t len;

	(void)state;
	assert_int_equal(evlog_init(&l, buf, EVLOG_HEADER_LEN - 1), EVLOG_ERR_SPACE);
	assert_int_equal(evlog_init(&l, NULL, 4096), EVLOG_ERR_SPACE);
	/* With no buffer every event is dropped, never written. */
	assert_int_equal(evlog_add(&l, 0, EV_POST_CODE, digest, data, 1), EVLOG_ERR_FULL);
	assert_int_equal(l.dropped, 1);

	assert_int_equal(evlog_init(&l, buf, sizeof(buf)), EVLOG_OK);
	assert_int_equal(evlog_add(&l, EVLOG_PCRS, EV_POST_CODE, digest, data, 1), EVLOG_ERR_PCR);
	assert_int_equal(evlog_add(&l, 0, EV_POST_CODE, digest, data, EVLOG_DATA_MAX + 1),
			 EVLOG_ERR_DATA);
	assert_int_equal(l.len, EVLOG_HEADER_LEN);
	assert_int_equal(l.dropped, 0);
	/* Exactly one 8-byte event fits; then the log is full, and stays whole. */
	assert_int_equal(evlog_add(&l, 0, EV_POST_CODE, digest, data, 8), EVLOG_OK);
	len = l.len;
	assert_int_equal(evlog_add(&l, 0, EV_POST_CODE, digest, NULL, 0), EVLOG_ERR_FULL);
	assert_int_equal(evlog_add(&l, 1, EV_POST_CODE, digest, data, 8), EVLOG_ERR_FULL);
	assert_int_equal(l.len, len);
	assert_int_equal(l.events, 1);
	assert_int_equal(l.dropped, 2);
	assert_int_equal(evlog_add(&l, 0, EV_POST_CODE, digest, data, EVLOG_DATA_MAX),
			 EVLOG_ERR_FULL);
	assert_int_equal(l.dropped, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_header_is_the_spec_id_event),
		cmocka_unit_test(test_event_layout),
		cmocka_unit_test(test_refusals),
	};

	return cmocka_run_group_tests_name("event_log", tests, NULL, NULL);
}
