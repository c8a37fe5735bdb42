/* SPDX-License-Identifier: MIT */
/*
 * EBC natural indexing (UEFI specification, "Natural Indexing"): an index
 * of N bits holds, from the top, a sign bit, a 3-bit field w, then the
 * constant units c and, in the low A = w * (N / 8) bits, the natural units
 * n. The byte offset is (c + n * sizeof(void *)), negated if the sign bit
 * is set. This is what lets one EBC image address structures holding
 * pointers on 32- and 64-bit machines alike.
 */
#include "vm.h"

/*
 * Returns false when the natural-units field is wider than the bits left
 * for it (only possible for 16-bit indexes, w = 7): such an index has no
 * meaning and the instruction holding it is malformed.
 */
bool ebc_index_decode(uint64_t raw, unsigned bits, int64_t *offset)
{
	unsigned nbits, cbits;
	uint64_t n, c, off;

	if (bits != 16 && bits != 32 && bits != 64)
		return false;
	if (bits < 64)
		raw &= (1ULL << bits) - 1;
	nbits = (unsigned)((raw >> (bits - 4)) & 7) * (bits / 8);
	if (nbits > bits - 4)
		return false;
	cbits = bits - 4 - nbits;
	/* nbits <= 56 and cbits <= 60: no shift reaches 64. */
	n = raw & ((1ULL << nbits) - 1);
	c = (raw >> nbits) & ((1ULL << cbits) - 1);
	/* n < 2^56 and c < 2^60: the sum cannot overflow 64 bits. */
	off = c + n * EBC_NATURAL;
	*offset = (raw >> (bits - 1)) & 1 ? -(int64_t)off : (int64_t)off;
	return true;
}
