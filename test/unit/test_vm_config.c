/* SPDX-License-Identifier: MIT */
/*
 * The VM-configuration reader (policy/vm_config.c): the tree's own
 * configurations (vms/NAME.dts) and test/data/vmcfg/NAME.dts, compiled with dtc
 * at build time into $VTZ_TEST_DATA; every refusal, each on a good tree
 * changed here with libfdt (or built with its sequential-write API where
 * dtc would not write such a tree), with its code and its whole message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <libfdt.h>
#include <policy/vm_config.h>
#include <vtz/platform.h>

#define MIB (1ULL << 20)
#define TREE_MAX 0x10000
#define POOL_1G PLAT_VM_POOL_SIZE
/* The pool the 2 GiB machine would have: 1 GiB more than today's. */
#define POOL_2G (PLAT_VM_POOL_SIZE + 1024 * MIB)
#define MAX_VMS 32

static const struct vmcfg_area areas[] = {
	{ PLAT_STAGE0_BASE, PLAT_STAGE0_SIZE },
	{ PLAT_STAGE1_BASE, PLAT_STAGE1_SIZE },
	{ PLAT_STAGE2_BASE, PLAT_STAGE2_SIZE },
};
#define N_AREAS (sizeof(areas) / sizeof(areas[0]))

static struct vmcfg_vm vms[MAX_VMS];
static unsigned int n_vms;
static struct vmcfg_error err;

/* ------------------------------------------------------------- helpers */

/* A compiled tree from $VTZ_TEST_DATA, in a buffer with room to grow. */
static void *load(const char *name)
{
	const char *dir = getenv("VTZ_TEST_DATA");
	char path[512];
	void *buf = test_malloc(TREE_MAX), *raw = test_malloc(TREE_MAX);
	size_t len;
	FILE *f;

	if (!dir || !*dir)
		fail_msg("VTZ_TEST_DATA is not set: run through `make unit`, or set it to the "
			 "directory holding %s (e.g. build/test-data)", name);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (build it with `make %s`)", path, path);
	len = fread(raw, 1, TREE_MAX, f);
	fclose(f);
	assert_true(len > 0 && len < TREE_MAX);
	assert_int_equal(fdt_open_into(raw, buf, TREE_MAX), 0);
	test_free(raw);
	return buf;
}

static int node(void *fdt, const char *path)
{
	int off = fdt_path_offset(fdt, path);

	if (off < 0)
		fail_msg("no node %s", path);
	return off;
}

static void set_str(void *fdt, const char *path, const char *prop, const char *v)
{
	assert_int_equal(fdt_setprop_string(fdt, node(fdt, path), prop, v), 0);
}

static void set_u32(void *fdt, const char *path, const char *prop, uint32_t v)
{
	assert_int_equal(fdt_setprop_u32(fdt, node(fdt, path), prop, v), 0);
}

static void set_raw(void *fdt, const char *path, const char *prop, const void *v, int len)
{
	assert_int_equal(fdt_setprop(fdt, node(fdt, path), prop, v, len), 0);
}

static void del(void *fdt, const char *path, const char *prop)
{
	assert_int_equal(fdt_delprop(fdt, node(fdt, path), prop), 0);
}

static int read_cfg(const void *fdt, uint64_t mem_avail)
{
	memset(vms, 0x5a, sizeof(vms));
	n_vms = 77;
	return vmcfg_read(fdt, TREE_MAX, mem_avail, vms, MAX_VMS, &n_vms, &err);
}

/* A refusal: its code, its whole message, and nothing left in the output. */
static void expect_err(int ret, int code, const char *msg)
{
	static const struct vmcfg_vm zero;
	unsigned int i;

	if (ret != code || err.code != code || strcmp(err.msg, msg))
		fail_msg("got %d (%d) \"%s\", expected %d \"%s\"", ret, err.code, err.msg, code,
			 msg);
	assert_int_equal(n_vms, 0);
	for (i = 0; i < MAX_VMS; i++)
		assert_memory_equal(&vms[i], &zero, sizeof(zero));
}

static void refused(void *fdt, int code, const char *msg)
{
	expect_err(read_cfg(fdt, POOL_1G), code, msg);
	test_free(fdt);
}

static void *dflt(void)
{
	return load("vms/default.dtb");
}

static void *mixed(void)
{
	return load("vmcfg/good-mixed.dtb");
}

/* --------------------------------------------------- the tree's configs */

static void check_default_vms(unsigned int n, const char *kernel, const char *tee_image)
{
	unsigned int i;

	assert_int_equal(n_vms, n);
	for (i = 0; i < n; i++) {
		char name[16];

		snprintf(name, sizeof(name), "vm%u", i);
		assert_string_equal(vms[i].name, name);
		assert_int_equal(vms[i].kind, VMCFG_KIND_BARE);
		assert_int_equal(vms[i].vcpus, 2);
		assert_int_equal(vms[i].memory_mib, 16);
		assert_string_equal(vms[i].kernel.path, kernel);
		assert_null(vms[i].initramfs.path);
		assert_null(vms[i].bootargs);
		assert_int_equal(vms[i].on_poweroff, VMCFG_ON_POWEROFF_STOP);
		assert_int_equal(vms[i].numa_node, -1);
		assert_true(vms[i].has_tee);
		snprintf(name, sizeof(name), "tee%u", i);
		assert_string_equal(vms[i].tee.name, name);
		assert_string_equal(vms[i].tee.image.path, tee_image);
		assert_int_equal(vms[i].tee.memory_mib, 15);
		/* 16 MiB, and 15 taken as 16 (2 MiB chunks). */
		assert_int_equal(vmcfg_vm_bytes(&vms[i]), 32 * MIB);
	}
}

