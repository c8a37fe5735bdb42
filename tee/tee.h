/* SPDX-License-Identifier: MIT */
/* The TEE kernel's internal interfaces and its view of the platform. */
#ifndef VTZ_TEE_H
#define VTZ_TEE_H

#include <stdint.h>

/*
 * The normal world's RAM as this TEE sees it, the only memory a message
 * may name. As a guest TEE: its VM's 16 MiB at the VM's own addresses
 * (the hypervisor's GUEST_RAM_IPA/SIZE, mapped into the TEE's stage 2).
 * Natively the same window of the physical non-secure RAM, so the TEE
 * cannot tell the homes apart: a native normal world must place the
 * buffers it shares there (guests/optee/ does, in both homes).
 */
#define TEE_NS_RAM_BASE 0x40000000UL
#define TEE_NS_RAM_SIZE 0x01000000UL

/* In: x0..x7 of the caller. Out: a[0..3] become the caller's x0..x3. */
struct tee_call_args {
	uint64_t a[8];
};

/* Our key, from the dispatcher; only inside a call (tee/main.c). 0 or -1. */
int tee_get_key(uint8_t key[32]);

/* Yielding calls: OPTEE_SMC_CALL_WITH_ARG, RETURN_FROM_RPC (tee/thread.c). */
void tee_handle_yield(struct tee_call_args *c);
void tee_thread_init(void);

/* Callee-saved state of a context (tee/entry.S: tee_ctx_switch). */
struct tee_ctx {
	uint64_t x19_x30[12];
	uint64_t sp;
};

/* Save the running context in *save, resume *load. */
void tee_ctx_switch(struct tee_ctx *save, const struct tee_ctx *load);
/* Where a fresh thread context starts: calls tee_thread_main, never returns. */
void tee_thread_trampoline(void);
void tee_thread_main(void) __attribute__((noreturn));

#endif
