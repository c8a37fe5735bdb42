/* SPDX-License-Identifier: MIT */
/*
 * fdt_info_read on QEMU's own device trees (dumped at test time into
 * $VTZ_TEST_DATA), on two compiled .dts files, and on malformed trees
 * built here with libfdt's sequential-write API.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libfdt.h>
#include <policy/fdt_info.h>

#define TREE_SIZE 4096
#define SZ_1G 0x40000000ULL

/* ------------------------------------------------------------- helpers */

static void *load_dtb(const char *name, size_t *size_out)
{
	const char *dir = getenv("VTZ_TEST_DATA");
	char path[512];
	long len;
	void *buf;
	FILE *f;

	if (!dir || !*dir)
		fail_msg("VTZ_TEST_DATA is not set: run through `make unit`, or set it to the "
			 "directory holding %s (e.g. build/test-data)", name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (build it with `make build/test-data/%s`)", path, name);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len > 0);
	rewind(f);
	buf = test_malloc((size_t)len);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*size_out = (size_t)len;
	return buf;
}

static int read_file_info(const char *name, struct fdt_info *info)
{
	size_t size;
	void *fdt = load_dtb(name, &size);
	int ret = fdt_info_read(fdt, size, info);

	test_free(fdt);
	return ret;
}

static void prop_cells(void *fdt, const char *name, const uint32_t *cells, unsigned n)
{
	fdt32_t be[64];
	unsigned i;

	assert_true(n <= 64);
	for (i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(cells[i]);
	assert_int_equal(fdt_property(fdt, name, be, (int)(n * sizeof(fdt32_t))), 0);
}

static void prop_u32(void *fdt, const char *name, uint32_t v)
{
	assert_int_equal(fdt_property_u32(fdt, name, v), 0);
}

/* Root with its cell counts (negative: omitted) and its properties done. */
static void *tree_begin(int ac, int sc)
{
	void *fdt = test_malloc(TREE_SIZE);

	assert_int_equal(fdt_create(fdt, TREE_SIZE), 0);
	assert_int_equal(fdt_finish_reservemap(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, ""), 0);
	if (ac >= 0)
		prop_u32(fdt, "#address-cells", (uint32_t)ac);
	if (sc >= 0)
		prop_u32(fdt, "#size-cells", (uint32_t)sc);
	return fdt;
}

static void tree_end(void *fdt)
{
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_finish(fdt), 0);
	assert_int_equal(fdt_check_header(fdt), 0);
}

static void add_memory(void *fdt, const char *name, const uint32_t *reg, unsigned n)
{
	assert_int_equal(fdt_begin_node(fdt, name), 0);
	assert_int_equal(fdt_property_string(fdt, "device_type", "memory"), 0);
	if (reg)
		prop_cells(fdt, "reg", reg, n);
	assert_int_equal(fdt_end_node(fdt), 0);
}

/* One 1 GiB region at 0x40000000, for a 2/2 cells root. */
static void add_default_memory(void *fdt)
{
	static const uint32_t reg[] = { 0, 0x40000000, 0, 0x40000000 };

	add_memory(fdt, "memory@40000000", reg, 4);
}

/* /cpus with @n cpus whose reg (one cell) is the index; ac < 0 omits it. */
static void add_cpus_ac(void *fdt, int ac, unsigned n)
{
	char name[32];
	unsigned i;

	assert_int_equal(fdt_begin_node(fdt, "cpus"), 0);
	if (ac >= 0)
		prop_u32(fdt, "#address-cells", (uint32_t)ac);
	prop_u32(fdt, "#size-cells", 0);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "cpu@%u", i);
		assert_int_equal(fdt_begin_node(fdt, name), 0);
		assert_int_equal(fdt_property_string(fdt, "device_type", "cpu"), 0);
		if (ac == 2) {
			uint32_t reg[2] = { 0, i };

			prop_cells(fdt, "reg", reg, 2);
		} else {
			prop_u32(fdt, "reg", i);
		}
		assert_int_equal(fdt_end_node(fdt), 0);
	}
	assert_int_equal(fdt_end_node(fdt), 0);
}

static void add_cpus(void *fdt, unsigned n)
{
	add_cpus_ac(fdt, 1, n);
}

