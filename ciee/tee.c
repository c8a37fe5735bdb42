/* SPDX-License-Identifier: MIT */
/*
 * Secure world switching: the CIEE plays TF-A's opteed dispatcher for each
 * guest TEE. A TEE has one vCPU per vCPU of its VM. vCPU 0 is entered
 * first at its image entry, once, until it answers ENTRY_DONE with its
 * vector table; every other vCPU first at that table's cpu_on slot, until
 * ON_DONE. After that a TEE vCPU is entered only (b) at a slot of that
 * table for a call from the VM vCPU with the same index, or (c) resumed
 * exactly where it stopped for an MMIO access or an interrupt. A slot
 * entry sets only the PC: the PSTATE is that of its last SMC, as TF-A's
 * opteed re-enters a secure OS (docs/architecture.md, "What a TrustZone
 * OS may rely on"). Its SMCCC Arm Architecture calls are answered here
 * (policy/smccc_arch.c). Its registers stay in CIEE memory.
 *
 * Each TEE vCPU is a state machine (enum tee_state, docs/security.md):
 *   NONE -BOOT-> RUNNING(boot) -ENTRY_DONE/ON_DONE-> READY
 *   READY -CALL-> RUNNING(call) -CALL_DONE-> READY
 *   READY -secure interrupt due (tee_virq.c)-> RUNNING(fiq) -FIQ_DONE-> READY
 *   RUNNING -interrupt-> PREEMPTED -RESUME-> RUNNING (same job)
 *   RUNNING -MMIO abort-> MMIO -RESUME-> RUNNING (same job)
 *   RUNNING -raises an SPI for its VM (tee_gic.c)-> PREEMPTED, past the store
 *   NONE, READY, PREEMPTED, MMIO -RESET-> HELD (every vCPU, or none);
 *     vCPU 0 HELD -> RUNNING(reset) -SYSTEM_RESET_DONE-> every HELD vCPU
 *     READY (NONE if it had not finished booting), vCPU 0 READY
 *   any fault -> DEAD, and the whole TEE dead
 * Every arrow is one compare-and-swap from exactly the state it starts
 * from, so two CPUs asking at once get one winner; RUNNING belongs to the
 * CPU that claimed it, and only that CPU reads or writes the vCPU's
 * context until it publishes the next state.
 */
#include <string.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <policy/attest.h>
#include <policy/smccc_arch.h>
#include <vtz/monitor_abi.h>
#include <vtz/optee_abi.h>
#include <vtz/platform.h>

#include "ciee.h"
#include "tee_fast.h"
#include "monitor_call.h"
#include "run.h"

/*
 * Before its first entry: have the monitor measure the TEE's image. The
 * image is the bytes the loader says it loaded from the entry IPA (size),
 * or, when it says 0, the bytes the image's own vTZTEEI1 header names; an
 * image with that header is measured at exactly its size either way. A
 * TrustZone OS built for TF-A (OP-TEE's tee-raw.bin) has no such header:
 * on a real machine too it is the loader (TF-A's BL2, from its image
 * table) that knows how many bytes it loaded. Every page of it must be
 * mapped executable in the TEE's stage 2 (so owned by the TEE: its VM's
 * pages are never executable there, and the hypervisor lost access when
 * it donated them) and physically contiguous, so the monitor can hash one
 * PA range. Nothing has run in the TEE yet.
 */
static long tee_measure(struct ciee_tee *t, struct pt *s2, uint64_t entry, uint64_t pa0,
			uint64_t size, const uint64_t identity[2])
{
	const volatile uint64_t *hdr = phys_to_virt(pa0);
	uint64_t off, pa, desc, r[CIEE_MONITOR_ARGS] = { 0 };
	bool has_hdr;

	if (pa0 % 4096)
		return CIEE_ERR_BAD_ENTRY;
	has_hdr = hdr[TEE_HDR_MAGIC_OFFSET / 8] == TEE_IMAGE_MAGIC;
	if (has_hdr && size && hdr[TEE_HDR_SIZE_OFFSET / 8] != size)
		return CIEE_ERR_BAD_TEE_CFG;
	if (!size) {
		if (!has_hdr)
			return CIEE_ERR_BAD_ENTRY;
		size = hdr[TEE_HDR_SIZE_OFFSET / 8];
		if (size < TEE_HDR_END)
			return CIEE_ERR_BAD_ENTRY;
	}
	if (size > TEE_IMAGE_MAX)
		return CIEE_ERR_BAD_TEE_CFG;
	for (off = 0; off < size; off += 4096) {
		if (pt_lookup(s2, entry + off, &pa, &desc) || pa != pa0 + off || (desc & PTE_XN))
			return CIEE_ERR_BAD_ENTRY;
	}
	r[0] = pa0;
	r[1] = size;
	/* Its VM's identity, for the event log's record of this measurement. */
	r[4] = identity[0];
	r[5] = identity[1];
	if (ciee_monitor_smc(VTZ_SMC_MON_TEE_MEASURE, r))
		return CIEE_ERR_BAD_ENTRY;
	memcpy(t->measurement, r, sizeof(t->measurement));
	t->image_size = size;
	return CIEE_OK;
}

/*
 * Before the first entry, with the measurement and under the same lock:
 * every byte of the TEE's own memory that is not its measured image is
 * zeroed here, whatever the hypervisor left in those pages before it
 * donated them. A TEE starts as on a machine whose secure RAM held only
 * its loaded image (its .bss, heap and stacks all zero). Its own pages
 * are only ever in its secure-RAM window (CIEE_ERR_TEE_IPA); the image
 * starts page-aligned at pa0, so only its last page is partly zeroed.
 * Returns the bytes zeroed.
 */
