/* SPDX-License-Identifier: MIT */
/*
 * Forbidden-instruction scan, on real encodings. Every constant below was
 * produced by `aarch64-linux-gnu-as` (GNU Binutils 2.40) from the assembly
 * shown next to it and read back with objdump; none is computed from the
 * scanner's own formula, so a wrong table entry fails here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <policy/insn_scan.h>
#include <vtz/image.h>
#include <vtz/platform.h>

struct enc {
	uint32_t word;
	const char *as; /* the assembly that produced it */
	const char *name; /* expected insn_forbidden_name(), NULL = allowed */
};

static const struct enc forbidden_encs[] = {
	{ 0xd51c2000, "msr ttbr0_el2, x0", "MSR TTBR0_EL2" },
	{ 0xd51c2011, "msr ttbr0_el2, x17", "MSR TTBR0_EL2" },
	{ 0xd51c201e, "msr ttbr0_el2, x30", "MSR TTBR0_EL2" },
	{ 0xd51c201f, "msr ttbr0_el2, xzr", "MSR TTBR0_EL2" },
	{ 0xd51c2040, "msr tcr_el2, x0", "MSR TCR_EL2" },
	{ 0xd51c2049, "msr tcr_el2, x9", "MSR TCR_EL2" },
	{ 0xd51c205e, "msr tcr_el2, x30", "MSR TCR_EL2" },
	{ 0xd51c205f, "msr tcr_el2, xzr", "MSR TCR_EL2" },
	{ 0xd51c1000, "msr sctlr_el2, x0", "MSR SCTLR_EL2" },
	{ 0xd51c1001, "msr sctlr_el2, x1", "MSR SCTLR_EL2" },
	{ 0xd51c101e, "msr sctlr_el2, x30", "MSR SCTLR_EL2" },
	{ 0xd51c101f, "msr sctlr_el2, xzr", "MSR SCTLR_EL2" },
	{ 0xd51ca200, "msr mair_el2, x0", "MSR MAIR_EL2" },
	{ 0xd51ca205, "msr mair_el2, x5", "MSR MAIR_EL2" },
	{ 0xd51ca21e, "msr mair_el2, x30", "MSR MAIR_EL2" },
	{ 0xd51ca21f, "msr mair_el2, xzr", "MSR MAIR_EL2" },
	{ 0xd51cc000, "msr vbar_el2, x0", "MSR VBAR_EL2" },
	{ 0xd51cc003, "msr vbar_el2, x3", "MSR VBAR_EL2" },
	{ 0xd51cc01e, "msr vbar_el2, x30", "MSR VBAR_EL2" },
	{ 0xd51cc01f, "msr vbar_el2, xzr", "MSR VBAR_EL2" },
	{ 0xd51c1100, "msr hcr_el2, x0", "MSR HCR_EL2" },
	{ 0xd51c110c, "msr hcr_el2, x12", "MSR HCR_EL2" },
	{ 0xd51c111e, "msr hcr_el2, x30", "MSR HCR_EL2" },
	{ 0xd51c111f, "msr hcr_el2, xzr", "MSR HCR_EL2" },
	{ 0xd51c2100, "msr vttbr_el2, x0", "MSR VTTBR_EL2" },
	{ 0xd51c2102, "msr vttbr_el2, x2", "MSR VTTBR_EL2" },
	{ 0xd51c211e, "msr vttbr_el2, x30", "MSR VTTBR_EL2" },
	{ 0xd51c211f, "msr vttbr_el2, xzr", "MSR VTTBR_EL2" },
	{ 0xd51c2140, "msr vtcr_el2, x0", "MSR VTCR_EL2" },
	{ 0xd51c2147, "msr vtcr_el2, x7", "MSR VTCR_EL2" },
	{ 0xd51c215e, "msr vtcr_el2, x30", "MSR VTCR_EL2" },
	{ 0xd51c215f, "msr vtcr_el2, xzr", "MSR VTCR_EL2" },
	{ 0xd51c1120, "msr mdcr_el2, x0", "MSR MDCR_EL2" },
	{ 0xd51c113c, "msr mdcr_el2, x28", "MSR MDCR_EL2" },
	/* Group 0 of the GIC CPU interface (the reset's park SGI). */
	{ 0xd518ccc0, "msr icc_igrpen0_el1, x0", "MSR ICC_IGRPEN0_EL1" },
	{ 0xd518c861, "msr icc_bpr0_el1, x1", "MSR ICC_BPR0_EL1" },
	{ 0xd518c880, "msr icc_ap0r0_el1, x0", "MSR ICC_AP0R0_EL1" },
	{ 0xd518c8a0, "msr icc_ap0r1_el1, x0", "MSR ICC_AP0R1_EL1" },
	{ 0xd518c8c0, "msr icc_ap0r2_el1, x0", "MSR ICC_AP0R2_EL1" },
	{ 0xd518c8e0, "msr icc_ap0r3_el1, x0", "MSR ICC_AP0R3_EL1" },
	{ 0xd51c113e, "msr mdcr_el2, x30", "MSR MDCR_EL2" },
	{ 0xd51c113f, "msr mdcr_el2, xzr", "MSR MDCR_EL2" },
	{ 0xd5087640, "dc isw, x0", "DC ISW" },
	{ 0xd5087644, "dc isw, x4", "DC ISW" },
	{ 0xd508765e, "dc isw, x30", "DC ISW" },
	{ 0xd508765f, "dc isw, xzr", "DC ISW" },
};