static void test_default(void **state)
{
	void *fdt = dflt();

	(void)state;
	assert_int_equal(read_cfg(fdt, POOL_1G), VMCFG_OK);
	check_default_vms(4, "guest.bin", "tee.bin");
	assert_int_equal(err.code, 0);
	test_free(fdt);
}

static void test_scenarios_on_the_default_hypervisor(void **state)
{
	static const struct {
		const char *file, *kernel, *tee;
	} sc[] = {
		{ "vms/guest-fault.dtb", "guest-fault.bin", "tee.bin" },
		{ "vms/guest-hang.dtb", "guest-hang.bin", "tee.bin" },
		{ "vms/optee.dtb", "guest-optee.bin", "tee.bin" },
		{ "vms/tee-fault.dtb", "guest-tee-fault.bin", "tee-test.bin" },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(sc) / sizeof(sc[0]); i++) {
		void *fdt = load(sc[i].file);

		assert_int_equal(read_cfg(fdt, POOL_1G), VMCFG_OK);
		check_default_vms(4, sc[i].kernel, sc[i].tee);
		test_free(fdt);
	}
}

static void check_linux(const struct vmcfg_vm *vm, const char *name, unsigned int vcpus)
{
	assert_string_equal(vm->name, name);
	assert_int_equal(vm->kind, VMCFG_KIND_LINUX);
	assert_int_equal(vm->vcpus, vcpus);
	assert_int_equal(vm->memory_mib, 128);
	assert_string_equal(vm->kernel.path, "../linux/Image");
	assert_string_equal(vm->initramfs.path, "../linux/initramfs.cpio.gz");
	assert_string_equal(vm->bootargs, "console=ttyAMA0 earlycon=pl011,0x9000000 panic=-1");
	assert_true(vm->has_tee);
}

static void test_linux(void **state)
{
	void *fdt = load("vms/linux.dtb");

	(void)state;
	assert_int_equal(read_cfg(fdt, POOL_1G), VMCFG_OK);
	assert_int_equal(n_vms, 2);
	check_linux(&vms[0], "vm0", 2);
	check_linux(&vms[1], "vm1", 2);
	assert_string_equal(vms[1].tee.name, "tee1");
	test_free(fdt);
}

static void test_attacks_and_bench(void **state)
{
	void *fdt = load("vms/attacks-linux.dtb");

	(void)state;
	assert_int_equal(read_cfg(fdt, POOL_1G), VMCFG_OK);
	assert_int_equal(n_vms, 4);
	assert_string_equal(vms[0].tee.image.path, "tee-test.bin");
	assert_int_equal(vms[0].vcpus, 1);
	assert_false(vms[1].has_tee);
	check_linux(&vms[2], "lx0", 2);
	check_linux(&vms[3], "lx1", 2);
	assert_string_equal(vms[3].tee.name, "lxtee1");
	test_free(fdt);
	fdt = load("vms/bench-linux.dtb");
	assert_int_equal(read_cfg(fdt, POOL_1G), VMCFG_OK);
	check_linux(&vms[0], "vm0", 1);
	test_free(fdt);
	fdt = load("vms/bench.dtb");
	assert_int_equal(read_cfg(fdt, POOL_1G), VMCFG_OK);
	assert_string_equal(vms[0].kernel.path, "guest-bench.bin");
	test_free(fdt);
}

/* The two scale runs of issue 11: the files are there for when the machine is. */
static void test_sixteen_pairs(void **state)
{
	void *fdt = load("vms/sixteen-pairs.dtb");

	(void)state;
	assert_int_equal(read_cfg(fdt, POOL_2G), VMCFG_OK);
	check_default_vms(16, "guest.bin", "tee.bin");
	test_free(fdt);
}

static void test_eight_linux(void **state)
{
	void *fdt = load("vms/eight-linux.dtb");
	unsigned int i;

	(void)state;
	assert_int_equal(read_cfg(fdt, POOL_2G), VMCFG_OK);
	assert_int_equal(n_vms, 8);
	for (i = 0; i < 8; i++) {
		char name[8];

		snprintf(name, sizeof(name), "vm%u", i);
		check_linux(&vms[i], name, 2);
		snprintf(name, sizeof(name), "tee%u", i);
		assert_string_equal(vms[i].tee.name, name);
	}
	/* 8 x (128 + 16) MiB do not fit today's 1 GiB machine: six do. */
	expect_err(read_cfg(fdt, POOL_1G), VMCFG_ERR_NOMEM,
		   "vm6: memory-mib: 128 MiB with its TEE does not fit: 80 MiB left");
	test_free(fdt);
}

/* -------------------------------------------------------- a mixed tree */

