/* SPDX-License-Identifier: MIT */
/*
 * Ticket-free test-and-set spinlock using the ARMv8.0 exclusives (no LSE
 * atomics on Cortex-A57). Acquire/release semantics from LDAXR/STLR.
 */
#ifndef LIB_SPINLOCK_H
#define LIB_SPINLOCK_H

#include <stdint.h>

struct spinlock {
	volatile uint32_t locked;
};

#define SPINLOCK_INIT { 0 }

static inline void spin_lock(struct spinlock *l)
{
#if defined(__aarch64__)
	uint32_t tmp, one = 1;
	/*
	 * Try first; wait for an event only after seeing it held (the LDAXR
	 * armed the exclusive monitor, so the holder's STLR that frees it
	 * wakes the WFE, even if it came before the WFE).
	 */
	__asm__ volatile("1:	ldaxr	%w0, [%1]\n"
			 "	cbz	%w0, 2f\n"
			 "	wfe\n"
			 "	b	1b\n"
			 "2:	stxr	%w0, %w2, [%1]\n"
			 "	cbnz	%w0, 1b\n"
			 : "=&r"(tmp)
			 : "r"(&l->locked), "r"(one)
			 : "memory");
#else
	while (__atomic_exchange_n(&l->locked, 1, __ATOMIC_ACQUIRE))
		;
#endif
}

static inline void spin_unlock(struct spinlock *l)
{
#if defined(__aarch64__)
	__asm__ volatile("stlr wzr, [%0]" : : "r"(&l->locked) : "memory");
#else
	__atomic_store_n(&l->locked, 0, __ATOMIC_RELEASE);
#endif
}

#endif
