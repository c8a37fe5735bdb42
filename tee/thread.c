/* SPDX-License-Identifier: MIT */
/*
 * The TEE's threads: each runs one OPTEE_SMC_CALL_WITH_ARG message on its
 * own stack, so a call can leave for the normal world in the middle
 * (OPTEE_SMC_RETURN_RPC_*) and continue where it stopped when the normal
 * world resumes it with OPTEE_SMC_CALL_RETURN_FROM_RPC, on any CPU.
 * As many threads as CPUs, so every CPU can have a call in flight; a
 * message runs under tee_lock, which is released only while its thread
 * is out for an RPC.
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
#define TEE_THREADS VTZ_TEE_THREAD_COUNT

enum thread_state { THREAD_FREE, THREAD_RUNNING, THREAD_SUSPENDED };

struct thread {
	enum thread_state state;
	struct tee_ctx ctx;
	uint64_t arg_pa;
	uint64_t out[4]; /* for the normal world's a0..a3 when we switch back */
	/*
	 * Its call's memref copies: the thread's own, like its stack, so a
	 * call on another thread cannot overwrite (or wipe) them while this
	 * one is out for an RPC.
	 */
	struct msg_bounce bounce;
	uint8_t stack[TEE_THREAD_STACK_SIZE] __attribute__((aligned(16)));
};

static struct thread threads[TEE_THREADS];
/* Per CPU: the entry context a thread returns to, and the thread it runs. */
static struct tee_ctx entry_ctx[TEE_MAX_CPUS];
static struct thread *cur_thread[TEE_MAX_CPUS];

static const struct ta_ops *const tas[] = { &ta_echo_ops, &ta_store_ops, &ta_key_ops,
					     &ta_attest_ops };
static struct msg_ctx msg;

_Static_assert(TEE_THREADS <= TEE_MAX_CPUS, "one thread per CPU at most");

/*
 * On a thread, tee_lock held: return to the normal world with
 * RETURN_RPC_<func>; 0 once resumed (on whichever CPU resumed us, with
 * the lock held again).
 */
static int thread_rpc(void *priv, uint32_t func)
{
	struct thread *t = cur_thread[tee_cpu()];

	(void)priv;
	t->out[0] = OPTEE_SMC_RETURN_RPC_PREFIX | (func & OPTEE_SMC_RETURN_RPC_FUNC_MASK);
	t->out[1] = 0;
	t->out[2] = 0;
	t->out[3] = (uint64_t)(t - threads); /* its thread id */
	t->state = THREAD_SUSPENDED;
	tee_ctx_switch(&t->ctx, &entry_ctx[tee_cpu()]);
	/* Resumed by RETURN_FROM_RPC (tee_handle_yield). */
	return 0;
}

void tee_thread_init(uint64_t ns_size)
{
	msg.view.host_base = (uint8_t *)TEE_NS_RAM_BASE;
	msg.view.pa_base = TEE_NS_RAM_BASE;
	msg.view.size = ns_size;
	msg.tas = tas;
	msg.num_tas = sizeof(tas) / sizeof(tas[0]);
	msg.rpc = thread_rpc;
	msg.rpc_priv = NULL;
	msg.notify = tee_notif_raise;
	msg_ctx_init(&msg);
}

void tee_thread_main(void)
{
	struct thread *t = cur_thread[tee_cpu()];

	t->out[0] = msg_call_with_arg(&msg, &t->bounce, t->arg_pa);
	/* The CPU may have changed across RPCs: whichever runs us now. */
	t = cur_thread[tee_cpu()];
	t->out[1] = t->out[2] = t->out[3] = 0;
	t->state = THREAD_FREE;
	tee_ctx_switch(&t->ctx, &entry_ctx[tee_cpu()]);
	__builtin_unreachable(); /* a free thread is never resumed, only restarted */
}

/*
 * Run t on this CPU until it finishes or makes an RPC; its answer into c.
 * Called and returns with tee_lock held: t's answer is copied before any
 * other CPU can take the thread.
 */
static void thread_run(struct thread *t, struct tee_call_args *c)
{
	unsigned int cpu = tee_cpu();

	t->state = THREAD_RUNNING;
	cur_thread[cpu] = t;
	tee_ctx_switch(&entry_ctx[cpu], &t->ctx);
	cur_thread[cpu] = NULL;
	memcpy(c->a, t->out, sizeof(t->out));
}

static struct thread *thread_free(void)
{
	unsigned int i;

	for (i = 0; i < TEE_THREADS; i++) {
		if (threads[i].state == THREAD_FREE)
			return &threads[i];
	}
	return NULL;
}

static void handle_yield_locked(struct tee_call_args *c)
{
	uint32_t fid = (uint32_t)c->a[0];
	struct thread *t;

	switch (fid) {
	case OPTEE_SMC_CALL_WITH_ARG:
		t = thread_free();
		if (!t) {
			/* a1..a3 preserved, as optee_smc.h asks. */
			c->a[0] = OPTEE_SMC_RETURN_ETHREAD_LIMIT;
			return;
		}
		/* SMC32: a1 and a2 are 32-bit halves, whatever the upper bits say. */
		t->arg_pa = ((c->a[1] & 0xffffffffUL) << 32) | (c->a[2] & 0xffffffffUL);
		memset(&t->ctx, 0, sizeof(t->ctx));
		t->ctx.x19_x30[11] = (uint64_t)(uintptr_t)tee_thread_trampoline; /* x30 */
		t->ctx.sp = (uint64_t)(uintptr_t)(t->stack + sizeof(t->stack));
		thread_run(t, c);
		break;
	case OPTEE_SMC_CALL_RETURN_FROM_RPC:
		/* a3 names the thread, as we gave it out with the RPC. */
		if ((uint32_t)c->a[3] >= TEE_THREADS ||
		    threads[(uint32_t)c->a[3]].state != THREAD_SUSPENDED) {
			c->a[0] = OPTEE_SMC_RETURN_ERESUME;
			c->a[1] = c->a[2] = c->a[3] = 0;
			return;
		}
		thread_run(&threads[(uint32_t)c->a[3]], c);
		break;
	default:
		c->a[0] = OPTEE_SMC_RETURN_UNKNOWN_FUNCTION;
		c->a[1] = c->a[2] = c->a[3] = 0;
		break;
	}
}

void tee_handle_yield(struct tee_call_args *c)
{
	spin_lock(&tee_lock);
	handle_yield_locked(c);
	spin_unlock(&tee_lock);
}
