/* SPDX-License-Identifier: MIT */
/*
 * SMC function-ID decoding (SMCCC 1.1) and the routing decision the
 * hypervisor makes for an SMC trapped from a guest vCPU. Hardware-free.
 */
#ifndef POLICY_SMC_CLASS_H
#define POLICY_SMC_CLASS_H

#include <stdbool.h>
#include <stdint.h>

enum smc_owner_class {
	SMC_OWNER_ARCH,
	SMC_OWNER_CPU,
	SMC_OWNER_SIP,
	SMC_OWNER_OEM,
	SMC_OWNER_STD_SECURE, /* PSCI and other standard secure services */
	SMC_OWNER_STD_HYP,
	SMC_OWNER_VENDOR_HYP,
	SMC_OWNER_RESERVED,
	SMC_OWNER_TRUSTED_APP,
	SMC_OWNER_TRUSTED_OS,
};

struct smc_fid {
	bool fast;   /* bit 31: fast (atomic) call, else yielding */
	bool smc64;  /* bit 30 */
	unsigned owner;  /* bits 29:24 */
	unsigned func;   /* bits 15:0 */
	enum smc_owner_class owner_class;
};

/* Distinct errors for a malformed function ID. */
#define SMC_FID_OK 0
#define SMC_FID_ERR_HIGH_BITS (-1)    /* bits 63:32 of x0 not zero */
#define SMC_FID_ERR_RESERVED_BITS (-2) /* fast call with bits 23:16 set */
#define SMC_FID_ERR_YIELD_OWNER (-3)  /* yielding call outside the trusted-OS owners */

/* Decode x0 of an SMC. Returns SMC_FID_OK or a negative SMC_FID_ERR_*. */
int smc_fid_decode(uint64_t x0, struct smc_fid *out);

/* Where the hypervisor sends an SMC that a guest VM executed. */
enum smc_route {
	SMC_ROUTE_ARCH,   /* SMCCC_VERSION / ARCH_FEATURES: answered by the hypervisor */
	SMC_ROUTE_PSCI,   /* PSCI: emulated by the hypervisor for the VM */
	SMC_ROUTE_TEE,    /* trusted OS call: to this VM's own guest TEE via the CIEE */
	SMC_ROUTE_DENY,   /* anything else: SMCCC_NOT_SUPPORTED to the guest */
};

enum smc_route smc_route_from_guest(uint64_t x0);

const char *smc_route_name(enum smc_route r);

#endif
