/* SPDX-License-Identifier: MIT */
/*
 * Secure memory mapping (SMM): the ownership table, every translation
 * table, and the VM list. One policy with two homes: linked into the CIEE
 * (GATE=ciee, entered through its gate) or into the monitor (GATE=el3,
 * every call an SMC). Its state lives at a fixed address in the CIEE data
 * region, which no hypervisor mapping ever covers.
 */
#ifndef SMM_H
#define SMM_H

#include <stdbool.h>
#include <stdint.h>
#include <arch/phys.h>
#include <lib/spinlock.h>
#include <policy/ownership.h>
#include <policy/pgtable.h>
#include <vtz/ciee_abi.h>
#include <vtz/platform.h>


/* A VM or a TEE as memory mapping sees it. */
struct ciee_vm {
	bool live;
	/*
	 * Lifecycle (ciee/lifecycle.c): VM_DESTROY has begun (set on a VM and
	 * its TEE under the SMM lock, never cleared while the id is live): no
	 * new run, call, map or donation. Right after live: the map path
	 * tests both in one load (smm/vm.c, vm_still).
	 */
	bool dying;
	unsigned int kind;    /* CIEE_VM_KIND_* */
	unsigned int partner; /* TEE: its VM; VM: its TEE (or CIEE_MAX_VMS if none) */
	uint16_t vmid;
	/*
	 * TEE: its image was measured (TEE_BOOT, set under the SMM lock, never
	 * cleared). From then on a page of its own is mapped only at or above
	 * own_ipa_top, the end of the highest IPA range it ever had its own
	 * pages at (raised by every such map): no IPA gets a second page.
	 */
	bool measured;
	uint64_t own_ipa_top;
	struct pt s2;
	/*
	 * A guest VM: its identity from VM_CREATE (its name, NUL-padded),
	 * unique among live VMs; its TEE's key derives from it. A TEE: zero.
	 */
	uint64_t identity[2];
};

/*
 * Secure-memory-mapping state, at a fixed address in the CIEE data region
 * (never mapped for the hypervisor). Nothing in it is a pointer into
 * either image. The world-switch state of TEEs is not here: it is the
 * CIEE's alone (ciee/ciee.h), in the CIEE's own memory.
 */
struct smm_state {
	struct spinlock lock;      /* all SMM state: ownership, tables, VM list */
	struct spinlock pool_lock; /* the table-page pool */
	uint64_t pool_next;
	/* End of the RAM the machine has (the monitor read it; at most PLAT_NS_RAM_MAX). */
	uint64_t ram_end;
	/* Table pages of destroyed VMs, zeroed, each holding the next's address (0: end). */
	uint64_t pool_free;
	uint64_t pool_free_pages;
	struct own_table own;
	struct pt hyp_s1;
	struct ciee_vm vms[CIEE_MAX_VMS];
	/*
	 * By guest VM id: CIEE calls running that VM's vCPUs or its TEE's
	 * right now (ciee/lifecycle.c). Apart from the VM's own state, which
	 * is cleared when it is destroyed: only atomic increments and their
	 * decrements ever touch it. A pair is torn down only at 0.
	 */
	unsigned int pair_users[CIEE_MAX_VMS];
};
#define smm ((struct smm_state *)phys_to_virt(PLAT_SMM_STATE_BASE))
_Static_assert(__builtin_offsetof(struct ciee_vm, dying) ==
		       __builtin_offsetof(struct ciee_vm, live) + 1 && sizeof(bool) == 1,
	       "vm_still() reads live and dying as one halfword");
/* Below the page of secure-console input (include/vtz/tee_input.h). */
_Static_assert(sizeof(struct smm_state) <= PLAT_MAP_COUNT_BASE - 0x1000UL - PLAT_SMM_STATE_BASE,
	       "SMM state overflows its place");

/* mmu.c */
int ciee_table_alloc(void *ctx, uint64_t *pa);
uint64_t ciee_tables_used(void);
void ciee_table_free(uint64_t pa);
extern const struct pt_mem_ops ciee_table_ops;
/* A table handle with this image's table accessors (the stored ops pointer
 * may belong to the other image). */
