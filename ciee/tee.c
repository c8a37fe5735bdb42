/* SPDX-License-Identifier: MIT */
/*
 * Secure world switching: the CIEE plays TF-A's opteed dispatcher for each
 * guest TEE. A TEE has one vCPU per vCPU of its VM. vCPU 0 is entered
 * first at its image entry, once, until it answers ENTRY_DONE with its
 * vector table; every other vCPU first at that table's cpu_on slot, until
 * ON_DONE. After that a TEE vCPU is entered only (b) at a slot of that
 * table for a call from the VM vCPU with the same index, or (c) resumed
 * exactly where it stopped for an MMIO access or an interrupt. Its
 * registers stay in CIEE memory.
 */
#include <string.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <vtz/monitor_abi.h>
#include <vtz/optee_abi.h>
#include <vtz/platform.h>

#include "ciee.h"

/*
 * A CIEE-only monitor service (include/vtz/monitor_abi.h): x1..x4 in,
 * x0 = status and x1..x4 out. Called in CIEE mode with interrupts masked,
 * which is how the monitor knows the caller is the CIEE. The CIEE does no
 * cryptography itself: hashing and key derivation stay in the monitor.
 */
static int64_t monitor_call(uint32_t fid, uint64_t r[4])
{
	/* ciee/monitor_call.h; declared here until tee.c includes it. */
	int64_t ciee_monitor_smc(uint32_t fid, uint64_t r[4]);

	return ciee_monitor_smc(fid, r);
}

/*
 * Before its first entry: have the monitor measure the TEE's image. The
 * image is the bytes its header names from the entry IPA; every page of
 * it must be mapped executable in the TEE's stage 2 (so owned by the TEE:
 * its VM's pages are never executable there, and the hypervisor lost
 * access when it donated them) and physically contiguous, so the monitor
 * can hash one PA range. Nothing has run in the TEE yet.
 */
static long tee_measure(struct ciee_vm *tee_vm, struct pt *s2, uint64_t entry, uint64_t pa0)
{
	const volatile uint64_t *hdr = phys_to_virt(pa0);
	struct ciee_tee *t = &tee_vm->tee;
	uint64_t size, off, pa, desc, r[4];

	if (pa0 % 4096 || hdr[TEE_HDR_MAGIC_OFFSET / 8] != TEE_IMAGE_MAGIC)
		return CIEE_ERR_BAD_ENTRY;
	size = hdr[TEE_HDR_SIZE_OFFSET / 8];
	if (size < TEE_HDR_END || size > TEE_IMAGE_MAX)
		return CIEE_ERR_BAD_ENTRY;
	for (off = 0; off < size; off += 4096) {
		if (pt_lookup(s2, entry + off, &pa, &desc) || pa != pa0 + off || (desc & PTE_XN))
			return CIEE_ERR_BAD_ENTRY;
	}
	r[0] = pa0;
	r[1] = size;
	r[2] = r[3] = 0;
	if (monitor_call(VTZ_SMC_MON_TEE_MEASURE, r))
		return CIEE_ERR_BAD_ENTRY;
	memcpy(t->measurement, r, sizeof(t->measurement));
	return CIEE_OK;
}

/*
 * VTZ_SMC_TEE_GET_KEY inside a call: the monitor derives the key from
 * the measurement recorded at boot (never from anything the TEE or the
 * hypervisor says); it goes into the TEE's saved x1..x4, in CIEE memory.
 */
static long tee_serve_key(const struct ciee_tee *t, struct ciee_tee_vcpu *tv)
{
	uint64_t r[4];
	volatile uint64_t *v = r;
	unsigned int i;

	memcpy(r, t->measurement, sizeof(r));
	if (monitor_call(VTZ_SMC_MON_TEE_KEY, r))
		return -1;
	tv->ctx.x[0] = 0;
	for (i = 0; i < 4; i++) {
		tv->ctx.x[1 + i] = r[i];
		v[i] = 0; /* no copy of the key left on the CIEE's stack */
	}
	return 0;
}

/* What ciee_guest_enter() returns: the kind of vector taken (ciee/vectors.S). */
#define EXIT_KIND_IRQ 1
#define EXIT_KIND_FIQ 2

static unsigned int tee_index(const struct ciee_vm *tee_vm)
{
	return (unsigned int)(tee_vm - ciee_vm_get(0));
}

