/* SPDX-License-Identifier: MIT */
/*
 * Attacks on the CIEE's trust in memory and events the hypervisor controls
 * (issue 9): stage-2 aliases that outlive RECLAIM, pointer arguments over
 * the hypervisor's text or into a page it has just given a TEE, a vCPU
 * context rewritten by another CPU while the CIEE works on it, a TEE's own
 * pages in its normal-world window, TEE vCPU lifecycle events in orders
 * the CIEE did not plan for, and an abort on a TEE's own RAM served as
 * MMIO. Each verdict comes from the effect: what a guest or the TEE read,
 * what changed in memory, where a CPU ended up.
 *
 * They run on a VM+TEE pair of their own (vm4/tee4, four vCPUs each), and
 * the lifecycle attacks on another (vm5/tee5), so that what they leave
 * behind (a TEE killed, a vCPU parked) touches no other attack.
 */
#include <stdarg.h>
#include <string.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <policy/fdt_info.h>
#include <policy/ownership.h>
#include <vtz/ciee_abi.h>
#include <vtz/image.h>
#include <vtz/monitor_abi.h>
#include <vtz/optee_abi.h>
#include <vtz/platform.h>
#include <vtz/smccc.h>

#include "../hyp.h"
#include "attack.h"

#define UM_PAGE 0x1000UL
#define UM_PATTERN 0x5ec2e7c0ffee5ec2UL
#define UM_MARK 0x6d61726b65646279UL /* what a guest writes where it should not */
#define UM_FORGED 0x4141414141414141UL

/* Offsets in the VM's RAM of the stubs each attack runs (IPA = RAM IPA + offset). */
#define UM_STUB_CALL(vcpu) (0x1000UL + (vcpu) * 0x40UL)
#define UM_STUB_TEXT 0x2000UL
#define UM_STUB_EL1 0x2100UL
#define UM_STUB_ALIAS 0x2200UL
#define UM_RACE_COUNTER 0x3000UL

/* IPAs outside the VM's RAM, and in the TEE's scratch space (TEST_PEEK reaches it). */
#define UM_ALIAS_IPA 0x50000000UL
#define UM_TEE_IPA_ALIAS 0x0f030000UL
#define UM_TEE_IPA_DONATED 0x0f031000UL
/* A page of the TEE's own RAM it does not use (the last one), and of its VM window. */
#define UM_TEE_SPARE_IPA (TEE_RAM_IPA + TEE_RAM_SIZE - UM_PAGE)
#define UM_NS_WINDOW_PAGE (VTZ_TEE_NS_RAM_BASE + 0xc00000UL)
/* The TEE's view of its VM is mapped in 2 MiB blocks: one is taken out whole. */
#define UM_NS_WINDOW_BLOCK 0x200000UL

#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_DABT_LOW 0x24

#define SMC_INSN 0xd4000003U
#define HVC_INSN 0xd4000002U

#ifdef GATE_el3
#define SMM_BY "the monitor at EL3"
#else
#define SMM_BY "the CIEE"
#endif

extern char __hyp_end[];
extern const uint32_t um_stub_race[], um_stub_race_end[];
extern const uint32_t um_stub_x0[], um_stub_x0_end[];
extern const uint32_t um_stub_el1[], um_stub_el1_end[];
extern const uint32_t um_stub_alias[], um_stub_alias_end[];
extern const uint64_t um_text_payload[];
void um_el2_payload(void);
long um_gate_spsel0(unsigned long call, unsigned long a1, unsigned long a2, unsigned long a3,
		    unsigned long a4, unsigned long gate);

/* Written by um_el2_payload at EL2 with the MMU off: flag, SCTLR_EL2, CurrentEL, MPIDR. */
volatile uint64_t um_el2_report[4] __attribute__((aligned(64)));

static struct vm *um_vm, *um_tee;
static struct ciee_mmio um_mmio;

static uint64_t exit_ec(const struct vcpu_ctx *c)
{
	return c->esr >> 26;
}

/* Copy a stub into the VM's RAM at off; returns its IPA. */
static uint64_t put_stub(struct vm *vm, uint64_t off, const uint32_t *start, const uint32_t *end)
{
	memcpy((void *)(vm->ram_pa + off), start, (size_t)(end - start) * 4);
	dsb(ish);
	return vm->ram_ipa + off;
}

/* A vCPU at pc, EL1h, interrupts masked, MMU off. */
static void guest_ctx(struct vcpu_ctx *c, uint64_t pc, unsigned int vcpu)
{
	memset(c, 0, sizeof(*c));
	c->pc = pc;
	c->pstate = SPSR_EL1H | SPSR_DAIF_MASKED;
	c->el1.sctlr = SCTLR_EL1_RES1;
	c->vmpidr = 0x80000000UL | vcpu;
}

/*
 * Serve a TEE's stops as the run loop does: its console, and (counted in
 * *odd, the first one's IPA in *odd_ipa) any other MMIO, answered with
 * UM_FORGED; preemptions resumed. Until the TEE is done or refuses.
 */
static long serve(struct vm *tee, unsigned int vcpu, long r, struct ciee_mmio *m,
		  unsigned int *odd, uint64_t *odd_ipa)
{
	unsigned int guard;

	for (guard = 0; guard < 100000; guard++) {
		if (r == CIEE_EXIT_TEE_MMIO) {
			if ((m->ipa & ~0xfffUL) == PLAT_UART1_BASE)
				tee_mmio_seen.secure_uart++;
			if (m->ipa >= PLAT_GICD_BASE && m->ipa < PLAT_GICR_BASE + 0x1000000UL)
				tee_mmio_seen.gic++; /* never: the CIEE answers those */
			if ((m->ipa & ~0xfffUL) == TEE_UART_IPA) {
				tee_mmio_seen.test_uart++;
				m->value = vuart_access(&tee->vcpus[vcpu].uart, m->ipa & 0xfff,
							m->is_write, m->value);
			} else {
				if (odd && !(*odd)++)
					*odd_ipa = m->ipa;
				m->value = UM_FORGED;
			}
		} else if (r != CIEE_EXIT_TEE_PREEMPTED) {
			return r;
		}
		r = ciee_call(CIEE_CALL_TEE_RESUME, tee->id, (unsigned long)m, vcpu, 0, 0);
	}
	return r;
}

/* Per VM vCPU: the context of its call stub. */
static struct vcpu_ctx call_ctx[2][CIEE_MAX_VCPUS];

/* Run vm's vCPU from its call stub to the SMC (fid, a1, a2): true if it trapped there. */
static bool to_smc(struct vm *vm, unsigned int vcpu, uint64_t fid, uint64_t a1, uint64_t a2)
{
	struct vcpu_ctx *c = &call_ctx[vm == um_vm ? 0 : 1][vcpu];
	static const uint32_t stub[2] = { SMC_INSN, HVC_INSN };
	long r;

	guest_ctx(c, put_stub(vm, UM_STUB_CALL(vcpu), stub, stub + 2), vcpu);
	c->x[0] = fid;
	c->x[1] = a1;
	c->x[2] = a2;
	r = ciee_call(CIEE_CALL_VCPU_RUN, vm->id, (unsigned long)c, vcpu, 0, 0);
	return r == CIEE_EXIT_GUEST_TRAP && exit_ec(c) == EC_SMC64;
}

