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

/* Poll until both devices are ready: false on an error bit or a timeout. */
static bool poll_ready(volatile uint32_t *w)
{
	uint32_t st = 0, n;

	for (n = 0; n < POLL_MAX; n++) {
		st = *w;
		if ((st & ST_READY) == ST_READY)
			break;
	}
	return (st & ST_READY) == ST_READY && !(st & ST_ERRORS);
}

/* Back to reading data; status cleared for the next command. */
static void read_array(volatile uint32_t *w)
{
	*w = CFI_CLEAR_STATUS;
	*w = CFI_READ_ARRAY;
}

static bool wait_ready(volatile uint32_t *w)
{
	bool ok = poll_ready(w);

	read_array(w);
	return ok;
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

/*
 * The word to program at word address at: our bytes of src where they
 * fall in it, elsewhere what the word held before we started (old).
 */
static uint32_t word_value(uint64_t at, uint64_t off, const uint8_t *src, uint64_t len,
			   uint32_t old)
{
	uint32_t want = old;
	uint64_t b;

	for (b = 0; b < 4; b++) {
		if (at + b < off || at + b >= off + len)
			continue;
		want &= ~(0xffu << (8 * b));
		want |= (uint32_t)src[at + b - off] << (8 * b);
	}
	return want;
}

int cfi_program(uint64_t off, const uint8_t *src, uint64_t len, uint64_t *bad)
{
	uint64_t first = off & ~3ull, last = (off + len - 1) & ~3ull, at;
	/*
	 * Only the first and last words can hold bytes that are not ours (an
	 * earlier chunk's); the rest is erased. Read them now, in read-array
	 * mode: the words are programmed in one command-mode run (each switch
	 * back to read-array mode remaps the device, which QEMU pays for
	 * dearly), then read back.
	 */
	uint32_t old_first, old_last, old;

	if (!len)
		return 0;
	old_first = *word_at(first);
	old_last = *word_at(last);
	for (at = first; at <= last; at += 4) {
		old = at == first ? old_first : at == last ? old_last : 0xffffffffu;
		/*
		 * Flash programming only clears bits; QEMU's model overwrites
		 * the word instead: writing the old bytes with ours in gives
		 * the same result on both.
		 */
		*word_at(at) = CFI_PROGRAM;
		*word_at(at) = word_value(at, off, src, len, old);
		if (!poll_ready(word_at(at))) {
			read_array(word_at(at));
			*bad = at;
			return -1;
		}
	}
	read_array(word_at(first));
	for (at = first; at <= last; at += 4) {
		old = at == first ? old_first : at == last ? old_last : 0xffffffffu;
		if (*word_at(at) != word_value(at, off, src, len, old)) {
			*bad = at;
			return -1;
		}
	}
	return 0;
}