static uint64_t tee_zero_rest(const struct pt *s2, uint64_t pa0, uint64_t size)
{
	uint64_t ipa, pa, zeroed = 0;

	for (ipa = VTZ_TEE_RAM_IPA_BASE; ipa < VTZ_TEE_RAM_IPA_BASE + VTZ_TEE_RAM_IPA_SIZE;
	     ipa += PAGE_SIZE) {
		uint64_t from = 0;

		if (pt_lookup(s2, ipa, &pa, NULL))
			continue;
		if (pa >= pa0 && pa < pa0 + size) {
			from = pa0 + size - pa;
			if (from >= PAGE_SIZE)
				continue; /* a whole page of the image */
		}
		memset(phys_to_virt(pa + from), 0, PAGE_SIZE - from);
		zeroed += PAGE_SIZE - from;
	}
	return zeroed;
}

/*
 * VTZ_SMC_TEE_GET_KEY inside a call: the monitor derives the key from
 * the measurement recorded at boot (never from anything the TEE or the
 * hypervisor says); it goes into the TEE's saved x1..x4, in CIEE memory.
 */
static long tee_serve_key(const struct ciee_vm *tee_vm, const struct ciee_tee *t,
			  struct ciee_tee_vcpu *tv)
{
	uint64_t r[CIEE_MONITOR_ARGS];
	volatile uint64_t *v = r;
	const struct ciee_vm *vm = &smm->vms[tee_vm->partner];
	unsigned int i;

	memcpy(r, t->measurement, sizeof(t->measurement));
	/* Its VM's identity, recorded by VM_CREATE: two VMs, two keys (monitor/keys.c). */
	r[4] = vm->identity[0];
	r[5] = vm->identity[1];
	if (ciee_monitor_smc(VTZ_SMC_MON_TEE_KEY, r))
		return -1;
	tv->ctx.x[0] = 0;
	for (i = 0; i < 4; i++) {
		tv->ctx.x[1 + i] = r[i];
		v[i] = 0; /* no copy of the key left on the CIEE's stack */
	}
	return 0;
}

/*
 * VTZ_SMC_TEE_ATTEST inside a call (include/vtz/optee_abi.h): a signed
 * report of this TEE, written where it asked, in a page of its own. The
 * measurement and identity are the CIEE's records (TEE_BOOT, VM_CREATE),
 * never the TEE's or the hypervisor's word; only the nonce is the TEE's.
 * Checked under the SMM lock, held across the monitor's call, so the page
 * cannot be unmapped, reclaimed or given away on another CPU between the
 * check and the monitor's write: an IPA in the TEE's own window
 * (its VM's pages, also in its stage 2, are not its own), mapped writable
 * in its stage 2 to a page the ownership table gives this TEE. The TEE
 * gets x0 = 0, x1 = the report's size, or x0 = VTZ_ATTEST_ERR_*.
 */
static void tee_serve_attest(struct ciee_vm *tee_vm, const struct ciee_tee *t,
			     struct ciee_tee_vcpu *tv)
{
	uint64_t r[CIEE_MONITOR_ARGS] __attribute__((aligned(8))) = { 0 };
	const struct ciee_vm *vm = &smm->vms[tee_vm->partner];
	struct pt s2 = smm_pt(&tee_vm->s2);
	uint64_t ipa = tv->ctx.x[1], pa, desc;
	owner_t o;
	long err = attest_dest_check(ipa, tv->ctx.x[2]);

	memcpy(r, t->measurement, sizeof(t->measurement));
	r[4] = vm->identity[0];
	r[5] = vm->identity[1];
	memcpy(&r[6], &tv->ctx.x[3], VTZ_ATTEST_NONCE_LEN);
	if (!err &&
	    (ipa < VTZ_TEE_RAM_IPA_BASE || ipa - VTZ_TEE_RAM_IPA_BASE >= VTZ_TEE_RAM_IPA_SIZE))
		err = VTZ_ATTEST_ERR_NOT_OWN;
	spin_lock(&smm->lock);
	if (!err &&
	    (pt_lookup(&s2, ipa, &pa, &desc) || !(desc & PTE_S2_AP_W) ||
	     own_get(&smm->own, pa, &o) || o != OWNER(OWN_TEE, (unsigned int)(tee_vm - smm->vms))))
		err = VTZ_ATTEST_ERR_NOT_OWN;
	if (!err) {
		r[10] = pa;
		switch (ciee_monitor_smc(VTZ_SMC_MON_ATTEST, r)) {
		case 0:
			break;
		case VTZ_MON_ERR_ATTEST_PA:
			err = VTZ_ATTEST_ERR_NOT_OWN;
			break;
		default:
			err = VTZ_ATTEST_ERR_SIGN;
			break;
		}
	}
	spin_unlock(&smm->lock);
	tv->ctx.x[0] = (uint64_t)err;
	tv->ctx.x[1] = err ? 0 : VTZ_ATTEST_REPORT_LEN;
}

/* What ciee_guest_enter() returns: the kind of vector taken (ciee/vectors.S). */
#define EXIT_KIND_IRQ 1
#define EXIT_KIND_FIQ 2

struct ciee_tee ciee_tees[CIEE_MAX_VMS];
struct ciee_vcpu ciee_vcpus[CIEE_MAX_VMS][CIEE_MAX_VCPUS];

