/* SPDX-License-Identifier: MIT */
/*
 * The VMs come from the VM configuration the loader staged at
 * PLAT_VM_CONFIG_BASE (README.md, "VM configurations"), read with
 * policy/vm_config.c: the code the loader already checked the file with
 * on the host, so whatever it refuses here, bypassing the loader's check,
 * it refuses with the same message. Each VM is created with its TEE (if
 * it has one) and put in the scheduler's queue.
 */
#include <lib/console.h>
#include <lib/fmt.h>
#include <policy/vm_config.h>

#include "hyp.h"
#include "numa.h"

#define MIB_SHIFT 20

/* The issue asks for no fixed cap but memory: this table is only the reader's output. */
#define CONFIG_MAX_VMS 64

static struct vmcfg_vm cfg[CONFIG_MAX_VMS];
static unsigned int n_cfg;

/* Where the loader may have put the files: the hypervisor's memory, never a VM's. */
static const struct vmcfg_area stage_areas[] = {
	{ PLAT_STAGE0_BASE, PLAT_STAGE0_SIZE },
	{ PLAT_STAGE1_BASE, PLAT_STAGE1_SIZE },
	{ PLAT_STAGE2_BASE, PLAT_STAGE2_SIZE },
};

static void __attribute__((noreturn)) refuse(const char *msg)
{
	con_printf("FATAL: VM configuration at 0x%lx refused: %s\n", PLAT_VM_CONFIG_BASE, msg);
	hyp_system_off();
}

/* What this hypervisor cannot do yet, though the format allows it. */
static void check_supported(void)
{
	unsigned int i, slots = 0, linux_vms = 0;
	char msg[VMCFG_MSG_MAX];

	for (i = 0; i < n_cfg; i++) {
		const struct vmcfg_vm *c = &cfg[i];

		slots += 1 + c->has_tee;
		linux_vms += c->kind == VMCFG_KIND_LINUX;
	}
	if (slots > HYP_MAX_VMS) {
		fmt_snprintf(msg, sizeof(msg), "%u VMs and TEEs: this hypervisor has %u VM slots "
			     "(HYP_MAX_VMS)", slots, HYP_MAX_VMS);
		refuse(msg);
	}
	if (linux_vms > LINUX_MAX_VMS) {
		fmt_snprintf(msg, sizeof(msg), "%u Linux VMs: this hypervisor runs at most %u "
			     "(LINUX_MAX_VMS)", linux_vms, LINUX_MAX_VMS);
		refuse(msg);
	}
}

static void print_vm(const struct vmcfg_vm *c)
{
	con_printf("config: %s: %s, %u vCPU%s, %u MiB, kernel %.64s (%llu bytes at 0x%llx)%s%s\n",
		   c->name, vmcfg_kind_name(c->kind), c->vcpus, c->vcpus == 1 ? "" : "s",
		   c->memory_mib, c->kernel.path, (unsigned long long)c->kernel.size,
		   (unsigned long long)c->kernel.addr, c->has_tee ? "" : ", no TEE",
		   c->numa_node >= 0 ? ", numa-node given" : "");
	if (c->initramfs.path)
		con_printf("config: %s: initramfs %.64s (%llu bytes at 0x%llx), bootargs \"%.96s\"\n",
			   c->name, c->initramfs.path, (unsigned long long)c->initramfs.size,
			   (unsigned long long)c->initramfs.addr, c->bootargs ? c->bootargs : "");
	if (c->has_tee)
		con_printf("config: %s: TEE %s, %u MiB, image %.64s (%llu bytes at 0x%llx)\n",
			   c->name, c->tee.name, c->tee.memory_mib, c->tee.image.path,
			   (unsigned long long)c->tee.image.size,
			   (unsigned long long)c->tee.image.addr);
}

/* mem_avail: the bytes of the VM pool, which the VMs and their TEEs must fit. */
void config_load(uint64_t mem_avail)
{
	const void *blob = (const void *)PLAT_VM_CONFIG_BASE;
	struct vmcfg_error err;
	unsigned int i;

	if (vmcfg_read(blob, PLAT_VM_CONFIG_MAX, mem_avail, cfg, CONFIG_MAX_VMS, &n_cfg, &err) ||
	    vmcfg_resolve(blob, PLAT_VM_CONFIG_MAX, cfg, n_cfg, stage_areas,
			  sizeof(stage_areas) / sizeof(stage_areas[0]), &err))
		refuse(err.msg);
	check_supported();
	con_printf("VM configuration at 0x%lx: %u VMs\n", PLAT_VM_CONFIG_BASE, n_cfg);
	for (i = 0; i < n_cfg; i++)
		print_vm(&cfg[i]);
}

