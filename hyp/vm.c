/* SPDX-License-Identifier: MIT */
/*
 * Creating VMs: memory from the pool, the image copied in, the stage-2
 * mappings requested from the CIEE (which alone writes the tables).
 */
#include <string.h>

#include <arch/sysreg.h>
#include <lib/console.h>
#include <lib/spinlock.h>

#include "hyp.h"
#include "numa.h"

static struct vm vms[HYP_MAX_VMS];
static struct spinlock slots_lock = SPINLOCK_INIT;

/* The lowest free slot: its index is the CIEE id (a destroyed VM's are reused). */
static struct vm *slot_take(void)
{
	struct vm *vm = NULL;
	unsigned int i;

	spin_lock(&slots_lock);
	for (i = 0; i < HYP_MAX_VMS && !vm; i++) {
		if (!vms[i].in_use) {
			vm = &vms[i];
			memset(vm, 0, sizeof(*vm));
			vm->in_use = true;
			vm->id = i;
		}
	}
	spin_unlock(&slots_lock);
	return vm;
}

static void slot_give_back(struct vm *vm)
{
	spin_lock(&slots_lock);
	vm->in_use = false;
	spin_unlock(&slots_lock);
}

static struct vm *vm_alloc(const char *name, bool is_tee, uint64_t ram_ipa, uint64_t ram_size)
{
	struct vm *vm = slot_take();
	size_t n;

	if (!vm) {
		con_printf("error: cannot create %s: all %d VM ids in use\n", name, HYP_MAX_VMS);
		return NULL;
	}
	n = strnlen(name, VM_NAME_MAX - 1);
	memcpy(vm->name, name, n);
	vm->is_tee = is_tee;
	vm->ram_ipa = ram_ipa;
	vm->ram_size = ram_size;
	vm->ram_pa = numa_alloc(name, ram_size);
	vm->cpu_mask = numa_cpu_mask();
	if (!vm->ram_pa) {
		con_printf("error: cannot create %s: out of memory for %llu MiB (%llu MiB free)\n",
			   name, (unsigned long long)(ram_size >> 20),
			   (unsigned long long)(mem_free_bytes() >> 20));
		slot_give_back(vm);
		return NULL;
	}
	for (n = 0; n < HYP_MAX_VCPUS; n++) {
		struct vcpu *v = &vm->vcpus[n];

		v->vm = vm;
		v->index = (unsigned int)n;
		v->running_on = -1;
		vuart_init(&v->uart, vm->name);
	}
	return vm;
}

uint64_t tee_ram_fill;

static int load_image(struct vm *vm, uint64_t image, uint64_t image_max)
{
	uint64_t i;

	if (image_max > vm->ram_size) {
		con_printf("error: %s: image larger than its RAM\n", vm->name);
		return -1;
	}
	memset((void *)vm->ram_pa, 0, vm->ram_size);
	for (i = 0; vm->is_tee && tee_ram_fill && i < vm->ram_size; i += 8)
		*(volatile uint64_t *)(vm->ram_pa + i) = tee_ram_fill;
	memcpy((void *)vm->ram_pa, (const void *)image, image_max);
	return 0;
}

static int map(struct vm *vm, uint64_t ipa, uint64_t pa, uint64_t size, uint64_t flags)
{
	long r = ciee_call(CIEE_CALL_S2_MAP, vm->id, ipa, pa, size, flags);

	if (r != CIEE_OK) {
		con_printf("error: %s: stage-2 map IPA 0x%llx -> PA 0x%llx (+0x%llx) refused: %s\n",
			   vm->name, (unsigned long long)ipa, (unsigned long long)pa,
			   (unsigned long long)size, ciee_strerror(r));
		return -1;
	}
	return 0;
}

static int donate(struct vm *vm, uint64_t pa, uint64_t size)
{
	long r = ciee_call(CIEE_CALL_DONATE, vm->id, pa, size, 0, 0);

	if (r != CIEE_OK) {
		con_printf("error: %s: donating PA 0x%llx (+0x%llx) refused: %s\n", vm->name,
			   (unsigned long long)pa, (unsigned long long)size, ciee_strerror(r));
		return -1;
	}
	return 0;
}

