/* SPDX-License-Identifier: MIT */
/*
 * ebc-run: runs an EBC UEFI application on the host, in the sandbox, with
 * a small fake of the UEFI services it may call: ConOut->OutputString
 * (to stdout), ConOut->SetAttribute and ClearScreen, and the boot
 * services AllocatePool, FreePool, SetMem, CopyMem, Stall, and
 * InstallProtocolInterface, UninstallProtocolInterface and LocateProtocol
 * over a small protocol database of its own. Other services return
 * EFI_UNSUPPORTED. A quick way to try an image, and the reference run of
 * the corpus tests (make ebc-test) before any firmware is involved.
 *
 * usage: ebc-run [--max-steps N] IMAGE.efi
 * Exit status: 0 if the image returned (its EFI_STATUS is printed on
 * stderr), 2 if the VM stopped it, 3 if it is not a loadable EBC image,
 * 1 for a usage or file error.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe.h"
#include "sandbox.h"
#include "vm.h"

#define BASE 0x40000000ULL
#define MEM_SIZE (8ULL << 20)
#define IMAGE_MAX (2ULL << 20)
#define TABLES (BASE + IMAGE_MAX)  /* system table, ConOut, boot services */
#define POOL (BASE + (4ULL << 20)) /* AllocatePool's arena: 2 MiB */
#define POOL_END (BASE + (6ULL << 20))
#define STACK (BASE + (7ULL << 20)) /* the VM stack: 1 MiB */
#define STACK_SIZE (1ULL << 20)
#define NATIVE (0xfff00000ULL) /* fake native function addresses: NATIVE + 16 * n */
#define THUNKS (0xffe00000ULL) /* thunks made by BREAK 5: THUNKS + 16 * n */
#define MAX_THUNKS 64

#define EFI_ERR(n) (0x8000000000000000ULL | (n))
#define EFI_INVALID_PARAMETER EFI_ERR(2)
#define EFI_UNSUPPORTED EFI_ERR(3)
#define EFI_OUT_OF_RESOURCES EFI_ERR(9)
#define EFI_NOT_FOUND EFI_ERR(14)

enum native_fn {
	FN_UNSUPPORTED,
	FN_OUTPUT_STRING,
	FN_SET_ATTRIBUTE,
	FN_CLEAR_SCREEN,
	FN_ALLOCATE_POOL,
	FN_FREE_POOL,
	FN_SET_MEM,
	FN_COPY_MEM,
	FN_STALL,
	FN_LOCATE_PROTOCOL,
	FN_INSTALL_PROTOCOL,
	FN_UNINSTALL_PROTOCOL,
	FN_COUNT
};

static uint8_t *mem;
static struct ebc_sandbox sb;
static struct ebc_vm vm;
static uint64_t pool_next = POOL, thunk_entry[MAX_THUNKS];
static unsigned nthunks;
static uint64_t image_base;

/* The protocol database: a few (GUID, interface) pairs on one handle. */
#define MAX_PROTOCOLS 8
#define PROTOCOL_HANDLE 0x3000ULL
static struct {
	bool used;
	uint8_t guid[16];
	uint64_t iface;
} protocols[MAX_PROTOCOLS];

static uint64_t fn_addr(enum native_fn fn)
{
	return NATIVE + 16ULL * fn;
}

static void put64(uint64_t addr, uint64_t v)
{
	ebc_sandbox_write(&sb, addr, 8, v);
}

/* OutputString: UCS-2 to UTF-8 on stdout; CR is dropped so lines end in LF. */
static uint64_t output_string(uint64_t str)
{
	uint64_t c;

	for (unsigned i = 0; i < 4096; i++, str += 2) {
		if (!ebc_sandbox_read(&sb, str, 2, &c))
			return EFI_INVALID_PARAMETER;
		if (!c)
			break;
		if (c == '\r')
			continue;
		if (c < 0x80) {
			putchar((int)c);
		} else if (c < 0x800) {
			putchar((int)(0xc0 | c >> 6));
			putchar((int)(0x80 | (c & 0x3f)));
		} else {
			putchar((int)(0xe0 | c >> 12));
			putchar((int)(0x80 | ((c >> 6) & 0x3f)));
			putchar((int)(0x80 | (c & 0x3f)));
		}
	}
	return 0;
}

