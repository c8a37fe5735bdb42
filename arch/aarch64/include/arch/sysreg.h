/* SPDX-License-Identifier: MIT */
/* System-register access, barriers, TLB maintenance; constants in sysreg_bits.h. */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#ifndef __ASSEMBLY__
#include <stdint.h>

#define read_sysreg(r)                                                          \
	({                                                                      \
		uint64_t __v;                                                   \
		__asm__ volatile("mrs %0, " #r : "=r"(__v));                    \
		__v;                                                            \
	})
#define write_sysreg(r, v)                                                      \
	do {                                                                    \
		uint64_t __v = (uint64_t)(v);                                   \
		__asm__ volatile("msr " #r ", %0" : : "r"(__v));                \
	} while (0)

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
/* TLB maintenance; op is the TLBI operation, e.g. tlbi(alle2is). */
#define tlbi(op) __asm__ volatile("tlbi " #op ::: "memory")
#define sev() __asm__ volatile("sev" ::: "memory")
#define wfe() __asm__ volatile("wfe" ::: "memory")
#define wfi() __asm__ volatile("wfi" ::: "memory")

static inline unsigned int this_cpu_index(void)
{
	/* QEMU virt numbers CPUs 0..n-1 in Aff0 (up to 8 per cluster). */
	return (unsigned int)(read_sysreg(mpidr_el1) & 0xff);
}
#endif

#include <arch/sysreg_bits.h>

#endif