/* A vCPU at its PSCI entry state: EL1h, interrupts masked, MMU off. */
void vcpu_reset(struct vcpu *v, uint64_t entry, uint64_t arg)
{
	memset(&v->ctx, 0, sizeof(v->ctx));
	v->ctx.x[0] = arg;
	v->ctx.pc = entry;
	v->ctx.pstate = SPSR_EL1H | SPSR_DAIF_MASKED;
	v->ctx.el1.sctlr = SCTLR_EL1_RES1;
	v->ctx.vmpidr = 0x80000000UL | v->index; /* Aff0 = vCPU index */
}

/*
 * A guest VM: ram_size of RAM at GUEST_RAM_IPA, zeroed, with image_max
 * bytes from image at its start (none if image_max is 0), donated and
 * mapped through the CIEE; vCPU 0 ready at the start of its RAM.
 */
struct vm *vm_create(const char *name, uint64_t ram_size, unsigned int n_vcpus, uint64_t image,
		     uint64_t image_max)
{
	struct vm *vm;
	long r;

	if (n_vcpus == 0 || n_vcpus > HYP_MAX_VCPUS) {
		con_printf("error: cannot create %s with %u vCPUs (1..%u)\n", name, n_vcpus,
			   HYP_MAX_VCPUS);
		return NULL;
	}
	vm = vm_alloc(name, false, GUEST_RAM_IPA, ram_size);
	if (!vm)
		return NULL;
	vm->n_vcpus = n_vcpus;
	/* Its identity for the CIEE (its TEE's key derives from it): its name, NUL-padded. */
	{
		uint64_t ident[2] = { 0, 0 };

		memcpy(ident, vm->name, strnlen(vm->name, sizeof(ident) - 1));
		r = ciee_call(CIEE_CALL_VM_CREATE, vm->id, CIEE_VM_KIND_GUEST, 0, ident[0],
			      ident[1]);
	}
	if (r != CIEE_OK) {
		con_printf("error: %s: CIEE refused VM_CREATE: %s\n", name, ciee_strerror(r));
		mem_free(vm->ram_pa, vm->ram_size);
		slot_give_back(vm);
		return NULL;
	}
	if (load_image(vm, image, image_max) || donate(vm, vm->ram_pa, vm->ram_size) ||
	    map(vm, vm->ram_ipa, vm->ram_pa, vm->ram_size, CIEE_MAP_R | CIEE_MAP_W | CIEE_MAP_X)) {
		vm_teardown(vm); /* what the CIEE has of it, back */
		return NULL;
	}
	vcpu_reset(&vm->vcpus[0], vm->ram_ipa, 0);
	vm->vcpus[0].on = true; /* the others wait for PSCI CPU_ON */
	vm->running = true;
	lifecycle_vm_started();
	if (!image_max)
		return vm; /* the caller says what it loaded */
	con_printf("%s: guest VM, %u vCPU%s, %llu MiB RAM at IPA 0x%llx (PA 0x%llx), entry 0x%llx\n",
		   vm->name, vm->n_vcpus, vm->n_vcpus == 1 ? "" : "s",
		   (unsigned long long)(vm->ram_size >> 20), (unsigned long long)vm->ram_ipa,
		   (unsigned long long)vm->ram_pa, (unsigned long long)vm->ram_ipa);
	return vm;
}

struct vm *vm_create_guest(const char *name, uint64_t image, uint64_t image_max,
			   unsigned int n_vcpus)
{
	return vm_create(name, GUEST_RAM_SIZE, n_vcpus, image, image_max);
}

/*
 * A TEE image names its size in its vTZTEEI1 header (ours), or the loader
 * does in the staging area's descriptor (an image as its build made it,
 * such as OP-TEE's tee-raw.bin). The CIEE measures exactly that many
 * bytes and zeroes the rest of the TEE's memory before its first entry.
 */
