/* SPDX-License-Identifier: MIT */
/*
 * Extracts RAM regions, CPU MPIDRs and the console PL011 from a flattened
 * device tree. The blob comes from outside the trusted base, so it is
 * read strictly: missing cell counts are errors (no spec defaults), every
 * reg is length-checked, and every loop has an explicit bound.
 *
 * Nodes whose "status" is neither "okay" nor "ok" are skipped for memory
 * and the UART: with secure=on QEMU describes its secure RAM and secure
 * PL011 as status = "disabled" nodes, which the non-secure world must
 * not use.
 */
#include <policy/fdt_info.h>

#include <libfdt.h>
#include <string.h>

#define CELL_BYTES 4

/* Node iteration cap: every node costs at least a BEGIN_NODE and END_NODE tag. */
static int max_nodes(const void *fdt)
{
	return (int)(fdt_size_dt_struct(fdt) / (2 * CELL_BYTES)) + 1;
}

/* A string property equal to @s (including its NUL); <0 on libfdt error. */
static int prop_is(const void *fdt, int node, const char *name, const char *s)
{
	int len;
	const char *v = fdt_getprop(fdt, node, name, &len);

	if (!v)
		return len == -FDT_ERR_NOTFOUND ? 0 : FDT_INFO_ERR_STRUCTURE;
	return (size_t)len == strlen(s) + 1 && memcmp(v, s, (size_t)len) == 0;
}

/* 1 if the node is available (no status, "okay" or "ok"), 0 if not. */
static int node_enabled(const void *fdt, int node)
{
	int len;
	const char *v = fdt_getprop(fdt, node, "status", &len);

	if (!v)
		return len == -FDT_ERR_NOTFOUND ? 1 : FDT_INFO_ERR_STRUCTURE;
	return (len == 5 && memcmp(v, "okay", 5) == 0) || (len == 3 && memcmp(v, "ok", 3) == 0);
}

/* A one-cell property within [lo, hi]; missing or malformed is ERR_CELLS. */
static int read_cells(const void *fdt, int node, const char *name, unsigned lo, unsigned hi,
		      unsigned *out)
{
	int len;
	const fdt32_t *v = fdt_getprop(fdt, node, name, &len);
	uint32_t n;

	if (!v)
		return len == -FDT_ERR_NOTFOUND ? FDT_INFO_ERR_CELLS : FDT_INFO_ERR_STRUCTURE;
	if (len != CELL_BYTES)
		return FDT_INFO_ERR_CELLS;
	n = fdt32_ld(v);
	if (n < lo || n > hi)
		return FDT_INFO_ERR_CELLS;
	*out = n;
	return FDT_INFO_OK;
}

/* Big-endian number of @cells (1 or 2) cells; byte loads, any alignment. */
static uint64_t read_number(const fdt32_t *p, unsigned cells)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < cells; i++)
		v = (v << 32) | fdt32_ld(&p[i]);
	return v;
}

static int add_mem(struct fdt_info *out, uint64_t base, uint64_t size)
{
	if (size == 0 || base + size < base)
		return FDT_INFO_ERR_BAD_REG;
	if (out->n_mem >= FDT_INFO_MAX_MEM)
		return FDT_INFO_ERR_TOO_MANY;
	out->mem[out->n_mem].base = base;
	out->mem[out->n_mem].size = size;
	out->n_mem++;
	return FDT_INFO_OK;
}

static int read_mem_node(const void *fdt, int node, unsigned ac, unsigned sc,
			 struct fdt_info *out)
{
	unsigned pair = (ac + sc) * CELL_BYTES, i, n;
	const fdt32_t *reg;
	int len, ret;

	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return len == -FDT_ERR_NOTFOUND ? FDT_INFO_ERR_BAD_REG : FDT_INFO_ERR_STRUCTURE;
	if (len <= 0 || (unsigned)len % pair)
		return FDT_INFO_ERR_BAD_REG;
	n = (unsigned)len / pair;
	for (i = 0; i < n; i++) {
		const fdt32_t *p = reg + i * (ac + sc);

		ret = add_mem(out, read_number(p, ac), read_number(p + ac, sc));
		if (ret)
			return ret;
	}
	return FDT_INFO_OK;
}

