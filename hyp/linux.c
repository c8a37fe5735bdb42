/* SPDX-License-Identifier: MIT */
/*
 * Linux VMs: what the hypervisor gives a real kernel. Each gets RAM, a
 * device tree made for it (hyp/guest_dtb.c: memory, its vCPUs, PSCI over
 * SMC, GICv3, timer, PL011, OP-TEE), the kernel Image, initramfs and
 * command line its VM configuration names (hyp/config.c; QEMU's loader
 * staged the files), an emulated GICv3 (hyp/vgic.c, hyp/gicv.c) and PL011
 * (hyp/vpl011.c), and its own guest TEE like every VM.
 *
 * Guest-physical layout of a Linux VM (IPA):
 *   0x08000000  GICv3 distributor (emulated), 0x080a0000 redistributors
 *   0x09000000  PL011 (emulated), SPI 1
 *   0x40000000  RAM: the device tree at its start, the kernel at +2 MiB,
 *               the initramfs at +64 MiB
 */
#include <string.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <lib/fmt.h>
#include <policy/vm_config.h>
#include <vtz/fw_mailbox.h>
#include <vtz/platform.h>

#include "entropy.h"
#include "guest_dtb.h"
#include "hyp.h"
#include "vgic.h"
#include "vpl011.h"

#define LINUX_DTB_OFFSET 0x0UL
#define LINUX_DTB_MAX 0x10000UL
#define LINUX_KERNEL_OFFSET 0x200000UL
#define LINUX_INITRD_OFFSET 0x4000000UL
#define LINUX_UART_SPI 1
#define ARM64_IMAGE_MAGIC 0x644d5241U /* "ARM\x64" at offset 0x38 */
#define ARM64_IMAGE_HDR 64

static struct vgic vgics[LINUX_MAX_VMS];
static struct vpl011 vuarts[LINUX_MAX_VMS];
static bool slot_used[LINUX_MAX_VMS];

static void uart_emit(void *priv, const char *line, size_t len)
{
	const struct vm *vm = priv;

	con_emit_line(vm->name, line, len);
	if (hyp_attack_guest_line)
		hyp_attack_guest_line(vm, line, len);
}

/* Check the staged Image and initramfs against the VM before anything is copied. */
static int linux_check(const struct vmcfg_vm *c, uint64_t ram_size)
{
	const volatile uint32_t *hdr = (const void *)c->kernel.addr;
	uint64_t image_size;

	/* The loader stages every file 4 KiB aligned (policy/vm_config.c checks it). */
	if (c->kernel.size < ARM64_IMAGE_HDR || hdr[0x38 / 4] != ARM64_IMAGE_MAGIC) {
		con_printf("error: %s: kernel: no arm64 Linux Image (%llu bytes at 0x%llx)\n",
			   c->name, (unsigned long long)c->kernel.size,
			   (unsigned long long)c->kernel.addr);
		return -1;
	}
	/* booting.rst: image_size, its BSS included; 0 from kernels before 3.17. */
	image_size = ((const volatile uint64_t *)hdr)[2];
	if (image_size < c->kernel.size)
		image_size = c->kernel.size;
	if (LINUX_KERNEL_OFFSET + image_size > LINUX_INITRD_OFFSET ||
	    LINUX_INITRD_OFFSET + c->initramfs.size > ram_size) {
		con_printf("error: %s: a %llu MiB VM cannot hold this kernel (%llu bytes with its "
			   "BSS, at +0x%lx) and initramfs (%llu bytes, at +0x%lx)\n", c->name,
			   (unsigned long long)(ram_size >> 20), (unsigned long long)image_size,
			   LINUX_KERNEL_OFFSET, (unsigned long long)c->initramfs.size,
			   LINUX_INITRD_OFFSET);
		return -1;
	}
	return 0;
}

/* This boot's kernel command line: the configuration's, and which boot it is. */
static char bootargs[LINUX_MAX_VMS][VMCFG_BOOTARGS_MAX + 16];

