/* SPDX-License-Identifier: MIT */
/* Internal interfaces of the (untrusted) hypervisor. */
#ifndef HYP_H
#define HYP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <vtz/ciee_abi.h>
#include <vtz/platform.h>
#include <vtz/vcpu_ctx.h>
#include <lib/spinlock.h>

/* VM slots: one per CIEE VM id (a VM and its TEE take one each). */
#define HYP_MAX_VMS CIEE_MAX_VMS
#define HYP_MAX_VCPUS CIEE_MAX_VCPUS
#define VM_NAME_MAX 16

/* Guest-physical layout every guest sees (mirrors the real machine). */
#define GUEST_RAM_IPA 0x40000000UL
#define GUEST_RAM_SIZE 0x01000000UL /* 16 MiB */
#define GUEST_UART_IPA PLAT_UART0_BASE
/* A guest TEE sees "secure RAM" where a native TEE would have it. */
#define TEE_RAM_IPA VTZ_TEE_ENTRY_IPA
#define TEE_RAM_SIZE 0x00f00000UL
/*
 * A guest TEE's console is the trusted side's (ciee/tee_console.c): its
 * secure UART never reaches us. The page we serve for TEEs is the normal
 * world's UART, which the test TEE (tee-test.bin) reads before each
 * character it logs, for the attack suite's MMIO stops.
 */
#define TEE_UART_IPA PLAT_UART0_BASE
extern struct tee_mmio_seen {
	unsigned long test_uart;   /* at TEE_UART_IPA */
	unsigned long secure_uart; /* at PLAT_UART1_BASE */
	unsigned long gic;         /* its GIC's (distributor, redistributors) */
} tee_mmio_seen;
/*
 * What an honest hypervisor leaves in a TEE's RAM beyond its image before
 * donating it: zeros. The attack suite sets a pattern, to see that the
 * CIEE zeroes it before the TEE's first entry whatever we leave.
 */
extern uint64_t tee_ram_fill;

struct vuart {
	char prefix[VM_NAME_MAX];
	char line[200];
	unsigned int len;
};

/* FP/SIMD registers as hyp/fpsimd.S keeps them: q0..q31, FPSR, FPCR. */
struct vcpu_fpsimd {
	uint64_t q[64];
	uint64_t fpsr, fpcr;
} __attribute__((aligned(16)));
_Static_assert(__builtin_offsetof(struct vcpu_fpsimd, fpsr) == 512, "hyp/fpsimd.S layout");
void vcpu_fpsimd_save(struct vcpu_fpsimd *to);
void vcpu_fpsimd_load(const struct vcpu_fpsimd *from);

struct vm;
struct vgic;
struct vpl011;
struct vmcfg_vm;

/* Linux VMs at once (each has an emulated GIC and UART here); slots reused after a destroy. */
#define LINUX_MAX_VMS 8

/*
 * A virtual CPU. A guest VM's vCPUs are scheduled one by one; a TEE's
 * vCPUs are run only by the CIEE, for the VM vCPU with the same index
 * (their state is the CIEE's: here only their console line).
 */
struct vcpu {
	struct vm *vm;
	unsigned int index;
	struct vcpu_ctx ctx;
	struct ciee_mmio mmio; /* its TEE call's MMIO stop (two CPUs may serve calls at once) */
	struct vuart uart;     /* its console line: vCPUs print independently */
	bool on;               /* started (PSCI CPU_ON; vCPU 0 at creation) */
	/* its TEE call was preempted; the scheduler resumes it */
	bool tee_preempted;
	unsigned int preempted_on; /* CPU that took that interrupt */
	/* Linux VMs: in WFI until it has an interrupt to take; its GIC CPU interface */
	volatile bool waiting;
	volatile int running_on; /* CPU running it now, -1: none (kicks, gicv.c) */
	uint64_t ich_vmcr, ich_ap1r0;
	struct vcpu_fpsimd fp; /* Linux VMs: their FP/SIMD registers between runs */
	/* scheduler (sched.c) */
	volatile bool busy;    /* a CPU is running it now */
	unsigned int last_cpu;
	unsigned int migrations;
	unsigned long steps[PLAT_MAX_CPUS];
};

