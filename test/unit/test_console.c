/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for lib/console.c. The backend records every write call
 * separately, so the tests can check that each line arrives whole, in
 * exactly one write, with its prefix and newline.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <lib/console.h>

#define MAX_WRITES 16

static char writes[MAX_WRITES][CONSOLE_LINE_MAX + 1];
static size_t write_len[MAX_WRITES];
static size_t nwrites;

static void record_write(const char *s, size_t n)
{
	assert_true(nwrites < MAX_WRITES);
	/* The console promises lines no longer than CONSOLE_LINE_MAX. */
	assert_true(n <= CONSOLE_LINE_MAX);
	memcpy(writes[nwrites], s, n);
	writes[nwrites][n] = '\0';
	write_len[nwrites] = n;
	nwrites++;
}

static int setup(void **state)
{
	(void)state;
	nwrites = 0;
	memset(writes, 0, sizeof(writes));
	console_init("hyp", record_write);
	return 0;
}

/* Must run first: nothing has called console_init yet. */
static void test_dropped_before_init(void **state)
{
	(void)state;
	nwrites = 0;
	con_printf("nobody hears this\n");
	con_emit_line("vm0", "nor this", 8);
	assert_int_equal(nwrites, 0);

	/* A NULL backend later on means the same: drop, do not crash. */
	console_init("hyp", NULL);
	con_printf("still nothing\n");
	assert_int_equal(nwrites, 0);
}

static void test_single_line(void **state)
{
	(void)state;
	con_printf("hello %d\n", 42);
	assert_int_equal(nwrites, 1);
	assert_string_equal(writes[0], "[hyp] hello 42\n");
	assert_int_equal(write_len[0], strlen("[hyp] hello 42\n"));
}

static void test_no_trailing_newline(void **state)
{
	(void)state;
	con_printf("no newline");
	con_printf("next");
	assert_int_equal(nwrites, 2);
	assert_string_equal(writes[0], "[hyp] no newline\n");
	assert_string_equal(writes[1], "[hyp] next\n");
}

static void test_multiple_lines(void **state)
{
	(void)state;
	con_printf("one\ntwo\n\nfour %s", "end");
	assert_int_equal(nwrites, 4);
	assert_string_equal(writes[0], "[hyp] one\n");
	assert_string_equal(writes[1], "[hyp] two\n");
	assert_string_equal(writes[2], "[hyp] \n");
	assert_string_equal(writes[3], "[hyp] four end\n");
}

static void test_crlf_and_empty(void **state)
{
	(void)state;
	con_printf("%s", "");
	assert_int_equal(nwrites, 0);
	con_printf("dos\r\n");
	assert_int_equal(nwrites, 1);
	assert_string_equal(writes[0], "[hyp] dos\n");
}

static void test_prefix_change(void **state)
{
	(void)state;
	console_init("tee", record_write);
	con_printf("a\nb\n");
	assert_int_equal(nwrites, 2);
	assert_string_equal(writes[0], "[tee] a\n");
	assert_string_equal(writes[1], "[tee] b\n");
}

static void test_overlong_message(void **state)
{
	char big[CONSOLE_LINE_MAX * 2];
	size_t n;

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	con_printf("%s\n", big);
	assert_int_equal(nwrites, 1);
	n = write_len[0];
	assert_int_equal(n, CONSOLE_LINE_MAX);
	assert_memory_equal(writes[0], "[hyp] xxx", 9);
	assert_memory_equal(writes[0] + n - 4, "...\n", 4);
}

static void test_overlong_after_short_line(void **state)
{
	char big[CONSOLE_LINE_MAX * 2];

	(void)state;
	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	con_printf("short\n%s\n", big);
	assert_int_equal(nwrites, 2);
	assert_string_equal(writes[0], "[hyp] short\n");
	assert_memory_equal(writes[1], "[hyp] yyy", 9);
	assert_memory_equal(writes[1] + write_len[1] - 4, "...\n", 4);
}

static void test_line_that_just_fits(void **state)
{
	/* "[hyp] " + text + "\n" == CONSOLE_LINE_MAX: no marker. */
	char text[CONSOLE_LINE_MAX];
	size_t tlen = CONSOLE_LINE_MAX - strlen("[hyp] ") - 1;

	(void)state;
	memset(text, 'f', tlen);
	text[tlen] = '\0';
	con_emit_line("hyp", text, tlen);
	assert_int_equal(nwrites, 1);
	assert_int_equal(write_len[0], CONSOLE_LINE_MAX);
	assert_memory_equal(writes[0] + CONSOLE_LINE_MAX - 3, "ff\n", 3);

	/* One more character and the marker appears. */
	text[tlen] = 'f';
	con_emit_line("hyp", text, tlen + 1);
	assert_int_equal(nwrites, 2);
	assert_int_equal(write_len[1], CONSOLE_LINE_MAX);
	assert_memory_equal(writes[1] + CONSOLE_LINE_MAX - 4, "...\n", 4);
}

