/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the libFuzzer targets: a reader that takes fixed-size
 * values from the fuzzer's bytes (zeros once they run out), and a check
 * that reports a broken property and aborts, so libFuzzer saves the input.
 */
#ifndef FUZZ_UTIL_H
#define FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

struct fuzz_in {
	const uint8_t *data;
	size_t size;
	size_t pos;
};

static inline int fuzz_left(const struct fuzz_in *in)
{
	return in->pos < in->size;
}

/* Little-endian, @n bytes (at most 8); missing bytes read as zero. */
static inline uint64_t fuzz_take(struct fuzz_in *in, unsigned n)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++, in->pos++)
		if (in->pos < in->size)
			v |= (uint64_t)in->data[in->pos] << (8 * i);
	return v;
}

#define fuzz_u8(in) ((uint8_t)fuzz_take((in), 1))
#define fuzz_u16(in) ((uint16_t)fuzz_take((in), 2))
#define fuzz_u32(in) ((uint32_t)fuzz_take((in), 4))
#define fuzz_u64(in) fuzz_take((in), 8)

#define FUZZ_CHECK(cond, ...)                                                  \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: property failed: %s\n  ",      \
				__FILE__, __LINE__, #cond);                    \
			fprintf(stderr, __VA_ARGS__);                          \
			fputc('\n', stderr);                                   \
			abort();                                               \
		}                                                              \
	} while (0)

#endif
