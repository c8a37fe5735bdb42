/* SPDX-License-Identifier: MIT */
/*
 * The CIEE call interface: how the untrusted hypervisor asks the CIEE to
 * map memory and to switch worlds. The hypervisor branches to the gate at
 * PLAT_CIEE_BASE + CIEE_GATE_OFFSET with x0 = call number, x1..x5 = args,
 * like an AAPCS function call; x0 returns a CIEE_* status or exit code.
 */
#ifndef VTZ_CIEE_ABI_H
#define VTZ_CIEE_ABI_H

/* Fixed entry points at the start of the CIEE image. */
#define CIEE_ENTRY_COLD_OFFSET 0x0 /* monitor: boot CPU, MMU off */
#define CIEE_ENTRY_WARM_OFFSET 0x4 /* monitor: CPU_ON'd CPU, MMU off */
#define CIEE_GATE_OFFSET 0x8       /* hypervisor: every CIEE call */
#define CIEE_MAGIC_OFFSET 0x10
#define CIEE_TEXT_SIZE_OFFSET 0x18 /* bytes of text from the image start, page multiple */
#define CIEE_IMAGE_MAGIC 0x3130454549435476UL /* "vTCIEE01" */
/*
 * Offset from the image start of the CIEE's one `smc` that may call the
 * monitor's CIEE-only services (ciee_monitor_smc_site, ciee/monitor_call.S).
 * The monitor reads it at boot and accepts those services only from there.
 */
#define CIEE_MONITOR_SMC_OFFSET 0x20
/*
 * Bytes of the image the loader writes (text, rodata, data; not bss): its
 * signature trailer follows at once (policy/signed_image.h, the monitor
 * verifies it before the CIEE runs).
 */
#define CIEE_LOAD_SIZE_OFFSET 0x28

/* Calls (x0). */
/*
 * VM_CREATE: x1 = vm id, x2 = CIEE_VM_KIND_*, x3 = partner vm id (TEE: its
 * VM), x4..x5 = (guest VM) its identity: 16 bytes, its name (1..15 of
 * [a-z0-9_-], NUL-padded, little-endian in x4 then x5), unique among live
 * VMs; its TEE's key derives from it (docs/security.md, "A key per VM").
 * A TEE passes 0: it takes its VM's.
 */
#define CIEE_CALL_VM_CREATE 1
#define CIEE_CALL_S2_MAP 2     /* x1 = vm id, x2 = ipa, x3 = pa, x4 = size, x5 = CIEE_MAP_* flags */
/*
 * VCPU_RUN: x1 = vm id (a normal VM), x2 = struct vcpu_ctx *, x3 = vCPU index,
 * x4 = struct ciee_mmio * or 0. With x4, the CIEE makes the vCPU's trusted-OS
 * SMCs into its own TEE itself (as TEE_CALL would) and goes straight back
 * into the guest with the reply; it returns TEE_MMIO/TEE_PREEMPTED for the
 * hypervisor to serve with TEE_RESUME, as after TEE_CALL. Without x4 every
 * such SMC is a GUEST_TRAP exit for the hypervisor to pass on with TEE_CALL.
 */
#define CIEE_CALL_VCPU_RUN 3
/*
 * TEE_BOOT: x1 = TEE vm id, x2 = struct ciee_mmio * (out), x3 = VTZ_TEE_ENTRY_IPA,
 * x4 = TEE vCPU index (0 first: the image entry; then each other vCPU at the
 * TEE's cpu_on vector), x5 = (vCPU 0) struct ciee_tee_boot_cfg * in the
 * hypervisor's memory, read once: what the loader knows of the TEE (the
 * size of the image it loaded, the device tree and normal-world RAM the
 * TEE is told of at its first entry).
 */
#define CIEE_CALL_TEE_BOOT 4
#define CIEE_CALL_TEE_CALL 5   /* x1 = VM vm id, x2 = vCPU index, x3 = struct ciee_mmio * */
#define CIEE_CALL_TEE_RESUME 6 /* x1 = TEE vm id, x2 = struct ciee_mmio * (in: read value; out),
			       * x3 = TEE vCPU index; after a TEE_MMIO or TEE_PREEMPTED exit only */