static uint64_t allocate_pool(uint64_t size, uint64_t out)
{
	uint64_t p = pool_next;

	if (!out)
		return EFI_INVALID_PARAMETER;
	/* 16 bytes of header keep the size; blocks stay 16-byte aligned. */
	if (size > POOL_END - pool_next - 16)
		return EFI_OUT_OF_RESOURCES;
	if (!ebc_sandbox_write(&sb, out, 8, p + 16))
		return EFI_INVALID_PARAMETER;
	put64(p, size);
	pool_next += (size + 16 + 15) & ~15ULL;
	return 0;
}

static int find_protocol(const uint8_t *guid)
{
	for (int i = 0; i < MAX_PROTOCOLS; i++)
		if (protocols[i].used && !memcmp(protocols[i].guid, guid, 16))
			return i;
	return -1;
}

/* InstallProtocolInterface(Handle *, Guid *, InterfaceType, Interface) */
static uint64_t install_protocol(uint64_t handle, uint64_t guid, uint64_t iface)
{
	const uint8_t *g = ebc_sandbox_ptr(&sb, guid, 16);
	uint64_t h;

	if (!g || !ebc_sandbox_read(&sb, handle, 8, &h) || (h && h != PROTOCOL_HANDLE))
		return EFI_INVALID_PARAMETER;
	if (find_protocol(g) >= 0)
		return EFI_INVALID_PARAMETER; /* already on the handle */
	for (int i = 0; i < MAX_PROTOCOLS; i++) {
		if (!protocols[i].used) {
			protocols[i].used = true;
			memcpy(protocols[i].guid, g, 16);
			protocols[i].iface = iface;
			put64(handle, PROTOCOL_HANDLE);
			return 0;
		}
	}
	return EFI_OUT_OF_RESOURCES;
}

static uint64_t uninstall_protocol(uint64_t handle, uint64_t guid, uint64_t iface)
{
	const uint8_t *g = ebc_sandbox_ptr(&sb, guid, 16);
	int i = g ? find_protocol(g) : -1;

	if (handle != PROTOCOL_HANDLE || i < 0 || protocols[i].iface != iface)
		return EFI_NOT_FOUND;
	protocols[i].used = false;
	return 0;
}

static uint64_t locate_protocol(uint64_t guid, uint64_t out)
{
	const uint8_t *g = ebc_sandbox_ptr(&sb, guid, 16);
	int i = g ? find_protocol(g) : -1;

	if (!out)
		return EFI_INVALID_PARAMETER;
	put64(out, i >= 0 ? protocols[i].iface : 0);
	return i >= 0 ? 0 : EFI_NOT_FOUND;
}