/* After the TEE answered: on to the hvc, where the reply is in x0..x3. */
static void take_reply(struct vm *vm, unsigned int vcpu, uint64_t *x0, uint64_t *x1)
{
	struct vcpu_ctx *c = &call_ctx[vm == um_vm ? 0 : 1][vcpu];

	c->pc += 4;
	ciee_call(CIEE_CALL_VCPU_RUN, vm->id, (unsigned long)c, vcpu, 0, 0);
	*x0 = c->x[0];
	*x1 = c->x[1];
}

/*
 * One fast call of um_vm's vCPU vcpu into um_tee, stops served by serve().
 * Returns the TEE_CALL's final result; the reply in *x0, *x1.
 */
static long um_call(unsigned int vcpu, uint64_t fid, uint64_t a1, uint64_t *x0, uint64_t *x1,
		    unsigned int *odd, uint64_t *odd_ipa)
{
	long r;

	*x0 = *x1 = ~0UL;
	if (!to_smc(um_vm, vcpu, fid, a1, 0))
		return CIEE_ERR_NO_CALL;
	r = ciee_call(CIEE_CALL_TEE_CALL, um_vm->id, vcpu, (unsigned long)&um_mmio, 0, 0);
	r = serve(um_tee, vcpu, r, &um_mmio, odd, odd_ipa);
	if (r == CIEE_EXIT_TEE_DONE)
		take_reply(um_vm, vcpu, x0, x1);
	return r;
}

/* What um_tee reads at one of its IPAs (TEST_PEEK); ~0 if it did not answer. */
static uint64_t tee_peek(uint64_t ipa)
{
	uint64_t x0, x1;

	if (um_call(1, VTZ_SMC_TEE_TEST_PEEK, ipa, &x0, &x1, NULL, NULL) != CIEE_EXIT_TEE_DONE ||
	    x0 != OPTEE_SMC_RETURN_OK)
		return ~0UL;
	return x1;
}

static void fill_secret(uint64_t pa)
{
	uint64_t *p = (uint64_t *)pa;
	unsigned int i;

	for (i = 0; i < UM_PAGE / 8; i++)
		p[i] = UM_PATTERN ^ i;
	dsb(ish);
}

/* ---- 1. a stage-2 alias outlives RECLAIM ----------------------------- */

/*
 * The VM gets a page at two IPAs; the hypervisor reclaims one of them and
 * gives the page (with a secret in it) to the TEE. Through the other IPA
 * the VM reads the TEE's secret and writes a mark the TEE then finds.
 */
static void attack_alias_after_reclaim(uint64_t pa)
{
	static struct vcpu_ctx c;
	long d, m1, m2, rc, rd, rm, r;
	uint64_t seen, got = 0;
	bool read_it, wrote_it;

	fill_secret(pa);
	d = ciee_call(CIEE_CALL_DONATE, um_vm->id, pa, UM_PAGE, 0, 0);
	m1 = d ? d : ciee_call(CIEE_CALL_S2_MAP, um_vm->id, UM_ALIAS_IPA, pa, UM_PAGE,
			       CIEE_MAP_R | CIEE_MAP_W);
	if (d || m1) {
		not_run("stage2-alias-outlives-reclaim", "could not give the VM a page");
		return;
	}
	m2 = ciee_call(CIEE_CALL_S2_MAP, um_vm->id, UM_ALIAS_IPA + UM_PAGE, pa, UM_PAGE,
		       CIEE_MAP_R | CIEE_MAP_W);
	if (m2 != CIEE_OK) {
		verdict("stage2-alias-outlives-reclaim", true, SMM_BY " refused the second "
			"stage-2 mapping of the page: %s (%ld)", ciee_strerror(m2), m2);
		return;
	}
	rc = ciee_call(CIEE_CALL_RECLAIM, um_vm->id, UM_ALIAS_IPA, UM_PAGE, 0, 0);
	if (rc != CIEE_OK) {
		verdict("stage2-alias-outlives-reclaim", true, SMM_BY " refused RECLAIM of one "
			"IPA while the other maps the page: %s (%ld)", ciee_strerror(rc), rc);
		return;
	}
	fill_secret(pa); /* the hypervisor's again: the TEE's secret, before it is the TEE's */
	rd = ciee_call(CIEE_CALL_DONATE, um_tee->id, pa, UM_PAGE, 0, 0);
	rm = rd ? rd : ciee_call(CIEE_CALL_S2_MAP, um_tee->id, UM_TEE_IPA_ALIAS, pa, UM_PAGE,
				 CIEE_MAP_R | CIEE_MAP_W);
	if (rd != CIEE_OK) {
		verdict("stage2-alias-outlives-reclaim", true, "RECLAIM left the alias at 0x%llx; "
			SMM_BY " refused to give the page to the TEE: %s (%ld)",
			(unsigned long long)(UM_ALIAS_IPA + UM_PAGE), ciee_strerror(rd), rd);
		return;
	}
	/* The VM, through the IPA that should be gone. */
	guest_ctx(&c, put_stub(um_vm, UM_STUB_ALIAS, um_stub_alias, um_stub_alias_end), 0);
	c.x[0] = UM_ALIAS_IPA + UM_PAGE;
	c.x[2] = UM_MARK;
	r = ciee_call(CIEE_CALL_VCPU_RUN, um_vm->id, (unsigned long)&c, 0, 0, 0);
	if (r == CIEE_EXIT_GUEST_TRAP && exit_ec(&c) == EC_HVC64)
		got = c.x[1];
	read_it = got == (UM_PATTERN ^ 5);
	seen = rm == CIEE_OK ? tee_peek(UM_TEE_IPA_ALIAS) : ~0UL;
	wrote_it = seen == UM_MARK;
	verdict("stage2-alias-outlives-reclaim", !read_it && !wrote_it,
		"RECLAIM of one of two IPAs and DONATE to %s accepted; through the other the "
		"VM (EC=0x%llx) read 0x%llx (%s) and wrote a mark the TEE %s (0x%llx)",
		um_tee->name, (unsigned long long)exit_ec(&c), (unsigned long long)got,
		read_it ? "the TEE's secret" : "no secret", wrote_it ? "reads" : "does not read",
		(unsigned long long)seen);
}

/* ---- 2. a vCPU context over the hypervisor's text ------------------ */

/* Run the x0 stub with the context at `at` (x0 in the text, the rest after it). */
static long run_ctx_over_text(uint64_t at, uint64_t x1)
{
	struct vcpu_ctx *c = (struct vcpu_ctx *)at;
	uint64_t ipa = put_stub(um_vm, UM_STUB_TEXT, um_stub_x0, um_stub_x0_end);

	/* Every field but x[0] lies after the text: ours to set. */
	memset(&c->x[1], 0, sizeof(*c) - 8);
	c->x[1] = x1;
	c->pc = ipa;
	c->pstate = SPSR_EL1H | SPSR_DAIF_MASKED;
	c->el1.sctlr = SCTLR_EL1_RES1;
	c->vmpidr = 0x80000000UL;
	dsb(ish);
	return ciee_call(CIEE_CALL_VCPU_RUN, um_vm->id, at, 0, 0, 0);
}

