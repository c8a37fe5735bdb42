/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for lib/fmt.c. Where our subset has C semantics, the host's
 * snprintf is the oracle; the deliberate differences (%p of NULL,
 * unknown conversions) are checked against fixed strings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include <lib/fmt.h>

/*
 * Wrappers without the format attribute: -Wformat rejects unknown
 * conversions and flag combinations C defines but calls pointless (e.g.
 * '0' with '-'), and those are exactly the cases worth testing.
 */
static int raw_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

static int ref_fmt(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * Format with ours and the host's into buffers of every size from 0 to
 * a little past the full length, and require identical return values and
 * bytes: this covers truncation, exact fit and size 0 for every case.
 */
#define CHECK(...)                                                         \
	do {                                                               \
		char ours[128], ref[128];                                  \
		int want = ref_fmt(ref, sizeof(ref), __VA_ARGS__);         \
		assert_true(want >= 0 && want < (int)sizeof(ref) - 8);    \
		for (size_t sz = 0; sz <= (size_t)want + 2; sz++) {        \
			memset(ours, 'Z', sizeof(ours));                   \
			memset(ref, 'Z', sizeof(ref));                     \
			assert_int_equal(raw_fmt(ours, sz, __VA_ARGS__), want); \
			assert_int_equal(ref_fmt(ref, sz, __VA_ARGS__), want); \
			/* +1: the byte after the NUL must be untouched. */ \
			assert_memory_equal(ours, ref, sz + 1);            \
		}                                                          \
	} while (0)

static void test_plain_text(void **state)
{
	(void)state;
	CHECK("hello, world");
	CHECK("%s", "");
	CHECK("100%%");
	CHECK("%%%%%d%%", 5);
}

static void test_signed(void **state)
{
	(void)state;
	CHECK("%d", 0);
	CHECK("%d", 42);
	CHECK("%d", -42);
	CHECK("%i", -7);
	CHECK("%d", INT32_MAX);
	CHECK("%d", INT32_MIN);
	CHECK("%ld", (long)INT64_MAX);
	CHECK("%ld", (long)INT64_MIN);
	CHECK("%lld", (long long)INT64_MIN);
	CHECK("%lli", (long long)INT64_MAX);
	CHECK("%zd", (ptrdiff_t)-5);
	CHECK("%hd", (short)-32768);
	CHECK("%hd", 70000);	/* truncated to short */
	CHECK("%hhd", -128);
	CHECK("%hhd", 200);	/* truncated to signed char */
	CHECK("%hhi", 255);
}

static void test_unsigned(void **state)
{
	(void)state;
	CHECK("%u", 0u);
	CHECK("%u", UINT32_MAX);
	CHECK("%u", -1);	/* reinterpreted, like C */
	CHECK("%lu", (unsigned long)UINT64_MAX);
	CHECK("%llu", (unsigned long long)UINT64_MAX);
	CHECK("%zu", (size_t)123456789);
	CHECK("%zu", SIZE_MAX);
	CHECK("%hu", 65536 + 3);
	CHECK("%hhu", 256 + 7);
}

static void test_hex(void **state)
{
	(void)state;
	CHECK("%x", 0u);
	CHECK("%x", 0xdeadbeefu);
	CHECK("%X", 0xdeadbeefu);
	CHECK("%lx", (unsigned long)UINT64_MAX);
	CHECK("%llX", 0x0123456789abcdefULL);
	CHECK("%zx", (size_t)0x1000);
	CHECK("%hx", 0x12345);
	CHECK("%hhx", 0x1ff);
	CHECK("%016lx", 0xabcUL);
	CHECK("%-8x|", 0xabu);
}

static void test_width_flags(void **state)
{
	(void)state;
	CHECK("[%5d]", 42);
	CHECK("[%-5d]", 42);
	CHECK("[%05d]", 42);
	CHECK("[%05d]", -42);
	CHECK("[%-05d]", -42);	/* '-' wins over '0' */
	CHECK("[%2d]", 12345);	/* width never truncates */
	CHECK("[%*d]", 6, 7);
	CHECK("[%*d]", -6, 7);	/* negative '*' means left-justify */
	CHECK("[%0*d]", 6, -7);
	CHECK("[%8s]", "abc");
	CHECK("[%-8s]", "abc");
	CHECK("[%*s]", 4, "x");
	CHECK("[%3c]", 'q');
	CHECK("[%-3c]", 'q');
	CHECK("[%020lld]", (long long)INT64_MIN);
}

static void test_precision(void **state)
{
	(void)state;
	CHECK("[%.3s]", "abcdef");
	CHECK("[%.0s]", "abcdef");
	CHECK("[%.10s]", "abc");
	CHECK("[%8.3s]", "abcdef");
	CHECK("[%-8.3s]", "abcdef");
	CHECK("[%.*s]", 2, "abcdef");
	CHECK("[%.*s]", -1, "abcdef");	/* negative: as if absent */
	CHECK("[%.*s]", 0, "abcdef");
	/* Integer precision: minimum digits, and it disables '0'. */
	CHECK("[%.5d]", 42);
	CHECK("[%.5d]", -42);
	CHECK("[%8.5d]", -42);
	CHECK("[%08.5d]", 42);
	CHECK("[%.0d]", 0);
	CHECK("[%5.0x]", 0u);
}

static void test_precision_unterminated(void **state)
{
	/* With a precision, %s must not read past it (no NUL here). */
	const char raw[3] = { 'a', 'b', 'c' };
	char buf[16];

	(void)state;
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%.3s", raw), 3);
	assert_string_equal(buf, "abc");
}

static void test_string_char(void **state)
{
	char buf[32];

	(void)state;
	CHECK("%s and %s", "this", "that");
	CHECK("%c%c%c", 'a', 'b', 'c');
	CHECK("%c", 0xff);
	/* NUL via %c is counted and stored, like C. */
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "a%cb", 0), 3);
	assert_memory_equal(buf, "a\0b", 4);

	assert_int_equal(raw_fmt(buf, sizeof(buf), "%s", (char *)NULL), 6);
	assert_string_equal(buf, "(null)");
	assert_int_equal(raw_fmt(buf, sizeof(buf), "[%8s]", (char *)NULL), 10);
	assert_string_equal(buf, "[  (null)]");
	assert_int_equal(raw_fmt(buf, sizeof(buf), "%.3s", (char *)NULL), 3);
	assert_string_equal(buf, "(nu");
}

