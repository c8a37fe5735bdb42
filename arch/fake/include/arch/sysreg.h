/* SPDX-License-Identifier: MIT */
/*
 * Host stand-in for arch/aarch64's <arch/sysreg.h>. Register writes and
 * TLB invalidations are recorded rather than performed, so a test can
 * assert that the code under test did them (e.g. invalidated the TLB
 * after an unmap); barriers are compiler barriers. The architectural
 * constants are the real ones.
 */
#ifndef ARCH_SYSREG_H
#define ARCH_SYSREG_H

#include <stdint.h>

/* Lets shared headers (smm/checked.h) leave out what needs a real CPU. */
#define ARCH_FAKE 1

uint64_t fake_read_sysreg(const char *name);
void fake_write_sysreg(const char *name, uint64_t value);
void fake_tlbi(const char *op);

#define read_sysreg(r) fake_read_sysreg(#r)
#define write_sysreg(r, v) fake_write_sysreg(#r, (uint64_t)(v))
#define isb() __asm__ volatile("" ::: "memory")
#define dsb(opt) __asm__ volatile("" ::: "memory")
#define tlbi(op) fake_tlbi(#op)
#define sev() ((void)0)
#define wfe() ((void)0)
#define wfi() ((void)0)

static inline unsigned int this_cpu_index(void)
{
	return (unsigned int)(fake_read_sysreg("mpidr_el1") & 0xff);
}

/* One TLB invalidation, with the VTTBR_EL2 in effect (stage-2 ops use its VMID). */
struct fake_tlbi_rec {
	const char *op; /* e.g. "alle2is" */
	uint64_t vttbr;
};

#define FAKE_TLBI_LOG_MAX 64

/* Forget every register value, write count and TLB invalidation. */
void fake_arch_reset(void);
/* Writes to a register since the last reset. */
unsigned int fake_sysreg_writes(const char *name);
/* Invalidations of kind op since the last reset (all kinds if op is NULL). */
unsigned int fake_tlbi_count(const char *op);
/* The i-th invalidation since the last reset (NULL past the end or the log). */
const struct fake_tlbi_rec *fake_tlbi_get(unsigned int i);

#include "../../../aarch64/include/arch/sysreg_bits.h"

#endif