static void test_mixed_fields_and_defaults(void **state)
{
	void *fdt = mixed();

	(void)state;
	assert_int_equal(read_cfg(fdt, POOL_1G), VMCFG_OK);
	assert_int_equal(n_vms, 3);
	assert_string_equal(vms[0].name, "web");
	assert_int_equal(vms[0].kind, VMCFG_KIND_LINUX);
	assert_int_equal(vms[0].vcpus, 4);
	assert_int_equal(vms[0].memory_mib, 256);
	assert_string_equal(vms[0].kernel.path, "/srv/vtz/Image");
	assert_string_equal(vms[0].initramfs.path, "initrd.gz");
	assert_string_equal(vms[0].bootargs, "console=ttyAMA0 quiet");
	assert_int_equal(vms[0].on_poweroff, VMCFG_ON_POWEROFF_RESTART);
	assert_int_equal(vms[0].numa_node, 1);
	assert_true(vms[0].has_tee);
	assert_string_equal(vms[0].tee.name, "webtee");
	assert_string_equal(vms[0].tee.image.path, "tee-raw.bin");
	assert_int_equal(vms[0].tee.memory_mib, 31);
	assert_int_equal(vmcfg_vm_bytes(&vms[0]), 288 * MIB);
	/* Strings are the blob's own. */
	assert_true((const char *)vms[0].bootargs > (const char *)fdt &&
		    (const char *)vms[0].bootargs < (const char *)fdt + fdt_totalsize(fdt));

	assert_string_equal(vms[1].name, "db");
	assert_int_equal(vms[1].kind, VMCFG_KIND_BARE);
	assert_false(vms[1].has_tee);
	assert_int_equal(vms[1].on_poweroff, VMCFG_ON_POWEROFF_DESTROY);
	assert_int_equal(vmcfg_vm_bytes(&vms[1]), 2 * MIB);

	assert_string_equal(vms[2].name, "x_y-2");
	assert_int_equal(vms[2].vcpus, 8);
	/* No console-name: from its place in the file. */
	assert_string_equal(vms[2].tee.name, "tee2");
	assert_int_equal(vms[2].tee.memory_mib, 1);
	assert_int_equal(vmcfg_vm_bytes(&vms[2]), 66 * MIB);
	assert_string_equal(vmcfg_kind_name(VMCFG_KIND_LINUX), "linux");
	assert_string_equal(vmcfg_on_poweroff_name(VMCFG_ON_POWEROFF_DESTROY), "destroy");
	test_free(fdt);
}

static void test_memory_fits_exactly(void **state)
{
	void *fdt = mixed();

	(void)state;
	/* 288 + 2 + 66 MiB. */
	assert_int_equal(read_cfg(fdt, 356 * MIB), VMCFG_OK);
	expect_err(read_cfg(fdt, 356 * MIB - 1), VMCFG_ERR_NOMEM,
		   "x_y-2: memory-mib: 64 MiB with its TEE does not fit: 65 MiB left");
	test_free(fdt);
}

static void test_resolve(void **state)
{
	void *fdt = mixed();

	(void)state;
	assert_int_equal(read_cfg(fdt, POOL_1G), VMCFG_OK);
	assert_int_equal(vmcfg_resolve(fdt, TREE_MAX, vms, n_vms, areas, N_AREAS, &err), VMCFG_OK);
	assert_int_equal(vms[0].kernel.addr, 0x7c000000);
	assert_int_equal(vms[0].kernel.size, 0x1a00000);
	assert_int_equal(vms[0].initramfs.addr, 0x7e000000);
	assert_int_equal(vms[0].tee.image.addr, 0x40800000);
	assert_int_equal(vms[0].tee.image.size, 0x79188);
	assert_int_equal(vms[1].kernel.addr, 0x40900000);
	assert_int_equal(vms[2].kernel.addr, 0x40900000);
	assert_int_equal(vms[2].kernel.size, 0x29a3);
	assert_int_equal(vms[2].tee.image.addr, 0x40a10000);
	test_free(fdt);
}

/* ------------------------------------------------------------ refusals */

static void test_not_a_blob(void **state)
{
	static const char junk[64] = "not a device tree";
	void *fdt = dflt();

	(void)state;
	expect_err(vmcfg_read(junk, sizeof(junk), POOL_1G, vms, MAX_VMS, &n_vms, &err),
		   VMCFG_ERR_BLOB, "/: not a device tree blob (FDT_ERR_BADMAGIC)");
	expect_err(vmcfg_read(junk, 8, POOL_1G, vms, MAX_VMS, &n_vms, &err), VMCFG_ERR_BLOB,
		   "/: not a device tree blob (8 bytes)");
	assert_int_equal(fdt_pack(fdt), 0);
	expect_err(vmcfg_read(fdt, 100, POOL_1G, vms, MAX_VMS, &n_vms, &err), VMCFG_ERR_BLOB,
		   "/: 927 bytes: at most 100");
	test_free(fdt);
}

