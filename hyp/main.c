/* SPDX-License-Identifier: MIT */
/*
 * Untrusted hypervisor: reads the machine's device tree, starts the other
 * CPUs through PSCI, creates a guest VM and its guest TEE, and runs the
 * guest until it powers off. Everything that decides isolation is asked
 * of the CIEE.
 */
#include <arch/sysreg.h>
#include <lib/console.h>
#include <lib/fmt.h>
#include <lib/pl011.h>
#include <policy/fdt_info.h>
#include <vtz/ciee_abi.h>
#include <vtz/smccc.h>

#include "hyp.h"

extern char __hyp_end[];
static volatile unsigned int cpus_online;

static void uart_write(const char *s, size_t n)
{
	pl011_write(PLAT_UART0_BASE, s, n);
}

uint64_t hyp_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return x0;
}

void hyp_system_off(void)
{
	hyp_smc(PSCI_SYSTEM_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

void hyp_panic(const char *why)
{
	con_printf("FATAL: %s\n", why);
	hyp_system_off();
}

const char *ciee_strerror(long err)
{
	switch (err) {
	case CIEE_OK: return "ok";
	case CIEE_EXIT_GUEST_TRAP: return "guest trap";
	case CIEE_EXIT_GUEST_IRQ: return "interrupt";
	case CIEE_EXIT_TEE_DONE: return "TEE call done";
	case CIEE_EXIT_TEE_MMIO: return "TEE MMIO access";
	case CIEE_EXIT_TEE_PREEMPTED: return "TEE preempted by an interrupt";
	case CIEE_ERR_BAD_CALL: return "unknown CIEE call";
	case CIEE_ERR_BAD_VM: return "no such VM";
	case CIEE_ERR_VM_EXISTS: return "VM id in use";
	case CIEE_ERR_BAD_KIND: return "wrong VM kind or partner";
	case CIEE_ERR_NOMEM: return "CIEE out of page-table memory";
	case CIEE_ERR_MAP: return "mapping refused";
	case CIEE_ERR_PERM: return "permissions refused";
	case CIEE_ERR_TEE_STATE: return "TEE not in a state for this call";
	case CIEE_ERR_TEE_DEAD: return "TEE stopped after a fault";
	case CIEE_ERR_BAD_PTR: return "context pointer outside hypervisor memory";
	case CIEE_ERR_BAD_ENTRY: return "bad TEE entry or vector table";
	case CIEE_ERR_BAD_STATE: return "vCPU mode not allowed";
	case CIEE_ERR_BAD_MMIO: return "MMIO descriptor outside hypervisor memory";
	case CIEE_ERR_NOT_OWNER: return "page not owned by the right owner";
	case CIEE_ERR_TEE_PAGE: return "page belongs to a TEE";
	case CIEE_ERR_PT_PAGE: return "page is a translation table";
	case CIEE_ERR_CIEE_PAGE: return "page belongs to the CIEE/monitor";
	case CIEE_ERR_OTHER_VM: return "page belongs to another VM";
	case CIEE_ERR_RANGE: return "address range outside RAM or wraps";
	case CIEE_ERR_ALIGN: return "not page aligned or empty";
	case CIEE_ERR_NOT_MAPPED: return "not mapped";
	case CIEE_ERR_IPA_MISMATCH: return "TEE must map its VM's page at the VM's address";
	case CIEE_ERR_BAD_CPU: return "no such CPU";
	case CIEE_ERR_BAD_VCPU: return "no such vCPU";
	case CIEE_ERR_NO_CALL: return "that vCPU has no pending TEE call";
	case CIEE_ERR_DMA_DEVICE: return "device can DMA into any page";
	case CIEE_ERR_NOT_DEVICE: return "not a device known not to DMA";
	case CIEE_ERR_PTR_TEXT: return "argument over the hypervisor's text";
	case CIEE_ERR_PTR_TABLE: return "argument in a translation table";
	case CIEE_ERR_PTR_GUEST: return "argument in a VM's page";
	case CIEE_ERR_PTR_TEE: return "argument in a TEE's page";
	case CIEE_ERR_PTR_CIEE: return "argument in CIEE or monitor memory";
	case CIEE_ERR_PTR_NOT_RAM: return "argument not in RAM";
	case CIEE_ERR_PTR_FREE: return "argument in a free page";
	case CIEE_ERR_ALIASED: return "page still mapped at another IPA";
	case CIEE_ERR_MAP_COUNT: return "page has too many stage-2 mappings";
	case CIEE_ERR_TEE_FROZEN: return "TEE measured: no new page where one of its own was";
	case CIEE_ERR_BAD_TEE_CFG: return "TEE boot configuration refused (size, device tree or name)";
	case CIEE_ERR_TEE_IPA: return "page at the wrong place in the TEE's IPA space";
	case CIEE_ERR_VM_BUSY: return "a CPU still runs the VM or its TEE";
	case CIEE_ERR_VM_DYING: return "VM being destroyed";
	default: return "unknown error";
	}
}

static void start_secondaries(const struct fdt_info *info)
{
	unsigned int i, expected = 1;
	uint64_t self = read_sysreg(mpidr_el1) & 0xffffffUL;

	for (i = 0; i < info->n_cpus; i++) {
		int64_t r;

		if (info->cpu_mpidr[i] == self)
			continue;
		r = (int64_t)hyp_smc(PSCI_CPU_ON_AARCH64, info->cpu_mpidr[i],
				     PLAT_HYP_BASE + 4, i);
		if (r != PSCI_RET_SUCCESS) {
			con_printf("error: CPU_ON for cpu 0x%llx failed: %lld\n",
				   (unsigned long long)info->cpu_mpidr[i], (long long)r);
			continue;
		}
		expected++;
	}
	/* Bounded wait: a CPU that does not come up is reported, not waited for forever. */
	for (i = 0; i < 100000000 && cpus_online + 1 < expected; i++)
		__asm__ volatile("yield");
	con_printf("%u of %u CPUs online\n", cpus_online + 1, info->n_cpus);
}

void hyp_secondary_main(uint64_t context, uint64_t requested_entry)
{
	if (hyp_attack_secondary)
		hyp_attack_secondary(context, requested_entry);
	con_printf("cpu%u online at the trusted secondary entry (MMU on; context %llu, "
		   "requested entry 0x%llx passed as data)\n",
		   this_cpu_index(), (unsigned long long)context,
		   (unsigned long long)requested_entry);
	irq_cpu_init();
	__atomic_add_fetch(&cpus_online, 1, __ATOMIC_RELEASE);
	sched_loop();
	for (;;)
		wfi();
}

/* The default scenario: VM+TEE pairs, on every CPU, until all power off. */
#define DEFAULT_VMS 4
/* Each with two vCPUs, each calling its own TEE vCPU. */
#define DEFAULT_VCPUS 2

static void run_default_scenario(void)
{
	static struct vm_def defs[DEFAULT_VMS];
	unsigned int i, failed;

	for (i = 0; i < DEFAULT_VMS; i++) {
		struct vm_def *d = &defs[i];

		fmt_snprintf(d->name, sizeof(d->name), "vm%u", i);
		fmt_snprintf(d->tee_name, sizeof(d->tee_name), "tee%u", i);
		d->n_vcpus = DEFAULT_VCPUS;
		d->ram_size = GUEST_RAM_SIZE;
		d->image = PLAT_GUEST_IMAGE_BASE;
		d->image_max = PLAT_GUEST_IMAGE_MAX;
		d->boot_arg = i; /* its boot argument: which VM it is */
		d->has_tee = true;
		d->tee_image = PLAT_TEE_IMAGE_BASE;
		d->tee_image_max = PLAT_TEE_IMAGE_MAX;
	}
	lifecycle_init(defs, DEFAULT_VMS);
	for (i = 0; i < DEFAULT_VMS; i++)
		if (vm_def_start(&defs[i]))
			hyp_panic("cannot create a VM with its TEE");
	con_printf("running %u VMs, each with its own TEE, on all CPUs\n", DEFAULT_VMS);
	sched_start();
	sched_loop();
	sched_report();
	lifecycle_report();
	for (i = 0, failed = 0; i < DEFAULT_VMS; i++)
		failed += defs[i].vm && defs[i].vm->faulted;
	if (failed)
		hyp_panic("a VM was stopped by a fault");
	con_printf("all VMs powered off: system off\n");
	hyp_system_off();
}

/*
 * The Linux VMs the manifest asks for, each with its own TEE booted, put
 * in the scheduler's queue (nothing runs before sched_start()). names and
 * tee_names hold LINUX_MAX_VMS names each; the VMs go to vms[]. Returns
 * how many; stops the machine if one cannot be made.
 */
unsigned int linux_vms_create(const struct linux_manifest *m, const char *const *names,
			      const char *const *tee_names, struct vm **vms)
{
	unsigned int i, n = linux_manifest_vms(m);

	for (i = 0; i < n && i < LINUX_MAX_VMS; i++) {
		struct vm *tee;

		vms[i] = vm_create_linux(names[i], m, i);
		if (!vms[i])
			hyp_panic("cannot create a Linux VM");
		tee = linux_tee_size(m)
			      ? vm_create_tee_sized(vms[i], tee_names[i], PLAT_LINUX_TEE_IMAGE,
						    linux_tee_size(m))
			      : vm_create_tee(vms[i], tee_names[i], PLAT_TEE_IMAGE_BASE,
					      PLAT_TEE_IMAGE_MAX);
		if (!tee || vm_boot_tee(tee))
			hyp_panic("cannot start a TEE");
		sched_add(vms[i]);
	}
	return i;
}

/*
 * Linux VMs (scenario linux), when QEMU's loader staged a kernel and a
 * manifest: each with its own TEE, on every CPU, until all power off.
 */
static void run_linux_scenario(const struct linux_manifest *m)
{
	static const char *const vm_names[LINUX_MAX_VMS] = { "vm0", "vm1", "vm2", "vm3" };
	static const char *const tee_names[LINUX_MAX_VMS] = { "tee0", "tee1", "tee2", "tee3" };
	struct vm *vms[LINUX_MAX_VMS];
	unsigned int i, n, faulted = 0;

	n = linux_vms_create(m, vm_names, tee_names, vms);
	con_printf("running %u Linux VMs, each with its own TEE, on all CPUs\n", n);
	sched_start();
	sched_loop();
	sched_report();
	for (i = 0; i < n; i++)
		faulted += vms[i]->faulted;
	if (faulted)
		hyp_panic("a VM was stopped by a fault");
	con_printf("all VMs powered off: system off\n");
	hyp_system_off();
}

void hyp_main(uint64_t dtb)
{
	static struct fdt_info info;
	struct vm *vm0, *tee0;
	int err;
	unsigned int i;

	console_init("hyp", uart_write);
	console_share_uart((volatile uint32_t *)PLAT_CONSOLE_LOCK);
	con_printf("vTZ hypervisor (untrusted) at EL2, MMU on; device tree at 0x%llx\n",
		   (unsigned long long)dtb);
	err = fdt_info_read((const void *)dtb, PLAT_DTB_MAX_SIZE, &info);
	if (err) {
		con_printf("FATAL: cannot read the device tree: %s\n", fdt_info_strerror(err));
		hyp_system_off();
	}
	for (i = 0; i < info.n_mem; i++)
		con_printf("memory: 0x%llx-0x%llx (%llu MiB)\n",
			   (unsigned long long)info.mem[i].base,
			   (unsigned long long)(info.mem[i].base + info.mem[i].size - 1),
			   (unsigned long long)(info.mem[i].size >> 20));
	con_printf("%u CPUs, console PL011 at 0x%llx\n", info.n_cpus,
		   (unsigned long long)info.uart_base);

	if (info.mem[0].base != PLAT_NS_RAM_BASE || info.mem[0].size < PLAT_NS_RAM_SIZE)
		hyp_panic("RAM does not start at 0x40000000 with 1 GiB: run with -m 1G or -m 2G");
	/*
	 * The pool: from above the images to the Linux staging area, and with
	 * 2 GiB the whole second GiB (the CIEE owns only what the monitor
	 * found, at most 2 GiB: beyond, nothing could be donated).
	 */
	{
		uint64_t ram = info.mem[0].size < PLAT_NS_RAM_MAX ? info.mem[0].size
								  : PLAT_NS_RAM_MAX;

		mem_init(PLAT_VM_POOL_BASE, PLAT_NS_RAM_BASE + ram);
		mem_reserve(PLAT_LINUX_STAGE_BASE, PLAT_HIGH_RAM_BASE);
		con_printf("VM pool: %llu MiB free\n", (unsigned long long)(mem_free_bytes() >> 20));
	}
	irq_cpu_init();

	/* The attack suite starts the other CPUs itself, as part of its attacks. */
	if (!hyp_attacks_run)
		start_secondaries(&info);
	if (!hyp_attacks_run && !hyp_bench_run && linux_manifest())
		run_linux_scenario(linux_manifest());
	if (!hyp_attacks_run && !hyp_bench_run)
		run_default_scenario();

	vm0 = vm_create_guest("vm0", PLAT_GUEST_IMAGE_BASE, PLAT_GUEST_IMAGE_MAX, 1);
	if (!vm0)
		hyp_panic("cannot create vm0");
	tee0 = vm_create_tee(vm0, "tee0", PLAT_TEE_IMAGE_BASE, PLAT_TEE_IMAGE_MAX);
	if (!tee0 || vm_boot_tee(tee0))
		hyp_panic("cannot start tee0");

	con_printf("running vm0\n");
	vcpu_run_loop(vm0);
	if (vm0->faulted)
		hyp_panic("vm0 was stopped by a fault");
	if (hyp_attacks_run) {
		/* A second VM, without a TEE, for the cross-VM attacks. */
		struct vm *vm1 = vm_create_guest("vm1", PLAT_GUEST_IMAGE_BASE,
						 PLAT_GUEST_IMAGE_MAX, 1);

		if (!vm1)
			hyp_panic("cannot create vm1");
		hyp_attacks_run(vm0, tee0, vm1, &info);
	}
	if (hyp_bench_run)
		hyp_bench_run();
	con_printf("all VMs powered off: system off\n");
	hyp_system_off();
}
