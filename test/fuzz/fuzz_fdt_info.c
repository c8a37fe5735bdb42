/* SPDX-License-Identifier: MIT */
/*
 * fdt_info_read() on arbitrary bytes: the device tree comes from outside
 * the trusted base. Besides memory safety (ASan, UBSan), checks what the
 * header promises of a result: an error leaves *out zeroed, success gives
 * 1..MAX sorted, non-overlapping, non-wrapping RAM regions and 1..MAX
 * distinct CPUs, a max_size below totalsize is refused, and the answer
 * does not depend on earlier calls or on what *out held.
 */
#include <stdint.h>
#include <string.h>

#include <policy/fdt_info.h>

#include "fuzz_util.h"

static void check_result(int ret, const struct fdt_info *info)
{
	static const struct fdt_info zero;
	unsigned i, j;

	FUZZ_CHECK(ret <= FDT_INFO_OK && ret >= FDT_INFO_ERR_STRUCTURE, "ret %d", ret);
	FUZZ_CHECK(strcmp(fdt_info_strerror(ret), "unknown error") != 0, "ret %d", ret);
	if (ret) {
		FUZZ_CHECK(memcmp(info, &zero, sizeof(zero)) == 0, "ret %d left data in *out", ret);
		return;
	}
	FUZZ_CHECK(info->n_mem >= 1 && info->n_mem <= FDT_INFO_MAX_MEM, "n_mem %u", info->n_mem);
	for (i = 0; i < info->n_mem; i++) {
		const struct fdt_mem_region *r = &info->mem[i];

		FUZZ_CHECK(r->size != 0 && r->base + r->size > r->base,
			   "region %u: %#llx+%#llx", i, (unsigned long long)r->base,
			   (unsigned long long)r->size);
		if (i)
			FUZZ_CHECK(info->mem[i - 1].base + info->mem[i - 1].size <= r->base,
				   "regions %u and %u unsorted or overlapping", i - 1, i);
	}
	FUZZ_CHECK(info->n_cpus >= 1 && info->n_cpus <= FDT_INFO_MAX_CPUS, "n_cpus %u",
		   info->n_cpus);
	for (i = 0; i < info->n_cpus; i++)
		for (j = i + 1; j < info->n_cpus; j++)
			FUZZ_CHECK(info->cpu_mpidr[i] != info->cpu_mpidr[j], "cpus %u and %u: same MPIDR",
				   i, j);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fdt_info a, b;
	uint8_t *buf;
	int ret;

	/* libfdt wants 8-byte alignment; malloc gives it, and exact bounds for ASan. */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);

	memset(&a, 0x5a, sizeof(a));
	ret = fdt_info_read(buf, size, &a);
	check_result(ret, &a);

	/* The same blob again over garbage: the same answer (no stale state). */
	memset(&b, 0xa5, sizeof(b));
	FUZZ_CHECK(fdt_info_read(buf, size, &b) == ret, "two reads of one blob differ");
	FUZZ_CHECK(memcmp(&a, &b, sizeof(a)) == 0, "two reads of one blob differ in *out");

	/* A blob accepted is refused as soon as max_size is below its totalsize. */
	if (ret == FDT_INFO_OK) {
		size_t total = (size_t)buf[4] << 24 | buf[5] << 16 | buf[6] << 8 | buf[7];

		FUZZ_CHECK(total <= size, "totalsize %zu beyond max_size %zu", total, size);
		FUZZ_CHECK(fdt_info_read(buf, total - 1, &b) == FDT_INFO_ERR_HEADER,
			   "max_size %zu below totalsize accepted", total - 1);
	}
	free(buf);
	return 0;
}
