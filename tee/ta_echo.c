/* SPDX-License-Identifier: MIT */
/*
 * Echo/bench TA (commands in include/vtz/optee_msg.h): the smallest TA
 * that exercises every parameter kind, and the RPC path (YIELD).
 * Hardware-free, like tee/msg.c.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vtz/optee_abi.h>
#include <vtz/optee_msg.h>

#include "msg.h"

static int types_are(const struct ta_param p[VTZ_TA_NUM_PARAMS], uint32_t t0, uint32_t t1,
		     uint32_t t2, uint32_t t3)
{
	return p[0].type == t0 && p[1].type == t1 && p[2].type == t2 && p[3].type == t3;
}

/*
 * in -> out (out NULL: only read in), and in's byte sum, chunk by chunk
 * through TEE memory: each chunk is read from the normal world once, and
 * both the sum and the copy are made from that one read, so they agree
 * whatever the normal world does to its pages meanwhile. Works for copied
 * and streamed memrefs alike, so any size the client has is fine.
 */
static uint32_t echo_copy(const struct ta_param *in, const struct ta_param *out,
			  uint64_t *sum)
{
	uint8_t chunk[TA_CHUNK_SIZE] __attribute__((aligned(16)));
	uint64_t size = in->u.memref.size, off, s = 0;
	uint32_t res = TEEC_SUCCESS;
	size_t n, i;

	for (off = 0; off < size && res == TEEC_SUCCESS; off += n) {
		n = size - off < sizeof(chunk) ? (size_t)(size - off) : sizeof(chunk);
		res = ta_memref_read(in, off, chunk, n);
		if (res != TEEC_SUCCESS)
			break;
		for (i = 0; i < n; i++)
			s += chunk[i];
		if (out)
			res = ta_memref_write(out, off, chunk, n);
	}
	ta_wipe(chunk, sizeof(chunk));
	*sum = s;
	return res;
}

/*
 * ECHO_MEM and YIELD_MEM's copy: in -> out, or SHORT_BUFFER with the size
 * needed (nothing written) if out is smaller. sum: in's byte sum, or NULL.
 */
static uint32_t echo_mem(const struct ta_param *in, struct ta_param *out, uint64_t *sum)
{
	bool fits = out->u.memref.size >= in->u.memref.size;
	uint64_t s;
	uint32_t res;

	/* A short output still gets the sum: read in all the same. */
	if (!fits && !sum) {
		out->u.memref.size = in->u.memref.size;
		return TEEC_ERROR_SHORT_BUFFER;
	}
	res = echo_copy(in, fits ? out : NULL, &s);
	if (res != TEEC_SUCCESS)
		return res;
	if (sum)
		*sum = s;
	out->u.memref.size = in->u.memref.size;
	return fits ? TEEC_SUCCESS : TEEC_ERROR_SHORT_BUFFER;
}

/*
 * What a long-running TA does so the normal world can take its
 * interrupts: leave p[0].a times with RPC_FOREIGN_INTR, go on when
 * resumed; p[0].b counts the resumes.
 */
static uint32_t echo_yield(struct ta_session *s, struct ta_param p[VTZ_TA_NUM_PARAMS])
{
	uint64_t i;

	if (p[0].u.value.a > VTZ_TA_ECHO_MAX_YIELDS)
		return TEEC_ERROR_BAD_PARAMETERS;
	p[0].u.value.b = 0;
	for (i = 0; i < p[0].u.value.a; i++) {
		if (ta_rpc(s, OPTEE_SMC_RPC_FUNC_FOREIGN_INTR))
			return TEEC_ERROR_COMMUNICATION;
		p[0].u.value.b++;
	}
	return TEEC_SUCCESS;
}

static uint32_t echo_invoke(struct ta_session *s, uint32_t cmd,
			    struct ta_param p[VTZ_TA_NUM_PARAMS])
{
	switch (cmd) {
	case VTZ_TA_ECHO_CMD_ECHO:
		if (!types_are(p, TA_PARAM_VALUE_INOUT, 0, 0, 0))
			return TEEC_ERROR_BAD_PARAMETERS;
		return TEEC_SUCCESS; /* the value goes back as it came */
	case VTZ_TA_ECHO_CMD_ADD:
		if (!types_are(p, TA_PARAM_VALUE_INPUT, TA_PARAM_VALUE_OUTPUT, 0, 0))
			return TEEC_ERROR_BAD_PARAMETERS;
		p[1].u.value.a = p[0].u.value.a + p[0].u.value.b;
		return TEEC_SUCCESS;
	case VTZ_TA_ECHO_CMD_ECHO_MEM:
		if (!types_are(p, TA_PARAM_MEMREF_INPUT, TA_PARAM_MEMREF_OUTPUT,
			       TA_PARAM_VALUE_OUTPUT, 0))
			return TEEC_ERROR_BAD_PARAMETERS;
		return echo_mem(&p[0], &p[1], &p[2].u.value.a);
	case VTZ_TA_ECHO_CMD_YIELD:
		if (!types_are(p, TA_PARAM_VALUE_INOUT, 0, 0, 0))
			return TEEC_ERROR_BAD_PARAMETERS;
		return echo_yield(s, p);
	case VTZ_TA_ECHO_CMD_NOTIFY:
		if (!types_are(p, TA_PARAM_VALUE_OUTPUT, 0, 0, 0))
			return TEEC_ERROR_BAD_PARAMETERS;
		p[0].u.value.a = s->ctx->bottom_halves;
		p[0].u.value.b = p[0].u.value.c = 0;
		return ta_notify(s) ? TEEC_ERROR_BAD_STATE : TEEC_SUCCESS;
	case VTZ_TA_ECHO_CMD_YIELD_MEM: {
		uint32_t res;

		if (!types_are(p, TA_PARAM_VALUE_INOUT, TA_PARAM_MEMREF_INPUT,
			       TA_PARAM_MEMREF_OUTPUT, 0))
			return TEEC_ERROR_BAD_PARAMETERS;
		res = echo_yield(s, p);
		if (res != TEEC_SUCCESS)
			return res;
		/* Only now read the input copy: it had to outlast the RPCs. */
		return echo_mem(&p[1], &p[2], NULL);
	}
	default:
		return TEEC_ERROR_NOT_SUPPORTED;
	}
}

const struct ta_ops ta_echo_ops = {
	.name = "echo",
	.uuid = VTZ_TA_ECHO_UUID,
	.invoke = echo_invoke,
};
