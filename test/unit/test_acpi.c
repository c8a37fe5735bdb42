/* SPDX-License-Identifier: MIT */
/*
 * policy/acpi_loader.c and policy/acpi*.c on QEMU 7.2's own fw_cfg files
 * (test/data/acpi/SHAPE, dumped by scripts/acpi_dump.py): the loader
 * places and links them as firmware would, the parser reads the machine,
 * and the result must match what QEMU was asked for and what its device
 * tree for the same machine says. Then the same tables and scripts with
 * one field broken at a time: each must give its own error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <policy/acpi.h>
#include <policy/acpi_loader.h>
#include <policy/fdt_info.h>

#define T "etc/acpi/tables"
#define R "etc/acpi/rsdp"
#define WIN_BASE 0x0e800000ULL /* anywhere: the tables carry no fixed address */
#define WIN_SIZE (256u * 1024)
#define MAX_FILES 3

struct fwcfg_file {
	char name[56];
	uint8_t *data;
	uint32_t size;
};

struct machine {
	struct fwcfg_file files[MAX_FILES];
	unsigned n_files;
	uint8_t *win;
	uint64_t used;
	struct acpi_loader ld;
	uint64_t rsdp;
	struct acpi_window w;
	/* What write_pointer() was asked, and what allocate() should do wrong. */
	unsigned n_wptr;
	int fail_alloc, misplace, fail_wptr;
};

/* ------------------------------------------------------------ loading */

static const char *data_dir(void)
{
	const char *d = getenv("VTZ_ACPI_DATA");

	return d && *d ? d : "test/data/acpi";
}

