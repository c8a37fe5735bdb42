/* SPDX-License-Identifier: MIT */
/*
 * PE32+ loading for EBC images (Microsoft PE/COFF specification; UEFI
 * images are PE32+ with subsystem 10..13). Only what a UEFI loader needs:
 * headers, sections, DIR64 base relocations. Every offset read from the
 * file is checked against the file's length, every write against the
 * destination, with overflow-free arithmetic (sizes are below 2^32 and
 * computed in 64 bits).
 */
#include <string.h>

#include "pe.h"

#define REL_ABSOLUTE 0
#define REL_DIR64 10

static const char *const names[EBC_PE_STATUS_COUNT] = {
    [EBC_PE_OK] = "ok",
    [EBC_PE_TRUNCATED] = "file too short for its headers",
    [EBC_PE_NO_MZ] = "no DOS (MZ) header: not a PE image",
    [EBC_PE_BAD_LFANEW] = "PE header offset outside the file",
    [EBC_PE_NO_PE] = "no PE signature",
    [EBC_PE_NOT_EBC] = "machine type is not EBC (0x0EBC)",
    [EBC_PE_NOT_PE32PLUS] = "not a PE32+ image (optional header magic is not 0x20B)",
    [EBC_PE_BAD_OPTHDR] = "optional header too small or inconsistent",
    [EBC_PE_TOO_BIG] = "SizeOfImage too large for the loader",
    [EBC_PE_BAD_SECTION] = "a section lies outside the file or the image",
    [EBC_PE_BAD_ENTRY] = "entry point outside the image (or odd)",
    [EBC_PE_NO_RELOC] = "no relocation table: the image cannot be loaded elsewhere",
    [EBC_PE_BAD_RELOC] = "malformed or unsupported base relocation",
};

const char *ebc_pe_status_str(enum ebc_pe_status st)
{
	return (unsigned)st < EBC_PE_STATUS_COUNT ? names[st] : "unknown PE status";
}

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const uint8_t *p)
{
	return rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void wr64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static bool fits(uint64_t off, uint64_t len, uint64_t size)
{
	return off <= size && len <= size - off;
}

static enum ebc_pe_status apply_relocs(uint8_t *img, uint32_t size, uint32_t rva, uint32_t len,
				       uint64_t delta, uint32_t *count)
{
	uint64_t pos = rva, end = (uint64_t)rva + len;

	if (!fits(rva, len, size))
		return EBC_PE_BAD_RELOC;
	/* Each block is at least 8 bytes, so this loop ends within len / 8 rounds. */
	while (pos + 8 <= end) {
		uint32_t page = rd32(img + pos), bsize = rd32(img + pos + 4);

		if (bsize < 8 || (bsize & 1) || bsize > end - pos)
			return EBC_PE_BAD_RELOC;
		for (uint32_t i = 8; i < bsize; i += 2) {
			uint16_t e = rd16(img + pos + i);
			uint64_t at = (uint64_t)page + (e & 0xfff);

			if (e >> 12 == REL_ABSOLUTE)
				continue;
			if (e >> 12 != REL_DIR64 || !fits(at, 8, size))
				return EBC_PE_BAD_RELOC;
			wr64(img + at, rd64(img + at) + delta);
			(*count)++;
		}
		pos += bsize;
	}
	return pos == end ? EBC_PE_OK : EBC_PE_BAD_RELOC;
}

enum ebc_pe_status ebc_pe_load(const uint8_t *f, size_t len, uint8_t *dst, size_t dst_size,
			       uint64_t load_addr, struct ebc_pe_info *info)
{
	uint32_t pe, opt, nsec, optsize, hdrs, ndirs, sect;
	uint64_t delta;

	*info = (struct ebc_pe_info){0};
	if (len < 0x40)
		return EBC_PE_TRUNCATED;
	if (f[0] != 'M' || f[1] != 'Z')
		return EBC_PE_NO_MZ;
	pe = rd32(f + 0x3c);
	if (!fits(pe, 24, len))
		return EBC_PE_BAD_LFANEW;
	if (memcmp(f + pe, "PE\0\0", 4))
		return EBC_PE_NO_PE;
	if (rd16(f + pe + 4) != EBC_PE_MACHINE)
		return EBC_PE_NOT_EBC;
	nsec = rd16(f + pe + 6);
	optsize = rd16(f + pe + 20);
	opt = pe + 24;
	if (!fits(opt, optsize, len) || optsize < 112)
		return optsize < 112 ? EBC_PE_BAD_OPTHDR : EBC_PE_TRUNCATED;
	if (rd16(f + opt) != 0x20b)
		return EBC_PE_NOT_PE32PLUS;
	info->entry_rva = rd32(f + opt + 16);
	info->image_base = rd64(f + opt + 24);
	info->size_of_image = rd32(f + opt + 56);
	hdrs = rd32(f + opt + 60);
	info->subsystem = rd16(f + opt + 68);
	ndirs = rd32(f + opt + 108);
	if (ndirs > 16 || 112 + (uint64_t)ndirs * 8 > optsize)
		return EBC_PE_BAD_OPTHDR;
	if (info->size_of_image > dst_size)
		return EBC_PE_TOO_BIG;
	sect = opt + optsize;
	if (!fits(sect, (uint64_t)nsec * 40, len))
		return EBC_PE_TRUNCATED;
	if (hdrs > len || hdrs > info->size_of_image || hdrs < sect + nsec * 40)
		return EBC_PE_BAD_OPTHDR;
	memset(dst, 0, dst_size);
	memcpy(dst, f, hdrs);
	for (uint32_t i = 0; i < nsec; i++) {
		const uint8_t *s = f + sect + i * 40;
		uint32_t vsize = rd32(s + 8), va = rd32(s + 12), raw = rd32(s + 16);
		uint32_t rawptr = rd32(s + 20), n = raw < vsize ? raw : vsize;

		if (!fits(va, vsize, info->size_of_image) || !fits(rawptr, n, len) || va < hdrs)
			return EBC_PE_BAD_SECTION;
		memcpy(dst + va, f + rawptr, n);
	}
	if ((info->entry_rva & 1) || info->entry_rva < hdrs ||
	    !fits(info->entry_rva, 2, info->size_of_image))
		return EBC_PE_BAD_ENTRY;
	if (ndirs < 6 || !rd32(f + opt + 112 + 5 * 8))
		return EBC_PE_NO_RELOC;
	delta = load_addr - info->image_base;
	return apply_relocs(dst, info->size_of_image, rd32(f + opt + 112 + 5 * 8),
			    rd32(f + opt + 112 + 5 * 8 + 4), delta, &info->relocations);
}
