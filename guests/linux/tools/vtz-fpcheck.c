/* SPDX-License-Identifier: MIT */
/*
 * vtz-fpcheck: does this vCPU keep its FP/SIMD registers? Fills all 32
 * vector registers with values derived from a seed, spins (so the
 * hypervisor's tick takes the vCPU off its CPU and other vCPUs run there),
 * and checks every register; repeats. Several copies at once, in several
 * VMs, catch a hypervisor that does not switch FP/SIMD state between
 * vCPUs (user space keeps live NEON state: glibc's string functions).
 *
 * usage: vtz-fpcheck SEED [ROUNDS]
 * Prints "vtz-fpcheck SEED: R rounds, N registers changed"; exit 0 if N == 0.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#define VREGS "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31"

/* One round: the number of 64-bit register halves that did not survive. */
static uint64_t round_once(uint64_t s)
{
	uint64_t bad = 0;

	__asm__ volatile(".irp n, " VREGS "\n"
			 "add	x9, %[s], #\\n\n"
			 "fmov	d\\n, x9\n"
			 "mvn	x9, x9\n"
			 "fmov	v\\n\\().d[1], x9\n"
			 ".endr\n"
			 "mov	x9, #20000\n"
			 "1:	subs	x9, x9, #1\n"
			 "b.ne	1b\n"
			 ".irp n, " VREGS "\n"
			 "add	x9, %[s], #\\n\n"
			 "fmov	x10, d\\n\n"
			 "cmp	x10, x9\n"
			 "cinc	%[bad], %[bad], ne\n"
			 "mvn	x9, x9\n"
			 "fmov	x10, v\\n\\().d[1]\n"
			 "cmp	x10, x9\n"
			 "cinc	%[bad], %[bad], ne\n"
			 ".endr\n"
			 : [bad] "+r"(bad)
			 : [s] "r"(s)
			 : "x9", "x10", "cc", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8",
			   "v9", "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19",
			   "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29",
			   "v30", "v31");
	return bad;
}

int main(int argc, char **argv)
{
	uint64_t seed, rounds = 2000, bad = 0, i;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: vtz-fpcheck SEED [ROUNDS]\n");
		return 2;
	}
	seed = strtoull(argv[1], NULL, 0);
	if (argc == 3)
		rounds = strtoull(argv[2], NULL, 0);
	for (i = 0; i < rounds; i++)
		bad += round_once(seed * 0x9e3779b97f4a7c15ULL + i * 64);
	printf("vtz-fpcheck %" PRIu64 ": %" PRIu64 " rounds, %" PRIu64 " registers changed\n", seed,
	       rounds, bad);
	return bad != 0;
}
