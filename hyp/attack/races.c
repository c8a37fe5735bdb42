/* SPDX-License-Identifier: MIT */
/*
 * Races between two CPUs of a compromised hypervisor (issue 9, "test
 * every pair of operations racing on the two CPUs" and "a second CPU
 * that keeps rewriting every structure the hypervisor passed"):
 *
 *  - tee-vcpu-op-races: every ordered pair of TEE_BOOT, TEE_CALL,
 *    TEE_RESUME and TEE_RESET, issued on one TEE vCPU from cpu0 and cpu4
 *    at (nearly) the same moment, many rounds, the two CPUs swapping
 *    roles every round. Each round starts from the state the first
 *    operation needs; each CPU makes exactly one CIEE call, then cpu0
 *    alone serves what is left. Checked from what is seen: which calls
 *    entered the TEE (a result >= 0) against the outcomes some order of
 *    the two calls allows, that every call the TEE started completes at
 *    most once (exactly once without a reset), and after every round the
 *    TEE itself (a PING on that vCPU): the right sums, the vCPU that
 *    answered, and its own count of the calls it handled, which a call
 *    run twice (two CPUs in one vCPU) or lost would change.
 *  - rewrite-mmio-during-tee-resume: cpu4 keeps rewriting every field of
 *    the struct ciee_mmio that cpu0 passes while it resumes a TEE through
 *    a whole console line (a read stop and a write stop per character).
 *  - mmio-record-written-once: cpu4 watches the record of TEE_CALL and
 *    VCPU_RUN (fast call) while the CIEE runs: untouched unless the call
 *    stops for MMIO, then written once, at the end, with that stop.
 *
 * They run on a VM+TEE pair of their own (vm6/tee6, three vCPUs): TEE
 * vCPU 0 and 1 booted, vCPU 2 never (the BOOT rounds; a reset while its
 * boot is stopped makes it never-started again).
 */
#include <string.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <policy/fdt_info.h>
#include <vtz/ciee_abi.h>
#include <vtz/optee_abi.h>
#include <vtz/platform.h>
#include <vtz/smccc.h>

#include "../hyp.h"
#include "attack.h"

#define RC_VCPUS 3
#define RC_ROUNDS 8 /* per ordered pair: 128 rounds */
#define RC_HOT_ROUNDS 512 /* CALL/CALL and RESUME/RESUME, one jitter step at a time */
#define RC_STUB(v) (0x1000UL + (v) * 0x40UL)
#define RC_ROUND_S 2 /* the longest either CPU may take for one call */
#define RC_GUARD 4000
#define RC_TAG 0x7ee00000UL /* PING's x3: tag, vCPU in 19:16, calls in 15:0 */

#define HVC_INSN 0xd4000002U
#define SMC_INSN 0xd4000003U
#define EC_HVC64 0x16
#define EC_SMC64 0x17

enum rc_op { OP_BOOT, OP_CALL, OP_RESUME, OP_RESET, OP_COUNT };
static const char *const op_name[OP_COUNT] = { "BOOT", "CALL", "RESUME", "RESET" };

/* What cpu4 is asked to do. */
enum rc_job { JOB_OP = 1, JOB_REWRITE, JOB_WATCH, JOB_PARK };

static struct vm *rc_vm, *rc_tee;
static struct vcpu_ctx rc_ctx[RC_VCPUS];
/* Each CPU its own record for the op races; the shared one for the rewrite and watch. */
static struct ciee_mmio rc_mmio[2] __attribute__((aligned(64)));
static struct ciee_mmio rc_shared __attribute__((aligned(64)));

static volatile uint64_t rc_ready;              /* cpu4 serves jobs */
static volatile uint64_t rc_go, rc_armed, rc_fire, rc_done, rc_stop;
static volatile enum rc_job rc_job_kind;
static volatile unsigned int rc_op_kind, rc_op_vcpu, rc_jitter;
static volatile long rc_result;
static volatile uint64_t rc_rewrites;
/* JOB_WATCH: the distinct snapshots of the record's three words. */
#define WATCH_MAX 8
static volatile uint64_t rc_snap[WATCH_MAX][3];
static volatile unsigned int rc_nsnap;
static volatile bool rc_snap_overflow;

static uint64_t now(void)
{
	return read_sysreg(cntpct_el0);
}

static uint64_t deadline_in(unsigned int s)
{
	return now() + read_sysreg(cntfrq_el0) * s;
}

static void spin(unsigned int n)
{
	while (n--)
		__asm__ volatile("yield");
}

