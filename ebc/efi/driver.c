/* SPDX-License-Identifier: MIT */
/*
 * The EBC VM as a UEFI boot-service driver for AArch64 (Debian's AAVMF):
 * it installs the EBC protocol and EDK2's PE/COFF image emulator protocol
 * for machine type 0x0EBC. The DXE core loads and relocates an EBC image
 * itself, then asks the emulator (RegisterImage) for a native entry point:
 * a thunk (thunk.S) that runs the image's EBC entry in our VM. So `load`
 * of this driver in the UEFI Shell, then running any EBC application,
 * just works.
 *
 * Built with Debian's gnu-efi (its headers, crt0 and libraries); the only
 * interface gnu-efi lacks, EDK2's PE/COFF emulator protocol, is declared
 * below.
 *
 * What the VM can and cannot check here: code fetches, jumps and calls
 * stay inside the image, the VM stack is the VM's own allocation, every
 * run is bounded; EBC drivers legitimately read and write any memory
 * (tables, protocol structures, buffers), so data accesses are only
 * refused on the NULL page. A fault stops the image (its thunk returns
 * EFI_ABORTED) with a message on the console; the firmware carries on.
 */
#include <efi.h>
#include <efilib.h>

#include "thunk.h"
#include "vm.h"

#define EBC_MAX_IMAGES 32
#define EBC_STACK_SIZE (256U * 1024)
/* About a minute of interpretation under QEMU: a hung image stops. */
#define EBC_MAX_STEPS (1ULL << 32)
#define NULL_PAGE 0x1000ULL
#define MACHINE_EBC 0x0ebc

/* EDK2's EDKII_PECOFF_IMAGE_EMULATOR_PROTOCOL (MdeModulePkg), version 1. */
#define PECOFF_EMU_GUID                                                                            \
	{                                                                                          \
		0x96f46153, 0x97a7, 0x4793,                                                        \
		{                                                                                  \
			0xac, 0xc1, 0xfa, 0x19, 0xbf, 0x78, 0xea, 0x97                             \
		}                                                                                  \
	}

struct pecoff_emu {
	BOOLEAN(EFIAPI *is_image_supported)
	(struct pecoff_emu *self, UINT16 image_type, EFI_DEVICE_PATH *path);
	EFI_STATUS(EFIAPI *register_image)
	(struct pecoff_emu *self, EFI_PHYSICAL_ADDRESS base, UINT64 size,
	 EFI_IMAGE_ENTRY_POINT *entry);
	EFI_STATUS(EFIAPI *unregister_image)(struct pecoff_emu *self, EFI_PHYSICAL_ADDRESS base);
	UINT32 version;
	UINT16 machine;
};

struct ebc_image {
	bool used;
	UINT64 base, size;
	void *stack;
	struct ebc_vm vm;
};

struct ebc_thunk {
	struct ebc_image *img; /* NULL: free */
	UINT64 entry;
};

extern const UINT8 ebc_thunk_table[];
UINT64 ebc_thunk_entry(UINT64 index, const UINT64 *regs, const UINT64 *stack_args);

static struct ebc_image images[EBC_MAX_IMAGES];
static struct ebc_thunk thunks[EBC_MAX_THUNKS];
static EBC_ICACHE_FLUSH icache_flush;

/* ---------------------------------------------------- the VM's host */
static bool host_read(void *ctx, uint64_t addr, unsigned size, uint64_t *val)
{
	uint64_t v = 0;

	(void)ctx;
	if (addr < NULL_PAGE || addr + size < addr)
		return false;
	/* Byte by byte: EBC data need not be aligned. */
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)((volatile const UINT8 *)(UINTN)addr)[i] << (8 * i);
	*val = v;
	return true;
}

static bool host_write(void *ctx, uint64_t addr, unsigned size, uint64_t val)
{
	(void)ctx;
	if (addr < NULL_PAGE || addr + size < addr)
		return false;
	for (unsigned i = 0; i < size; i++)
		((volatile UINT8 *)(UINTN)addr)[i] = (UINT8)(val >> (8 * i));
	return true;
}

typedef UINT64 (*native_fn)(UINT64, UINT64, UINT64, UINT64, UINT64, UINT64, UINT64, UINT64, UINT64,
			    UINT64, UINT64, UINT64, UINT64, UINT64, UINT64, UINT64);

/*
 * CALLEX: the callee gets the first eight values in x0..x7 and the rest
 * on the stack, as AAPCS64 passes them (variadic UEFI services too).
 */
