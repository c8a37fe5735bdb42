/* SPDX-License-Identifier: MIT */
/* QEMU's fw_cfg, read through its MMIO registers at cold boot (fw_cfg.c). */
#ifndef MONITOR_FW_CFG_H
#define MONITOR_FW_CFG_H

#include <stdbool.h>
#include <stdint.h>

struct fw_cfg_file {
	uint16_t key;  /* its selector */
	uint32_t size; /* bytes, as fw_cfg's directory says */
};

/* Is there a fw_cfg device answering "QEMU"? */
bool fw_cfg_present(void);
/* The file called @name (NUL-terminated, 1..55 bytes): 0, or -1 if there is none. */
int fw_cfg_find(const char *name, struct fw_cfg_file *f);
/* Its first @len bytes (len <= f->size) into @dst. */
void fw_cfg_read(const struct fw_cfg_file *f, uint8_t *dst, uint32_t len);

#endif