static void add_uart(void *fdt, const char *name, uint32_t base, const char *status)
{
	static const char compat[] = "arm,pl011\0arm,primecell";
	uint32_t reg[] = { 0, base, 0, 0x1000 };

	assert_int_equal(fdt_begin_node(fdt, name), 0);
	assert_int_equal(fdt_property(fdt, "compatible", compat, sizeof(compat)), 0);
	if (status)
		assert_int_equal(fdt_property_string(fdt, "status", status), 0);
	prop_cells(fdt, "reg", reg, 4);
	assert_int_equal(fdt_end_node(fdt), 0);
}

static int read_tree(void *fdt, struct fdt_info *info)
{
	int ret = fdt_info_read(fdt, TREE_SIZE, info);

	test_free(fdt);
	return ret;
}

/* A tree with exactly one thing changed from a good one. */
static int read_simple(const uint32_t *mem_reg, unsigned n, unsigned ncpus)
{
	struct fdt_info info;
	void *fdt = tree_begin(2, 2);
	int ret;

	add_memory(fdt, "memory@0", mem_reg, n);
	add_cpus(fdt, ncpus);
	tree_end(fdt);
	ret = read_tree(fdt, &info);
	if (ret) {
		assert_int_equal(info.n_mem, 0); /* nothing half-filled on error */
		assert_int_equal(info.n_cpus, 0);
	}
	return ret;
}

/* -------------------------------------------------------- QEMU device trees */

static void test_qemu_smp2_1g(void **state)
{
	struct fdt_info info;

	(void)state;
	assert_int_equal(read_file_info("virt-smp2-1g.dtb", &info), FDT_INFO_OK);
	/* The secure RAM node (status "disabled") is not RAM for us. */
	assert_int_equal(info.n_mem, 1);
	assert_int_equal(info.mem[0].base, 0x40000000);
	assert_int_equal(info.mem[0].size, SZ_1G);
	assert_int_equal(info.n_cpus, 2);
	assert_int_equal(info.cpu_mpidr[0], 0);
	assert_int_equal(info.cpu_mpidr[1], 1);
	/* Not the secure PL011 at 0x09040000, which comes first in the tree. */
	assert_int_equal(info.uart_base, 0x09000000);
}

static void test_qemu_smp4_2g(void **state)
{
	struct fdt_info info;
	unsigned i;

	(void)state;
	assert_int_equal(read_file_info("virt-smp4-2g.dtb", &info), FDT_INFO_OK);
	assert_int_equal(info.n_mem, 1);
	assert_int_equal(info.mem[0].base, 0x40000000);
	assert_int_equal(info.mem[0].size, 2 * SZ_1G);
	assert_int_equal(info.n_cpus, 4);
	for (i = 0; i < 4; i++)
		assert_int_equal(info.cpu_mpidr[i], i);
	assert_int_equal(info.uart_base, 0x09000000);
}

static void test_dts_overlap(void **state)
{
	struct fdt_info info;

	(void)state;
	assert_int_equal(read_file_info("overlap.dtb", &info), FDT_INFO_ERR_OVERLAP);
}

static void test_dts_no_memory(void **state)
{
	struct fdt_info info;

	(void)state;
	assert_int_equal(read_file_info("no-memory.dtb", &info), FDT_INFO_ERR_NO_MEMORY);
}

/* ---------------------------------------------------------------- header */

static void test_truncated(void **state)
{
	struct fdt_info info;
	size_t size;
	void *fdt = load_dtb("virt-smp2-1g.dtb", &size);

	(void)state;
	assert_int_equal(fdt_totalsize(fdt), size);
	assert_int_equal(fdt_info_read(fdt, size - 1, &info), FDT_INFO_ERR_HEADER);
	assert_int_equal(fdt_info_read(fdt, 40, &info), FDT_INFO_ERR_HEADER);
	assert_int_equal(fdt_info_read(fdt, 8, &info), FDT_INFO_ERR_HEADER);
	assert_int_equal(fdt_info_read(fdt, 0, &info), FDT_INFO_ERR_HEADER);
	/* A larger buffer than the blob is fine. */
	assert_int_equal(fdt_info_read(fdt, size + 100, &info), FDT_INFO_OK);
	test_free(fdt);
}

