/* SPDX-License-Identifier: MIT */
/*
 * A throw-away -bios image for scripts/acpi_dump.py: at EL3, with the MMU
 * off, it lists QEMU's fw_cfg files and prints the ACPI ones in hex on
 * UART0, so the host can save QEMU's own tables as unit-test data. Not
 * part of vTZ; never linked into an image.
 */
#include <stdint.h>

/* First in .text (built with -fno-toplevel-reorder): -bios runs from 0x0. */
__asm__(".text\n"
	".global _start\n"
	"_start: mrs x0, mpidr_el1\n"
	"	tst x0, #0xffffff\n" /* secondaries wait here for ever */
	"	b.ne 1f\n"
	"	ldr x0, =0x0f000000\n"
	"	mov sp, x0\n"
	"	bl dump_main\n"
	"1:	wfe\n"
	"	b 1b\n");

#define UART0 0x09000000UL
#define FW_CFG_DATA 0x09020000UL
#define FW_CFG_SEL 0x09020008UL
#define FW_CFG_FILE_DIR 0x19

static void putc_(char c)
{
	volatile uint32_t *uart = (volatile uint32_t *)UART0;

	while (uart[0x18 / 4] & (1u << 5))
		;
	uart[0] = (uint32_t)c;
}

static void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

static void puthex(uint64_t v, int digits)
{
	while (digits--)
		putc_("0123456789abcdef"[(v >> (4 * digits)) & 0xf]);
}

static void select_(uint16_t key)
{
	/* The selector is big-endian on Arm. */
	*(volatile uint16_t *)FW_CFG_SEL = (uint16_t)(key << 8 | key >> 8);
}

static uint8_t rd8(void)
{
	return *(volatile uint8_t *)FW_CFG_DATA;
}

static uint32_t rd_be(int n)
{
	uint32_t v = 0;

	while (n--)
		v = v << 8 | rd8();
	return v;
}

static int wanted(const char *name)
{
	static const char *const names[] = {"etc/acpi/rsdp", "etc/acpi/tables", "etc/table-loader"};
	unsigned i, j;

	for (i = 0; i < 3; i++) {
		for (j = 0; names[i][j] && names[i][j] == name[j]; j++)
			;
		if (!names[i][j] && !name[j])
			return 1;
	}
	return 0;
}

void dump_main(void);
void dump_main(void)
{
	struct {
		uint32_t size;
		uint16_t key;
		char name[56];
	} files[64];
	uint32_t n, i, k;

	select_(FW_CFG_FILE_DIR);
	n = rd_be(4);
	if (n > 64)
		n = 64;
	for (i = 0; i < n; i++) {
		files[i].size = rd_be(4);
		files[i].key = (uint16_t)rd_be(2);
		rd_be(2);
		for (k = 0; k < 56; k++)
			files[i].name[k] = (char)rd8();
		files[i].name[55] = 0;
	}
	for (i = 0; i < n; i++) {
		if (!wanted(files[i].name))
			continue;
		puts_("FILE ");
		puts_(files[i].name);
		putc_(' ');
		puthex(files[i].size, 8);
		putc_('\n');
		select_(files[i].key);
		for (k = 0; k < files[i].size; k++) {
			puthex(rd8(), 2);
			if (k % 32 == 31 || k + 1 == files[i].size)
				putc_('\n');
		}
	}
	puts_("DONE\n");
	for (;;)
		__asm__ volatile("wfi");
}