#define CIEE_CALL_DONATE 7     /* x1 = vm id, x2 = pa, x3 = size: pages become that VM's or TEE's */
#define CIEE_CALL_RECLAIM 8    /* x1 = vm id, x2 = ipa, x3 = size: unmap, scrub if TEE, give back */
#define CIEE_CALL_S2_UNMAP 9   /* x1 = vm id, x2 = ipa, x3 = size */
#define CIEE_CALL_HYP_MAP 10   /* x1 = pa, x2 = size, x3 = CIEE_MAP_* : device MMIO into EL2 stage 1 */
#define CIEE_CALL_CPU_STATUS 11 /* x1 = cpu index: returns CIEE_CPU_* */
/*
 * TEE_RESET: x1 = TEE vm id, x2 = struct ciee_mmio *: its VM is being reset
 * (PSCI SYSTEM_RESET). Every TEE vCPU must be idle or stopped (a stopped
 * call is discarded, with its VM vCPUs' pending calls and replies); vCPU 0
 * is entered at the TEE's system_reset vector until SYSTEM_RESET_DONE, as
 * TF-A's opteed does before a machine reset. Serve MMIO/preemption stops
 * with TEE_RESUME (vCPU 0) as for a call.
 */
#define CIEE_CALL_TEE_RESET 12
/*
 * VM_DESTROY: x1 = guest VM id. The VM and its TEE go together (a TEE is
 * never destroyed alone): from the first call on, neither runs, is
 * called, mapped or given pages again. While a CPU still runs one of
 * their vCPUs (a VCPU_RUN, a TEE call in flight) the call returns
 * CIEE_ERR_VM_BUSY: stop them and call again. Then the TEE's saved state
 * is wiped, both stage 2s are torn down with every TLB entry of both
 * VMIDs, every page either owned is zeroed and given back to the
 * hypervisor, and both ids are free for VM_CREATE.
 */
#define CIEE_CALL_VM_DESTROY 13
/*
 * TEE_IRQ_TAKE: x1 = guest VM id. Returns the lowest INTID (an SPI, 32..)
 * that this VM's own TEE raised for it (an ISPENDR write to an SPI the TEE
 * keeps in non-secure group 1) and that was not taken yet, now taken; 0
 * when there is none. Call after CIEE_EXIT_TEE_RAISED until it says 0,
 * and inject each into the VM. A TEE's raises reach only its own VM's id.
 */
#define CIEE_CALL_TEE_IRQ_TAKE 14
/*
 * VM_PLACEMENT: x1 = vm id (a VM's or a TEE's). The CIEE's own view of
 * where it is, to check NUMA placement against: bits 0..15 = CPUs
 * (this_cpu_index()) on which the CIEE ran one of its vCPUs since boot
 * (VCPU_RUN, TEE_CALL, TEE_RESUME; not TEE_BOOT, which runs where the VM
 * is created), for the id and its partner, bits 16..23 = SRAT proximity domains its
 * pages lie in (ownership table), bit 24 = some page in no SRAT range.
 * CIEE_ERR_BAD_VM for an id >= 64, CIEE_ERR_NO_SRAT without an SRAT.
 * Reads only; the ownership table without the SMM lock (a snapshot).
 */
#define CIEE_CALL_VM_PLACEMENT 15
#define CIEE_PLACEMENT_NODES_SHIFT 16
#define CIEE_PLACEMENT_OUTSIDE_SHIFT 24
/*
 * TEE_IRQ_DUE: x1 = guest VM id. Bit n set: its own TEE has a secure
 * interrupt of its own (its secure UART's input, ...) waiting for the TEE
 * vCPU n, which VCPU_RUN of the VM's vCPU n delivers first
 * (docs/architecture.md, "Secure interrupts"); 0 when none. For a
 * scheduler that parks idle vCPUs: such a vCPU is to run. Hands out what
 * was typed on the secure console first. A TEE id is BAD_KIND, a VM
 * without a TEE NO_TEE.
 */