static void test_bad_structure(void **state)
{
	void *fdt = dflt();
	int off = fdt_first_property_offset(fdt, node(fdt, "/vm1"));

	(void)state;
	/* A tag libfdt does not know, where vm1's first property was. */
	*(fdt32_t *)((char *)fdt + fdt_off_dt_struct(fdt) + off) = cpu_to_fdt32(0x77);
	refused(fdt, VMCFG_ERR_STRUCTURE, "vm1: unreadable properties (FDT_ERR_BADSTRUCTURE)");
}

static void test_root(void **state)
{
	void *fdt = dflt();

	(void)state;
	set_str(fdt, "/", "compatible", "vtz,vms");
	refused(fdt, VMCFG_ERR_ROOT,
		"/: compatible: must be \"vtz,vm-config\" (a VM configuration)");
	fdt = dflt();
	del(fdt, "/", "compatible");
	refused(fdt, VMCFG_ERR_ROOT,
		"/: compatible: must be \"vtz,vm-config\" (a VM configuration)");
	fdt = dflt();
	set_str(fdt, "/", "model", "mine");
	refused(fdt, VMCFG_ERR_UNKNOWN_PROP, "/: model: unknown property");
	fdt = dflt();
	set_str(fdt, "/", "firmware-tables", "uefi");
	refused(fdt, VMCFG_ERR_VALUE, "/: firmware-tables: \"uefi\": must be \"dt\" or \"acpi\"");
}

/* firmware-tables: accepted, and read before the rest. */
static void test_firmware_tables(void **state)
{
	void *fdt = dflt();

	(void)state;
	assert_int_equal(vmcfg_firmware_tables(fdt, TREE_MAX), VMCFG_FIRMWARE_DT);
	set_str(fdt, "/", "firmware-tables", "acpi");
	assert_int_equal(read_cfg(fdt, POOL_1G), VMCFG_OK);
	assert_int_equal(vmcfg_firmware_tables(fdt, TREE_MAX), VMCFG_FIRMWARE_ACPI);
	assert_int_equal(vmcfg_firmware_tables(fdt, 7), VMCFG_FIRMWARE_DT);
	set_str(fdt, "/", "firmware-tables", "dt");
	assert_int_equal(read_cfg(fdt, POOL_1G), VMCFG_OK);
	assert_int_equal(vmcfg_firmware_tables(fdt, TREE_MAX), VMCFG_FIRMWARE_DT);
	assert_int_equal(vmcfg_firmware_tables("junk", 5), VMCFG_FIRMWARE_DT);
	test_free(fdt);
}

static void test_no_vms(void **state)
{
	void *fdt = dflt();
	int i;

	(void)state;
	for (i = 0; i < 4; i++)
		assert_int_equal(fdt_del_node(fdt, fdt_first_subnode(fdt, 0)), 0);
	refused(fdt, VMCFG_ERR_NO_VMS, "/: no VM in the configuration");
}

static void test_too_many(void **state)
{
	void *fdt = dflt();

	(void)state;
	expect_err(vmcfg_read(fdt, TREE_MAX, POOL_1G, vms, 3, &n_vms, &err), VMCFG_ERR_TOO_MANY,
		   "vm3: more than 3 VMs");
	test_free(fdt);
}

static void test_unknown_nodes_and_properties(void **state)
{
	void *fdt = load("vmcfg/bad-typo.dtb");

	(void)state;
	refused(fdt, VMCFG_ERR_UNKNOWN_PROP, "vm0: memory-mb: unknown property");
	fdt = dflt();
	set_u32(fdt, "/vm2/tee", "colour", 3);
	refused(fdt, VMCFG_ERR_UNKNOWN_PROP, "vm2/tee: colour: unknown property");
	fdt = dflt();
	assert_true(fdt_add_subnode(fdt, node(fdt, "/vm1"), "disk") >= 0);
	refused(fdt, VMCFG_ERR_UNKNOWN_NODE, "vm1: disk: unknown node (a VM has only \"tee\")");
	fdt = dflt();
	assert_true(fdt_add_subnode(fdt, node(fdt, "/vm1/tee"), "ta") >= 0);
	refused(fdt, VMCFG_ERR_UNKNOWN_NODE, "vm1/tee: ta: unknown node (a TEE has none)");
	/* A node under / that is not a VM. */
	fdt = dflt();
	assert_true(fdt_add_subnode(fdt, 0, "chosen") >= 0);
	refused(fdt, VMCFG_ERR_MISSING, "chosen: compatible: missing");
}

/* Trees dtc would not write: built with libfdt's sequential-write API. */
static void *sw_begin(void)
{
	void *fdt = test_malloc(TREE_MAX);

	assert_int_equal(fdt_create(fdt, TREE_MAX), 0);
	assert_int_equal(fdt_finish_reservemap(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, ""), 0);
	assert_int_equal(fdt_property_string(fdt, "compatible", "vtz,vm-config"), 0);
	return fdt;
}

static void sw_vm(void *fdt, const char *name, bool end)
{
	assert_int_equal(fdt_begin_node(fdt, name), 0);
	assert_int_equal(fdt_property_string(fdt, "compatible", "vtz,vm"), 0);
	assert_int_equal(fdt_property_string(fdt, "kind", "bare"), 0);
	assert_int_equal(fdt_property_u32(fdt, "vcpus", 1), 0);
	assert_int_equal(fdt_property_u32(fdt, "memory-mib", 4), 0);
	assert_int_equal(fdt_property_string(fdt, "kernel", "guest.bin"), 0);
	if (end)
		assert_int_equal(fdt_end_node(fdt), 0);
}

