/* SPDX-License-Identifier: MIT */
/*
 * Untrusted hypervisor: reads the machine's device tree and the VM
 * configuration, starts the other CPUs through PSCI, creates the VMs and
 * their guest TEEs, and runs them until they power off. Everything that
 * decides isolation is asked of the CIEE.
 */
#include <arch/sysreg.h>
#include <lib/console.h>
#include <lib/fmt.h>
#include <lib/pl011.h>
#include <policy/fdt_info.h>
#include <policy/vm_config.h>
#include <vtz/ciee_abi.h>
#include <vtz/smccc.h>

#include "entropy.h"
#include "hyp.h"
#include "numa.h"
#include "platform.h"

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
	case CIEE_EXIT_TEE_RAISED: return "TEE raised an interrupt for its VM";
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
	case CIEE_ERR_BAD_IDENTITY: return "VM identity not 1..15 of [a-z0-9_-] (or given for a TEE)";
	case CIEE_ERR_IDENTITY_IN_USE: return "a live VM has that identity";
	case CIEE_ERR_NO_TEE: return "the VM has no TEE";
	case CIEE_ERR_TEE_GIC: return "a TEE's GIC is the CIEE's: no device there, nor the real GIC";
	case CIEE_ERR_NO_SRAT: return "the firmware's ACPI tables have no SRAT";
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

/*
 * The devices this hypervisor drives are at fixed addresses (platform.h):
 * whatever described the machine must agree, or it says where it differs.
 */
static void check_platform(const struct platform *p)
{
	if (p->gicd != PLAT_GICD_BASE || p->gicr != PLAT_GICR_BASE)
		hyp_panic("platform: the GIC is not at 0x8000000/0x80a0000, where this hypervisor "
			  "drives it");
	if (p->timer[TIMER_VIRT] != 27 || p->timer[TIMER_NS_EL2] != 26)
		hyp_panic("platform: the virtual and EL2 timers are not PPIs 27 and 26, which this "
			  "hypervisor routes");
	if (p->uart != PLAT_UART0_BASE)
		hyp_panic("platform: the console UART is not the PL011 at 0x9000000");
}

void hyp_main(uint64_t dtb, uint64_t rsdp, uint64_t ram_size)
{
	static struct fdt_info info;
	static struct platform plat;
	struct vm *vm0, *tee0;
	int err;
	unsigned int i;

	console_init("hyp", uart_write);
	console_share_uart((volatile uint32_t *)PLAT_CONSOLE_LOCK);
	con_printf("vTZ hypervisor (untrusted) at EL2, MMU on; device tree at 0x%llx, ACPI RSDP "
		   "at 0x%llx\n", (unsigned long long)dtb, (unsigned long long)rsdp);
	/* The VM configuration says where to learn the machine (README "Platform discovery"). */
	if (vmcfg_firmware_tables((const void *)PLAT_VM_CONFIG_BASE, PLAT_VM_CONFIG_MAX) ==
	    VMCFG_FIRMWARE_ACPI)
		err = platform_from_acpi(rsdp, ram_size, &plat);
	else
		err = platform_from_dt((const void *)dtb, &plat);
	if (err) {
		con_printf("FATAL: cannot learn the machine from %s (above)\n", plat.source);
		hyp_system_off();
	}
	platform_print(&plat);
	check_platform(&plat);
	numa_init(&plat);
	platform_to_info(&plat, &info);
	for (i = 0; i < info.n_mem; i++)
		con_printf("memory: 0x%llx-0x%llx (%llu MiB)\n",
			   (unsigned long long)info.mem[i].base,
			   (unsigned long long)(info.mem[i].base + info.mem[i].size - 1),
			   (unsigned long long)(info.mem[i].size >> 20));
	con_printf("%u CPUs, console PL011 at 0x%llx\n", info.n_cpus,
		   (unsigned long long)info.uart_base);
	entropy_init((const void *)dtb);

	/* One node's RAM after the other (-numa): the RAM is where they run on without a gap. */
	for (i = 1; i < info.n_mem; i++)
		if (info.mem[i].base == info.mem[0].base + info.mem[0].size)
			info.mem[0].size += info.mem[i].size;
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
	/* Which VMs to run: refused here, with the reader's message, if it is bad. */
	config_load(mem_free_bytes());
	/* A firmware update the loader staged: carried to the monitor (fw_deliver.c). */
	hyp_fw_deliver();

	/* The attack suite starts the other CPUs itself, as part of its attacks. */
	if (!hyp_attacks_run)
		start_secondaries(&info);
	if (!hyp_attacks_run && !hyp_bench_run)
		config_run();

	/*
	 * The attack suite's and the benchmark's own VM: the configuration's
	 * first, with its TEE, run alone on this CPU. Their extra VMs copy
	 * its files from the old fixed slots, where the loader puts them.
	 */
	if (config_vms() < 1 || !config_vm(0)->has_tee ||
	    config_vm(0)->kind != VMCFG_KIND_BARE ||
	    config_vm(0)->kernel.addr != PLAT_GUEST_IMAGE_BASE ||
	    config_vm(0)->tee.image.addr != PLAT_TEE_IMAGE_BASE)
		hyp_panic("this hypervisor wants a first VM that is bare, with a TEE, its kernel "
			  "and TEE image staged at 0x40900000 and 0x40800000");
	vm0 = config_vm_create(0);
	if (!vm0)
		hyp_panic("cannot create the first VM");
	tee0 = vm0->partner;

	con_printf("running %s\n", vm0->name);
	vcpu_run_loop(vm0);
	if (vm0->faulted)
		hyp_panic("the first VM was stopped by a fault");
	if (hyp_attacks_run) {
		/* The second, without a TEE, for the cross-VM attacks. */
		struct vm *vm1 = NULL;

		if (config_vms() >= 2 && config_vm(1)->kind == VMCFG_KIND_BARE &&
		    !config_vm(1)->has_tee)
			vm1 = config_vm_create(1);
		if (!vm1)
			hyp_panic("the attack suite wants a second VM, bare and without a TEE");
		hyp_attacks_run(vm0, tee0, vm1, &info);
	}
	if (hyp_bench_run)
		hyp_bench_run();
	con_printf("all VMs powered off: system off\n");
	/* The measured-boot log, for whoever reads the console (hyp/evlog.c). */
	hyp_evlog_dump();
	lifecycle_report();
	hyp_system_off();
}
