/* SPDX-License-Identifier: MIT */
/*
 * MADT (ACPI 6.5, 5.2.12): the enabled CPUs (GICC: MPIDR and processor
 * UID), the one GICv3 distributor (GICD) and the redistributor discovery
 * ranges (GICR). Other entry types (ITS, MSI frames) are stepped over, but
 * every entry's length is checked first, so a zero length cannot loop.
 */
#include <policy/acpi.h>

#include "acpi_internal.h"

#define MADT_HEADER 44
#define GICC 0x0b
#define GICD 0x0c
#define GICR 0x0e
#define GICC_LEN_60 76 /* ACPI 6.0..6.2 */
#define GICC_LEN_63 80 /* ACPI 6.3+: adds the SPE overflow interrupt */
#define GICC_ENABLED (1u << 0)
#define GICD_LEN 24
#define GICR_LEN 16
/* MPIDR_EL1 affinity fields: Aff3 [39:32], Aff2..Aff0 [23:0]. */
#define MPIDR_AFF_MASK 0xff00ffffffULL

static int read_gicc(const uint8_t *e, uint8_t len, struct acpi_info *out)
{
	uint64_t mpidr;
	uint32_t uid;
	unsigned i;

	if (len != GICC_LEN_60 && len != GICC_LEN_63)
		return ACPI_ERR_MADT_GICC_LENGTH;
	if (!(acpi_u32(e + 12) & GICC_ENABLED))
		return ACPI_OK;
	uid = acpi_u32(e + 8);
	mpidr = acpi_u64(e + 68);
	if (mpidr & ~MPIDR_AFF_MASK)
		return ACPI_ERR_MADT_GICC_MPIDR;
	/* Two CPUs with one MPIDR would make PSCI CPU_ON ambiguous; one UID, SRAT's. */
	for (i = 0; i < out->n_cpus; i++)
		if (out->cpu[i].mpidr == mpidr || out->cpu[i].uid == uid)
			return ACPI_ERR_MADT_GICC_DUPLICATE;
	if (out->n_cpus >= ACPI_MAX_CPUS)
		return ACPI_ERR_MADT_GICC_TOO_MANY;
	out->cpu[out->n_cpus].mpidr = mpidr;
	out->cpu[out->n_cpus].uid = uid;
	out->n_cpus++;
	return ACPI_OK;
}

static int read_gicd(const uint8_t *e, uint8_t len, unsigned *n_gicd, struct acpi_info *out)
{
	if (len != GICD_LEN)
		return ACPI_ERR_MADT_GICD_LENGTH;
	if (++*n_gicd > 1)
		return ACPI_ERR_MADT_GICD_COUNT;
	out->gicd_base = acpi_u64(e + 8);
	out->gic_version = acpi_u8(e + 20);
	if (out->gic_version != 3)
		return ACPI_ERR_MADT_GICD_VERSION;
	return ACPI_OK;
}

static int read_gicr(const uint8_t *e, uint8_t len, struct acpi_info *out)
{
	uint64_t base;
	uint32_t size;

	if (len != GICR_LEN)
		return ACPI_ERR_MADT_GICR_LENGTH;
	base = acpi_u64(e + 4);
	size = acpi_u32(e + 12);
	if (size == 0 || base + size < base)
		return ACPI_ERR_MADT_GICR_RANGE;
	if (out->n_gicr >= ACPI_MAX_GICR)
		return ACPI_ERR_MADT_GICR_TOO_MANY;
	out->gicr[out->n_gicr].base = base;
	out->gicr[out->n_gicr].size = size;
	out->n_gicr++;
	return ACPI_OK;
}

int acpi_madt_read(const struct acpi_table *t, struct acpi_info *out)
{
	unsigned n_gicd = 0;
	uint32_t off;
	int ret = ACPI_OK;

	if (t->len < MADT_HEADER)
		return ACPI_ERR_MADT_LENGTH;
	/* Each pass moves on by at least 2 bytes: at most len / 2 passes. */
	for (off = MADT_HEADER; off < t->len; off += t->p[off + 1]) {
		const uint8_t *e = t->p + off;
		uint8_t len;

		if (t->len - off < 2 || e[1] < 2 || e[1] > t->len - off)
			return ACPI_ERR_MADT_ENTRY_LENGTH;
		len = e[1];
		if (e[0] == GICC)
			ret = read_gicc(e, len, out);
		else if (e[0] == GICD)
			ret = read_gicd(e, len, &n_gicd, out);
		else if (e[0] == GICR)
			ret = read_gicr(e, len, out);
		if (ret)
			return ret;
	}
	if (out->n_cpus == 0)
		return ACPI_ERR_MADT_NO_GICC;
	if (n_gicd != 1)
		return ACPI_ERR_MADT_GICD_COUNT;
	if (out->n_gicr == 0)
		return ACPI_ERR_MADT_NO_GICR;
	return ACPI_OK;
}
