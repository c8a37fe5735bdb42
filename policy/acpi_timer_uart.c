/* SPDX-License-Identifier: MIT */
/*
 * GTDT (ACPI 6.5, 5.2.25): the generic timer's interrupts; SPCR
 * (Microsoft's Serial Port Console Redirection table, revision 2+): the
 * console UART's type, base address and interrupt.
 */
#include <policy/acpi.h>

#include "acpi_internal.h"

#define GTDT_MIN_LEN 96 /* up to the platform timer offset (ACPI 5.1+) */
#define SPCR_MIN_LEN 80
#define GAS_SYSTEM_MEMORY 0
#define PPI_FIRST 16
#define PPI_LAST 31

static int is_ppi(uint32_t gsiv)
{
	return gsiv >= PPI_FIRST && gsiv <= PPI_LAST;
}

int acpi_gtdt_read(const struct acpi_table *t, struct acpi_info *out)
{
	if (t->len < GTDT_MIN_LEN)
		return ACPI_ERR_GTDT_LENGTH;
	out->timer_sec_el1 = acpi_u32(t->p + 48);
	out->timer_ns_el1 = acpi_u32(t->p + 56);
	out->timer_virt = acpi_u32(t->p + 64);
	out->timer_ns_el2 = acpi_u32(t->p + 72);
	/* The per-CPU timers are PPIs; anything else would route the wrong line. */
	if (!is_ppi(out->timer_sec_el1) || !is_ppi(out->timer_ns_el1) || !is_ppi(out->timer_virt) ||
	    !is_ppi(out->timer_ns_el2))
		return ACPI_ERR_GTDT_GSIV;
	return ACPI_OK;
}

int acpi_spcr_read(const struct acpi_table *t, struct acpi_info *out)
{
	const uint8_t *gas = t->p + 40;

	if (t->len < SPCR_MIN_LEN)
		return ACPI_ERR_SPCR_LENGTH;
	if (acpi_u8(gas) != GAS_SYSTEM_MEMORY)
		return ACPI_ERR_SPCR_ADDRESS_SPACE;
	out->uart_type = acpi_u8(t->p + 36);
	out->uart_base = acpi_u64(gas + 4);
	if (out->uart_base == 0 || (out->uart_base & 0xfff))
		return ACPI_ERR_SPCR_ADDRESS;
	out->uart_gsiv = acpi_u32(t->p + 54);
	return ACPI_OK;
}
