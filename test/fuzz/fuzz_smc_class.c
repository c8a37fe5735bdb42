/* SPDX-License-Identifier: MIT */
/*
 * smc_fid_decode() and smc_route_from_guest() on arbitrary x0 values (a
 * guest chooses x0). The input is a sequence of 64-bit little-endian
 * values. Each is checked against a reference written straight from
 * SMCCC 1.1 and policy/smc_class.h, and against the properties the
 * hypervisor relies on: a TEE route means a trusted-OS owner (50..63) and
 * x0[63:32] zero; PSCI means a fast standard-secure call 0x00..0x1f;
 * anything that does not decode is denied.
 */
#include <stdint.h>
#include <string.h>

#include <policy/smc_class.h>

#include "fuzz_util.h"

/* SMCCC 1.1 table 6-1: owning entity numbers 0..6. */
static const enum smc_owner_class low_owners[] = {
	SMC_OWNER_ARCH, SMC_OWNER_CPU, SMC_OWNER_SIP, SMC_OWNER_OEM,
	SMC_OWNER_STD_SECURE, SMC_OWNER_STD_HYP, SMC_OWNER_VENDOR_HYP,
};

static enum smc_owner_class ref_class(unsigned owner)
{
	if (owner < sizeof(low_owners) / sizeof(low_owners[0]))
		return low_owners[owner];
	if (owner >= 48 && owner <= 49)
		return SMC_OWNER_TRUSTED_APP;
	if (owner >= 50 && owner <= 63)
		return SMC_OWNER_TRUSTED_OS;
	return SMC_OWNER_RESERVED;
}

static int ref_decode(uint64_t x0)
{
	uint32_t w = (uint32_t)x0;
	int fast = (w >> 31) & 1;
	unsigned owner = (w >> 24) & 0x3f;

	if (x0 >> 32)
		return SMC_FID_ERR_HIGH_BITS;
	if (fast && (w & 0x00ff0000u))
		return SMC_FID_ERR_RESERVED_BITS;
	if (!fast && !(owner >= 50 && owner <= 63))
		return SMC_FID_ERR_YIELD_OWNER;
	return SMC_FID_OK;
}

static enum smc_route ref_route(uint64_t x0)
{
	uint32_t w = (uint32_t)x0;
	int fast = (w >> 31) & 1;
	unsigned owner = (w >> 24) & 0x3f;

	if (ref_decode(x0) != SMC_FID_OK)
		return SMC_ROUTE_DENY;
	if (owner == 0 && fast)
		return SMC_ROUTE_ARCH;
	if (owner == 4 && fast && (w & 0xffff) <= 0x1f)
		return SMC_ROUTE_PSCI;
	if (owner >= 50)
		return SMC_ROUTE_TEE;
	return SMC_ROUTE_DENY;
}

static void check_one(uint64_t x0)
{
	uint32_t w = (uint32_t)x0;
	unsigned owner = (w >> 24) & 0x3f;
	struct smc_fid f;
	enum smc_route r;
	int ret;

	memset(&f, 0xa5, sizeof(f));
	ret = smc_fid_decode(x0, &f);
	FUZZ_CHECK(ret == ref_decode(x0), "x0 %#llx: decode %d, expected %d",
		   (unsigned long long)x0, ret, ref_decode(x0));
	FUZZ_CHECK(smc_fid_decode(x0, NULL) == ret, "x0 %#llx: result depends on out",
		   (unsigned long long)x0);
	if (ret == SMC_FID_OK) {
		FUZZ_CHECK(f.fast == ((w >> 31) & 1) && f.smc64 == ((w >> 30) & 1) &&
				   f.owner == owner && f.func == (w & 0xffff) &&
				   f.owner_class == ref_class(owner),
			   "x0 %#llx: fields fast %d smc64 %d owner %u func %#x class %d",
			   (unsigned long long)x0, f.fast, f.smc64, f.owner, f.func, f.owner_class);
		FUZZ_CHECK(f.fast || f.owner_class == SMC_OWNER_TRUSTED_OS,
			   "x0 %#llx: yielding call outside the trusted OS", (unsigned long long)x0);
	}

	r = smc_route_from_guest(x0);
	FUZZ_CHECK(r == ref_route(x0), "x0 %#llx: route %s, expected %s", (unsigned long long)x0,
		   smc_route_name(r), smc_route_name(ref_route(x0)));
	FUZZ_CHECK(strcmp(smc_route_name(r), "unknown") != 0, "x0 %#llx: route %d",
		   (unsigned long long)x0, r);
	if (ret != SMC_FID_OK)
		FUZZ_CHECK(r == SMC_ROUTE_DENY, "x0 %#llx: malformed but routed",
			   (unsigned long long)x0);
	switch (r) {
	case SMC_ROUTE_TEE:
		FUZZ_CHECK(!(x0 >> 32) && owner >= 50 && owner <= 63,
			   "x0 %#llx: TEE route outside the trusted-OS owners",
			   (unsigned long long)x0);
		break;
	case SMC_ROUTE_PSCI:
		FUZZ_CHECK(!(x0 >> 32) && (w >> 31) && owner == 4 && !(w & 0x00ff0000u) &&
				   (w & 0xffff) <= 0x1f,
			   "x0 %#llx: PSCI route for a non-PSCI ID", (unsigned long long)x0);
		break;
	case SMC_ROUTE_ARCH:
		FUZZ_CHECK(!(x0 >> 32) && (w >> 31) && owner == 0 && !(w & 0x00ff0000u),
			   "x0 %#llx: arch route for a non-arch ID", (unsigned long long)x0);
		break;
	case SMC_ROUTE_DENY:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size, 0 };

	while (fuzz_left(&in)) {
		uint64_t x0 = fuzz_u64(&in);

		check_one(x0);
		/* The same ID as w0 of an SMC with x0[63:32] garbage, and as bare w0. */
		check_one((uint32_t)x0);
	}
	return 0;
}