static unsigned int tee_index(const struct ciee_vm *tee_vm)
{
	return (unsigned int)(tee_vm - smm->vms);
}

static struct ciee_tee *tee_of_vm(const struct ciee_vm *tee_vm)
{
	return &ciee_tees[tee_index(tee_vm)];
}

/* The error for a refused claim: a dead TEE says so, anything else is a state error. */
long tee_state_err(const struct ciee_tee *t, const struct ciee_tee_vcpu *tv)
{
	return tee_is_dead(t) || tee_get(tv) == TEE_VCPU_DEAD ? CIEE_ERR_TEE_DEAD
							      : CIEE_ERR_TEE_STATE;
}

/* Forget a held vCPU's state: nothing of a dead TEE stays in its registers' copy. */
void tee_vcpu_clear(struct ciee_tee_vcpu *tv)
{
	memset(&tv->ctx, 0, sizeof(tv->ctx));
	memset(&tv->fp, 0, sizeof(tv->fp));
	tv->smc_pstate = 0;
	tee_set(tv, TEE_VCPU_DEAD);
}

/*
 * A fault in one vCPU stops the whole TEE: every later claim fails. Other
 * vCPUs may be running on other CPUs right now; each is cleared at its
 * next exit (tee_run_keep_el1()); idle and stopped ones are cleared by the
 * next claim that finds the TEE dead.
 */
static void tee_kill(struct ciee_vm *tee_vm, struct ciee_tee *t, struct ciee_tee_vcpu *tv,
		     const char *why)
{
	unsigned int ec = (tv->ctx.esr >> ESR_EC_SHIFT) & ESR_EC_MASK;

	con_printf("TEE vm%u stopped: %s (vCPU %u: EC=0x%02x ESR=0x%llx PC=0x%llx FAR=0x%llx)\n",
		   tee_index(tee_vm), why, (unsigned int)(tv - t->vcpu), ec,
		   (unsigned long long)tv->ctx.esr, (unsigned long long)tv->ctx.pc,
		   (unsigned long long)tv->ctx.far);
	__atomic_store_n(&t->dead, true, __ATOMIC_RELEASE);
	tee_vcpu_clear(tv);
}

/*
 * May an abort at this IPA be MMIO for the hypervisor to emulate? Only in
 * the device region, outside both RAM windows of the TEE's view (its own
 * pages, its VM's): the hypervisor must never see the TEE's stores nor
 * answer its loads for RAM it unmapped, nor for a stray pointer (a NULL
 * dereference at IPA 0 stops the TEE instead of reading the hypervisor's
 * words).
 */
static bool tee_ipa_is_device(uint64_t ipa)
{
	if (ipa < PLAT_DEVICE_BASE || ipa >= VTZ_TEE_NS_RAM_BASE)
		return false;
	return ipa < VTZ_TEE_RAM_IPA_BASE || ipa - VTZ_TEE_RAM_IPA_BASE >= VTZ_TEE_RAM_IPA_SIZE;
}

/* Turn a TEE's data abort into what the hypervisor needs to emulate it. */
static bool tee_mmio_exit(struct ciee_tee_vcpu *tv, struct ciee_mmio *mmio)
{
	uint64_t esr = tv->ctx.esr, ipa;
	unsigned int srt;

	if (!(esr & ESR_DABT_ISV))
		return false;
	ipa = ((tv->ctx.hpfar >> 4) << 12) | (tv->ctx.far & 0xfff);
	if (!tee_ipa_is_device(ipa))
		return false;
	srt = (esr >> ESR_DABT_SRT_SHIFT) & ESR_DABT_SRT_MASK;
	tv->mmio_srt = srt;
	tv->mmio_size = 1U << ((esr >> ESR_DABT_SAS_SHIFT) & ESR_DABT_SAS_MASK);
	tv->mmio_sign_extend = esr & ESR_DABT_SSE;
	tv->mmio_sf = esr & ESR_DABT_SF;
	mmio->ipa = ipa;
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
	/* Last: only now may a TEE_RESUME (on any CPU) claim it. */
	tee_set(tv, TEE_VCPU_MMIO);
	return true;
}

/* ENTRY_DONE: the vector table must lie in the TEE's own executable memory. */
static long tee_register_vectors(struct ciee_vm *tee_vm, struct ciee_tee *t,
				 struct ciee_tee_vcpu *tv)
{
	uint64_t vec = tv->ctx.x[1], pa, desc;
	struct pt s2 = smm_pt(&tee_vm->s2);

	if ((vec & 3) || pt_lookup(&s2, vec, &pa, &desc) ||
	    pt_lookup(&s2, vec + 4 * (OPTEE_VEC_COUNT - 1), &pa, &desc) || (desc & PTE_XN)) {
		tee_kill(tee_vm, t, tv, "ENTRY_DONE with a vector table outside its executable memory");
		return CIEE_ERR_BAD_ENTRY;
	}
	t->vectors = vec;
	/* Release: another CPU's TEE_BOOT of vCPU n, or TEE_RESET, sees the vectors. */
	__atomic_store_n(&t->booted, true, __ATOMIC_RELEASE);
	tee_set(tv, TEE_VCPU_READY);
	return CIEE_OK;
}

/*
 * SYSTEM_RESET_DONE: every vCPU the reset held is free again, idle (or
 * never started, if it had not finished its boot); vCPU 0 last.
 */
