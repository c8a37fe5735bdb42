/* SPDX-License-Identifier: MIT */
/*
 * flash0's CFI driver (cfi_flash.c): Intel/Sharp command set (CFI01), as
 * QEMU's virt machine models it: two 16-bit devices side by side in a
 * 32-bit bank, 256 KiB erase blocks. Offsets are from flash0's base (0).
 * Each returns 0, or -1 with *bad = the offset that failed (the device
 * reported an error, did not finish in time, or read back wrong).
 * The caller holds whatever lock serialises flash use; every CPU runs the
 * monitor from secure RAM (monitor.lds), so none fetches from flash0
 * while it answers status instead of data.
 */
#ifndef MONITOR_CFI_FLASH_H
#define MONITOR_CFI_FLASH_H

#include <stdint.h>

/* Erase the block at off (FW_FLASH_SECTOR aligned): every byte reads 0xff. */
int cfi_erase(uint64_t off, uint64_t *bad);
/*
 * Program len bytes from src (secure RAM) at off in erased flash, any
 * alignment, then read them back. Bytes around them in a shared 32-bit
 * word are kept.
 */
int cfi_program(uint64_t off, const uint8_t *src, uint64_t len, uint64_t *bad);

#endif