static void *sw_end(void *fdt)
{
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_finish(fdt), 0);
	return fdt;
}

static void test_given_twice(void **state)
{
	void *fdt = sw_begin();

	(void)state;
	sw_vm(fdt, "vm0", false);
	assert_int_equal(fdt_property_u32(fdt, "vcpus", 2), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	refused(sw_end(fdt), VMCFG_ERR_DUP_PROP, "vm0: vcpus: given twice");
	fdt = sw_begin();
	sw_vm(fdt, "vm0", true);
	sw_vm(fdt, "vm0", true);
	refused(sw_end(fdt), VMCFG_ERR_DUP_NAME, "vm0: a second VM of that name");
	fdt = sw_begin();
	sw_vm(fdt, "vm0", false);
	assert_int_equal(fdt_begin_node(fdt, "tee"), 0);
	assert_int_equal(fdt_property_string(fdt, "image", "tee.bin"), 0);
	assert_int_equal(fdt_property_u32(fdt, "memory-mib", 15), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, "tee"), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	refused(sw_end(fdt), VMCFG_ERR_UNKNOWN_NODE, "vm0: tee: a second TEE node");
}

static void test_missing(void **state)
{
	static const char *const vm_props[] = { "compatible", "kind", "vcpus", "memory-mib",
						"kernel" };
	char msg[64];
	unsigned int i;
	void *fdt;

	(void)state;
	for (i = 0; i < sizeof(vm_props) / sizeof(vm_props[0]); i++) {
		fdt = dflt();
		del(fdt, "/vm3", vm_props[i]);
		snprintf(msg, sizeof(msg), "vm3: %s: missing", vm_props[i]);
		refused(fdt, VMCFG_ERR_MISSING, msg);
	}
	fdt = dflt();
	del(fdt, "/vm0/tee", "image");
	refused(fdt, VMCFG_ERR_MISSING, "vm0/tee: image: missing");
	fdt = dflt();
	del(fdt, "/vm0/tee", "memory-mib");
	refused(fdt, VMCFG_ERR_MISSING, "vm0/tee: memory-mib: missing");
	fdt = load("vmcfg/bad-no-kernel.dtb");
	refused(fdt, VMCFG_ERR_MISSING, "vm0: kernel: missing");
	fdt = mixed();
	del(fdt, "/web", "initramfs");
	refused(fdt, VMCFG_ERR_MISSING, "web: initramfs: missing");
}

static void test_wrong_types(void **state)
{
	static const char list[] = "guest.bin\0other.bin";
	static const fdt32_t two[2] = { 0, 2 };
	void *fdt = dflt();

	(void)state;
	set_u32(fdt, "/vm0", "kind", 1);
	refused(fdt, VMCFG_ERR_NOT_STRING, "vm0: kind: not one string (4 bytes)");
	fdt = dflt();
	set_raw(fdt, "/vm0", "kernel", list, sizeof(list));
	refused(fdt, VMCFG_ERR_NOT_STRING, "vm0: kernel: not one string (20 bytes)");
	fdt = dflt();
	set_raw(fdt, "/vm1", "vcpus", two, sizeof(two));
	refused(fdt, VMCFG_ERR_NOT_CELL, "vm1: vcpus: 8 bytes: one 32-bit cell <N> expected");
	fdt = dflt();
	set_str(fdt, "/vm1", "memory-mib", "16");
	refused(fdt, VMCFG_ERR_NOT_CELL, "vm1: memory-mib: 3 bytes: one 32-bit cell <N> expected");
	fdt = dflt();
	set_str(fdt, "/vm1/tee", "vcpus", "2");
	refused(fdt, VMCFG_ERR_NOT_CELL, "vm1/tee: vcpus: 2 bytes: one 32-bit cell <N> expected");
	fdt = mixed();
	set_raw(fdt, "/web", "numa-node", two, 1);
	refused(fdt, VMCFG_ERR_NOT_CELL, "web: numa-node: 1 bytes: one 32-bit cell <N> expected");
}

static void test_lengths_and_characters(void **state)
{
	char big[VMCFG_BOOTARGS_MAX + 1];
	void *fdt = dflt();

	(void)state;
	set_str(fdt, "/vm2", "kernel", "");
	refused(fdt, VMCFG_ERR_LENGTH, "vm2: kernel: empty");
	memset(big, 'a', sizeof(big));
	big[VMCFG_PATH_MAX] = '\0';
	fdt = dflt();
	set_str(fdt, "/vm2/tee", "image", big);
	refused(fdt, VMCFG_ERR_LENGTH, "vm2/tee: image: 256 bytes: at most 255");
	fdt = dflt();
	big[VMCFG_PATH_MAX - 1] = '\0';
	set_str(fdt, "/vm2/tee", "image", big);
	assert_int_equal(read_cfg(fdt, POOL_1G), VMCFG_OK);
	test_free(fdt);
	fdt = mixed();
	big[VMCFG_PATH_MAX - 1] = big[VMCFG_PATH_MAX] = 'a';
	big[VMCFG_BOOTARGS_MAX] = '\0';
	set_str(fdt, "/web", "bootargs", big);
	refused(fdt, VMCFG_ERR_LENGTH, "web: bootargs: 1024 bytes: at most 1023");
	fdt = dflt();
	set_str(fdt, "/vm2", "kernel", "guest\n.bin");
	refused(fdt, VMCFG_ERR_CHARS, "vm2: kernel: byte 5 is not printable ASCII");
	fdt = mixed();
	set_str(fdt, "/web", "bootargs", "quiet\x7f");
	refused(fdt, VMCFG_ERR_CHARS, "web: bootargs: byte 5 is not printable ASCII");
}

static void test_bad_values(void **state)
{
	void *fdt = dflt();

	(void)state;
	set_str(fdt, "/vm0", "kind", "vmm");
	refused(fdt, VMCFG_ERR_VALUE, "vm0: kind: \"vmm\": must be \"bare\" or \"linux\"");
	fdt = dflt();
	set_str(fdt, "/vm0", "compatible", "vtz,tee");
	refused(fdt, VMCFG_ERR_VALUE, "vm0: compatible: must be \"vtz,vm\"");
	fdt = dflt();
	set_str(fdt, "/vm0", "on-poweroff", "reboot");
	refused(fdt, VMCFG_ERR_VALUE,
		"vm0: on-poweroff: \"reboot\": must be \"stop\", \"restart\" or \"destroy\"");
	fdt = dflt();
	set_str(fdt, "/vm0", "on-poweroff", "stop-and-then-think-about-it-for-a-while");
	refused(fdt, VMCFG_ERR_VALUE,
		"vm0: on-poweroff: must be \"stop\", \"restart\" or \"destroy\"");
}

static void test_ranges(void **state)
{
	static const struct {
		const char *path, *prop;
		uint32_t v;
		const char *msg;
	} c[] = {
		{ "/vm1", "vcpus", 0, "vm1: vcpus: 0: must be 1..8" },
		{ "/vm1", "vcpus", 9, "vm1: vcpus: 9: must be 1..8" },
		{ "/vm1", "memory-mib", 0, "vm1: memory-mib: 0: must be 2..4294967295" },
		{ "/vm1/tee", "memory-mib", 0, "vm1/tee: memory-mib: 0: must be 1..31" },
		{ "/vm1/tee", "memory-mib", 32, "vm1/tee: memory-mib: 32: must be 1..31" },
		{ "/vm1/tee", "vcpus", 9, "vm1/tee: vcpus: 9: must be 1..8" },
		{ "/vm1", "numa-node", 64, "vm1: numa-node: 64: must be 0..63" },
	};
	unsigned int i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		void *fdt = dflt();

		set_u32(fdt, c[i].path, c[i].prop, c[i].v);
		refused(fdt, VMCFG_ERR_RANGE, c[i].msg);
	}
}