static long tee_reset_done(struct ciee_tee *t)
{
	unsigned int i;

	for (i = CIEE_MAX_VCPUS; i-- > 1;) {
		struct ciee_tee_vcpu *tv = &t->vcpu[i];

		if (tee_get(tv) == TEE_VCPU_HELD)
			tee_set(tv, tv->held_from_none ? TEE_VCPU_NONE : TEE_VCPU_READY);
	}
	tee_set(&t->vcpu[0], TEE_VCPU_READY);
	return CIEE_OK;
}

/* The EL2 exit registers hold a TEE's PC, flags and syndrome (all saved in
 * its context): cleared on every exit, before the hypervisor runs. */
/*
 * What one exit of a TEE vCPU this CPU holds (RUNNING) means; every exit
 * publishes its next state. Returns true if the vCPU is to be entered
 * again at once, else false with the run's result in *res.
 */
static bool tee_exit(struct ciee_vm *tee_vm, struct ciee_tee_vcpu *tv, uint64_t kind,
		     struct ciee_mmio *mmio, long *res)
{
	struct ciee_tee *t = tee_of_vm(tee_vm);
	unsigned int index = (unsigned int)(tv - t->vcpu);
	int64_t arch_x0;
	unsigned int ec;
	uint32_t fid;

	ec = (tv->ctx.esr >> ESR_EC_SHIFT) & ESR_EC_MASK;
	fid = (uint32_t)tv->ctx.x[0];
	tee_clear_exit_regs();
	if (tee_is_dead(t)) {
		/* Another vCPU of this TEE faulted while this one ran. */
		tee_vcpu_clear(tv);
		*res = CIEE_ERR_TEE_DEAD;
		return false;
	}
	if (kind != 0) {
		if (kind == EXIT_KIND_IRQ || kind == EXIT_KIND_FIQ) {
			/* Last: only now may a TEE_RESUME (on any CPU) claim it. */
			tee_set(tv, TEE_VCPU_PREEMPTED);
			*res = CIEE_EXIT_TEE_PREEMPTED;
			return false;
		}
		tee_kill(tee_vm, t, tv, "SError while in the TEE");
		*res = CIEE_ERR_TEE_DEAD;
		return false;
	}
	switch (ec) {
	case EC_SMC64:
		tv->ctx.pc += 4; /* a trapped SMC returns to itself */
		tv->smc_pstate = tv->ctx.pstate;
		if (tv->job == TEE_JOB_BOOT && index == 0 &&
		    fid == TEESMC_OPTEED_RETURN_ENTRY_DONE) {
			*res = tee_register_vectors(tee_vm, t, tv);
			return false;
		}
		if (tv->job == TEE_JOB_BOOT && index != 0 && fid == TEESMC_OPTEED_RETURN_ON_DONE) {
			tee_set(tv, TEE_VCPU_READY);
			*res = CIEE_OK;
			return false;
		}
		if (tv->job == TEE_JOB_RESET && fid == TEESMC_OPTEED_RETURN_SYSTEM_RESET_DONE) {
			*res = tee_reset_done(t);
			return false;
		}
		if (tv->job == TEE_JOB_CALL && fid == TEESMC_OPTEED_RETURN_CALL_DONE) {
			/* opteed: x1..x4 of the TEE become x0..x3 of the caller, same index. */
			struct ciee_vcpu *caller = &ciee_vcpus[tee_vm->partner][index];

			caller->reply[0] = tv->ctx.x[1];
			caller->reply[1] = tv->ctx.x[2];
			caller->reply[2] = tv->ctx.x[3];
			caller->reply[3] = tv->ctx.x[4];
			caller->reply_ready = true;
			tee_set(tv, TEE_VCPU_READY);
			*res = CIEE_EXIT_TEE_DONE;
			return false;
		}
		if (tv->job == TEE_JOB_FIQ && fid == TEESMC_OPTEED_RETURN_FIQ_DONE) {
			/* Its interrupt handled: the VM vCPU that was to run runs. */
			tee_virq_fiq_done(t, tv);
			tee_set(tv, TEE_VCPU_READY);
			*res = CIEE_EXIT_TEE_DONE;
			return false;
		}
		if (tv->job == TEE_JOB_CALL && fid == VTZ_SMC_TEE_ATTEST) {
			/* Answered here too; a refusal is the TEE's to handle. */
			tee_serve_attest(tee_vm, t, tv);
			return true;
		}
		if (tv->job == TEE_JOB_CALL && fid == VTZ_SMC_TEE_GET_KEY) {
			/* Answered here, without the hypervisor: the TEE goes on. */
			if (tee_serve_key(tee_vm, t, tv)) {
				tee_kill(tee_vm, t, tv, "the monitor could not derive its key");
				*res = CIEE_ERR_TEE_DEAD;
				return false;
			}
			return true;
		}
		/*
		 * Its firmware's Arm Architecture calls, in any job: answered, and
		 * it goes on. After the opteed returns (a different owner range), so
		 * the hot CALL_DONE path does not pay for them.
		 */
		switch (smccc_arch_secure_call(tv->ctx.x[0], tv->ctx.x[1], &arch_x0)) {
		case SMCCC_ARCH_SET_X0:
			tv->ctx.x[0] = (uint64_t)arch_x0;
			return true;
		case SMCCC_ARCH_NO_CHANGE:
			return true;
		case SMCCC_ARCH_NOT_ARCH:
			break;
		}
		tee_kill(tee_vm, t, tv, "unexpected SMC from the TEE");
		*res = CIEE_ERR_TEE_DEAD;
		return false;
	case EC_DABT_LOW:
		if (tv->ctx.esr & ESR_DABT_ISV) {
			uint64_t ipa = ((tv->ctx.hpfar >> 4) << 12) | (tv->ctx.far & 0xfff);

			switch (tee_gic_mmio(t, tv, ipa)) {
			case TEE_GIC_DONE:
				return true;
			case TEE_GIC_RAISED:
				/*
				 * An interrupt for its VM: the hypervisor must learn of
				 * it to inject it. Stopped after the store, resumed like
				 * a preemption. Last: only now may a TEE_RESUME claim it.
				 */
				tee_set(tv, TEE_VCPU_PREEMPTED);
				*res = CIEE_EXIT_TEE_RAISED;
				return false;
			default:
				break;
			}
			if (tee_console_access(t, tv, ipa))
				return true;
		}
		if (tee_mmio_exit(tv, mmio)) {
			*res = CIEE_EXIT_TEE_MMIO;
			return false;
		}
		tee_kill(tee_vm, t, tv,
			 "data abort outside its device region or without a valid syndrome (never MMIO)");
		*res = CIEE_ERR_TEE_DEAD;
		return false;
	default:
		tee_kill(tee_vm, t, tv, "unexpected exception in the TEE");
		*res = CIEE_ERR_TEE_DEAD;
		return false;
	}
}