static void test_bad_magic(void **state)
{
	struct fdt_info info;
	size_t size;
	uint8_t *fdt = load_dtb("virt-smp2-1g.dtb", &size);

	(void)state;
	fdt[0] ^= 0xff;
	assert_int_equal(fdt_info_read(fdt, size, &info), FDT_INFO_ERR_HEADER);
	fdt[0] ^= 0xff;
	/* A header whose struct block lies outside totalsize. */
	((struct fdt_header *)(void *)fdt)->off_dt_struct = cpu_to_fdt32((uint32_t)size);
	assert_int_equal(fdt_info_read(fdt, size, &info), FDT_INFO_ERR_HEADER);
	test_free(fdt);
}

/*
 * Found by test/fuzz/fuzz_fdt_info: a structure block at an offset that is
 * not a multiple of 4 passes fdt_check_header, but libfdt then loads its
 * tags as misaligned 32-bit words (undefined behaviour; UBSan aborts). The
 * spec requires 4-byte alignment, so the header is refused.
 */
static void test_misaligned_struct_block(void **state)
{
	struct fdt_info info;
	struct fdt_header *h;
	uint32_t total, off;
	uint8_t *fdt, *moved;

	(void)state;
	fdt = tree_begin(2, 2);
	add_default_memory(fdt);
	add_cpus(fdt, 1);
	tree_end(fdt);
	total = fdt_totalsize(fdt);
	off = fdt_off_dt_struct(fdt);
	assert_true(fdt_off_dt_strings(fdt) >= off);

	/* The same tree with two bytes inserted before the structure block. */
	moved = test_calloc(1, total + 2);
	memcpy(moved, fdt, off);
	memcpy(moved + off + 2, fdt + off, total - off);
	h = (struct fdt_header *)(void *)moved;
	h->off_dt_struct = cpu_to_fdt32(off + 2);
	h->off_dt_strings = cpu_to_fdt32(fdt_off_dt_strings(fdt) + 2);
	h->totalsize = cpu_to_fdt32(total + 2);
	assert_int_equal(fdt_check_header(moved), 0);
	assert_int_equal(fdt_info_read(moved, total + 2, &info), FDT_INFO_ERR_HEADER);
	assert_int_equal(info.n_mem, 0);
	/* The untouched tree still reads. */
	assert_int_equal(fdt_info_read(fdt, total, &info), FDT_INFO_OK);
	test_free(moved);
	test_free(fdt);
}

static void test_null_args(void **state)
{
	struct fdt_info info;
	void *fdt = tree_begin(2, 2);

	(void)state;
	add_default_memory(fdt);
	add_cpus(fdt, 1);
	tree_end(fdt);
	assert_int_equal(fdt_info_read(NULL, TREE_SIZE, &info), FDT_INFO_ERR_HEADER);
	assert_int_equal(fdt_info_read(fdt, TREE_SIZE, NULL), FDT_INFO_ERR_HEADER);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_OK);
}

/* ----------------------------------------------------------------- cells */

static int read_with_root_cells(int ac, int sc)
{
	struct fdt_info info;
	static const uint32_t reg[] = { 0x40000000, 0x1000000 };
	void *fdt = tree_begin(ac, sc);

	add_memory(fdt, "memory@40000000", reg, 2);
	add_cpus(fdt, 1);
	tree_end(fdt);
	return read_tree(fdt, &info);
}

static void test_cells(void **state)
{
	struct fdt_info info;
	void *fdt;

	(void)state;
	assert_int_equal(read_with_root_cells(1, 1), FDT_INFO_OK);
	assert_int_equal(read_with_root_cells(-1, 1), FDT_INFO_ERR_CELLS);
	assert_int_equal(read_with_root_cells(1, -1), FDT_INFO_ERR_CELLS);
	assert_int_equal(read_with_root_cells(0, 1), FDT_INFO_ERR_CELLS);
	assert_int_equal(read_with_root_cells(1, 0), FDT_INFO_ERR_CELLS);
	assert_int_equal(read_with_root_cells(3, 1), FDT_INFO_ERR_CELLS);
	assert_int_equal(read_with_root_cells(1, 3), FDT_INFO_ERR_CELLS);

	/* A cell count that is not one cell long. */
	fdt = tree_begin(-1, 2);
	assert_int_equal(fdt_property_u64(fdt, "#address-cells", 2), 0);
	add_default_memory(fdt);
	add_cpus(fdt, 1);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_ERR_CELLS);

	/* /cpus: #address-cells missing, 0 or 3. */
	fdt = tree_begin(2, 2);
	add_default_memory(fdt);
	add_cpus_ac(fdt, -1, 1);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_ERR_CELLS);
	fdt = tree_begin(2, 2);
	add_default_memory(fdt);
	add_cpus_ac(fdt, 0, 1);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_ERR_CELLS);
	fdt = tree_begin(2, 2);
	add_default_memory(fdt);
	add_cpus_ac(fdt, 3, 1);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_ERR_CELLS);
}