/*
 * VCPU_RUN with a context whose x[0] is the last word of the hypervisor's
 * text (padding, verified by the monitor's scan and mapped read-execute):
 * the CIEE, MMU off, stores the guest's x0 there at the exit. The guest's
 * x0 is `mov w0, #0x1234; ret`, which the hypervisor then calls.
 */
static void attack_ctx_over_text(void)
{
	static uint8_t saved[sizeof(struct vcpu_ctx)];
	uint64_t text = *(volatile uint64_t *)(PLAT_HYP_BASE + HYP_HDR_TEXT_SIZE_OFFSET);
	uint64_t end = PLAT_HYP_BASE + text, at = end - 8;
	uint64_t before = *(volatile uint64_t *)at, after, restored;
	uint32_t ran = 0;
	long r;

	if (before != 0) {
		not_run("vcpu-ctx-over-hyp-text", "the text's last word is not padding");
		return;
	}
	/* The rest of the context overlays .rodata: kept and put back. */
	memcpy(saved, (const void *)end, sizeof(saved) - 8);
	r = run_ctx_over_text(at, um_text_payload[0]);
	memcpy((void *)end, saved, sizeof(saved) - 8);
	dsb(ish);
	after = *(volatile uint64_t *)at;
	if (after == um_text_payload[0]) {
		/* Code the hypervisor made, in its verified text: run it. */
		__asm__ volatile("dc cvau, %0\n\tdsb ish\n\tic ivau, %0\n\tdsb ish\n\tisb"
				 : : "r"(at) : "memory");
		ran = ((uint32_t (*)(void))at)();
		/* Put the padding back the same way. */
		run_ctx_over_text(at, before);
		memcpy((void *)end, saved, sizeof(saved) - 8);
		dsb(ish);
	}
	restored = *(volatile uint64_t *)at;
	if (after == before)
		verdict("vcpu-ctx-over-hyp-text", true, "VCPU_RUN, context at 0x%llx (x0 = last "
			"word of verified text): %s (%ld); the text word stays 0x%llx",
			(unsigned long long)at, ciee_strerror(r), r, (unsigned long long)after);
	else
		verdict("vcpu-ctx-over-hyp-text", false, "VCPU_RUN, context at 0x%llx (x0 = last "
			"word of verified text): %s (%ld); the CIEE changed that word 0x%llx -> "
			"0x%llx%s, which ran and returned 0x%x; put back: 0x%llx",
			(unsigned long long)at, ciee_strerror(r), r, (unsigned long long)before,
			(unsigned long long)after,
			after == um_text_payload[0] ? " (mov w0, #0x1234; ret)" : "", ran,
			(unsigned long long)restored);
}

/* ---- 3. pointer arguments into a page just given to a TEE ---------- */

/*
 * A hypervisor page (after its image) with a secret in it goes to the TEE.
 * Then: a vCPU context that ends in it (its EL1 registers and exit fields
 * there: the guest reads three of them, the CIEE writes them back and the
 * exit syndrome into it), and a TEE call whose struct ciee_mmio is in it.
 * The TEE looks at its page afterwards.
 */
#define CTX_IN_TEE_OFF 272 /* x[], pc, pstate, el1.sctlr ours; the rest the TEE's */
#define MMIO_IN_TEE_OFF 0x400UL

static void attack_ptr_into_tee_page(void)
{
	uint64_t page = (((uint64_t)__hyp_end + UM_PAGE - 1) & ~(UM_PAGE - 1)) + UM_PAGE;
	struct vcpu_ctx *c = (struct vcpu_ctx *)(page - CTX_IN_TEE_OFF);
	uint64_t esr_off = __builtin_offsetof(struct vcpu_ctx, esr) - CTX_IN_TEE_OFF;
	uint64_t seen_esr, seen_mmio, x0, x1;
	unsigned int leaked = 0;
	bool esr_kept, mmio_kept;
	long d, r, rc;

	if (page + UM_PAGE > PLAT_CONSOLE_LOCK) {
		not_run("pointer-into-donated-tee-page", "no free page after the hypervisor");
		return;
	}
	fill_secret(page);
	d = ciee_call(CIEE_CALL_DONATE, um_tee->id, page, UM_PAGE, 0, 0);
	if (!d)
		d = ciee_call(CIEE_CALL_S2_MAP, um_tee->id, UM_TEE_IPA_DONATED, page, UM_PAGE,
			      CIEE_MAP_R | CIEE_MAP_W);
	if (d) {
		not_run("pointer-into-donated-tee-page", "could not give the TEE the page");
		return;
	}
	/* Only the part before the TEE's page is written here (the rest now faults). */
	memset(c, 0, CTX_IN_TEE_OFF);
	c->pc = put_stub(um_vm, UM_STUB_EL1, um_stub_el1, um_stub_el1_end);
	c->pstate = SPSR_EL1H | SPSR_DAIF_MASKED;
	c->el1.sctlr = SCTLR_EL1_RES1;
	dsb(ish);
	r = ciee_call(CIEE_CALL_VCPU_RUN, um_vm->id, (unsigned long)c, 0, 0, 0);
	/* tpidr_el1, tpidrro_el0, tpidr_el0: el1 fields 18, 17, 16, words 17, 16, 15 of the page. */
	leaked = (c->x[1] == (UM_PATTERN ^ 17)) + (c->x[2] == (UM_PATTERN ^ 16)) +
		 (c->x[3] == (UM_PATTERN ^ 15));
	seen_esr = tee_peek(UM_TEE_IPA_DONATED + esr_off);
	/* A call whose MMIO record is in the TEE's page: PING prints (a console stop). */
	rc = CIEE_ERR_NO_CALL;
	if (to_smc(um_vm, 3, VTZ_SMC_TEE_PING, 1, 2)) {
		rc = ciee_call(CIEE_CALL_TEE_CALL, um_vm->id, 3, page + MMIO_IN_TEE_OFF, 0, 0);
		/* Refused or not, the call is served from our own record from here on. */
		if (rc == CIEE_EXIT_TEE_MMIO) {
			um_mmio.value = 0; /* the stop the hypervisor cannot see: FR = 0 or a lost char */
			serve(um_tee, 3, ciee_call(CIEE_CALL_TEE_RESUME, um_tee->id,
						   (unsigned long)&um_mmio, 3, 0, 0),
			      &um_mmio, NULL, NULL);
		} else if (rc < 0) {
			serve(um_tee, 3, ciee_call(CIEE_CALL_TEE_CALL, um_vm->id, 3,
						   (unsigned long)&um_mmio, 0, 0),
			      &um_mmio, NULL, NULL);
		}
		take_reply(um_vm, 3, &x0, &x1);
	}
	seen_mmio = tee_peek(UM_TEE_IPA_DONATED + MMIO_IN_TEE_OFF);
	esr_kept = seen_esr == (UM_PATTERN ^ (esr_off / 8));
	mmio_kept = seen_mmio == (UM_PATTERN ^ (MMIO_IN_TEE_OFF / 8));
	verdict("pointer-into-donated-tee-page", !leaked && esr_kept && mmio_kept,
		"TEE page 0x%llx: VCPU_RUN, context ending in it: %ld, guest read %u of 3 TEE "
		"words as EL1 regs, TEE's word %llu %s 0x%llx; TEE_CALL, ciee_mmio in it: %ld, "
		"TEE's word %llu %s 0x%llx", (unsigned long long)page, r, leaked,
		(unsigned long long)(esr_off / 8), esr_kept ? "intact:" : "now",
		(unsigned long long)(esr_kept ? 0 : seen_esr), rc,
		(unsigned long long)(MMIO_IN_TEE_OFF / 8), mmio_kept ? "intact:" : "now",
		(unsigned long long)(mmio_kept ? 0 : seen_mmio));
}

