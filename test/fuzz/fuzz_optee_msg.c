/* SPDX-License-Identifier: MIT */
/*
 * The TEE's OP-TEE message layer (tee/msg.c with the echo and store TAs)
 * on hostile normal-world memory. The input is the normal world's RAM as
 * the TEE sees it (16 pages at 0x40000000): the first byte says how many
 * OPTEE_SMC_CALL_WITH_ARG calls to make (1..4), the next bytes where each
 * message is; sessions and shared-memory registrations persist between the
 * calls of one input, as they do for a real driver. Checked: no memory
 * error or undefined behaviour (sanitizers), the SMC result is one the ABI
 * allows, every call leaves its bounce area empty and wiped, and the
 * registered buffers' page addresses stay one dense run in the pool, each
 * buffer's extent inside it and no two overlapping.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vtz/optee_abi.h>
#include <vtz/optee_msg.h>

#include "fuzz_util.h"
#include "msg.h"

#define RAM_BASE 0x40000000ULL
#define RAM_PAGES 16
#define RAM_SIZE (RAM_PAGES * 4096ULL)

static const struct ta_ops *const tas[] = { &ta_echo_ops, &ta_store_ops };

static int fake_rpc(void *priv, uint32_t func)
{
	(void)priv;
	if (func != OPTEE_SMC_RPC_FUNC_FOREIGN_INTR)
		abort(); /* the only RPC the TAs here may ask for */
	return 0;
}

/* The pool's invariant (tee/msg.h): live extents tile [0, pool_used) exactly. */
static void check_pool(const struct msg_ctx *ctx)
{
	static uint8_t owner[VTZ_MSG_SHM_POOL_PAGES];
	uint64_t total = 0;
	size_t k, i;

	memset(owner, 0, sizeof(owner));
	for (k = 0; k < VTZ_MSG_MAX_SHM; k++) {
		const struct msg_shm *shm = &ctx->shm[k];

		if (!shm->cookie)
			continue;
		FUZZ_CHECK(shm->npages && shm->first + (uint64_t)shm->npages <= ctx->pool_used,
			   "shm %zu: extent %u+%u outside the pool's %u", k, shm->first,
			   shm->npages, ctx->pool_used);
		for (i = shm->first; i < shm->first + shm->npages; i++) {
			FUZZ_CHECK(!owner[i], "pool entry %zu in two buffers", i);
			owner[i] = 1;
		}
		total += shm->npages;
	}
	FUZZ_CHECK(total == ctx->pool_used, "pool_used %u, buffers hold %llu", ctx->pool_used,
		   (unsigned long long)total);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
	static struct msg_ctx ctx;
	static struct msg_bounce bounce;
	static const uint8_t zero[sizeof(bounce.buf)];
	unsigned int calls, i;

	if (size < 1 + 4)
		return 0;
	memset(ram, 0, sizeof(ram));
	memcpy(ram, data, size < sizeof(ram) ? size : sizeof(ram));
	memset(&ctx, 0, sizeof(ctx));
	memset(&bounce, 0, sizeof(bounce));
	ctx.view.host_base = ram;
	ctx.view.pa_base = RAM_BASE;
	ctx.view.size = RAM_SIZE;
	ctx.tas = tas;
	ctx.num_tas = sizeof(tas) / sizeof(tas[0]);
	ctx.rpc = fake_rpc;
	msg_ctx_init(&ctx);
	ta_store_reset();

	calls = 1 + (data[0] & 3);
	for (i = 0; i < calls; i++) {
		/* Message address: any 8-byte slot of RAM, or just outside it. */
		uint64_t pa = RAM_BASE - 8 + (uint64_t)data[1 + i] * 8 * 33;
		uint32_t r = msg_call_with_arg(&ctx, &bounce, pa);

		FUZZ_CHECK(r == OPTEE_SMC_RETURN_OK || r == OPTEE_SMC_RETURN_EBADADDR ||
				   r == OPTEE_SMC_RETURN_EBADCMD,
			   "call %u at 0x%llx returned 0x%x", i, (unsigned long long)pa, r);
		/* The TA's copies may hold secrets: nothing of them outlives the call. */
		FUZZ_CHECK(bounce.used == 0 && !memcmp(bounce.buf, zero, sizeof(zero)),
			   "bounce area not wiped after call %u (used %zu)", i, bounce.used);
		check_pool(&ctx);
	}
	return 0;
}
