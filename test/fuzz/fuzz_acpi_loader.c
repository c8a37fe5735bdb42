/* SPDX-License-Identifier: MIT */
/*
 * acpi_loader_run() on an arbitrary script and fw_cfg files, then
 * acpi_parse() on what it linked (the loader fixes the checksums, so
 * mutated tables get deep into the parser). Input: u16 script length,
 * the script, u16 RSDP file length, the RSDP file, and the rest is the
 * tables file. Seeds are QEMU's own (seeds.py, from test/data/acpi).
 * Checks: a known code; on success every placed file inside the window,
 * aligned as asked and disjoint from the others; WRITE_POINTER only with
 * a valid size; and fuzz_acpi_check.h on the parse.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <policy/acpi_loader.h>

#include "fuzz_acpi_check.h"

#define WIN_BASE 0x48000000ULL
#define WIN_SIZE (1u << 16)

struct env {
	const uint8_t *rsdp, *tables;
	uint32_t rsdp_len, tables_len;
	uint8_t *win;
	uint64_t used;
	uint32_t align[ACPI_LOADER_MAX_FILES];
	unsigned n;
};

static int cb_allocate(void *ctx, const char *name, uint32_t align, uint8_t zone,
		       struct acpi_loader_file *f)
{
	struct env *e = ctx;
	const uint8_t *src;
	uint32_t len;
	uint64_t at;

	(void)zone;
	if (strcmp(name, "etc/acpi/rsdp") == 0) {
		src = e->rsdp;
		len = e->rsdp_len;
	} else if (strcmp(name, "etc/acpi/tables") == 0) {
		src = e->tables;
		len = e->tables_len;
	} else {
		return 1;
	}
	at = (e->used + align - 1) & ~(uint64_t)(align - 1);
	if (len == 0 || at + len > WIN_SIZE)
		return 2;
	memcpy(e->win + at, src, len);
	e->used = at + len;
	f->bytes = e->win + at;
	f->addr = WIN_BASE + at;
	f->size = len;
	e->align[e->n++] = align;
	return 0;
}

static int cb_write_pointer(void *ctx, const char *name, uint32_t offset, uint64_t value,
			    uint8_t size)
{
	(void)ctx, (void)name, (void)offset, (void)value;
	FUZZ_CHECK(size == 1 || size == 2 || size == 4 || size == 8, "size %u", size);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct env e = {0};
	struct acpi_loader_ops ops = {cb_allocate, cb_write_pointer, &e};
	struct acpi_loader st;
	struct acpi_info info;
	struct acpi_window w;
	struct fuzz_in in = {data, size, 0};
	uint32_t slen = fuzz_u16(&in), i, j;
	const uint8_t *script = data + (in.pos < size ? in.pos : size);
	uint8_t *script_copy;
	int ret;

	if (slen > size - (size_t)(script - data))
		return 0;
	in.pos += slen;
	e.rsdp_len = fuzz_u16(&in);
	if (in.pos > size || e.rsdp_len > size - in.pos)
		return 0;
	e.rsdp = data + in.pos;
	e.tables = e.rsdp + e.rsdp_len;
	e.tables_len = (uint32_t)(size - in.pos - e.rsdp_len);
	e.win = calloc(1, WIN_SIZE);
	script_copy = malloc(slen ? slen : 1);
	if (!e.win || !script_copy)
		abort();
	memcpy(script_copy, script, slen);

	ret = acpi_loader_run(script_copy, slen, &ops, &st);
	FUZZ_CHECK(ret <= ACPI_LOADER_OK && ret >= ACPI_LOADER_ERR_WPTR_FAILED, "ret %d", ret);
	FUZZ_CHECK(strcmp(acpi_loader_strerror(ret), "unknown error") != 0, "ret %d", ret);
	if (ret == ACPI_LOADER_OK) {
		FUZZ_CHECK(st.n_files == e.n, "%u files, %u placed", st.n_files, e.n);
		for (i = 0; i < st.n_files; i++) {
			const struct acpi_loader_file *f = &st.file[i];

			FUZZ_CHECK(f->addr >= WIN_BASE &&
				       f->addr + f->size <= WIN_BASE + WIN_SIZE &&
				       !(f->addr & (e.align[i] - 1)),
				   "file %u placed wrong", i);
			for (j = i + 1; j < st.n_files; j++)
				FUZZ_CHECK(f->addr + f->size <= st.file[j].addr ||
					       st.file[j].addr + st.file[j].size <= f->addr,
					   "files %u and %u overlap", i, j);
		}
		if (acpi_loader_find(&st, "etc/acpi/rsdp")) {
			w.base = WIN_BASE;
			w.bytes = e.win;
			w.size = WIN_SIZE;
			ret = acpi_parse(&w, acpi_loader_find(&st, "etc/acpi/rsdp")->addr, &info);
			acpi_check_result(ret, &info);
		}
	} else {
		FUZZ_CHECK(st.failed_cmd < slen / ACPI_LOADER_CMD_SIZE || st.failed_cmd == 0,
			   "failed_cmd %u", st.failed_cmd);
	}
	free(script_copy);
	free(e.win);
	return 0;
}
