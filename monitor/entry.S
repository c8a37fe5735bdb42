/* SPDX-License-Identifier: MIT */
/*
 * EL3 reset entry. Every CPU starts here (QEMU starts all cores at the
 * reset vector). CPU 0 boots; the others wait in a pen until PSCI CPU_ON
 * releases them, and then always go to the CIEE's warm entry.
 */
#include <arch/asm.h>
#include <arch/sysreg.h>

/* monitor_ram_ready once CPU 0 has copied the monitor into secure RAM. */
#define RAM_READY_MAGIC 0x4d41524e4f4d5476 /* "vTMONRAM" little-endian */

	.section .text.boot, "ax"
ENTRY(monitor_reset)
	/* Known state before anything else: no MMU, caches per SCTLR reset. */
	mrs	x19, mpidr_el1
	and	x19, x19, #MPIDR_AFF0_MASK
	cmp	x19, #8
	b.hs	park_flash

	/* Stack: __stacks_start + (cpu + 1) * 0x2000 */
	adrp	x1, __stacks_start
	add	x1, x1, :lo12:__stacks_start
	add	x2, x19, #1
	lsl	x2, x2, #13
	add	x1, x1, x2
	mov	sp, x1
	cbnz	x19, wait_ram_image

	/*
	 * Boot CPU: copy the monitor (code, rodata, data) from flash into
	 * secure RAM (monitor.lds), zero .bss, then run from RAM only.
	 */
	adrp	x0, __ram_image_start
	add	x0, x0, :lo12:__ram_image_start
	adrp	x1, __ram_image_end
	add	x1, x1, :lo12:__ram_image_end
	adrp	x2, __ram_image_load
	add	x2, x2, :lo12:__ram_image_load
1:	cmp	x0, x1
	b.hs	2f
	ldr	x3, [x2], #8
	str	x3, [x0], #8
	b	1b
2:	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
3:	cmp	x0, x1
	b.hs	4f
	str	xzr, [x0], #8
	b	3b
4:	dsb	sy
	ic	iallu
	dsb	sy
	isb
	/* Let the other CPUs in (they wait below, in flash). */
	adrp	x0, monitor_ram_ready
	add	x0, x0, :lo12:monitor_ram_ready
	ldr	x1, =RAM_READY_MAGIC
	str	x1, [x0]
	dsb	sy
	sev
	ldr	x0, =monitor_boot_cpu
	br	x0

	/*
	 * Secondaries wait here until CPU 0 has copied the monitor. After a
	 * reset the word may still say "ready" from the last boot: the RAM
	 * then holds the same monitor (it is never updated at run time, only
	 * the CIEE and hypervisor are), and CPU 0's copy rewrites identical
	 * code; the early path below (monitor_el3_init, psci_secondary_wait)
	 * uses no .data or .bss, only .pen (psci.c).
	 */
wait_ram_image:
	adrp	x0, monitor_ram_ready
	add	x0, x0, :lo12:monitor_ram_ready
	ldr	x2, =RAM_READY_MAGIC
5:	ldr	x1, [x0]
	cmp	x1, x2
	b.eq	6f
	wfe
	b	5b
6:	isb
	ldr	x0, =monitor_secondary_cpu
	br	x0
	.ltorg
END(monitor_reset)

/* A CPU beyond PLAT_MAX_CPUS: never leaves the reset stub. */
park_flash:
	wfi
	b	park_flash

	.text
/* In RAM from here on. */
monitor_boot_cpu:
	bl	monitor_el3_init
	bl	monitor_main
	b	park

monitor_secondary_cpu:
	bl	monitor_el3_init
	mov	x0, x19
	bl	psci_secondary_wait	/* returns when CPU_ON released us */
	b	park

	/* Kept across resets with the pens (.pen is neither copied nor zeroed). */
	.section .pen, "aw"
	.balign 8
monitor_ram_ready:
	.quad	0
	.text

ENTRY(park)
	wfi
	b	park
END(park)

/*
 * monitor_enter_el2(entry, x0, x1, x2): drop to non-secure EL2h with all
 * interrupts masked and the MMU off, at a trusted entry the monitor chose.
 */
ENTRY(monitor_enter_el2)
	msr	elr_el3, x0
	mov	x4, #(SPSR_EL2H | (0xf << 6))
	msr	spsr_el3, x4
	mov	x0, x1
	mov	x1, x2
	mov	x2, x3
	mov	x3, xzr
	/* Reset this CPU's EL3 stack: nothing below survives the ERET. */
	mrs	x5, mpidr_el1
	and	x5, x5, #MPIDR_AFF0_MASK
	adrp	x6, __stacks_start
	add	x6, x6, :lo12:__stacks_start
	add	x5, x5, #1
	lsl	x5, x5, #13
	add	sp, x6, x5
	mov	x4, xzr
	mov	x5, xzr
	mov	x6, xzr
	isb
	eret
END(monitor_enter_el2)

/*
 * monitor_zero(base, end): zero [base, end), both 64-byte aligned. With
 * the MMU off every access is Device-nGnRnE, so no DC ZVA (it faults on
 * Device memory) and no unaligned stores: aligned 16-byte STPs only.
 */
ENTRY(monitor_zero)
1:	cmp	x0, x1
	b.hs	2f
	stp	xzr, xzr, [x0]
	stp	xzr, xzr, [x0, #16]
	stp	xzr, xzr, [x0, #32]
	stp	xzr, xzr, [x0, #48]
	add	x0, x0, #64
	b	1b
2:	dsb	sy
	ret
END(monitor_zero)