static int linux_dtb(struct vm *vm, const struct vmcfg_vm *c, unsigned int idx)
{
	struct guest_dtb_cfg cfg = {
		.ram_base = vm->ram_ipa,
		.ram_size = vm->ram_size,
		.n_vcpus = vm->n_vcpus,
		.gicd_base = PLAT_GICD_BASE,
		.gicd_size = VGIC_DIST_SIZE,
		.gicr_base = PLAT_GICR_BASE,
		.gicr_size = VGIC_REDIST_SIZE * vm->n_vcpus,
		.uart_base = GUEST_UART_IPA,
		.uart_spi = LINUX_UART_SPI,
		.bootargs = bootargs[idx],
		.initrd_start = vm->ram_ipa + LINUX_INITRD_OFFSET,
		.initrd_end = vm->ram_ipa + LINUX_INITRD_OFFSET + c->initramfs.size,
		.optee = true,
	};
	uint8_t seed[ENTROPY_RNG_SEED_LEN];
	unsigned int i;
	int err;

	/* A fresh seed for its random number generator at every boot. */
	if (entropy_vm_seed(vm->name, vm->boots, seed, &cfg.kaslr_seed)) {
		cfg.rng_seed = seed;
		cfg.rng_seed_len = sizeof(seed);
	}
	fmt_snprintf(bootargs[idx], sizeof(bootargs[idx]), "%s%svtz.boot=%u",
		     c->bootargs ? c->bootargs : "", c->bootargs ? " " : "", vm->boots);
	for (i = 0; i < vm->n_vcpus; i++)
		cfg.mpidr[i] = i;
	err = guest_dtb_build((void *)(vm->ram_pa + LINUX_DTB_OFFSET), LINUX_DTB_MAX, &cfg);
	memset(seed, 0, sizeof(seed));
	if (err) {
		con_printf("error: %s: cannot build its device tree: %s\n", vm->name,
			   guest_dtb_strerror(err));
		return -1;
	}
	return 0;
}

/*
 * (Re)load a Linux VM from the staged files: its RAM as at power-on but
 * for the kernel, the initramfs and a fresh device tree; a fresh vGIC and
 * UART; vCPU 0 at the kernel's entry. The pages are the VM's, and a VM's
 * pages stay in our view.
 */
static int linux_load(struct vm *vm)
{
	const struct vmcfg_vm *c = vm->cfg;
	uint64_t mpidr[HYP_MAX_VCPUS];
	unsigned int i;

	memset((void *)vm->ram_pa, 0, vm->ram_size);
	memcpy((void *)(vm->ram_pa + LINUX_KERNEL_OFFSET), (const void *)c->kernel.addr,
	       c->kernel.size);
	memcpy((void *)(vm->ram_pa + LINUX_INITRD_OFFSET), (const void *)c->initramfs.addr,
	       c->initramfs.size);
	for (i = 0; i < vm->n_vcpus; i++)
		mpidr[i] = i;
	vm->boots++;
	if (vgic_init(vm->vgic, vm->n_vcpus, mpidr) || linux_dtb(vm, c, vm->linux_idx))
		return -1;
	vpl011_init(vm->vuart, NULL, uart_emit, vm);
	/* The arm64 boot protocol: x0 = the device tree, MMU off, at EL1. */
	vcpu_reset(&vm->vcpus[0], vm->ram_ipa + LINUX_KERNEL_OFFSET, vm->ram_ipa + LINUX_DTB_OFFSET);
	return 0;
}

/* Reset vm's TEE through the CIEE (its system_reset vector), serving its console. */
static long tee_reset(struct vm *tee, struct ciee_mmio *mmio)
{
	long r = ciee_call(CIEE_CALL_TEE_RESET, tee->id, (unsigned long)mmio, 0, 0, 0);

	return tee_serve_to_end(tee, 0, r, mmio);
}

/*
 * PSCI SYSTEM_RESET from a Linux VM (sched.c calls this on vCPU 0 once
 * none of its vCPUs is on a CPU): the TEE is reset through its
 * system_reset vector (its sessions, buffers and stored items belong to
 * the Linux that is going away), then the VM boots again from the staged
 * kernel and initramfs. If the TEE cannot be reset, the VM stays off.
 */
void linux_vm_reboot(struct vm *vm)
{
	unsigned int i;
	long r = CIEE_OK;

	for (i = 0; i < vm->n_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		v->on = false;
		v->tee_preempted = false; /* its call goes with the TEE's reset */
		v->waiting = false;
		memset(&v->fp, 0, sizeof(v->fp));
		v->ich_vmcr = v->ich_ap1r0 = 0;
	}
	if (vm->partner)
		r = tee_reset(vm->partner, &vm->vcpus[0].mmio);
	if (r != CIEE_OK || linux_load(vm)) {
		con_printf("error: %s: cannot reboot it (its TEE's reset: %s): it stays off\n",
			   vm->name, ciee_strerror(r));
		__atomic_store_n(&vm->reset_pending, false, __ATOMIC_RELEASE);
		vm_stop(vm, true);
		return;
	}
	con_printf("%s: rebooting (boot %u); its TEE was reset\n", vm->name, vm->boots);
	__atomic_store_n(&vm->reset_pending, false, __ATOMIC_RELEASE);
	__atomic_store_n(&vm->vcpus[0].on, true, __ATOMIC_RELEASE);
}

