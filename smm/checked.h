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
#define write_sysreg_pair_checked(r1, v1, r2, v2)                                       \
	do {                                                                            \
		write_sysreg(r1, v1);                                                   \
		write_sysreg(r2, v2);                                                   \
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

/*
 * Two writes covered by one check, for hot paths (a TEE entry and exit write
 * CPTR_EL2 next to VTTBR_EL2). Both writes and the isb are one asm
 * statement, so nothing the compiler schedules (say, a load that would
 * fault to the hypervisor in hypervisor mode) separates the first write
 * from the second: a jump to either msr reaches the check exactly as a
 * jump to the msr of write_sysreg_checked does.
 */
#define write_sysreg_pair_checked(r1, v1, r2, v2)                                       \
	do {                                                                            \
		uint64_t __v1 = (uint64_t)(v1), __v2 = (uint64_t)(v2);                  \
		__asm__ volatile("msr " #r1 ", %0\n\tmsr " #r2 ", %1\n\tisb"              \
				 : : "r"(__v1), "r"(__v2) : "memory");                  \
		ASSERT_CIEE_MODE();                                                     \
	} while (0)
#endif

#endif
