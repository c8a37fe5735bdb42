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

/* x0 = DTB address */
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