static const struct enc allowed_encs[] = {
	/* Reads of the very same registers. */
	{ 0xd53c2000, "mrs x0, ttbr0_el2", NULL },
	{ 0xd53c2041, "mrs x1, tcr_el2", NULL },
	{ 0xd53c1002, "mrs x2, sctlr_el2", NULL },
	{ 0xd53ca203, "mrs x3, mair_el2", NULL },
	{ 0xd53cc004, "mrs x4, vbar_el2", NULL },
	{ 0xd53c1105, "mrs x5, hcr_el2", NULL },
	{ 0xd53c2106, "mrs x6, vttbr_el2", NULL },
	{ 0xd53c2147, "mrs x7, vtcr_el2", NULL },
	{ 0xd53c1128, "mrs x8, mdcr_el2", NULL },
	/* The EL1 counterparts (ARMv8.0: no VHE redirection). */
	{ 0xd518c000, "msr vbar_el1, x0", NULL },
	{ 0xd5182000, "msr ttbr0_el1, x0", NULL },
	{ 0xd5182020, "msr ttbr1_el1, x0", NULL },
	{ 0xd5181000, "msr sctlr_el1, x0", NULL },
	{ 0xd5182040, "msr tcr_el1, x0", NULL },
	{ 0xd518a200, "msr mair_el1, x0", NULL },
	/* EL2 registers the hypervisor needs for its own job. */
	{ 0xd51cd040, "msr tpidr_el2, x0", NULL },
	{ 0xd51c4020, "msr elr_el2, x0", NULL },
	{ 0xd51c4000, "msr spsr_el2, x0", NULL },
	{ 0xd51c1140, "msr cptr_el2, x0", NULL },
	{ 0xd51c0000, "msr vpidr_el2, x0", NULL },
	{ 0xd51ce100, "msr cnthctl_el2, x0", NULL },
	/* EL3 registers (would UNDEF at EL2 anyway). */
	{ 0xd51e2000, "msr ttbr0_el3, x0", NULL },
	{ 0xd51ec000, "msr vbar_el3, x0", NULL },
	{ 0xd51e1000, "msr sctlr_el3, x0", NULL },
	/* Cache maintenance that cleans first, or by address. */
	{ 0xd5087e40, "dc cisw, x0", NULL },
	{ 0xd5087a40, "dc csw, x0", NULL },
	{ 0xd5087620, "dc ivac, x0", NULL },
	{ 0xd50b7e20, "dc civac, x0", NULL },
	/* Same op1/CRn/CRm/op2 as SCTLR_EL2 but op0 = 1 (SYS), and SYSL. */
	{ 0xd50c1000, "sys #4, c1, c0, #0, x0", NULL },
	{ 0xd52c1000, "sysl x0, #4, c1, c0, #0", NULL },
	{ 0xd50c871f, "tlbi alle2", NULL },
	{ 0xd50c83df, "tlbi vmalls12e1is", NULL },
	{ 0xd5034fdf, "msr daifset, #0xf", NULL },
	/* Group 1 and reads of Group 0: the hypervisor's own. */
	{ 0xd518cce0, "msr icc_igrpen1_el1, x0", NULL },
	{ 0xd538ccc0, "mrs x0, icc_igrpen0_el1", NULL },
	{ 0xd5184600, "msr icc_pmr_el1, x0", NULL },
	{ 0xd69f03e0, "eret", NULL },
	{ 0xd4000003, "smc #0", NULL },
	{ 0xd4000002, "hvc #0", NULL },
	{ 0xd503201f, "nop", NULL },
	/* Data that happens to sit in text (a literal): not an instruction. */
	{ 0x31305059, "(.word: low half of the image magic)", NULL },
	{ 0x00000000, ".word 0", NULL },
	{ 0xffffffff, ".word 0xffffffff", NULL },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static void test_every_forbidden_encoding_is_named(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(forbidden_encs); i++) {
		const char *name = insn_forbidden_name(forbidden_encs[i].word);

		if (!name || strcmp(name, forbidden_encs[i].name) != 0)
			fail_msg("%s (0x%08x): got %s, want %s", forbidden_encs[i].as,
				 forbidden_encs[i].word, name ? name : "allowed",
				 forbidden_encs[i].name);
	}
}

