/* SPDX-License-Identifier: MIT */
/*
 * Scan of the hypervisor's executable image for the instructions only the
 * CIEE may execute (docs: vtz.md section 5). The untrusted hypervisor runs
 * at EL2, where these instructions are not trappable: the only way to keep
 * it from reconfiguring EL2 is to never map executable a page holding one.
 * Hardware-free: linked into the monitor and into host tests.
 */
#ifndef POLICY_INSN_SCAN_H
#define POLICY_INSN_SCAN_H

#include <stddef.h>
#include <stdint.h>

struct insn_hit {
	size_t index;     /* word index into the scanned array */
	uint32_t word;    /* the instruction word as found */
	const char *name; /* e.g. "MSR VBAR_EL2", "DC ISW" */
};

/*
 * The name of the forbidden instruction `word` encodes (any Rt), or NULL
 * if the hypervisor may contain it.
 */
const char *insn_forbidden_name(uint32_t word);

/*
 * Check words[0..n): every 4-byte aligned word of an A64 executable range
 * (A64 instructions are always word aligned, so this sees every one).
 * Returns the number of forbidden words, 0 if none; on a hit, *first_hit
 * (if not NULL) describes the lowest one and is left untouched otherwise.
 * Words are in host order, which is little-endian on AArch64 and on the
 * hosts the tests run on.
 */
size_t insn_scan(const uint32_t *words, size_t n, struct insn_hit *first_hit);

#endif
