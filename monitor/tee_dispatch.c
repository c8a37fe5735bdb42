/* SPDX-License-Identifier: MIT */
/*
 * Native TrustZone: the EL3 monitor as the TEE's dispatcher, following
 * TF-A's opteed. The TEE runs at S-EL1 and is entered only
 *  (a) once at its image entry, until it answers ENTRY_DONE with its
 *      vector table (which must lie inside its image), and
 *  (b) at that table's fast or yield slot for a trusted-OS SMC of the
 *      normal world, with the caller's x0..x7, until it answers
 *      CALL_DONE; its x1..x4 become the caller's x0..x3. Only the PC is
 *      chosen: the PSTATE is that of its last SMC (opteed's
 *      cm_set_elr_el3()).
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
 * One CPU (CPU 0) runs the normal world and the TEE: the TEE has no
 * cpu_on entry and the native monitor refuses CPU_ON.
 */
#include <stdbool.h>
#include <string.h>

#include <arch/el1_context.h>
#include <arch/sysreg.h>
#include <lib/console.h>
#include <policy/smccc_arch.h>
#include <vtz/optee_abi.h>
#include <vtz/platform.h>
#include <vtz/vcpu_ctx.h>

#include "crypto.h"
#include "monitor.h"


enum tee_state {
	TEE_ABSENT,
	TEE_BOOTING, /* entered at its image entry, ENTRY_DONE due */
	TEE_READY,   /* vector table registered, waiting for calls */
	TEE_IN_CALL, /* entered at a slot, CALL_DONE due */
	TEE_DEAD,    /* stopped; every call fails */
};

static struct {
	enum tee_state state;
	uint64_t base, size; /* its image in secure RAM */
	uint64_t vectors;
	uint64_t x[31];      /* x0..x30 while it is not running */
	uint64_t elr;        /* where its last exit happened */
	uint64_t spsr;       /* its PSTATE at that exit */
	uint8_t measurement[32]; /* SHA-256 of its image, taken at load */
	struct el1_sysregs el1;
} tee;

/* The normal world's EL1 state while the TEE runs. */
static struct el1_sysregs ns_el1;

static const struct el1_sysregs el1_clean = { .sctlr = SCTLR_EL1_RES1 };



/*
 * Run the TEE from pc at S-EL1h, interrupts masked, until it comes back
 * to EL3; return ESR_EL3 of that exit. The normal world's EL3 return
 * state (ELR/SPSR_EL3 of its SMC) and EL1 registers are kept around it.
 */
static uint64_t tee_run(uint64_t pc, uint64_t spsr)
{
	uint64_t ns_elr = read_sysreg(elr_el3), ns_spsr = read_sysreg(spsr_el3);
	uint64_t esr;

	el1_save(&ns_el1);
	el1_load(&tee.el1);
	write_sysreg(scr_el3, NATIVE_SCR_SECURE);
	write_sysreg(elr_el3, pc);
	write_sysreg(spsr_el3, spsr);
	isb();
	tee_world_enter(tee.x);
	esr = read_sysreg(esr_el3);
	tee.elr = read_sysreg(elr_el3);
	tee.spsr = read_sysreg(spsr_el3);
	el1_save(&tee.el1);
	el1_load(&ns_el1);
	write_sysreg(scr_el3, NATIVE_SCR_NS);
	write_sysreg(elr_el3, ns_elr);
	write_sysreg(spsr_el3, ns_spsr);
	isb();
	return esr;
}

static void serve_key(void);

/*
 * Run the TEE from pc with PSTATE spsr, and serve what firmware answers
 * without leaving the TEE: its Arm Architecture calls (SMCCC_VERSION,
 * SMCCC_ARCH_FEATURES, the workarounds; policy/smccc_arch.c) at any time,
 * and the key service inside a call. Each resumes the TEE past its SMC
 * (ELR_EL3) in the PSTATE it made it in. Returns ESR_EL3 of the exit
 * that is for the caller.
 */
static uint64_t tee_run_served(uint64_t pc, uint64_t spsr, bool in_call)
{
	uint64_t esr = tee_run(pc, spsr);
	int64_t x0;

	while (((esr >> ESR_EC_SHIFT) & ESR_EC_MASK) == EC_SMC64) {
		switch (smccc_arch_secure_call(tee.x[0], tee.x[1], &x0)) {
		case SMCCC_ARCH_SET_X0:
			tee.x[0] = (uint64_t)x0;
			break;
		case SMCCC_ARCH_NO_CHANGE:
			break;
		case SMCCC_ARCH_NOT_ARCH:
			if (!in_call || (uint32_t)tee.x[0] != VTZ_SMC_TEE_GET_KEY)
				return esr;
			serve_key();
			break;
		}
		esr = tee_run(tee.elr, tee.spsr);
	}
	return esr;
}