static void test_names(void **state)
{
	static const char *const bad_vm[] = { "Vm0", "vm@1", "hyp", "mon", "ciee", "run",
					      "a-very-long-name" };
	static const char *const bad_tee[] = { "mon", "ciee", "hyp", "run", "tee.0", "",
					       "teeteetee" };
	char msg[128];
	unsigned int i;
	void *fdt;

	(void)state;
	for (i = 0; i < sizeof(bad_vm) / sizeof(bad_vm[0]); i++) {
		fdt = dflt();
		assert_int_equal(fdt_set_name(fdt, node(fdt, "/vm3"), bad_vm[i]), 0);
		/* Shown quoted when it has characters a name may not have. */
		snprintf(msg, sizeof(msg), "%s%s%s: a VM's name is 1..15 of [a-z0-9_-], not mon, "
			 "ciee, hyp or run", i < 2 ? "\"" : "", bad_vm[i], i < 2 ? "\"" : "");
		refused(fdt, VMCFG_ERR_NAME, msg);
	}
	for (i = 0; i < sizeof(bad_tee) / sizeof(bad_tee[0]); i++) {
		fdt = dflt();
		set_str(fdt, "/vm3/tee", "console-name", bad_tee[i]);
		refused(fdt, VMCFG_ERR_NAME,
			"vm3/tee: console-name: 1..7 of [a-z0-9_-], not mon, ciee, hyp or run");
	}
	/* An empty node name (only a crafted blob has one): the message still says where. */
	fdt = sw_begin();
	sw_vm(fdt, "", true);
	refused(sw_end(fdt), VMCFG_ERR_NAME,
		"\"\": a VM's name is 1..15 of [a-z0-9_-], not mon, ciee, hyp or run");
	/* 15 characters is a name. */
	fdt = dflt();
	assert_int_equal(fdt_set_name(fdt, node(fdt, "/vm3"), "a-long-vm-name5"), 0);
	assert_int_equal(read_cfg(fdt, POOL_1G), VMCFG_OK);
	assert_string_equal(vms[3].name, "a-long-vm-name5");
	test_free(fdt);
}