/*
 * The measured-boot log (VTZ_SMC_MON_EVENT_LOG) is copied by the monitor
 * wherever the hypervisor says: into the TEE's page of the attack above
 * (still the TEE's), across the end of a page of its own into it, over
 * its own verified text, into CIEE data. Each must be refused with the
 * owner check's error and nothing written; a buffer of its own works.
 */
static uint64_t evlog_own[64] __attribute__((aligned(8)));

static void attack_evlog_into_tee_page(void)
{
	uint64_t page = (((uint64_t)__hyp_end + UM_PAGE - 1) & ~(UM_PAGE - 1)) + UM_PAGE;
	const struct {
		uint64_t buf;
		int64_t want;
	} tries[] = {
		{ page, -OWN_ERR_TEE_PAGE },
		{ page - 8, -OWN_ERR_TEE_PAGE },
		{ PLAT_HYP_BASE, -OWN_ERR_TEXT_PAGE },
		{ PLAT_CIEE_DATA_BASE, -OWN_ERR_CIEE_PAGE },
	};
	uint64_t text0 = *(volatile uint64_t *)PLAT_HYP_BASE, tee0;
	struct evlog_read r, own;
	unsigned int i, refused = 0;

	if (tee_peek(UM_TEE_IPA_DONATED) != UM_PATTERN) {
		not_run("event-log-into-tee-page", "the TEE page of pointer-into-donated-tee-page "
			"is gone");
		return;
	}
	for (i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		r = hyp_evlog_read(tries[i].buf, 16, 0);
		refused += r.ret == VTZ_MON_ERR_EVLOG_BUFFER && (int64_t)r.copied == tries[i].want;
	}
	tee0 = tee_peek(UM_TEE_IPA_DONATED);
	own = hyp_evlog_read((uint64_t)evlog_own, sizeof(evlog_own), 0);
	verdict("event-log-into-tee-page",
		refused == 4 && tee0 == UM_PATTERN && text0 == *(volatile uint64_t *)PLAT_HYP_BASE &&
			own.ret == 0 && own.copied == sizeof(evlog_own),
		"monitor ownership check: %u of 4 buffers refused with their owner's error (TEE "
		"page, across into it, own text, CIEE data); TEE's word %s; own buffer: %ld, %lu "
		"bytes", refused, tee0 == UM_PATTERN ? "intact" : "CHANGED", (long)own.ret,
		(unsigned long)own.copied);
}

/* ---- 4. a vCPU context rewritten while the CIEE runs it ------------ */

#define RACE_CALLS 4000
#define RACE_WAIT_S 20

static struct vcpu_ctx race_ctx __attribute__((aligned(64)));
static struct ciee_mmio race_mmio;
static volatile uint64_t race_go, race_done;
static volatile long race_result;
static volatile uint64_t race_calls;

static uint64_t now(void)
{
	return read_sysreg(cntpct_el0);
}

static uint64_t seconds(unsigned int s)
{
	return read_sysreg(cntfrq_el0) * s;
}

/*
 * The race CPU: VCPU_RUN of um_vm's vCPU 2 with fast TEE calls, the CIEE
 * re-entering the guest after each. If the CIEE ERETs to EL2 on our
 * words, um_el2_payload parks this CPU and this never returns.
 */
void um_race_secondary(void)
{
	unsigned int guard;
	long r;

	while (!__atomic_load_n(&race_go, __ATOMIC_ACQUIRE))
		wfe();
	r = ciee_call(CIEE_CALL_VCPU_RUN, um_vm->id, (unsigned long)&race_ctx, 2,
		      (unsigned long)&race_mmio, 0);
	for (guard = 0; guard < 1000; guard++) {
		if (r == CIEE_EXIT_TEE_MMIO || r == CIEE_EXIT_TEE_PREEMPTED)
			r = serve(um_tee, 2, r, &race_mmio, NULL, NULL);
		else if (r == CIEE_EXIT_GUEST_IRQ)
			r = CIEE_EXIT_TEE_DONE;
		else
			break;
		/* The call is over (or the interrupt taken): on with the guest's loop. */
		r = ciee_call(CIEE_CALL_VCPU_RUN, um_vm->id, (unsigned long)&race_ctx, 2,
			      (unsigned long)&race_mmio, 0);
	}
	race_result = r;
	__atomic_store_n(&race_done, 1, __ATOMIC_RELEASE);
	sev();
}

/*
 * cpu4 runs a guest whose loop makes fast TEE calls; once it runs, cpu0
 * keeps writing pc = um_el2_payload and pstate = EL2h into the context
 * cpu4 passed. The guest's loop sits at the IPA equal to um_el2_payload
 * (see untrusted_mem_asm.S), so any mix of its values and ours is code.
 * Succeeded if the payload ran at EL2 and reported.
 */
