/* SPDX-License-Identifier: MIT */
/*
 * insn_scan() on arbitrary words (the hypervisor image is untrusted).
 * Properties: the number of hits equals a naive re-count with
 * insn_forbidden_name() on every word (so the scan's fast-path filter
 * never skips a forbidden word); *first_hit describes the lowest one and
 * is untouched when there is none; passing NULL changes nothing; and the
 * verdict on a word never depends on its Rt field.
 */
#include <stdint.h>
#include <string.h>

#include <policy/insn_scan.h>

#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = size / sizeof(uint32_t), i, count = 0, first = SIZE_MAX, hits;
	struct insn_hit hit, untouched;
	uint32_t *words;

	/* An exact-size aligned copy, so ASan sees any read past word n-1. */
	words = malloc(n ? n * sizeof(*words) : 1);
	if (!words)
		return 0;
	memcpy(words, data, n * sizeof(*words));

	for (i = 0; i < n; i++) {
		const char *name = insn_forbidden_name(words[i]);

		/* Rt (bits 4:0) is irrelevant: same verdict, same name. */
		FUZZ_CHECK(name == insn_forbidden_name(words[i] & ~0x1fu),
			   "word %#x: verdict depends on Rt", words[i]);
		if (!name)
			continue;
		FUZZ_CHECK(name[0] != '\0', "word %#x: empty name", words[i]);
		if (!count)
			first = i;
		count++;
	}

	memset(&hit, 0xa5, sizeof(hit));
	untouched = hit;
	hits = insn_scan(words, n, &hit);
	FUZZ_CHECK(hits == count, "insn_scan found %zu, naive count %zu", hits, count);
	if (count) {
		FUZZ_CHECK(hit.index == first, "first hit at %zu, expected %zu", hit.index, first);
		FUZZ_CHECK(hit.word == words[first], "first hit word %#x, expected %#x", hit.word,
			   words[first]);
		FUZZ_CHECK(hit.name == insn_forbidden_name(words[first]), "first hit name %s",
			   hit.name);
	} else {
		FUZZ_CHECK(memcmp(&hit, &untouched, sizeof(hit)) == 0,
			   "first_hit written without a hit");
	}
	FUZZ_CHECK(insn_scan(words, n, NULL) == count, "result depends on first_hit");
	/* Without the last word: the scan stops at n. */
	if (n) {
		size_t last = insn_forbidden_name(words[n - 1]) != NULL;

		FUZZ_CHECK(insn_scan(words, n - 1, NULL) == count - last, "count of %zu words wrong",
			   n - 1);
	}
	free(words);
	return 0;
}
