/* SPDX-License-Identifier: MIT */
/*
 * Attestation reports (include/vtz/attest_abi.h), without hardware or
 * crypto: what goes into a report's signed body, and whether a TEE's
 * request names a place a report can go. The monitor signs the body
 * (monitor/attest.c); the dispatchers check the request (ciee/tee.c,
 * monitor/tee_dispatch.c). Host-tested (test/unit/test_attest.c).
 */
#ifndef POLICY_ATTEST_H
#define POLICY_ATTEST_H

#include <stdint.h>

#include <vtz/attest_abi.h>

/* What the monitor measured at this boot: the same in every report. */
struct attest_boot {
	uint16_t home;             /* VTZ_ATTEST_HOME_* */
	uint32_t security_version; /* the lower of the CIEE's and hypervisor's; 0 natively */
	uint8_t monitor[VTZ_ATTEST_HASH_LEN];
	uint8_t ciee[VTZ_ATTEST_HASH_LEN]; /* zero natively */
	uint8_t hyp[VTZ_ATTEST_HASH_LEN];  /* zero natively */
};

/*
 * Fill r's body (everything but the signature, which is zeroed) from the
 * boot's measurements and this TEE's: its measurement and VM identity,
 * from the dispatcher's records, and the caller's nonce.
 */
void attest_report_fill(struct vtz_attest_report *r, const struct attest_boot *b,
			const uint8_t tee[VTZ_ATTEST_HASH_LEN],
			const uint8_t identity[VTZ_ATTEST_IDENTITY_LEN],
			const uint8_t nonce[VTZ_ATTEST_NONCE_LEN]);

/*
 * May a report go to addr, in a buffer of size bytes (VTZ_SMC_TEE_ATTEST's
 * x1, x2)? 0, or VTZ_ATTEST_ERR_SIZE (size < VTZ_ATTEST_REPORT_LEN), then
 * VTZ_ATTEST_ERR_ALIGN (addr not 8-byte aligned, or the report would
 * cross into the next page: the dispatcher checks one page's owner).
 * Whose page it is, the caller checks next.
 */
int attest_dest_check(uint64_t addr, uint64_t size);

#endif
