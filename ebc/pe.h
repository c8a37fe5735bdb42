/* SPDX-License-Identifier: MIT */
/*
 * A loader for PE32+ images of machine type 0x0EBC (ebc/pe.c): checks the
 * headers, copies the headers and sections to their RVAs in a buffer and
 * applies the base relocations for the address the buffer will have.
 * Hardware-free; the host runner (ebc-run) uses it. In firmware the DXE
 * core loads images itself and the driver only runs them.
 */
#ifndef EBC_PE_H
#define EBC_PE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EBC_PE_MACHINE 0x0ebc

enum ebc_pe_status {
	EBC_PE_OK = 0,
	EBC_PE_TRUNCATED,    /* the file ends inside a header */
	EBC_PE_NO_MZ,	     /* no DOS header */
	EBC_PE_BAD_LFANEW,   /* the PE header offset is outside the file */
	EBC_PE_NO_PE,	     /* no "PE\0\0" signature */
	EBC_PE_NOT_EBC,	     /* machine type is not 0x0EBC */
	EBC_PE_NOT_PE32PLUS, /* optional header magic is not 0x20B */
	EBC_PE_BAD_OPTHDR,   /* optional header too small for what it claims */
	EBC_PE_TOO_BIG,	     /* SizeOfImage larger than the buffer */
	EBC_PE_BAD_SECTION,  /* a section outside the file or the image */
	EBC_PE_BAD_ENTRY,    /* entry point outside the image or odd */
	EBC_PE_NO_RELOC,     /* no relocation table (the image cannot be moved) */
	EBC_PE_BAD_RELOC,    /* a malformed block or an unsupported relocation type */
	EBC_PE_STATUS_COUNT
};

struct ebc_pe_info {
	uint64_t image_base; /* the address the image was linked for */
	uint32_t size_of_image;
	uint32_t entry_rva;
	uint16_t subsystem;
	uint32_t relocations; /* DIR64 fix-ups applied */
};

/*
 * Loads @file (@len bytes) into @dst (@dst_size bytes, which will sit at
 * EBC address @load_addr). Every field is checked against the file and
 * the buffer before use. Returns EBC_PE_OK and fills @info, or the first
 * problem found; @dst is then unspecified.
 */
enum ebc_pe_status ebc_pe_load(const uint8_t *file, size_t len, uint8_t *dst, size_t dst_size,
			       uint64_t load_addr, struct ebc_pe_info *info);

const char *ebc_pe_status_str(enum ebc_pe_status st);

#endif /* EBC_PE_H */
