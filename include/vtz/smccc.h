/* SPDX-License-Identifier: MIT */
/*
 * SMC Calling Convention (Arm DEN0028, v1.1) and PSCI 1.1 (DEN0022)
 * function identifiers and return codes, as used by every vTZ layer.
 */
#ifndef VTZ_SMCCC_H
#define VTZ_SMCCC_H

/* Function-ID fields. */
#define SMCCC_FAST_CALL (1U << 31)
#define SMCCC_SMC64 (1U << 30)
#define SMCCC_OWNER_SHIFT 24
#define SMCCC_OWNER_MASK 0x3fU
#define SMCCC_FUNC_MASK 0xffffU

#define SMCCC_OWNER_ARCH 0
#define SMCCC_OWNER_CPU 1
#define SMCCC_OWNER_SIP 2
#define SMCCC_OWNER_OEM 3
#define SMCCC_OWNER_STD 4 /* standard secure services: PSCI */
#define SMCCC_OWNER_STD_HYP 5
#define SMCCC_OWNER_VENDOR_HYP 6
#define SMCCC_OWNER_TRUSTED_APP_FIRST 48
#define SMCCC_OWNER_TRUSTED_APP_LAST 49
#define SMCCC_OWNER_TRUSTED_OS_FIRST 50
#define SMCCC_OWNER_TRUSTED_OS_LAST 63

#define SMCCC_CALL_VAL(fast, smc64, owner, func)                                   \
	(((fast) ? SMCCC_FAST_CALL : 0U) | ((smc64) ? SMCCC_SMC64 : 0U) |        \
	 (((owner)&SMCCC_OWNER_MASK) << SMCCC_OWNER_SHIFT) | ((func)&SMCCC_FUNC_MASK))

/* Arm architecture calls. */
#define SMCCC_VERSION 0x80000000U
#define SMCCC_ARCH_FEATURES 0x80000001U
#define SMCCC_ARCH_SOC_ID 0x80000002U
#define SMCCC_ARCH_WORKAROUND_1 0x80008000U /* CVE-2017-5715 (Spectre v2) */
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffU /* CVE-2018-3639 (Spectre v4) */
#define SMCCC_ARCH_WORKAROUND_3 0x80003fffU /* CVE-2022-23960 (Spectre-BHB) */
#define SMCCC_VERSION_1_1 0x10001

/* SMCCC return codes. */
#define SMCCC_SUCCESS 0
#define SMCCC_NOT_SUPPORTED (-1)
#define SMCCC_NOT_REQUIRED (-2)
#define SMCCC_INVALID_PARAMETER (-3)

/* PSCI 1.1 */
#define PSCI_VERSION 0x84000000U
#define PSCI_CPU_SUSPEND_AARCH64 0xc4000001U
#define PSCI_CPU_OFF 0x84000002U
#define PSCI_CPU_ON_AARCH64 0xc4000003U
#define PSCI_AFFINITY_INFO_AARCH64 0xc4000004U
#define PSCI_MIGRATE_INFO_TYPE 0x84000006U
#define PSCI_SYSTEM_OFF 0x84000008U
#define PSCI_SYSTEM_RESET 0x84000009U
#define PSCI_FEATURES 0x8400000aU
#define PSCI_VERSION_1_1 0x10001

#define PSCI_RET_SUCCESS 0
#define PSCI_RET_NOT_SUPPORTED (-1)
#define PSCI_RET_INVALID_PARAMS (-2)
#define PSCI_RET_DENIED (-3)
#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_RET_ON_PENDING (-5)
#define PSCI_RET_INTERNAL_FAILURE (-6)
#define PSCI_RET_NOT_PRESENT (-7)
#define PSCI_RET_DISABLED (-8)
#define PSCI_RET_INVALID_ADDRESS (-9)

#endif
