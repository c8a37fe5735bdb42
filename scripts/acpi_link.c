// SPDX-License-Identifier: MIT
/*
 * Link QEMU's ACPI tables (a shape dumped by scripts/acpi_dump.py under
 * test/data/acpi/) at a guest-physical address, with the monitor's own
 * linker/loader (policy/acpi_loader.c), and write the placed tables to
 * stdout: the experiment in docs/architecture.md ("Known limits") that
 * shows why a Linux guest cannot take ACPI tables here without UEFI.
 *
 * build: gcc -std=gnu11 -Ipolicy/include -Ilib/include -Iinclude \
 *            -o build/acpi_link scripts/acpi_link.c policy/acpi_loader.c
 * usage: build/acpi_link test/data/acpi/smp2 0x7f000000 > tables.bin
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <policy/acpi_loader.h>

#define WIN_SIZE (256u * 1024)
#define MAX_FILES 3

struct fwcfg_file {
	char name[56];
	uint8_t *data;
	uint32_t size;
};

static struct fwcfg_file files[MAX_FILES];
static unsigned int n_files;
static uint8_t win[WIN_SIZE];
static uint64_t used, base;

static struct fwcfg_file *find(const char *name)
{
	for (unsigned int i = 0; i < n_files; i++)
		if (!strcmp(files[i].name, name))
			return &files[i];
	return NULL;
}

static int allocate(void *ctx, const char *name, uint32_t align, uint8_t zone,
		    struct acpi_loader_file *f)
{
	struct fwcfg_file *ff = find(name);
	uint64_t at;

	(void)ctx, (void)zone;
	if (!ff)
		return 1;
	at = (used + align - 1) & ~(uint64_t)(align - 1);
	if (at + ff->size > WIN_SIZE)
		return 2;
	memcpy(win + at, ff->data, ff->size);
	used = at + ff->size;
	f->bytes = win + at;
	f->addr = base + at;
	f->size = ff->size;
	return 0;
}

/* No fw_cfg to write back to, as in the monitor. */
static int write_pointer(void *ctx, const char *name, uint32_t offset, uint64_t value,
			 uint8_t size)
{
	(void)ctx, (void)name, (void)offset, (void)value, (void)size;
	return 1;
}

static int read_shape(const char *dir)
{
	char path[512], name[64];
	unsigned int size;
	FILE *f, *g;

	snprintf(path, sizeof(path), "%s/sizes", dir);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (n_files < MAX_FILES && fscanf(f, "%55s %u", name, &size) == 2) {
		struct fwcfg_file *ff = &files[n_files++];

		strcpy(ff->name, name);
		ff->size = size;
		ff->data = calloc(1, size);
		snprintf(path, sizeof(path), "%s/%s.bin", dir, strrchr(name, '/') + 1);
		g = fopen(path, "rb");
		if (!ff->data || !g || fread(ff->data, 1, size, g) == 0) {
			fclose(f);
			return -1;
		}
		fclose(g);
	}
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	struct acpi_loader_ops ops = { allocate, write_pointer, NULL };
	const struct acpi_loader_file *rsdp;
	struct fwcfg_file *script;
	struct acpi_loader ld;
	int r;

	if (argc != 3) {
		fprintf(stderr, "usage: %s SHAPE_DIR ADDRESS > tables.bin\n", argv[0]);
		return 2;
	}
	base = strtoull(argv[2], NULL, 0);
	if (read_shape(argv[1]) || !(script = find("etc/table-loader"))) {
		fprintf(stderr, "%s: not a dumped shape (sizes, *.bin)\n", argv[1]);
		return 1;
	}
	r = acpi_loader_run(script->data, script->size, &ops, &ld);
	if (r) {
		fprintf(stderr, "loader: %s\n", acpi_loader_strerror(r));
		return 1;
	}
	rsdp = acpi_loader_find(&ld, "etc/acpi/rsdp");
	fprintf(stderr, "RSDP at 0x%llx; %llu bytes of tables\n",
		(unsigned long long)rsdp->addr, (unsigned long long)used);
	return fwrite(win, 1, used, stdout) == used ? 0 : 1;
}