static void attack_race_vcpu_ctx(const struct fdt_info *info)
{
	uint64_t payload = (uint64_t)um_el2_payload, off = payload - um_vm->ram_ipa;
	volatile uint64_t *counter = (volatile uint64_t *)(um_vm->ram_pa + UM_RACE_COUNTER);
	volatile struct vcpu_ctx *c = &race_ctx;
	unsigned long writes = 0;
	uint64_t deadline;
	int64_t r;

	if (info->n_cpus <= UM_RACE_CPU + (config_has_linux() ? 1 : 0)) {
		not_run("rewrite-vcpu-ctx-during-run", "needs a free cpu4 (-smp 5, 6 with Linux)");
		return;
	}
	if (off >= um_vm->ram_size - UM_PAGE) {
		not_run("rewrite-vcpu-ctx-during-run", "payload IPA outside the VM's RAM");
		return;
	}
	put_stub(um_vm, off, um_stub_race, um_stub_race_end);
	*counter = 0;
	guest_ctx(&race_ctx, payload, 2);
	race_ctx.x[6] = um_vm->ram_ipa + UM_RACE_COUNTER;
	race_ctx.x[7] = RACE_CALLS;
	dsb(ish);
	r = (int64_t)hyp_smc(PSCI_CPU_ON_AARCH64, info->cpu_mpidr[UM_RACE_CPU], PLAT_HYP_BASE + 4,
			     CTX_UM_RACE);
	if (r != PSCI_RET_SUCCESS) {
		not_run("rewrite-vcpu-ctx-during-run", "cpu4 did not start");
		return;
	}
	__atomic_store_n(&race_go, 1, __ATOMIC_RELEASE);
	sev();
	/* Only once the CIEE has checked the context and the guest calls. */
	deadline = now() + seconds(RACE_WAIT_S);
	while (*counter == 0 && !race_done && !um_el2_report[0] && now() < deadline)
		__asm__ volatile("yield");
	while (!race_done && !um_el2_report[0] && now() < deadline) {
		c->pstate = SPSR_EL2H | SPSR_DAIF_MASKED;
		c->pc = payload;
		writes++;
	}
	race_calls = *counter;
	if (um_el2_report[0])
		verdict("rewrite-vcpu-ctx-during-run", false,
			"after %llu fast calls and %lu rewrites of pc/pstate by cpu0, cpu%llu ran "
			"hypervisor code at 0x%llx at EL%llu, SCTLR_EL2=0x%llx (MMU %s: CIEE "
			"mode); it reported and parked",
			(unsigned long long)race_calls, writes,
			(unsigned long long)(um_el2_report[3] & 0xff), (unsigned long long)payload,
			(unsigned long long)((um_el2_report[2] >> 2) & 3),
			(unsigned long long)um_el2_report[1], um_el2_report[1] & 1 ? "on" : "off");
	else if (race_done)
		verdict("rewrite-vcpu-ctx-during-run", true,
			"%llu fast calls while cpu0 rewrote pc/pstate %lu times: the guest "
			"ran on and VCPU_RUN ended with %s (%ld), never at EL2",
			(unsigned long long)race_calls, writes, ciee_strerror(race_result),
			race_result);
	else
		not_run("rewrite-vcpu-ctx-during-run", "cpu4 neither returned nor reported in time");
}

/* ---- 5. the TEE's own page in its normal-world window -------------- */

static void attack_tee_page_in_ns_window(void)
{
	long u, m, back;

	u = ciee_call(CIEE_CALL_S2_UNMAP, um_tee->id, UM_NS_WINDOW_PAGE, UM_NS_WINDOW_BLOCK, 0, 0);
	if (u != CIEE_OK) {
		not_run("tee-page-in-own-ns-window", "could not unmap a block of the VM window");
		return;
	}
	/* The first page of the TEE's image, where its VM's page was. */
	m = ciee_call(CIEE_CALL_S2_MAP, um_tee->id, UM_NS_WINDOW_PAGE, um_tee->ram_pa, UM_PAGE,
		      CIEE_MAP_R | CIEE_MAP_W);
	if (m == CIEE_OK)
		ciee_call(CIEE_CALL_S2_UNMAP, um_tee->id, UM_NS_WINDOW_PAGE, UM_PAGE, 0, 0);
	back = ciee_call(CIEE_CALL_S2_MAP, um_tee->id, UM_NS_WINDOW_PAGE,
			 um_vm->ram_pa + (UM_NS_WINDOW_PAGE - um_vm->ram_ipa), UM_NS_WINDOW_BLOCK,
			 CIEE_MAP_R | CIEE_MAP_W);
	verdict("tee-page-in-own-ns-window", m != CIEE_OK,
		"%s's NS-window IPA 0x%llx unmapped, S2_MAP of its own page 0x%llx there: "
		"%s (%ld)%s; VM pages back: %s", um_tee->name,
		(unsigned long long)UM_NS_WINDOW_PAGE, (unsigned long long)um_tee->ram_pa,
		ciee_strerror(m), m,
		m == CIEE_OK ? ": what its VM has it read or write there is the TEE's image" : "",
		ciee_strerror(back));
}

/* ---- the gate entered with SPSel = 0 -------------------------------- */

/*
 * The hypervisor calls VCPU_RUN with SPSel = 0. Before the gate forced
 * SPSel = 1, the CIEE's stack switch moved SP_EL0 and its guest entry
 * (msr sp_el0, UNDEFINED with SPSel = 0) took an exception in CIEE mode:
 * the machine went down. Now the call must simply work: the guest runs to
 * its SMC, the CPU comes back, and a second call with SPSel = 1 works too.
 */
static void attack_gate_spsel0(void)
{
	struct vcpu_ctx *c = &call_ctx[0][0];
	static const uint32_t stub[2] = { SMC_INSN, HVC_INSN };
	long r, again;

	guest_ctx(c, put_stub(um_vm, UM_STUB_CALL(0), stub, stub + 2), 0);
	c->x[0] = SMCCC_VERSION;
	r = um_gate_spsel0(CIEE_CALL_VCPU_RUN, um_vm->id, (unsigned long)c, 0, 0,
			   PLAT_CIEE_BASE + CIEE_GATE_OFFSET);
	again = ciee_call(CIEE_CALL_CPU_STATUS, 0, 0, 0, 0, 0);
	verdict("gate-with-spsel0", r == CIEE_EXIT_GUEST_TRAP && exit_ec(c) == EC_SMC64 &&
					    again == CIEE_CPU_OK,
		"VCPU_RUN called with SPSel=0: %ld (guest exit EC=0x%llx), the CPU came back; "
		"CPU_STATUS after: %ld", r, (unsigned long long)exit_ec(c), again);
}

/* ---- a TEE's page replaced after its measurement ------------------- */

/* A page of tee4's RAM it does not use, apart from attack 7's. */
#define UM_TEE_SWAP_IPA (TEE_RAM_IPA + TEE_RAM_SIZE - 2 * UM_PAGE)

/*
 * After TEE_BOOT measured the TEE, the hypervisor unmaps one of the TEE's
 * own pages and maps, at the same IPA, a page it wrote itself and then
 * donated to the TEE (so ownership alone is satisfied). Had it been code,
 * the TEE would run the hypervisor's instructions under its own identity
 * and key; as data, the TEE reads the hypervisor's words as its own
 * memory. The effect looked for: the TEE reads the hypervisor's pattern.
 */
static void attack_replace_tee_page(void)
{
	uint64_t page = mem_alloc(UM_PAGE), seen = ~0UL;
	long u, d = -1, m = -1;

	if (!page) {
		not_run("replace-tee-page-after-measure", "no page to donate");
		return;
	}
	fill_secret(page);
	u = ciee_call(CIEE_CALL_S2_UNMAP, um_tee->id, UM_TEE_SWAP_IPA, UM_PAGE, 0, 0);
	if (u != CIEE_OK) {
		not_run("replace-tee-page-after-measure", "could not unmap the TEE's page");
		return;
	}
	d = ciee_call(CIEE_CALL_DONATE, um_tee->id, page, UM_PAGE, 0, 0);
	if (d == CIEE_OK)
		m = ciee_call(CIEE_CALL_S2_MAP, um_tee->id, UM_TEE_SWAP_IPA, page, UM_PAGE,
			      CIEE_MAP_R | CIEE_MAP_W | CIEE_MAP_X);
	if (m == CIEE_OK)
		seen = tee_peek(UM_TEE_SWAP_IPA);
	verdict("replace-tee-page-after-measure", m != CIEE_OK && seen != UM_PATTERN,
		"%s's page 0x%llx unmapped (%ld), ours donated (%ld), S2_MAP there: %s (%ld); "
		"the TEE read 0x%llx", um_tee->name, (unsigned long long)UM_TEE_SWAP_IPA, u, d,
		ciee_strerror(m), m, (unsigned long long)seen);
}