static inline struct pt smm_pt(const struct pt *p)
{
	struct pt l = *p;

	l.ops = &ciee_table_ops;
	return l;
}
/* ram_size: the machine's RAM from PLAT_NS_RAM_BASE, from the monitor (1..2 GiB). */
void ciee_mmu_build(uint64_t ram_size);
void ciee_mmu_setup(void);
void ciee_hyp_tlb_flush(void);

/* vm.c */
struct ciee_vm *ciee_vm_get(uint64_t id);
long ciee_vm_create(uint64_t id, uint64_t kind, uint64_t partner, uint64_t ident_lo,
		    uint64_t ident_hi);
long ciee_s2_map(uint64_t id, uint64_t ipa, uint64_t pa, uint64_t size, uint64_t flags);
long ciee_s2_unmap(uint64_t id, uint64_t ipa, uint64_t size);
long ciee_donate(uint64_t id, uint64_t pa, uint64_t size);
long ciee_reclaim(uint64_t id, uint64_t ipa, uint64_t size);
long ciee_hyp_map(uint64_t pa, uint64_t size, uint64_t flags);

/*
 * VM_DESTROY's teardown (ciee/lifecycle.c): guest VM id and its TEE.
 * Both stage 2s torn down and their table pages freed, every TLB entry of
 * both VMIDs dropped, then every page either owned zeroed and given back
 * to the hypervisor (a TEE's back into its stage 1), and both ids free.
 */
struct smm_destroyed {
	uint64_t pages;  /* pages scrubbed and given back */
	uint64_t tables; /* translation-table pages freed */
	unsigned int tee; /* its TEE's id, or CIEE_MAX_VMS */
};
/*
 * Under the SMM lock throughout: the pair marked dying; CIEE_ERR_VM_BUSY
 * (it stays dying) while a CIEE call runs it; else wipe(vm, tee) (the
 * caller's state of both, tee = CIEE_MAX_VMS if none), then the teardown.
 * CIEE_ERR_BAD_VM for no live VM, CIEE_ERR_BAD_KIND for a TEE.
 */
long smm_pair_destroy(uint64_t id, void (*wipe)(unsigned int vm, unsigned int tee),
		      struct smm_destroyed *out);

/*
 * The only device MMIO anyone may map (smm/vm.c): devices of QEMU virt
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
/* Is call one of the SMM calls (smm_dispatch's)? A mask test, inlined on the hot path. */
#define SMM_CALLS                                                                       \
	((1U << CIEE_CALL_VM_CREATE) | (1U << CIEE_CALL_S2_MAP) | (1U << CIEE_CALL_S2_UNMAP) | \
	 (1U << CIEE_CALL_DONATE) | (1U << CIEE_CALL_RECLAIM) | (1U << CIEE_CALL_HYP_MAP))
static inline bool smm_is_call(uint64_t call)
{
	return call < 32 && ((SMM_CALLS >> call) & 1);
}

/*
 * The SMM calls, wherever they are served (CIEE gate, or EL3 with
 * GATE=el3). Inline, so that each call becomes a tail call from the
 * dispatcher that received it.
 */
static inline long smm_dispatch(uint64_t call, uint64_t a1, uint64_t a2, uint64_t a3,
				uint64_t a4, uint64_t a5)
{
	/* The two a hypervisor makes most, tested first; the switch has them too. */
	if (call == CIEE_CALL_S2_MAP)
		return ciee_s2_map(a1, a2, a3, a4, a5);
	if (call == CIEE_CALL_S2_UNMAP)
		return ciee_s2_unmap(a1, a2, a3);
	switch (call) {
	case CIEE_CALL_VM_CREATE:
		return ciee_vm_create(a1, a2, a3, a4, a5);
	case CIEE_CALL_S2_MAP:
		return ciee_s2_map(a1, a2, a3, a4, a5);
	case CIEE_CALL_S2_UNMAP:
		return ciee_s2_unmap(a1, a2, a3);
	case CIEE_CALL_DONATE:
		return ciee_donate(a1, a2, a3);
	case CIEE_CALL_RECLAIM:
		return ciee_reclaim(a1, a2, a3);
	case CIEE_CALL_HYP_MAP:
		return ciee_hyp_map(a1, a2, a3);
	default:
		return CIEE_ERR_BAD_CALL;
	}
}

/* Each home's own: report and stop the machine. */
void ciee_panic(const char *why) __attribute__((noreturn));

#endif