struct vm_def;

struct vm {
	bool in_use;       /* this slot holds a VM (slots are reused after a destroy) */
	unsigned int id;   /* CIEE vm id */
	struct vm_def *def; /* what it was made from (lifecycle.c), or NULL */
	bool stop_asked;   /* stopped by the management console: no on-poweroff policy */
	volatile bool policy_due; /* powered off: lifecycle_poll() applies its policy */
	char name[VM_NAME_MAX];
	bool is_tee;
	struct vm *partner;
	uint64_t ram_pa, ram_ipa, ram_size;
	unsigned int n_vcpus;
	struct vcpu vcpus[HYP_MAX_VCPUS];
	uint32_t cpu_mask; /* CPUs its vCPUs may run on (NUMA placement, numa.c); 0: any */
	bool running;
	bool faulted;
	/* Linux VMs (linux.c): an emulated GICv3 and PL011, under lock */
	bool is_linux;
	volatile bool reset_pending; /* PSCI SYSTEM_RESET: linux_vm_reboot() is due */
	const struct vmcfg_vm *cfg; /* its kernel, initramfs, command line (config.c) */
	unsigned int linux_idx, boots;
	struct spinlock lock;
	struct vgic *vgic;
	struct vpl011 *vuart;
	/* VMs: interrupts their TEE raised for them (vcpu.c), injected or dropped */
	unsigned long tee_irqs, tee_irqs_dropped;
	/* TEEs: bytes of the image loaded (0: its vTZTEEI1 header says) */
	uint64_t image_size;
	/* TEEs: interrupts that stopped it mid-call, and resumes */
	unsigned long preemptions, resumes, resumed_elsewhere;
};

#ifdef GATE_el3
static inline long smm_smc(unsigned long call, unsigned long a1, unsigned long a2,
			   unsigned long a3, unsigned long a4, unsigned long a5)
{
	register unsigned long x0 __asm__("x0") = VTZ_SMC_SMM_BASE | call;
	register unsigned long x1 __asm__("x1") = a1;
	register unsigned long x2 __asm__("x2") = a2;
	register unsigned long x3 __asm__("x3") = a3;
	register unsigned long x4 __asm__("x4") = a4;
	register unsigned long x5 __asm__("x5") = a5;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5)
			 :
			 : "memory");
	return (long)x0;
}
#endif

/*
 * Every request that decides isolation. Memory mapping goes to the CIEE's
 * gate, or with GATE=el3 to the monitor as an SMC; world switching always
 * goes through the CIEE's gate.
 */
static inline long ciee_call(unsigned long call, unsigned long a1, unsigned long a2,
			     unsigned long a3, unsigned long a4, unsigned long a5)
{
	typedef long (*gate_fn)(unsigned long, unsigned long, unsigned long, unsigned long,
				unsigned long, unsigned long);
#ifdef GATE_el3
	switch (call) {
	case CIEE_CALL_VM_CREATE:
	case CIEE_CALL_S2_MAP:
	case CIEE_CALL_S2_UNMAP:
	case CIEE_CALL_DONATE:
	case CIEE_CALL_RECLAIM:
	case CIEE_CALL_HYP_MAP:
		return smm_smc(call, a1, a2, a3, a4, a5);
	default:
		break;
	}
#endif
	return ((gate_fn)(PLAT_CIEE_BASE + CIEE_GATE_OFFSET))(call, a1, a2, a3, a4, a5);
}

const char *ciee_strerror(long err);

/* mem.c: memory for VMs, handed out in 2 MiB chunks. */
void mem_init(uint64_t base, uint64_t end);
void mem_reserve(uint64_t from, uint64_t to);
uint64_t mem_alloc(uint64_t size);
/* First fit inside [from, to) only (a NUMA node's RAM); 0 if it does not fit there. */
uint64_t mem_alloc_in(uint64_t size, uint64_t from, uint64_t to);
uint64_t mem_free_in(uint64_t from, uint64_t to);
void mem_free(uint64_t pa, uint64_t size);
uint64_t mem_free_bytes(void);

