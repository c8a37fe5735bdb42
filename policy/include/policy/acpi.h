/* SPDX-License-Identifier: MIT */
/*
 * Reads the machine description an Arm server's firmware gives in ACPI:
 * RSDP -> XSDT -> MADT (CPUs by MPIDR, GIC distributor and redistributors),
 * GTDT (timer interrupts), SPCR (the console UART), SRAT (memory and CPU
 * proximity domains) and SLIT (distances). Hardware-free: the tables are
 * read through a window (a physical address range and where its bytes are
 * in this address space), and every table a pointer names must lie wholly
 * inside it. Every length, offset and checksum is checked; each failure
 * has its own code, and acpi_strerror() names the table and the field.
 */
#ifndef POLICY_ACPI_H
#define POLICY_ACPI_H

#include <stddef.h>
#include <stdint.h>

#define ACPI_MAX_CPUS 8
#define ACPI_MAX_GICR 4
#define ACPI_MAX_MEM 8
#define ACPI_MAX_NODES 4
#define ACPI_MAX_TABLES 32 /* XSDT entries looked at */

/* Distances when there is no SLIT (ACPI 6.5, 5.2.17: local 10, remote 20). */
#define ACPI_DIST_LOCAL 10
#define ACPI_DIST_REMOTE 20

/* The physical range [base, base + size) is readable at @bytes. */
struct acpi_window {
	uint64_t base;
	const uint8_t *bytes;
	uint64_t size;
};

struct acpi_cpu {
	uint64_t mpidr; /* MADT GICC MPIDR (Aff3..Aff0 only) */
	uint32_t uid;   /* ACPI processor UID: SRAT's GICC affinity names CPUs by it */
	uint32_t node;  /* SRAT proximity domain, 0 without an SRAT */
};

struct acpi_mem_region {
	uint64_t base;
	uint64_t size;
	uint32_t node;
};

struct acpi_info {
	unsigned n_cpus;
	struct acpi_cpu cpu[ACPI_MAX_CPUS]; /* enabled GICCs, in MADT order */
	uint64_t gicd_base;
	uint8_t gic_version;
	unsigned n_gicr;
	struct acpi_mem_region gicr[ACPI_MAX_GICR]; /* redistributor discovery ranges */
	/* GTDT GSIVs (= INTIDs; PPIs for the per-CPU timers). */
	uint32_t timer_sec_el1, timer_ns_el1, timer_virt, timer_ns_el2;
	uint64_t uart_base;  /* SPCR base address (system memory) */
	uint32_t uart_gsiv;  /* SPCR GSIV, 0 if the UART is polled */
	uint8_t uart_type;   /* SPCR interface type: 3 = PL011 */
	unsigned n_mem;      /* SRAT memory affinity, enabled entries, sorted */
	struct acpi_mem_region mem[ACPI_MAX_MEM];
	unsigned n_nodes;    /* 1 without an SRAT */
	uint8_t dist[ACPI_MAX_NODES][ACPI_MAX_NODES]; /* SLIT, or 10/20 without one */
	uint8_t has_srat, has_slit;
};