#define CIEE_CALL_TEE_IRQ_DUE 16
#define CIEE_CALL_MAX 16

/*
 * GATE=el3: the memory-mapping calls (VM_CREATE, S2_MAP, S2_UNMAP, DONATE,
 * RECLAIM, HYP_MAP) are SMCs to the monitor instead: function ID
 * VTZ_SMC_SMM_BASE | call (SiP, fast, SMC64), x1..x5 as for the gate.
 */
#define VTZ_SMC_SMM_BASE 0xc2000000U
#define VTZ_SMC_SMM_MASK 0xffffff00U

#define CIEE_CPU_OK 0
#define CIEE_CPU_HALTED_BAD_ENTRY 1    /* entered the CIEE past the gate: stopped */
#define CIEE_CPU_HALTED_SPURIOUS_EXIT 2 /* forged guest exit: stopped */
#define CIEE_CPU_HALTED_BAD_ERET 3     /* an ERET would have entered EL2 or AArch32: stopped */

/*
 * A guest TEE is first entered at the start of its image, at this IPA (where
 * a native TEE sits in secure RAM): fixed by the ABI, never chosen by the
 * hypervisor. Later entries are only at the vectors it registers then.
 */
#define VTZ_TEE_ENTRY_IPA 0x0e100000UL
/* Where a guest TEE sees its VM's RAM: at the VM's own addresses. */
#define VTZ_TEE_NS_RAM_BASE 0x40000000UL
/* Where a guest TEE's own pages may be: its "secure RAM", as on the real machine. */
#define VTZ_TEE_RAM_IPA_BASE 0x0e000000UL
#define VTZ_TEE_RAM_IPA_SIZE 0x02000000UL /* up to the PCIe window at 0x10000000 */

/*
 * TEE_CALL carries the trusted-OS SMC that this vCPU of this VM trapped on
 * (recorded by the CIEE at that exit, from the guest's own registers), and
 * the TEE's reply goes back to that vCPU only: the CIEE puts it in x0..x3
 * when the vCPU is next run.
 */
#define CIEE_MAX_VCPUS 8

/*
 * VM ids 0..CIEE_MAX_VMS-1: a guest VM and its TEE take one each, so 32
 * VM+TEE pairs. The VMID of id n is n + 1 (8-bit VMIDs allow 255). An id
 * is free again after VM_DESTROY, once every TLB entry of its VM is gone.
 */
#define CIEE_MAX_VMS 64

#define CIEE_VM_KIND_GUEST 0
#define CIEE_VM_KIND_TEE 1

/* S2_MAP flags */
#define CIEE_MAP_R 0x1
#define CIEE_MAP_W 0x2
#define CIEE_MAP_X 0x4
#define CIEE_MAP_DEVICE 0x8

/* Results >= 0 are successes or exit reasons. */
#define CIEE_OK 0
#define CIEE_EXIT_GUEST_TRAP 1 /* VCPU_RUN: see esr/far/hpfar in the vcpu_ctx */
#define CIEE_EXIT_GUEST_IRQ 2
#define CIEE_EXIT_TEE_DONE 3   /* TEE finished: results are in the VM's x0..x3 */
#define CIEE_EXIT_TEE_MMIO 4   /* TEE did an MMIO access: struct ciee_mmio filled */
/*
 * An interrupt (IRQ/FIQ) arrived while the TEE ran: its state is saved in
 * CIEE memory and nothing of it is returned (not even in struct ciee_mmio).
 * The interrupt is still pending at the GIC for the hypervisor to take;
 * TEE_RESUME continues the TEE exactly where it stopped.
 */
#define CIEE_EXIT_TEE_PREEMPTED 5
/*
 * The TEE raised an interrupt for its VM's normal world (TEE_IRQ_TAKE says
 * which) and stopped right after the write that did it; nothing of its
 * state is returned. TEE_RESUME continues it, as after TEE_PREEMPTED.
 */
#define CIEE_EXIT_TEE_RAISED 6