/* Memory nodes are direct children of the root with device_type "memory". */
static int collect_memory(const void *fdt, unsigned ac, unsigned sc, struct fdt_info *out)
{
	int depth = -1, node, budget = max_nodes(fdt), ret;

	for (node = fdt_next_node(fdt, -1, &depth); node >= 0 && depth >= 0;
	     node = fdt_next_node(fdt, node, &depth)) {
		if (--budget < 0)
			return FDT_INFO_ERR_STRUCTURE;
		if (depth != 1)
			continue;
		ret = prop_is(fdt, node, "device_type", "memory");
		if (ret <= 0) {
			if (ret < 0)
				return ret;
			continue;
		}
		ret = node_enabled(fdt, node);
		if (ret < 0)
			return ret;
		if (ret == 0)
			continue;
		ret = read_mem_node(fdt, node, ac, sc, out);
		if (ret)
			return ret;
	}
	if (node < 0 && node != -FDT_ERR_NOTFOUND)
		return FDT_INFO_ERR_STRUCTURE;
	return FDT_INFO_OK;
}

/* Insertion sort by base (at most FDT_INFO_MAX_MEM entries), then reject overlap. */
static int sort_memory(struct fdt_info *out)
{
	unsigned i, j;

	if (out->n_mem == 0)
		return FDT_INFO_ERR_NO_MEMORY;
	for (i = 1; i < out->n_mem; i++) {
		struct fdt_mem_region r = out->mem[i];

		for (j = i; j > 0 && out->mem[j - 1].base > r.base; j--)
			out->mem[j] = out->mem[j - 1];
		out->mem[j] = r;
	}
	/* add_mem guaranteed base + size does not wrap. */
	for (i = 1; i < out->n_mem; i++)
		if (out->mem[i - 1].base + out->mem[i - 1].size > out->mem[i].base)
			return FDT_INFO_ERR_OVERLAP;
	return FDT_INFO_OK;
}

static int add_cpu(const void *fdt, int node, unsigned ac, struct fdt_info *out)
{
	const fdt32_t *reg;
	uint64_t mpidr;
	unsigned i;
	int len;

	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return len == -FDT_ERR_NOTFOUND ? FDT_INFO_ERR_BAD_REG : FDT_INFO_ERR_STRUCTURE;
	/* /cpus has #size-cells = 0: reg is exactly one address. */
	if ((unsigned)len != ac * CELL_BYTES)
		return FDT_INFO_ERR_BAD_REG;
	mpidr = read_number(reg, ac);
	/* Two cpus with one MPIDR would make PSCI CPU_ON ambiguous. */
	for (i = 0; i < out->n_cpus; i++)
		if (out->cpu_mpidr[i] == mpidr)
			return FDT_INFO_ERR_BAD_REG;
	if (out->n_cpus >= FDT_INFO_MAX_CPUS)
		return FDT_INFO_ERR_TOO_MANY;
	out->cpu_mpidr[out->n_cpus++] = mpidr;
	return FDT_INFO_OK;
}

static int collect_cpus(const void *fdt, struct fdt_info *out)
{
	int cpus, node, budget = max_nodes(fdt), ret;
	unsigned ac;

	cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus < 0)
		return cpus == -FDT_ERR_NOTFOUND ? FDT_INFO_ERR_NO_CPUS : FDT_INFO_ERR_STRUCTURE;
	ret = read_cells(fdt, cpus, "#address-cells", 1, 2, &ac);
	if (ret)
		return ret;
	for (node = fdt_first_subnode(fdt, cpus); node >= 0;
	     node = fdt_next_subnode(fdt, node)) {
		if (--budget < 0)
			return FDT_INFO_ERR_STRUCTURE;
		ret = prop_is(fdt, node, "device_type", "cpu");
		if (ret < 0)
			return ret;
		if (ret == 0)
			continue; /* cpu-map and the like */
		ret = add_cpu(fdt, node, ac, out);
		if (ret)
			return ret;
	}
	if (node != -FDT_ERR_NOTFOUND)
		return FDT_INFO_ERR_STRUCTURE;
	return out->n_cpus ? FDT_INFO_OK : FDT_INFO_ERR_NO_CPUS;
}

