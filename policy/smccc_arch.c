/* SPDX-License-Identifier: MIT */
/*
 * SMCCC Arm Architecture calls from a secure OS, answered the way TF-A
 * (v2.8, services/arm_arch_svc) answers them on a Cortex-A57 built with
 * its defaults (WORKAROUND_CVE_2017_5715=1, WORKAROUND_CVE_2018_3639=1
 * without the dynamic variant, WORKAROUND_CVE_2022_23960=1):
 *   SMCCC_VERSION           -> 1.1, the version our monitor gives the
 *                              normal world too (>= 1.1: ARCH_FEATURES exists)
 *   ARCH_FEATURES(VERSION, ARCH_FEATURES)  -> 0
 *   ARCH_FEATURES(WORKAROUND_1)  -> 0: the A57 is affected by CVE-2017-5715
 *   ARCH_FEATURES(WORKAROUND_2)  -> NOT_REQUIRED: no dynamic mitigation
 *   ARCH_FEATURES(WORKAROUND_3)  -> 0: affected by CVE-2017-5715, so WA_3
 *                              may stand in for WA_1 (TF-A's own rule)
 *   ARCH_FEATURES(anything else, SOC_ID included) -> NOT_SUPPORTED
 *   WORKAROUND_1/2/3        -> return, every register unchanged (SMC_RET0)
 *   any other owner-0 call  -> NOT_SUPPORTED (TF-A's SMC_UNK)
 * A secure OS probes these at boot to choose its exception vectors; a
 * firmware that killed it for asking would not be the firmware it was
 * written for.
 */
#include <vtz/smccc.h>

#include <policy/smccc_arch.h>

static int64_t arch_features(uint64_t x1)
{
	switch ((uint32_t)x1) {
	case SMCCC_VERSION:
	case SMCCC_ARCH_FEATURES:
	case SMCCC_ARCH_WORKAROUND_1:
	case SMCCC_ARCH_WORKAROUND_3:
		return SMCCC_SUCCESS;
	case SMCCC_ARCH_WORKAROUND_2:
		return SMCCC_NOT_REQUIRED;
	default:
		return SMCCC_NOT_SUPPORTED;
	}
}

enum smccc_arch_action smccc_arch_secure_call(uint64_t fid, uint64_t x1, int64_t *x0)
{
	uint32_t w0 = (uint32_t)fid;

	/* SMCCC: bits 63:32 of a function ID must be zero; owner 0 is bits 29:24 = 0. */
	if ((fid >> 32) || ((w0 >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK) != SMCCC_OWNER_ARCH)
		return SMCCC_ARCH_NOT_ARCH;
	switch (w0) {
	case SMCCC_VERSION:
		*x0 = SMCCC_VERSION_1_1;
		return SMCCC_ARCH_SET_X0;
	case SMCCC_ARCH_FEATURES:
		*x0 = arch_features(x1);
		return SMCCC_ARCH_SET_X0;
	case SMCCC_ARCH_WORKAROUND_1:
	case SMCCC_ARCH_WORKAROUND_2:
	case SMCCC_ARCH_WORKAROUND_3:
		return SMCCC_ARCH_NO_CHANGE;
	default:
		*x0 = SMCCC_NOT_SUPPORTED;
		return SMCCC_ARCH_SET_X0;
	}
}
