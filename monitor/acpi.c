/* SPDX-License-Identifier: MIT */
/*
 * The monitor as the platform's firmware: at cold boot it installs QEMU's
 * ACPI tables, as SeaBIOS or OVMF would, in [PLAT_ACPI_BASE, +PLAT_ACPI_SIZE)
 * of non-secure RAM. The linker/loader script (fw_cfg "etc/table-loader")
 * is read once into secure RAM and run there by policy/acpi_loader.c;
 * each file it allocates is read from fw_cfg straight into the region.
 * Then policy/acpi.c reads the result, so tables the hypervisor could not
 * use are refused here, with the reader's message, and never handed on.
 *
 * Nothing non-secure has run yet (this is after the cold-boot scrub, and
 * the region is in no one's hands before the CIEE builds the ownership
 * table, which gives it to the CIEE and maps it read-only for the
 * hypervisor). Returns the RSDP's address, or 0: no tables (the machine
 * has no fw_cfg or QEMU was told acpi=off) or tables refused; the DTB
 * path works either way.
 */
#include <string.h>

#include <lib/console.h>
#include <policy/acpi.h>
#include <policy/acpi_loader.h>
#include <vtz/platform.h>

#include "fw_cfg.h"
#include "monitor.h"

/* Callback codes, for the messages below. */
enum { PLACE_NO_FILE = 1, PLACE_NO_ROOM = 2, WPTR_UNSUPPORTED = 3 };

/* The script, in secure RAM: read once from fw_cfg, run from here. */
static uint8_t script[ACPI_LOADER_MAX_CMDS * ACPI_LOADER_CMD_SIZE];
static struct acpi_loader loader;
static struct acpi_info info;
static uint64_t placed_end; /* offset of the first free byte in the region */

static int place(void *ctx, const char *name, uint32_t align, uint8_t zone,
		 struct acpi_loader_file *f)
{
	struct fw_cfg_file file;
	uint64_t at = (placed_end + align - 1) & ~(uint64_t)(align - 1);

	(void)ctx, (void)zone; /* one region for both zones: no legacy F-segment here */
	if (fw_cfg_find(name, &file))
		return PLACE_NO_FILE;
	if (at > PLAT_ACPI_SIZE || file.size > PLAT_ACPI_SIZE - at)
		return PLACE_NO_ROOM;
	fw_cfg_read(&file, (uint8_t *)(PLAT_ACPI_BASE + at), file.size);
	f->bytes = (uint8_t *)(PLAT_ACPI_BASE + at);
	f->addr = PLAT_ACPI_BASE + at;
	f->size = file.size;
	placed_end = at + file.size;
	return 0;
}

/* Writing to fw_cfg needs its DMA interface, which this firmware does not use. */
static int write_pointer(void *ctx, const char *name, uint32_t offset, uint64_t value,
			 uint8_t size)
{
	(void)ctx, (void)offset, (void)value, (void)size;
	con_printf("ACPI: WRITE_POINTER to fw_cfg file %s (vmgenid, GHES) is not supported: "
		   "drop the device that asks for it\n", name);
	return WPTR_UNSUPPORTED;
}

static const char *place_error(int cb_err)
{
	switch (cb_err) {
	case PLACE_NO_FILE:
		return "fw_cfg has no such file";
	case PLACE_NO_ROOM:
		return "the 256 KiB reserved for ACPI tables (PLAT_ACPI_SIZE) is full";
	default:
		return "";
	}
}

static uint64_t refuse(void)
{
	monitor_zero(PLAT_ACPI_BASE, PLAT_ACPI_BASE + PLAT_ACPI_SIZE);
	con_printf("ACPI: no tables for the CIEE and the hypervisor (the device tree still "
		   "describes the machine)\n");
	return 0;
}

uint64_t acpi_install(void)
{
	static const struct acpi_loader_ops ops = {place, write_pointer, NULL};
	const struct acpi_window win = {PLAT_ACPI_BASE, (const uint8_t *)PLAT_ACPI_BASE,
					PLAT_ACPI_SIZE};
	const struct acpi_loader_file *rsdp;
	struct fw_cfg_file file;
	int err;

	if (!fw_cfg_present()) {
		con_printf("ACPI: no fw_cfg at 0x%lx\n", PLAT_FW_CFG_BASE);
		return refuse();
	}
	if (fw_cfg_find("etc/table-loader", &file)) {
		con_printf("ACPI: QEMU offers no tables (no etc/table-loader; -machine acpi=off?)\n");
		return refuse();
	}
	if (file.size == 0 || file.size > sizeof(script) || file.size % ACPI_LOADER_CMD_SIZE) {
		con_printf("ACPI: etc/table-loader is %u bytes, not 1..%u whole commands\n",
			   file.size, ACPI_LOADER_MAX_CMDS);
		return refuse();
	}
	fw_cfg_read(&file, script, file.size);
	monitor_zero(PLAT_ACPI_BASE, PLAT_ACPI_BASE + PLAT_ACPI_SIZE);
	placed_end = 0;
	err = acpi_loader_run(script, file.size, &ops, &loader);
	if (err) {
		con_printf("ACPI: table-loader command %u refused: %s%s%s\n", loader.failed_cmd,
			   acpi_loader_strerror(err), err == ACPI_LOADER_ERR_ALLOC_FAILED ? ": " : "",
			   err == ACPI_LOADER_ERR_ALLOC_FAILED ? place_error(loader.cb_err) : "");
		return refuse();
	}
	rsdp = acpi_loader_find(&loader, "etc/acpi/rsdp");
	if (!rsdp) {
		con_printf("ACPI: the table-loader placed no etc/acpi/rsdp\n");
		return refuse();
	}
	err = acpi_parse(&win, rsdp->addr, &info);
	if (err) {
		con_printf("ACPI: tables refused: %s\n", acpi_strerror(err));
		return refuse();
	}
	con_printf("ACPI: tables installed at 0x%lx-0x%llx, RSDP at 0x%llx: %u CPUs, %u NUMA "
		   "node%s%s%s\n",
		   PLAT_ACPI_BASE, (unsigned long long)(PLAT_ACPI_BASE + placed_end - 1),
		   (unsigned long long)rsdp->addr, info.n_cpus, info.n_nodes,
		   info.n_nodes == 1 ? "" : "s", info.has_srat ? ", SRAT" : "",
		   info.has_slit ? ", SLIT" : "");
	return rsdp->addr;
}