static void test_emit_line(void **state)
{
	(void)state;
	con_emit_line("vm0", "guest says hi\n", strlen("guest says hi\n"));
	con_emit_line("vm1", "dos line\r\n", strlen("dos line\r\n"));
	con_emit_line("vm0", "no newline", strlen("no newline"));
	/* n counts, not the NUL: only "abc" of "abcdef". */
	con_emit_line("vm2", "abcdef", 3);
	assert_int_equal(nwrites, 4);
	assert_string_equal(writes[0], "[vm0] guest says hi\n");
	assert_string_equal(writes[1], "[vm1] dos line\n");
	assert_string_equal(writes[2], "[vm0] no newline\n");
	assert_string_equal(writes[3], "[vm2] abc\n");
}

static void test_emit_line_embedded_break(void **state)
{
	/* A guest must not start an unprefixed (spoofed) line. */
	const char *evil = "x\n[hyp] fake\rz";

	(void)state;
	con_emit_line("vm0", evil, strlen(evil));
	assert_int_equal(nwrites, 1);
	assert_string_equal(writes[0], "[vm0] x [hyp] fake z\n");
}

static void test_emit_line_overlong(void **state)
{
	char big[CONSOLE_LINE_MAX * 2];

	(void)state;
	memset(big, 'g', sizeof(big));
	con_emit_line("vm0", big, sizeof(big));
	assert_int_equal(nwrites, 1);
	assert_int_equal(write_len[0], CONSOLE_LINE_MAX);
	assert_memory_equal(writes[0], "[vm0] ggg", 9);
	assert_memory_equal(writes[0] + CONSOLE_LINE_MAX - 4, "...\n", 4);
}

/* The word shared with other images: taken around each line, then free. */
static volatile uint32_t shared_word;
static uint32_t word_seen[MAX_WRITES];

static void record_with_word(const char *s, size_t n)
{
	word_seen[nwrites] = shared_word;
	record_write(s, n);
}

static void test_shared_uart_word(void **state)
{
	(void)state;
	console_init("ciee", record_with_word);
	console_share_uart(&shared_word);
	shared_word = 0;
	con_printf("one\ntwo\n");
	assert_int_equal(nwrites, 2);
	assert_int_equal(word_seen[0], 1); /* held while writing */
	assert_int_equal(word_seen[1], 1);
	assert_int_equal(shared_word, 0); /* and given back */
	/* Held by someone else for good: the line still comes out, the word is freed. */
	shared_word = 1;
	con_emit_line("vm0", "late", 4);
	assert_int_equal(nwrites, 3);
	assert_string_equal(writes[2], "[vm0] late\n");
	assert_int_equal(shared_word, 0);
	console_share_uart(NULL);
}

static void test_long_prefix(void **state)
{
	/* An absurd prefix is capped, never crowding out the text. */
	char prefix[CONSOLE_LINE_MAX * 2];

	(void)state;
	memset(prefix, 'p', sizeof(prefix) - 1);
	prefix[sizeof(prefix) - 1] = '\0';
	con_emit_line(prefix, "text", 4);
	assert_int_equal(nwrites, 1);
	/* "[" + 32 prefix chars + "] text\n" */
	assert_int_equal(write_len[0], 1 + 32 + 7);
	assert_memory_equal(writes[0], "[ppp", 4);
	assert_memory_equal(writes[0] + write_len[0] - 7, "] text\n", 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		/* First, before any setup() has called console_init. */
		cmocka_unit_test(test_dropped_before_init),
		cmocka_unit_test_setup(test_single_line, setup),
		cmocka_unit_test_setup(test_no_trailing_newline, setup),
		cmocka_unit_test_setup(test_multiple_lines, setup),
		cmocka_unit_test_setup(test_crlf_and_empty, setup),
		cmocka_unit_test_setup(test_prefix_change, setup),
		cmocka_unit_test_setup(test_overlong_message, setup),
		cmocka_unit_test_setup(test_overlong_after_short_line, setup),
		cmocka_unit_test_setup(test_line_that_just_fits, setup),
		cmocka_unit_test_setup(test_emit_line, setup),
		cmocka_unit_test_setup(test_emit_line_embedded_break, setup),
		cmocka_unit_test_setup(test_emit_line_overlong, setup),
		cmocka_unit_test_setup(test_long_prefix, setup),
		cmocka_unit_test_setup(test_shared_uart_word, setup),
	};

	return cmocka_run_group_tests_name("console", tests, NULL, NULL);
}