static bool host_call(void *ctx, uint64_t addr, const uint64_t *a, unsigned n, uint64_t *ret)
{
	native_fn fn = (native_fn)(UINTN)addr;

	(void)ctx;
	(void)n; /* the VM zero-fills up to EBC_NATIVE_ARGS values */
	if (addr < NULL_PAGE || (addr & 3))
		return false;
	*ret = fn(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12],
		  a[13], a[14], a[15]);
	return true;
}

static bool thunk_for(struct ebc_image *img, UINT64 entry, UINT64 *out)
{
	int free_slot = -1;

	for (int i = 0; i < EBC_MAX_THUNKS; i++) {
		if (thunks[i].img == img && thunks[i].entry == entry) {
			*out = (UINT64)(UINTN)(ebc_thunk_table + EBC_THUNK_SIZE * i);
			return true;
		}
		if (!thunks[i].img && free_slot < 0)
			free_slot = i;
	}
	if (free_slot < 0)
		return false;
	thunks[free_slot].img = img;
	thunks[free_slot].entry = entry;
	*out = (UINT64)(UINTN)(ebc_thunk_table + EBC_THUNK_SIZE * free_slot);
	return true;
}

static bool host_thunk(void *ctx, uint64_t entry, uint64_t *thunk)
{
	return thunk_for(ctx, entry, thunk);
}

static void host_debug(void *ctx, uint64_t ip)
{
	struct ebc_image *img = ctx;

	Print(L"EBC VM: BREAK 3 (debug breakpoint) at image offset 0x%lx\n", ip - img->base);
}

static const struct ebc_host_ops host_ops = {
    .read = host_read,
    .write = host_write,
    .call_native = host_call,
    .make_thunk = host_thunk,
    .debug_break = host_debug,
};

/* --------------------------------------- native code calling EBC code */
UINT64 ebc_thunk_entry(UINT64 index, const UINT64 *regs, const UINT64 *stack_args)
{
	struct ebc_thunk *t;
	struct ebc_image *img;
	UINT64 args[16], ret = 0;
	enum ebc_status st;

	if (index >= EBC_MAX_THUNKS || !thunks[index].img)
		return EFI_UNSUPPORTED;
	t = &thunks[index];
	img = t->img;
	for (int i = 0; i < 8; i++) {
		args[i] = regs[i];
		args[8 + i] = stack_args[i];
	}
	st = ebc_vm_call(&img->vm, t->entry, args, 16, &ret);
	if (st != EBC_OK) {
		Print(L"EBC VM: image at 0x%lx stopped: %a at image offset 0x%lx (opcode 0x%x, "
		      L"address 0x%lx)\n",
		      img->base, ebc_status_str(st), img->vm.fault_ip - img->base,
		      img->vm.fault_opcode, img->vm.fault_addr);
		return EFI_ABORTED;
	}
	return ret;
}

/* -------------------------------------------- the PE/COFF emulator */
static struct ebc_image *image_at(UINT64 addr)
{
	for (int i = 0; i < EBC_MAX_IMAGES; i++)
		if (images[i].used && addr >= images[i].base &&
		    addr - images[i].base < images[i].size)
			return &images[i];
	return NULL;
}

static BOOLEAN EFIAPI emu_is_image_supported(struct pecoff_emu *self, UINT16 image_type,
					     EFI_DEVICE_PATH *path)
{
	(void)self;
	(void)path;
	return image_type == IMAGE_SUBSYSTEM_EFI_APPLICATION ||
	       image_type == IMAGE_SUBSYSTEM_EFI_BOOT_SERVICE_DRIVER;
}

