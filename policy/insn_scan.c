/* SPDX-License-Identifier: MIT */
/*
 * Forbidden-instruction scan for the hypervisor image (policy/insn_scan.h).
 *
 * Encodings (Arm ARM C6.2, MSR (register) and SYS):
 *   MSR <sysreg>, Xt  = 0xd5100000 | o0 << 19 | op1 << 16 | CRn << 12
 *                       | CRm << 8 | op2 << 5 | Rt        (op0 = 2 + o0)
 *   DC ISW, Xt        = SYS #0, C7, C6, #2, Xt = 0xd5087640 | Rt
 * Every value below was checked against GNU as 2.40 (see the unit test,
 * which holds the assembler's output for each register and several Rt).
 *
 * Rt is masked out: the register that supplies the value is irrelevant,
 * and xzr (Rt = 31) writes zero, which is just as harmful (e.g. HCR_EL2 = 0
 * drops stage 2). MRS reads and the EL1 registers are allowed: reading EL2
 * state leaks nothing the CIEE protects, and on ARMv8.0 (no VHE, so no
 * HCR_EL2.E2H redirection) an EL1 write from EL2 only changes EL1 state,
 * which the CIEE reloads on every guest entry.
 */
#include <policy/insn_scan.h>

#define MSR_REG(o0, op1, crn, crm, op2)                                     \
	(0xd5100000u | (uint32_t)(o0) << 19 | (uint32_t)(op1) << 16 |       \
	 (uint32_t)(crn) << 12 | (uint32_t)(crm) << 8 | (uint32_t)(op2) << 5)
#define SYS_INSN(op1, crn, crm, op2)                                        \
	(0xd5080000u | (uint32_t)(op1) << 16 | (uint32_t)(crn) << 12 |      \
	 (uint32_t)(crm) << 8 | (uint32_t)(op2) << 5)
/* Everything but Rt (bits 4:0). */
#define RT_MASK 0x1fu

struct forbidden {
	uint32_t value; /* with Rt = 0 */
	const char *name;
};

/* op0 = 3 (o0 = 1), op1 = 4: the EL2 registers. */
static const struct forbidden forbidden[] = {
	{ MSR_REG(1, 4, 2, 0, 0), "MSR TTBR0_EL2" },  /* EL2 stage-1 table base */
	{ MSR_REG(1, 4, 2, 0, 2), "MSR TCR_EL2" },    /* EL2 translation control */
	{ MSR_REG(1, 4, 1, 0, 0), "MSR SCTLR_EL2" },  /* MMU, WXN */
	{ MSR_REG(1, 4, 10, 2, 0), "MSR MAIR_EL2" },  /* memory attributes */
	{ MSR_REG(1, 4, 12, 0, 0), "MSR VBAR_EL2" },  /* the CIEE's vectors */
	{ MSR_REG(1, 4, 1, 1, 0), "MSR HCR_EL2" },    /* stage 2, SMC trap */
	{ MSR_REG(1, 4, 2, 1, 0), "MSR VTTBR_EL2" },  /* a VM's or TEE's stage 2 */
	{ MSR_REG(1, 4, 2, 1, 2), "MSR VTCR_EL2" },   /* stage-2 control */
	{ MSR_REG(1, 4, 1, 1, 1), "MSR MDCR_EL2" },   /* debug/PMU traps */
	/*
	 * Group 0 of this CPU's GIC interface: the reset's PARK_SGI
	 * (monitor/park.c). QEMU does not trap these to EL3 for SCR_EL3.FIQ
	 * alone, so the hypervisor must not have them: disabling Group 0,
	 * or faking an active Group 0 priority, would keep a CPU running
	 * while the monitor scrubs.
	 */
	{ MSR_REG(1, 0, 12, 12, 6), "MSR ICC_IGRPEN0_EL1" },
	{ MSR_REG(1, 0, 12, 8, 3), "MSR ICC_BPR0_EL1" },
	{ MSR_REG(1, 0, 12, 8, 4), "MSR ICC_AP0R0_EL1" },
	{ MSR_REG(1, 0, 12, 8, 5), "MSR ICC_AP0R1_EL1" },
	{ MSR_REG(1, 0, 12, 8, 6), "MSR ICC_AP0R2_EL1" },
	{ MSR_REG(1, 0, 12, 8, 7), "MSR ICC_AP0R3_EL1" },
	/* Invalidate without clean: could discard the CIEE's dirty lines. */
	{ SYS_INSN(0, 7, 6, 2), "DC ISW" },
};

#define N_FORBIDDEN (sizeof(forbidden) / sizeof(forbidden[0]))

const char *insn_forbidden_name(uint32_t word)
{
	size_t i;

	for (i = 0; i < N_FORBIDDEN; i++)
		if ((word & ~RT_MASK) == forbidden[i].value)
			return forbidden[i].name;
	return NULL;
}

size_t insn_scan(const uint32_t *words, size_t n, struct insn_hit *first_hit)
{
	size_t hits = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		uint32_t w = words[i];
		const char *name;

		/*
		 * Every forbidden instruction is a system instruction with
		 * L = 0 (bits 31:21 = 0b11010101000, MSR/SYS, not MRS/SYSL):
		 * skip the table walk for the vast majority of words.
		 */
		if ((w >> 21) != (0xd5000000u >> 21))
			continue;
		name = insn_forbidden_name(w);
		if (!name)
			continue;
		if (!hits && first_hit) {
			first_hit->index = i;
			first_hit->word = w;
			first_hit->name = name;
		}
		hits++;
	}
	return hits;
}
