/* SPDX-License-Identifier: MIT */
/*
 * The PE32+ loader for EBC images (ebc/pe.c) on arbitrary files: the
 * input is the file. Properties: no memory error (ASan: every read within
 * the file, every write within the destination); a loaded image has an
 * even entry point inside SizeOfImage, which fits the destination, and a
 * known status otherwise.
 */
#include <stdint.h>
#include <string.h>

#include "pe.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t img[0x10000];
	struct ebc_pe_info info;
	enum ebc_pe_status st;

	st = ebc_pe_load(data, size, img, sizeof(img), 0x40000000, &info);
	FUZZ_CHECK(st < EBC_PE_STATUS_COUNT, "status %d", st);
	if (st == EBC_PE_OK) {
		FUZZ_CHECK(info.size_of_image <= sizeof(img), "SizeOfImage %u", info.size_of_image);
		FUZZ_CHECK(info.entry_rva + 2 <= info.size_of_image && !(info.entry_rva & 1),
			   "entry %#x", info.entry_rva);
	}
	return 0;
}
