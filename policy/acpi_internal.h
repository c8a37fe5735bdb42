/* SPDX-License-Identifier: MIT */
/*
 * Shared by the ACPI table readers (policy/acpi*.c), not an interface:
 * little-endian loads a byte at a time (tables are packed, any alignment),
 * and one table whose header, length and checksum acpi.c has checked.
 */
#ifndef POLICY_ACPI_INTERNAL_H
#define POLICY_ACPI_INTERNAL_H

#include <policy/acpi.h>

#define ACPI_SDT_HEADER 36

struct acpi_table {
	const uint8_t *p; /* the header's first byte */
	uint32_t len;	  /* the header's length: >= 36, all of it inside the window */
};

static inline uint64_t acpi_le(const uint8_t *p, unsigned n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

#define acpi_u8(p) ((uint8_t)(p)[0])
#define acpi_u16(p) ((uint16_t)acpi_le((p), 2))
#define acpi_u32(p) ((uint32_t)acpi_le((p), 4))
#define acpi_u64(p) acpi_le((p), 8)

/* Sum of @n bytes modulo 256: a valid ACPI checksum range sums to 0. */
static inline uint8_t acpi_sum(const uint8_t *p, uint64_t n)
{
	uint8_t s = 0;

	while (n--)
		s = (uint8_t)(s + *p++);
	return s;
}

int acpi_madt_read(const struct acpi_table *t, struct acpi_info *out);
int acpi_gtdt_read(const struct acpi_table *t, struct acpi_info *out);
int acpi_spcr_read(const struct acpi_table *t, struct acpi_info *out);
/* After acpi_madt_read: sets each CPU's node. */
int acpi_srat_read(const struct acpi_table *t, struct acpi_info *out);
/* After acpi_srat_read. */
int acpi_slit_read(const struct acpi_table *t, struct acpi_info *out);

#endif