static int tee_image_size(struct vm *tee, uint64_t image, uint64_t *image_max)
{
	const volatile uint64_t *desc = (const volatile uint64_t *)PLAT_TEE_IMAGE_DESC;

	if (tee->image_size) {
		*image_max = tee->image_size; /* vm_create_tee_sized(): the caller knows */
		return 0;
	}
	if (image != PLAT_TEE_IMAGE_BASE || desc[0] != PLAT_TEE_IMAGE_DESC_MAGIC)
		return 0;
	if (!desc[1] || desc[1] > PLAT_TEE_IMAGE_DESC - PLAT_TEE_IMAGE_BASE) {
		con_printf("error: %s: the staged TEE image's size (%llu bytes) is 0 or over "
			   "%lu\n", tee->name, (unsigned long long)desc[1],
			   PLAT_TEE_IMAGE_DESC - PLAT_TEE_IMAGE_BASE);
		return -1;
	}
	tee->image_size = desc[1];
	*image_max = tee->image_size;
	return 0;
}

static struct vm *tee_create(struct vm *guest, const char *name, uint64_t image,
			     uint64_t image_max, uint64_t size, uint64_t ram_size);

struct vm *vm_create_tee(struct vm *guest, const char *name, uint64_t image, uint64_t image_max)
{
	return tee_create(guest, name, image, image_max, 0, TEE_RAM_SIZE);
}

struct vm *vm_create_tee_sized(struct vm *guest, const char *name, uint64_t image, uint64_t size)
{
	return tee_create(guest, name, image, size, size, TEE_RAM_SIZE);
}

struct vm *vm_create_tee_cfg(struct vm *guest, const char *name, uint64_t image, uint64_t size,
			     uint64_t ram_size)
{
	return tee_create(guest, name, image, size, size, ram_size);
}

static struct vm *tee_create(struct vm *guest, const char *name, uint64_t image,
			     uint64_t image_max, uint64_t size, uint64_t ram_size)
{
	struct vm *tee = vm_alloc(name, true, TEE_RAM_IPA, ram_size);
	long r;

	if (!tee)
		return NULL;
	tee->image_size = size;
	r = ciee_call(CIEE_CALL_VM_CREATE, tee->id, CIEE_VM_KIND_TEE, guest->id, 0, 0);
	if (r != CIEE_OK) {
		con_printf("error: %s: CIEE refused VM_CREATE: %s\n", name, ciee_strerror(r));
		mem_free(tee->ram_pa, tee->ram_size);
		slot_give_back(tee);
		return NULL;
	}
	/* Its VM's from now on: destroying the VM (vm_teardown) takes it too. */
	tee->partner = guest;
	guest->partner = tee;
	/*
	 * Load the image while the pages are still ours; once donated they
	 * leave our view. Then its own memory, and its VM's memory at the
	 * same addresses: the view a secure world has of the normal world.
	 */
	if (tee_image_size(tee, image, &image_max) ||
	    load_image(tee, image, image_max) || donate(tee, tee->ram_pa, tee->ram_size) ||
	    map(tee, tee->ram_ipa, tee->ram_pa, tee->ram_size,
		CIEE_MAP_R | CIEE_MAP_W | CIEE_MAP_X) ||
	    map(tee, guest->ram_ipa, guest->ram_pa, guest->ram_size, CIEE_MAP_R | CIEE_MAP_W))
		return NULL;
	tee->n_vcpus = guest->n_vcpus; /* one TEE vCPU per VM vCPU, same index */
	con_printf("%s: guest TEE of %s, %llu MiB RAM at IPA 0x%llx (PA 0x%llx)\n", tee->name,
		   guest->name, (unsigned long long)(tee->ram_size >> 20),
		   (unsigned long long)tee->ram_ipa, (unsigned long long)tee->ram_pa);
	return tee;
}

/*
 * First entry of each of a TEE's vCPUs through the CIEE, serving its
 * console: vCPU 0 at the image entry until ENTRY_DONE, then the others at
 * the TEE's cpu_on vector until ON_DONE.
 */