/* Forget a vCPU's state: nothing of a dead TEE stays in its registers' copy. */
static void tee_vcpu_clear(struct ciee_tee_vcpu *tv)
{
	memset(&tv->ctx, 0, sizeof(tv->ctx));
	memset(&tv->fp, 0, sizeof(tv->fp));
	tv->mmio_pending = false;
	tv->preempted = false;
	tv->caller = NULL;
	__atomic_store_n(&tv->state, TEE_STATE_DEAD, __ATOMIC_RELEASE);
}

/*
 * A fault in one vCPU stops the whole TEE: every later call and resume
 * fails. Other vCPUs may be running on other CPUs right now; each is
 * cleared at its next exit (tee_run()) or when the hypervisor next asks
 * for it (tee_vcpu_claimable()).
 */
static void tee_kill(struct ciee_vm *tee_vm, struct ciee_tee_vcpu *tv, const char *why)
{
	struct ciee_tee *t = &tee_vm->tee;
	unsigned int ec = (tv->ctx.esr >> ESR_EC_SHIFT) & ESR_EC_MASK;

	con_printf("TEE vm%u stopped: %s (vCPU %u: EC=0x%02x ESR=0x%llx PC=0x%llx FAR=0x%llx)\n",
		   tee_index(tee_vm), why, (unsigned int)(tv - t->vcpu), ec,
		   (unsigned long long)tv->ctx.esr, (unsigned long long)tv->ctx.pc,
		   (unsigned long long)tv->ctx.far);
	__atomic_store_n(&t->dead, true, __ATOMIC_RELEASE);
	tee_vcpu_clear(tv);
}

/*
 * An interrupt stopped the TEE vCPU. Its GPRs and PC are in tv->ctx, its
 * EL1 and FP/SIMD registers are saved and scrubbed, and the EL2 exit
 * registers cleared (tee_run()), so the hypervisor learns only that an
 * interrupt came (which it knows anyway: it is still pending at the GIC).
 */
static long tee_preempted(struct ciee_tee_vcpu *tv)
{
	/* Last, and published: only now may a TEE_RESUME (on any CPU) claim it. */
	__atomic_store_n(&tv->preempted, true, __ATOMIC_RELEASE);
	return CIEE_EXIT_TEE_PREEMPTED;
}

/* Turn a TEE's data abort into what the hypervisor needs to emulate it. */
static bool tee_mmio_exit(struct ciee_tee_vcpu *tv, struct ciee_mmio *mmio)
{
	uint64_t esr = tv->ctx.esr;
	unsigned int srt;

	if (!(esr & ESR_DABT_ISV))
		return false;
	srt = (esr >> ESR_DABT_SRT_SHIFT) & ESR_DABT_SRT_MASK;
	tv->mmio_srt = srt;
	tv->mmio_size = 1U << ((esr >> ESR_DABT_SAS_SHIFT) & ESR_DABT_SAS_MASK);
	tv->mmio_sign_extend = esr & ESR_DABT_SSE;
	tv->mmio_sf = esr & ESR_DABT_SF;
	mmio->ipa = ((tv->ctx.hpfar >> 4) << 12) | (tv->ctx.far & 0xfff);
	mmio->size = tv->mmio_size;
	mmio->is_write = (esr & ESR_DABT_WNR) ? 1 : 0;
	tv->mmio_is_write = mmio->is_write;
	mmio->value = 0;
	if (mmio->is_write && srt != 31) {
		uint64_t v = tv->ctx.x[srt];

		if (tv->mmio_size < 8)
			v &= (1UL << (tv->mmio_size * 8)) - 1;
		mmio->value = v;
	}
	/* Last, and published: only now may a TEE_RESUME (on any CPU) claim it. */
	__atomic_store_n(&tv->mmio_pending, true, __ATOMIC_RELEASE);
	return true;
}