/*
 * Run a TEE vCPU this CPU holds (RUNNING) until it reports back or needs
 * the hypervisor. Its EL1 registers are saved but still in the CPU: the
 * caller scrubs them (tee_run()) or, on the fast call path, loads the
 * VM's over them before anything else runs.
 */
static long tee_run_keep_el1(struct ciee_vm *tee_vm, struct ciee_tee_vcpu *tv,
			     struct ciee_mmio *mmio)
{
	long r;

	while (tee_exit(tee_vm, tv, tee_run_slow(tee_vm, tee_of_vm(tee_vm), tv), mmio, &r))
		;
	return r;
}

/* A TEE run, its EL1 registers cleared before the hypervisor runs. */
static long tee_run(struct ciee_vm *tee_vm, struct ciee_tee_vcpu *tv, struct ciee_mmio *mmio)
{
	long r = tee_run_keep_el1(tee_vm, tv, mmio);

	ciee_scrub_el1();
	return r;
}

static struct ciee_vm *tee_vm_of(uint64_t id)
{
	struct ciee_vm *vm = ciee_vm_get(id);

	return (vm && vm->kind == CIEE_VM_KIND_TEE) ? vm : NULL;
}

/* A fresh vCPU context: EL1h, interrupts masked, MMU off, Aff0 = its index. */
static void tee_vcpu_reset(struct ciee_tee *t, struct ciee_tee_vcpu *tv, unsigned int index,
			   uint64_t pc)
{
	struct tee_vgic *g = tee_vgic_of(t, tv);

	memset(&tv->ctx, 0, sizeof(tv->ctx));
	memset(&tv->fp, 0, sizeof(tv->fp));
	memset(g, 0, sizeof(*g));
	/*
	 * Its CPU interface as TF-A leaves it for a secure OS
	 * (gicv3_cpuif_enable()): priority mask 0xff, group 0 and group 1
	 * enabled. OP-TEE built for TF-A sets neither itself.
	 */
	g->vmcr = TEE_VMCR_AT_ENTRY;
	tv->ctx.pc = pc;
	tv->ctx.pstate = SPSR_EL1H | SPSR_DAIF_MASKED;
	tv->smc_pstate = tv->ctx.pstate;
	tv->ctx.el1.sctlr = SCTLR_EL1_RES1;
	tv->ctx.vmpidr = 0x80000000UL | index;
	tv->job = TEE_JOB_BOOT;
}

/*
 * 1..7 of [a-z0-9_-], then only NULs: a console prefix that is just a name,
 * and not the name of a trusted component's console ("mon", "ciee"), so no
 * TEE's line passes for the monitor's or ours.
 */
static bool tee_name_ok(const char name[8])
{
	unsigned int i, n = 0;

	if (!memcmp(name, "mon\0", 4) || !memcmp(name, "ciee\0", 5))
		return false;
	while (n < 8 && name[n])
		n++;
	if (n == 0 || n == 8)
		return false;
	for (i = 0; i < 8; i++) {
		char c = name[i];

		if (i >= n ? c != 0
			   : !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
			       c == '-'))
			return false;
	}
	return true;
}

/*
 * The loader's word on the TEE, read once from the hypervisor's memory into
 * *cfg and checked there. The device tree, if any, must lie in the TEE's
 * normal-world window, as the DTB TF-A hands OP-TEE lies in non-secure RAM:
 * a pointer into the TEE's own memory would have it parse, and extend, its
 * own pages as the normal world's description.
 */
static long tee_boot_cfg_read(uint64_t ucfg, struct ciee_tee_boot_cfg *cfg)
{
	struct hyp_arg arg = { ucfg, cfg, sizeof(*cfg), true, CIEE_ERR_BAD_PTR };
	long r = ciee_args_in(&arg, 1);

	if (r != CIEE_OK)
		return r;
	if (!tee_name_ok(cfg->name) || cfg->image_size > TEE_IMAGE_MAX)
		return CIEE_ERR_BAD_TEE_CFG;
	if (cfg->dt_ipa && (cfg->dt_ipa < VTZ_TEE_NS_RAM_BASE ||
			    cfg->dt_ipa - VTZ_TEE_NS_RAM_BASE >= cfg->ns_size))
		return CIEE_ERR_BAD_TEE_CFG;
	return CIEE_OK;
}

