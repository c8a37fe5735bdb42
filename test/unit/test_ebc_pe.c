/* SPDX-License-Identifier: MIT */
/*
 * The PE32+ loader for EBC images (ebc/pe.c): a well-formed image built
 * here loads at another address with its DIR64 fix-ups applied; each
 * malformed header, section, entry point and relocation block is refused
 * with its own status.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "pe.h"

#define LINK_BASE 0x10000000ULL
#define LOAD_ADDR 0x40000000ULL
#define TEXT_RVA 0x1000
#define RELOC_RVA 0x2000
#define OPT 0x58 /* 0x40 + 24 */
#define SECT (OPT + 240)

static uint8_t file[0x600];
static uint8_t img[0x4000];
static struct ebc_pe_info info;

static void put16(size_t off, uint16_t v)
{
	file[off] = (uint8_t)v;
	file[off + 1] = (uint8_t)(v >> 8);
}

static void put32(size_t off, uint32_t v)
{
	put16(off, (uint16_t)v);
	put16(off + 2, (uint16_t)(v >> 16));
}

static void put64(size_t off, uint64_t v)
{
	put32(off, (uint32_t)v);
	put32(off + 4, (uint32_t)(v >> 32));
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void section(int i, const char *name, uint32_t vsize, uint32_t va, uint32_t raw,
		    uint32_t ptr)
{
	size_t s = SECT + 40 * (size_t)i;

	memcpy(file + s, name, strlen(name));
	put32(s + 8, vsize);
	put32(s + 12, va);
	put32(s + 16, raw);
	put32(s + 20, ptr);
}

/*
 * Headers at 0, .text (0x200 bytes of file at 0x200) at RVA 0x1000, .reloc
 * (file 0x400) at RVA 0x2000 with one block: two DIR64 fix-ups at .text
 * offsets 0 and 8 and one ABSOLUTE padding entry.
 */
static void build(void)
{
	memset(file, 0, sizeof(file));
	file[0] = 'M';
	file[1] = 'Z';
	put32(0x3c, 0x40);
	memcpy(file + 0x40, "PE\0\0", 4);
	put16(0x44, EBC_PE_MACHINE);
	put16(0x46, 2);
	put16(0x54, 240);
	put16(OPT, 0x20b);
	put32(OPT + 16, TEXT_RVA + 0x10); /* entry */
	put64(OPT + 24, LINK_BASE);
	put32(OPT + 56, 0x3000); /* SizeOfImage */
	put32(OPT + 60, 0x200);	 /* SizeOfHeaders */
	put16(OPT + 68, 10);
	put32(OPT + 108, 16);
	put32(OPT + 112 + 5 * 8, RELOC_RVA);
	put32(OPT + 112 + 5 * 8 + 4, 16);
	section(0, ".text", 0x20, TEXT_RVA, 0x200, 0x200);
	section(1, ".reloc", 16, RELOC_RVA, 0x200, 0x400);
	put64(0x200, LINK_BASE + TEXT_RVA + 0x18);
	put64(0x208, 0x1234);
	put32(0x400, TEXT_RVA);
	put32(0x404, 16);
	put16(0x408, 10 << 12 | 0);
	put16(0x40a, 10 << 12 | 8);
	put16(0x40c, 0);
	put16(0x40e, 0);
}

static enum ebc_pe_status load(size_t len)
{
	return ebc_pe_load(file, len, img, sizeof(img), LOAD_ADDR, &info);
}

static void test_good_image(void **state)
{
	(void)state;
	build();
	assert_int_equal(load(sizeof(file)), EBC_PE_OK);
	assert_int_equal(info.entry_rva, TEXT_RVA + 0x10);
	assert_int_equal(info.size_of_image, 0x3000);
	assert_int_equal(info.subsystem, 10);
	assert_int_equal(info.relocations, 2);
	assert_int_equal(info.image_base, LINK_BASE);
	/* the pointer now points into the loaded copy; the constant moved as well */
	assert_int_equal(get64(img + TEXT_RVA), LOAD_ADDR + TEXT_RVA + 0x18);
	assert_int_equal(get64(img + TEXT_RVA + 8), 0x1234 + LOAD_ADDR - LINK_BASE);
	assert_memory_equal(img, "MZ", 2);
	/* beyond the raw data, the section is zero */
	assert_int_equal(img[TEXT_RVA + 0x1f], 0);
	/* loaded where it was linked: nothing changes */
	build();
	assert_int_equal(ebc_pe_load(file, sizeof(file), img, sizeof(img), LINK_BASE, &info),
			 EBC_PE_OK);
	assert_int_equal(get64(img + TEXT_RVA + 8), 0x1234);
}

static void test_bad_headers(void **state)
{
	(void)state;
	build();
	assert_int_equal(load(0x3f), EBC_PE_TRUNCATED);
	build();
	file[0] = 'Z';
	assert_int_equal(load(sizeof(file)), EBC_PE_NO_MZ);
	build();
	put32(0x3c, sizeof(file) - 8);
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_LFANEW);
	build();
	put32(0x3c, 0xffffffff);
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_LFANEW);
	build();
	file[0x41] = 'X';
	assert_int_equal(load(sizeof(file)), EBC_PE_NO_PE);
	build();
	put16(0x44, 0xaa64);
	assert_int_equal(load(sizeof(file)), EBC_PE_NOT_EBC);
	build();
	put16(OPT, 0x10b);
	assert_int_equal(load(sizeof(file)), EBC_PE_NOT_PE32PLUS);
	build();
	put16(0x54, 100);
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_OPTHDR);
	build();
	put32(OPT + 108, 17);
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_OPTHDR);
	build();
	put32(OPT + 60, 0x10); /* SizeOfHeaders smaller than the headers */
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_OPTHDR);
	build();
	put32(OPT + 56, sizeof(img) + 1);
	assert_int_equal(load(sizeof(file)), EBC_PE_TOO_BIG);
	build();
	put16(0x46, 0xffff); /* section table past the end of the file */
	assert_int_equal(load(sizeof(file)), EBC_PE_TRUNCATED);
	build();
	assert_int_equal(load(0x100), EBC_PE_TRUNCATED);
}