/* vm.c */
struct vm *vm_create(const char *name, uint64_t ram_size, unsigned int n_vcpus, uint64_t image,
		     uint64_t image_max);
struct vm *vm_create_guest(const char *name, uint64_t image, uint64_t image_max,
			   unsigned int n_vcpus);
/* A TEE whose loader knows its image's size (the Linux VMs' own TEE image). */
struct vm *vm_create_tee_sized(struct vm *guest, const char *name, uint64_t image,
			       uint64_t size);
/* The same, with ram_size bytes of its own memory (a VM configuration's TEE). */
struct vm *vm_create_tee_cfg(struct vm *guest, const char *name, uint64_t image, uint64_t size,
			     uint64_t ram_size);
struct vm *vm_create_tee(struct vm *guest, const char *name, uint64_t image,
			 uint64_t image_max);
int vm_boot_tee(struct vm *tee);
void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg);

/*
 * lifecycle.c: a VM of the configuration, created, stopped, destroyed and
 * restarted at run time (and by its on-poweroff policy).
 */
struct vm_def {
	const struct vmcfg_vm *cfg; /* its configuration (config.c) */
	unsigned int index;         /* its place there (a bare guest's x0) */
	struct vm *vm;              /* now, or NULL */
	unsigned int starts;
};
void lifecycle_init(struct vm_def *defs, unsigned int n);
struct vm_def *vm_def_find(const char *name);
unsigned int vm_def_count(void);
struct vm_def *vm_def_at(unsigned int i);
int vm_def_start(struct vm_def *d);
int vm_def_stop(struct vm_def *d);
int vm_def_destroy(struct vm_def *d);
int vm_def_restart(struct vm_def *d);
void lifecycle_vm_stopped(struct vm *vm);
void lifecycle_vm_started(void);
unsigned int lifecycle_pending(void);
void lifecycle_poll(void);
void lifecycle_report(void);
unsigned long lifecycle_failed(void);
/* vm.c: stop it for good, VM_DESTROY through the CIEE, free its memory and slots. */
int vm_teardown(struct vm *vm);
/* sched.c: out of the run queue, once no CPU runs any of its vCPUs. */
void sched_remove(struct vm *vm);
/* mgmt.c: the management console (vtz> after Ctrl-] v) */
void mgmt_take(char c);
bool mgmt_active(void);

/* vcpu.c */
extern bool vcpu_defer_preempted;
void vcpu_run_loop(struct vm *vm);
void vcpu_step(struct vcpu *vcpu);
void vcpu_tee_resume(struct vcpu *vcpu);
void vm_stop(struct vm *vm, bool fault);

/* sched.c: every CPU takes runnable vCPUs from one queue, one exit at a time. */
void sched_add(struct vm *vm);
void sched_vm_stopped(struct vm *vm);
void sched_start(void);
void sched_loop(void);
bool sched_run(bool (*keep_going)(void));
unsigned int sched_live(void);
void sched_report(void);
long tee_serve_mmio(struct vm *tee, unsigned int vcpu, long ret, struct ciee_mmio *mmio);
long tee_serve_to_end(struct vm *tee, unsigned int vcpu, long ret, struct ciee_mmio *mmio);

/*
 * irq.c: the GIC CPU interface and the tick (EL2 physical timer), which
 * preempts guests and TEEs; the hypervisor itself runs with interrupts
 * masked and takes them after an IRQ exit (irq_handle()).
 */
#define HYP_TICK_PERIOD_US 1000
/* The tick period of this image: HYP_TICK_PERIOD_US unless an image overrides it. */
unsigned int hyp_tick_period_us(void) __attribute__((weak));
void irq_cpu_init(void);
void irq_handle(void);
unsigned int tick_period_us(void);
void tick_start(unsigned int period_us);
void tick_stop(void);
void irq_report(void);

/* inject.c: a synchronous external abort into the guest, as hardware raises it. */
void vcpu_inject_abort(struct vcpu *v, bool instruction);