/* vCPU 0: measure the image, then its first entry at the image entry. */
static long tee_boot_first(struct ciee_vm *tee_vm, struct ciee_tee *t, struct ciee_mmio *mmio,
			   uint64_t entry, uint64_t ucfg)
{
	struct ciee_tee_vcpu *tv = &t->vcpu[0];
	struct pt s2 = smm_pt(&tee_vm->s2);
	struct ciee_tee_boot_cfg cfg __attribute__((aligned(8)));
	uint64_t pa, desc, zeroed = 0;
	long ret;

	/* The first entry is the ABI's, not the hypervisor's choice. */
	if (!tee_claim(tv, TEE_VCPU_NONE, TEE_VCPU_RUNNING))
		return tee_state_err(t, tv);
	ret = tee_boot_cfg_read(ucfg, &cfg);
	if (ret != CIEE_OK) {
		tee_set(tv, TEE_VCPU_NONE);
		return ret;
	}
	/*
	 * Under the SMM lock, so no DONATE, S2_MAP or RECLAIM on another CPU
	 * (here or, with GATE=el3, in the monitor) changes the pages between
	 * the checks and the hash.
	 */
	spin_lock(&smm->lock);
	ret = CIEE_ERR_BAD_ENTRY;
	if (!pt_lookup(&s2, entry, &pa, &desc) && !(desc & PTE_XN))
		ret = tee_measure(t, &s2, entry, pa, cfg.image_size,
				  smm->vms[tee_vm->partner].identity);
	/* What it runs and keeps is fixed now: no page of its own is mapped again. */
	if (ret == CIEE_OK) {
		tee_vm->measured = true;
		zeroed = tee_zero_rest(&s2, pa, t->image_size);
	}
	spin_unlock(&smm->lock);
	if (ret != CIEE_OK) {
		con_printf("TEE vm%u refused: its image could not be measured (no size from its "
			   "loader nor a valid header, a size that is not its header's, or not in "
			   "its own contiguous executable memory)\n",
			   tee_index(tee_vm));
		tee_set(tv, TEE_VCPU_NONE);
		return ret;
	}
	con_printf("TEE vm%u: image of %llu bytes measured; the other %llu KiB of its memory "
		   "zeroed (%llu translation-table pages in use)\n", tee_index(tee_vm),
		   (unsigned long long)t->image_size, (unsigned long long)(zeroed >> 10),
		   (unsigned long long)ciee_tables_used());
	memcpy(t->name, cfg.name, sizeof(t->name));
	tee_gic_reset(t);
	tee_vcpu_reset(t, tv, 0, entry);
	/*
	 * Boot arguments, as TF-A's opteed passes them (opteed_init_optee_ep_state()):
	 * x0 = the pageable part's address, 0: no pager image was loaded;
	 * x1 = TF-A's mem_limit, here how much of its VM's RAM (from
	 *      VTZ_TEE_NS_RAM_BASE) the TEE may be asked to use; OP-TEE
	 *      ignores x1 on AArch64;
	 * x2 = a device tree's address, 0 if there is none;
	 * x3 = 0.
	 * Only the hypervisor knows x1 and x2; wrong values deny service,
	 * nothing more (the TEE maps only its VM's pages there, checked by SMM).
	 */
	tv->ctx.x[1] = cfg.ns_size;
	tv->ctx.x[2] = cfg.dt_ipa;
	return tee_run(tee_vm, tv, mmio);
}

/*
 * Other vCPUs: started at the TEE's cpu_on vector once vCPU 0 registered
 * it. A reset holds never-started vCPUs too (HELD), so none boots during one.
 */
static long tee_boot_secondary(struct ciee_vm *tee_vm, struct ciee_tee *t,
			       struct ciee_mmio *mmio, unsigned int index)
{
	struct ciee_tee_vcpu *tv = &t->vcpu[index];

	if (!__atomic_load_n(&t->booted, __ATOMIC_ACQUIRE))
		return CIEE_ERR_TEE_STATE;
	if (!tee_claim(tv, TEE_VCPU_NONE, TEE_VCPU_RUNNING))
		return tee_state_err(t, tv);
	tee_vcpu_reset(t, tv, index, t->vectors + OPTEE_VEC_CPU_ON);
	return tee_run(tee_vm, tv, mmio);
}

long ciee_tee_boot(uint64_t tee_id, struct ciee_mmio *mmio, uint64_t entry, uint64_t vcpu,
		   uint64_t ucfg)
{
	struct ciee_vm *tee_vm = tee_vm_of(tee_id);
	struct ciee_tee *t;

	if (!tee_vm)
		return ciee_vm_get(tee_id) ? CIEE_ERR_BAD_KIND : CIEE_ERR_BAD_VM;
	if (vcpu >= CIEE_MAX_VCPUS)
		return CIEE_ERR_BAD_VCPU;
	t = tee_of_vm(tee_vm);
	if (tee_is_dead(t))
		return CIEE_ERR_TEE_DEAD;
	if (entry != VTZ_TEE_ENTRY_IPA)
		return CIEE_ERR_BAD_ENTRY;
	if (vcpu == 0)
		return tee_boot_first(tee_vm, t, mmio, entry, ucfg);
	return tee_boot_secondary(tee_vm, t, mmio, (unsigned int)vcpu);
}