static bool exit_is_smc(uint64_t esr, uint32_t fid)
{
	return ((esr >> ESR_EC_SHIFT) & ESR_EC_MASK) == EC_SMC64 && (uint32_t)tee.x[0] == fid;
}

/* Stop the TEE for good; nothing of its state is kept. */
static void tee_kill(const char *why, uint64_t esr)
{
	con_printf("TEE stopped: %s (x0=0x%lx EC=0x%02lx ESR=0x%lx ELR=0x%lx); trusted-OS "
		   "calls now fail\n",
		   why, tee.x[0], (esr >> ESR_EC_SHIFT) & ESR_EC_MASK, esr, tee.elr);
	tee.state = TEE_DEAD;
	memset(tee.x, 0, sizeof(tee.x));
	tee.el1 = el1_clean;
	tee.vectors = 0;
}

/* Why an exit that is not the expected return kills the TEE. */
static const char *bad_exit(uint64_t esr)
{
	if (((esr >> ESR_EC_SHIFT) & ESR_EC_MASK) != EC_SMC64)
		return "exception from S-EL1 that is not an SMC";
	if ((uint32_t)tee.x[0] == TEESMC_VTZ_TEE_DEAD)
		return "it reported itself dead with TEESMC_VTZ_TEE_DEAD";
	return "unexpected SMC from the TEE";
}

int tee_dispatch_boot(uint64_t base, uint64_t size, const uint8_t measurement[32])
{
	uint64_t esr, vec, end = base + size;

	tee.base = base;
	tee.size = size;
	memcpy(tee.measurement, measurement, sizeof(tee.measurement));
	memset(tee.x, 0, sizeof(tee.x));
	/* Boot argument, as under the CIEE: the normal world's RAM it may use. */
	tee.x[1] = PLAT_NS_RAM_SIZE;
	tee.el1 = el1_clean;
	tee.state = TEE_BOOTING;
	/* opteed: the first entry in EL1h with every exception masked. */
	esr = tee_run_served(base, SPSR_EL1H | SPSR_DAIF_MASKED, false);
	/* Whatever the normal world finds in EL1 at its entry is clean. */
	ns_el1 = el1_clean;
	el1_load(&ns_el1);
	isb();
	if (!exit_is_smc(esr, TEESMC_OPTEED_RETURN_ENTRY_DONE)) {
		tee_kill(bad_exit(esr), esr);
		return -1;
	}
	/* Every slot must be inside the image: the TEE is entered nowhere else. */
	vec = tee.x[1];
	if ((vec & 3) || vec < base || vec >= end || end - vec < 4 * OPTEE_VEC_COUNT) {
		tee_kill("ENTRY_DONE with a vector table outside its image", esr);
		return -1;
	}
	tee.vectors = vec;
	tee.state = TEE_READY;
	con_printf("TEE initialised at S-EL1: ENTRY_DONE, vector table at 0x%lx\n", vec);
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
static void serve_key(void)
{
	uint8_t key[32] __attribute__((aligned(8)));

	if (keys_tee_key(tee.measurement, key)) {
		tee.x[0] = (uint64_t)(int64_t)-1;
		memset(&tee.x[1], 0, 4 * sizeof(tee.x[1]));
		return;
	}
	tee.x[0] = 0;
	memcpy(&tee.x[1], key, sizeof(key));
	crypto_zeroize(key, sizeof(key));
}

/* A trusted-OS SMC of the normal world; f is its EL3 frame. */
void tee_dispatch_call(struct smc_frame *f)
{
	uint32_t fid = (uint32_t)f->x[0];
	uint64_t esr;
	unsigned int i;

	if (tee.state != TEE_READY) {
		con_printf("trusted-OS call 0x%08x failed: %s\n", fid,
			   tee.state == TEE_DEAD ? "the TEE was stopped" : "no TEE");
		call_fails(f);
		return;
	}
	for (i = 0; i < 8; i++)
		tee.x[i] = f->x[i];
	tee.state = TEE_IN_CALL;
	/*
	 * opteed changes only the return address (cm_set_elr_el3()): the TEE
	 * keeps the PSTATE of its last SMC (SPSR_EL3 then), its stack
	 * selection and interrupt masks included.
	 */
	esr = tee_run_served(tee.vectors + ((fid & SMCCC_FAST_CALL) ? OPTEE_VEC_FAST_SMC :
								      OPTEE_VEC_YIELD_SMC),
			     tee.spsr, true);
	if (!exit_is_smc(esr, TEESMC_OPTEED_RETURN_CALL_DONE)) {
		tee_kill(bad_exit(esr), esr);
		con_printf("trusted-OS call 0x%08x failed: the TEE was stopped\n", fid);
		call_fails(f);
		return;
	}
	/* opteed: x1..x4 of the TEE become x0..x3 of the caller. */
	for (i = 0; i < 4; i++)
		f->x[i] = tee.x[i + 1];
	tee.state = TEE_READY;
}