static struct ciee_tee_boot_cfg rc_boot_cfg;

/* One of the four operations on TEE vCPU vcpu, as one CIEE call. */
static long rc_issue(unsigned int op, unsigned int vcpu, struct ciee_mmio *m)
{
	switch (op) {
	case OP_BOOT:
		/* vCPU 0 takes its boot record (x5); the others ignore x5. */
		rc_boot_cfg.ns_size = rc_vm->ram_size;
		memcpy(rc_boot_cfg.name, "tee6", 5);
		return ciee_call(CIEE_CALL_TEE_BOOT, rc_tee->id, (unsigned long)m,
				 VTZ_TEE_ENTRY_IPA, vcpu, (unsigned long)&rc_boot_cfg);
	case OP_CALL:
		return ciee_call(CIEE_CALL_TEE_CALL, rc_vm->id, vcpu, (unsigned long)m, 0, 0);
	case OP_RESUME:
		m->value = 0; /* a console read: "not full" */
		return ciee_call(CIEE_CALL_TEE_RESUME, rc_tee->id, (unsigned long)m, vcpu, 0, 0);
	default:
		return ciee_call(CIEE_CALL_TEE_RESET, rc_tee->id, (unsigned long)m, 0, 0, 0);
	}
}

/* ---- cpu4 ----------------------------------------------------------- */

/* Every field of the shared record, each combination in turn, as fast as we can. */
static void rc_rewrite_loop(void)
{
	/* Every value has UARTFR.TXFF (bit 5) clear: whichever the TEE gets, it prints on. */
	static const uint64_t values[4] = { 0, 0x4141414141414141UL, ~0x20UL,
					    0x5e5e5e5e5e5e5e5eUL };
	volatile struct ciee_mmio *m = &rc_shared;
	uint64_t n = 0;

	while (!__atomic_load_n(&rc_stop, __ATOMIC_ACQUIRE)) {
		m->value = values[n & 3];
		m->ipa = (n & 4) ? TEE_UART_IPA : 0xdead0000UL;
		m->size = (n & 8) ? 8 : 1;
		m->is_write = (n >> 4) & 1;
		n++;
		/* Shown as it goes: cpu0 starts its call only once the rewriting has begun. */
		__atomic_store_n(&rc_rewrites, n, __ATOMIC_RELEASE);
	}
}

/* Watch the shared record: every distinct (ipa, value, size|is_write) seen. */
static void rc_watch_loop(void)
{
	volatile uint64_t *w = (volatile uint64_t *)&rc_shared;
	uint64_t last[3] = { w[0], w[1], w[2] };
	unsigned int n = 0, i;

	for (i = 0; i < 3; i++)
		rc_snap[n][i] = last[i];
	n++;
	/* Watching from here on: cpu0 may start the call. */
	__atomic_store_n(&rc_armed, rc_go, __ATOMIC_RELEASE);
	for (;;) {
		bool stop = __atomic_load_n(&rc_stop, __ATOMIC_ACQUIRE);
		uint64_t s[3] = { w[0], w[1], w[2] };

		if (s[0] != last[0] || s[1] != last[1] || s[2] != last[2]) {
			if (n < WATCH_MAX) {
				for (i = 0; i < 3; i++)
					rc_snap[n][i] = s[i];
				n++;
			} else {
				rc_snap_overflow = true;
			}
			memcpy(last, s, sizeof(last));
		}
		if (stop)
			break;
	}
	rc_nsnap = n;
}

/* cpu4, after the vCPU-context race (untrusted_mem.c): serve jobs until parked. */
void races_secondary(void)
{
	uint64_t seen = 0, g;

	__atomic_store_n(&rc_ready, 1, __ATOMIC_RELEASE);
	for (;;) {
		while ((g = __atomic_load_n(&rc_go, __ATOMIC_ACQUIRE)) == seen)
			wfe();
		seen = g;
		switch (rc_job_kind) {
		case JOB_OP:
			__atomic_store_n(&rc_armed, g, __ATOMIC_RELEASE);
			while (__atomic_load_n(&rc_fire, __ATOMIC_ACQUIRE) != g)
				;
			spin(rc_jitter);
			rc_result = rc_issue(rc_op_kind, rc_op_vcpu, &rc_mmio[1]);
			break;
		case JOB_REWRITE:
			__atomic_store_n(&rc_armed, g, __ATOMIC_RELEASE);
			rc_rewrite_loop();
			break;
		case JOB_WATCH:
			rc_watch_loop();
			break;
		default:
			__atomic_store_n(&rc_done, g, __ATOMIC_RELEASE);
			return; /* parked by hyp_attack_secondary() */
		}
		__atomic_store_n(&rc_done, g, __ATOMIC_RELEASE);
	}
}