int vm_boot_tee(struct vm *tee)
{
	static struct ciee_mmio mmio;
	/*
	 * What the loader knows: the normal-world RAM the TEE may use, the
	 * image size (0: ours names its own), a Linux VM's device tree.
	 */
	static struct ciee_tee_boot_cfg cfg;
	unsigned int i;

	cfg.ns_size = tee->partner->ram_size;
	cfg.image_size = tee->image_size;
	/* A Linux VM's device tree, at the start of its RAM: the one TF-A would pass. */
	cfg.dt_ipa = tee->partner->is_linux ? tee->partner->ram_ipa : 0;
	memset(cfg.name, 0, sizeof(cfg.name));
	memcpy(cfg.name, tee->name, strnlen(tee->name, sizeof(cfg.name) - 1));
	for (i = 0; i < tee->n_vcpus; i++) {
		long r = ciee_call(CIEE_CALL_TEE_BOOT, tee->id, (unsigned long)&mmio,
				   VTZ_TEE_ENTRY_IPA, i, i ? 0 : (unsigned long)&cfg);

		/* To its end, preemptions too: a TEE created while others run (lifecycle.c). */
		r = tee_serve_to_end(tee, i, r, &mmio);
		if (r != CIEE_OK) {
			con_printf("error: %s vCPU %u did not complete its boot handshake: %s\n",
				   tee->name, i, ciee_strerror(r));
			return -1;
		}
	}
	con_printf("%s: booted, vector table registered with the CIEE (%u vCPU%s)\n", tee->name,
		   tee->n_vcpus, tee->n_vcpus == 1 ? "" : "s");
	return 0;
}

/*
 * The end of a VM and its TEE: out of the scheduler once no CPU runs
 * them, then VM_DESTROY (the CIEE wipes the TEE, zeroes and takes back
 * every page, flushes both VMIDs), then their memory back to the pool
 * and their slots (CIEE ids) free. A CPU still inside one of them
 * (CIEE_ERR_VM_BUSY) is waited for, boundedly.
 */
int vm_teardown(struct vm *vm)
{
	struct vm *tee = vm->partner;
	unsigned int tries, i, in_flight = 0;
	long r = CIEE_ERR_VM_BUSY;

	if (vm->running) {
		vm->stop_asked = true; /* destroyed while it ran: a clean stop, no policy */
		vm_stop(vm, false);
	}
	sched_remove(vm);
	/* Its vCPUs are off every CPU now: a call its TEE was preempted in ends with the TEE. */
	for (i = 0; i < vm->n_vcpus; i++)
		in_flight += vm->vcpus[i].tee_preempted;
	if (in_flight)
		con_printf("%s: destroying it with %u TEE call%s in flight (preempted in its TEE)\n",
			   vm->name, in_flight, in_flight == 1 ? "" : "s");
	for (tries = 0; tries < 1000000 && r == CIEE_ERR_VM_BUSY; tries++) {
		r = ciee_call(CIEE_CALL_VM_DESTROY, vm->id, 0, 0, 0, 0);
		if (r == CIEE_ERR_VM_BUSY)
			__asm__ volatile("yield");
	}
	if (r != CIEE_OK) {
		con_printf("error: %s: the CIEE refused VM_DESTROY: %s; its memory stays "
			   "reserved\n", vm->name, ciee_strerror(r));
		return -1;
	}
	mem_free(vm->ram_pa, vm->ram_size);
	if (vm->is_linux)
		linux_vm_free(vm);
	if (tee) {
		mem_free(tee->ram_pa, tee->ram_size);
		slot_give_back(tee);
	}
	con_printf("%s destroyed%s%s: %llu MiB back in the pool (%llu MiB free)\n", vm->name,
		   tee ? " with " : "", tee ? tee->name : "",
		   (unsigned long long)((vm->ram_size + (tee ? tee->ram_size : 0)) >> 20),
		   (unsigned long long)(mem_free_bytes() >> 20));
	slot_give_back(vm);
	return 0;
}
