/* SPDX-License-Identifier: MIT */
/*
 * Benchmark guest: times guest SMCs with the virtual counter. Under
 * `-icount shift=0` every instruction advances virtual time by 1 ns, so
 * CNTVCT_EL0 (CNTFRQ_EL0 = 62.5 MHz) ticks once per 16 instructions of
 * every CPU mode the call passes through: the guest, the hypervisor, the
 * CIEE, the monitor and the TEE. The guest only prints raw ticks and call
 * counts; scripts/vtz_bench.py does the conversion (and checks it).
 *
 * The same image runs under the vTZ hypervisor and on native TrustZone
 * (guest-bench-native.bin, linked at 0x48000000): it never asks who
 * answers its SMCs.
 *
 * Output, one line per figure (the prefix is whoever owns the console):
 *   bench-guest: cntfrq F
 *   bench-guest: LOOP calls N ticks T bad B
 */
#include <vtz/optee_abi.h>
#include <vtz/optee_msg.h>
#include <vtz/smccc.h>

#include "../bare/guest.h"

#define BENCH_CALLS 20000
#define BENCH_WARMUP 100

uint64_t bench_smc_loop(uint64_t fid, uint64_t n, uint64_t expect, uint64_t *bad);
uint64_t bench_nop_loop(uint64_t fid, uint64_t n, uint64_t expect, uint64_t *bad);

void guest_power_off(void)
{
	struct smc_regs r = { .x = { PSCI_SYSTEM_OFF } };

	gprintf("bench-guest: done, powering off\n");
	guest_smc(&r);
	for (;;)
		;
}

void guest_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
	(void)kind;
	gprintf("FATAL: unexpected exception at EL1: EC=0x%02llx ESR=0x%llx ELR=0x%llx "
		"FAR=0x%llx\n",
		(unsigned long long)(esr >> 26), (unsigned long long)esr,
		(unsigned long long)elr, (unsigned long long)far);
}

static uint64_t read_cntfrq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

typedef uint64_t (*loop_fn)(uint64_t, uint64_t, uint64_t, uint64_t *);

/*
 * Warm up first (whatever the path does once, the first time, is not
 * what we measure), then time BENCH_CALLS calls. Every reply is checked:
 * a figure for calls that failed would be meaningless.
 */
static int measure(const char *name, loop_fn loop, uint64_t fid, uint64_t expect)
{
	uint64_t bad = 0, ticks;

	loop(fid, BENCH_WARMUP, expect, &bad);
	if (bad) {
		gprintf("FATAL: bench %s: warm-up replies wrong (error bits 0x%llx)\n", name,
			(unsigned long long)bad);
		return -1;
	}
	ticks = loop(fid, BENCH_CALLS, expect, &bad);
	gprintf("bench-guest: %s calls %u ticks %llu bad 0x%llx\n", name, BENCH_CALLS,
		(unsigned long long)ticks, (unsigned long long)bad);
	if (bad) {
		gprintf("FATAL: bench %s: replies wrong\n", name);
		return -1;
	}
	return 0;
}

void guest_main(void)
{
	struct smc_regs r = { .x = { 0 } };

	gprintf("bench-guest: cntfrq %llu\n", (unsigned long long)read_cntfrq());
	/* The loop alone: x0 stays the "function ID", so expect it back. */
	if (measure("loop-only", bench_nop_loop, VTZ_SMC_TEE_NULL, VTZ_SMC_TEE_NULL))
		return;
	/* A call the hypervisor (natively: the monitor) answers without the TEE. */
	if (measure("trap-only", bench_smc_loop, SMCCC_VERSION, SMCCC_VERSION_1_1))
		return;
	/*
	 * A fast call every OP-TEE ABI TEE answers from its own code (ours,
	 * and OP-TEE OS itself): guest -> TEE -> guest.
	 */
	if (measure("revision-call", bench_smc_loop, OPTEE_SMC_CALLS_REVISION,
		    OPTEE_MSG_REVISION_MAJOR))
		return;
	/* The TEE's silent null fast call, if it has one (ours). */
	r.x[0] = VTZ_SMC_TEE_NULL;
	guest_smc(&r);
	if (r.x[0] != OPTEE_SMC_RETURN_OK) {
		/*
		 * Another TEE (OP-TEE OS) logs every refused yielding call on
		 * its console: the yield figure would measure that, so it is
		 * ours only, and so is the null call.
		 */
		gprintf("bench-guest: null-call not served by this TEE (x0 0x%llx); "
			"no yield-call either\n", (unsigned long long)r.x[0]);
		return;
	}
	/*
	 * A yielding call the TEE refuses at once (CALL_WITH_ARG, its message
	 * at address 0: EBADADDR): the yielding path's cost.
	 */
	if (measure("yield-call", bench_smc_loop, OPTEE_SMC_CALL_WITH_ARG,
		    OPTEE_SMC_RETURN_EBADADDR))
		return;
	measure("null-call", bench_smc_loop, VTZ_SMC_TEE_NULL, OPTEE_SMC_RETURN_OK);
}
