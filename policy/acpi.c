/* SPDX-License-Identifier: MIT */
/*
 * The root of ACPI discovery: checks the RSDP and the XSDT, finds the
 * tables vTZ reads, checks each one's header, length and checksum, and
 * hands it to its reader (acpi_madt.c, acpi_timer_uart.c, acpi_numa.c).
 * Every pointer followed must land wholly inside the caller's window, so
 * a table can never make the reader touch memory outside the region the
 * firmware reserved for the tables.
 */
#include <policy/acpi.h>

#include <string.h>

#include "acpi_internal.h"

#define RSDP_V1_LEN 20
#define RSDP_LEN 36

enum { T_MADT, T_GTDT, T_SPCR, T_SRAT, T_SLIT, T_COUNT };
static const char *const wanted_sig[T_COUNT] = {"APIC", "GTDT", "SPCR", "SRAT", "SLIT"};

/* The bytes of [addr, addr + len) if all inside the window, else NULL. */
static const uint8_t *in_window(const struct acpi_window *win, uint64_t addr, uint64_t len)
{
	if (addr < win->base || addr - win->base > win->size ||
	    len > win->size - (addr - win->base))
		return NULL;
	return win->bytes + (addr - win->base);
}

static int read_rsdp(const struct acpi_window *win, uint64_t rsdp, uint64_t *xsdt)
{
	const uint8_t *p = in_window(win, rsdp, RSDP_V1_LEN);

	if (!p)
		return ACPI_ERR_RSDP_WINDOW;
	if (memcmp(p, "RSD PTR ", 8) != 0)
		return ACPI_ERR_RSDP_SIGNATURE;
	if (acpi_sum(p, RSDP_V1_LEN) != 0)
		return ACPI_ERR_RSDP_CHECKSUM;
	if (acpi_u8(p + 15) < 2)
		return ACPI_ERR_RSDP_REVISION;
	/* The 2.0 fields, the length among them, only once all 36 bytes are inside. */
	if (!in_window(win, rsdp, RSDP_LEN) || acpi_u32(p + 20) != RSDP_LEN)
		return ACPI_ERR_RSDP_LENGTH;
	if (acpi_sum(p, RSDP_LEN) != 0)
		return ACPI_ERR_RSDP_XCHECKSUM;
	*xsdt = acpi_u64(p + 24);
	return ACPI_OK;
}

/* A table's header: inside the window, length >= 36, checksum 0. */
static int read_sdt(const struct acpi_window *win, uint64_t addr, struct acpi_table *t)
{
	const uint8_t *p = in_window(win, addr, ACPI_SDT_HEADER);
	uint32_t len;

	if (!p)
		return ACPI_ERR_SDT_WINDOW;
	len = acpi_u32(p + 4);
	if (len < ACPI_SDT_HEADER || !in_window(win, addr, len))
		return ACPI_ERR_SDT_LENGTH;
	if (acpi_sum(p, len) != 0)
		return ACPI_ERR_SDT_CHECKSUM;
	t->p = p;
	t->len = len;
	return ACPI_OK;
}

/* Finds the wanted tables among the XSDT's entries (others are not read). */
static int read_xsdt(const struct acpi_window *win, uint64_t addr, struct acpi_table *found)
{
	struct acpi_table xsdt, t;
	uint32_t i, n;
	int ret, k;

	ret = read_sdt(win, addr, &xsdt);
	if (ret)
		return ret;
	if (memcmp(xsdt.p, "XSDT", 4) != 0)
		return ACPI_ERR_XSDT_SIGNATURE;
	if ((xsdt.len - ACPI_SDT_HEADER) % 8)
		return ACPI_ERR_XSDT_LENGTH;
	n = (xsdt.len - ACPI_SDT_HEADER) / 8;
	if (n > ACPI_MAX_TABLES)
		return ACPI_ERR_XSDT_TOO_MANY;
	for (i = 0; i < n; i++) {
		ret = read_sdt(win, acpi_u64(xsdt.p + ACPI_SDT_HEADER + 8 * i), &t);
		if (ret)
			return ret;
		for (k = 0; k < T_COUNT; k++) {
			if (memcmp(t.p, wanted_sig[k], 4) != 0)
				continue;
			if (found[k].p)
				return ACPI_ERR_XSDT_DUPLICATE;
			found[k] = t;
		}
	}
	return ACPI_OK;
}

static void default_distances(struct acpi_info *out)
{
	unsigned i, j;

	for (i = 0; i < ACPI_MAX_NODES; i++)
		for (j = 0; j < ACPI_MAX_NODES; j++)
			out->dist[i][j] = i == j ? ACPI_DIST_LOCAL : ACPI_DIST_REMOTE;
}

static int parse(const struct acpi_window *win, uint64_t rsdp, struct acpi_info *out)
{
	struct acpi_table found[T_COUNT] = {{0}};
	uint64_t xsdt;
	int ret;

	ret = read_rsdp(win, rsdp, &xsdt);
	if (!ret)
		ret = read_xsdt(win, xsdt, found);
	if (ret)
		return ret;
	if (!found[T_MADT].p)
		return ACPI_ERR_MADT_MISSING;
	if (!found[T_GTDT].p)
		return ACPI_ERR_GTDT_MISSING;
	if (!found[T_SPCR].p)
		return ACPI_ERR_SPCR_MISSING;
	if (found[T_SLIT].p && !found[T_SRAT].p)
		return ACPI_ERR_SLIT_NO_SRAT;
	ret = acpi_madt_read(&found[T_MADT], out);
	if (!ret)
		ret = acpi_gtdt_read(&found[T_GTDT], out);
	if (!ret)
		ret = acpi_spcr_read(&found[T_SPCR], out);
	if (ret)
		return ret;
	default_distances(out);
	out->n_nodes = 1;
	if (found[T_SRAT].p) {
		ret = acpi_srat_read(&found[T_SRAT], out);
		if (ret)
			return ret;
	}
	if (found[T_SLIT].p)
		ret = acpi_slit_read(&found[T_SLIT], out);
	return ret;
}

int acpi_parse(const struct acpi_window *win, uint64_t rsdp, struct acpi_info *out)
{
	int ret;

	memset(out, 0, sizeof(*out));
	ret = parse(win, rsdp, out);
	if (ret)
		memset(out, 0, sizeof(*out));
	return ret;
}

#define ACPI_ERR_CASE(n, name, msg)                                                                \
	case ACPI_ERR_##name:                                                                      \
		return msg;

const char *acpi_strerror(int err)
{
	switch (err) {
	case ACPI_OK:
		return "success";
		ACPI_ERRORS(ACPI_ERR_CASE)
	default:
		return "unknown error";
	}
}
