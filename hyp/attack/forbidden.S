/* SPDX-License-Identifier: MIT */
/*
 * Attack-suite payload: one instruction the hypervisor must not contain
 * (vtz.md section 5), selected by -DFORBIDDEN_<NAME> and linked into an
 * otherwise normal hypervisor image (hyp-bad-<name>.bin, hyp/build.mk).
 * The monitor must refuse to boot such an image, so this code never runs;
 * nothing calls it. The section carries SHF_GNU_RETAIN ("R") so that
 * --gc-sections keeps it without a reference or a change to hyp/hyp.lds,
 * and it is not .text.boot, so the image header keeps its offsets.
 */
#include <arch/asm.h>

#if defined(FORBIDDEN_TTBR0)
#define FORBIDDEN_INSN	msr	ttbr0_el2, x0
#elif defined(FORBIDDEN_TCR)
#define FORBIDDEN_INSN	msr	tcr_el2, x0
#elif defined(FORBIDDEN_SCTLR)
#define FORBIDDEN_INSN	msr	sctlr_el2, x0
#elif defined(FORBIDDEN_MAIR)
#define FORBIDDEN_INSN	msr	mair_el2, x0
#elif defined(FORBIDDEN_VBAR)
#define FORBIDDEN_INSN	msr	vbar_el2, x0
#elif defined(FORBIDDEN_HCR)
#define FORBIDDEN_INSN	msr	hcr_el2, x0
#elif defined(FORBIDDEN_VTTBR)
#define FORBIDDEN_INSN	msr	vttbr_el2, x0
#elif defined(FORBIDDEN_VTCR)
#define FORBIDDEN_INSN	msr	vtcr_el2, x0
#elif defined(FORBIDDEN_MDCR)
#define FORBIDDEN_INSN	msr	mdcr_el2, x0
#elif defined(FORBIDDEN_DCISW)
#define FORBIDDEN_INSN	dc	isw, x0
#else
#error "define one FORBIDDEN_<NAME> (see hyp/build.mk)"
#endif

	.section .text.forbidden, "axR"
	.balign	4
/* What a compromised hypervisor would do: x0 = the value to install. */
ENTRY(hyp_forbidden)
	FORBIDDEN_INSN
	ret
END(hyp_forbidden)
