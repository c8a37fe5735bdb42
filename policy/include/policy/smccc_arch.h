/* SPDX-License-Identifier: MIT */
/*
 * The Arm Architecture Service calls (SMCCC owner 0) a secure OS makes of
 * its firmware, answered as TF-A answers them on a Cortex-A57
 * (docs/architecture.md, "What a TrustZone OS may rely on"). Hardware-free:
 * the CIEE (for a guest TEE) and the native monitor (for the TEE at S-EL1)
 * share this one decision.
 */
#ifndef POLICY_SMCCC_ARCH_H
#define POLICY_SMCCC_ARCH_H

#include <stdint.h>

enum smccc_arch_action {
	SMCCC_ARCH_NOT_ARCH,   /* not an Arm Architecture call: the caller's other rules apply */
	SMCCC_ARCH_SET_X0,     /* answered: x0 = *x0, x1..x17 unchanged */
	SMCCC_ARCH_NO_CHANGE,  /* served with every register unchanged (TF-A's SMC_RET0) */
};

/*
 * fid = w0 of the SMC, x1 its first argument. For SMCCC_ARCH_SET_X0, *x0
 * is the value for x0 (sign-extended SMCCC return code or version).
 */
enum smccc_arch_action smccc_arch_secure_call(uint64_t fid, uint64_t x1, int64_t *x0);

#endif
