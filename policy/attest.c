/* SPDX-License-Identifier: MIT */
/* Attestation report body and request checks (policy/attest.h). */
#include <string.h>

#include <policy/attest.h>

#define ATTEST_PAGE 4096UL

void attest_report_fill(struct vtz_attest_report *r, const struct attest_boot *b,
			const uint8_t tee[VTZ_ATTEST_HASH_LEN],
			const uint8_t identity[VTZ_ATTEST_IDENTITY_LEN],
			const uint8_t nonce[VTZ_ATTEST_NONCE_LEN])
{
	memset(r, 0, sizeof(*r));
	r->magic = VTZ_ATTEST_MAGIC;
	r->version = VTZ_ATTEST_VERSION;
	r->home = b->home;
	r->size = VTZ_ATTEST_REPORT_LEN;
	r->security_version = b->security_version;
	memcpy(r->nonce, nonce, sizeof(r->nonce));
	memcpy(r->monitor, b->monitor, sizeof(r->monitor));
	memcpy(r->ciee, b->ciee, sizeof(r->ciee));
	memcpy(r->hyp, b->hyp, sizeof(r->hyp));
	memcpy(r->tee, tee, sizeof(r->tee));
	memcpy(r->identity, identity, sizeof(r->identity));
}

int attest_dest_check(uint64_t addr, uint64_t size)
{
	if (size < VTZ_ATTEST_REPORT_LEN)
		return VTZ_ATTEST_ERR_SIZE;
	if (addr % 8 || (addr % ATTEST_PAGE) > ATTEST_PAGE - VTZ_ATTEST_REPORT_LEN)
		return VTZ_ATTEST_ERR_ALIGN;
	return 0;
}