static uint8_t *read_file(const char *path, uint32_t pad_to, uint32_t *len_out)
{
	uint8_t *buf;
	long len;
	FILE *f = fopen(path, "rb");

	if (!f)
		fail_msg("cannot open %s (run from the repository's top directory, or set "
			 "VTZ_ACPI_DATA; scripts/acpi_dump.py makes it)",
			 path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	assert_true(len >= 0 && (uint32_t)len <= pad_to);
	buf = test_calloc(1, pad_to);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*len_out = pad_to;
	return buf;
}

/* Reads SHAPE/sizes and the files it lists, padded back to their fw_cfg size. */
static void load_shape(struct machine *m, const char *shape)
{
	char path[512], name[64];
	unsigned size;
	FILE *f;

	memset(m, 0, sizeof(*m));
	snprintf(path, sizeof(path), "%s/%s/sizes", data_dir(), shape);
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (see scripts/acpi_dump.py)", path);
	while (fscanf(f, "%55s %u", name, &size) == 2) {
		struct fwcfg_file *ff = &m->files[m->n_files++];

		assert_true(m->n_files <= MAX_FILES);
		strcpy(ff->name, name);
		snprintf(path, sizeof(path), "%s/%s/%s.bin", data_dir(), shape,
			 strrchr(name, '/') + 1);
		ff->data = read_file(path, size, &ff->size);
	}
	fclose(f);
	assert_int_equal(m->n_files, MAX_FILES);
	m->win = test_calloc(1, WIN_SIZE);
	m->w.base = WIN_BASE;
	m->w.bytes = m->win;
	m->w.size = WIN_SIZE;
}

static void unload(struct machine *m)
{
	unsigned i;

	for (i = 0; i < m->n_files; i++)
		test_free(m->files[i].data);
	test_free(m->win);
}

static struct fwcfg_file *fwcfg(struct machine *m, const char *name)
{
	unsigned i;

	for (i = 0; i < m->n_files; i++)
		if (strcmp(m->files[i].name, name) == 0)
			return &m->files[i];
	return NULL;
}

static int cb_allocate(void *ctx, const char *name, uint32_t align, uint8_t zone,
		       struct acpi_loader_file *f)
{
	struct machine *m = ctx;
	/* "etc/dummy*" stand for more files than QEMU gives, all like the RSDP. */
	struct fwcfg_file *ff = fwcfg(m, strncmp(name, "etc/dummy", 9) ? name : R);
	uint64_t at;

	(void)zone;
	if (m->fail_alloc || !ff)
		return 7;
	at = (m->used + align - 1) & ~(uint64_t)(align - 1);
	if (at + ff->size > WIN_SIZE)
		return 8;
	memcpy(m->win + at, ff->data, ff->size);
	m->used = at + ff->size;
	f->bytes = m->win + at;
	f->addr = WIN_BASE + at + (m->misplace ? 1 : 0);
	f->size = ff->size;
	return 0;
}

static int cb_write_pointer(void *ctx, const char *name, uint32_t offset, uint64_t value,
			    uint8_t size)
{
	struct machine *m = ctx;

	(void)name, (void)offset, (void)value, (void)size;
	m->n_wptr++;
	return m->fail_wptr;
}

static int run_script(struct machine *m, const uint8_t *script, size_t len)
{
	struct acpi_loader_ops ops = {cb_allocate, cb_write_pointer, m};

	m->used = 0;
	memset(m->win, 0, WIN_SIZE);
	return acpi_loader_run(script, len, &ops, &m->ld);
}

static int run_loader(struct machine *m)
{
	struct fwcfg_file *s = fwcfg(m, "etc/table-loader");
	const struct acpi_loader_file *r;
	int ret = run_script(m, s->data, s->size);

	if (ret)
		return ret;
	r = acpi_loader_find(&m->ld, "etc/acpi/rsdp");
	assert_non_null(r);
	m->rsdp = r->addr;
	return 0;
}

/* A shape loaded and linked, ready to parse. */
static void boot_shape(struct machine *m, const char *shape)
{
	load_shape(m, shape);
	assert_int_equal(run_loader(m), ACPI_LOADER_OK);
}

static int parse(struct machine *m, struct acpi_info *info)
{
	return acpi_parse(&m->w, m->rsdp, info);
}

/* --------------------------------------------- finding and breaking tables */

static uint64_t rd(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static void wr(uint8_t *p, unsigned n, uint64_t v)
{
	unsigned i;

	for (i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint8_t *at(struct machine *m, uint64_t addr)
{
	assert_true(addr >= WIN_BASE && addr < WIN_BASE + WIN_SIZE);
	return m->win + (addr - WIN_BASE);
}

static uint8_t *xsdt(struct machine *m)
{
	return at(m, rd(at(m, m->rsdp) + 24, 8));
}

/* The table with signature @sig listed in the XSDT. */
static uint8_t *table(struct machine *m, const char *sig)
{
	uint8_t *x = xsdt(m);
	uint32_t i, n = ((uint32_t)rd(x + 4, 4) - 36) / 8;

	for (i = 0; i < n; i++) {
		uint8_t *t = at(m, rd(x + 36 + 8 * i, 8));

		if (memcmp(t, sig, 4) == 0)
			return t;
	}
	fail_msg("no %s table", sig);
	return NULL;
}

/* Makes a table's checksum right again after a change. */
static void fix(uint8_t *t)
{
	uint32_t i, len = (uint32_t)rd(t + 4, 4);
	uint8_t sum = 0;

	for (i = 0; i < len; i++)
		sum = (uint8_t)(sum + t[i]);
	t[9] = (uint8_t)(t[9] - sum);
}

static void fix_rsdp(uint8_t *r)
{
	uint8_t sum = 0;
	unsigned i;

	r[8] = 0;
	for (i = 0; i < 20; i++)
		sum = (uint8_t)(sum + r[i]);
	r[8] = (uint8_t)-sum;
	r[32] = 0;
	for (sum = 0, i = 0; i < 36; i++)
		sum = (uint8_t)(sum + r[i]);
	r[32] = (uint8_t)-sum;
}

/* The @nth (0-based) entry of @type in a MADT (@hdr 44) or SRAT (@hdr 48). */
static uint8_t *entry(uint8_t *t, uint32_t hdr, uint8_t type, unsigned nth)
{
	uint32_t off, len = (uint32_t)rd(t + 4, 4);

	for (off = hdr; off + 2 <= len && t[off + 1]; off += t[off + 1])
		if (t[off] == type && nth-- == 0)
			return t + off;
	fail_msg("no entry %u of type %u", nth, type);
	return NULL;
}

/* Patches @n bytes of table @sig at @off (or of its entry) and expects @err. */
static void expect_patched(const char *shape, const char *sig, int madt_type, unsigned nth,
			   unsigned off, unsigned n, uint64_t v, int err)
{
	struct acpi_info info;
	struct machine m;
	uint8_t *t;

	boot_shape(&m, shape);
	t = table(&m, sig);
	if (madt_type >= 0)
		wr(entry(t, memcmp(sig, "SRAT", 4) == 0 ? 48 : 44, (uint8_t)madt_type, nth) + off,
		   n, v);
	else
		wr(t + off, n, v);
	fix(t);
	assert_int_equal(parse(&m, &info), err);
	unload(&m);
}

/* ---------------------------------------------------------- good tables */

static const uint64_t QEMU_GICD = 0x08000000, QEMU_GICR = 0x080a0000, QEMU_UART = 0x09000000;

static void check_common(const struct acpi_info *info, unsigned cpus)
{
	unsigned i;

	assert_int_equal(info->n_cpus, cpus);
	for (i = 0; i < cpus; i++) {
		assert_int_equal(info->cpu[i].mpidr, i);
		assert_int_equal(info->cpu[i].uid, i);
	}
	assert_int_equal(info->gicd_base, QEMU_GICD);
	assert_int_equal(info->gic_version, 3);
	assert_int_equal(info->n_gicr, 1);
	assert_int_equal(info->gicr[0].base, QEMU_GICR);
	assert_true(info->gicr[0].size >= cpus * 0x20000u);
	/* The DT's PPIs 13, 14, 11, 10 are INTIDs 29, 30, 27, 26. */
	assert_int_equal(info->timer_sec_el1, 29);
	assert_int_equal(info->timer_ns_el1, 30);
	assert_int_equal(info->timer_virt, 27);
	assert_int_equal(info->timer_ns_el2, 26);
	assert_int_equal(info->uart_base, QEMU_UART);
	assert_int_equal(info->uart_type, 3);
	assert_int_equal(info->uart_gsiv, 33);
}

static void test_smp_shapes(void **state)
{
	static const struct {
		const char *shape;
		unsigned cpus;
	} shapes[] = {{"smp1", 1}, {"smp2", 2}, {"smp4", 4}};
	struct acpi_info info;
	struct machine m;
	unsigned i;

	(void)state;
	for (i = 0; i < 3; i++) {
		boot_shape(&m, shapes[i].shape);
		assert_int_equal(m.n_wptr, 0);
		assert_int_equal(parse(&m, &info), ACPI_OK);
		check_common(&info, shapes[i].cpus);
		assert_int_equal(info.has_srat, 0);
		assert_int_equal(info.has_slit, 0);
		assert_int_equal(info.n_nodes, 1);
		assert_int_equal(info.n_mem, 0);
		assert_int_equal(info.dist[0][1], ACPI_DIST_REMOTE);
		unload(&m);
	}
}

static void check_numa2(const struct acpi_info *info)
{
	check_common(info, 4);
	assert_int_equal(info->has_srat, 1);
	assert_int_equal(info->n_nodes, 2);
	assert_int_equal(info->n_mem, 2);
	assert_int_equal(info->mem[0].base, 0x40000000);
	assert_int_equal(info->mem[0].size, 0x40000000);
	assert_int_equal(info->mem[0].node, 0);
	assert_int_equal(info->mem[1].base, 0x80000000);
	assert_int_equal(info->mem[1].size, 0x40000000);
	assert_int_equal(info->mem[1].node, 1);
	assert_int_equal(info->cpu[0].node, 0);
	assert_int_equal(info->cpu[1].node, 0);
	assert_int_equal(info->cpu[2].node, 1);
	assert_int_equal(info->cpu[3].node, 1);
	assert_int_equal(info->dist[0][0], 10);
	assert_int_equal(info->dist[1][1], 10);
}

static void test_numa_shapes(void **state)
{
	struct acpi_info info;
	struct machine m;

	(void)state;
	boot_shape(&m, "numa2");
	assert_int_equal(parse(&m, &info), ACPI_OK);
	check_numa2(&info);
	assert_int_equal(info.has_slit, 1);
	assert_int_equal(info.dist[0][1], 20);
	assert_int_equal(info.dist[1][0], 20);
	/* A distance of our own, to see it is read and not defaulted. */
	wr(table(&m, "SLIT") + 44 + 1, 1, 33);
	fix(table(&m, "SLIT"));
	assert_int_equal(parse(&m, &info), ACPI_OK);
	assert_int_equal(info.dist[0][1], 33);
	assert_int_equal(info.dist[1][0], 20);
	unload(&m);

	boot_shape(&m, "numa2-nodist");
	assert_int_equal(parse(&m, &info), ACPI_OK);
	check_numa2(&info);
	assert_int_equal(info.has_slit, 0);
	assert_int_equal(info.dist[0][1], ACPI_DIST_REMOTE);
	unload(&m);
}

/* QEMU's device tree of the same machine (mk/host.mk dumps it) names the same CPUs and UART. */
static void test_acpi_matches_dt(void **state)
{
	static const struct {
		const char *shape, *dtb;
	} pairs[] = {{"smp1", "virt-smp1-1g.dtb"},
		     {"smp2", "virt-smp2-1g.dtb"},
		     {"smp4", "virt-smp4-2g.dtb"}};
	const char *dir = getenv("VTZ_TEST_DATA");
	struct fdt_info fi;
	struct acpi_info info;
	struct machine m;
	char path[512];
	uint32_t len;
	unsigned i, j;

	(void)state;
	if (!dir || !*dir)
		fail_msg("VTZ_TEST_DATA is not set: run through `make unit`");
	for (i = 0; i < 3; i++) {
		uint8_t *dtb;

		snprintf(path, sizeof(path), "%s/%s", dir, pairs[i].dtb);
		dtb = read_file(path, 1u << 20, &len);
		assert_int_equal(fdt_info_read(dtb, len, &fi), FDT_INFO_OK);
		test_free(dtb);
		boot_shape(&m, pairs[i].shape);
		assert_int_equal(parse(&m, &info), ACPI_OK);
		assert_int_equal(info.n_cpus, fi.n_cpus);
		for (j = 0; j < fi.n_cpus; j++)
			assert_int_equal(info.cpu[j].mpidr, fi.cpu_mpidr[j]);
		assert_int_equal(info.uart_base, fi.uart_base);
		unload(&m);
	}
}

/* ------------------------------------------------------------ bad tables */

static void test_bad_rsdp(void **state)
{
	struct acpi_info info;
	struct machine m;
	uint8_t *r;

	(void)state;
	boot_shape(&m, "smp2");
	r = at(&m, m.rsdp);
	assert_int_equal(acpi_parse(&m.w, WIN_BASE + WIN_SIZE - 8, &info), ACPI_ERR_RSDP_WINDOW);
	assert_int_equal(acpi_parse(&m.w, 0x1000, &info), ACPI_ERR_RSDP_WINDOW);
	/* A good 1.0 part whose 2.0 part runs off the window's end. */
	memcpy(m.win + WIN_SIZE - 24, r, 20);
	assert_int_equal(acpi_parse(&m.w, WIN_BASE + WIN_SIZE - 24, &info), ACPI_ERR_RSDP_LENGTH);
	r[0] = 'X';
	assert_int_equal(parse(&m, &info), ACPI_ERR_RSDP_SIGNATURE);
	r[0] = 'R';
	r[8] ^= 1;
	assert_int_equal(parse(&m, &info), ACPI_ERR_RSDP_CHECKSUM);
	r[15] = 0;
	fix_rsdp(r);
	assert_int_equal(parse(&m, &info), ACPI_ERR_RSDP_REVISION);
	r[15] = 2;
	wr(r + 20, 4, 40);
	fix_rsdp(r);
	assert_int_equal(parse(&m, &info), ACPI_ERR_RSDP_LENGTH);
	wr(r + 20, 4, 36);
	fix_rsdp(r);
	r[32] ^= 1;
	assert_int_equal(parse(&m, &info), ACPI_ERR_RSDP_XCHECKSUM);
	fix_rsdp(r);
	assert_int_equal(parse(&m, &info), ACPI_OK);
	/* An XSDT outside the window. */
	wr(r + 24, 8, 0x40000000);
	fix_rsdp(r);
	assert_int_equal(parse(&m, &info), ACPI_ERR_SDT_WINDOW);
	/* An error leaves nothing behind. */
	{
		static const struct acpi_info zero;

		assert_memory_equal(&info, &zero, sizeof(zero));
	}
	unload(&m);
}

static void test_bad_xsdt(void **state)
{
	struct acpi_info info;
	struct machine m;
	uint8_t *x;
	uint32_t len;

	(void)state;
	boot_shape(&m, "smp2");
	x = xsdt(&m);
	len = (uint32_t)rd(x + 4, 4);
	x[0] = 'R';
	fix(x);
	assert_int_equal(parse(&m, &info), ACPI_ERR_XSDT_SIGNATURE);
	x[0] = 'X';
	wr(x + 4, 4, len - 4);
	fix(x);
	assert_int_equal(parse(&m, &info), ACPI_ERR_XSDT_LENGTH);
	wr(x + 4, 4, len);
	fix(x);
	x[40] ^= 0x55;
	assert_int_equal(parse(&m, &info), ACPI_ERR_SDT_CHECKSUM);
	x[40] ^= 0x55;
	assert_int_equal(parse(&m, &info), ACPI_OK);
	/* A table pointer out of the window, then one table listed twice. */
	{
		uint64_t first = rd(x + 36, 8), apic = 0;
		uint32_t i;

		for (i = 0; i < (len - 36) / 8; i++)
			if (memcmp(at(&m, rd(x + 36 + 8 * i, 8)), "APIC", 4) == 0)
				apic = rd(x + 36 + 8 * i, 8);
		assert_true(apic != 0 && apic != first);
		wr(x + 36, 8, 0x1000);
		fix(x);
		assert_int_equal(parse(&m, &info), ACPI_ERR_SDT_WINDOW);
		wr(x + 36, 8, apic);
		fix(x);
		assert_int_equal(parse(&m, &info), ACPI_ERR_XSDT_DUPLICATE);
		wr(x + 36, 8, first);
		fix(x);
	}
	/* A table whose length runs off the window. */
	wr(table(&m, "GTDT") + 4, 4, WIN_SIZE);
	assert_int_equal(parse(&m, &info), ACPI_ERR_SDT_LENGTH);
	wr(table(&m, "GTDT") + 4, 4, 20);
	assert_int_equal(parse(&m, &info), ACPI_ERR_SDT_LENGTH);
	unload(&m);
}

#define GICC 0x0b
#define GICD 0x0c
#define GICR 0x0e
#define SRAT_MEM 1
#define SRAT_GICC 3

static void test_bad_madt(void **state)
{
	(void)state;
	expect_patched("smp2", "APIC", -1, 0, 0, 1, 'X', ACPI_ERR_MADT_MISSING);
	expect_patched("smp2", "APIC", -1, 0, 4, 4, 40, ACPI_ERR_MADT_LENGTH);
	expect_patched("smp2", "APIC", GICC, 0, 1, 1, 1, ACPI_ERR_MADT_ENTRY_LENGTH);
	expect_patched("smp2", "APIC", GICC, 0, 1, 1, 0, ACPI_ERR_MADT_ENTRY_LENGTH);
	expect_patched("smp2", "APIC", GICC, 1, 1, 1, 78, ACPI_ERR_MADT_GICC_LENGTH);
	expect_patched("smp2", "APIC", GICC, 1, 68, 8, 1ULL << 24, ACPI_ERR_MADT_GICC_MPIDR);
	expect_patched("smp2", "APIC", GICC, 1, 68, 8, 0, ACPI_ERR_MADT_GICC_DUPLICATE);
	expect_patched("smp2", "APIC", GICC, 1, 8, 4, 0, ACPI_ERR_MADT_GICC_DUPLICATE);
	expect_patched("smp1", "APIC", GICC, 0, 12, 4, 0, ACPI_ERR_MADT_NO_GICC);
	expect_patched("smp2", "APIC", GICD, 0, 1, 1, 20, ACPI_ERR_MADT_GICD_LENGTH);
	expect_patched("smp2", "APIC", GICD, 0, 20, 1, 2, ACPI_ERR_MADT_GICD_VERSION);
	expect_patched("smp2", "APIC", GICD, 0, 0, 1, 0x7f, ACPI_ERR_MADT_GICD_COUNT);
	expect_patched("smp2", "APIC", GICR, 0, 1, 1, 20, ACPI_ERR_MADT_GICR_LENGTH);
	expect_patched("smp2", "APIC", GICR, 0, 12, 4, 0, ACPI_ERR_MADT_GICR_RANGE);
	expect_patched("smp2", "APIC", GICR, 0, 4, 8, ~0ULL - 8, ACPI_ERR_MADT_GICR_RANGE);
	expect_patched("smp2", "APIC", GICR, 0, 0, 1, 0x7f, ACPI_ERR_MADT_NO_GICR);
}

/*
 * Moves table @sig to the end of the window with @copies copies of entry
 * @e (@e[1] bytes) appended, each changed by @edit, and points the XSDT
 * (or the RSDP, for the XSDT itself) at the copy.
 */
static void grow(struct machine *m, const char *sig, const uint8_t *e, unsigned elen,
		 unsigned copies, void (*edit)(uint8_t *copy, unsigned i))
{
	uint8_t *t = memcmp(sig, "XSDT", 4) == 0 ? xsdt(m) : table(m, sig);
	uint8_t *n = m->win + WIN_SIZE - 8192, *x = xsdt(m), *r = at(m, m->rsdp);
	uint64_t naddr = WIN_BASE + WIN_SIZE - 8192;
	uint32_t len = (uint32_t)rd(t + 4, 4), i;
	uint8_t ecopy[256];

	assert_true(elen <= sizeof(ecopy) && len + copies * elen <= 8192);
	memcpy(ecopy, e, elen);
	memcpy(n, t, len);
	for (i = 0; i < copies; i++) {
		memcpy(n + len + i * elen, ecopy, elen);
		if (edit)
			edit(n + len + i * elen, i);
	}
	wr(n + 4, 4, len + copies * elen);
	fix(n);
	if (t == x) {
		wr(r + 24, 8, naddr);
		fix_rsdp(r);
		return;
	}
	for (i = 0; i < (rd(x + 4, 4) - 36) / 8; i++)
		if (at(m, rd(x + 36 + 8 * i, 8)) == t)
			wr(x + 36 + 8 * i, 8, naddr);
	fix(x);
}

static void new_cpu(uint8_t *gicc, unsigned i)
{
	wr(gicc + 8, 4, 100 + i);
	wr(gicc + 68, 8, 0x100 + i);
}

static void new_range(uint8_t *e, unsigned i)
{
	/* SRAT memory (base at 8) or MADT GICR (base at 4): disjoint, above 4 GiB. */
	if (e[0] == 1)
		wr(e + 8, 8, 0x100000000ULL + i * 0x40000000ULL);
	else
		wr(e + 4, 8, 0x100000000ULL + i * 0x1000000ULL);
}

/* One entry over each table's limit. */
static void test_too_many(void **state)
{
	struct acpi_info info;
	struct machine m;
	uint8_t *t, *x;

	(void)state;
	boot_shape(&m, "smp4");
	t = table(&m, "APIC");
	grow(&m, "APIC", entry(t, 44, GICC, 0), entry(t, 44, GICC, 0)[1], ACPI_MAX_CPUS + 1 - 4,
	     new_cpu);
	assert_int_equal(parse(&m, &info), ACPI_ERR_MADT_GICC_TOO_MANY);
	unload(&m);

	boot_shape(&m, "smp4");
	t = table(&m, "APIC");
	grow(&m, "APIC", entry(t, 44, GICR, 0), 16, ACPI_MAX_GICR, new_range);
	assert_int_equal(parse(&m, &info), ACPI_ERR_MADT_GICR_TOO_MANY);
	unload(&m);

	boot_shape(&m, "numa2");
	t = table(&m, "SRAT");
	grow(&m, "SRAT", entry(t, 48, SRAT_MEM, 0), 40, ACPI_MAX_MEM + 1 - 2, new_range);
	assert_int_equal(parse(&m, &info), ACPI_ERR_SRAT_MEM_TOO_MANY);
	unload(&m);

	/* The XSDT's own entries, repeated up to one past ACPI_MAX_TABLES. */
	boot_shape(&m, "smp1");
	x = xsdt(&m);
	grow(&m, "XSDT", x + 36, 8, ACPI_MAX_TABLES + 1 - (uint32_t)(rd(x + 4, 4) - 36) / 8, NULL);
	assert_int_equal(parse(&m, &info), ACPI_ERR_XSDT_TOO_MANY);
	unload(&m);

	/* At the limit, all accepted. */
	boot_shape(&m, "smp4");
	t = table(&m, "APIC");
	grow(&m, "APIC", entry(t, 44, GICC, 0), entry(t, 44, GICC, 0)[1], ACPI_MAX_CPUS - 4,
	     new_cpu);
	assert_int_equal(parse(&m, &info), ACPI_OK);
	assert_int_equal(info.n_cpus, ACPI_MAX_CPUS);
	unload(&m);
}

static void test_bad_gtdt_spcr(void **state)
{
	(void)state;
	expect_patched("smp2", "GTDT", -1, 0, 0, 1, 'X', ACPI_ERR_GTDT_MISSING);
	expect_patched("smp2", "GTDT", -1, 0, 4, 4, 92, ACPI_ERR_GTDT_LENGTH);
	expect_patched("smp2", "GTDT", -1, 0, 56, 4, 33, ACPI_ERR_GTDT_GSIV);
	expect_patched("smp2", "GTDT", -1, 0, 72, 4, 15, ACPI_ERR_GTDT_GSIV);
	expect_patched("smp2", "SPCR", -1, 0, 0, 1, 'X', ACPI_ERR_SPCR_MISSING);
	expect_patched("smp2", "SPCR", -1, 0, 4, 4, 76, ACPI_ERR_SPCR_LENGTH);
	expect_patched("smp2", "SPCR", -1, 0, 40, 1, 1, ACPI_ERR_SPCR_ADDRESS_SPACE);
	expect_patched("smp2", "SPCR", -1, 0, 44, 8, 0, ACPI_ERR_SPCR_ADDRESS);
	expect_patched("smp2", "SPCR", -1, 0, 44, 8, 0x09000004, ACPI_ERR_SPCR_ADDRESS);
}

static void test_bad_srat_slit(void **state)
{
	(void)state;
	expect_patched("numa2", "SRAT", -1, 0, 4, 4, 44, ACPI_ERR_SRAT_LENGTH);
	expect_patched("numa2", "SRAT", SRAT_MEM, 0, 1, 1, 0, ACPI_ERR_SRAT_ENTRY_LENGTH);
	expect_patched("numa2", "SRAT", SRAT_MEM, 0, 1, 1, 39, ACPI_ERR_SRAT_MEM_LENGTH);
	expect_patched("numa2", "SRAT", SRAT_MEM, 0, 16, 8, 0, ACPI_ERR_SRAT_MEM_RANGE);
	expect_patched("numa2", "SRAT", SRAT_MEM, 0, 8, 8, ~0ULL - 4096, ACPI_ERR_SRAT_MEM_RANGE);
	expect_patched("numa2", "SRAT", SRAT_MEM, 1, 8, 8, 0x40001000, ACPI_ERR_SRAT_MEM_OVERLAP);
	expect_patched("numa2", "SRAT", SRAT_MEM, 1, 2, 4, ACPI_MAX_NODES, ACPI_ERR_SRAT_DOMAIN);
	expect_patched("numa2", "SRAT", SRAT_GICC, 0, 1, 1, 20, ACPI_ERR_SRAT_GICC_LENGTH);
	expect_patched("numa2", "SRAT", SRAT_GICC, 1, 6, 4, 9, ACPI_ERR_SRAT_GICC_UID);
	expect_patched("numa2", "SRAT", SRAT_GICC, 1, 6, 4, 0, ACPI_ERR_SRAT_GICC_DUPLICATE);
	expect_patched("numa2", "SRAT", SRAT_GICC, 3, 2, 4, 1000, ACPI_ERR_SRAT_DOMAIN);
	expect_patched("numa2", "SRAT", -1, 0, 0, 1, 'X', ACPI_ERR_SLIT_NO_SRAT);
	expect_patched("numa2", "SLIT", -1, 0, 4, 4, 47, ACPI_ERR_SLIT_LENGTH);
	expect_patched("numa2", "SLIT", -1, 0, 36, 8, 1, ACPI_ERR_SLIT_LOCALITIES);
	expect_patched("numa2", "SLIT", -1, 0, 36, 8, ACPI_MAX_NODES + 1, ACPI_ERR_SLIT_LOCALITIES);
	expect_patched("numa2", "SLIT", -1, 0, 44, 1, 11, ACPI_ERR_SLIT_DIAGONAL);
	expect_patched("numa2", "SLIT", -1, 0, 45, 1, 10, ACPI_ERR_SLIT_DISTANCE);
}

/* ----------------------------------------------------------- bad scripts */

static uint8_t script[ACPI_LOADER_MAX_CMDS + 1][ACPI_LOADER_CMD_SIZE];

static uint8_t *cmd_alloc(unsigned i, const char *name, uint32_t align, uint8_t zone)
{
	uint8_t *c = script[i];

	memset(c, 0, ACPI_LOADER_CMD_SIZE);
	wr(c, 4, ACPI_LOADER_ALLOCATE);
	strcpy((char *)c + 4, name);
	wr(c + 60, 4, align);
	c[64] = zone;
	return c;
}

static uint8_t *cmd_ptr(unsigned i, const char *dst, const char *src, uint32_t off, uint8_t size)
{
	uint8_t *c = script[i];

	memset(c, 0, ACPI_LOADER_CMD_SIZE);
	wr(c, 4, ACPI_LOADER_ADD_POINTER);
	strcpy((char *)c + 4, dst);
	strcpy((char *)c + 60, src);
	wr(c + 116, 4, off);
	c[120] = size;
	return c;
}

static uint8_t *cmd_cksum(unsigned i, const char *f, uint32_t off, uint32_t start, uint32_t len)
{
	uint8_t *c = script[i];

	memset(c, 0, ACPI_LOADER_CMD_SIZE);
	wr(c, 4, ACPI_LOADER_ADD_CHECKSUM);
	strcpy((char *)c + 4, f);
	wr(c + 60, 4, off);
	wr(c + 64, 4, start);
	wr(c + 68, 4, len);
	return c;
}

static uint8_t *cmd_wptr(unsigned i, const char *dst, const char *src, uint32_t dst_off,
			 uint32_t src_off, uint8_t size)
{
	uint8_t *c = script[i];

	memset(c, 0, ACPI_LOADER_CMD_SIZE);
	wr(c, 4, ACPI_LOADER_WRITE_POINTER);
	strcpy((char *)c + 4, dst);
	strcpy((char *)c + 60, src);
	wr(c + 116, 4, dst_off);
	wr(c + 120, 4, src_off);
	c[124] = size;
	return c;
}

static int run_n(struct machine *m, unsigned n)
{
	return run_script(m, &script[0][0], n * ACPI_LOADER_CMD_SIZE);
}

static void test_bad_scripts(void **state)
{
	struct machine m;
	uint8_t *c;

	(void)state;
	load_shape(&m, "smp1");
	assert_int_equal(run_script(&m, &script[0][0], 0), ACPI_LOADER_ERR_LENGTH);
	assert_int_equal(run_script(&m, &script[0][0], 100), ACPI_LOADER_ERR_LENGTH);
	memset(script, 0, sizeof(script));
	assert_int_equal(run_n(&m, ACPI_LOADER_MAX_CMDS), ACPI_LOADER_OK);
	assert_int_equal(run_n(&m, ACPI_LOADER_MAX_CMDS + 1), ACPI_LOADER_ERR_TOO_MANY_CMDS);

	cmd_alloc(0, T, 64, 1);
	script[1][0] = 9;
	assert_int_equal(run_n(&m, 2), ACPI_LOADER_ERR_UNKNOWN_CMD);
	assert_int_equal(m.ld.failed_cmd, 1);
	memset(script[1], 0, ACPI_LOADER_CMD_SIZE);
	script[1][100] = 1; /* padding must be all zero */
	assert_int_equal(run_n(&m, 2), ACPI_LOADER_ERR_UNKNOWN_CMD);

	c = cmd_alloc(0, T, 64, 1);
	memset(c + 4, 'a', 56);
	assert_int_equal(run_n(&m, 1), ACPI_LOADER_ERR_NAME);
	c[4] = 0;
	assert_int_equal(run_n(&m, 1), ACPI_LOADER_ERR_NAME);
	cmd_alloc(0, T, 48, 1);
	assert_int_equal(run_n(&m, 1), ACPI_LOADER_ERR_ALLOC_ALIGN);
	cmd_alloc(0, T, 0, 1);
	assert_int_equal(run_n(&m, 1), ACPI_LOADER_ERR_ALLOC_ALIGN);
	cmd_alloc(0, T, 8192, 1);
	assert_int_equal(run_n(&m, 1), ACPI_LOADER_ERR_ALLOC_ALIGN);
	cmd_alloc(0, T, 64, 3);
	assert_int_equal(run_n(&m, 1), ACPI_LOADER_ERR_ALLOC_ZONE);
	cmd_alloc(0, T, 64, 1);
	cmd_alloc(1, T, 64, 1);
	assert_int_equal(run_n(&m, 2), ACPI_LOADER_ERR_ALLOC_TWICE);
	cmd_alloc(1, "etc/none", 64, 1);
	assert_int_equal(run_n(&m, 2), ACPI_LOADER_ERR_ALLOC_FAILED);
	assert_int_equal(m.ld.cb_err, 7);
	cmd_alloc(1, R, 16, 2);
	cmd_alloc(2, "etc/table-loader", 16, 1);
	cmd_alloc(3, "etc/dummy-a", 16, 1);
	cmd_alloc(4, "etc/dummy-b", 16, 1);
	assert_int_equal(run_n(&m, 5), ACPI_LOADER_ERR_ALLOC_TOO_MANY);
	m.misplace = 1;
	assert_int_equal(run_n(&m, 1), ACPI_LOADER_ERR_ALLOC_PLACED);
	m.misplace = 0;

	/* ADD_POINTER: RSDP+24 holds 8 bytes, an offset into the tables. */
	cmd_alloc(1, R, 16, 2);
	cmd_ptr(2, R, "etc/other", 24, 8);
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_ERR_FILE_UNKNOWN);
	cmd_ptr(2, R, T, 24, 3);
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_ERR_PTR_SIZE);
	cmd_ptr(2, R, T, 30, 8);
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_ERR_PTR_OFFSET);
	cmd_ptr(2, R, T, 0xfffffffc, 8);
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_ERR_PTR_OFFSET);
	cmd_ptr(2, R, T, 0, 8); /* "RSD PTR " as an offset */
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_ERR_PTR_TARGET);
	cmd_ptr(2, R, T, 24, 2); /* the window's address does not fit 16 bits */
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_ERR_PTR_OVERFLOW);
	cmd_ptr(2, R, T, 24, 8);
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_OK);

	/* ADD_CHECKSUM */
	cmd_cksum(2, "etc/other", 8, 0, 20);
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_ERR_FILE_UNKNOWN);
	cmd_cksum(2, R, 8, 0, 37);
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_ERR_CKSUM_RANGE);
	cmd_cksum(2, R, 8, 40, 0);
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_ERR_CKSUM_RANGE);
	cmd_cksum(2, R, 20, 0, 20);
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_ERR_CKSUM_OFFSET);
	cmd_cksum(2, R, 8, 10, 10);
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_ERR_CKSUM_OFFSET);
	cmd_cksum(2, R, 8, 0, 0);
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_ERR_CKSUM_OFFSET);
	cmd_cksum(2, R, 8, 0, 20);
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_OK);

	/* WRITE_POINTER: the destination is the caller's (fw_cfg) business. */
	cmd_wptr(2, "etc/wp", "etc/other", 0, 0, 8);
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_ERR_FILE_UNKNOWN);
	cmd_wptr(2, "etc/wp", T, 0, 0, 5);
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_ERR_WPTR_SIZE);
	cmd_wptr(2, "etc/wp", R, 0, 36, 8);
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_ERR_WPTR_SRC_OFFSET);
	cmd_wptr(2, "etc/wp", R, 0, 0, 2);
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_ERR_WPTR_OVERFLOW);
	m.fail_wptr = 5;
	cmd_wptr(2, "etc/wp", R, 0, 0, 8);
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_ERR_WPTR_FAILED);
	assert_int_equal(m.ld.cb_err, 5);
	m.fail_wptr = 0;
	m.n_wptr = 0;
	assert_int_equal(run_n(&m, 3), ACPI_LOADER_OK);
	assert_int_equal(m.n_wptr, 1);
	unload(&m);
}