static EFI_STATUS EFIAPI emu_register_image(struct pecoff_emu *self, EFI_PHYSICAL_ADDRESS base,
					    UINT64 size, EFI_IMAGE_ENTRY_POINT *entry)
{
	struct ebc_vm_config cfg;
	struct ebc_image *img = NULL;
	UINT64 ebc_entry = (UINT64)(UINTN)*entry, thunk;
	void *stack;

	(void)self;
	if (!size || base + size < base || ebc_entry < base || ebc_entry - base >= size)
		return EFI_INVALID_PARAMETER;
	for (int i = 0; i < EBC_MAX_IMAGES && !img; i++)
		if (!images[i].used)
			img = &images[i];
	if (!img)
		return EFI_OUT_OF_RESOURCES;
	if (uefi_call_wrapper(BS->AllocatePool, 3, EfiBootServicesData, EBC_STACK_SIZE + 16,
			      &stack) != EFI_SUCCESS)
		return EFI_OUT_OF_RESOURCES;
	cfg = (struct ebc_vm_config){
	    .code_base = base,
	    .code_size = size,
	    .stack_base = ((UINT64)(UINTN)stack + 15) & ~15ULL,
	    .stack_size = EBC_STACK_SIZE,
	    .max_steps = EBC_MAX_STEPS,
	};
	if (ebc_vm_init(&img->vm, &host_ops, img, &cfg) != EBC_OK) {
		uefi_call_wrapper(BS->FreePool, 1, stack);
		return EFI_INVALID_PARAMETER;
	}
	img->base = base;
	img->size = size;
	img->stack = stack;
	img->used = true;
	if (!thunk_for(img, ebc_entry, &thunk)) {
		img->used = false;
		uefi_call_wrapper(BS->FreePool, 1, stack);
		return EFI_OUT_OF_RESOURCES;
	}
	*entry = (EFI_IMAGE_ENTRY_POINT)(UINTN)thunk;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI emu_unregister_image(struct pecoff_emu *self, EFI_PHYSICAL_ADDRESS base)
{
	struct ebc_image *img = image_at(base);

	(void)self;
	if (!img || img->base != base)
		return EFI_NOT_FOUND;
	for (int i = 0; i < EBC_MAX_THUNKS; i++)
		if (thunks[i].img == img)
			thunks[i].img = NULL;
	uefi_call_wrapper(BS->FreePool, 1, img->stack);
	img->used = false;
	return EFI_SUCCESS;
}

/* ------------------------------------------------- the EBC protocol */
static EFI_STATUS EFIAPI ebc_create_thunk(EFI_EBC_PROTOCOL *self, EFI_HANDLE handle,
					  VOID *ebc_entry, VOID **thunk)
{
	struct ebc_image *img = image_at((UINT64)(UINTN)ebc_entry);
	UINT64 t;

	(void)self;
	(void)handle;
	if (!thunk || !img || ((UINTN)ebc_entry & 1))
		return EFI_INVALID_PARAMETER;
	if (!thunk_for(img, (UINT64)(UINTN)ebc_entry, &t))
		return EFI_OUT_OF_RESOURCES;
	*thunk = (VOID *)(UINTN)t;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI ebc_unload_image(EFI_EBC_PROTOCOL *self, EFI_HANDLE handle)
{
	(void)self;
	(void)handle;
	/* Images are released when the DXE core unregisters them. */
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI ebc_register_icache_flush(EFI_EBC_PROTOCOL *self, EBC_ICACHE_FLUSH flush)
{
	(void)self;
	/* Kept, never needed: we write no code (thunk.S). */
	icache_flush = flush;
	return EFI_SUCCESS;
}

static EFI_STATUS EFIAPI ebc_get_version(EFI_EBC_PROTOCOL *self, UINT64 *version)
{
	(void)self;
	if (!version)
		return EFI_INVALID_PARAMETER;
	*version = EBC_VM_VERSION;
	return EFI_SUCCESS;
}

static EFI_EBC_PROTOCOL ebc_protocol = {
    .CreateThunk = ebc_create_thunk,
    .UnloadImage = ebc_unload_image,
    .RegisterICacheFlush = ebc_register_icache_flush,
    .GetVersion = ebc_get_version,
};

static struct pecoff_emu emu_protocol = {
    .is_image_supported = emu_is_image_supported,
    .register_image = emu_register_image,
    .unregister_image = emu_unregister_image,
    .version = 1,
    .machine = MACHINE_EBC,
};

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_GUID ebc_guid = EFI_EBC_PROTOCOL_GUID, emu_guid = PECOFF_EMU_GUID;
	EFI_HANDLE handle = NULL;
	EFI_STATUS st;

	InitializeLib(image, systab);
	st = uefi_call_wrapper(BS->InstallMultipleProtocolInterfaces, 6, &handle, &ebc_guid,
			       &ebc_protocol, &emu_guid, &emu_protocol, NULL);
	if (st != EFI_SUCCESS) {
		Print(L"EBC VM: could not install its protocols: %r\n", st);
		return st;
	}
	Print(L"EBC VM for AArch64 (vTZ ebc/): EBC protocol and PE/COFF emulator for "
	      L"0x0EBC installed\n");
	return EFI_SUCCESS;
}