static void test_pointer(void **state)
{
	char buf[64], ref[64];
	int x;

	(void)state;
	/* glibc also prints non-NULL pointers as 0x + lowercase hex. */
	CHECK("%p", (void *)&x);
	CHECK("%p", (void *)(uintptr_t)0xffffffffffffffffULL);
	snprintf(ref, sizeof(ref), "0x%lx", (unsigned long)(uintptr_t)&x);
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%p", (void *)&x),
			 (int)strlen(ref));
	assert_string_equal(buf, ref);

	/* NULL: "0x0", not glibc's "(nil)". */
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%p", NULL), 3);
	assert_string_equal(buf, "0x0");
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "[%6p]", NULL), 8);
	assert_string_equal(buf, "[   0x0]");
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "[%-6p]", (void *)0x1a), 8);
	assert_string_equal(buf, "[0x1a  ]");
	assert_int_equal(fmt_snprintf(buf, sizeof(buf), "%p",
				      (void *)(uintptr_t)0x40000000), 10);
	assert_string_equal(buf, "0x40000000");
}

static void test_unknown_conversion(void **state)
{
	char buf[32];

	(void)state;
	assert_int_equal(raw_fmt(buf, sizeof(buf), "a%yb"), 4);
	assert_string_equal(buf, "a%yb");
	/* Flags, width and length are shown too, and parsing continues. */
	assert_int_equal(raw_fmt(buf, sizeof(buf), "%-08lq %d", 5), 8);
	assert_string_equal(buf, "%-08lq 5");
	assert_int_equal(raw_fmt(buf, sizeof(buf), "%f"), 2);
	assert_string_equal(buf, "%f");
	/* A '%' at the very end must not run off the format string. */
	assert_int_equal(raw_fmt(buf, sizeof(buf), "50%"), 3);
	assert_string_equal(buf, "50%");
	assert_int_equal(raw_fmt(buf, sizeof(buf), "x%-5"), 4);
	assert_string_equal(buf, "x%-5");
}

static void test_truncation(void **state)
{
	char buf[8];

	(void)state;
	/* size 0: nothing written at all, full length returned. */
	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(fmt_snprintf(buf, 0, "%d", 12345), 5);
	assert_int_equal(buf[0], 'Z');
	assert_int_equal(fmt_snprintf(NULL, 0, "%s", "abc"), 3);

	/* size 1: only the NUL. */
	assert_int_equal(fmt_snprintf(buf, 1, "abc"), 3);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(buf[1], 'Z');

	/* Exact fit: 7 chars + NUL in 8 bytes. */
	assert_int_equal(fmt_snprintf(buf, 8, "%s", "1234567"), 7);
	assert_string_equal(buf, "1234567");

	/* One too many: last char dropped, still terminated. */
	assert_int_equal(fmt_snprintf(buf, 8, "%s", "12345678"), 8);
	assert_string_equal(buf, "1234567");

	/* Truncation inside padding and numbers. */
	assert_int_equal(fmt_snprintf(buf, 4, "%10d", -5), 10);
	assert_string_equal(buf, "   ");
	assert_int_equal(fmt_snprintf(buf, 5, "%lld", (long long)INT64_MIN), 20);
	assert_string_equal(buf, "-922");
}

static void test_mixed(void **state)
{
	(void)state;
	CHECK("%s=%d (0x%x)", "count", 3, 3u);
	CHECK("cpu%u: mpidr %016lx el%d %s", 3u, 0x80000003UL, 2, "ok");
	CHECK("%5s|%-5s|%05u|%x|%c", "ab", "cd", 42u, 255u, '!');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text),
		cmocka_unit_test(test_signed),
		cmocka_unit_test(test_unsigned),
		cmocka_unit_test(test_hex),
		cmocka_unit_test(test_width_flags),
		cmocka_unit_test(test_precision),
		cmocka_unit_test(test_precision_unterminated),
		cmocka_unit_test(test_string_char),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_unknown_conversion),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_mixed),
	};

	return cmocka_run_group_tests_name("fmt", tests, NULL, NULL);
}