/* A table QEMU would link that the parser then refuses: a broken checksum command. */
static void test_loader_then_parse(void **state)
{
	struct acpi_info info;
	struct machine m;
	struct fwcfg_file *s;
	uint32_t i;

	(void)state;
	load_shape(&m, "smp2");
	s = fwcfg(&m, "etc/table-loader");
	/* Drop the RSDP's first checksum command: the loader is happy, the parser is not. */
	for (i = 0; i < s->size; i += ACPI_LOADER_CMD_SIZE)
		if (rd(s->data + i, 4) == ACPI_LOADER_ADD_CHECKSUM &&
		    strcmp((char *)s->data + i + 4, R) == 0 && rd(s->data + i + 60, 4) == 8) {
			memset(s->data + i, 0, ACPI_LOADER_CMD_SIZE);
			break;
		}
	assert_true(i < s->size);
	assert_int_equal(run_loader(&m), ACPI_LOADER_OK);
	assert_int_equal(parse(&m, &info), ACPI_ERR_RSDP_CHECKSUM);
	unload(&m);
}

static void test_strerror(void **state)
{
	int i, j;

	(void)state;
	assert_string_equal(acpi_strerror(ACPI_OK), "success");
	assert_string_equal(acpi_strerror(ACPI_ERR_LAST), "unknown error");
	for (i = -1; i > ACPI_ERR_LAST; i--) {
		assert_string_not_equal(acpi_strerror(i), "unknown error");
		/* "TABLE: ..." with the table named first. */
		assert_non_null(strchr(acpi_strerror(i), ':'));
		for (j = i - 1; j > ACPI_ERR_LAST; j--)
			assert_string_not_equal(acpi_strerror(i), acpi_strerror(j));
	}
	for (i = -1; i >= ACPI_LOADER_ERR_WPTR_FAILED; i--) {
		assert_string_not_equal(acpi_loader_strerror(i), "unknown error");
		for (j = i - 1; j >= ACPI_LOADER_ERR_WPTR_FAILED; j--)
			assert_string_not_equal(acpi_loader_strerror(i), acpi_loader_strerror(j));
	}
	assert_string_equal(acpi_loader_strerror(ACPI_LOADER_ERR_WPTR_FAILED - 1), "unknown error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_smp_shapes),	      cmocka_unit_test(test_numa_shapes),
	    cmocka_unit_test(test_acpi_matches_dt),   cmocka_unit_test(test_bad_rsdp),
	    cmocka_unit_test(test_bad_xsdt),	      cmocka_unit_test(test_bad_madt),
	    cmocka_unit_test(test_too_many),	      cmocka_unit_test(test_bad_gtdt_spcr),
	    cmocka_unit_test(test_bad_srat_slit),     cmocka_unit_test(test_bad_scripts),
	    cmocka_unit_test(test_loader_then_parse), cmocka_unit_test(test_strerror),
	};

	return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}
