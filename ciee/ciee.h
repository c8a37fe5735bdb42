/* SPDX-License-Identifier: MIT */
/* Internal interfaces of the CIEE: world switching and the gate's calls. */
#ifndef CIEE_H
#define CIEE_H

#include <stdbool.h>
#include <stdint.h>
#include <vtz/ciee_abi.h>
#include <vtz/monitor_abi.h>
#include <vtz/tee_input.h>
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
	TEE_JOB_FIQ,      /* at fiq_entry for a secure interrupt of its own, until FIQ_DONE */
};

/*
 * A TEE vCPU's virtual CPU interface (tee_virq.c): the GIC list register
 * the CIEE signals its secure interrupts in, its VMCR (priority mask and
 * group enables, which it writes as ICC_PMR_EL1, ICC_IGRPEN1_EL1) and
 * active priorities. Loaded for every run but the fast call's.
 */
struct tee_vgic {
	uint64_t lr0, vmcr, ap0r0, ap1r0;
};
/* ICH_VMCR_EL2: VPMR 0xff, VENG1, VENG0. */
#define TEE_VMCR_AT_ENTRY ((0xffULL << 24) | 0x3ULL)

/* The secure UART as a TEE sees it (tee_console.c): its receive side. */
#define TEE_UART_RX_SIZE 64
struct tee_uart {
	uint32_t imsc;             /* the interrupt mask it set */
	unsigned int rx_head, rx_len;
	char rx[TEE_UART_RX_SIZE]; /* typed for it on the secure console, not read yet */
	uint32_t rx_dropped;
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
	/* Its GIC (tee_gic.c) and secure UART: set up at its first entry, under gic_lock. */
	struct spinlock gic_lock;
	struct tee_gic gic;
	struct tee_uart uart;
	/* Bit n: a secure interrupt waits for vCPU n (tee_gic_secure_cpus()), read without the lock. */
	uint32_t virq_cpus;
	uint64_t virq_delivered; /* secure interrupts it was entered at fiq_entry for */
	/*
	 * Each vCPU's virtual CPU interface (tee_virq.c), apart from struct
	 * ciee_tee_vcpu, whose size the fast call's address arithmetic likes.
	 */
	struct tee_vgic vgic[CIEE_MAX_VCPUS];
} __attribute__((aligned(16384))); /* a power of two: the fast call finds one with a shift */

static inline struct tee_vgic *tee_vgic_of(struct ciee_tee *t, const struct ciee_tee_vcpu *tv)
{
	return &t->vgic[tv - t->vcpu];
}

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
bool tee_console_access(struct ciee_tee *t, struct ciee_tee_vcpu *tv, uint64_t ipa);
/* A byte typed for t (tee_input.c), under t->gic_lock; false: its receive buffer is full. */
bool tee_uart_rx_put(struct ciee_tee *t, char c);
/* Call under t->gic_lock after any change to its view: the UART's line and virq_cpus. */
void tee_gic_update(struct ciee_tee *t);
/*
 * tee_input.c: what the monitor took from the secure UART (struct
 * tee_input_ring), handed to one TEE at a time. tee_input_waiting() is
 * the cheap test VCPU_RUN makes; tee_input_pull() hands it out.
 */
static inline bool tee_input_waiting(void)
{
	const volatile struct tee_input_ring *r =
		(const volatile struct tee_input_ring *)phys_to_virt(PLAT_TEE_INPUT_BASE);

	return r->head != r->tail;
}
void tee_input_pull(void);
/*
 * tee_virq.c: a TEE's secure interrupts. ciee_tee_deliver(): VCPU_RUN of
 * VM vCPU vcpu found one due for its TEE's vCPU of that index: enter it
 * at fiq_entry (CIEE_EXIT_TEE_DONE when it answered FIQ_DONE, a stop as
 * after TEE_CALL, or CIEE_OK when nothing was entered). TEE_IRQ_DUE.
 */
long ciee_tee_deliver(const struct ciee_vm *vm, uint64_t vcpu, struct ciee_mmio *mmio);
long ciee_tee_irq_due(uint64_t vm_id);
/* One run of a held TEE vCPU (not the fast call's) with its own virtual CPU interface. */
uint64_t tee_run_slow(struct ciee_vm *tee_vm, struct ciee_tee *t, struct ciee_tee_vcpu *tv);
/* Put the secure interrupt due for TEE vCPU vcpu in its list register (true), if any. */
bool tee_virq_load(struct ciee_tee *t, struct ciee_tee_vcpu *tv, unsigned int vcpu);
/* FIQ_DONE: what became of the interrupt it was entered for. */
void tee_virq_fiq_done(struct ciee_tee *t, struct ciee_tee_vcpu *tv);
/*
 * A reset discards a stopped fiq job: its interrupt goes back to pending
 * in the view, and the list register and active priorities are cleared
 * (the handler that would have ended it will never run).
 */
void tee_virq_abandon(struct ciee_tee *t, struct ciee_tee_vcpu *tv);
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
/* A live guest VM's own TEE (CIEE_OK), or BAD_VM, BAD_KIND (a TEE's id), NO_TEE. */
long ciee_guest_tee(uint64_t vm_id, struct ciee_tee **t);
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