/* ENTRY_DONE: the vector table must lie in the TEE's own executable memory. */
static long tee_register_vectors(struct ciee_vm *tee_vm, struct ciee_tee_vcpu *tv)
{
	uint64_t vec = tv->ctx.x[1], pa, desc;
	struct pt s2 = smm_pt(&tee_vm->s2);

	if ((vec & 3) || pt_lookup(&s2, vec, &pa, &desc) ||
	    pt_lookup(&s2, vec + 4 * (OPTEE_VEC_COUNT - 1), &pa, &desc) || (desc & PTE_XN)) {
		tee_kill(tee_vm, tv, "ENTRY_DONE with a vector table outside its executable memory");
		return CIEE_ERR_BAD_ENTRY;
	}
	tee_vm->tee.vectors = vec;
	/* Release: another CPU's claim (TEE_CALL, TEE_BOOT of vCPU n) sees the vectors. */
	__atomic_store_n(&tv->state, TEE_STATE_READY, __ATOMIC_RELEASE);
	return CIEE_OK;
}

/* SYSTEM_RESET_DONE: every vCPU the reset held is idle again, ready for calls. */
static long tee_reset_done(struct ciee_vm *tee_vm)
{
	unsigned int i;

	for (i = CIEE_MAX_VCPUS; i-- > 0;) {
		struct ciee_tee_vcpu *tv = &tee_vm->tee.vcpu[i];

		if (tv->state == TEE_STATE_IN_CALL || tv->state == TEE_STATE_RESETTING)
			__atomic_store_n(&tv->state, TEE_STATE_READY, __ATOMIC_RELEASE);
	}
	return CIEE_OK;
}

/*
 * Run a TEE vCPU until it reports back or needs the hypervisor. Its EL1
 * registers are saved but still in the CPU: the caller scrubs them
 * (tee_run()) or, on the fast call path, loads the VM's over them before
 * anything else runs.
 */
static long tee_run_keep_el1(struct ciee_vm *tee_vm, struct ciee_tee_vcpu *tv,
			     struct ciee_mmio *mmio)
{
	struct ciee_tee *t = &tee_vm->tee;
	uint64_t kind;
	unsigned int ec;
	uint32_t fid;

again:
	kind = ciee_run(tee_vm, &tv->ctx, &tv->fp);
	ec = (tv->ctx.esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	fid = (uint32_t)tv->ctx.x[0];
	/*
	 * The EL2 exit registers hold the TEE's PC, flags and syndrome (all
	 * saved in tv->ctx): cleared on every exit, before the hypervisor runs.
	 */
	write_sysreg(elr_el2, 0);
	write_sysreg(spsr_el2, 0);
	write_sysreg(esr_el2, 0);
	write_sysreg(far_el2, 0);
	write_sysreg(hpfar_el2, 0);
	if (__atomic_load_n(&t->dead, __ATOMIC_ACQUIRE)) {
		/* Another vCPU of this TEE faulted while this one ran. */
		tee_vcpu_clear(tv);
		return CIEE_ERR_TEE_DEAD;
	}
	if (kind != 0) {
		/* Preempted (booting or in a call): resumed later by TEE_RESUME. */
		if (kind == EXIT_KIND_IRQ || kind == EXIT_KIND_FIQ)
			return tee_preempted(tv);
		tee_kill(tee_vm, tv, "SError while in the TEE");
		return CIEE_ERR_TEE_DEAD;
	}
	switch (ec) {
	case EC_SMC64:
		tv->ctx.pc += 4; /* a trapped SMC returns to itself */
		if (tv->state == TEE_STATE_BOOTING && fid == TEESMC_OPTEED_RETURN_ENTRY_DONE &&
		    tv == &t->vcpu[0])
			return tee_register_vectors(tee_vm, tv);
		if (tv->state == TEE_STATE_BOOTING && fid == TEESMC_OPTEED_RETURN_ON_DONE &&
		    tv != &t->vcpu[0]) {
			__atomic_store_n(&tv->state, TEE_STATE_READY, __ATOMIC_RELEASE);
			return CIEE_OK;
		}
		if (tv->state == TEE_STATE_RESETTING && fid == TEESMC_OPTEED_RETURN_SYSTEM_RESET_DONE)
			return tee_reset_done(tee_vm);
		if (tv->state == TEE_STATE_IN_CALL && fid == TEESMC_OPTEED_RETURN_CALL_DONE) {
			/* opteed: x1..x4 of the TEE become x0..x3 of the caller. */
			tv->caller->reply[0] = tv->ctx.x[1];
			tv->caller->reply[1] = tv->ctx.x[2];
			tv->caller->reply[2] = tv->ctx.x[3];
			tv->caller->reply[3] = tv->ctx.x[4];
			tv->caller->reply_ready = true;
			tv->caller = NULL;
			__atomic_store_n(&tv->state, TEE_STATE_READY, __ATOMIC_RELEASE);
			return CIEE_EXIT_TEE_DONE;
		}
		if (tv->state == TEE_STATE_IN_CALL && fid == VTZ_SMC_TEE_GET_KEY) {
			/* Answered here, without the hypervisor: the TEE goes on. */
			if (tee_serve_key(t, tv)) {
				tee_kill(tee_vm, tv, "the monitor could not derive its key");
				return CIEE_ERR_TEE_DEAD;
			}
			goto again;
		}
		tee_kill(tee_vm, tv, "unexpected SMC from the TEE");
		return CIEE_ERR_TEE_DEAD;
	case EC_DABT_LOW:
		if (tee_mmio_exit(tv, mmio))
			return CIEE_EXIT_TEE_MMIO;
		tee_kill(tee_vm, tv, "data abort without a valid syndrome");
		return CIEE_ERR_TEE_DEAD;
	default:
		tee_kill(tee_vm, tv, "unexpected exception in the TEE");
		return CIEE_ERR_TEE_DEAD;
	}
}

/* A TEE run, its EL1 registers cleared before the hypervisor runs. */
static long tee_run(struct ciee_vm *tee_vm, struct ciee_tee_vcpu *tv, struct ciee_mmio *mmio)
{
	long r = tee_run_keep_el1(tee_vm, tv, mmio);

	ciee_scrub_el1();
	return r;
}

static struct ciee_vm *tee_of(uint64_t id)
{
	struct ciee_vm *vm = ciee_vm_get(id);

