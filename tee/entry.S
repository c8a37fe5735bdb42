/* SPDX-License-Identifier: MIT */
/*
 * TEE kernel entry, following TF-A's opteed protocol: the first entry is
 * at the image start; the TEE initialises and reports ENTRY_DONE with its
 * vector table; every later call enters at a slot of that table with the
 * caller's x0..x7, and ends with an SMC reporting the result.
 */
#include <arch/asm.h>
#include <vtz/monitor_abi.h>
#include <vtz/optee_abi.h>

	.section .text.boot, "ax"
/*
 * The image header (include/vtz/monitor_abi.h): the dispatcher that loads
 * us (the monitor natively, the CIEE as a guest TEE) hashes exactly
 * TEE_HDR_SIZE bytes from here, and our key depends on that hash.
 */
ENTRY(tee_entry)
	b	tee_boot			/* +0x0 */
	nop					/* +0x4 */
	.quad	TEE_IMAGE_MAGIC			/* +0x8 */
	.quad	__tee_image_end - tee_entry	/* +0x10: bytes of tee.bin */
END(tee_entry)

/*
 * Per-CPU entry stacks: \reg = the top of this CPU's, from MPIDR_EL1.Aff0
 * (a guest TEE's vCPU index, or the physical CPU natively); a CPU beyond
 * TEE_MAX_CPUS has no stack and stops the TEE.
 */
#define TEE_MAX_CPUS 8
#define TEE_STACK_SHIFT 14 /* 16 KiB each (tee.lds reserves 8 of them) */
.macro cpu_stack reg, tmp
	mrs	\tmp, mpidr_el1
	and	\tmp, \tmp, #0xff
	cmp	\tmp, #TEE_MAX_CPUS
	b.hs	tee_dead
	add	\tmp, \tmp, #1
	adrp	\reg, __tee_stacks_base
	add	\reg, \reg, :lo12:__tee_stacks_base
	add	\reg, \reg, \tmp, lsl #TEE_STACK_SHIFT
.endm

/* Zero .bss (x9, x10 scratch): at the first entry, and at a system reset. */
.macro zero_bss
	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
1:	cmp	x9, x10
	b.hs	2f
	str	xzr, [x9], #8
	b	1b
2:
.endm

/* First entry, on the boot CPU: x1 = bytes of normal-world RAM we may use. */
ENTRY(tee_boot)
	mov	x19, x1
	cpu_stack x9, x10
	mov	sp, x9
	adrp	x9, tee_exception_vectors
	add	x9, x9, :lo12:tee_exception_vectors
	msr	vbar_el1, x9
	isb
	zero_bss
	mov	x0, x19
	bl	tee_init
	adrp	x1, tee_vector_table
	add	x1, x1, :lo12:tee_vector_table
	mov_imm64 x0, TEESMC_OPTEED_RETURN_ENTRY_DONE
	smc	#0
	b	tee_dead
END(tee_boot)

	.text
	.balign 8
/* optee_vectors_t: one branch per entry reason. */
ENTRY(tee_vector_table)
	b	tee_yield_entry		/* yield_smc_entry */
	b	tee_fast_entry		/* fast_smc_entry */
	b	tee_cpu_on_entry	/* cpu_on_entry */
	b	tee_dead		/* cpu_off_entry */
	b	tee_dead		/* cpu_resume_entry */
	b	tee_dead		/* cpu_suspend_entry */
	b	tee_fiq_entry		/* fiq_entry */
	b	tee_dead		/* system_off_entry */
	b	tee_system_reset_entry	/* system_reset_entry */
END(tee_vector_table)

/*
 * Another CPU comes up (TF-A opteed: after PSCI CPU_ON natively; as a guest
 * TEE, when the hypervisor starts its vCPU n through the CIEE): its own EL1
 * state needs our vectors; then ON_DONE.
 */
ENTRY(tee_cpu_on_entry)
	cpu_stack x9, x10
	mov	sp, x9
	adrp	x9, tee_exception_vectors
	add	x9, x9, :lo12:tee_exception_vectors
	msr	vbar_el1, x9
	isb
	bl	tee_cpu_on
	mov_imm64 x0, TEESMC_OPTEED_RETURN_ON_DONE
	smc	#0
	b	tee_dead