/* The fast TEE call's every exit but CALL_DONE, as in TEE_CALL (tee_fast.h). */
__attribute__((noinline, cold)) long tee_call_fast_slow(struct ciee_vm *tee_vm,
							struct ciee_tee_vcpu *tv, uint64_t kind,
							struct ciee_mmio *mmio, uint64_t vm_vttbr)
{
	long r;

	/* The TEE left with its VM's stage 2 loaded (for the VM), and may run again. */
	write_sysreg_checked(vttbr_el2, 0);
	while (tee_exit(tee_vm, tv, kind, mmio, &r))
		kind = tee_run_slow(tee_vm, tee_of_vm(tee_vm), tv);
	/* Answered: the VM runs next, on its stage 2; else the hypervisor, on none. */
	if (r == CIEE_EXIT_TEE_DONE)
		write_sysreg_checked(vttbr_el2, vm_vttbr);
	else
		ciee_scrub_el1();
	return r;
}

long ciee_tee_call(uint64_t vm_id, uint64_t vcpu, struct ciee_mmio *mmio)
{
	struct ciee_vm *vm = ciee_vm_get(vm_id), *tee_vm;
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
	v = &ciee_vcpus[vm_id][vcpu];
	if (!__atomic_load_n(&v->smc_pending, __ATOMIC_ACQUIRE))
		return CIEE_ERR_NO_CALL;
	/*
	 * The call goes to this VM's own TEE, and there to the vCPU with the
	 * caller's index, whatever else the hypervisor wants.
	 */
	tee_vm = ciee_vm_get(vm->partner);
	t = tee_of_vm(tee_vm);
	tv = &t->vcpu[vcpu];
	/* Claimed atomically: the hypervisor may ask on two CPUs at once. */
	if (!tee_claim(tv, TEE_VCPU_READY, TEE_VCPU_RUNNING))
		return tee_state_err(t, tv);
	if (tee_is_dead(t)) {
		tee_vcpu_clear(tv);
		return CIEE_ERR_TEE_DEAD;
	}
	/* One SMC, one call: taken atomically too, or given back. */
	if (!__atomic_exchange_n(&v->smc_pending, false, __ATOMIC_ACQ_REL)) {
		tee_set(tv, TEE_VCPU_READY);
		return CIEE_ERR_NO_CALL;
	}
	fid = (uint32_t)v->args[0];
	for (i = 0; i < 8; i++)
		tv->ctx.x[i] = v->args[i];
	/*
	 * Only the PC changes (TF-A's opteed: cm_set_elr_el3()): the TEE
	 * keeps the PSTATE of its last SMC, its stack selection (SPSel) and
	 * interrupt masks included, as on a machine where the secure world's
	 * PSTATE is whatever it left in SPSR_EL3. That PSTATE is EL1t or EL1h,
	 * AArch64: an SMC from EL0 is UNDEFINED and never reaches here as one.
	 */
	tv->ctx.pc = t->vectors + ((fid & SMCCC_FAST_CALL) ? OPTEE_VEC_FAST_SMC : OPTEE_VEC_YIELD_SMC);
	tv->ctx.pstate = tv->smc_pstate;
	tv->job = TEE_JOB_CALL;
	return tee_run(tee_vm, tv, mmio);
}

/*
 * From VCPU_RUN (switch.c), before VM vCPU vcpu runs: its TEE's vCPU of
 * that index has a secure interrupt due (virq_cpus). As TF-A's opteed
 * does for a secure interrupt taken while the normal world runs: the TEE
 * vCPU, if idle, is entered at its fiq_entry slot (only the PC changes),
 * the interrupt in its list register (tee_virq.c), until FIQ_DONE. A
 * vCPU that is not idle (in a call, stopped, held) gets it at a later
 * run. Returns CIEE_OK when nothing ran, CIEE_EXIT_TEE_DONE when the TEE
 * answered, or a stop the hypervisor serves as after TEE_CALL (TEE_RESUME
 * then carries it to FIQ_DONE; nothing of the VM vCPU is touched).
 */
long ciee_tee_deliver(const struct ciee_vm *vm, uint64_t vcpu, struct ciee_mmio *mmio)
{
	struct ciee_vm *tee_vm = &smm->vms[vm->partner];
	struct ciee_tee *t = &ciee_tees[vm->partner];
	struct ciee_tee_vcpu *tv = &t->vcpu[vcpu];

	if (!__atomic_load_n(&t->booted, __ATOMIC_ACQUIRE) ||
	    !tee_claim(tv, TEE_VCPU_READY, TEE_VCPU_RUNNING))
		return CIEE_OK;
	if (tee_is_dead(t)) {
		tee_vcpu_clear(tv);
		return CIEE_OK;
	}
	if (!tee_virq_load(t, tv, (unsigned int)vcpu)) {
		tee_set(tv, TEE_VCPU_READY);
		return CIEE_OK;
	}
	__atomic_add_fetch(&t->virq_delivered, 1, __ATOMIC_RELAXED);
	tv->ctx.pc = t->vectors + OPTEE_VEC_FIQ;
	tv->ctx.pstate = tv->smc_pstate;
	tv->job = TEE_JOB_FIQ;
	return tee_run(tee_vm, tv, mmio);
}

