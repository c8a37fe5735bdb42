/* SPDX-License-Identifier: MIT */
/* Internal interfaces of the CIEE. */
#ifndef CIEE_H
#define CIEE_H

#include <stdbool.h>
#include <stdint.h>
#include <arch/phys.h>
#include <lib/spinlock.h>
#include <policy/ownership.h>
#include <policy/pgtable.h>
#include <vtz/ciee_abi.h>
#include <vtz/platform.h>
#include <vtz/vcpu_ctx.h>

#include "percpu.h"

#define CIEE_MAX_VMS 16

/*
 * A guest TEE has one vCPU per vCPU of its VM (same index: VM vCPU i's
 * calls go to TEE vCPU i only). vCPU 0 boots at the image entry; each
 * other vCPU is started at the TEE's cpu_on vector (TF-A opteed).
 */
enum tee_state {
	TEE_STATE_NONE = 0, /* created, never entered */
	TEE_STATE_BOOTING,  /* first entry (image entry or cpu_on), until ENTRY/ON_DONE */
	TEE_STATE_READY,    /* idle: may be entered at a registered vector */
	TEE_STATE_IN_CALL,  /* running a call for its VM vCPU */
	TEE_STATE_DEAD,     /* the TEE faulted; every call fails */
	TEE_STATE_RESETTING, /* vCPU 0 at the system_reset vector, until SYSTEM_RESET_DONE */
};

/* FP/SIMD registers as ciee/fpsimd.S stores them: q0..q31, FPSR, FPCR. */
struct ciee_fpsimd {
	uint64_t q[64];
	uint64_t fpsr, fpcr;
} __attribute__((aligned(16))); /* CIEE mode is MMU off: Device memory, no unaligned q access */
_Static_assert(__builtin_offsetof(struct ciee_fpsimd, fpsr) == 512, "fpsimd.S layout");

/* One vCPU of a guest TEE: its state never leaves CIEE memory. */
struct ciee_tee_vcpu {
	enum tee_state state;
	struct vcpu_ctx ctx;    /* saved state, never visible to the hypervisor */
	struct ciee_fpsimd fp;  /* its FP/SIMD state, switched lazily (switch.c) */
	bool mmio_pending;      /* stopped on an MMIO access the hypervisor serves */
	bool preempted;         /* stopped by an interrupt: TEE_RESUME continues at ctx.pc */
	unsigned int mmio_srt;  /* register the read value goes to */
	unsigned int mmio_size;
	bool mmio_sign_extend;
	bool mmio_sf;
	bool mmio_is_write;
	struct ciee_vcpu *caller; /* VM vCPU whose call is running */
};

struct ciee_tee {
	bool dead;                /* one vCPU faulted: the whole TEE is stopped */
	uint64_t vectors;         /* IPA of the registered optee_vectors_t */
	uint64_t measurement[4];  /* SHA-256 of its image from the monitor, at TEE_BOOT */
	struct ciee_tee_vcpu vcpu[CIEE_MAX_VCPUS];
};

/* What the CIEE keeps of a guest VM's vCPU: its pending TEE call and reply. */
struct ciee_vcpu {
	bool smc_pending;  /* last exit was a trusted-OS SMC not yet served */
	bool reply_ready;  /* the TEE answered: apply at the next VCPU_RUN */
	uint64_t args[8];  /* x0..x7 at that SMC, as the guest left them */
	uint64_t reply[4]; /* the TEE's x1..x4: the guest's x0..x3 */
};

struct ciee_vm {
	bool live;
	unsigned int kind; /* CIEE_VM_KIND_* */
	unsigned int partner; /* TEE: its VM; VM: its TEE (or CIEE_MAX_VMS if none) */
	uint16_t vmid;
	struct pt s2;
	struct ciee_tee tee; /* used when kind == TEE */
	struct ciee_vcpu vcpus[CIEE_MAX_VCPUS]; /* used when kind == GUEST */
};

extern struct ciee_percpu ciee_percpu[];

/*
 * A structure the hypervisor passes by pointer (a vCPU context, an MMIO
 * descriptor): aligned and wholly inside the hypervisor's own region, so
 * never in the CIEE's memory or anyone else's.
 */
static inline bool hyp_ptr_ok(const void *ptr, uint64_t size)
{
	uint64_t p = (uint64_t)ptr;

	return (p & 7) == 0 && p >= PLAT_HYP_BASE && size <= PLAT_HYP_SIZE &&
	       p - PLAT_HYP_BASE <= PLAT_HYP_SIZE - size;
}