/* ---------------------------------------------------------------- memory */

static void test_memory_one_cell_pairs(void **state)
{
	struct fdt_info info;
	/* 1/1 cells, three pairs in one reg, out of order. */
	static const uint32_t reg[] = { 0x80000000, 0x100000, 0x40000000, 0x200000,
					0x60000000, 0x1000 };
	void *fdt = tree_begin(1, 1);

	(void)state;
	add_memory(fdt, "memory@40000000", reg, 6);
	add_cpus(fdt, 1);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_OK);
	assert_int_equal(info.n_mem, 3);
	assert_int_equal(info.mem[0].base, 0x40000000);
	assert_int_equal(info.mem[0].size, 0x200000);
	assert_int_equal(info.mem[1].base, 0x60000000);
	assert_int_equal(info.mem[1].size, 0x1000);
	assert_int_equal(info.mem[2].base, 0x80000000);
	assert_int_equal(info.mem[2].size, 0x100000);
	assert_int_equal(info.uart_base, 0);
}

static void test_memory_sorted_and_adjacent(void **state)
{
	struct fdt_info info;
	static const uint32_t hi[] = { 0x1, 0x00000000, 0x0, 0x40000000 };
	static const uint32_t lo[] = { 0x0, 0xc0000000, 0x0, 0x40000000 }; /* ends at hi */
	void *fdt = tree_begin(2, 2);

	(void)state;
	add_memory(fdt, "memory@100000000", hi, 4);
	add_memory(fdt, "memory@c0000000", lo, 4);
	add_cpus(fdt, 1);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_OK);
	assert_int_equal(info.n_mem, 2);
	assert_int_equal(info.mem[0].base, 0xc0000000ULL);
	assert_int_equal(info.mem[0].size, SZ_1G);
	assert_int_equal(info.mem[1].base, 0x100000000ULL);
	assert_int_equal(info.mem[1].size, SZ_1G);
}

static void test_memory_overlap(void **state)
{
	/* Overlap by one page, within one reg, listed high region first. */
	static const uint32_t reg[] = { 0, 0x40100000, 0, 0x1000, 0, 0x40000000, 0, 0x101000 };
	/* Same base twice. */
	static const uint32_t dup[] = { 0, 0x40000000, 0, 0x1000, 0, 0x40000000, 0, 0x1000 };
	/* One region containing another. */
	static const uint32_t nest[] = { 0, 0x40000000, 0, 0x100000, 0, 0x40010000, 0, 0x1000 };

	(void)state;
	assert_int_equal(read_simple(reg, 8, 1), FDT_INFO_ERR_OVERLAP);
	assert_int_equal(read_simple(dup, 8, 1), FDT_INFO_ERR_OVERLAP);
	assert_int_equal(read_simple(nest, 8, 1), FDT_INFO_ERR_OVERLAP);
}

static void test_memory_bad_reg(void **state)
{
	static const uint32_t reg[] = { 0, 0x40000000, 0, 0x40000000, 0, 0x80000000, 0 };
	static const uint32_t zero[] = { 0, 0x40000000, 0, 0 };
	static const uint32_t wrap[] = { 0xffffffff, 0xfffff000, 0, 0x2000 };
	static const uint32_t top[] = { 0xffffffff, 0xfffff000, 0, 0x1000 };
	static const uint32_t max[] = { 0xffffffff, 0xffffe000, 0, 0x1000 };
	struct fdt_info info;
	void *fdt;

	(void)state;
	/* Pairs are 16 bytes; 3 cells, 7 cells, and an empty reg. */
	assert_int_equal(read_simple(reg, 3, 1), FDT_INFO_ERR_BAD_REG);
	assert_int_equal(read_simple(reg, 7, 1), FDT_INFO_ERR_BAD_REG);
	assert_int_equal(read_simple(reg, 0, 1), FDT_INFO_ERR_BAD_REG);
	assert_int_equal(read_simple(zero, 4, 1), FDT_INFO_ERR_BAD_REG);
	assert_int_equal(read_simple(wrap, 4, 1), FDT_INFO_ERR_BAD_REG);
	/* Ending exactly at 2^64 wraps base + size to 0: refused too. */
	assert_int_equal(read_simple(top, 4, 1), FDT_INFO_ERR_BAD_REG);
	assert_int_equal(read_simple(max, 4, 1), FDT_INFO_OK);

	/* Length not a multiple of 4 bytes. */
	fdt = tree_begin(2, 2);
	assert_int_equal(fdt_begin_node(fdt, "memory@0"), 0);
	assert_int_equal(fdt_property_string(fdt, "device_type", "memory"), 0);
	assert_int_equal(fdt_property(fdt, "reg", "\0\0\0\0\x40\0", 6), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	add_cpus(fdt, 1);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_ERR_BAD_REG);

	/* A memory node without reg. */
	fdt = tree_begin(2, 2);
	add_memory(fdt, "memory", NULL, 0);
	add_cpus(fdt, 1);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_ERR_BAD_REG);
}