long ciee_tee_resume(uint64_t tee_id, struct ciee_mmio *mmio, uint64_t vcpu)
{
	struct ciee_vm *tee_vm = tee_vm_of(tee_id);
	struct ciee_tee_vcpu *tv;
	struct ciee_tee *t;

	if (!tee_vm)
		return ciee_vm_get(tee_id) ? CIEE_ERR_BAD_KIND : CIEE_ERR_BAD_VM;
	if (vcpu >= CIEE_MAX_VCPUS)
		return CIEE_ERR_BAD_VCPU;
	t = tee_of_vm(tee_vm);
	tv = &t->vcpu[vcpu];
	/*
	 * One stop, one resume: the stop is the state, claimed by
	 * compare-and-swap. A preempted vCPU continues at the instruction the
	 * interrupt stopped (PC not advanced), with nothing of the
	 * hypervisor's: struct ciee_mmio is not read.
	 */
	if (tee_claim(tv, TEE_VCPU_PREEMPTED, TEE_VCPU_RUNNING)) {
		if (tee_is_dead(t)) {
			tee_vcpu_clear(tv);
			return CIEE_ERR_TEE_DEAD;
		}
		return tee_run(tee_vm, tv, mmio);
	}
	if (!tee_claim(tv, TEE_VCPU_MMIO, TEE_VCPU_RUNNING))
		return tee_state_err(t, tv);
	if (tee_is_dead(t)) {
		tee_vcpu_clear(tv);
		return CIEE_ERR_TEE_DEAD;
	}
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

/*
 * Hold one TEE vCPU for a reset, from exactly one of the states a reset
 * may start from; *prev says which, for tee_vcpu_release(). A running,
 * held or dead vCPU cannot be held.
 */
static bool tee_vcpu_hold(struct ciee_tee_vcpu *tv, enum tee_state *prev)
{
	static const enum tee_state holdable[] = { TEE_VCPU_READY, TEE_VCPU_NONE,
						   TEE_VCPU_PREEMPTED, TEE_VCPU_MMIO };
	unsigned int i;

	for (i = 0; i < sizeof(holdable) / sizeof(holdable[0]); i++) {
		if (tee_claim(tv, holdable[i], TEE_VCPU_HELD)) {
			*prev = holdable[i];
			return true;
		}
	}
	return false;
}

long ciee_tee_reset(uint64_t tee_id, struct ciee_mmio *mmio)
{
	struct ciee_vm *tee_vm = tee_vm_of(tee_id);
	enum tee_state prev[CIEE_MAX_VCPUS];
	struct ciee_vcpu *vcpus;
	struct ciee_tee_vcpu *tv0;
	struct ciee_tee *t;
	unsigned int i;

	if (!tee_vm)
		return ciee_vm_get(tee_id) ? CIEE_ERR_BAD_KIND : CIEE_ERR_BAD_VM;
	t = tee_of_vm(tee_vm);
	if (tee_is_dead(t))
		return CIEE_ERR_TEE_DEAD;
	/* Only a TEE that registered its vectors has a system_reset slot. */
	if (!__atomic_load_n(&t->booted, __ATOMIC_ACQUIRE))
		return CIEE_ERR_TEE_STATE;
	/* Every vCPU, started or not, or none: the reset holds them all until it is done. */
	for (i = 0; i < CIEE_MAX_VCPUS; i++) {
		struct ciee_tee_vcpu *tv = &t->vcpu[i];

		if (!tee_vcpu_hold(tv, &prev[i]))
			goto busy;
		/* A stop in a boot had not finished it: such a vCPU boots again later. */
		tv->held_from_none = prev[i] == TEE_VCPU_NONE ||
				     (prev[i] != TEE_VCPU_READY && tv->job == TEE_JOB_BOOT);
	}
	tv0 = &t->vcpu[0];
	if (tv0->held_from_none) {
		/* vCPU 0 has booted (t->booted): only a stop in a later reset could say so. */
		i = CIEE_MAX_VCPUS;
		goto busy;
	}
	/*
	 * Every vCPU is held: discard the calls in flight (and, in the VM,
	 * what its vCPUs asked or were answered), then vCPU 0 at the
	 * registered system_reset slot. The others keep their EL1 state (their
	 * vectors) and are free again at SYSTEM_RESET_DONE.
	 */
	vcpus = ciee_vcpus[tee_vm->partner];
	for (i = 0; i < CIEE_MAX_VCPUS; i++) {
		__atomic_store_n(&vcpus[i].smc_pending, false, __ATOMIC_RELEASE);
		vcpus[i].reply_ready = false;
		/* A secure interrupt it was handling when stopped: pending again. */
		if (prev[i] != TEE_VCPU_READY && prev[i] != TEE_VCPU_NONE &&
		    t->vcpu[i].job == TEE_JOB_FIQ)
			tee_virq_abandon(t, &t->vcpu[i]);
	}
	/* Interrupts it raised for the Linux that is going away are not the next one's. */
	tee_gic_vm_reset(t);
	memset(tv0->ctx.x, 0, sizeof(tv0->ctx.x));
	/*
	 * Only the PC changes, as for a call: PSTATE is that of its last SMC
	 * (not of a stop the hypervisor caused in a call it now discards).
	 */
	tv0->ctx.pc = t->vectors + OPTEE_VEC_SYSTEM_RESET;
	tv0->ctx.pstate = tv0->smc_pstate;
	tv0->job = TEE_JOB_RESET;
	tee_set(tv0, TEE_VCPU_RUNNING);
	return tee_run(tee_vm, tv0, mmio);
busy:
	/* Undo: each held vCPU back to exactly the state it was held from. */
	while (i-- > 0)
		tee_set(&t->vcpu[i], prev[i]);
	return tee_state_err(t, &t->vcpu[0]);
}
