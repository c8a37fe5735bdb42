/* SPDX-License-Identifier: MIT */
/*
 * Native TrustZone: the EL3 monitor as the TEE's dispatcher, following
 * TF-A's opteed. The TEE runs at S-EL1 and is entered only
 *  (a) once at its image entry, on CPU 0, until it answers ENTRY_DONE
 *      with its vector table (which must lie inside its image),
 *  (b) once on each other CPU the normal world starts, at that table's
 *      cpu_on slot, until ON_DONE, and
 *  (c) at that table's fast or yield slot for a trusted-OS SMC of the
 *      normal world, with the caller's x0..x7, until it answers
 *      CALL_DONE; its x1..x4 become the caller's x0..x3, and
 *  (d) at its fiq_entry slot when one of its secure interrupts fires
 *      while the normal world runs on that CPU (taken at EL3 as FIQ),
 *      until FIQ_DONE; the normal world then goes on where it was.
 * Only the PC is chosen: the PSTATE is that of its last SMC (opteed's
 * cm_set_elr_el3()).
 * Its SMCCC Arm Architecture calls are answered as TF-A answers them on
 * a Cortex-A57 (policy/smccc_arch.c), and it goes on.
 * Any other exit (another SMC, TEESMC_VTZ_TEE_DEAD included, or any other
 * exception that reaches EL3) stops the TEE for good, and the call fails
 * with OPTEE_SMC_RETURN_UNKNOWN_FUNCTION, as under the CIEE.
 *
 * AArch64 EL1 system registers are not banked between the worlds, so the
 * monitor switches them on every entry and exit, as TF-A's context
 * management does. The normal world's GPRs stay in the EL3 frame of its
 * SMC (vectors.S) and are restored from there, so it gets back nothing of
 * the TEE's but x0..x3.
 *
 * Every CPU runs both worlds. CPU 0 boots the TEE; a CPU the normal
 * world starts with PSCI CPU_ON enters it at its cpu_on slot first
 * (psci.c, native.c), as opteed does, and then serves its calls from that
 * CPU with that CPU's TEE context, so the TEE runs on several CPUs at
 * once, as an SMP secure OS does on the real machine.
 */
#include <stdbool.h>
#include <string.h>

#include <arch/el1_context.h>
#include <arch/sysreg.h>
#include <lib/console.h>
#include <policy/attest.h>
#include <policy/smccc_arch.h>
#include <vtz/monitor_abi.h>
#include <vtz/optee_abi.h>
#include <vtz/platform.h>
#include <vtz/vcpu_ctx.h>

#include <lib/crypto.h>
#include "monitor.h"

enum tee_cpu_state {
	TEE_CPU_OFF,     /* never entered on this CPU (or no TEE) */
	TEE_CPU_BOOTING, /* at its image entry or cpu_on slot; ENTRY_DONE / ON_DONE due */
	TEE_CPU_READY,   /* waiting for calls on this CPU */
	TEE_CPU_IN_CALL, /* entered at a slot, CALL_DONE due */
};

/*
 * The TEE itself: written by CPU 0 at boot, before any normal-world code
 * runs (so before any other CPU can be started), and read-only after,
 * but for dead.
 */
static struct {
	uint64_t base, size;     /* its image in secure RAM */
	uint64_t vectors;        /* its vector table; 0 until ENTRY_DONE */
	bool dead;               /* stopped for good (atomic: any CPU may stop it) */
	uint8_t measurement[32]; /* SHA-256 of its image, taken at load */
} tee;

/*
 * The TEE on each CPU, as TF-A keeps a secure context per CPU: an SMP
 * secure OS runs on every CPU at once, each with its own registers, EL1
 * system registers and PSTATE. Only the CPU itself touches its entry.
 */
struct tee_cpu {
	enum tee_cpu_state state;
	uint64_t x[31];               /* x0..x30 while it is not running */
	uint64_t elr;                 /* where its last exit happened */
	uint64_t spsr;                /* its PSTATE at that exit */
	struct el1_sysregs el1;       /* its EL1 state */
	struct el1_sysregs ns_el1;    /* the normal world's, while the TEE runs */
};

static struct tee_cpu tee_cpus[PLAT_MAX_CPUS];

static const struct el1_sysregs el1_clean = { .sctlr = SCTLR_EL1_RES1 };

/* entry.S parks every CPU whose Aff0 is PLAT_MAX_CPUS or more. */
static struct tee_cpu *this_tee_cpu(void)
{
	return &tee_cpus[this_cpu_index()];
}

static bool tee_is_dead(void)
{
	return __atomic_load_n(&tee.dead, __ATOMIC_ACQUIRE);
}