static void test_memory_too_many(void **state)
{
	uint32_t reg[4 * (FDT_INFO_MAX_MEM + 1)];
	struct fdt_info info;
	char name[32];
	unsigned i;
	void *fdt;

	(void)state;
	for (i = 0; i < FDT_INFO_MAX_MEM + 1; i++) {
		reg[4 * i] = 0;
		reg[4 * i + 1] = 0x40000000 + i * 0x100000;
		reg[4 * i + 2] = 0;
		reg[4 * i + 3] = 0x100000;
	}
	/* The maximum in one reg is fine, one more is not. */
	assert_int_equal(read_simple(reg, 4 * FDT_INFO_MAX_MEM, 1), FDT_INFO_OK);
	assert_int_equal(read_simple(reg, 4 * (FDT_INFO_MAX_MEM + 1), 1), FDT_INFO_ERR_TOO_MANY);

	/* Spread over separate nodes. */
	fdt = tree_begin(2, 2);
	for (i = 0; i < FDT_INFO_MAX_MEM + 1; i++) {
		snprintf(name, sizeof(name), "memory@%x", reg[4 * i + 1]);
		add_memory(fdt, name, &reg[4 * i], 4);
	}
	add_cpus(fdt, 1);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_ERR_TOO_MANY);
}

static void test_memory_none(void **state)
{
	static const uint32_t reg[] = { 0, 0x40000000, 0, 0x1000 };
	struct fdt_info info;
	void *fdt;

	(void)state;
	/* No memory node at all. */
	fdt = tree_begin(2, 2);
	add_cpus(fdt, 1);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_ERR_NO_MEMORY);

	/* device_type "memory" only counts on a child of the root ... */
	fdt = tree_begin(2, 2);
	assert_int_equal(fdt_begin_node(fdt, "soc"), 0);
	add_memory(fdt, "memory@40000000", reg, 4);
	assert_int_equal(fdt_end_node(fdt), 0);
	add_cpus(fdt, 1);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_ERR_NO_MEMORY);

	/* ... and must be exactly "memory". */
	fdt = tree_begin(2, 2);
	assert_int_equal(fdt_begin_node(fdt, "memory@40000000"), 0);
	assert_int_equal(fdt_property_string(fdt, "device_type", "memoryx"), 0);
	prop_cells(fdt, "reg", reg, 4);
	assert_int_equal(fdt_end_node(fdt), 0);
	add_cpus(fdt, 1);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_ERR_NO_MEMORY);
}

static void test_memory_status(void **state)
{
	static const uint32_t a[] = { 0, 0x40000000, 0, 0x1000 };
	static const uint32_t b[] = { 0, 0x50000000, 0, 0x1000 };
	static const uint32_t c[] = { 0, 0x60000000, 0, 0x1000 };
	struct fdt_info info;
	void *fdt = tree_begin(2, 2);

	(void)state;
	add_memory(fdt, "memory@40000000", a, 4);
	assert_int_equal(fdt_begin_node(fdt, "memory@50000000"), 0);
	assert_int_equal(fdt_property_string(fdt, "device_type", "memory"), 0);
	assert_int_equal(fdt_property_string(fdt, "status", "okay"), 0);
	prop_cells(fdt, "reg", b, 4);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, "memory@60000000"), 0);
	assert_int_equal(fdt_property_string(fdt, "device_type", "memory"), 0);
	assert_int_equal(fdt_property_string(fdt, "status", "fail"), 0);
	prop_cells(fdt, "reg", c, 4);
	assert_int_equal(fdt_end_node(fdt), 0);
	add_cpus(fdt, 1);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_OK);
	assert_int_equal(info.n_mem, 2);
	assert_int_equal(info.mem[0].base, 0x40000000);
	assert_int_equal(info.mem[1].base, 0x50000000);
}