static void test_duplicate_tee_names(void **state)
{
	void *fdt = dflt();

	(void)state;
	set_str(fdt, "/vm2/tee", "console-name", "tee1");
	refused(fdt, VMCFG_ERR_DUP_TEE_NAME,
		"vm2/tee: console-name: \"tee1\" is vm1's TEE's name too");
	fdt = dflt();
	set_str(fdt, "/vm2/tee", "console-name", "vm2");
	refused(fdt, VMCFG_ERR_DUP_TEE_NAME, "vm2/tee: console-name: \"vm2\" is its VM's name too");
	fdt = dflt();
	set_str(fdt, "/vm2/tee", "console-name", "vm0");
	refused(fdt, VMCFG_ERR_DUP_TEE_NAME, "vm2/tee: console-name: \"vm0\" is a VM's name too");
	/* A VM named as an earlier VM's TEE. */
	fdt = dflt();
	assert_int_equal(fdt_set_name(fdt, node(fdt, "/vm3"), "tee0"), 0);
	refused(fdt, VMCFG_ERR_DUP_TEE_NAME, "tee0: its name is vm0's TEE's name too");
	/* A derived name that another TEE was given. */
	fdt = dflt();
	del(fdt, "/vm1/tee", "console-name");
	set_str(fdt, "/vm0/tee", "console-name", "tee1");
	refused(fdt, VMCFG_ERR_DUP_TEE_NAME,
		"vm1/tee: console-name: \"tee1\" is vm0's TEE's name too");
}

static void test_kind_properties(void **state)
{
	void *fdt = dflt();

	(void)state;
	set_str(fdt, "/vm1", "initramfs", "initrd.gz");
	refused(fdt, VMCFG_ERR_KIND_PROP,
		"vm1: initramfs: only for a Linux VM (kind = \"linux\")");
	fdt = dflt();
	set_str(fdt, "/vm1", "bootargs", "quiet");
	refused(fdt, VMCFG_ERR_KIND_PROP, "vm1: bootargs: only for a Linux VM (kind = \"linux\")");
}

static void test_tee_vcpus(void **state)
{
	void *fdt = dflt();

	(void)state;
	set_u32(fdt, "/vm1/tee", "vcpus", 1);
	refused(fdt, VMCFG_ERR_TEE_VCPUS,
		"vm1/tee: vcpus: 1: a TEE has one vCPU per VM vCPU (its VM has 2)");
}

static void test_memory(void **state)
{
	void *fdt = dflt();

	(void)state;
	set_u32(fdt, "/vm1", "memory-mib", 15);
	refused(fdt, VMCFG_ERR_ALIGN,
		"vm1: memory-mib: 15 MiB: not a multiple of 2 MiB (the hypervisor's chunk)");
	fdt = load("vmcfg/bad-too-big.dtb");
	expect_err(read_cfg(fdt, 1024 * MIB), VMCFG_ERR_NOMEM,
		   "vm1: memory-mib: 4096 MiB with its TEE does not fit: 908 MiB left");
	test_free(fdt);
	fdt = mixed();
	expect_err(read_cfg(fdt, 289 * MIB), VMCFG_ERR_NOMEM,
		   "db: memory-mib: 2 MiB does not fit: 1 MiB left");
	test_free(fdt);
}

static void test_args(void **state)
{
	void *fdt = dflt();

	(void)state;
	assert_int_equal(vmcfg_read(fdt, TREE_MAX, POOL_1G, vms, MAX_VMS, NULL, &err),
			 VMCFG_ERR_ARGS);
	assert_int_equal(vmcfg_read(fdt, TREE_MAX, POOL_1G, NULL, 4, &n_vms, &err),
			 VMCFG_ERR_ARGS);
	/* No error record wanted: the code alone. */
	set_u32(fdt, "/vm1", "vcpus", 0);
	assert_int_equal(vmcfg_read(fdt, TREE_MAX, POOL_1G, vms, MAX_VMS, &n_vms, NULL),
			 VMCFG_ERR_RANGE);
	test_free(fdt);
}

/* -------------------------------------------------- /loaded refusals */

static void resolve_refused(void *fdt, int code, const char *msg)
{
	int r;

	assert_int_equal(read_cfg(fdt, POOL_1G), VMCFG_OK);
	r = vmcfg_resolve(fdt, TREE_MAX, vms, n_vms, areas, N_AREAS, &err);
	if (r != code || err.code != code || strcmp(err.msg, msg))
		fail_msg("got %d \"%s\", expected %d \"%s\"", r, err.msg, code, msg);
	test_free(fdt);
}

