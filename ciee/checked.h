/* SPDX-License-Identifier: MIT */
/*
 * Writes of the registers that decide isolation. Each is followed by a
 * check, with constants from the instruction stream only, that this CPU is
 * in CIEE mode with interrupts masked: reaching the write by jumping into
 * the CIEE from hypervisor mode halts the CPU before anything else runs.
 */
#ifndef CIEE_CHECKED_H
#define CIEE_CHECKED_H

#include <arch/sysreg.h>

#if defined(SMM_AT_EL3) || defined(ARCH_FAKE)
/*
 * The same SMM code linked into the monitor (GATE=el3): EL3 is entered
 * only through its vectors, so there is no mode to check. Nor is there in
 * the host unit tests (arch/fake), which record the write instead.
 */
#define write_sysreg_checked(r, v)                                                      \
	do {                                                                            \
		write_sysreg(r, v);                                                     \
		isb();                                                                  \
	} while (0)
#else
#define ASSERT_CIEE_MODE()                                                              \
	__asm__ volatile("mrs	x16, sctlr_el2\n"                                       \
			 "movz	x17, #%[lo]\n"                                          \
			 "movk	x17, #%[hi], lsl #16\n"                                 \
			 "cmp	x16, x17\n"                                             \
			 "b.ne	ciee_halt_bad_entry\n"                                  \
			 "mrs	x16, daif\n"                                            \
			 "cmp	x16, #%[daif]\n"                                        \
			 "b.ne	ciee_halt_bad_entry\n"                                  \
			 :                                                              \
			 : [lo] "i"(SCTLR_EL2_CIEE & 0xffff),                           \
			   [hi] "i"((SCTLR_EL2_CIEE >> 16) & 0xffff),                   \
			   [daif] "i"(DAIF_ALL_MASKED)                                   \
			 : "x16", "x17", "cc", "memory")

#define write_sysreg_checked(r, v)                                                      \
	do {                                                                            \
		write_sysreg(r, v);                                                     \
		isb();                                                                  \
		ASSERT_CIEE_MODE();                                                     \
	} while (0)
#endif

#endif