END(tee_cpu_on_entry)

/*
 * A secure interrupt of ours arrived while the normal world ran (TF-A
 * opteed: taken at EL3 and handed to us here; as a guest TEE, by the
 * CIEE before our VM's vCPU runs): handle it, then FIQ_DONE.
 */
ENTRY(tee_fiq_entry)
	cpu_stack x9, x10
	mov	sp, x9
	bl	tee_fiq
	mov_imm64 x0, TEESMC_OPTEED_RETURN_FIQ_DONE
	smc	#0
	b	tee_dead
END(tee_fiq_entry)

/*
 * Our normal world is being reset (TF-A opteed: before PSCI SYSTEM_RESET;
 * as a guest TEE, when the hypervisor resets our VM): everything of its
 * goes, sessions, registered buffers, threads and stored items, exactly
 * as if we had booted again (.bss zeroed, the boot-time set-up redone).
 * Every other CPU is idle (the dispatcher holds them).
 */
ENTRY(tee_system_reset_entry)
	cpu_stack x9, x10
	mov	sp, x9
	zero_bss
	bl	tee_system_reset
	mov_imm64 x0, TEESMC_OPTEED_RETURN_SYSTEM_RESET_DONE
	smc	#0
	b	tee_dead
END(tee_system_reset_entry)

/* x0..x7 = the caller's arguments. Reply with CALL_DONE, x1..x4 = results. */
.macro call_entry handler
	cpu_stack x9, x10
	mov	sp, x9
	sub	sp, sp, #64
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	mov	x0, sp
	bl	\handler
	ldp	x1, x2, [sp, #0]
	ldp	x3, x4, [sp, #16]
	add	sp, sp, #64
	mov_imm64 x0, TEESMC_OPTEED_RETURN_CALL_DONE
	smc	#0
	b	tee_dead
.endm

ENTRY(tee_fast_entry)
	call_entry tee_handle_fast
END(tee_fast_entry)

ENTRY(tee_yield_entry)
	call_entry tee_handle_yield
END(tee_yield_entry)

/*
 * void tee_ctx_switch(struct tee_ctx *save, const struct tee_ctx *load):
 * the callee-saved registers, frame and link register and the stack
 * pointer of the caller into *save, then those of *load, and return
 * into *load's context (tee/thread.c: the TEE's thread and its entry).
 * Everything else is caller-saved by the procedure call standard.
 */
ENTRY(tee_ctx_switch)
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	stp	x29, x30, [x0, #80]
	mov	x9, sp
	str	x9, [x0, #96]
	ldp	x19, x20, [x1, #0]
	ldp	x21, x22, [x1, #16]
	ldp	x23, x24, [x1, #32]
	ldp	x25, x26, [x1, #48]
	ldp	x27, x28, [x1, #64]
	ldp	x29, x30, [x1, #80]
	ldr	x9, [x1, #96]
	mov	sp, x9
	ret
END(tee_ctx_switch)

/* A fresh thread context's first "return" lands here, on the thread's stack. */
ENTRY(tee_thread_trampoline)
	mov	x29, #0
	bl	tee_thread_main
	b	tee_dead
END(tee_thread_trampoline)

/*
 * Stop for good. An SMC that is not an opteed return makes either
 * dispatcher (EL3 natively, the CIEE as a guest TEE) stop the TEE, so
 * this is the same in both homes. (HVC would not do: at S-EL1 without
 * Secure EL2 it is UNDEFINED, i.e. an exception back into the TEE.)
 */
ENTRY(tee_dead)
	mov_imm64 x0, TEESMC_VTZ_TEE_DEAD
	smc	#0
	b	tee_dead
END(tee_dead)

/* Any exception inside the TEE is a bug of the TEE: report it and stop. */
.macro tee_exc kind
	.balign 0x80
	mov	x0, #\kind
	b	tee_exception_entry
.endm
	.balign 0x800
ENTRY(tee_exception_vectors)
	.rept 16
	tee_exc 0
	.endr
END(tee_exception_vectors)

ENTRY(tee_exception_entry)
	cpu_stack x9, x10
	mov	sp, x9
	mrs	x1, esr_el1
	mrs	x2, elr_el1
	mrs	x3, far_el1
	bl	tee_exception
	b	tee_dead
END(tee_exception_entry)