/*
 * Run the TEE on this CPU from pc at S-EL1, interrupts as spsr says,
 * until it comes back to EL3; return ESR_EL3 of that exit. The normal
 * world's EL3 return state (ELR/SPSR_EL3 of its SMC) and EL1 registers
 * are kept around it.
 */
static uint64_t tee_run(struct tee_cpu *c, uint64_t pc, uint64_t spsr)
{
	uint64_t ns_elr = read_sysreg(elr_el3), ns_spsr = read_sysreg(spsr_el3);
	uint64_t esr;

	el1_save(&c->ns_el1);
	el1_load(&c->el1);
	write_sysreg(scr_el3, NATIVE_SCR_SECURE);
	write_sysreg(elr_el3, pc);
	write_sysreg(spsr_el3, spsr);
	isb();
	tee_world_enter(c->x);
	esr = read_sysreg(esr_el3);
	c->elr = read_sysreg(elr_el3);
	c->spsr = read_sysreg(spsr_el3);
	el1_save(&c->el1);
	el1_load(&c->ns_el1);
	write_sysreg(scr_el3, NATIVE_SCR_NS);
	write_sysreg(elr_el3, ns_elr);
	write_sysreg(spsr_el3, ns_spsr);
	isb();
	return esr;
}

static void serve_key(struct tee_cpu *c);
static void serve_attest(struct tee_cpu *c);

/*
 * Run the TEE from pc with PSTATE spsr, and serve what firmware answers
 * without leaving the TEE: its Arm Architecture calls (SMCCC_VERSION,
 * SMCCC_ARCH_FEATURES, the workarounds; policy/smccc_arch.c) at any time,
 * and the key service inside a call. Each resumes the TEE past its SMC
 * (ELR_EL3) in the PSTATE it made it in. Returns ESR_EL3 of the exit
 * that is for the caller.
 */
static uint64_t tee_run_served(struct tee_cpu *c, uint64_t pc, uint64_t spsr, bool in_call)
{
	uint64_t esr = tee_run(c, pc, spsr);
	int64_t x0;

	while (((esr >> ESR_EC_SHIFT) & ESR_EC_MASK) == EC_SMC64) {
		switch (smccc_arch_secure_call(c->x[0], c->x[1], &x0)) {
		case SMCCC_ARCH_SET_X0:
			c->x[0] = (uint64_t)x0;
			break;
		case SMCCC_ARCH_NO_CHANGE:
			break;
		case SMCCC_ARCH_NOT_ARCH:
			if (in_call && (uint32_t)c->x[0] == VTZ_SMC_TEE_GET_KEY)
				serve_key(c);
			else if (in_call && (uint32_t)c->x[0] == VTZ_SMC_TEE_ATTEST)
				serve_attest(c);
			else
				return esr;
			break;
		}
		esr = tee_run(c, c->elr, c->spsr);
	}
	return esr;
}

static bool exit_is_smc(const struct tee_cpu *c, uint64_t esr, uint32_t fid)
{
	return ((esr >> ESR_EC_SHIFT) & ESR_EC_MASK) == EC_SMC64 && (uint32_t)c->x[0] == fid;
}

/* Forget the TEE's state on this CPU. */
static void tee_cpu_clear(struct tee_cpu *c)
{
	memset(c->x, 0, sizeof(c->x));
	c->el1 = el1_clean;
	c->elr = c->spsr = 0;
	c->state = TEE_CPU_OFF;
}

/*
 * Stop the TEE for good, on every CPU: nothing of its state on this CPU
 * is kept, and every other CPU drops its own at its next exit or call.
 */
static void tee_kill(struct tee_cpu *c, const char *why, uint64_t esr)
{
	con_printf("TEE stopped: %s (x0=0x%lx EC=0x%02lx ESR=0x%lx ELR=0x%lx); trusted-OS "
		   "calls now fail\n",
		   why, c->x[0], (esr >> ESR_EC_SHIFT) & ESR_EC_MASK, esr, c->elr);
	__atomic_store_n(&tee.dead, true, __ATOMIC_RELEASE);
	tee_cpu_clear(c);
}

/* Why an exit that is not the expected return kills the TEE. */
static const char *bad_exit(const struct tee_cpu *c, uint64_t esr)
{
	if (((esr >> ESR_EC_SHIFT) & ESR_EC_MASK) != EC_SMC64)
		return "exception from S-EL1 that is not an SMC";
	if ((uint32_t)c->x[0] == TEESMC_VTZ_TEE_DEAD)
		return "it reported itself dead with TEESMC_VTZ_TEE_DEAD";
	return "unexpected SMC from the TEE";
}

/*
 * The first entry, on CPU 0 before the normal world runs: TF-A's opteed
 * boot arguments (x0 = 0: no pager image; x1 = mem_limit, the normal
 * world's RAM; x2 = the device tree the normal world boots with, or 0;
 * x3 = 0), EL1h with every exception masked, until ENTRY_DONE.
 */
