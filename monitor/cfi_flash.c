/* SPDX-License-Identifier: MIT */
/*
 * CFI01 flash driver for flash0 (cfi_flash.h): block erase (0x20, 0xd0),
 * word program (0x40), status (bit 7 ready; bits 5, 4, 1: erase error,
 * program error, locked), clear status (0x50), read array (0xff). Every
 * command goes to both 16-bit devices of the 32-bit bank at once, and
 * each device's status is checked. Waits are bounded: a device that never
 * says ready is an error, not a hang. The MMU is off at EL3: every access
 * here is Device-nGnRnE, in program order.
 */
#include <stdbool.h>

#include "cfi_flash.h"

#define CMD(c) ((uint32_t)(c) | (uint32_t)(c) << 16)
#define CFI_ERASE CMD(0x20)
#define CFI_CONFIRM CMD(0xd0)
#define CFI_PROGRAM CMD(0x40)
#define CFI_CLEAR_STATUS CMD(0x50)
#define CFI_READ_ARRAY CMD(0xff)
#define ST_READY CMD(0x80)
#define ST_ERRORS CMD(0x32) /* erase, program, block locked */
/*
 * Status polls before giving up. QEMU finishes each command at once; a
 * real part takes up to about a second per block erase, which this many
 * Device reads outlast on any core this runs on.
 */
#define POLL_MAX (1u << 24)

static volatile uint32_t *word_at(uint64_t off)
{
	return (volatile uint32_t *)(uintptr_t)off;
}

/* Wait for both devices to be ready; false on an error bit or a timeout. */
static bool wait_ready(volatile uint32_t *w)
{
	uint32_t st = 0, n;

	for (n = 0; n < POLL_MAX; n++) {
		st = *w;
		if ((st & ST_READY) == ST_READY)
			break;
	}
	*w = CFI_CLEAR_STATUS;
	*w = CFI_READ_ARRAY;
	return (st & ST_READY) == ST_READY && !(st & ST_ERRORS);
}

int cfi_erase(uint64_t off, uint64_t *bad)
{
	volatile uint32_t *w = word_at(off);
	uint64_t i;

	*w = CFI_CLEAR_STATUS;
	*w = CFI_ERASE;
	*w = CFI_CONFIRM;
	if (!wait_ready(w)) {
		*bad = off;
		return -1;
	}
	/* Erased means all ones: check, since the next boot trusts it. */
	for (i = 0; i < 0x40000 / 4; i++) {
		if (w[i] != 0xffffffffu) {
			*bad = off + i * 4;
			return -1;
		}
	}
	return 0;
}

/* Program one aligned word; mask: the bytes of it that are ours. */
static bool program_word(uint64_t off, uint32_t val, uint32_t mask)
{
	volatile uint32_t *w = word_at(off);
	/*
	 * Flash programming only clears bits; QEMU's model overwrites the
	 * word instead. Writing what is there with our bytes cleared in gives
	 * the same result on both.
	 */
	uint32_t want = (*w & ~mask) | (val & mask);

	*w = CFI_CLEAR_STATUS;
	*w = CFI_PROGRAM;
	*w = want;
	if (!wait_ready(w))
		return false;
	return *w == want;
}

int cfi_program(uint64_t off, const uint8_t *src, uint64_t len, uint64_t *bad)
{
	uint64_t i = 0, at, b;
	uint32_t val, mask;

	while (i < len) {
		at = (off + i) & ~3ull;
		val = 0;
		mask = 0;
		for (b = (off + i) & 3; b < 4 && i < len; b++, i++) {
			val |= (uint32_t)src[i] << (8 * b);
			mask |= 0xffu << (8 * b);
		}
		if (!program_word(at, val, mask)) {
			*bad = at;
			return -1;
		}
	}
	return 0;
}
