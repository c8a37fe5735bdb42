/* SPDX-License-Identifier: MIT */
/*
 * The TEE's OP-TEE message layer (tee/msg.c): parses a struct
 * optee_msg_arg the normal world wrote, checks every field, keeps the
 * registered shared memory and the sessions, and runs trusted
 * applications. No hardware access: all normal-world memory is reached
 * through a struct msg_view, so the same file links into the TEE and
 * into host tests and fuzzers (test/unit/test_optee_msg.c).
 */
#ifndef VTZ_TEE_MSG_H
#define VTZ_TEE_MSG_H

#include <stddef.h>
#include <stdint.h>

#include <vtz/optee_msg.h>

/*
 * The TEE's view of its normal world's memory: [pa_base, pa_base + size)
 * is reachable, at host address host_base. In the TEE, the VM's RAM at
 * the same addresses (tee/tee.h: TEE_NS_RAM_*); in a host test, a buffer.
 */
struct msg_view {
	uint8_t *host_base;
	uint64_t pa_base;
	uint64_t size;
};

/* A TA parameter: GlobalPlatform types (the same numbers as RMEM_* and VALUE_*). */
#define TA_PARAM_NONE 0
#define TA_PARAM_VALUE_INPUT 1
#define TA_PARAM_VALUE_OUTPUT 2
#define TA_PARAM_VALUE_INOUT 3
#define TA_PARAM_MEMREF_INPUT 5
#define TA_PARAM_MEMREF_OUTPUT 6
#define TA_PARAM_MEMREF_INOUT 7

struct msg_ctx;
struct msg_shm;

/*
 * Where a memref lies in the normal world: a registered buffer's
 * [offs, offs + size), or (shm NULL) a contiguous tmem at pa. Set up and
 * bounds-checked by tee/msg.c before the TA runs; the TA only passes it
 * back through ta_memref_read/_write.
 */
struct msg_ref {
	struct msg_ctx *ctx;
	const struct msg_shm *shm;
	uint64_t cookie; /* shm's, to notice it was unregistered meanwhile */
	uint64_t offs;
	uint64_t pa;
	uint64_t size; /* the normal world's size (capacity for outputs) */
};

struct ta_param {
	uint32_t type;
	union {
		struct {
			uint64_t a, b, c;
		} value;
		/*
		 * size in: the normal world's size (for an output, the
		 * capacity); size out: the bytes produced, or the bytes needed
		 * with TEEC_ERROR_SHORT_BUFFER.
		 *
		 * buf: for a memref of at most VTZ_MSG_COPY_MAX bytes, a copy
		 * in TEE memory (the thread's bounce area, never the normal
		 * world's pages: a TA cannot be raced), written back after the
		 * TA returns. NULL for a larger one: the TA streams it with
		 * ta_memref_read/_write, which work for both kinds.
		 */
		struct {
			uint8_t *buf;
			size_t size;
			struct msg_ref *ref;
		} memref;
	} u;
};

/*
 * A TA's access to memref p's bytes [off, off + len), for a copied or a
 * streamed memref alike: into dst (TEE memory; p an input or inout), or
 * from src (p an output or inout). Bounded by the normal world's size,
 * whatever the TA set p's size to. For a streamed memref the bytes move
 * between the normal world and dst/src right now: a TA reads each chunk
 * once and acts only on its copy (the normal world can change its pages
 * at any time), and what it writes is in the normal world at once, even
 * if the TA then fails. TEEC_SUCCESS, or TEEC_ERROR_BAD_PARAMETERS for a
 * wrong type or range, TEEC_ERROR_COMMUNICATION if the buffer went away.
 */
uint32_t ta_memref_read(const struct ta_param *p, uint64_t off, void *dst, size_t len);
uint32_t ta_memref_write(const struct ta_param *p, uint64_t off, const void *src, size_t len);

/* Zero a TA's chunk buffer (the compiler may not drop it as a dead store). */
void ta_wipe(void *p, size_t len);

/* How big a TA's chunk buffer (on its thread's stack) may reasonably be. */
#define TA_CHUNK_SIZE 1024

struct ta_session;

struct ta_ops {
	const char *name;
	uint8_t uuid[16];
	/* Optional; returns a TEEC_* result. */
	uint32_t (*open)(struct ta_session *s, struct ta_param p[VTZ_TA_NUM_PARAMS]);
	uint32_t (*invoke)(struct ta_session *s, uint32_t cmd,
			   struct ta_param p[VTZ_TA_NUM_PARAMS]);
	void (*close)(struct ta_session *s);
};

