/* SPDX-License-Identifier: MIT */
/* The TEE kernel's internal interfaces and its view of the platform. */
#ifndef VTZ_TEE_H
#define VTZ_TEE_H

#include <stdint.h>

#include <lib/spinlock.h>

/*
 * The normal world's RAM as this TEE sees it, the only memory a message
 * may name: from TEE_NS_RAM_BASE, as many bytes as the dispatcher says in
 * x1 at our first entry (at most TEE_NS_RAM_MAX). As a guest TEE: its
 * VM's RAM at the VM's own addresses (mapped into the TEE's stage 2).
 * Natively the physical non-secure RAM at the same address, so the TEE
 * cannot tell the homes apart.
 */
#define TEE_NS_RAM_BASE 0x40000000UL
#define TEE_NS_RAM_MAX 0x40000000UL

/* CPUs (a guest TEE's vCPUs) we can run on at once: tee/entry.S agrees. */
#define TEE_MAX_CPUS 8

/* This CPU's index: MPIDR_EL1.Aff0 (checked < TEE_MAX_CPUS at every entry). */
static inline unsigned int tee_cpu(void)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return (unsigned int)(mpidr & 0xff);
}

/*
 * One lock for all shared TEE state (threads, sessions, shared memory,
 * the TAs' data): several CPUs may be in the TEE at once, and a call holds
 * it from entry to its return to the normal world (tee/thread.c).
 */
extern struct spinlock tee_lock;

/* console_in.c: the secure UART's input, a secure interrupt of ours. */
void tee_console_in_init(void);
void tee_console_in_cpu(void);
void tee_fiq(void);

/* In: x0..x7 of the caller. Out: a[0..3] become the caller's x0..x3. */
struct tee_call_args {
	uint64_t a[8];
};

/* Entered from tee/entry.S: the first entry, and each other CPU's cpu_on. */
void tee_init(uint64_t ns_size);
void tee_cpu_on(void);
void tee_system_reset(void);

/* Our key, from the dispatcher; only inside a call (tee/main.c). 0 or -1. */
int tee_get_key(uint8_t key[32]);

/*
 * A signed attestation report, written by our dispatcher at dst (our own
 * memory, size bytes): VTZ_SMC_TEE_ATTEST's x0, 0 or VTZ_ATTEST_ERR_*.
 * Only inside a call (tee/main.c).
 */
int64_t tee_attest_to(uint64_t dst, uint64_t size, const uint8_t nonce[32]);

/* Yielding calls: OPTEE_SMC_CALL_WITH_ARG, RETURN_FROM_RPC (tee/thread.c). */
void tee_handle_yield(struct tee_call_args *c);
void tee_thread_init(uint64_t ns_size);
/* Raise a bottom-half notification to the normal world (main.c): 0, or -1 if not enabled. */
int tee_notif_raise(void);

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