/* ------------------------------------------------------------------ cpus */

static void test_cpus(void **state)
{
	static const uint32_t mem[] = { 0, 0x40000000, 0, 0x1000 };
	struct fdt_info info;
	unsigned i;
	void *fdt;

	(void)state;
	assert_int_equal(read_simple(mem, 4, FDT_INFO_MAX_CPUS), FDT_INFO_OK);
	assert_int_equal(read_simple(mem, 4, FDT_INFO_MAX_CPUS + 1), FDT_INFO_ERR_TOO_MANY);
	/* cpu-less: /cpus present but empty, or absent. */
	assert_int_equal(read_simple(mem, 4, 0), FDT_INFO_ERR_NO_CPUS);
	fdt = tree_begin(2, 2);
	add_default_memory(fdt);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_ERR_NO_CPUS);

	/* Two-cell MPIDRs (Aff3 in the high cell); non-cpu children skipped. */
	fdt = tree_begin(2, 2);
	add_default_memory(fdt);
	assert_int_equal(fdt_begin_node(fdt, "cpus"), 0);
	prop_u32(fdt, "#address-cells", 2);
	prop_u32(fdt, "#size-cells", 0);
	assert_int_equal(fdt_begin_node(fdt, "cpu-map"), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	for (i = 0; i < 3; i++) {
		uint32_t reg[2] = { i, 0x100 + i };

		assert_int_equal(fdt_begin_node(fdt, "cpu"), 0);
		assert_int_equal(fdt_property_string(fdt, "device_type", "cpu"), 0);
		prop_cells(fdt, "reg", reg, 2);
		assert_int_equal(fdt_end_node(fdt), 0);
	}
	assert_int_equal(fdt_end_node(fdt), 0);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_OK);
	assert_int_equal(info.n_cpus, 3);
	assert_int_equal(info.cpu_mpidr[0], 0x100);
	assert_int_equal(info.cpu_mpidr[1], 0x100000101ULL);
	assert_int_equal(info.cpu_mpidr[2], 0x200000102ULL);
}

static void add_cpu_node(void *fdt, const char *name, const uint32_t *reg, unsigned n)
{
	assert_int_equal(fdt_begin_node(fdt, name), 0);
	assert_int_equal(fdt_property_string(fdt, "device_type", "cpu"), 0);
	if (reg)
		prop_cells(fdt, "reg", reg, n);
	assert_int_equal(fdt_end_node(fdt), 0);
}

static int read_with_cpu_regs(const uint32_t *r0, unsigned n0, const uint32_t *r1, unsigned n1)
{
	struct fdt_info info;
	void *fdt = tree_begin(2, 2);

	add_default_memory(fdt);
	assert_int_equal(fdt_begin_node(fdt, "cpus"), 0);
	prop_u32(fdt, "#address-cells", 1);
	prop_u32(fdt, "#size-cells", 0);
	add_cpu_node(fdt, "cpu@0", r0, n0);
	add_cpu_node(fdt, "cpu@1", r1, n1);
	assert_int_equal(fdt_end_node(fdt), 0);
	tree_end(fdt);
	return read_tree(fdt, &info);
}

static void test_cpus_bad_reg(void **state)
{
	static const uint32_t r0[] = { 0 }, r1[] = { 1 }, r01[] = { 0, 1 };

	(void)state;
	assert_int_equal(read_with_cpu_regs(r0, 1, r1, 1), FDT_INFO_OK);
	/* Duplicate MPIDR. */
	assert_int_equal(read_with_cpu_regs(r1, 1, r1, 1), FDT_INFO_ERR_BAD_REG);
	/* Two cells where #address-cells is 1; none; missing. */
	assert_int_equal(read_with_cpu_regs(r0, 1, r01, 2), FDT_INFO_ERR_BAD_REG);
	assert_int_equal(read_with_cpu_regs(r0, 1, r1, 0), FDT_INFO_ERR_BAD_REG);
	assert_int_equal(read_with_cpu_regs(r0, 1, NULL, 0), FDT_INFO_ERR_BAD_REG);
}