	return (vm && vm->kind == CIEE_VM_KIND_TEE) ? vm : NULL;
}

/* A fresh vCPU context: EL1h, interrupts masked, MMU off, Aff0 = its index. */
static void tee_vcpu_reset(struct ciee_tee_vcpu *tv, unsigned int index, uint64_t pc)
{
	memset(&tv->ctx, 0, sizeof(tv->ctx));
	memset(&tv->fp, 0, sizeof(tv->fp));
	tv->ctx.pc = pc;
	tv->ctx.pstate = SPSR_EL1H | SPSR_DAIF_MASKED;
	tv->ctx.el1.sctlr = SCTLR_EL1_RES1;
	tv->ctx.vmpidr = 0x80000000UL | index;
}

/* vCPU 0: measure the image, then its first entry at the image entry. */
static long tee_boot_first(struct ciee_vm *tee_vm, struct ciee_mmio *mmio, uint64_t entry,
			   uint64_t ns_size)
{
	struct ciee_tee *t = &tee_vm->tee;
	struct ciee_tee_vcpu *tv = &t->vcpu[0];
	enum tee_state expected = TEE_STATE_NONE;
	struct pt s2 = smm_pt(&tee_vm->s2);
	uint64_t pa, desc;
	long ret;

	/* The first entry is the ABI's, not the hypervisor's choice. */
	if (pt_lookup(&s2, entry, &pa, &desc) || (desc & PTE_XN))
		return CIEE_ERR_BAD_ENTRY;
	if (!__atomic_compare_exchange_n(&tv->state, &expected, TEE_STATE_BOOTING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return CIEE_ERR_TEE_STATE;
	/*
	 * Under the SMM lock, so no DONATE, S2_MAP or RECLAIM on another CPU
	 * (here or, with GATE=el3, in the monitor) changes the pages between
	 * the checks and the hash.
	 */
	spin_lock(&smm->lock);
	ret = tee_measure(tee_vm, &s2, entry, pa);
	spin_unlock(&smm->lock);
	if (ret != CIEE_OK) {
		con_printf("TEE vm%u refused: its image could not be measured (no valid header, "
			   "or not in its own contiguous executable memory)\n",
			   tee_index(tee_vm));
		__atomic_store_n(&tv->state, TEE_STATE_NONE, __ATOMIC_RELEASE);
		return ret;
	}
	tee_vcpu_reset(tv, 0, entry);
	/*
	 * Boot arguments, as opteed passes them: x1 = how much of its VM's
	 * RAM (from VTZ_TEE_NS_RAM_BASE) the TEE may be asked to use. Only
	 * the hypervisor knows; a wrong value denies service, nothing more
	 * (the TEE maps only its VM's pages there, checked by SMM).
	 */
	tv->ctx.x[1] = ns_size;
	return tee_run(tee_vm, tv, mmio);
}

/* Other vCPUs: started at the TEE's cpu_on vector once vCPU 0 registered it. */
static long tee_boot_secondary(struct ciee_vm *tee_vm, struct ciee_mmio *mmio,
			       unsigned int index)
{
	struct ciee_tee *t = &tee_vm->tee;
	struct ciee_tee_vcpu *tv = &t->vcpu[index];
	enum tee_state expected = TEE_STATE_NONE;

	if (__atomic_load_n(&t->vcpu[0].state, __ATOMIC_ACQUIRE) < TEE_STATE_READY ||
	    __atomic_load_n(&t->vcpu[0].state, __ATOMIC_ACQUIRE) == TEE_STATE_DEAD)
		return CIEE_ERR_TEE_STATE;
	if (!__atomic_compare_exchange_n(&tv->state, &expected, TEE_STATE_BOOTING, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return CIEE_ERR_TEE_STATE;
	tee_vcpu_reset(tv, index, t->vectors + OPTEE_VEC_CPU_ON);
	return tee_run(tee_vm, tv, mmio);
}

long ciee_tee_boot(uint64_t tee_id, struct ciee_mmio *mmio, uint64_t entry, uint64_t vcpu,
		   uint64_t ns_size)
{
	struct ciee_vm *tee_vm = tee_of(tee_id);

	if (!tee_vm)
		return ciee_vm_get(tee_id) ? CIEE_ERR_BAD_KIND : CIEE_ERR_BAD_VM;
	if (!hyp_ptr_ok(mmio, sizeof(*mmio)))
		return CIEE_ERR_BAD_MMIO;
	if (vcpu >= CIEE_MAX_VCPUS)
		return CIEE_ERR_BAD_VCPU;
	if (__atomic_load_n(&tee_vm->tee.dead, __ATOMIC_ACQUIRE))
		return CIEE_ERR_TEE_DEAD;
	if (entry != VTZ_TEE_ENTRY_IPA)
		return CIEE_ERR_BAD_ENTRY;
	if (vcpu == 0)
		return tee_boot_first(tee_vm, mmio, entry, ns_size);
	return tee_boot_secondary(tee_vm, mmio, (unsigned int)vcpu);
}

static long tee_call(uint64_t vm_id, uint64_t vcpu, struct ciee_mmio *mmio, bool fast);

long ciee_tee_call(uint64_t vm_id, uint64_t vcpu, struct ciee_mmio *mmio)
{
	return tee_call(vm_id, vcpu, mmio, false);
}

/*
 * From VCPU_RUN (switch.c), which enters the VM again at once when the
 * call is done: then the TEE's EL1 registers are not scrubbed here, since
 * loading the VM's overwrites every one of them first.
 */
long ciee_tee_call_fast(uint64_t vm_id, uint64_t vcpu, struct ciee_mmio *mmio)
{
	return tee_call(vm_id, vcpu, mmio, true);
}

static long tee_call(uint64_t vm_id, uint64_t vcpu, struct ciee_mmio *mmio, bool fast)
{
	long r;
	struct ciee_vm *vm = ciee_vm_get(vm_id), *tee_vm;
	enum tee_state expected;
	struct ciee_tee_vcpu *tv;
	struct ciee_vcpu *v;
	struct ciee_tee *t;
	uint32_t fid;
	unsigned int i;

	if (!vm)
		return CIEE_ERR_BAD_VM;
	if (vm->kind != CIEE_VM_KIND_GUEST || vm->partner >= CIEE_MAX_VMS)
		return CIEE_ERR_BAD_KIND;
	if (vcpu >= CIEE_MAX_VCPUS)
		return CIEE_ERR_BAD_VCPU;
	if (!hyp_ptr_ok(mmio, sizeof(*mmio)))
		return CIEE_ERR_BAD_MMIO;
	v = &vm->vcpus[vcpu];
	if (!__atomic_load_n(&v->smc_pending, __ATOMIC_ACQUIRE))
		return CIEE_ERR_NO_CALL;
	/*
	 * The call goes to this VM's own TEE, and there to the vCPU with the
	 * caller's index, whatever else the hypervisor wants.
	 */
	tee_vm = ciee_vm_get(vm->partner);
	t = &tee_vm->tee;
	tv = &t->vcpu[vcpu];
	if (__atomic_load_n(&t->dead, __ATOMIC_ACQUIRE)) {
		if (__atomic_load_n(&tv->state, __ATOMIC_ACQUIRE) == TEE_STATE_READY)
			tee_vcpu_clear(tv);
		return CIEE_ERR_TEE_DEAD;
	}
	/*
	 * Claim the TEE vCPU atomically: the hypervisor may ask on two CPUs
	 * at once, and a vCPU has one context.
	 */
	expected = TEE_STATE_READY;
	if (!__atomic_compare_exchange_n(&tv->state, &expected, TEE_STATE_IN_CALL, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return expected == TEE_STATE_DEAD ? CIEE_ERR_TEE_DEAD : CIEE_ERR_TEE_STATE;
	/* One SMC, one call: taken atomically too, or given back. */
	if (!__atomic_exchange_n(&v->smc_pending, false, __ATOMIC_ACQ_REL)) {
		__atomic_store_n(&tv->state, TEE_STATE_READY, __ATOMIC_RELEASE);
		return CIEE_ERR_NO_CALL;
	}
	fid = (uint32_t)v->args[0];
	for (i = 0; i < 8; i++)
		tv->ctx.x[i] = v->args[i];
	tv->ctx.pc = t->vectors + ((fid & SMCCC_FAST_CALL) ? OPTEE_VEC_FAST_SMC : OPTEE_VEC_YIELD_SMC);
	tv->ctx.pstate = SPSR_EL1H | SPSR_DAIF_MASKED;
	tv->caller = v;
	r = tee_run_keep_el1(tee_vm, tv, mmio);
	if (!fast || r != CIEE_EXIT_TEE_DONE)
		ciee_scrub_el1();
	return r;
}

long ciee_tee_resume(uint64_t tee_id, struct ciee_mmio *mmio, uint64_t vcpu)
{
	struct ciee_vm *tee_vm = tee_of(tee_id);
	struct ciee_tee_vcpu *tv;

	if (!tee_vm)
		return ciee_vm_get(tee_id) ? CIEE_ERR_BAD_KIND : CIEE_ERR_BAD_VM;
	if (!hyp_ptr_ok(mmio, sizeof(*mmio)))
		return CIEE_ERR_BAD_MMIO;
	if (vcpu >= CIEE_MAX_VCPUS)
		return CIEE_ERR_BAD_VCPU;
	tv = &tee_vm->tee.vcpu[vcpu];
	/*
	 * Each stop is claimed by exchange: one stop, one resume, even if the
	 * hypervisor asks on two CPUs at once. A preempted TEE continues at
	 * the instruction the interrupt stopped (PC not advanced), with
	 * nothing of the hypervisor's: struct ciee_mmio is not read.
	 */
	if (__atomic_exchange_n(&tv->preempted, false, __ATOMIC_ACQ_REL))
		return tee_run(tee_vm, tv, mmio);
	if (!__atomic_exchange_n(&tv->mmio_pending, false, __ATOMIC_ACQ_REL))
		return tv->state == TEE_STATE_DEAD || tee_vm->tee.dead ? CIEE_ERR_TEE_DEAD
								       : CIEE_ERR_TEE_STATE;
	/* The direction is the CIEE's record, not the hypervisor's copy of it. */
	if (!tv->mmio_is_write && tv->mmio_srt != 31) {
		/* The read value goes only into the register that faulted. */
		uint64_t v = mmio->value;
		unsigned int bits = tv->mmio_size * 8;

		if (bits < 64) {
			v &= (1UL << bits) - 1;
			if (tv->mmio_sign_extend && (v >> (bits - 1)))
				v |= ~((1UL << bits) - 1);
		}
		if (!tv->mmio_sf)
			v &= 0xffffffffUL;
		tv->ctx.x[tv->mmio_srt] = v;
	}
	tv->ctx.pc += 4;
	return tee_run(tee_vm, tv, mmio);
}

enum tee_hold { HOLD_NONE, HOLD_IDLE, HOLD_PREEMPTED, HOLD_MMIO };

/*
 * Hold one TEE vCPU for a reset: an idle one by compare-and-swap, a
 * stopped one (preempted or at an MMIO access) by taking its stop, so no
 * TEE_RESUME can continue it. A vCPU running right now (on another CPU)
 * or still booting cannot be held (HOLD_NONE).
 */
static enum tee_hold tee_vcpu_hold(struct ciee_tee_vcpu *tv)
{
	enum tee_state expected = TEE_STATE_READY;

	if (__atomic_compare_exchange_n(&tv->state, &expected, TEE_STATE_IN_CALL, false,
					__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
		return HOLD_IDLE;
	if (expected != TEE_STATE_IN_CALL)
		return HOLD_NONE;
	if (__atomic_exchange_n(&tv->preempted, false, __ATOMIC_ACQ_REL))
		return HOLD_PREEMPTED;
	if (__atomic_exchange_n(&tv->mmio_pending, false, __ATOMIC_ACQ_REL))
		return HOLD_MMIO;
	return HOLD_NONE;
}

/* Undo a hold when the reset cannot go ahead: idle ones idle, stopped ones stopped. */
static void tee_vcpu_release(struct ciee_tee_vcpu *tv, enum tee_hold how)
{
	if (how == HOLD_IDLE)
		__atomic_store_n(&tv->state, TEE_STATE_READY, __ATOMIC_RELEASE);
	else if (how == HOLD_PREEMPTED)
		__atomic_store_n(&tv->preempted, true, __ATOMIC_RELEASE);
	else if (how == HOLD_MMIO)
		__atomic_store_n(&tv->mmio_pending, true, __ATOMIC_RELEASE);
}

long ciee_tee_reset(uint64_t tee_id, struct ciee_mmio *mmio)
{
	struct ciee_vm *tee_vm = tee_of(tee_id), *vm;
	struct ciee_tee *t;
	enum tee_hold held[CIEE_MAX_VCPUS] = { HOLD_NONE };
	unsigned int i;

	if (!tee_vm)
		return ciee_vm_get(tee_id) ? CIEE_ERR_BAD_KIND : CIEE_ERR_BAD_VM;
	if (!hyp_ptr_ok(mmio, sizeof(*mmio)))
		return CIEE_ERR_BAD_MMIO;
	t = &tee_vm->tee;
	if (__atomic_load_n(&t->dead, __ATOMIC_ACQUIRE))
		return CIEE_ERR_TEE_DEAD;
	for (i = 0; i < CIEE_MAX_VCPUS; i++) {
		enum tee_state st = __atomic_load_n(&t->vcpu[i].state, __ATOMIC_ACQUIRE);

		if (st == TEE_STATE_NONE && i > 0)
			continue; /* never started: nothing to reset */
		held[i] = tee_vcpu_hold(&t->vcpu[i]);
		if (held[i] == HOLD_NONE)
			goto busy;
	}
	/*
	 * Every started vCPU is held: discard the calls in flight (and, in the
	 * VM, what its vCPUs asked or were answered), then vCPU 0 at the
	 * registered system_reset slot. The others keep their EL1 state (their
	 * vectors) and are idle again at SYSTEM_RESET_DONE.
	 */
	vm = ciee_vm_get(tee_vm->partner);
	for (i = 0; i < CIEE_MAX_VCPUS; i++) {
		t->vcpu[i].caller = NULL;
		if (vm) {
			__atomic_store_n(&vm->vcpus[i].smc_pending, false, __ATOMIC_RELEASE);
			vm->vcpus[i].reply_ready = false;
		}
	}
	memset(t->vcpu[0].ctx.x, 0, sizeof(t->vcpu[0].ctx.x));
	t->vcpu[0].ctx.pc = t->vectors + OPTEE_VEC_SYSTEM_RESET;
	t->vcpu[0].ctx.pstate = SPSR_EL1H | SPSR_DAIF_MASKED;
	__atomic_store_n(&t->vcpu[0].state, TEE_STATE_RESETTING, __ATOMIC_RELEASE);
	return tee_run(tee_vm, &t->vcpu[0], mmio);
busy:
	while (i-- > 0)
		tee_vcpu_release(&t->vcpu[i], held[i]);
	return CIEE_ERR_TEE_STATE;
}
