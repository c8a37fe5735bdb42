/* SPDX-License-Identifier: MIT */
/*
 * Hypervisor image header and entries. The CIEE enters at +0 on the boot
 * CPU and at +4 on CPUs started with CPU_ON, always with the MMU on.
 * The header tells the CIEE how much of the image is text.
 */
#include <arch/asm.h>
#include <arch/sysreg.h>
#include <vtz/image.h>

	.section .text.boot, "ax"
ENTRY(hyp_header)
	b	hyp_primary_entry		/* +0x0 */
	b	hyp_secondary_entry		/* +0x4 */
	.quad	HYP_IMAGE_MAGIC			/* +0x8 */
	.quad	__hyp_text_end - hyp_header	/* +0x10 */
	.quad	__hyp_end - hyp_header		/* +0x18 */
	b	hyp_fault_entry			/* +0x20 */
	.word	0				/* +0x24 */
	.quad	__hyp_load_end - hyp_header	/* +0x28: loaded bytes; the signature trailer follows */
END(hyp_header)

.macro hyp_stack
	mrs	x9, mpidr_el1
	and	x9, x9, #MPIDR_AFF0_MASK
	adrp	x10, __hyp_stacks_start
	add	x10, x10, :lo12:__hyp_stacks_start
	add	x9, x9, #1
	lsl	x9, x9, #14
	add	sp, x10, x9
.endm

/* x0 = DTB address, x1 = ACPI RSDP address or 0, x2 = RAM size (the monitor's, via the CIEE) */
ENTRY(hyp_primary_entry)
	hyp_stack
	adrp	x9, __bss_start
	add	x9, x9, :lo12:__bss_start
	adrp	x10, __bss_end
	add	x10, x10, :lo12:__bss_end
1:	cmp	x9, x10
	b.hs	2f
	str	xzr, [x9], #8
	b	1b
2:	bl	hyp_main
3:	wfi
	b	3b
END(hyp_primary_entry)

/* x0 = CPU_ON context, x1 = the entry the hypervisor asked for (data only) */
ENTRY(hyp_secondary_entry)
	hyp_stack
	bl	hyp_secondary_main
1:	wfi
	b	1b
END(hyp_secondary_entry)

/*
 * Exceptions in hypervisor mode, handed over by the CIEE's vectors:
 * x0 = vector index, the interrupted x0/x1 on the stack. Saves a frame,
 * lets C decide (report, or recover a probe), and returns with ERET.
 */
#define FRAME 272
ENTRY(hyp_fault_entry)
	sub	sp, sp, #(FRAME - 16)
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	ldp	x2, x3, [sp, #(FRAME - 16)]	/* the interrupted x0, x1 */
	stp	x2, x3, [sp, #0]
	mrs	x2, elr_el2
	stp	x30, x2, [sp, #240]
	mrs	x2, spsr_el2
	str	x2, [sp, #256]
	mov	x1, sp
	bl	hyp_fault
	ldr	x2, [sp, #256]
	msr	spsr_el2, x2
	ldp	x30, x2, [sp, #240]
	msr	elr_el2, x2
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	add	sp, sp, #FRAME
	eret
END(hyp_fault_entry)

/*
 * Probes for the attack suite: touch memory the hypervisor should not be
 * able to touch. Each returns 0 if the access worked and 1 if it faulted
 * (hyp_fault() resumes at the recovery label). The fault itself is the
 * mechanism under test: nothing here decides the outcome.
 */
.macro probe_arm label
	mrs	x9, mpidr_el1
	and	x9, x9, #0xff
	adrp	x10, hyp_probe_recover
	add	x10, x10, :lo12:hyp_probe_recover
	adr	x11, \label
	str	x11, [x10, x9, lsl #3]
.endm
.macro probe_disarm
	mrs	x9, mpidr_el1
	and	x9, x9, #0xff
	adrp	x10, hyp_probe_recover
	add	x10, x10, :lo12:hyp_probe_recover
	str	xzr, [x10, x9, lsl #3]
.endm

/* int hyp_probe_read(uint64_t addr, uint64_t *val) */
ENTRY(hyp_probe_read)
	probe_arm 1f
	ldr	x2, [x0]
	str	x2, [x1]
	probe_disarm
	mov	x0, #0
	ret
1:	mov	x0, #1
	ret
END(hyp_probe_read)

/* int hyp_probe_write(uint64_t addr, uint64_t val) */
ENTRY(hyp_probe_write)
	probe_arm 1f
	str	x1, [x0]
	probe_disarm
	mov	x0, #0
	ret
1:	mov	x0, #1
	ret
END(hyp_probe_write)

/* int hyp_probe_call(uint64_t addr, uint64_t arg): branch-and-link to addr */
ENTRY(hyp_probe_call)
	stp	x29, x30, [sp, #-16]!
	mov	x29, sp
	probe_arm 1f
	mov	x12, x0
	mov	x0, x1
	blr	x12
	probe_disarm
	ldp	x29, x30, [sp], #16
	mov	x0, #0
	ret
1:	mov	sp, x29
	ldp	x29, x30, [sp], #16
	mov	x0, #1
	ret
END(hyp_probe_call)
