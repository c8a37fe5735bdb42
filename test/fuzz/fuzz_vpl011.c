/* SPDX-License-Identifier: MIT */
/*
 * The hypervisor's emulated PL011 (hyp/vpl011.c) driven by a hostile
 * guest and console: accesses of any offset, size and value, and input
 * bytes. Properties: no memory error; every line handed to the console is
 * at most VPL011_LINE_MAX bytes, starts with the prefix and holds only
 * printable ASCII (a guest must not be able to send terminal escapes or
 * break a line to impersonate another prefix).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "vpl011.h"
#include "fuzz_util.h"

static void emit(void *priv, const char *line, size_t len)
{
	size_t i;

	(void)priv;
	FUZZ_CHECK(len <= VPL011_LINE_MAX, "line of %zu bytes", len);
	FUZZ_CHECK(len >= 6 && !memcmp(line, "[vm0] ", 6), "line without its prefix");
	for (i = 0; i < len; i++)
		FUZZ_CHECK((line[i] >= 0x20 && line[i] < 0x7f) || line[i] == '\t',
			   "byte %#x at %zu", (unsigned char)line[i], i);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vpl011 u;
	struct fuzz_in in = { data, size, 0 };
	unsigned int steps;

	vpl011_init(&u, "vm0", emit, NULL);
	for (steps = 0; fuzz_left(&in) && steps < 4096; steps++) {
		uint8_t op = fuzz_u8(&in);
		uint64_t off = fuzz_u16(&in) % 0x1100, v = fuzz_u32(&in);
		unsigned int sz = 1U << (fuzz_u8(&in) % 4);

		if (op % 4 == 3)
			(void)vpl011_rx(&u, (char)v);
		else
			(void)vpl011_access(&u, off, sz, op & 1, &v);
		(void)vpl011_irq_level(&u);
		(void)vpl011_rx_space(&u);
	}
	vpl011_flush(&u);
	return 0;
}