static void test_allowed_encodings_pass(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(allowed_encs); i++) {
		const char *name = insn_forbidden_name(allowed_encs[i].word);

		if (name)
			fail_msg("%s (0x%08x) refused as %s", allowed_encs[i].as,
				 allowed_encs[i].word, name);
	}
}

static void test_scan_of_allowed_words_is_clean(void **state)
{
	uint32_t words[ARRAY_SIZE(allowed_encs)];
	struct insn_hit hit = { .index = 77, .word = 0x1234, .name = "untouched" };
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(allowed_encs); i++)
		words[i] = allowed_encs[i].word;
	assert_int_equal(insn_scan(words, ARRAY_SIZE(words), &hit), 0);
	/* No hit: the caller's struct is left alone. */
	assert_int_equal(hit.index, 77);
	assert_int_equal(hit.word, 0x1234);
	assert_string_equal(hit.name, "untouched");
	assert_int_equal(insn_scan(words, 0, &hit), 0);
	assert_int_equal(insn_scan(NULL, 0, NULL), 0);
}

/* One forbidden word at every position of a clean array, incl. first and last. */
static void test_scan_finds_a_hit_anywhere(void **state)
{
	enum { N = 64 };
	uint32_t words[N];
	size_t f, pos, i;

	(void)state;
	for (f = 0; f < ARRAY_SIZE(forbidden_encs); f++) {
		for (pos = 0; pos < N; pos++) {
			struct insn_hit hit;

			for (i = 0; i < N; i++)
				words[i] = allowed_encs[i % ARRAY_SIZE(allowed_encs)].word;
			words[pos] = forbidden_encs[f].word;
			memset(&hit, 0, sizeof(hit));
			assert_int_equal(insn_scan(words, N, &hit), 1);
			assert_int_equal(hit.index, pos);
			assert_int_equal(hit.word, forbidden_encs[f].word);
			assert_string_equal(hit.name, forbidden_encs[f].name);
		}
	}
}

static void test_scan_counts_all_and_reports_the_first(void **state)
{
	uint32_t words[] = {
		0xd503201f, /* nop */
		0xd53cc004, /* mrs x4, vbar_el2 */
		0xd5087e40, /* dc cisw, x0 */
		0xd51c111f, /* msr hcr_el2, xzr */
		0xd503201f, /* nop */
		0xd5087644, /* dc isw, x4 */
		0xd51cc01e, /* msr vbar_el2, x30 */
	};
	struct insn_hit hit;

	(void)state;
	assert_int_equal(insn_scan(words, ARRAY_SIZE(words), &hit), 3);
	assert_int_equal(hit.index, 3);
	assert_int_equal(hit.word, 0xd51c111f);
	assert_string_equal(hit.name, "MSR HCR_EL2");
	/* NULL first_hit is allowed: only the count. */
	assert_int_equal(insn_scan(words, ARRAY_SIZE(words), NULL), 3);
	/* A range that stops before the first hit is clean. */
	assert_int_equal(insn_scan(words, 3, &hit), 0);
}