/* X(code, name, message): codes are -1, -2, ... in this order. */
#define ACPI_ERRORS(X)                                                                      \
	X(1, RSDP_WINDOW, "RSDP: address not inside the table window")                       \
	X(2, RSDP_SIGNATURE, "RSDP: signature is not \"RSD PTR \"")                           \
	X(3, RSDP_CHECKSUM, "RSDP: checksum (first 20 bytes) is wrong")                      \
	X(4, RSDP_REVISION, "RSDP: revision below 2 (no XSDT)")                              \
	X(5, RSDP_LENGTH, "RSDP: length is not 36 or runs past the window")                  \
	X(6, RSDP_XCHECKSUM, "RSDP: extended checksum is wrong")                             \
	X(7, SDT_WINDOW, "table header: address not inside the table window")                \
	X(8, SDT_LENGTH, "table header: length below 36 or runs past the window")           \
	X(9, SDT_CHECKSUM, "table header: checksum is wrong")                                \
	X(10, XSDT_SIGNATURE, "XSDT: signature is not \"XSDT\"")                              \
	X(11, XSDT_LENGTH, "XSDT: length is not 36 plus whole 8-byte entries")                \
	X(12, XSDT_TOO_MANY, "XSDT: more entries than ACPI_MAX_TABLES")                       \
	X(13, XSDT_DUPLICATE, "XSDT: one of MADT/GTDT/SPCR/SRAT/SLIT listed twice")          \
	X(14, MADT_MISSING, "MADT: no APIC table in the XSDT")                                \
	X(15, MADT_LENGTH, "MADT: table shorter than its 44-byte header")                    \
	X(16, MADT_ENTRY_LENGTH, "MADT: entry length below 2 or runs past the table")         \
	X(17, MADT_GICC_LENGTH, "MADT: GICC entry length is not 76 or 80")                    \
	X(18, MADT_GICC_MPIDR, "MADT: GICC MPIDR has bits outside Aff3..Aff0")               \
	X(19, MADT_GICC_DUPLICATE, "MADT: two GICCs with one MPIDR or one processor UID")    \
	X(20, MADT_GICC_TOO_MANY, "MADT: more enabled GICCs than ACPI_MAX_CPUS")             \
	X(21, MADT_NO_GICC, "MADT: no enabled GICC")                                          \
	X(22, MADT_GICD_LENGTH, "MADT: GICD entry length is not 24")                          \
	X(23, MADT_GICD_COUNT, "MADT: not exactly one GICD")                                  \
	X(24, MADT_GICD_VERSION, "MADT: GICD version is not 3")                               \
	X(25, MADT_GICR_LENGTH, "MADT: GICR entry length is not 16")                          \
	X(26, MADT_GICR_RANGE, "MADT: GICR discovery range is empty or wraps")              \
	X(27, MADT_GICR_TOO_MANY, "MADT: more GICR ranges than ACPI_MAX_GICR")                \
	X(28, MADT_NO_GICR, "MADT: no GICR range (GICv3 needs one)")                         \
	X(29, GTDT_MISSING, "GTDT: no GTDT in the XSDT")                                      \
	X(30, GTDT_LENGTH, "GTDT: table shorter than 96 bytes")                               \
	X(31, GTDT_GSIV, "GTDT: a per-CPU timer GSIV is not a PPI (16..31)")                 \
	X(32, SPCR_MISSING, "SPCR: no SPCR in the XSDT")                                      \
	X(33, SPCR_LENGTH, "SPCR: table shorter than 80 bytes")                               \
	X(34, SPCR_ADDRESS_SPACE, "SPCR: base address is not in system memory")              \
	X(35, SPCR_ADDRESS, "SPCR: base address is zero or not 4 KiB aligned")               \
	X(36, SRAT_LENGTH, "SRAT: table shorter than its 48-byte header")                    \
	X(37, SRAT_ENTRY_LENGTH, "SRAT: entry length below 2 or runs past the table")         \
	X(38, SRAT_MEM_LENGTH, "SRAT: memory affinity entry length is not 40")                \
	X(39, SRAT_MEM_RANGE, "SRAT: memory range is empty or wraps")                        \
	X(40, SRAT_MEM_OVERLAP, "SRAT: two memory ranges overlap")                            \
	X(41, SRAT_MEM_TOO_MANY, "SRAT: more memory ranges than ACPI_MAX_MEM")                \
	X(42, SRAT_GICC_LENGTH, "SRAT: GICC affinity entry length is not 18")                 \
	X(43, SRAT_GICC_UID, "SRAT: GICC affinity names a processor UID not in the MADT")    \
	X(44, SRAT_GICC_DUPLICATE, "SRAT: two GICC affinities for one processor UID")        \
	X(45, SRAT_DOMAIN, "SRAT: proximity domain not below ACPI_MAX_NODES")                 \
	X(46, SLIT_LENGTH, "SLIT: length is not 44 + localities squared")                    \
	X(47, SLIT_LOCALITIES, "SLIT: locality count below the SRAT's domains or too big")   \
	X(48, SLIT_DIAGONAL, "SLIT: a node's distance to itself is not 10")                  \
	X(49, SLIT_DISTANCE, "SLIT: a distance between two nodes is below 11")              \
	X(50, SLIT_NO_SRAT, "SLIT: present without an SRAT")

#define ACPI_ERR_ENUM(n, name, msg) ACPI_ERR_##name = -(n),
enum acpi_err { ACPI_OK = 0, ACPI_ERRORS(ACPI_ERR_ENUM) ACPI_ERR_LAST = -51 };
#undef ACPI_ERR_ENUM

/*
 * Reads the tables reachable from the RSDP at physical @rsdp through @win.
 * Returns ACPI_OK with *out filled, or an ACPI_ERR_* code with *out zeroed.
 */
int acpi_parse(const struct acpi_window *win, uint64_t rsdp, struct acpi_info *out);
/* "TABLE: what is wrong", never NULL ("unknown error" for a foreign code). */
const char *acpi_strerror(int err);

#endif