struct vm *vm_create_linux(const struct vmcfg_vm *c)
{
	uint64_t ram_size = (uint64_t)c->memory_mib << 20;
	struct vm *vm;

	unsigned int slot;

	/* Creation and destruction happen on one CPU at a time (lifecycle.c): no lock. */
	for (slot = 0; slot < LINUX_MAX_VMS && slot_used[slot]; slot++)
		;
	if (slot == LINUX_MAX_VMS) {
		con_printf("error: %s: this hypervisor runs at most %u Linux VMs at once\n",
			   c->name, LINUX_MAX_VMS);
		return NULL;
	}
	if (linux_check(c, ram_size))
		return NULL;
	vm = vm_create(c->name, ram_size, c->vcpus, 0, 0);
	if (!vm)
		return NULL;
	vm->vgic = &vgics[slot];
	vm->vuart = &vuarts[slot];
	vm->cfg = c;
	vm->linux_idx = slot;
	slot_used[slot] = true;
	vm->is_linux = true;
	if (linux_load(vm)) {
		vm->running = false; /* it never ran: a failure, not a stop */
		vm_teardown(vm);
		return NULL;
	}
	console_in_add(vm);
	con_printf("%s: Linux VM, %u vCPUs, %llu MiB RAM at IPA 0x%llx (PA 0x%llx): kernel %llu "
		   "bytes at +0x%lx, initramfs %llu bytes at +0x%lx, device tree at +0\n",
		   vm->name, vm->n_vcpus, (unsigned long long)(ram_size >> 20),
		   (unsigned long long)vm->ram_ipa, (unsigned long long)vm->ram_pa,
		   (unsigned long long)c->kernel.size, LINUX_KERNEL_OFFSET,
		   (unsigned long long)c->initramfs.size, LINUX_INITRD_OFFSET);
	return vm;
}

/* Load the value a guest read into its register, as the load instruction would. */
static void set_read_value(struct vcpu *v, unsigned int srt, unsigned int size, uint64_t val)
{
	uint64_t esr = v->ctx.esr;

	if (srt == 31)
		return;
	if (size < 8) {
		val &= (1UL << (size * 8)) - 1;
		if ((esr & ESR_DABT_SSE) && (val >> (size * 8 - 1)))
			val |= ~((1UL << (size * 8)) - 1);
	}
	if (!(esr & ESR_DABT_SF))
		val &= 0xffffffffUL;
	v->ctx.x[srt] = val;
}

/*
 * A Linux VM's MMIO: the distributor, its redistributors, its UART.
 * Returns false if there is no device there (the caller injects an abort).
 */