static bool fake_native(void *ctx, uint64_t addr, const uint64_t *a, unsigned n, uint64_t *ret)
{
	uint8_t *d, *s;

	(void)ctx;
	(void)n; /* missing arguments arrive as zero */
	if (addr >= THUNKS && addr < THUNKS + 16ULL * nthunks && !(addr & 15)) {
		/* A thunk made by BREAK 5: native code calling EBC. */
		enum ebc_status st = ebc_vm_call(&vm, thunk_entry[(addr - THUNKS) / 16], a, 8, ret);

		return st == EBC_OK;
	}
	if (addr < NATIVE || addr >= fn_addr(FN_COUNT) || (addr & 15))
		return false;
	switch ((enum native_fn)((addr - NATIVE) / 16)) {
	case FN_OUTPUT_STRING:
		*ret = output_string(a[1]);
		break;
	case FN_SET_ATTRIBUTE:
	case FN_CLEAR_SCREEN:
	case FN_STALL:
		*ret = 0;
		break;
	case FN_ALLOCATE_POOL:
		*ret = allocate_pool(a[1], a[2]);
		break;
	case FN_FREE_POOL:
		*ret = a[0] >= POOL + 16 && a[0] < pool_next ? 0 : EFI_INVALID_PARAMETER;
		break;
	case FN_SET_MEM:
		/* Outside the sandbox: refused as a bad parameter (real firmware would fault). */
		d = ebc_sandbox_ptr(&sb, a[0], a[1]);
		if (d)
			memset(d, (int)(a[2] & 0xff), a[1]);
		*ret = d ? 0 : EFI_INVALID_PARAMETER;
		break;
	case FN_COPY_MEM:
		d = ebc_sandbox_ptr(&sb, a[0], a[2]);
		s = ebc_sandbox_ptr(&sb, a[1], a[2]);
		if (d && s)
			memmove(d, s, a[2]);
		*ret = d && s ? 0 : EFI_INVALID_PARAMETER;
		break;
	case FN_LOCATE_PROTOCOL:
		*ret = locate_protocol(a[0], a[2]);
		break;
	case FN_INSTALL_PROTOCOL:
		*ret = install_protocol(a[0], a[1], a[3]);
		break;
	case FN_UNINSTALL_PROTOCOL:
		*ret = uninstall_protocol(a[0], a[1], a[2]);
		break;
	default:
		*ret = EFI_UNSUPPORTED;
		break;
	}
	return true;
}

static bool fake_thunk(void *ctx, uint64_t entry, uint64_t *thunk)
{
	(void)ctx;
	for (unsigned i = 0; i < nthunks; i++) {
		if (thunk_entry[i] == entry) {
			*thunk = THUNKS + 16ULL * i;
			return true;
		}
	}
	if (nthunks == MAX_THUNKS)
		return false;
	thunk_entry[nthunks] = entry;
	*thunk = THUNKS + 16ULL * nthunks++;
	return true;
}

static void trace_break(void *ctx, uint64_t ip)
{
	(void)ctx;
	fprintf(stderr, "ebc-run: BREAK 3 (debug breakpoint) at image offset %#" PRIx64 "\n",
		ip - image_base);
}

static const struct ebc_host_ops ops = {
    .read = ebc_sandbox_read,
    .write = ebc_sandbox_write,
    .call_native = fake_native,
    .make_thunk = fake_thunk,
    .debug_break = trace_break,
};

/*
 * The tables an application reaches from its SystemTable argument, laid
 * out as on a 64-bit machine: the header is 24 bytes, then pointers.
 */
static uint64_t build_tables(void)
{
	uint64_t st = TABLES, conout = TABLES + 0x200, bs = TABLES + 0x400;
	uint64_t vendor = TABLES + 0x800;
	static const char vendor_name[] = "vTZ ebc-run";

	put64(st, 0x5453595320494249ULL); /* "IBI SYST" */
	for (unsigned i = 0; i < sizeof(vendor_name); i++)
		ebc_sandbox_write(&sb, vendor + 2 * i, 2, (uint8_t)vendor_name[i]);
	put64(st + 24, vendor);
	put64(st + 64, conout); /* ConOut */
	put64(st + 56, 0x1000); /* ConsoleOutHandle: any non-NULL value */
	put64(st + 96, bs);	/* BootServices */
	/* ConOut: Reset, OutputString, TestString, QueryMode, SetMode, SetAttribute, ClearScreen */
	for (unsigned i = 0; i < 9; i++)
		put64(conout + 8 * i, fn_addr(FN_UNSUPPORTED));
	put64(conout + 8, fn_addr(FN_OUTPUT_STRING));
	put64(conout + 40, fn_addr(FN_SET_ATTRIBUTE));
	put64(conout + 48, fn_addr(FN_CLEAR_SCREEN));
	put64(bs, 0x56524553544f4f42ULL); /* "BOOTSERV" */
	for (unsigned i = 0; i < 44; i++)
		put64(bs + 24 + 8 * i, fn_addr(FN_UNSUPPORTED));
	put64(bs + 24 + 8 * 5, fn_addr(FN_ALLOCATE_POOL));
	put64(bs + 24 + 8 * 6, fn_addr(FN_FREE_POOL));
	put64(bs + 24 + 8 * 28, fn_addr(FN_STALL));
	put64(bs + 24 + 8 * 13, fn_addr(FN_INSTALL_PROTOCOL));
	put64(bs + 24 + 8 * 15, fn_addr(FN_UNINSTALL_PROTOCOL));
	put64(bs + 24 + 8 * 37, fn_addr(FN_LOCATE_PROTOCOL));
	put64(bs + 24 + 8 * 41, fn_addr(FN_COPY_MEM));
	put64(bs + 24 + 8 * 42, fn_addr(FN_SET_MEM));
	return st;
}

