/* SPDX-License-Identifier: MIT */
/* Per-CPU CIEE state; the first fields are used by entry/vectors asm. */
#ifndef CIEE_PERCPU_H
#define CIEE_PERCPU_H

#define PERCPU_GUEST 0     /* struct vcpu_ctx * of the vCPU now running */
#define PERCPU_HOST 8      /* x19..x30, sp of the CIEE code that entered it */
#define PERCPU_IN_GUEST 112 /* 1 while a guest entered by the CIEE runs */
#define PERCPU_SIZE 128
#define PERCPU_SHIFT 7

/* Why a CPU stopped in the CIEE (ciee_percpu.halted). */
#define CIEE_HALT_NONE 0
#define CIEE_HALT_BAD_ENTRY 1 /* a mode check failed: entered past the gate */
#define CIEE_HALT_SPURIOUS_EXIT 2 /* lower-EL exception with no guest entered */
#define CIEE_HALT_BAD_ERET 3 /* SPSR_EL2 named EL2 or AArch32 right before a guest ERET */

#ifndef __ASSEMBLY__
#include <stdint.h>
#include <vtz/vcpu_ctx.h>

struct ciee_percpu {
	struct vcpu_ctx *guest;
	uint64_t host[13];
	uint64_t in_guest;
	uint64_t halted; /* CIEE_HALT_* */
};
_Static_assert(sizeof(struct ciee_percpu) == PERCPU_SIZE, "percpu layout");
_Static_assert(__builtin_offsetof(struct ciee_percpu, in_guest) == PERCPU_IN_GUEST, "percpu");
#endif

#ifdef __ASSEMBLY__
/* \reg = this CPU's struct ciee_percpu, from MPIDR and a link-time address. */
.macro percpu_ptr reg, tmp
	mrs	\tmp, mpidr_el1
	and	\tmp, \tmp, #0xff
	cmp	\tmp, #PLAT_MAX_CPUS
	b.hs	ciee_halt_forever
	adrp	\reg, ciee_percpu
	add	\reg, \reg, :lo12:ciee_percpu
	add	\reg, \reg, \tmp, lsl #PERCPU_SHIFT
.endm

/* sp = top of this CPU's CIEE stack, from MPIDR and a link-time address. */
.macro ciee_stack tmp, tmp2
	mrs	\tmp, mpidr_el1
	and	\tmp, \tmp, #0xff
	cmp	\tmp, #PLAT_MAX_CPUS
	b.hs	ciee_halt_forever
	adrp	\tmp2, __ciee_stacks_start
	add	\tmp2, \tmp2, :lo12:__ciee_stacks_start
	add	\tmp, \tmp, #1
	add	\tmp2, \tmp2, \tmp, lsl #14
	mov	sp, \tmp2
.endm

/*
 * Halt unless this CPU is in CIEE mode with every interrupt masked. Uses
 * only constants encoded in the instructions themselves.
 */
.macro assert_ciee_mode tmp, tmp2
	mrs	\tmp, sctlr_el2
	mov_imm \tmp2, SCTLR_EL2_CIEE
	cmp	\tmp, \tmp2
	b.ne	ciee_halt_bad_entry
	mrs	\tmp, daif
	cmp	\tmp, #DAIF_ALL_MASKED
	b.ne	ciee_halt_bad_entry
.endm
#endif
#endif
