/* SPDX-License-Identifier: MIT */
/*
 * acpi_parse() on an arbitrary table window. Input: u32 RSDP offset (its
 * address is WIN_BASE + offset, so it may lie outside), then the window's
 * bytes, based at WIN_BASE. Seeds are QEMU's tables linked in place
 * (seeds.py). Checks fuzz_acpi_check.h's properties, and the same answer
 * twice over different garbage in *out.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_acpi_check.h"

#define WIN_BASE 0x48000000ULL

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size, 0};
	struct acpi_info a, b;
	struct acpi_window w;
	uint32_t rsdp_off = fuzz_u32(&in);
	size_t n = size > 4 ? size - 4 : 0;
	uint8_t *buf = malloc(n ? n : 1);
	int ret;

	if (!buf)
		return 0;
	/* A copy of exactly n bytes: ASan sees any read past the window. */
	memcpy(buf, data + (size - n), n);
	w.base = WIN_BASE;
	w.bytes = buf;
	w.size = n;
	memset(&a, 0x5a, sizeof(a));
	ret = acpi_parse(&w, WIN_BASE + rsdp_off, &a);
	acpi_check_result(ret, &a);
	memset(&b, 0xa5, sizeof(b));
	FUZZ_CHECK(acpi_parse(&w, WIN_BASE + rsdp_off, &b) == ret, "two reads differ");
	FUZZ_CHECK(memcmp(&a, &b, sizeof(a)) == 0, "two reads differ in *out");
	free(buf);
	return 0;
}