static uint8_t *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(IMAGE_MAX + 1);

	if (!f || !buf) {
		fprintf(stderr, "ebc-run: cannot open %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		free(buf);
		return NULL;
	}
	*len = fread(buf, 1, IMAGE_MAX + 1, f);
	fclose(f);
	if (*len > IMAGE_MAX) {
		fprintf(stderr, "ebc-run: %s: larger than %llu bytes\n", path,
			(unsigned long long)IMAGE_MAX);
		free(buf);
		return NULL;
	}
	return buf;
}

int main(int argc, char **argv)
{
	uint64_t max_steps = 100000000, args[2], ret = 0;
	struct ebc_pe_info info;
	struct ebc_vm_config cfg;
	enum ebc_pe_status pst;
	enum ebc_status st;
	const char *path = NULL;
	uint8_t *file;
	size_t len;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--max-steps") && i + 1 < argc)
			max_steps = strtoull(argv[++i], NULL, 0);
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else
			path = NULL, i = argc;
	}
	if (!path || !max_steps) {
		fprintf(stderr, "usage: ebc-run [--max-steps N] IMAGE.efi\n");
		return 1;
	}
	file = read_file(path, &len);
	mem = calloc(1, MEM_SIZE);
	if (!file || !mem)
		return 1;
	sb = (struct ebc_sandbox){mem, BASE, MEM_SIZE};
	pst = ebc_pe_load(file, len, mem, IMAGE_MAX, BASE, &info);
	free(file);
	if (pst) {
		fprintf(stderr, "ebc-run: %s: not a loadable EBC image: %s\n", path,
			ebc_pe_status_str(pst));
		return 3;
	}
	image_base = BASE;
	args[0] = 0x2000; /* ImageHandle: any non-NULL value */
	args[1] = build_tables();
	cfg = (struct ebc_vm_config){BASE, info.size_of_image, STACK, STACK_SIZE, max_steps};
	if (ebc_vm_init(&vm, &ops, &sb, &cfg) != EBC_OK)
		return 1;
	st = ebc_vm_call(&vm, BASE + info.entry_rva, args, 2, &ret);
	fflush(stdout);
	if (st != EBC_OK) {
		fprintf(stderr, "ebc-run: %s stopped: %s at image offset %#" PRIx64 " (opcode %#x",
			path, ebc_status_str(st), (uint64_t)(vm.fault_ip - BASE), vm.fault_opcode);
		if (st >= EBC_ERR_ALIGNMENT && st <= EBC_ERR_THUNK)
			fprintf(stderr, ", address %#" PRIx64, vm.fault_addr);
		fprintf(stderr, ")\n");
		return 2;
	}
	fprintf(stderr,
		"ebc-run: %s returned EFI_STATUS %#" PRIx64 " after %" PRIu64 " instructions\n",
		path, ret, vm.steps);
	return 0;
}