static void test_bad_sections_and_entry(void **state)
{
	(void)state;
	build();
	section(0, ".text", 0x20, TEXT_RVA, 0x200, 0x5f0); /* raw data past the file */
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_SECTION);
	build();
	section(0, ".text", 0x2001, TEXT_RVA, 0x200, 0x200); /* past SizeOfImage */
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_SECTION);
	build();
	section(0, ".text", 0x20, 0x100, 0x200, 0x200); /* over the headers */
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_SECTION);
	build();
	section(0, ".text", 0x20, 0xfffffff0, 0x200, 0x200); /* wraps */
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_SECTION);
	build();
	put32(OPT + 16, TEXT_RVA + 0x11);
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_ENTRY);
	build();
	put32(OPT + 16, 0x2fff);
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_ENTRY);
	build();
	put32(OPT + 16, 0x10);
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_ENTRY);
}

static void test_bad_relocs(void **state)
{
	(void)state;
	build();
	put32(OPT + 112 + 5 * 8, 0);
	assert_int_equal(load(sizeof(file)), EBC_PE_NO_RELOC);
	build();
	put32(OPT + 108, 5); /* no base relocation directory entry at all */
	assert_int_equal(load(sizeof(file)), EBC_PE_NO_RELOC);
	build();
	put32(0x404, 7); /* block smaller than its header */
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_RELOC);
	build();
	put32(0x404, 15); /* odd */
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_RELOC);
	build();
	put32(0x404, 24); /* past the directory */
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_RELOC);
	build();
	put16(0x408, 3 << 12); /* HIGHLOW: not for a 64-bit image */
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_RELOC);
	build();
	put32(0x400, 0x2ff8);
	put16(0x408, 10 << 12 | 4); /* 8 bytes at 0x2ffc: past SizeOfImage */
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_RELOC);
	build();
	put32(0x400, 0xfffff000);
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_RELOC);
	build();
	put32(OPT + 112 + 5 * 8 + 4, 12); /* a directory that ends inside a block */
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_RELOC);
	build();
	put32(OPT + 112 + 5 * 8, 0x2ff0);
	put32(OPT + 112 + 5 * 8 + 4, 0x20); /* past SizeOfImage */
	assert_int_equal(load(sizeof(file)), EBC_PE_BAD_RELOC);
}

static void test_status_strings(void **state)
{
	(void)state;
	for (int s = 0; s < EBC_PE_STATUS_COUNT; s++) {
		assert_non_null(ebc_pe_status_str(s));
		for (int t = 0; t < s; t++)
			assert_string_not_equal(ebc_pe_status_str(s), ebc_pe_status_str(t));
	}
	assert_string_equal(ebc_pe_status_str(EBC_PE_STATUS_COUNT), "unknown PE status");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_image),
	    cmocka_unit_test(test_bad_headers),
	    cmocka_unit_test(test_bad_sections_and_entry),
	    cmocka_unit_test(test_bad_relocs),
	    cmocka_unit_test(test_status_strings),
	};

	return cmocka_run_group_tests_name("ebc_pe", tests, NULL, NULL);
}
