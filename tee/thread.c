/* SPDX-License-Identifier: MIT */
/*
 * The TEE's one thread: runs OPTEE_SMC_CALL_WITH_ARG messages on its own
 * stack, so a call can leave for the normal world in the middle
 * (OPTEE_SMC_RETURN_RPC_*) and continue where it stopped when the normal
 * world resumes it with OPTEE_SMC_CALL_RETURN_FROM_RPC.
 *
 * Every entry from the dispatcher starts afresh on the entry stack
 * (tee/entry.S: call_entry). A yielding call switches from there to the
 * thread (tee_ctx_switch); the thread switches back either when the
 * message is done (the CALL_DONE result: OPTEE_SMC_RETURN_OK or an
 * error) or to make an RPC (the CALL_DONE result: RETURN_RPC_<func>,
 * a3 = thread id), keeping its own stack and registers for the resume.
 * The opteed protocol delivers both as CALL_DONE with a1..a4 going to the
 * normal world's a0..a3, so the dispatchers need nothing new.
 */
#include <stdint.h>
#include <string.h>

#include <vtz/optee_abi.h>
#include <vtz/optee_msg.h>

#include "msg.h"
#include "tee.h"

#define TEE_THREAD_STACK_SIZE 0x4000

enum thread_state { THREAD_FREE, THREAD_RUNNING, THREAD_SUSPENDED };

static struct {
	enum thread_state state;
	struct tee_ctx ctx;
	uint64_t arg_pa;
	uint64_t out[4]; /* for the normal world's a0..a3 when we switch back */
} thread;

static struct tee_ctx entry_ctx;
static uint8_t thread_stack[TEE_THREAD_STACK_SIZE] __attribute__((aligned(16)));

static const struct ta_ops *const tas[] = { &ta_echo_ops, &ta_store_ops, &ta_key_ops };
static struct msg_ctx msg;

/* On the thread: return to the normal world with RETURN_RPC_<func>; 0 once resumed. */
static int thread_rpc(void *priv, uint32_t func)
{
	(void)priv;
	thread.out[0] = OPTEE_SMC_RETURN_RPC_PREFIX | (func & OPTEE_SMC_RETURN_RPC_FUNC_MASK);
	thread.out[1] = 0;
	thread.out[2] = 0;
	thread.out[3] = VTZ_TEE_THREAD_ID;
	thread.state = THREAD_SUSPENDED;
	tee_ctx_switch(&thread.ctx, &entry_ctx);
	/* Resumed by RETURN_FROM_RPC (tee_handle_yield). */
	return 0;
}

void tee_thread_init(void)
{
	msg.view.host_base = (uint8_t *)TEE_NS_RAM_BASE;
	msg.view.pa_base = TEE_NS_RAM_BASE;
	msg.view.size = TEE_NS_RAM_SIZE;
	msg.tas = tas;
	msg.num_tas = sizeof(tas) / sizeof(tas[0]);
	msg.rpc = thread_rpc;
	msg.rpc_priv = NULL;
	msg_ctx_init(&msg);
}

void tee_thread_main(void)
{
	thread.out[0] = msg_call_with_arg(&msg, thread.arg_pa);
	thread.out[1] = thread.out[2] = thread.out[3] = 0;
	thread.state = THREAD_FREE;
	tee_ctx_switch(&thread.ctx, &entry_ctx);
	__builtin_unreachable(); /* a free thread is never resumed, only restarted */
}

/* Run the thread until it finishes or makes an RPC; its answer into c. */
static void thread_run(struct tee_call_args *c)
{
	thread.state = THREAD_RUNNING;
	tee_ctx_switch(&entry_ctx, &thread.ctx);
	memcpy(c->a, thread.out, sizeof(thread.out));
}

void tee_handle_yield(struct tee_call_args *c)
{
	uint32_t fid = (uint32_t)c->a[0];

	switch (fid) {
	case OPTEE_SMC_CALL_WITH_ARG:
		if (thread.state != THREAD_FREE) {
			/* a1..a3 preserved, as optee_smc.h asks. */
			c->a[0] = OPTEE_SMC_RETURN_ETHREAD_LIMIT;
			return;
		}
		/* SMC32: a1 and a2 are 32-bit halves, whatever the upper bits say. */
		thread.arg_pa = ((c->a[1] & 0xffffffffUL) << 32) | (c->a[2] & 0xffffffffUL);
		memset(&thread.ctx, 0, sizeof(thread.ctx));
		thread.ctx.x19_x30[11] = (uint64_t)(uintptr_t)tee_thread_trampoline; /* x30 */
		thread.ctx.sp = (uint64_t)(uintptr_t)(thread_stack + sizeof(thread_stack));
		thread_run(c);
		break;
	case OPTEE_SMC_CALL_RETURN_FROM_RPC:
		if (thread.state != THREAD_SUSPENDED || (uint32_t)c->a[3] != VTZ_TEE_THREAD_ID) {
			c->a[0] = OPTEE_SMC_RETURN_ERESUME;
			c->a[1] = c->a[2] = c->a[3] = 0;
			return;
		}
		thread_run(c);
		break;
	default:
		c->a[0] = OPTEE_SMC_RETURN_UNKNOWN_FUNCTION;
		c->a[1] = c->a[2] = c->a[3] = 0;
		break;
	}
}