static void test_resolve_refusals(void **state)
{
	static const fdt32_t four = 0;
	void *fdt = dflt();

	(void)state;
	resolve_refused(fdt, VMCFG_ERR_NOT_LOADED,
			"loaded: missing: the loader records there where it staged each file");
	fdt = mixed();
	assert_int_equal(fdt_del_node(fdt, node(fdt, "/loaded/img4")), 0);
	resolve_refused(fdt, VMCFG_ERR_NOT_LOADED,
			"x_y-2/tee: image: \"tee.bin\" was not staged (no /loaded entry)");
	fdt = mixed();
	set_raw(fdt, "/loaded/img1", "addr", &four, sizeof(four));
	resolve_refused(fdt, VMCFG_ERR_LOADED,
			"loaded/img1: addr: 4 bytes: one 64-bit number (/bits/ 64 <N>) expected");
	fdt = mixed();
	assert_int_equal(fdt_setprop_u64(fdt, node(fdt, "/loaded/img1"), "size", 0), 0);
	resolve_refused(fdt, VMCFG_ERR_LOADED,
			"loaded/img1: size: 0: an empty file is nothing to load");
	fdt = mixed();
	assert_int_equal(fdt_setprop_u64(fdt, node(fdt, "/loaded/img1"), "addr", 0x7e000800), 0);
	resolve_refused(fdt, VMCFG_ERR_LOADED, "loaded/img1: addr: 0x7e000800: not 4 KiB aligned");
	fdt = mixed();
	set_str(fdt, "/loaded/img3", "path", "tee.bin");
	resolve_refused(fdt, VMCFG_ERR_LOADED, "loaded/img4: path: also loaded/img3's");
	fdt = mixed();
	del(fdt, "/loaded/img3", "path");
	resolve_refused(fdt, VMCFG_ERR_MISSING, "loaded/img3: path: missing");
	fdt = mixed();
	set_u32(fdt, "/loaded/img3", "crc", 1);
	resolve_refused(fdt, VMCFG_ERR_UNKNOWN_PROP, "loaded/img3: crc: unknown property");
	fdt = mixed();
	set_u32(fdt, "/loaded", "count", 5);
	resolve_refused(fdt, VMCFG_ERR_UNKNOWN_PROP, "loaded: count: unknown property");
	fdt = mixed();
	assert_true(fdt_add_subnode(fdt, node(fdt, "/loaded/img3"), "part") >= 0);
	resolve_refused(fdt, VMCFG_ERR_UNKNOWN_NODE, "loaded/img3: part: unknown node");
	/* Over the VM pool, and across the end of an area. */
	fdt = mixed();
	assert_int_equal(fdt_setprop_u64(fdt, node(fdt, "/loaded/img3"), "addr", 0x41000000), 0);
	resolve_refused(fdt, VMCFG_ERR_AREA,
			"loaded/img3: addr: 0x41000000 (+0x29a3) is outside the staging areas");
	fdt = mixed();
	assert_int_equal(fdt_setprop_u64(fdt, node(fdt, "/loaded/img3"), "addr", 0x40fff000), 0);
	resolve_refused(fdt, VMCFG_ERR_AREA,
			"loaded/img3: addr: 0x40fff000 (+0x29a3) is outside the staging areas");
	fdt = mixed();
	assert_int_equal(fdt_setprop_u64(fdt, node(fdt, "/loaded/img3"), "addr", 0x40878000), 0);
	resolve_refused(fdt, VMCFG_ERR_OVERLAP, "loaded/img3: addr: overlaps loaded/img2");
}

static void test_resolve_too_many_entries(void **state)
{
	void *fdt = mixed();
	int loaded = node(fdt, "/loaded"), i;

	(void)state;
	for (i = 5; i <= VMCFG_MAX_LOADED; i++) {
		char name[16], path[16];
		int n;

		snprintf(name, sizeof(name), "img%d", i);
		snprintf(path, sizeof(path), "f%d", i);
		n = fdt_add_subnode(fdt, loaded, name);
		assert_true(n >= 0);
		assert_int_equal(fdt_setprop_string(fdt, n, "path", path), 0);
		assert_int_equal(fdt_setprop_u64(fdt, n, "addr", 0x40a20000 + i * 0x1000), 0);
		assert_int_equal(fdt_setprop_u64(fdt, n, "size", 0x1000), 0);
		loaded = node(fdt, "/loaded");
	}
	resolve_refused(fdt, VMCFG_ERR_LOADED, "loaded: more than 32 files");
	/* Two /loaded nodes: which would the hypervisor believe? Neither. */
	fdt = sw_begin();
	sw_vm(fdt, "vm0", true);
	assert_int_equal(fdt_begin_node(fdt, "loaded"), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	assert_int_equal(fdt_begin_node(fdt, "loaded"), 0);
	assert_int_equal(fdt_end_node(fdt), 0);
	resolve_refused(sw_end(fdt), VMCFG_ERR_LOADED, "loaded: a second /loaded node");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_scenarios_on_the_default_hypervisor),
		cmocka_unit_test(test_linux),
		cmocka_unit_test(test_attacks_and_bench),
		cmocka_unit_test(test_sixteen_pairs),
		cmocka_unit_test(test_eight_linux),
		cmocka_unit_test(test_mixed_fields_and_defaults),
		cmocka_unit_test(test_memory_fits_exactly),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_not_a_blob),
		cmocka_unit_test(test_bad_structure),
		cmocka_unit_test(test_root),
		cmocka_unit_test(test_firmware_tables),
		cmocka_unit_test(test_no_vms),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_unknown_nodes_and_properties),
		cmocka_unit_test(test_given_twice),
		cmocka_unit_test(test_missing),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_lengths_and_characters),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_duplicate_tee_names),
		cmocka_unit_test(test_kind_properties),
		cmocka_unit_test(test_tee_vcpus),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_args),
		cmocka_unit_test(test_resolve_refusals),
		cmocka_unit_test(test_resolve_too_many_entries),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