int tee_dispatch_boot(uint64_t base, uint64_t size, const uint8_t measurement[32], uint64_t dtb)
{
	struct tee_cpu *c = this_tee_cpu();
	uint64_t esr, vec, end = base + size;

	tee.base = base;
	tee.size = size;
	memcpy(tee.measurement, measurement, sizeof(tee.measurement));
	tee_cpu_clear(c);
	c->x[1] = PLAT_NS_RAM_SIZE;
	c->x[2] = dtb;
	c->state = TEE_CPU_BOOTING;
	esr = tee_run_served(c, base, SPSR_EL1H | SPSR_DAIF_MASKED, false);
	/* Whatever the normal world finds in EL1 at its entry is clean. */
	c->ns_el1 = el1_clean;
	el1_load(&c->ns_el1);
	isb();
	if (!exit_is_smc(c, esr, TEESMC_OPTEED_RETURN_ENTRY_DONE)) {
		tee_kill(c, bad_exit(c, esr), esr);
		return -1;
	}
	/* Every slot must be inside the image: the TEE is entered nowhere else. */
	vec = c->x[1];
	if ((vec & 3) || vec < base || vec >= end || end - vec < 4 * OPTEE_VEC_COUNT) {
		tee_kill(c, "ENTRY_DONE with a vector table outside its image", esr);
		return -1;
	}
	tee.vectors = vec;
	c->state = TEE_CPU_READY;
	con_printf("TEE initialised at S-EL1: ENTRY_DONE, vector table at 0x%lx\n", vec);
	return 0;
}

/*
 * A CPU started by PSCI CPU_ON, before the normal world runs on it: as
 * opteed's cpu_on_finish hook, the TEE's cpu_on slot in EL1h with every
 * exception masked, x0..x7 zero and a clean EL1, until ON_DONE. Without
 * a TEE (none booted, or stopped) the CPU goes on without it, as opteed
 * does when its secure OS did not initialise.
 */
int tee_dispatch_cpu_on(void)
{
	struct tee_cpu *c = this_tee_cpu();
	uint64_t esr;

	tee_cpu_clear(c);
	if (!tee.vectors || tee_is_dead())
		return -1;
	c->state = TEE_CPU_BOOTING;
	esr = tee_run_served(c, tee.vectors + OPTEE_VEC_CPU_ON, SPSR_EL1H | SPSR_DAIF_MASKED,
			     false);
	c->ns_el1 = el1_clean;
	el1_load(&c->ns_el1);
	isb();
	if (!exit_is_smc(c, esr, TEESMC_OPTEED_RETURN_ON_DONE)) {
		tee_kill(c, bad_exit(c, esr), esr);
		return -1;
	}
	c->state = TEE_CPU_READY;
	con_printf("TEE on cpu%u at S-EL1: ON_DONE\n", this_cpu_index());
	return 0;
}

static void call_fails(struct smc_frame *f)
{
	f->x[0] = OPTEE_SMC_RETURN_UNKNOWN_FUNCTION;
	f->x[1] = f->x[2] = f->x[3] = 0;
}

/*
 * VTZ_SMC_TEE_GET_KEY from inside a call: its key in x1..x4, x0 = 0; the
 * TEE resumes after its SMC. The key lives only in the TEE's saved
 * registers (secure RAM) and in the TEE.
 */
static void serve_key(struct tee_cpu *c)
{
	uint8_t key[32] __attribute__((aligned(8)));

	/* One normal world, no VM: the all-zero identity. */
	static const uint8_t no_vm[VTZ_VM_IDENTITY_LEN];

	if (keys_tee_key(tee.measurement, no_vm, key)) {
		c->x[0] = (uint64_t)(int64_t)-1;
		memset(&c->x[1], 0, 4 * sizeof(c->x[1]));
		return;
	}
	c->x[0] = 0;
	memcpy(&c->x[1], key, sizeof(key));
	crypto_zeroize(key, sizeof(key));
}

/*
 * VTZ_SMC_TEE_ATTEST from inside a call (include/vtz/optee_abi.h): the
 * report goes to x1, which must lie in the TEE's own secure RAM (its MMU
 * is its own business; the address is physical, as its dispatcher sees
 * it). The measurement is the one taken at load; the identity is zero:
 * one normal world, no VM. x0 = 0 and x1 = the report's size, or x0 =
 * VTZ_ATTEST_ERR_* and nothing written; the TEE resumes after its SMC.
 */
