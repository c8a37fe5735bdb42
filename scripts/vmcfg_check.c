/* SPDX-License-Identifier: MIT */
/*
 * vmcfg-check: the hypervisor's own VM-configuration reader
 * (policy/vm_config.c), run on the host by scripts/vtz_run.py, so a bad
 * file is refused before QEMU starts, with the very message the
 * hypervisor would print.
 *
 * usage: vmcfg-check [--mem-avail BYTES] [--resolve] BLOB
 *
 * On success prints, tab-separated, one line per VM and per file and
 * command line it names (the runner stages the files and edits the
 * command lines):
 *   vm        NAME  KIND  VCPUS  MEMORY-MIB  TEE-NAME|-  TEE-MEMORY-MIB|0
 *   file      NODE  PROPERTY  ADDR  SIZE  PATH   (ADDR, SIZE: 0 without --resolve)
 *   bootargs  NODE  STRING
 * With --resolve, also checks the /loaded node (vmcfg_resolve()) against
 * the platform's staging areas, as the hypervisor does. On a refusal,
 * prints "NODE: PROPERTY: what is wrong" on stderr and exits 1; 2 on a
 * usage or I/O error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <policy/vm_config.h>
#include <vtz/platform.h>

#define MAX_VMS 64

static const struct vmcfg_area areas[] = {
	{ PLAT_STAGE0_BASE, PLAT_STAGE0_SIZE },
	{ PLAT_STAGE1_BASE, PLAT_STAGE1_SIZE },
	{ PLAT_STAGE2_BASE, PLAT_STAGE2_SIZE },
};

static void file_line(const char *vm, const char *sub, const char *prop,
		      const struct vmcfg_file *f)
{
	printf("file\t/%s%s%s\t%s\t0x%llx\t%llu\t%s\n", vm, sub ? "/" : "", sub ? sub : "", prop,
	       (unsigned long long)f->addr, (unsigned long long)f->size, f->path);
}

int main(int argc, char **argv)
{
	static unsigned char blob[PLAT_VM_CONFIG_MAX + 1];
	static struct vmcfg_vm vms[MAX_VMS];
	unsigned long long mem_avail = PLAT_VM_POOL_SIZE;
	struct vmcfg_error err;
	const char *path = NULL;
	unsigned int i, n;
	int resolve = 0;
	size_t size;
	FILE *f;

	for (i = 1; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "--mem-avail") && i + 1 < (unsigned int)argc)
			mem_avail = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--resolve"))
			resolve = 1;
		else if (!path && argv[i][0] != '-')
			path = argv[i];
		else
			path = NULL, i = (unsigned int)argc;
	}
	if (!path) {
		fprintf(stderr, "usage: %s [--mem-avail BYTES] [--resolve] BLOB\n", argv[0]);
		return 2;
	}
	f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 2;
	}
	/* One byte more than the hypervisor takes, to see a blob that is too large. */
	size = fread(blob, 1, sizeof(blob), f);
	fclose(f);
	if (vmcfg_read(blob, size < PLAT_VM_CONFIG_MAX ? size : PLAT_VM_CONFIG_MAX, mem_avail,
		       vms, MAX_VMS, &n, &err) ||
	    (resolve && vmcfg_resolve(blob, PLAT_VM_CONFIG_MAX, vms, n, areas,
				      sizeof(areas) / sizeof(areas[0]), &err))) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	for (i = 0; i < n; i++) {
		const struct vmcfg_vm *vm = &vms[i];

		printf("vm\t%s\t%s\t%u\t%u\t%s\t%u\n", vm->name, vmcfg_kind_name(vm->kind),
		       vm->vcpus, vm->memory_mib, vm->has_tee ? vm->tee.name : "-",
		       vm->has_tee ? vm->tee.memory_mib : 0);
		file_line(vm->name, NULL, "kernel", &vm->kernel);
		if (vm->initramfs.path)
			file_line(vm->name, NULL, "initramfs", &vm->initramfs);
		if (vm->has_tee)
			file_line(vm->name, "tee", "image", &vm->tee.image);
		if (vm->bootargs)
			printf("bootargs\t/%s\t%s\n", vm->name, vm->bootargs);
	}
	return 0;
}
