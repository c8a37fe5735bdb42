/* SPDX-License-Identifier: MIT */
/*
 * vmcfg_read() and vmcfg_resolve() on arbitrary bytes: the VM
 * configuration is a blob the hypervisor takes from memory it does not
 * trust. The input is the blob itself (seeds: the tree's vms/NAME.dts and
 * test/data/vmcfg/NAME.dts, compiled). Besides memory safety (ASan, UBSan),
 * checks what the header promises: an error leaves the table zeroed, a
 * message naming where and a known code; a configuration accepted has
 * 1..MAX VMs with valid, distinct names, values in their ranges, memory
 * in 2 MiB chunks that fits, a TEE's vCPUs its VM's; a resolved one has
 * every file inside a staging area; the same blob reads the same twice.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <policy/vm_config.h>
#include <vtz/platform.h>

#include "fuzz_util.h"

#define MAX_VMS 8

static const struct vmcfg_area areas[] = {
	{ PLAT_STAGE0_BASE, PLAT_STAGE0_SIZE },
	{ PLAT_STAGE1_BASE, PLAT_STAGE1_SIZE },
	{ PLAT_STAGE2_BASE, PLAT_STAGE2_SIZE },
};

static bool name_valid(const char *s, size_t max)
{
	size_t i, n = strnlen(s, max);

	if (n == 0 || n >= max)
		return false;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
		      s[i] == '-'))
			return false;
	return strcmp(s, "mon") && strcmp(s, "ciee") && strcmp(s, "hyp") && strcmp(s, "run");
}

static void check_error(int ret, const struct vmcfg_error *err, const struct vmcfg_vm *vms,
			unsigned int n)
{
	static const struct vmcfg_vm zero;
	unsigned int i;

	FUZZ_CHECK(ret < 0 && ret >= VMCFG_ERR_LAST && err->code == ret, "ret %d code %d", ret,
		   err->code);
	FUZZ_CHECK(memchr(err->msg, '\0', sizeof(err->msg)) && strchr(err->msg, ':') &&
			   err->msg[0] != ':',
		   "message without a place: %s", err->msg);
	for (i = 0; err->msg[i]; i++)
		FUZZ_CHECK(err->msg[i] >= 0x20 && err->msg[i] < 0x7f, "unprintable message byte %u",
			   i);
	FUZZ_CHECK(n == 0, "%u VMs after an error", n);
	for (i = 0; i < MAX_VMS; i++)
		FUZZ_CHECK(!memcmp(&vms[i], &zero, sizeof(zero)), "VM %u left after an error", i);
}

static void check_vms(const struct vmcfg_vm *vms, unsigned int n, uint64_t mem_avail)
{
	uint64_t used = 0;
	unsigned int i, j;

	FUZZ_CHECK(n >= 1 && n <= MAX_VMS, "n %u", n);
	for (i = 0; i < n; i++) {
		const struct vmcfg_vm *v = &vms[i];

		FUZZ_CHECK(name_valid(v->name, VMCFG_NAME_MAX), "VM %u: name", i);
		FUZZ_CHECK(v->kind == VMCFG_KIND_BARE || v->kind == VMCFG_KIND_LINUX, "kind");
		FUZZ_CHECK(v->vcpus >= 1 && v->vcpus <= VMCFG_MAX_VCPUS, "vcpus %u", v->vcpus);
		FUZZ_CHECK(v->memory_mib && v->memory_mib % VMCFG_CHUNK_MIB == 0, "memory %u",
			   v->memory_mib);
		FUZZ_CHECK(v->kernel.path && strlen(v->kernel.path) < VMCFG_PATH_MAX, "kernel");
		FUZZ_CHECK((v->kind == VMCFG_KIND_LINUX) == (v->initramfs.path != NULL), "initramfs");
		FUZZ_CHECK(v->kind == VMCFG_KIND_LINUX || !v->bootargs, "bootargs");
		FUZZ_CHECK(v->numa_node >= -1 && v->numa_node < VMCFG_NUMA_NODES, "numa");
		FUZZ_CHECK((unsigned int)v->on_poweroff <= VMCFG_ON_POWEROFF_DESTROY, "on-poweroff");
		if (v->has_tee) {
			FUZZ_CHECK(name_valid(v->tee.name, VMCFG_TEE_NAME_MAX), "VM %u: TEE name", i);
			FUZZ_CHECK(strcmp(v->tee.name, v->name), "TEE named as its VM");
			FUZZ_CHECK(v->tee.image.path, "TEE image");
			FUZZ_CHECK(v->tee.memory_mib >= 1 && v->tee.memory_mib <= VMCFG_TEE_MAX_MIB,
				   "TEE memory %u", v->tee.memory_mib);
		}
		for (j = 0; j < i; j++) {
			FUZZ_CHECK(strcmp(v->name, vms[j].name), "VMs %u and %u: one name", j, i);
			FUZZ_CHECK(!vms[j].has_tee || strcmp(v->name, vms[j].tee.name),
				   "VM %u named as TEE %u", i, j);
			FUZZ_CHECK(!v->has_tee || strcmp(v->tee.name, vms[j].name),
				   "TEE %u named as VM %u", i, j);
			FUZZ_CHECK(!v->has_tee || !vms[j].has_tee ||
					   strcmp(v->tee.name, vms[j].tee.name),
				   "TEEs %u and %u: one name", j, i);
		}
		used += vmcfg_vm_bytes(v);
	}
	FUZZ_CHECK(used <= mem_avail, "%llu bytes of %llu", (unsigned long long)used,
		   (unsigned long long)mem_avail);
}

static bool in_area(const struct vmcfg_file *f)
{
	unsigned int i;

	for (i = 0; i < sizeof(areas) / sizeof(areas[0]); i++)
		if (f->addr >= areas[i].base && f->addr + f->size <= areas[i].base + areas[i].size &&
		    f->size && f->addr % VMCFG_STAGE_ALIGN == 0)
			return true;
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vmcfg_vm a[MAX_VMS], b[MAX_VMS];
	const uint64_t mem_avail = PLAT_VM_POOL_SIZE;
	struct vmcfg_error ea, eb;
	unsigned int na, nb, i;
	uint8_t *buf;
	int ret;

	/* libfdt wants 8-byte alignment; malloc gives it, and exact bounds for ASan. */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);

	memset(a, 0x5a, sizeof(a));
	ret = vmcfg_read(buf, size, mem_avail, a, MAX_VMS, &na, &ea);
	if (ret)
		check_error(ret, &ea, a, na);
	else
		check_vms(a, na, mem_avail);

	/* The same blob again over garbage: the same answer (no stale state). */
	memset(b, 0xa5, sizeof(b));
	FUZZ_CHECK(vmcfg_read(buf, size, mem_avail, b, MAX_VMS, &nb, &eb) == ret && na == nb,
		   "two reads of one blob differ");
	/* (Entries past the VMs read are the caller's: not compared.) */
	FUZZ_CHECK(!memcmp(a, b, (ret ? MAX_VMS : na) * sizeof(a[0])) && !strcmp(ea.msg, eb.msg),
		   "two reads of one blob differ in their output");

	if (ret == VMCFG_OK) {
		ret = vmcfg_resolve(buf, size, a, na, areas, sizeof(areas) / sizeof(areas[0]), &ea);
		if (ret) {
			FUZZ_CHECK(ret < 0 && ret >= VMCFG_ERR_LAST && ea.code == ret, "resolve %d",
				   ret);
		} else {
			for (i = 0; i < na; i++) {
				FUZZ_CHECK(in_area(&a[i].kernel), "VM %u: kernel", i);
				FUZZ_CHECK(!a[i].initramfs.path || in_area(&a[i].initramfs),
					   "VM %u: initramfs", i);
				FUZZ_CHECK(!a[i].has_tee || in_area(&a[i].tee.image),
					   "VM %u: TEE image", i);
			}
		}
	}
	free(buf);
	return 0;
}