/* ---- 7. an abort on the TEE's own RAM served as MMIO --------------- */

static void attack_tee_ram_as_mmio(void)
{
	uint64_t pa = um_tee->ram_pa + (UM_TEE_SPARE_IPA - um_tee->ram_ipa), x0, x1;
	uint64_t odd_ipa = 0;
	unsigned int odd = 0;
	long u, r, back;

	u = ciee_call(CIEE_CALL_S2_UNMAP, um_tee->id, UM_TEE_SPARE_IPA, UM_PAGE, 0, 0);
	if (u != CIEE_OK) {
		verdict("tee-own-ram-abort-as-mmio", true, SMM_BY " refused S2_UNMAP of the "
			"TEE's own page: %s (%ld)", ciee_strerror(u), u);
		return;
	}
	/* The TEE reads its own page (TEST_PEEK): a stage-2 abort. */
	r = um_call(1, VTZ_SMC_TEE_TEST_PEEK, UM_TEE_SPARE_IPA, &x0, &x1, &odd, &odd_ipa);
	back = ciee_call(CIEE_CALL_S2_MAP, um_tee->id, UM_TEE_SPARE_IPA, pa, UM_PAGE,
			 CIEE_MAP_R | CIEE_MAP_W | CIEE_MAP_X);
	verdict("tee-own-ram-abort-as-mmio", odd == 0 && x1 != UM_FORGED,
		"%s's own page 0x%llx unmapped: its read of it came to the hypervisor as "
		"MMIO %u time(s) (IPA 0x%llx); call: %s; the TEE read 0x%llx (%s); mapped "
		"back: %ld", um_tee->name, (unsigned long long)UM_TEE_SPARE_IPA, odd,
		(unsigned long long)odd_ipa, ciee_strerror(r), (unsigned long long)x1,
		x1 == UM_FORGED ? "the hypervisor's answer" : "not ours", back);
}

/* ---- 6. TEE vCPU lifecycle events in orders not planned for -------- */

/*
 * tee5 has vCPU 0 booted, vCPU 1 never. Its reset stops at its console
 * (vCPU 0 RESETTING); meanwhile vCPU 1 is booted (a), then a call on it is
 * preempted; the reset completes; then TEE_RESUME of vCPU 1, which the
 * reset's end marked idle (b).
 */
static void attack_tee_console_name(struct vm *vm);

static void attack_tee_lifecycle(struct vm *vm, struct vm *tee)
{
	attack_tee_console_name(vm);
	static struct ciee_mmio m0, m1;
	static struct ciee_tee_boot_cfg cfg;
	long b, boot, reset, call = CIEE_ERR_NO_CALL, done, late, late_end = CIEE_OK;
	uint64_t x0, x1;

	cfg.ns_size = vm->ram_size;
	memcpy(cfg.name, tee->name, strnlen(tee->name, sizeof(cfg.name) - 1));
	b = ciee_call(CIEE_CALL_TEE_BOOT, tee->id, (unsigned long)&m0, VTZ_TEE_ENTRY_IPA, 0,
		      (unsigned long)&cfg);
	if (serve(tee, 0, b, &m0, NULL, NULL) != CIEE_OK) {
		not_run("boot-tee-vcpu-during-reset", "tee5 vCPU 0 did not boot");
		not_run("resume-idle-tee-vcpu-after-reset", "tee5 vCPU 0 did not boot");
		return;
	}
	reset = ciee_call(CIEE_CALL_TEE_RESET, tee->id, (unsigned long)&m0, 0, 0, 0);
	if (reset != CIEE_EXIT_TEE_MMIO) {
		not_run("boot-tee-vcpu-during-reset", "the reset did not stop at the console");
		not_run("resume-idle-tee-vcpu-after-reset", "the reset did not stop at the console");
		return;
	}
	/* (a) vCPU 1 while vCPU 0 is RESETTING. */
	boot = ciee_call(CIEE_CALL_TEE_BOOT, tee->id, (unsigned long)&m1, VTZ_TEE_ENTRY_IPA, 1, 0);
	b = serve(tee, 1, boot, &m1, NULL, NULL);
	verdict("boot-tee-vcpu-during-reset", boot < 0,
		"TEE_BOOT of never-started vCPU 1 while vCPU 0 resets: %s (%ld)%s",
		ciee_strerror(boot), boot,
		boot < 0 ? "" : b == CIEE_OK ? ", it ran its cpu_on handshake to ON_DONE"
					     : ", it ran");
	/* A call on it, preempted by a tick due at once. */
	if (to_smc(vm, 1, VTZ_SMC_TEE_PING, 3, 4)) {
		write_sysreg(cnthp_tval_el2, 0);
		write_sysreg(cnthp_ctl_el2, 1);
		isb();
		call = ciee_call(CIEE_CALL_TEE_CALL, vm->id, 1, (unsigned long)&m1, 0, 0);
		write_sysreg(cnthp_ctl_el2, 0);
		isb();
	}
	/* The reset completes. */
	m0.value = vuart_access(&tee->vcpus[0].uart, m0.ipa & 0xfff, m0.is_write, m0.value);
	done = serve(tee, 0, ciee_call(CIEE_CALL_TEE_RESUME, tee->id, (unsigned long)&m0, 0, 0, 0),
		     &m0, NULL, NULL);
	/* (b) vCPU 1 is idle now: a resume must not enter it. */
	late = ciee_call(CIEE_CALL_TEE_RESUME, tee->id, (unsigned long)&m1, 1, 0, 0);
	if (late >= 0)
		late_end = serve(tee, 1, late, &m1, NULL, NULL);
	if (late_end == CIEE_EXIT_TEE_DONE)
		take_reply(vm, 1, &x0, &x1);
	verdict("resume-idle-tee-vcpu-after-reset", late < 0,
		"call on vCPU 1 during the reset: %ld; reset's end: %ld; TEE_RESUME of idle "
		"vCPU 1 afterwards: %s (%ld)%s%s", call, done, ciee_strerror(late), late,
		late < 0 ? "" : ": the TEE ran on in a discarded call, then: ",
		late < 0 ? "" : ciee_strerror(late_end));
}

/*
 * tee4's RAM held UM_FORGED in every word when we donated it. Past its
 * image (its last pages, and a word in the middle of its heap's reach),
 * what does it read at its first calls?
 */