/* ------------------------------------------------------------------ uart */

static void test_uart(void **state)
{
	struct fdt_info info;
	void *fdt;

	(void)state;
	/* First enabled pl011, in tree order; disabled ones skipped. */
	fdt = tree_begin(2, 2);
	add_default_memory(fdt);
	add_cpus(fdt, 1);
	add_uart(fdt, "pl011@9040000", 0x09040000, "disabled");
	add_uart(fdt, "pl011@9030000", 0x09030000, "okay");
	add_uart(fdt, "pl011@9000000", 0x09000000, NULL);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_OK);
	assert_int_equal(info.uart_base, 0x09030000);

	/* No UART is not an error. */
	fdt = tree_begin(2, 2);
	add_default_memory(fdt);
	add_cpus(fdt, 1);
	add_uart(fdt, "pl011@9040000", 0x09040000, "disabled");
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_OK);
	assert_int_equal(info.uart_base, 0);

	/* A UART at 0 would read as "none". */
	fdt = tree_begin(2, 2);
	add_default_memory(fdt);
	add_cpus(fdt, 1);
	add_uart(fdt, "pl011@0", 0, NULL);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_ERR_BAD_REG);

	/* A reg shorter than one (address, size) pair. */
	fdt = tree_begin(2, 2);
	add_default_memory(fdt);
	add_cpus(fdt, 1);
	assert_int_equal(fdt_begin_node(fdt, "pl011@9000000"), 0);
	assert_int_equal(fdt_property_string(fdt, "compatible", "arm,pl011"), 0);
	prop_u32(fdt, "reg", 0x09000000);
	assert_int_equal(fdt_end_node(fdt), 0);
	tree_end(fdt);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_ERR_BAD_REG);
}

/* ------------------------------------------------------------- structure */

static void test_bad_structure(void **state)
{
	struct fdt_info info;
	uint8_t *fdt = tree_begin(2, 2);
	int cpus;

	(void)state;
	add_default_memory(fdt);
	add_cpus(fdt, 1);
	tree_end(fdt);
	/* Overwrite /cpus' FDT_BEGIN_NODE tag with a tag that does not exist. */
	cpus = fdt_path_offset(fdt, "/cpus");
	assert_true(cpus > 0);
	memcpy(fdt + fdt_off_dt_struct(fdt) + cpus, "\x12\x34\x56\x78", 4);
	assert_int_equal(fdt_check_header(fdt), 0);
	assert_int_equal(read_tree(fdt, &info), FDT_INFO_ERR_STRUCTURE);
}

static void test_strerror(void **state)
{
	int i, j;

	(void)state;
	for (i = FDT_INFO_ERR_STRUCTURE; i <= FDT_INFO_OK; i++) {
		assert_non_null(fdt_info_strerror(i));
		assert_string_not_equal(fdt_info_strerror(i), fdt_info_strerror(-100));
		for (j = FDT_INFO_ERR_STRUCTURE; j < i; j++)
			assert_string_not_equal(fdt_info_strerror(i), fdt_info_strerror(j));
	}
	assert_string_equal(fdt_info_strerror(FDT_INFO_ERR_OVERLAP), "memory regions overlap");
	assert_string_equal(fdt_info_strerror(1), fdt_info_strerror(-100));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_smp2_1g),
		cmocka_unit_test(test_qemu_smp4_2g),
		cmocka_unit_test(test_dts_overlap),
		cmocka_unit_test(test_dts_no_memory),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_misaligned_struct_block),
		cmocka_unit_test(test_null_args),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_memory_one_cell_pairs),
		cmocka_unit_test(test_memory_sorted_and_adjacent),
		cmocka_unit_test(test_memory_overlap),
		cmocka_unit_test(test_memory_bad_reg),
		cmocka_unit_test(test_memory_too_many),
		cmocka_unit_test(test_memory_none),
		cmocka_unit_test(test_memory_status),
		cmocka_unit_test(test_cpus),
		cmocka_unit_test(test_cpus_bad_reg),
		cmocka_unit_test(test_uart),
		cmocka_unit_test(test_bad_structure),
		cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests_name("fdt_info", tests, NULL, NULL);
}