/* Errors: distinct for every refusal. */
#define CIEE_ERR_BAD_CALL (-1)    /* unknown call number */
#define CIEE_ERR_BAD_VM (-2)      /* vm id out of range or not created */
#define CIEE_ERR_VM_EXISTS (-3)   /* VM_CREATE of a live id */
#define CIEE_ERR_BAD_KIND (-4)    /* wrong VM kind for the call / bad partner */
#define CIEE_ERR_NOMEM (-5)       /* no page-table memory left */
#define CIEE_ERR_MAP (-6)         /* page-table update refused (alignment, overlap, range) */
#define CIEE_ERR_PERM (-7)        /* permission combination refused (W+X, none, X device) */
#define CIEE_ERR_TEE_STATE (-8)   /* TEE not in a state that allows this call */
#define CIEE_ERR_TEE_DEAD (-9)    /* TEE faulted and was stopped */
#define CIEE_ERR_BAD_PTR (-10)    /* context pointer outside hypervisor memory / misaligned */
#define CIEE_ERR_BAD_ENTRY (-11)  /* TEE registered a vector table outside its memory */
#define CIEE_ERR_BAD_STATE (-12)  /* vCPU state asks for a mode a guest may not run in */
#define CIEE_ERR_BAD_MMIO (-13)   /* MMIO descriptor pointer outside hypervisor memory */
#define CIEE_ERR_NOT_OWNER (-14)  /* a page is not owned by whom the request needs */
#define CIEE_ERR_TEE_PAGE (-15)   /* the request would expose a TEE's page */
#define CIEE_ERR_PT_PAGE (-16)    /* the request would map a translation-table page */
#define CIEE_ERR_CIEE_PAGE (-17)  /* the request would map CIEE/monitor memory */
#define CIEE_ERR_OTHER_VM (-18)   /* the page belongs to another VM */
#define CIEE_ERR_RANGE (-19)      /* address range outside RAM / the IPA space, or wraps */
#define CIEE_ERR_ALIGN (-20)      /* address or size not page aligned, or size 0 */
#define CIEE_ERR_NOT_MAPPED (-21) /* unmap/reclaim of an IPA that is not mapped */
#define CIEE_ERR_IPA_MISMATCH (-22) /* a TEE maps its VM's page at another IPA than the VM */
#define CIEE_ERR_BAD_CPU (-23)    /* cpu index out of range */
#define CIEE_ERR_BAD_VCPU (-24)   /* vCPU index out of range */
#define CIEE_ERR_NO_CALL (-25)    /* TEE_CALL for a vCPU whose last exit was not a trusted-OS SMC */
/*
 * HYP_MAP / S2_MAP of device MMIO (docs/security.md, "DMA"): the range
 * touches a device that can master the bus (fw_cfg, virtio-mmio, PCIe, the
 * platform bus, the GIC ITS, the SMMU), or asks for a redistributor's LPI
 * registers writable, either of which could write any TEE page;
 */
#define CIEE_ERR_DMA_DEVICE (-26)
/* or it is not inside one device known not to master the bus (the allow-list). */
#define CIEE_ERR_NOT_DEVICE (-27)
/*
 * A pointer argument (struct vcpu_ctx, struct ciee_mmio) must lie wholly in
 * pages the hypervisor owns as writable data, checked in the ownership
 * table when the CIEE copies it in and again when it writes it back:
 */
#define CIEE_ERR_PTR_TEXT (-28)    /* it touches the hypervisor's verified text */
#define CIEE_ERR_PTR_TABLE (-29)   /* it touches a translation-table page */
#define CIEE_ERR_PTR_GUEST (-30)   /* it touches a page donated to a VM */
#define CIEE_ERR_PTR_TEE (-31)     /* it touches a page donated to a TEE */
#define CIEE_ERR_PTR_CIEE (-32)    /* it touches CIEE or monitor memory */
#define CIEE_ERR_PTR_NOT_RAM (-33) /* it is not in RAM (a device, nothing) or wraps */
#define CIEE_ERR_PTR_FREE (-34)    /* it touches a free page, which no one owns */
/* RECLAIM: the page is still mapped at another IPA (an alias): unmap that first. */
#define CIEE_ERR_ALIASED (-35)
/* S2_MAP: a page already has the most stage-2 mappings the CIEE counts. */
#define CIEE_ERR_MAP_COUNT (-36)
/*
 * S2_MAP into a TEE: its own pages only inside its secure-RAM window
 * (VTZ_TEE_RAM_IPA_BASE..), its VM's pages only inside the normal-world
 * window (from VTZ_TEE_NS_RAM_BASE), so no TEE page ever sits where the TEE
 * takes its VM's buffers (a confused deputy).
 */