bool linux_mmio(struct vcpu *v, uint64_t ipa)
{
	struct vm *vm = v->vm;
	uint64_t esr = v->ctx.esr;
	unsigned int srt = (esr >> ESR_DABT_SRT_SHIFT) & ESR_DABT_SRT_MASK;
	unsigned int size = 1U << ((esr >> ESR_DABT_SAS_SHIFT) & ESR_DABT_SAS_MASK);
	bool is_write = esr & ESR_DABT_WNR;
	uint64_t val = is_write && srt != 31 ? v->ctx.x[srt] : 0;
	uint32_t kicks = 0;
	int err;

	if (!(esr & ESR_DABT_ISV))
		return false;
	if (is_write && size < 8)
		val &= (1UL << (size * 8)) - 1;
	/* Not under the VM's lock: a COMMIT keeps the monitor busy for a while. */
	if (ipa >= GUEST_FWBOX_IPA && ipa < GUEST_FWBOX_IPA + GUEST_FWBOX_SIZE) {
		fwbox_access(ipa - GUEST_FWBOX_IPA, size, is_write, &val);
		if (!is_write)
			set_read_value(v, srt, size, val);
		v->ctx.pc += 4;
		return true;
	}
	spin_lock(&vm->lock);
	if (ipa >= PLAT_GICD_BASE && ipa < PLAT_GICD_BASE + VGIC_DIST_SIZE) {
		err = vgic_dist_access(vm->vgic, v->index, ipa - PLAT_GICD_BASE, size, is_write,
				       &val);
		kicks = vgic_take_kicks(vm->vgic);
	} else if (ipa >= PLAT_GICR_BASE &&
		   ipa < PLAT_GICR_BASE + VGIC_REDIST_SIZE * vm->n_vcpus) {
		err = vgic_redist_access(vm->vgic, v->index, ipa - PLAT_GICR_BASE, size, is_write,
					 &val);
		kicks = vgic_take_kicks(vm->vgic);
	} else if ((ipa & ~0xfffULL) == GUEST_UART_IPA) {
		int k;

		err = vpl011_access(vm->vuart, ipa & 0xfff, size, is_write, &val);
		k = vgic_set_line(vm->vgic, 0, 32 + LINUX_UART_SPI, vpl011_irq_level(vm->vuart));
		kicks = k > 0 ? (uint32_t)k : 0;
	} else {
		spin_unlock(&vm->lock);
		return false;
	}
	spin_unlock(&vm->lock);
	/* A register access the device does not have: reads as zero, writes ignored. */
	if (err)
		val = 0;
	if (!is_write)
		set_read_value(v, srt, size, val);
	v->ctx.pc += 4;
	kicks &= ~(1U << v->index);
	if (kicks)
		gicv_kick(vm, kicks);
	return true;
}

/*
 * Console input for vm: up to count bytes of ring buf (size ring, from
 * head) into its PL011's receive FIFO, as far as it has room; the UART's
 * interrupt follows. Returns how many it took.
 */
unsigned int linux_console_input(struct vm *vm, const char *buf, unsigned int head,
				 unsigned int count, unsigned int ring)
{
	unsigned int done = 0;
	int k;

	spin_lock(&vm->lock);
	while (done < count && vpl011_rx_space(vm->vuart) &&
	       !vpl011_rx(vm->vuart, buf[(head + done) % ring]))
		done++;
	k = vgic_set_line(vm->vgic, 0, 32 + LINUX_UART_SPI, vpl011_irq_level(vm->vuart));
	spin_unlock(&vm->lock);
	if (k > 0)
		gicv_kick(vm, (uint32_t)k);
	return done;
}

int linux_inject_spi(struct vm *vm, unsigned int intid)
{
	int k;

	spin_lock(&vm->lock);
	k = vgic_inject(vm->vgic, 0, intid);
	spin_unlock(&vm->lock);
	if (k > 0)
		gicv_kick(vm, (uint32_t)k);
	return k < 0 ? k : 0;
}

/* A trapped system register access (EC 0x18): the guest's SGIs. */
void linux_sysreg(struct vcpu *v)
{
	uint64_t iss = v->ctx.esr & ESR_ISS_MASK;
	unsigned int rt = (iss >> 5) & 0x1f;
	bool is_read = iss & 1;
	/* Op0, Op2, Op1, CRn, CRm: the register, without Rt and direction. */
	uint64_t reg = iss & 0x3ffc1eUL;
	/* ICC_SGI1R_EL1: op0 3, op1 0, CRn 12, CRm 11, op2 5. */
	const uint64_t sgi1r = (3UL << 20) | (5UL << 17) | (0UL << 14) | (12UL << 10) | (11UL << 1);

	if (reg == sgi1r && !is_read) {
		uint32_t kicks;

		spin_lock(&v->vm->lock);
		kicks = vgic_sgi1r_write(v->vm->vgic, v->index, rt == 31 ? 0 : v->ctx.x[rt]);
		spin_unlock(&v->vm->lock);
		kicks &= ~(1U << v->index);
		if (kicks)
			gicv_kick(v->vm, kicks);
	} else if (is_read && rt != 31) {
		v->ctx.x[rt] = 0; /* anything else trapped: reads as zero, writes ignored */
	}
	v->ctx.pc += 4;
}

/* A destroyed Linux VM's emulated devices and console input, free for the next one. */
void linux_vm_free(struct vm *vm)
{
	console_in_remove(vm);
	if (vm->linux_idx < LINUX_MAX_VMS)
		slot_used[vm->linux_idx] = false;
	vm->vgic = NULL;
	vm->vuart = NULL;
}
