/* SPDX-License-Identifier: MIT */
/* Internal interfaces of the CIEE: world switching and the gate's calls. */
#ifndef CIEE_H
#define CIEE_H

#include <stdbool.h>
#include <stdint.h>
#include <vtz/ciee_abi.h>
#include <vtz/monitor_abi.h>
#include <vtz/vcpu_ctx.h>

#include <policy/tee_gic.h>

#include "../smm/smm.h"
#include "percpu.h"

/*
 * A guest TEE has one vCPU per vCPU of its VM (same index: VM vCPU i's
 * calls go to TEE vCPU i only). Each is a state machine; every operation
 * moves it by compare-and-swap from exactly the state it starts from
 * (docs/security.md, "TEE vCPU states"), and a stop (preempted, MMIO)
 * is a state, so it lives and dies with it.
 */
enum tee_state {
	TEE_VCPU_NONE = 0,  /* never started */
	TEE_VCPU_READY,     /* idle: may be called at a registered vector */
	TEE_VCPU_RUNNING,   /* on a CPU now; only that CPU touches it */
	TEE_VCPU_PREEMPTED, /* stopped by an interrupt: TEE_RESUME continues at ctx.pc */
	TEE_VCPU_MMIO,      /* stopped at an MMIO access: TEE_RESUME brings the value */
	TEE_VCPU_HELD,      /* held by a TEE_RESET until SYSTEM_RESET_DONE */
	TEE_VCPU_DEAD,      /* the TEE faulted; nothing enters it again */
};

/* What a running or stopped TEE vCPU is doing; set by whoever holds it. */
enum tee_job {
	TEE_JOB_BOOT = 0, /* image entry (vCPU 0) or cpu_on, until ENTRY_DONE / ON_DONE */
	TEE_JOB_CALL,     /* a call from its VM vCPU, until CALL_DONE */
	TEE_JOB_RESET,    /* vCPU 0 at system_reset, until SYSTEM_RESET_DONE */
};

/* FP/SIMD registers as ciee/fpsimd.S stores them: q0..q31, FPSR, FPCR. */
struct ciee_fpsimd {
	uint64_t q[64];
	uint64_t fpsr, fpcr;
} __attribute__((aligned(16))); /* CIEE mode is MMU off: Device memory, no unaligned q access */
_Static_assert(__builtin_offsetof(struct ciee_fpsimd, fpsr) == 512, "fpsimd.S layout");

/* One vCPU of a guest TEE: its state never leaves CIEE memory. */
struct ciee_tee_vcpu {
	enum tee_state state;   /* changed only by compare-and-swap (tee.c) */
	enum tee_job job;       /* RUNNING, PREEMPTED, MMIO: what it is doing */
	bool held_from_none;    /* HELD: it had never started (NONE again after the reset) */
	struct vcpu_ctx ctx;    /* saved state, never visible to the hypervisor */
	struct ciee_fpsimd fp;  /* its FP/SIMD state, switched lazily (switch.c) */
	uint64_t smc_pstate;    /* PSTATE at its last SMC: every later slot entry keeps it */
	unsigned int mmio_srt;  /* MMIO: register the read value goes to */
	unsigned int mmio_size;
	bool mmio_sign_extend;
	bool mmio_sf;
	bool mmio_is_write;
	/* Its console line so far (tee_console.c). */
	unsigned int con_len;
	char con[VTZ_MON_CONSOLE_LINE];
};

struct ciee_tee {
	bool dead;                /* one vCPU faulted: the whole TEE is stopped */
	bool booted;              /* vCPU 0 registered its vectors (ENTRY_DONE); never cleared */
	uint64_t vectors;         /* IPA of the registered optee_vectors_t */
	uint64_t measurement[4];  /* SHA-256 of its image from the monitor, at TEE_BOOT */
	uint64_t image_size;      /* bytes measured, from its entry */
	char name[8];             /* its console's prefix, from TEE_BOOT (checked) */
	struct ciee_tee_vcpu vcpu[CIEE_MAX_VCPUS];
	/* Its GIC (tee_gic.c): set up at its first entry, under gic_lock. */
	struct spinlock gic_lock;
	struct tee_gic gic;
};