/* cpu0: hand cpu4 a job (it starts at once). */
static uint64_t rc_post(enum rc_job kind)
{
	uint64_t g = rc_go + 1;

	rc_job_kind = kind;
	__atomic_store_n(&rc_stop, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&rc_go, g, __ATOMIC_RELEASE);
	sev();
	return g;
}

/* cpu0: wait for cpu4 to reach a step of job g; false if it did not in time. */
static bool rc_wait(volatile uint64_t *step, uint64_t g)
{
	uint64_t end = deadline_in(RC_ROUND_S);

	while (__atomic_load_n(step, __ATOMIC_ACQUIRE) != g)
		if (now() > end)
			return false;
	return true;
}

/*
 * cpu0: until cpu4's first rewrite is visible. Armed is not enough: under
 * load its host thread may not run again before a whole call is over.
 */
static bool rc_wait_rewriting(void)
{
	uint64_t end = deadline_in(RC_ROUND_S);

	while (!__atomic_load_n(&rc_rewrites, __ATOMIC_ACQUIRE))
		if (now() > end)
			return false;
	return true;
}

/* ---- the VM side: a stub per vCPU, hvc; smc; hvc ----------------------- */

static long rc_run(unsigned int vcpu)
{
	return ciee_call(CIEE_CALL_VCPU_RUN, rc_vm->id, (unsigned long)&rc_ctx[vcpu], vcpu, 0, 0);
}

/*
 * VM vCPU vcpu makes the trusted-OS SMC (fid, a1, a2): a call pending for
 * TEE_CALL. First through the hvc, which takes any reply still waiting.
 */
static bool rc_smc(unsigned int vcpu, uint64_t fid, uint64_t a1, uint64_t a2)
{
	struct vcpu_ctx *c = &rc_ctx[vcpu];
	uint64_t stub = rc_vm->ram_ipa + RC_STUB(vcpu);

	c->pc = stub;
	if (rc_run(vcpu) != CIEE_EXIT_GUEST_TRAP || c->esr >> 26 != EC_HVC64)
		return false;
	c->pc = stub + 4;
	c->x[0] = fid;
	c->x[1] = a1;
	c->x[2] = a2;
	return rc_run(vcpu) == CIEE_EXIT_GUEST_TRAP && c->esr >> 26 == EC_SMC64;
}

/* The reply of a completed call, as VM vCPU vcpu gets it at its second hvc. */
static void rc_reply(unsigned int vcpu, uint64_t x[4])
{
	struct vcpu_ctx *c = &rc_ctx[vcpu];
	unsigned int i;

	for (i = 0; i < 4; i++)
		c->x[i] = 0xbad0 + i;
	c->pc = rc_vm->ram_ipa + RC_STUB(vcpu) + 8;
	rc_run(vcpu);
	for (i = 0; i < 4; i++)
		x[i] = c->x[i];
}

/*
 * Serve a TEE vCPU's stops as the run loop does, its console read as
 * "not full", until it is done or refuses; *stops counts them. The
 * hypervisor's own record, which no one else touches.
 */
static long rc_serve(unsigned int vcpu, long r, unsigned int *stops)
{
	static struct ciee_mmio m;
	unsigned int guard;

	for (guard = 0; guard < RC_GUARD && (r == CIEE_EXIT_TEE_MMIO ||
					     r == CIEE_EXIT_TEE_PREEMPTED); guard++) {
		if (stops)
			(*stops)++;
		m.value = 0;
		r = ciee_call(CIEE_CALL_TEE_RESUME, rc_tee->id, (unsigned long)&m, vcpu, 0, 0);
	}
	return r;
}

/* Resume whatever stop vCPU vcpu has, to its end: the result (TEE_STATE if none). */
static long rc_drain(unsigned int vcpu)
{
	return rc_serve(vcpu, CIEE_EXIT_TEE_MMIO, NULL);
}

/* ---- the TEE's own account --------------------------------------------- */

/* The TEE's count of fast calls handled since its last (re)set. */
static uint64_t rc_calls;

