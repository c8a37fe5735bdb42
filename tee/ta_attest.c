/* SPDX-License-Identifier: MIT */
/*
 * Attestation TA: hands a client the report this TEE's dispatcher signs
 * (VTZ_SMC_TEE_ATTEST, tee/main.c: tee_attest_to) over the client's
 * nonce. The TA adds nothing and can change nothing of it: the monitor
 * signs what the dispatcher recorded of this TEE, so a verifier needs to
 * trust neither this TA nor the client, only the attestation key.
 * Not hardware-free (an SMC): host tests leave it out, like the key TA.
 */
#include <stdint.h>
#include <string.h>

#include <vtz/attest_abi.h>
#include <vtz/optee_msg.h>

#include "msg.h"
#include "tee.h"

/*
 * The dispatcher writes the report here, in our own memory: aligned so it
 * never crosses a page (the dispatcher checks one page). Calls hold
 * tee_lock from entry to return, so one buffer serves every CPU.
 */
static uint8_t report[VTZ_ATTEST_REPORT_LEN] __attribute__((aligned(VTZ_ATTEST_REPORT_LEN)));

static uint32_t attest_report(struct ta_param p[VTZ_TA_NUM_PARAMS])
{
	uint8_t nonce[VTZ_ATTEST_NONCE_LEN];
	uint32_t res;

	if (p[0].u.memref.size != VTZ_ATTEST_NONCE_LEN)
		return TEEC_ERROR_BAD_PARAMETERS;
	if (p[1].u.memref.size < VTZ_ATTEST_REPORT_LEN) {
		p[1].u.memref.size = VTZ_ATTEST_REPORT_LEN;
		return TEEC_ERROR_SHORT_BUFFER;
	}
	/* Read once into our memory: the dispatcher signs this copy. */
	res = ta_memref_read(&p[0], 0, nonce, sizeof(nonce));
	if (res != TEEC_SUCCESS)
		return res;
	if (tee_attest_to((uint64_t)(uintptr_t)report, sizeof(report), nonce))
		return TEEC_ERROR_GENERIC;
	res = ta_memref_write(&p[1], 0, report, sizeof(report));
	if (res == TEEC_SUCCESS)
		p[1].u.memref.size = VTZ_ATTEST_REPORT_LEN;
	return res;
}

static uint32_t attest_invoke(struct ta_session *s, uint32_t cmd,
			      struct ta_param p[VTZ_TA_NUM_PARAMS])
{
	(void)s;
	if (cmd != VTZ_TA_ATTEST_CMD_ATTEST)
		return TEEC_ERROR_NOT_SUPPORTED;
	if (p[0].type != TA_PARAM_MEMREF_INPUT || p[1].type != TA_PARAM_MEMREF_OUTPUT ||
	    p[2].type != TA_PARAM_NONE || p[3].type != TA_PARAM_NONE)
		return TEEC_ERROR_BAD_PARAMETERS;
	return attest_report(p);
}

const struct ta_ops ta_attest_ops = {
	.name = "attest",
	.uuid = VTZ_TA_ATTEST_UUID,
	.invoke = attest_invoke,
};