#define CIEE_ERR_TEE_IPA (-37)
/*
 * S2_MAP of a TEE's own page, after its image was measured (TEE_BOOT), at
 * an IPA below the highest it has ever had one of its pages at: what a TEE
 * runs and keeps stays where it was, so the hypervisor cannot put a page of
 * its writing (code or data) where one of the TEE's was. Fresh IPAs above
 * may still be given, each once.
 */
#define CIEE_ERR_TEE_FROZEN (-38)
/*
 * TEE_BOOT's struct ciee_tee_boot_cfg is malformed: a name not 1..7 of [a-z0-9_-],
 * an image size over TEE_IMAGE_MAX (or not what the image's own header
 * says), or a device tree outside the TEE's normal-world window.
 */
#define CIEE_ERR_BAD_TEE_CFG (-39)
/* VM_DESTROY: a CPU still runs one of the pair's vCPUs; stop them and call again. */
#define CIEE_ERR_VM_BUSY (-40)
/* A run, call or boot of a VM (or TEE) whose VM_DESTROY has begun. */
#define CIEE_ERR_VM_DYING (-41)
/* VM_CREATE: an identity not 1..15 of [a-z0-9_-] NUL-padded, or one given for a TEE. */
#define CIEE_ERR_BAD_IDENTITY (-42)
/* VM_CREATE: a live VM already has that identity. */
#define CIEE_ERR_IDENTITY_IN_USE (-43)
/* TEE_IRQ_TAKE: the VM has no TEE. */
#define CIEE_ERR_NO_TEE (-44)
/*
 * S2_MAP of device memory into a TEE at its GIC's addresses, or of the
 * real GIC anywhere in a TEE: the CIEE answers a TEE's GIC itself.
 */
#define CIEE_ERR_TEE_GIC (-45)
/* VM_PLACEMENT: the firmware gave no SRAT (no NUMA nodes to check against). */
#define CIEE_ERR_NO_SRAT (-46)

#ifndef __ASSEMBLY__
/* An MMIO access by a guest TEE, reduced to what the hypervisor needs. */
struct ciee_mmio {
	unsigned long long ipa;
	unsigned long long value; /* write: value written; read: filled by hypervisor */
	unsigned int size;        /* bytes: 1, 2, 4, 8 */
	unsigned int is_write;
};

/*
 * TEE_BOOT of vCPU 0: what the loader (the hypervisor) says of the TEE it
 * loaded. Every field is only ever believed as far as it can hurt no one
 * but the TEE's own VM (docs/architecture.md, "Boot arguments").
 */
struct ciee_tee_boot_cfg {
	/* Bytes of its VM's RAM from VTZ_TEE_NS_RAM_BASE: the TEE's x1. */
	unsigned long long ns_size;
	/*
	 * Bytes of the image loaded from VTZ_TEE_ENTRY_IPA: exactly these are
	 * measured. 0: the image's own vTZTEEI1 header gives the size.
	 */
	unsigned long long image_size;
	/* IPA of a device tree in its VM's RAM for the TEE's x2, or 0 for none. */
	unsigned long long dt_ipa;
	/*
	 * The name its console lines carry ("[name] ..." on the secure UART):
	 * 1..7 of [a-z0-9_-], NUL-padded. A label only, so the hypervisor
	 * may choose it; checked so that it cannot pass for another source.
	 */
	char name[8];
};
#endif

#endif