static unsigned int digits(uint64_t n)
{
	unsigned int d = 1;

	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/*
 * PING (a, b) on VM vCPU vcpu, the TEE's stops served: true if the reply
 * is right, comes from TEE vCPU vcpu, and counts exactly the calls the
 * TEE should have handled. *stops: how many MMIO stops the call made.
 */
static bool rc_ping(unsigned int vcpu, uint64_t a, uint64_t b, struct ciee_mmio *m,
		    unsigned int *stops)
{
	uint64_t x[4];
	long r;

	if (!rc_smc(vcpu, VTZ_SMC_TEE_PING, a, b))
		return false;
	r = ciee_call(CIEE_CALL_TEE_CALL, rc_vm->id, vcpu, (unsigned long)m, 0, 0);
	r = rc_serve(vcpu, r, stops);
	if (r != CIEE_EXIT_TEE_DONE)
		return false;
	rc_calls++;
	rc_reply(vcpu, x);
	return x[0] == OPTEE_SMC_RETURN_OK && x[1] == a + b && x[2] == (a ^ b) &&
	       (x[3] & ~0xfffffUL) == RC_TAG && ((x[3] >> 16) & 0xf) == vcpu &&
	       (x[3] & 0xffff) == (rc_calls & 0xffff);
}

/* ---- tee-vcpu-op-races ------------------------------------------------- */

/* Outcomes as bits: which of (A, B) entered the TEE. */
#define RR (1U << 0)
#define RW (1U << 1)
#define WR (1U << 2)
#define WW (1U << 3)

/*
 * [A][B], A's state prepared (BOOT: vCPU 2 never started; CALL: vCPU 1
 * idle, its VM vCPU's call pending; RESUME: vCPU 1 preempted in a call,
 * another call pending; RESET: vCPU 1 idle with a call pending, vCPU 2
 * never started): the outcomes some order of the two calls gives. Each
 * call runs to its next exit; a call's run is one non-printing fast call
 * (no MMIO stop), a boot or a reset stops at its first console access.
 */
static const unsigned int allowed[OP_COUNT][OP_COUNT] = {
	/* BOOT: BOOT one of two; CALL never (never idle); RESUME only the boot's stop. */
	[OP_BOOT] = { WR | RW, WR, WR | WW, WR | RW | WW },
	/* CALL: BOOT never (booted); one call per SMC; RESUME never (no stop). */
	[OP_CALL] = { WR, WR | RW, WR, WR | RW | WW },
	/* RESUME: one resume per stop; a call only once the resumed one is done. */
	[OP_RESUME] = { WR, WR | WW, WR | RW, WR | RW | WW },
	/* RESET: BOOT / CALL before it or refused; RESUME never; one reset. */
	[OP_RESET] = { WR | RW | WW, WR | RW | WW, WR, WR | RW },
};

struct rc_count {
	unsigned int rounds, skipped, bad_outcome, lost_or_twice, bad_ping, wins[OP_COUNT];
	unsigned int first_bad_a, first_bad_b, first_bad_what;
	long first_ra, first_rb;
	bool cpu4_lost;
};

/* Which TEE vCPU an op works on in the state prepared for `first`. */
static unsigned int rc_target(unsigned int first, unsigned int op)
{
	if (first == OP_BOOT)
		return 2;
	if (first == OP_RESET && op == OP_BOOT)
		return 2;
	return 1;
}

/* Prepare the state `first` needs; false if it could not be made (the round is skipped). */
static bool rc_prepare(unsigned int first, uint64_t tag, unsigned int *started)
{
	long r;

	*started = 0;
	switch (first) {
	case OP_BOOT:
		return rc_smc(2, VTZ_SMC_TEE_STORE, 2, tag);
	case OP_RESUME:
		if (!rc_smc(1, VTZ_SMC_TEE_STORE, 1, tag))
			return false;
		/* An interrupt due at once: the call stops at its first instruction. */
		write_sysreg(cnthp_tval_el2, 0);
		write_sysreg(cnthp_ctl_el2, 1);
		isb();
		r = ciee_call(CIEE_CALL_TEE_CALL, rc_vm->id, 1, (unsigned long)&rc_mmio[0], 0, 0);
		write_sysreg(cnthp_ctl_el2, 0);
		isb();
		if (r != CIEE_EXIT_TEE_PREEMPTED) {
			if (rc_serve(1, r, NULL) == CIEE_EXIT_TEE_DONE)
				rc_calls++;
			return false;
		}
		*started = 1;
		/* The VM vCPU goes on to another call meanwhile (it may). */
		return rc_smc(1, VTZ_SMC_TEE_STORE, 1, tag + 1);
	default:
		return rc_smc(1, VTZ_SMC_TEE_STORE, 1, tag);
	}
}

static bool is_stop(long r)
{
	return r == CIEE_EXIT_TEE_MMIO || r == CIEE_EXIT_TEE_PREEMPTED;
}

static void rc_round(unsigned int a, unsigned int b, unsigned int round, unsigned int jitter,
		     bool ping, struct rc_count *c)
{
	unsigned int ta = rc_target(a, a), tb = rc_target(a, b), started, completed = 0;
	unsigned int outcome, what = 0;
	bool swap = round & 1, reset = false, boot_on_2 = false, noise;
	long ra, rb, r;
	uint64_t g;

	if (!rc_prepare(a, 0x1000 + round, &started)) {
		c->skipped++;
		return;
	}
	/* Both at once; cpu0 is A on even rounds, B on odd ones; a jitter on one side. */
	rc_op_kind = swap ? a : b;
	rc_op_vcpu = swap ? ta : tb;
	rc_jitter = (round & 2) ? jitter : 0;
	g = rc_post(JOB_OP);
	if (!rc_wait(&rc_armed, g)) {
		c->cpu4_lost = true;
		return;
	}
	__atomic_store_n(&rc_fire, g, __ATOMIC_RELEASE);
	spin((round & 2) ? 0 : jitter);
	r = rc_issue(swap ? b : a, swap ? tb : ta, &rc_mmio[0]);
	if (!rc_wait(&rc_done, g)) {
		c->cpu4_lost = true;
		return;
	}
	ra = swap ? rc_result : r;
	rb = swap ? r : rc_result;
	c->rounds++;
	c->wins[a] += ra >= 0;
	c->wins[b] += rb >= 0;
	outcome = (ra >= 0 ? 2 : 0) | (rb >= 0 ? 1 : 0);
	/* An interrupt of the hypervisor's own may preempt a call: not a race outcome. */
	noise = a != OP_RESUME &&
		(ra == CIEE_EXIT_TEE_PREEMPTED || rb == CIEE_EXIT_TEE_PREEMPTED);
	if (!noise && !(allowed[a][b] & (1U << outcome)))
		what = 1;
	completed = (ra == CIEE_EXIT_TEE_DONE) + (rb == CIEE_EXIT_TEE_DONE);
	started += (a == OP_CALL && ra >= 0) + (b == OP_CALL && rb >= 0);
	reset = (a == OP_RESET && ra >= 0) || (b == OP_RESET && rb >= 0);
	boot_on_2 = (a == OP_BOOT && ra >= 0 && ta == 2) || (b == OP_BOOT && rb >= 0 && tb == 2);
	/* cpu0 alone now: a reset to its end, vCPU 1's stop, then vCPU 2 back to never-started. */
	if (rc_drain(0) == CIEE_OK)
		reset = true;
	completed += rc_drain(1) == CIEE_EXIT_TEE_DONE;
	if (boot_on_2) {
		r = ciee_call(CIEE_CALL_TEE_RESET, rc_tee->id, (unsigned long)&rc_mmio[0], 0, 0, 0);
		if (rc_serve(0, r, NULL) == CIEE_OK)
			reset = true;
		else
			what = what ? what : 4;
	}
	/* Every call the TEE started completes once; only a reset may discard one. */
	if (completed > started || (!reset && completed != started)) {
		c->lost_or_twice++;
		what = what ? what : 2;
	} else {
		rc_calls += completed;
	}
	if (reset)
		rc_calls = 0; /* the TEE's .bss, its count with it, starts again */
	/* The TEE itself: right answer, from vCPU 1, with exactly the calls it handled. */
	if (ping && !rc_ping(1, round, 0x100, &rc_mmio[0], NULL)) {
		c->bad_ping++;
		what = what ? what : 3;
	}
	if (what == 1)
		c->bad_outcome++;
	if (what && !c->first_bad_what) {
		c->first_bad_what = what;
		c->first_bad_a = a;
		c->first_bad_b = b;
		c->first_ra = ra;
		c->first_rb = rb;
	}
}

static void attack_op_races(void)
{
	static const char *const whats[] = { "", "outcome no order allows", "a call lost or run twice",
					     "PING wrong", "cleanup reset refused" };
	struct rc_count c;
	unsigned int a, b, round, wins = 0, i;
	long s0, s4;
	bool ping0, ping1, broke;
	uint64_t t0, ms;

	memset(&c, 0, sizeof(c));
	t0 = now();
	for (round = 0; round < RC_ROUNDS && !c.cpu4_lost; round++)
		for (a = 0; a < OP_COUNT && !c.cpu4_lost; a++)
			for (b = 0; b < OP_COUNT && !c.cpu4_lost; b++)
				rc_round(a, b, round * OP_COUNT * OP_COUNT + a * OP_COUNT + b,
					 (round * OP_COUNT * OP_COUNT + a * OP_COUNT + b) % 8 * 24,
					 true, &c);
	/*
	 * Then the two claims with nothing else to do, CALL against CALL and
	 * RESUME against RESUME, the start moved one step at a time across
	 * the window: a claim that is not one atomic step shows here first.
	 */
	for (round = 0; round < RC_HOT_ROUNDS && !c.cpu4_lost; round++)
		rc_round(round & 1 ? OP_RESUME : OP_CALL, round & 1 ? OP_RESUME : OP_CALL,
			 round / 2, (round / 4) % 64, round % 32 == 31, &c);
	/* After the storm: both CPUs alive, the TEE answers on both its booted vCPUs. */
	s0 = ciee_call(CIEE_CALL_CPU_STATUS, 0, 0, 0, 0, 0);
	s4 = ciee_call(CIEE_CALL_CPU_STATUS, UM_RACE_CPU, 0, 0, 0, 0);
	ping0 = rc_ping(0, 7, 8, &rc_mmio[0], NULL);
	ping1 = rc_ping(1, 9, 10, &rc_mmio[0], NULL);
	for (i = 0; i < OP_COUNT; i++)
		wins += c.wins[i];
	ms = (now() - t0) * 1000 / read_sysreg(cntfrq_el0);
	broke = c.cpu4_lost || c.first_bad_what || s0 != CIEE_CPU_OK || s4 != CIEE_CPU_OK ||
		!ping0 || !ping1 || c.skipped > c.rounds / 8;
	if (c.first_bad_what)
		verdict("tee-vcpu-op-races", false,
			"%u rounds x 16 pairs + %u: %u outcomes no order allows, %u calls lost/run "
			"twice, %u PINGs wrong; first: %s, %s vs %s: %ld, %ld", RC_ROUNDS, RC_HOT_ROUNDS,
			c.bad_outcome,
			c.lost_or_twice, c.bad_ping, whats[c.first_bad_what], op_name[c.first_bad_a],
			op_name[c.first_bad_b], c.first_ra, c.first_rb);
	else
		verdict("tee-vcpu-op-races", !broke,
			"%u rounds x 16 pairs + %u (%u skipped, %llu ms): 0 outcomes no order allows, "
			"0 calls lost or run twice, 0 wrong PINGs; %u entries (B%u C%u R%u X%u); "
			"cpus %s; TEE %s", RC_ROUNDS, RC_HOT_ROUNDS, c.skipped, (unsigned long long)ms, wins,
			c.wins[OP_BOOT], c.wins[OP_CALL], c.wins[OP_RESUME], c.wins[OP_RESET],
			!c.cpu4_lost && s0 == CIEE_CPU_OK && s4 == CIEE_CPU_OK ? "ok" : "LOST",
			ping0 && ping1 ? "answers" : "WRONG");
}

/* ---- rewrite-mmio-during-tee-resume ------------------------------------ */

#define RW_SECRET 0x5ec2e7c0ffee0001UL

static bool rc_store(unsigned int slot, uint64_t v, uint64_t *out, uint64_t fid)
{
	uint64_t x[4];
	long r;

	if (!rc_smc(1, fid, slot, v))
		return false;
	r = rc_serve(1, ciee_call(CIEE_CALL_TEE_CALL, rc_vm->id, 1, (unsigned long)&rc_mmio[0], 0, 0),
		     NULL);
	if (r != CIEE_EXIT_TEE_DONE)
		return false;
	rc_calls++;
	rc_reply(1, x);
	*out = x[1];
	return x[0] == OPTEE_SMC_RETURN_OK;
}

static void attack_rewrite_mmio(void)
{
	uint64_t a = 0x1234, b = 0x5678, kept = 0, x[4] = { 0 }, n_ref, g;
	unsigned int ref = 0, raced = 0, expect;
	bool ref_ok, stored, right, same_stops;
	long r;

	stored = rc_store(3, RW_SECRET, &kept, VTZ_SMC_TEE_STORE);
	/* The same PING, first without the rewriter: how many stops a whole line takes. */
	ref_ok = rc_ping(1, a, b, &rc_mmio[0], &ref);
	n_ref = rc_calls;
	if (!stored || !ref_ok || !rc_smc(1, VTZ_SMC_TEE_PING, a, b)) {
		not_run("rewrite-mmio-during-tee-resume", "tee6 did not answer the set-up calls");
		return;
	}
	memset(&rc_shared, 0, sizeof(rc_shared));
	rc_rewrites = 0;
	g = rc_post(JOB_REWRITE);
	if (!rc_wait(&rc_armed, g) || !rc_wait_rewriting()) {
		not_run("rewrite-mmio-during-tee-resume", "cpu4 did not take the job");
		return;
	}
	/* Every stop resumed with the record cpu4 keeps rewriting; cpu0 never writes it. */
	r = ciee_call(CIEE_CALL_TEE_CALL, rc_vm->id, 1, (unsigned long)&rc_shared, 0, 0);
	while (is_stop(r) && raced < RC_GUARD) {
		raced++;
		r = ciee_call(CIEE_CALL_TEE_RESUME, rc_tee->id, (unsigned long)&rc_shared, 1, 0, 0);
	}
	__atomic_store_n(&rc_stop, 1, __ATOMIC_RELEASE);
	rc_wait(&rc_done, g);
	if (r == CIEE_EXIT_TEE_DONE) {
		rc_calls++;
		rc_reply(1, x);
	}
	right = r == CIEE_EXIT_TEE_DONE && x[0] == OPTEE_SMC_RETURN_OK && x[1] == a + b &&
		x[2] == (a ^ b) && ((x[3] >> 16) & 0xf) == 1 && (x[3] & 0xffff) == (rc_calls & 0xffff);
	/* One read and one write per character; "ping #N" may have grown a digit. */
	expect = ref + 2 * (digits(n_ref + 1) - digits(n_ref));
	same_stops = raced == expect;
	stored = rc_store(3, 0, &kept, VTZ_SMC_TEE_LOAD) && kept == RW_SECRET;
	verdict("rewrite-mmio-during-tee-resume", right && same_stops && stored && rc_rewrites > 0,
		"cpu4 rewrote ipa/value/size/is_write %llu times over %u resumes of a PING line "
		"(%u stops unraced): reply %s, its stored word %s, line %s",
		(unsigned long long)rc_rewrites, raced, expect, right ? "right" : "WRONG",
		stored ? "kept" : "CHANGED", same_stops ? "same length" : "CHANGED LENGTH");
}

/* ---- mmio-record-written-once ------------------------------------------ */

#define SENTINEL 0x5e5e5e5e5e5e5e5eUL

/*
 * Did the record, watched word by word by cpu4, go from the sentinel to
 * `want` (NULL: stay the sentinel) and nowhere else, each word once?
 */
static bool rc_watch_ok(const uint64_t *want)
{
	unsigned int i, w;
	bool done[3] = { false, false, false };

	/* cpu4 saw the sentinel first: it watched before the call began. */
	if (rc_snap_overflow || rc_nsnap == 0 || rc_snap[0][0] != SENTINEL)
		return false;
	for (i = 0; i < rc_nsnap; i++)
		for (w = 0; w < 3; w++) {
			uint64_t v = rc_snap[i][w];

			if (v == SENTINEL && !done[w])
				continue;
			if (!want || v != want[w])
				return false;
			done[w] = true;
		}
	return !want || (done[0] && done[1] && done[2]);
}

/* One watched call: fill the sentinel, cpu4 watches, run `how`, stop it. */
static bool rc_watched(int how, unsigned int *nsnap)
{
	/* The first console access of a PING: a 32-bit read of UARTFR. */
	const uint64_t fr[3] = { TEE_UART_IPA + 0x18, 0, 4 };
	uint64_t g, x[4];
	bool stopped = false, ok;
	long r;

	memset(&rc_shared, 0x5e, sizeof(rc_shared));
	rc_snap_overflow = false;
	rc_nsnap = 0;
	if (!rc_smc(1, how == 1 ? VTZ_SMC_TEE_STORE : VTZ_SMC_TEE_PING, 4, 5))
		return false;
	g = rc_post(JOB_WATCH);
	if (!rc_wait(&rc_armed, g))
		return false;
	if (how == 2) {
		/* VCPU_RUN from the smc with the record: the CIEE makes the call itself. */
		r = ciee_call(CIEE_CALL_VCPU_RUN, rc_vm->id, (unsigned long)&rc_ctx[1], 1,
			      (unsigned long)&rc_shared, 0);
	} else {
		r = ciee_call(CIEE_CALL_TEE_CALL, rc_vm->id, 1, (unsigned long)&rc_shared, 0, 0);
	}
	stopped = r == CIEE_EXIT_TEE_MMIO;
	/* The rest of the call with the hypervisor's other record: the watched one stays as left. */
	r = rc_serve(1, r, NULL);
	__atomic_store_n(&rc_stop, 1, __ATOMIC_RELEASE);
	if (!rc_wait(&rc_done, g))
		return false;
	*nsnap = rc_nsnap;
	if (how == 2) {
		/* The fast call's guest went on to its hvc, the reply in x0 (or is yet to). */
		ok = r == CIEE_EXIT_GUEST_TRAP || r == CIEE_EXIT_TEE_DONE;
		if (r == CIEE_EXIT_TEE_DONE)
			rc_reply(1, x);
	} else {
		ok = r == CIEE_EXIT_TEE_DONE;
		rc_reply(1, x);
	}
	rc_calls++;
	/* A call with no stop leaves the record alone; a stop writes exactly it. */
	return ok && stopped == (how != 1) && rc_watch_ok(stopped ? fr : NULL);
}

static void attack_mmio_written_once(void)
{
	unsigned int n_call = 0, n_quiet = 0, n_fast = 0;
	bool call, quiet, fast;

	call = rc_watched(0, &n_call);
	quiet = rc_watched(1, &n_quiet);
	fast = rc_watched(2, &n_fast);
	verdict("mmio-record-written-once", call && quiet && fast,
		"cpu4 watching it: TEE_CALL stopped: %s (%u states); TEE_CALL, no stop: %s; "
		"VCPU_RUN fast call stopped: %s (%u states)",
		call ? "sentinel, that stop once" : "OTHER WRITES", n_call,
		quiet ? "never written" : "WRITTEN", fast ? "sentinel, that stop once" :
		"OTHER WRITES", n_fast);
}

/* ---- the sequence ------------------------------------------------------ */

static int rc_setup(void)
{
	static const uint32_t stub[3] = { HVC_INSN, SMC_INSN, HVC_INSN };
	unsigned int v;
	long r;

	rc_vm = vm_create("vm6", GUEST_RAM_SIZE, RC_VCPUS, 0, 0);
	rc_tee = rc_vm ? vm_create_tee(rc_vm, "tee6", PLAT_TEE_IMAGE_BASE, PLAT_TEE_IMAGE_MAX)
		       : NULL;
	if (!rc_tee)
		return -1;
	for (v = 0; v < RC_VCPUS; v++) {
		memcpy((void *)(rc_vm->ram_pa + RC_STUB(v)), stub, sizeof(stub));
		memset(&rc_ctx[v], 0, sizeof(rc_ctx[v]));
		rc_ctx[v].pstate = SPSR_EL1H | SPSR_DAIF_MASKED;
		rc_ctx[v].el1.sctlr = SCTLR_EL1_RES1;
		rc_ctx[v].vmpidr = 0x80000000UL | v;
	}
	dsb(ish);
	/* vCPU 0 and 1 booted; vCPU 2 never. */
	for (v = 0; v < 2; v++) {
		r = rc_issue(OP_BOOT, v, &rc_mmio[0]);
		if (rc_serve(v, r, NULL) != CIEE_OK)
			return -1;
	}
	rc_calls = 0;
	return 0;
}

void races_run(const struct fdt_info *info)
{
	static const char *const names[] = { "tee-vcpu-op-races", "rewrite-mmio-during-tee-resume",
					     "mmio-record-written-once" };
	unsigned int i;
	uint64_t g;

	(void)info;
	con_printf("attack suite: two CPUs racing on TEE vCPUs and on the MMIO record\n");
	if (!__atomic_load_n(&rc_ready, __ATOMIC_ACQUIRE)) {
		for (i = 0; i < 3; i++)
			not_run(names[i], "cpu4 is not serving (the vCPU-context race did not end)");
		return;
	}
	if (rc_setup()) {
		for (i = 0; i < 3; i++)
			not_run(names[i], "could not create and boot vm6/tee6");
		return;
	}
	attack_op_races();
	attack_rewrite_mmio();
	attack_mmio_written_once();
	/* cpu4 parks for good. */
	g = rc_post(JOB_PARK);
	rc_wait(&rc_done, g);
}