/*
 * Secure-memory-mapping state, at a fixed address in the CIEE data region
 * (never mapped for the hypervisor). The CIEE owns it; with GATE=el3 the
 * same SMM code (mmu.c, vm.c) is linked into the monitor, which then owns
 * everything here except the TEEs' world-switch state (vms[].tee), still
 * the CIEE's. Nothing in it is a pointer into either image.
 */
struct smm_state {
	struct spinlock lock;      /* all SMM state: ownership, tables, VM list */
	struct spinlock pool_lock; /* the table-page pool */
	uint64_t pool_next;
	struct own_table own;
	struct pt hyp_s1;
	struct ciee_vm vms[CIEE_MAX_VMS];
};
#define smm ((struct smm_state *)phys_to_virt(PLAT_SMM_STATE_BASE))
_Static_assert(sizeof(struct smm_state) <= PLAT_PT_POOL_BASE - PLAT_SMM_STATE_BASE,
	       "SMM state overflows its place");

/* mmu.c */
int ciee_table_alloc(void *ctx, uint64_t *pa);
uint64_t ciee_tables_used(void);
extern const struct pt_mem_ops ciee_table_ops;
/* A table handle with this image's table accessors (the stored ops pointer
 * may belong to the other image). */
static inline struct pt smm_pt(const struct pt *p)
{
	struct pt l = *p;

	l.ops = &ciee_table_ops;
	return l;
}
void ciee_mmu_build(void);
void ciee_mmu_setup(void);
void ciee_hyp_tlb_flush(void);

/* vm.c */
struct ciee_vm *ciee_vm_get(uint64_t id);
long ciee_vm_create(uint64_t id, uint64_t kind, uint64_t partner);
long ciee_s2_map(uint64_t id, uint64_t ipa, uint64_t pa, uint64_t size, uint64_t flags);
long ciee_s2_unmap(uint64_t id, uint64_t ipa, uint64_t size);
long ciee_donate(uint64_t id, uint64_t pa, uint64_t size);
long ciee_reclaim(uint64_t id, uint64_t ipa, uint64_t size);
long ciee_hyp_map(uint64_t pa, uint64_t size, uint64_t flags);

/*
 * The only device MMIO anyone may map (ciee/vm.c): devices of QEMU virt
 * that cannot master the bus. `at_boot`: in the hypervisor's stage 1 from
 * the start (what it uses: the GIC and its console), the rest on HYP_MAP.
 * `rd_frames`: the GIC redistributors, whose RD_base frames (LPI tables,
 * hence DMA) are never mapped writable.
 */
struct ciee_device {
	uint64_t base, size;
	bool at_boot, rd_frames;
};
extern const struct ciee_device ciee_devices[];
extern const unsigned int ciee_n_devices;
long ciee_device_check(uint64_t pa, uint64_t size, bool writable);
long ciee_own_err(int err);
long smm_dispatch(uint64_t call, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		  uint64_t a5);
bool smm_is_call(uint64_t call);

/* switch.c, fpsimd.S */
void ciee_fpsimd_swap(struct ciee_fpsimd *save, const struct ciee_fpsimd *load);
uint64_t ciee_guest_enter(struct vcpu_ctx *ctx);
uint64_t ciee_run(struct ciee_vm *vm, struct vcpu_ctx *ctx, struct ciee_fpsimd *tee_fp);
void ciee_scrub_el1(void);
long ciee_vcpu_run(uint64_t id, struct vcpu_ctx *ctx, uint64_t vcpu, struct ciee_mmio *mmio);

/* tee.c */
long ciee_tee_boot(uint64_t tee_id, struct ciee_mmio *mmio, uint64_t entry, uint64_t vcpu,
		   uint64_t ns_size);
long ciee_tee_call(uint64_t vm_id, uint64_t vcpu, struct ciee_mmio *mmio);
long ciee_tee_call_fast(uint64_t vm_id, uint64_t vcpu, struct ciee_mmio *mmio);
long ciee_tee_resume(uint64_t tee_id, struct ciee_mmio *mmio, uint64_t vcpu);
long ciee_tee_reset(uint64_t tee_id, struct ciee_mmio *mmio);

void ciee_panic(const char *why) __attribute__((noreturn));

#endif