static void attack_tee_ram_garbage(void)
{
	static const uint64_t ipas[] = { VTZ_TEE_ENTRY_IPA + 0x400000UL,
					 VTZ_TEE_ENTRY_IPA + 0x00efd000UL };
	unsigned int i, forged = 0, zero = 0;
	uint64_t v = 0;

	for (i = 0; i < sizeof(ipas) / sizeof(ipas[0]); i++) {
		v = tee_peek(ipas[i]);
		forged += v == UM_FORGED;
		zero += v == 0;
	}
	verdict("garbage-in-tee-ram-before-boot", !forged && zero == i,
		"tee4's RAM donated full of 0x%llx: at its first calls it read %u of %u words "
		"past its image as ours, %u as zero (last 0x%llx)",
		(unsigned long long)UM_FORGED, forged, i, zero, (unsigned long long)v);
}

/*
 * A TEE whose console would carry the monitor's name: TEE_BOOT with the
 * name "mon", and with a name that is a line of its own.
 */
static void attack_tee_console_name(struct vm *vm)
{
	static struct ciee_mmio m;
	static struct ciee_tee_boot_cfg cfg;
	static const char names[2][8] = { "mon", "x\n[mon]" };
	long r[2];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		memset(&cfg, 0, sizeof(cfg));
		cfg.ns_size = vm->ram_size;
		memcpy(cfg.name, names[i], sizeof(cfg.name));
		r[i] = ciee_call(CIEE_CALL_TEE_BOOT, vm->partner->id, (unsigned long)&m,
				 VTZ_TEE_ENTRY_IPA, 0, (unsigned long)&cfg);
	}
	verdict("forge-tee-console-name", r[0] == CIEE_ERR_BAD_TEE_CFG &&
		r[1] == CIEE_ERR_BAD_TEE_CFG, "TEE_BOOT of tee5 named \"mon\": %s (%ld); "
		"named with a newline: %s (%ld)", ciee_strerror(r[0]), r[0], ciee_strerror(r[1]),
		r[1]);
}

/* ---- interrupts a TEE raises (issue 10) ------------------------------ */

#define UM_IRQ_NS 100	  /* an SPI tee4 raises non-secure: for vm4 only */
#define UM_IRQ_SECURE 101 /* one it keeps secure: for no normal world */

/*
 * tee4 raises intid (secure or not) in a fast call from vm4's vCPU 1; at
 * each CIEE_EXIT_TEE_RAISED we, the hypervisor, ask TEE_IRQ_TAKE for
 * other (another VM, whose TEE did not raise it) first, then for vm4.
 * Counts what each take gave; returns the call's end.
 */
static long um_raise(uint64_t intid, bool secure, struct vm *other, unsigned int *raised,
		     long *to_other, long *to_own)
{
	unsigned int guard;
	long r, t;

	*raised = 0;
	*to_other = *to_own = 0;
	if (!to_smc(um_vm, 1, VTZ_SMC_TEE_TEST_RAISE, intid, secure))
		return CIEE_ERR_NO_CALL;
	r = ciee_call(CIEE_CALL_TEE_CALL, um_vm->id, 1, (unsigned long)&um_mmio, 0, 0);
	for (guard = 0; guard < 1000 && r == CIEE_EXIT_TEE_RAISED; guard++) {
		(*raised)++;
		t = ciee_call(CIEE_CALL_TEE_IRQ_TAKE, other->id, 0, 0, 0, 0);
		if (t > 0 || !*to_other)
			*to_other = t;
		t = ciee_call(CIEE_CALL_TEE_IRQ_TAKE, um_vm->id, 0, 0, 0, 0);
		if (t > 0 || !*to_own)
			*to_own = t;
		r = ciee_call(CIEE_CALL_TEE_RESUME, um_tee->id, (unsigned long)&um_mmio, 1, 0, 0);
		r = serve(um_tee, 1, r, &um_mmio, NULL, NULL);
	}
	/* The secure one may still sit in tee4's view: ask for vm4 once more. */
	t = ciee_call(CIEE_CALL_TEE_IRQ_TAKE, um_vm->id, 0, 0, 0, 0);
	if (t > 0)
		*to_own = t;
	if (r == CIEE_EXIT_TEE_DONE) {
		uint64_t x0, x1;

		take_reply(um_vm, 1, &x0, &x1);
	}
	return r;
}

/*
 * A TEE's interrupts reach only its own VM, and only those it keeps
 * non-secure. vm0 (the attack's first VM, with its own tee0) tries to get
 * the SPI tee4 raised for vm4; and the SPI tee4 keeps secure is asked
 * for as vm4's. The hypervisor could inject anything into any VM anyway:
 * what it must not get is a TEE's say-so for another VM, nor any sight of
 * a TEE's secure interrupts.
 */
static void attack_tee_irqs(struct vm *vm0)
{
	unsigned long gic_stops;
	unsigned int raised;
	long r, other, own, tee_id;

	gic_stops = tee_mmio_seen.gic;
	r = um_raise(UM_IRQ_NS, false, vm0, &raised, &other, &own);
	tee_id = ciee_call(CIEE_CALL_TEE_IRQ_TAKE, um_tee->id, 0, 0, 0, 0);
	verdict("tee-irq-into-other-vm", r == CIEE_EXIT_TEE_DONE && raised == 1 &&
		other == 0 && own == UM_IRQ_NS && tee_id == CIEE_ERR_BAD_KIND,
		"tee4 raised SPI %u: the call %s, %u raise stop(s); TEE_IRQ_TAKE for vm0 gave "
		"%ld, for vm4 %ld, for tee4 itself %s", UM_IRQ_NS, ciee_strerror(r), raised,
		other, own, ciee_strerror(tee_id));
	r = um_raise(UM_IRQ_SECURE, true, vm0, &raised, &other, &own);
	verdict("take-tee-secure-irq", r == CIEE_EXIT_TEE_DONE && raised == 0 && other == 0 &&
		own == 0 && tee_mmio_seen.gic == gic_stops,
		"tee4 raised SPI %u, secure: the call %s, %u raise stop(s); TEE_IRQ_TAKE for vm4 "
		"gave %ld, for vm0 %ld; GIC accesses the CIEE left to us: %lu", UM_IRQ_SECURE,
		ciee_strerror(r), raised, own, other, tee_mmio_seen.gic - gic_stops);
}

/*
 * A TEE's interrupts are the CIEE's to signal (docs/security.md, "Secure
 * interrupts and console input"): we, the hypervisor, fill every list
 * register of the GIC's virtual CPU interface with a pending group 1
 * interrupt of the highest priority (INTIDs 40..43: tee4's console and
 * its neighbours), open the priority mask and turn the interface on, then
 * have tee4 acknowledge whatever its CPU interface offers, in a call
 * through TEE_CALL (every run but the fast call's switches in the TEE's
 * own interface) and in the fast call of VCPU_RUN (the interface is off).
 * Blocked only if tee4 gets nothing (1023) both times.
 */
#define ICH_HCR_EL2 S3_4_C12_C11_0
#define ICH_VMCR_EL2 S3_4_C12_C11_7
static void forge_list_registers(void)
{
	const uint64_t lr = (1ULL << 62) | (1ULL << 60); /* pending, group 1, priority 0 */

	write_sysreg(S3_4_C12_C12_0, lr | 40);
	write_sysreg(S3_4_C12_C12_1, lr | 41);
	write_sysreg(S3_4_C12_C12_2, lr | 42);
	write_sysreg(S3_4_C12_C12_3, lr | 43);
	write_sysreg(ICH_VMCR_EL2, (0xffULL << 24) | 0x3);
	write_sysreg(ICH_HCR_EL2, 1);
	isb();
}