/* First enabled "arm,pl011" directly under the root (its reg uses root cells). */
static int find_uart(const void *fdt, unsigned ac, unsigned sc, struct fdt_info *out)
{
	int node, len, ret, budget = max_nodes(fdt);
	const fdt32_t *reg;

	for (node = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011"); node >= 0;
	     node = fdt_node_offset_by_compatible(fdt, node, "arm,pl011")) {
		if (--budget < 0)
			return FDT_INFO_ERR_STRUCTURE;
		ret = node_enabled(fdt, node);
		if (ret < 0)
			return ret;
		if (ret == 0 || fdt_node_depth(fdt, node) != 1)
			continue;
		reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg)
			return len == -FDT_ERR_NOTFOUND ? FDT_INFO_ERR_BAD_REG
							: FDT_INFO_ERR_STRUCTURE;
		if (len <= 0 || (unsigned)len % ((ac + sc) * CELL_BYTES))
			return FDT_INFO_ERR_BAD_REG;
		out->uart_base = read_number(reg, ac);
		/* 0 means "no UART" to callers, so it cannot be a UART address. */
		return out->uart_base ? FDT_INFO_OK : FDT_INFO_ERR_BAD_REG;
	}
	if (node != -FDT_ERR_NOTFOUND)
		return FDT_INFO_ERR_STRUCTURE;
	return FDT_INFO_OK;
}

int fdt_info_read(const void *fdt, size_t max_size, struct fdt_info *out)
{
	unsigned ac, sc;
	int ret;

	if (!out)
		return FDT_INFO_ERR_HEADER;
	memset(out, 0, sizeof(*out));
	/* fdt_check_header reads the header, so it must lie inside the buffer. */
	if (!fdt || max_size < sizeof(struct fdt_header))
		return FDT_INFO_ERR_HEADER;
	if (fdt_check_header(fdt) != 0 || fdt_totalsize(fdt) > max_size)
		return FDT_INFO_ERR_HEADER;
	/*
	 * libfdt loads tags as aligned 32-bit words from the structure block,
	 * which the spec puts at a 4-byte aligned offset: refuse one that is not.
	 */
	if (fdt_off_dt_struct(fdt) % CELL_BYTES)
		return FDT_INFO_ERR_HEADER;

	ret = read_cells(fdt, 0, "#address-cells", 1, 2, &ac);
	if (!ret)
		ret = read_cells(fdt, 0, "#size-cells", 1, 2, &sc);
	if (!ret)
		ret = collect_memory(fdt, ac, sc, out);
	if (!ret)
		ret = sort_memory(out);
	if (!ret)
		ret = collect_cpus(fdt, out);
	if (!ret)
		ret = find_uart(fdt, ac, sc, out);
	if (ret)
		memset(out, 0, sizeof(*out));
	return ret;
}

const char *fdt_info_strerror(int err)
{
	switch (err) {
	case FDT_INFO_OK:
		return "success";
	case FDT_INFO_ERR_HEADER:
		return "bad device tree header or size";
	case FDT_INFO_ERR_NO_MEMORY:
		return "no memory node";
	case FDT_INFO_ERR_BAD_REG:
		return "malformed reg property";
	case FDT_INFO_ERR_OVERLAP:
		return "memory regions overlap";
	case FDT_INFO_ERR_TOO_MANY:
		return "too many memory regions or cpus";
	case FDT_INFO_ERR_NO_CPUS:
		return "no cpu nodes";
	case FDT_INFO_ERR_CELLS:
		return "#address-cells or #size-cells missing or invalid";
	case FDT_INFO_ERR_STRUCTURE:
		return "malformed device tree structure";
	default:
		return "unknown error";
	}
}
