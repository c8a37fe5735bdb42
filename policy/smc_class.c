/* SPDX-License-Identifier: MIT */
/*
 * SMCCC 1.1 function-ID decoding and the guest SMC routing decision.
 * Everything here is a pure function of x0: the hypervisor calls it on
 * untrusted guest input, so any ID it does not positively recognise is
 * denied rather than forwarded.
 */
#include <policy/smc_class.h>
#include <vtz/smccc.h>

/* Bits 23:16 of a fast call are reserved (MBZ) in SMCCC 1.1. */
#define SMC_FID_RESERVED_MASK 0x00ff0000U
/* Standard secure service functions 0x00-0x1f are PSCI (DEN0028 table 6-4). */
#define SMC_PSCI_FUNC_LAST 0x1fU

static enum smc_owner_class owner_class(unsigned owner)
{
	switch (owner) {
	case SMCCC_OWNER_ARCH:
		return SMC_OWNER_ARCH;
	case SMCCC_OWNER_CPU:
		return SMC_OWNER_CPU;
	case SMCCC_OWNER_SIP:
		return SMC_OWNER_SIP;
	case SMCCC_OWNER_OEM:
		return SMC_OWNER_OEM;
	case SMCCC_OWNER_STD:
		return SMC_OWNER_STD_SECURE;
	case SMCCC_OWNER_STD_HYP:
		return SMC_OWNER_STD_HYP;
	case SMCCC_OWNER_VENDOR_HYP:
		return SMC_OWNER_VENDOR_HYP;
	default:
		break;
	}
	if (owner >= SMCCC_OWNER_TRUSTED_APP_FIRST && owner <= SMCCC_OWNER_TRUSTED_APP_LAST)
		return SMC_OWNER_TRUSTED_APP;
	if (owner >= SMCCC_OWNER_TRUSTED_OS_FIRST && owner <= SMCCC_OWNER_TRUSTED_OS_LAST)
		return SMC_OWNER_TRUSTED_OS;
	return SMC_OWNER_RESERVED; /* 7..47 */
}

int smc_fid_decode(uint64_t x0, struct smc_fid *out)
{
	uint32_t fid = (uint32_t)x0;
	struct smc_fid f;

	/* SMCCC: the function ID is w0; a caller setting x0[63:32] is malformed. */
	if (x0 >> 32)
		return SMC_FID_ERR_HIGH_BITS;

	f.fast = (fid & SMCCC_FAST_CALL) != 0;
	f.smc64 = (fid & SMCCC_SMC64) != 0;
	f.owner = (fid >> SMCCC_OWNER_SHIFT) & SMCCC_OWNER_MASK;
	f.func = fid & SMCCC_FUNC_MASK;
	f.owner_class = owner_class(f.owner);

	if (f.fast && (fid & SMC_FID_RESERVED_MASK))
		return SMC_FID_ERR_RESERVED_BITS;
	/* Only trusted OSes define yielding calls (OP-TEE std calls). */
	if (!f.fast && f.owner_class != SMC_OWNER_TRUSTED_OS)
		return SMC_FID_ERR_YIELD_OWNER;

	if (out)
		*out = f;
	return SMC_FID_OK;
}

enum smc_route smc_route_from_guest(uint64_t x0)
{
	struct smc_fid f;

	if (smc_fid_decode(x0, &f) != SMC_FID_OK)
		return SMC_ROUTE_DENY;

	switch (f.owner_class) {
	case SMC_OWNER_ARCH:
		return f.fast ? SMC_ROUTE_ARCH : SMC_ROUTE_DENY;
	case SMC_OWNER_STD_SECURE:
		return (f.fast && f.func <= SMC_PSCI_FUNC_LAST) ? SMC_ROUTE_PSCI : SMC_ROUTE_DENY;
	case SMC_OWNER_TRUSTED_OS:
		return SMC_ROUTE_TEE;
	default:
		return SMC_ROUTE_DENY;
	}
}

const char *smc_route_name(enum smc_route r)
{
	switch (r) {
	case SMC_ROUTE_ARCH:
		return "arch";
	case SMC_ROUTE_PSCI:
		return "psci";
	case SMC_ROUTE_TEE:
		return "tee";
	case SMC_ROUTE_DENY:
		return "deny";
	}
	return "unknown";
}
