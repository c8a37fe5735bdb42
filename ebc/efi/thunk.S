/* SPDX-License-Identifier: MIT */
/*
 * Native entry points into EBC functions, for the AArch64 driver
 * (ebc/efi/driver.c). Firmware and native code call EBC code only through
 * these: an image's entry point (PE/COFF emulator RegisterImage), thunks
 * made by BREAK 5 and the EBC protocol's CreateThunk.
 *
 * The thunks are a fixed table in the driver's own text, not code made at
 * run time: nothing is ever written to executable memory, so no cache
 * maintenance is needed and W^X firmware policies are never in the way.
 * Stub i puts i in x9 and joins the common path, which hands the eight
 * register arguments (AAPCS64: x0..x7) and the caller's stack arguments
 * to ebc_thunk_entry(i, regs, stack_args); its result returns in x0.
 */
#include "thunk.h"

	.text
	.global ebc_thunk_table
	.balign 8
ebc_thunk_table:
	.set i, 0
	.rept EBC_MAX_THUNKS
	mov	x9, #i
	b	ebc_thunk_common
	.set i, i + 1
	.endr

	.type ebc_thunk_common, %function
ebc_thunk_common:
	mov	x10, sp			/* the caller's stack arguments, if any */
	stp	x29, x30, [sp, #-80]!
	mov	x29, sp
	stp	x0, x1, [sp, #16]
	stp	x2, x3, [sp, #32]
	stp	x4, x5, [sp, #48]
	stp	x6, x7, [sp, #64]
	mov	x0, x9
	add	x1, sp, #16
	mov	x2, x10
	bl	ebc_thunk_entry
	ldp	x29, x30, [sp], #80
	ret
	.size ebc_thunk_common, . - ebc_thunk_common