/*
 * Real images, when `make images` has run (make unit sets VTZ_IMAGES to
 * the directory holding them). The system tests boot
 * them; this checks the scanner alone, with no QEMU in the way.
 */
static uint32_t *load_image(const char *name, size_t *n_words)
{
	const char *dir = getenv("VTZ_IMAGES");
	char path[512];
	uint32_t *buf;
	FILE *f;
	long len;

	if (!dir)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = len > 0 ? calloc(1, (size_t)len + 4) : NULL;
	if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		fclose(f);
		return NULL;
	}
	fclose(f);
	*n_words = (size_t)len / 4;
	return buf;
}

/* Words of the hypervisor text, as the monitor sees them. */
static size_t hyp_text_words(const uint32_t *img, size_t n_words)
{
	uint64_t text;

	memcpy(&text, (const char *)img + HYP_HDR_TEXT_SIZE_OFFSET, sizeof(text));
	assert_true(text > 0 && text % 4096 == 0 && text <= PLAT_HYP_SIZE);
	return text / 4 < n_words ? text / 4 : n_words;
}

static void test_real_hypervisor_image_is_clean(void **state)
{
	struct insn_hit hit;
	size_t n, text;
	uint32_t *img;

	(void)state;
	img = load_image("hyp.bin", &n);
	if (!img) {
		print_message("hyp.bin not built: skipped (the system test boots it)\n");
		skip();
	}
	text = hyp_text_words(img, n);
	if (insn_scan(img, text, &hit))
		fail_msg("hyp.bin: %s (0x%08x) at offset 0x%zx", hit.name, hit.word,
			 hit.index * 4);
	free(img);
}

/* The CIEE is where these instructions belong: its image must be caught. */
static void test_real_ciee_image_is_caught(void **state)
{
	struct insn_hit hit;
	uint32_t *img;
	size_t n;

	(void)state;
	img = load_image("ciee.bin", &n);
	if (!img) {
		print_message("ciee.bin not built: skipped\n");
		skip();
	}
	assert_true(insn_scan(img, n, &hit) >= 1);
	free(img);
}

static void test_real_bad_hypervisor_images_are_caught(void **state)
{
	static const struct {
		const char *file, *name;
	} bad[] = {
		{ "hyp-bad-ttbr0.bin", "MSR TTBR0_EL2" }, { "hyp-bad-tcr.bin", "MSR TCR_EL2" },
		{ "hyp-bad-sctlr.bin", "MSR SCTLR_EL2" }, { "hyp-bad-mair.bin", "MSR MAIR_EL2" },
		{ "hyp-bad-vbar.bin", "MSR VBAR_EL2" },   { "hyp-bad-hcr.bin", "MSR HCR_EL2" },
		{ "hyp-bad-vttbr.bin", "MSR VTTBR_EL2" }, { "hyp-bad-vtcr.bin", "MSR VTCR_EL2" },
		{ "hyp-bad-mdcr.bin", "MSR MDCR_EL2" },   { "hyp-bad-dcisw.bin", "DC ISW" },
	};
	size_t i, found = 0;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		struct insn_hit hit;
		uint32_t *img;
		size_t n;

		img = load_image(bad[i].file, &n);
		if (!img)
			continue;
		found++;
		/* Exactly the one planted instruction, inside the text. */
		assert_int_equal(insn_scan(img, hyp_text_words(img, n), &hit), 1);
		if (strcmp(hit.name, bad[i].name) != 0)
			fail_msg("%s: found %s, planted %s", bad[i].file, hit.name, bad[i].name);
		free(img);
	}
	if (!found) {
		print_message("hyp-bad-*.bin not built: skipped\n");
		skip();
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_forbidden_encoding_is_named),
		cmocka_unit_test(test_allowed_encodings_pass),
		cmocka_unit_test(test_scan_of_allowed_words_is_clean),
		cmocka_unit_test(test_scan_finds_a_hit_anywhere),
		cmocka_unit_test(test_scan_counts_all_and_reports_the_first),
		cmocka_unit_test(test_real_hypervisor_image_is_clean),
		cmocka_unit_test(test_real_ciee_image_is_caught),
		cmocka_unit_test(test_real_bad_hypervisor_images_are_caught),
	};

	return cmocka_run_group_tests_name("insn_scan", tests, NULL, NULL);
}
