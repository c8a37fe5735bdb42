/* SPDX-License-Identifier: MIT */
/*
 * QEMU's fw_cfg, through its MMIO registers only (docs/specs/fw_cfg.txt):
 * the selector (16 bits, big-endian) at +8 and the data register at +0,
 * read a byte at a time. Never its DMA register: the monitor runs with the
 * MMU off and has no need to let a device write memory. Used at cold boot
 * only, before any non-secure code runs; fw_cfg is never mapped for the
 * hypervisor or a guest (smm/vm.c, dma_devices), since its DMA could
 * write any non-secure page.
 */
#include <string.h>

#include <vtz/platform.h>

#include "fw_cfg.h"

#define FW_CFG_DATA (PLAT_FW_CFG_BASE + 0x0)
#define FW_CFG_SEL (PLAT_FW_CFG_BASE + 0x8)
#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_FILE_DIR 0x0019
#define FW_CFG_MAX_FILES 256 /* QEMU's FW_CFG_FILE_SLOTS default is 32; be generous */
#define FW_CFG_NAME_LEN 56

static void select_item(uint16_t key)
{
	*(volatile uint16_t *)FW_CFG_SEL = (uint16_t)(key << 8 | key >> 8);
}

static uint8_t read8(void)
{
	return *(volatile uint8_t *)FW_CFG_DATA;
}

static uint32_t read_be(unsigned n)
{
	uint32_t v = 0;

	while (n--)
		v = v << 8 | read8();
	return v;
}

bool fw_cfg_present(void)
{
	select_item(FW_CFG_SIGNATURE);
	return read_be(4) == 0x51454d55; /* "QEMU" */
}

int fw_cfg_find(const char *name, struct fw_cfg_file *f)
{
	char entry[FW_CFG_NAME_LEN];
	uint32_t n, i, j, size;
	uint16_t key;
	size_t len = strlen(name);

	if (len == 0 || len >= FW_CFG_NAME_LEN)
		return -1;
	select_item(FW_CFG_FILE_DIR);
	n = read_be(4);
	if (n > FW_CFG_MAX_FILES)
		return -1;
	for (i = 0; i < n; i++) {
		size = read_be(4);
		key = (uint16_t)read_be(2);
		(void)read_be(2);
		for (j = 0; j < FW_CFG_NAME_LEN; j++)
			entry[j] = (char)read8();
		if (memcmp(entry, name, len + 1) == 0) {
			f->key = key;
			f->size = size;
			return 0;
		}
	}
	return -1;
}

void fw_cfg_read(const struct fw_cfg_file *f, uint8_t *dst, uint32_t len)
{
	uint32_t i;

	select_item(f->key);
	for (i = 0; i < len; i++)
		dst[i] = read8();
}