/* config.c: the VMs of the VM configuration the loader staged (policy/vm_config.h) */
void config_load(uint64_t mem_avail);
unsigned int config_vms(void);
const struct vmcfg_vm *config_vm(unsigned int i);
bool config_has_linux(void);
struct vm *config_vm_create(unsigned int i);
unsigned int config_linux_create(struct vm **vms, unsigned int max);
void config_run(void) __attribute__((noreturn));

/* linux.c: Linux VMs from their staged kernel and initramfs */
struct vm *vm_create_linux(const struct vmcfg_vm *c);
bool linux_mmio(struct vcpu *v, uint64_t ipa);
void linux_vm_reboot(struct vm *vm);
void linux_vm_free(struct vm *vm);
unsigned int linux_console_input(struct vm *vm, const char *buf, unsigned int head,
				 unsigned int count, unsigned int ring);

/* console_in.c: the machine's UART0 input, to one Linux VM at a time */
void console_in_add(struct vm *vm);
void console_in_remove(struct vm *vm);
void console_in_poll(void);
bool console_in_type(struct vm *vm, const char *s);
void linux_sysreg(struct vcpu *v);
/* An SPI for a Linux VM (from its TEE): pending in its vGIC; 0, or a VGIC_ERR_*. */
int linux_inject_spi(struct vm *vm, unsigned int intid);

/* gicv.c: the GIC virtual CPU interface, the virtual timer, kicks */
void gicv_cpu_init(void);
void gicv_cpu_sched(bool on);
void gicv_enter(struct vcpu *v);
void gicv_exit(struct vcpu *v);
bool gicv_should_wake(struct vcpu *v);
void gicv_kick(struct vm *vm, uint32_t mask);
void gicv_vtimer_fired(void);

/* vuart.c */
void vuart_init(struct vuart *u, const char *prefix);
uint64_t vuart_access(struct vuart *u, uint64_t offset, bool is_write, uint64_t value);

/* fault.c and the probes in entry.S */
struct probe_fault {
	uint64_t esr, far, elr, kind;
};
extern struct probe_fault hyp_probe_last[PLAT_MAX_CPUS];
int hyp_probe_read(uint64_t addr, uint64_t *val);
int hyp_probe_write(uint64_t addr, uint64_t val);
int hyp_probe_call(uint64_t addr, uint64_t arg);

/*
 * Attack-suite hooks, defined only in hyp-attack.bin (hyp/attack/): weak
 * references, so the normal hypervisor carries no attack code.
 */
struct fdt_info;
void hyp_attacks_run(struct vm *vm0, struct vm *tee0, struct vm *vm1,
		     const struct fdt_info *info) __attribute__((weak));
void hyp_attack_secondary(uint64_t ctx, uint64_t requested) __attribute__((weak));
/* Every whole line a Linux VM writes to its console (the attack suite waits for its load). */
void hyp_attack_guest_line(const struct vm *vm, const char *line, size_t len)
	__attribute__((weak));
/* Stage-2 mapping benchmark, defined only in hyp-bench.bin (hyp/bench/). */
void hyp_bench_run(void) __attribute__((weak));

void hyp_panic(const char *why) __attribute__((noreturn));
void hyp_system_off(void) __attribute__((noreturn));
/* Print the monitor's measured-boot event log in hex (hyp/evlog.c). */
void hyp_evlog_dump(void);
/* VTZ_SMC_MON_EVENT_LOG: up to size bytes of the log from off into buf (a PA). */
struct evlog_read {
	int64_t ret;                          /* x0: 0 or VTZ_MON_ERR_EVLOG_* */
	uint64_t copied, len, events, dropped; /* x1..x4 (x1: -OWN_ERR_* on a buffer refusal) */
};
struct evlog_read hyp_evlog_read(uint64_t buf, uint64_t size, uint64_t off);
/* The loader's staged firmware bundle, if any, to the monitor (fw_deliver.c). */
void hyp_fw_deliver(void);
/* A Linux VM's access to its firmware mailbox (GUEST_FWBOX_IPA + off). */
void fwbox_access(uint64_t off, unsigned int size, bool is_write, uint64_t *val);
uint64_t hyp_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

#endif