static void attack_forge_tee_interrupt(void)
{
	uint64_t slow = ~0UL, fast = ~0UL, x0 = ~0UL;
	struct vcpu_ctx *c = &call_ctx[0][1];
	static const uint32_t stub[2] = { SMC_INSN, HVC_INSN };
	long r1, r2;

	forge_list_registers();
	r1 = um_call(1, VTZ_SMC_TEE_TEST_ACK, 0, &x0, &slow, NULL, NULL);
	forge_list_registers();
	guest_ctx(c, put_stub(um_vm, UM_STUB_CALL(1), stub, stub + 2), 1);
	c->x[0] = VTZ_SMC_TEE_TEST_ACK;
	r2 = ciee_call(CIEE_CALL_VCPU_RUN, um_vm->id, (unsigned long)c, 1, (unsigned long)&um_mmio,
		       0);
	if (r2 == CIEE_EXIT_GUEST_TRAP && exit_ec(c) == EC_HVC64)
		fast = c->x[1];
	write_sysreg(ICH_HCR_EL2, 0);
	write_sysreg(S3_4_C12_C12_0, 0);
	write_sysreg(S3_4_C12_C12_1, 0);
	write_sysreg(S3_4_C12_C12_2, 0);
	write_sysreg(S3_4_C12_C12_3, 0);
	isb();
	verdict("forge-tee-interrupt", r1 == CIEE_EXIT_TEE_DONE && slow == 1023 && fast == 1023,
		"our four list registers pending for tee4: in a call through TEE_CALL it "
		"acknowledged %lu (the call %s), in the fast call %lu (VCPU_RUN %s)",
		(unsigned long)slow, ciee_strerror(r1), (unsigned long)fast, ciee_strerror(r2));
}

/*
 * Around the CIEE's view: the real distributor mapped into tee4 where its
 * GIC is (its writes would reach the real GIC, its reads of which
 * interrupts are secure would be ours), or another device there. Then
 * whether a raise still goes through the CIEE.
 */
static void attack_map_gic_into_tee(struct vm *vm0)
{
	long real, other, r, own, dummy;
	unsigned int raised;

	real = ciee_call(CIEE_CALL_S2_MAP, um_tee->id, PLAT_GICD_BASE, PLAT_GICD_BASE, UM_PAGE,
			 CIEE_MAP_R | CIEE_MAP_W | CIEE_MAP_DEVICE);
	other = ciee_call(CIEE_CALL_S2_MAP, um_tee->id, PLAT_GICD_BASE + UM_PAGE, PLAT_UART0_BASE,
			  UM_PAGE, CIEE_MAP_R | CIEE_MAP_W | CIEE_MAP_DEVICE);
	r = um_raise(UM_IRQ_NS, false, vm0, &raised, &dummy, &own);
	if (real == CIEE_OK)
		(void)ciee_call(CIEE_CALL_S2_UNMAP, um_tee->id, PLAT_GICD_BASE, UM_PAGE, 0, 0);
	if (other == CIEE_OK)
		(void)ciee_call(CIEE_CALL_S2_UNMAP, um_tee->id, PLAT_GICD_BASE + UM_PAGE, UM_PAGE, 0,
				0);
	verdict("map-gic-into-tee", real == CIEE_ERR_TEE_GIC && other == CIEE_ERR_TEE_GIC &&
		r == CIEE_EXIT_TEE_DONE && raised == 1 && own == UM_IRQ_NS,
		"S2_MAP into tee4 at its GIC of the real distributor: %ld, of UART0: %ld; then "
		"tee4 raised SPI %u through the CIEE %u time(s) (taken: %ld)", real, other,
		UM_IRQ_NS, raised, own);
}

/* ---- the sequence --------------------------------------------------- */

void um_attacks_run(struct vm *vm0, const struct fdt_info *info)
{
	struct vm *vm5, *tee5;
	uint64_t chunk;

	con_printf("attack suite: the CIEE's trust in hypervisor memory and event order\n");
	um_vm = vm_create("vm4", GUEST_RAM_SIZE, 4, 0, 0);
	/* tee4's RAM full of our words, not zeros, when we donate it. */
	tee_ram_fill = UM_FORGED;
	um_tee = um_vm ? vm_create_tee(um_vm, "tee4", PLAT_TEE_IMAGE_BASE, PLAT_TEE_IMAGE_MAX)
		       : NULL;
	tee_ram_fill = 0;
	chunk = mem_alloc(UM_PAGE);
	if (!um_tee || vm_boot_tee(um_tee) || !chunk) {
		not_run("garbage-in-tee-ram-before-boot", "could not create vm4/tee4");
		not_run("stage2-alias-outlives-reclaim", "could not create vm4/tee4");
		not_run("vcpu-ctx-over-hyp-text", "could not create vm4/tee4");
		not_run("pointer-into-donated-tee-page", "could not create vm4/tee4");
		not_run("event-log-into-tee-page", "could not create vm4/tee4");
		not_run("rewrite-vcpu-ctx-during-run", "could not create vm4/tee4");
		not_run("tee-page-in-own-ns-window", "could not create vm4/tee4");
		not_run("tee-own-ram-abort-as-mmio", "could not create vm4/tee4");
		not_run("tee-irq-into-other-vm", "could not create vm4/tee4");
		not_run("take-tee-secure-irq", "could not create vm4/tee4");
		not_run("map-gic-into-tee", "could not create vm4/tee4");
	} else {
		attack_tee_ram_garbage();
		attack_alias_after_reclaim(chunk);
		attack_ctx_over_text();
		attack_ptr_into_tee_page();
		attack_evlog_into_tee_page();
		attack_tee_page_in_ns_window();
		attack_gate_spsel0();
		attack_replace_tee_page();
		attack_race_vcpu_ctx(info);
		attack_tee_irqs(vm0);
		attack_forge_tee_interrupt();
		attack_map_gic_into_tee(vm0);
		/* Last on tee4: a defence may stop the TEE. */
		attack_tee_ram_as_mmio();
	}
	vm5 = vm_create("vm5", GUEST_RAM_SIZE, 2, 0, 0);
	tee5 = vm5 ? vm_create_tee(vm5, "tee5", PLAT_TEE_IMAGE_BASE, PLAT_TEE_IMAGE_MAX) : NULL;
	if (!tee5) {
		not_run("boot-tee-vcpu-during-reset", "could not create vm5/tee5");
		not_run("resume-idle-tee-vcpu-after-reset", "could not create vm5/tee5");
		return;
	}
	attack_tee_lifecycle(vm5, tee5);
	verdict("read-tee-console", tee_mmio_seen.secure_uart == 0 && tee_mmio_seen.test_uart > 0,
		"the TEEs logged %lu characters (each announced by a read of UART0 we served); "
		"of their secure-UART accesses we saw %lu", tee_mmio_seen.test_uart,
		tee_mmio_seen.secure_uart);
}