static void serve_attest(struct tee_cpu *c)
{
	static const uint8_t no_vm[VTZ_ATTEST_IDENTITY_LEN];
	struct vtz_attest_report r __attribute__((aligned(8)));
	uint8_t nonce[VTZ_ATTEST_NONCE_LEN] __attribute__((aligned(8)));
	uint64_t dst = c->x[1];
	int64_t err = attest_dest_check(dst, c->x[2]);

	memcpy(nonce, &c->x[3], sizeof(nonce));
	if (!err && (dst < NATIVE_TEE_BASE || dst - NATIVE_TEE_BASE >= NATIVE_TEE_SIZE))
		err = VTZ_ATTEST_ERR_NOT_OWN;
	if (!err && attest_sign(tee.measurement, no_vm, nonce, &r))
		err = VTZ_ATTEST_ERR_SIGN;
	if (!err)
		attest_copy_out(dst, &r);
	c->x[0] = (uint64_t)err;
	c->x[1] = err ? 0 : VTZ_ATTEST_REPORT_LEN;
}

#define GICD_ICENABLER 0x0180
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1

/*
 * A secure interrupt the TEE cannot take on this CPU (dead, or never
 * started here): taken and ended here, and disabled, so the normal world
 * is not stopped by it again and again. Reported once per INTID.
 */
static void fiq_nobody_takes(void)
{
	uint64_t intid = read_sysreg(ICC_IAR1_EL1) & 0xffffff;

	if (intid >= 1020)
		return;
	*(volatile uint32_t *)(PLAT_GICD_BASE + GICD_ICENABLER + 4 * (intid / 32)) =
		1U << (intid % 32);
	write_sysreg(ICC_EOIR1_EL1, intid);
	isb();
	con_printf("cpu%u: secure interrupt %lu with no TEE to take it: disabled\n",
		   this_cpu_index(), intid);
}

/*
 * A secure (group 1) interrupt while the normal world ran on this CPU
 * (native.c: FIQ at EL3): the TEE at its fiq_entry slot, as opteed's
 * opteed_sel1_interrupt_handler() does, until FIQ_DONE. The TEE
 * acknowledges and ends the interrupt itself, at its CPU interface.
 */
void tee_dispatch_fiq(void)
{
	struct tee_cpu *c = this_tee_cpu();
	uint64_t esr;

	if (tee_is_dead() || c->state != TEE_CPU_READY) {
		fiq_nobody_takes();
		return;
	}
	c->state = TEE_CPU_IN_CALL;
	esr = tee_run_served(c, tee.vectors + OPTEE_VEC_FIQ, c->spsr, false);
	if (!exit_is_smc(c, esr, TEESMC_OPTEED_RETURN_FIQ_DONE)) {
		tee_kill(c, bad_exit(c, esr), esr);
		return;
	}
	if (tee_is_dead()) {
		tee_cpu_clear(c);
		return;
	}
	c->state = TEE_CPU_READY;
}

/* A trusted-OS SMC of the normal world; f is its EL3 frame. */
void tee_dispatch_call(struct smc_frame *f)
{
	struct tee_cpu *c = this_tee_cpu();
	uint32_t fid = (uint32_t)f->x[0];
	uint64_t esr;
	unsigned int i;

	if (tee_is_dead() || c->state != TEE_CPU_READY) {
		con_printf("trusted-OS call 0x%08x failed: %s\n", fid,
			   tee_is_dead() ? "the TEE was stopped" : "no TEE");
		if (c->state != TEE_CPU_OFF)
			tee_cpu_clear(c);
		call_fails(f);
		return;
	}
	for (i = 0; i < 8; i++)
		c->x[i] = f->x[i];
	c->state = TEE_CPU_IN_CALL;
	/*
	 * opteed changes only the return address (cm_set_elr_el3()): the TEE
	 * keeps the PSTATE of its last SMC on this CPU (SPSR_EL3 then), its
	 * stack selection and interrupt masks included.
	 */
	esr = tee_run_served(c, tee.vectors + ((fid & SMCCC_FAST_CALL) ? OPTEE_VEC_FAST_SMC :
									   OPTEE_VEC_YIELD_SMC),
			     c->spsr, true);
	if (!exit_is_smc(c, esr, TEESMC_OPTEED_RETURN_CALL_DONE)) {
		tee_kill(c, bad_exit(c, esr), esr);
		con_printf("trusted-OS call 0x%08x failed: the TEE was stopped\n", fid);
		call_fails(f);
		return;
	}
	/* Stopped on another CPU meanwhile: nothing of this run is handed on. */
	if (tee_is_dead()) {
		tee_cpu_clear(c);
		con_printf("trusted-OS call 0x%08x failed: the TEE was stopped\n", fid);
		call_fails(f);
		return;
	}
	/* opteed: x1..x4 of the TEE become x0..x3 of the caller. */
	for (i = 0; i < 4; i++)
		f->x[i] = c->x[i + 1];
	c->state = TEE_CPU_READY;
}
