/* SPDX-License-Identifier: MIT */
/*
 * SRAT (ACPI 6.5, 5.2.16): memory ranges and CPUs (by ACPI processor UID,
 * GICC affinity) with their proximity domains; SLIT (5.2.17): the
 * distances between domains. vTZ numbers nodes by proximity domain, so a
 * domain must be below ACPI_MAX_NODES; disabled entries are skipped.
 */
#include <policy/acpi.h>

#include "acpi_internal.h"

#define SRAT_HEADER 48
#define SRAT_MEM 1
#define SRAT_GICC 3
#define SRAT_MEM_LEN 40
#define SRAT_GICC_LEN 18
#define SRAT_ENABLED (1u << 0)
#define SLIT_HEADER 44

static int domain(uint32_t d, struct acpi_info *out)
{
	if (d >= ACPI_MAX_NODES)
		return ACPI_ERR_SRAT_DOMAIN;
	if (d + 1 > out->n_nodes)
		out->n_nodes = d + 1;
	return ACPI_OK;
}

static int read_mem(const uint8_t *e, uint8_t len, struct acpi_info *out)
{
	uint64_t base, size;
	uint32_t node;
	int ret;

	if (len != SRAT_MEM_LEN)
		return ACPI_ERR_SRAT_MEM_LENGTH;
	if (!(acpi_u32(e + 28) & SRAT_ENABLED))
		return ACPI_OK;
	node = acpi_u32(e + 2);
	base = acpi_u64(e + 8);
	size = acpi_u64(e + 16);
	if (size == 0 || base + size < base)
		return ACPI_ERR_SRAT_MEM_RANGE;
	ret = domain(node, out);
	if (ret)
		return ret;
	if (out->n_mem >= ACPI_MAX_MEM)
		return ACPI_ERR_SRAT_MEM_TOO_MANY;
	out->mem[out->n_mem].base = base;
	out->mem[out->n_mem].size = size;
	out->mem[out->n_mem].node = node;
	out->n_mem++;
	return ACPI_OK;
}

static int read_gicc(const uint8_t *e, uint8_t len, uint8_t *seen, struct acpi_info *out)
{
	uint32_t node, uid;
	unsigned i;
	int ret;

	if (len != SRAT_GICC_LEN)
		return ACPI_ERR_SRAT_GICC_LENGTH;
	if (!(acpi_u32(e + 10) & SRAT_ENABLED))
		return ACPI_OK;
	node = acpi_u32(e + 2);
	uid = acpi_u32(e + 6);
	for (i = 0; i < out->n_cpus && out->cpu[i].uid != uid; i++)
		;
	if (i == out->n_cpus)
		return ACPI_ERR_SRAT_GICC_UID;
	if (seen[i]++)
		return ACPI_ERR_SRAT_GICC_DUPLICATE;
	ret = domain(node, out);
	if (ret)
		return ret;
	out->cpu[i].node = node;
	return ACPI_OK;
}

/* Insertion sort by base (at most ACPI_MAX_MEM), then reject overlap. */
static int sort_mem(struct acpi_info *out)
{
	unsigned i, j;

	for (i = 1; i < out->n_mem; i++) {
		struct acpi_mem_region r = out->mem[i];

		for (j = i; j > 0 && out->mem[j - 1].base > r.base; j--)
			out->mem[j] = out->mem[j - 1];
		out->mem[j] = r;
	}
	/* read_mem guaranteed base + size does not wrap. */
	for (i = 1; i < out->n_mem; i++)
		if (out->mem[i - 1].base + out->mem[i - 1].size > out->mem[i].base)
			return ACPI_ERR_SRAT_MEM_OVERLAP;
	return ACPI_OK;
}

int acpi_srat_read(const struct acpi_table *t, struct acpi_info *out)
{
	uint8_t seen[ACPI_MAX_CPUS] = {0};
	uint32_t off;
	int ret = ACPI_OK;

	if (t->len < SRAT_HEADER)
		return ACPI_ERR_SRAT_LENGTH;
	out->has_srat = 1;
	/* Each pass moves on by at least 2 bytes: at most len / 2 passes. */
	for (off = SRAT_HEADER; off < t->len; off += t->p[off + 1]) {
		const uint8_t *e = t->p + off;

		if (t->len - off < 2 || e[1] < 2 || e[1] > t->len - off)
			return ACPI_ERR_SRAT_ENTRY_LENGTH;
		if (e[0] == SRAT_MEM)
			ret = read_mem(e, e[1], out);
		else if (e[0] == SRAT_GICC)
			ret = read_gicc(e, e[1], seen, out);
		if (ret)
			return ret;
	}
	return sort_mem(out);
}

int acpi_slit_read(const struct acpi_table *t, struct acpi_info *out)
{
	uint64_t n;
	unsigned i, j;

	if (t->len < SLIT_HEADER)
		return ACPI_ERR_SLIT_LENGTH;
	n = acpi_u64(t->p + 36);
	if (n < out->n_nodes || n > ACPI_MAX_NODES)
		return ACPI_ERR_SLIT_LOCALITIES;
	if (t->len != SLIT_HEADER + n * n)
		return ACPI_ERR_SLIT_LENGTH;
	out->has_slit = 1;
	for (i = 0; i < n; i++) {
		for (j = 0; j < n; j++) {
			uint8_t d = t->p[SLIT_HEADER + i * n + j];

			if (i == j && d != ACPI_DIST_LOCAL)
				return ACPI_ERR_SLIT_DIAGONAL;
			if (i != j && d <= ACPI_DIST_LOCAL)
				return ACPI_ERR_SLIT_DISTANCE;
			out->dist[i][j] = d;
		}
	}
	/* Nodes stay those the SRAT names: a locality without CPUs or memory places nothing. */
	return ACPI_OK;
}
