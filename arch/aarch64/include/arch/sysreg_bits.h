/* SPDX-License-Identifier: MIT */
/*
 * The architectural constants vTZ programs, without any way to reach a
 * register: C and assembly include them through <arch/sysreg.h>, and the
 * host tests' fake arch (arch/fake) shares them, so a fake can never drift
 * from the values the images use.
 */
#ifndef ARCH_SYSREG_BITS_H
#define ARCH_SYSREG_BITS_H

#define MPIDR_AFF0_MASK 0xff

/* ESR_ELx */
#define ESR_EC_SHIFT 26
#define ESR_EC_MASK 0x3f
#define ESR_IL (1 << 25)
#define ESR_ISS_MASK 0x1ffffff
#define EC_UNKNOWN 0x00
#define EC_WFX 0x01
#define EC_FP_ASIMD 0x07
#define EC_ILLEGAL 0x0e
#define EC_SVC64 0x15
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYS64 0x18
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_PC_ALIGN 0x22
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_SP_ALIGN 0x26
#define EC_SERROR 0x2f
#define EC_BRK64 0x3c
/* Data abort ISS */
#define ESR_DABT_ISV (1U << 24)
#define ESR_DABT_SAS_SHIFT 22
#define ESR_DABT_SAS_MASK 3
#define ESR_DABT_SSE (1U << 21)
#define ESR_DABT_SRT_SHIFT 16
#define ESR_DABT_SRT_MASK 0x1f
#define ESR_DABT_SF (1U << 15)
#define ESR_DABT_WNR (1U << 6)

/* SCR_EL3 */
#define SCR_NS (1 << 0)
#define SCR_FIQ (1 << 2)
#define SCR_RES1 (3 << 4)
#define SCR_SMD (1 << 7)
#define SCR_HCE (1 << 8)
#define SCR_RW (1 << 10)

/* SCTLR_ELx */
#define SCTLR_M (1 << 0)
#define SCTLR_A (1 << 1)
#define SCTLR_C (1 << 2)
#define SCTLR_SA (1 << 3)
#define SCTLR_I (1 << 12)
#define SCTLR_WXN (1 << 19)
#define SCTLR_EL2_RES1 0x30c50830
#define SCTLR_EL3_RES1 0x30c50830
#define SCTLR_EL1_RES1 0x30d00800

/*
 * The two EL2 modes. CIEE mode runs with the EL2 MMU off (a physical,
 * identity view the hypervisor cannot redirect); hypervisor mode runs with
 * the CIEE-built tables, WXN on. These exact values are checked after every
 * write of a register that decides isolation (docs/security.md).
 */
#define SCTLR_EL2_CIEE 0x30c51838 /* RES1 | I | SA; M = 0 */
#define SCTLR_EL2_HYP 0x30cd183d  /* RES1 | M | C | SA | I | WXN */
#define DAIF_ALL_MASKED 0x3c0

/* HCR_EL2 */
#define HCR_VM (1UL << 0)
#define HCR_SWIO (1UL << 1)
#define HCR_FMO (1UL << 3)
#define HCR_IMO (1UL << 4)
#define HCR_AMO (1UL << 5)
#define HCR_FB (1UL << 9)
#define HCR_TWI (1UL << 13)
#define HCR_TSC (1UL << 19)
#define HCR_RW (1UL << 31)

/* SPSR */
#define SPSR_DAIF_MASKED (0xfUL << 6)
#define SPSR_EL1H 0x5
#define SPSR_EL2H 0x9

/* TCR_EL2 (non-VHE): 39-bit VA, 4 KiB granule, WBWA inner-shareable walks, 40-bit PA. */
#define TCR_EL2_RES1 ((1UL << 31) | (1UL << 23))
#define TCR_T0SZ(n) ((uint64_t)(n) << 0)
#define TCR_IRGN0_WBWA (1UL << 8)
#define TCR_ORGN0_WBWA (1UL << 10)
#define TCR_SH0_INNER (3UL << 12)
#define TCR_TG0_4K (0UL << 14)
#define TCR_EL2_PS_40 (2UL << 16)

/* VTCR_EL2: T0SZ=25 (39-bit IPA), SL0=1 (start at level 1), 40-bit PA. */
#define VTCR_RES1 (1UL << 31)
#define VTCR_SL0_L1 (1UL << 6)
#define VTCR_PS_40 (2UL << 16)

/*
 * MDCR_EL2 (ARMv8.0). HPMN: counters 0..HPMN-1 belong to EL1/EL0; 0 is
 * CONSTRAINED UNPREDICTABLE, so it is always set to PMCR_EL0.N. The trap
 * bits send every EL1/EL0 access to the PMU (TPM, TPMCR) and the debug
 * registers (TDA, TDOSA, TDRA) to EL2. TDE stays 0: debug exceptions of a
 * guest or TEE stay its own.
 */
#define MDCR_EL2_HPMN_MASK 0x1fUL
#define MDCR_EL2_TPMCR (1UL << 5)
#define MDCR_EL2_TPM (1UL << 6)
#define MDCR_EL2_TDA (1UL << 9)
#define MDCR_EL2_TDOSA (1UL << 10)
#define MDCR_EL2_TDRA (1UL << 11)
#define PMCR_N_SHIFT 11
#define PMCR_N_MASK 0x1fUL

#define CPTR_EL2_RES1 0x33ff
/* Trap FP/SIMD (EC 0x07); without VHE it traps EL2's own FP/SIMD use too. */
#define CPTR_EL2_TFP (1UL << 10)

#endif