struct ta_session {
	uint32_t id; /* 0: slot free */
	/*
	 * Calls on it in flight (its open included): a call can be out for an
	 * RPC on one thread while another thread runs, and a close then would
	 * pull the session from under the TA. Close refuses while it is not 0.
	 */
	uint32_t busy;
	uint32_t login;
	const struct ta_ops *ta;
	struct msg_ctx *ctx;
};

/*
 * A registered buffer. Its page addresses are the TEE's own copies, read
 * once at registration: pool[first .. first + npages) of struct msg_ctx.
 */
struct msg_shm {
	uint64_t cookie; /* the normal world's shm_ref; 0: slot free */
	uint64_t size;
	uint32_t offset; /* of the buffer in its first page */
	uint32_t npages;
	uint32_t first;
};

/*
 * What the TEE shares among all its threads: the view, the TAs, the
 * registered buffers and the sessions (all under tee_lock). Nothing of
 * one call lives here: a call can be out for an RPC on one thread while
 * calls on other threads run (tee/thread.c), so its state must be its
 * own (struct msg_bounce, and the message copies on its thread's stack).
 */
struct msg_ctx {
	struct msg_view view;
	const struct ta_ops *const *tas;
	size_t num_tas;
	/*
	 * Return to the normal world with OPTEE_SMC_RETURN_RPC_<func> and
	 * come back when it resumes us; 0 on resume. NULL: no RPC possible.
	 */
	int (*rpc)(void *priv, uint32_t func);
	void *rpc_priv;
	/*
	 * Raise an asynchronous notification asking the normal world for a
	 * bottom half; 0 if raised, -1 if it has not enabled them. NULL: none.
	 */
	int (*notify)(void);
	/* Bottom halves the normal world ran (OPTEE_MSG_CMD_DO_BOTTOM_HALF). */
	uint64_t bottom_halves;
	uint32_t next_session;
	struct msg_shm shm[VTZ_MSG_MAX_SHM];
	/*
	 * The registered buffers' page addresses, kept dense: the buffers'
	 * extents in registration order, pool_used entries in all. An
	 * unregistration moves the later extents down (and their shm's
	 * first), so a registration fails only when the pages are used up,
	 * never for fragmentation.
	 */
	uint32_t pool_used;
	uint64_t pool[VTZ_MSG_SHM_POOL_PAGES];
	struct ta_session sessions[VTZ_MSG_MAX_SESSIONS];
};

/*
 * Where one call's memref copies live (what a TA reads and writes),
 * VTZ_MSG_BOUNCE_SIZE bytes at most per call: the copied memrefs, at most
 * VTZ_MSG_COPY_MAX bytes each, always fit. One per thread, never
 * shared: a call that leaves for an RPC finds its copies as it left them,
 * whatever other calls ran meanwhile. Empty (used 0, all zero) between
 * calls: a call wipes what it used before it returns.
 */
struct msg_bounce {
	size_t used;
	uint8_t buf[VTZ_MSG_BOUNCE_SIZE] __attribute__((aligned(16)));
};

/* Empty registrations and sessions; the caller sets view, tas, rpc. */
void msg_ctx_init(struct msg_ctx *ctx);

/*
 * OPTEE_SMC_CALL_WITH_ARG with the message at normal-world address pa,
 * its memref copies in b (this call's alone until it returns).
 * Returns the SMC result for a0: OPTEE_SMC_RETURN_OK (the outcome is in
 * the message's ret/ret_origin), _EBADADDR if pa cannot hold a message,
 * _EBADCMD for an unknown command.
 */
uint32_t msg_call_with_arg(struct msg_ctx *ctx, struct msg_bounce *b, uint64_t pa);

/* For TAs: ask the normal world for an RPC (see struct msg_ctx::rpc). */
int ta_rpc(struct ta_session *s, uint32_t func);
/* The session's TEE raises a bottom-half notification: ctx->notify, or -1. */
int ta_notify(struct ta_session *s);

/* The built-in TAs (tee/ta_*.c). */
extern const struct ta_ops ta_echo_ops;
extern const struct ta_ops ta_store_ops;
extern const struct ta_ops ta_key_ops;
extern const struct ta_ops ta_attest_ops;

/* Store TA: forget every item (host tests; a TEE's store lives as long as it). */
void ta_store_reset(void);

#endif