unsigned int config_vms(void)
{
	return n_cfg;
}

const struct vmcfg_vm *config_vm(unsigned int i)
{
	return i < n_cfg ? &cfg[i] : NULL;
}

bool config_has_linux(void)
{
	unsigned int i;

	for (i = 0; i < n_cfg; i++)
		if (cfg[i].kind == VMCFG_KIND_LINUX)
			return true;
	return false;
}

/*
 * VM i of the configuration and its TEE, booted; nothing of it runs
 * before the scheduler takes it. NULL if it could not be made (said why).
 */
static struct vm *create(unsigned int i, const struct vmcfg_vm *c)
{
	struct vm *vm, *tee = NULL;

	if (c->kind == VMCFG_KIND_LINUX)
		vm = vm_create_linux(c);
	else
		vm = vm_create(c->name, (uint64_t)c->memory_mib << MIB_SHIFT, c->vcpus,
			       c->kernel.addr, c->kernel.size);
	if (!vm)
		return NULL;
	if (c->has_tee) {
		/* The loader knows each image's size: the CIEE measures exactly those bytes. */
		tee = vm_create_tee_cfg(vm, c->tee.name, c->tee.image.addr, c->tee.image.size,
					(uint64_t)c->tee.memory_mib << MIB_SHIFT);
		if (!tee || vm_boot_tee(tee)) {
			con_printf("error: %s: its TEE %s did not start\n", c->name, c->tee.name);
			vm->running = false; /* it never ran: a failure (counted there), not a stop */
			vm_teardown(vm);     /* what the CIEE has of both, back */
			return NULL;
		}
	}
	if (c->kind == VMCFG_KIND_BARE) {
		/* A bare guest's boot arguments: which VM it is, where its TEE's memory really is. */
		vm->vcpus[0].ctx.x[0] = i;
		vm->vcpus[0].ctx.x[1] = tee ? tee->ram_pa : 0;
	}
	return vm;
}

/* Placed on one NUMA node with its TEE (numa.c). */
struct vm *config_vm_create(unsigned int i)
{
	const struct vmcfg_vm *c = config_vm(i);
	struct vm *vm;

	if (!c)
		return NULL;
	numa_place_begin(c->name, c->numa_node);
	vm = create(i, c);
	numa_place_end();
	numa_report_created(c->name, vm);
	return vm;
}

/*
 * The configuration's Linux VMs, each with its TEE, queued for the
 * scheduler (the attack suite runs them beside its attacks). At most max,
 * into vms[]; stops the machine if one cannot be made.
 */
unsigned int config_linux_create(struct vm **vms, unsigned int max)
{
	unsigned int i, n = 0;

	for (i = 0; i < n_cfg && n < max; i++) {
		if (cfg[i].kind != VMCFG_KIND_LINUX)
			continue;
		vms[n] = config_vm_create(i);
		if (!vms[n])
			hyp_panic("cannot create a Linux VM");
		sched_add(vms[n++]);
	}
	return n;
}

/*
 * Every VM of the configuration, on every CPU, until none runs (each one's
 * on-poweroff policy applied, lifecycle.c) and no operator is at the
 * management console. Ends with one line: how many started, stopped
 * cleanly, failed (could not be created, or stopped by a fault); any
 * failure fails the run.
 */
void config_run(void)
{
	static struct vm_def defs[CONFIG_MAX_VMS];
	unsigned int i, started = 0;

	for (i = 0; i < n_cfg; i++) {
		defs[i].cfg = &cfg[i];
		defs[i].index = i;
	}
	lifecycle_init(defs, n_cfg);
	for (i = 0; i < n_cfg; i++) {
		if (vm_def_start(&defs[i]))
			con_printf("error: %s not started\n", cfg[i].name);
		else
			started++;
	}
	con_printf("running %u VMs on all CPUs; %llu MiB of the VM pool left\n", started,
		   (unsigned long long)(mem_free_bytes() >> 20));
	if (started) {
		sched_start();
		sched_loop();
		sched_report();
		numa_report_ran();
	}
	if (lifecycle_failed())
		con_printf("FATAL: a VM could not be created or was stopped by a fault\n");
	else
		con_printf("all VMs powered off: system off\n");
	/* The measured-boot log (hyp/evlog.c); the vms: line still closes the run. */
	hyp_evlog_dump();
	lifecycle_report();
	hyp_system_off();
}