/* What the CIEE keeps of a guest VM's vCPU: its pending TEE call and reply. */
struct ciee_vcpu {
	bool smc_pending;  /* last exit was a trusted-OS SMC not yet served */
	bool reply_ready;  /* the TEE answered: apply at the next VCPU_RUN */
	uint64_t args[8];  /* x0..x7 at that SMC, as the guest left them */
	uint64_t reply[4]; /* the TEE's x1..x4: the guest's x0..x3 */
};

/* World-switch state, by VM id: the CIEE's own memory, in no home's SMM state. */
extern struct ciee_tee ciee_tees[CIEE_MAX_VMS];
extern struct ciee_vcpu ciee_vcpus[CIEE_MAX_VMS][CIEE_MAX_VCPUS];

extern struct ciee_percpu ciee_percpu[];

/* switch.c, fpsimd.S */
void ciee_fpsimd_swap(struct ciee_fpsimd *save, const struct ciee_fpsimd *load);
uint64_t ciee_guest_enter(struct vcpu_ctx *ctx);
uint64_t ciee_run(struct ciee_vm *vm, struct vcpu_ctx *ctx, struct ciee_fpsimd *tee_fp);
void ciee_scrub_el1(void);
long ciee_vcpu_run(uint64_t id, struct vcpu_ctx *ctx, uint64_t vcpu, struct ciee_mmio *mmio);

/*
 * lifecycle.c: a use of the VM+TEE pair that id belongs to, held by every
 * call that runs one of its vCPUs (returns the pair's guest VM id for
 * ciee_pair_exit, or CIEE_ERR_BAD_VM / _VM_DYING / _BAD_KIND); VM_DESTROY.
 */
long ciee_pair_enter(uint64_t id);
void ciee_pair_exit(long root);
long ciee_vm_destroy(uint64_t id);

/* tee.c */
long ciee_tee_boot(uint64_t tee_id, struct ciee_mmio *mmio, uint64_t entry, uint64_t vcpu,
		   uint64_t ucfg);
long ciee_tee_call(uint64_t vm_id, uint64_t vcpu, struct ciee_mmio *mmio);
long ciee_tee_resume(uint64_t tee_id, struct ciee_mmio *mmio, uint64_t vcpu);
long ciee_tee_reset(uint64_t tee_id, struct ciee_mmio *mmio);
/* tee_console.c: a TEE's access to the secure UART, answered here (true) */
bool tee_console_access(const struct ciee_tee *t, struct ciee_tee_vcpu *tv, uint64_t ipa);
/*
 * tee_gic.c: a TEE's access at ipa to its GIC, answered here and the PC
 * moved past it (TEE_GIC_DONE, or TEE_GIC_RAISED when it raised an SPI
 * for its VM anew), or TEE_GIC_NOT_MINE (not a GIC address: nothing done).
 * The view is set up at the TEE's first entry; a reset of its VM drops
 * what was raised and not taken.
 */
#define TEE_GIC_NOT_MINE 0
#define TEE_GIC_DONE 1
#define TEE_GIC_RAISED 2
int tee_gic_mmio(struct ciee_tee *t, struct ciee_tee_vcpu *tv, uint64_t ipa);
void tee_gic_reset(struct ciee_tee *t);
void tee_gic_vm_reset(struct ciee_tee *t);
/* TEE_IRQ_TAKE: the next INTID vm_id's TEE raised for it (0: none), or CIEE_ERR_*. */
long ciee_tee_irq_take(uint64_t vm_id);

/*
 * hyp_args.c: the one way a structure crosses from hypervisor memory. A
 * pointer argument: its address in hypervisor memory, the CIEE's copy,
 * its size (a multiple of 8), whether the call reads it, and the error
 * for a misaligned one (CIEE_ERR_BAD_PTR, CIEE_ERR_BAD_MMIO).
 */
struct hyp_arg {
	uint64_t uaddr;
	void *copy;
	uint64_t size;
	bool copy_in;
	long align_err;
};
/* placement.c: VM_PLACEMENT, and what it learns at boot and at every run. */
void ciee_placement_init(uint64_t rsdp);
void ciee_placement_ran(uint64_t id);
long ciee_vm_placement(uint64_t id);
long ciee_args_in(const struct hyp_arg *args, unsigned int n);
long ciee_args_out(const struct hyp_arg *args, unsigned int n);

#endif
