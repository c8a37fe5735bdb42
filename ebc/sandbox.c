/* SPDX-License-Identifier: MIT */
/* The sandbox host memory of ebc/sandbox.h. */
#include <string.h>

#include "sandbox.h"

void *ebc_sandbox_ptr(struct ebc_sandbox *sb, uint64_t addr, uint64_t len)
{
	uint64_t off = addr - sb->base;

	if (addr < sb->base || off > sb->size || len > sb->size - off)
		return NULL;
	return sb->mem + off;
}

bool ebc_sandbox_read(void *ctx, uint64_t addr, unsigned size, uint64_t *val)
{
	const uint8_t *p = ebc_sandbox_ptr(ctx, addr, size);
	uint64_t v = 0;

	if (!p || size > 8)
		return false;
	for (unsigned i = 0; i < size; i++)
		v |= (uint64_t)p[i] << (8 * i);
	*val = v;
	return true;
}

bool ebc_sandbox_write(void *ctx, uint64_t addr, unsigned size, uint64_t val)
{
	uint8_t *p = ebc_sandbox_ptr(ctx, addr, size);

	if (!p || size > 8)
		return false;
	for (unsigned i = 0; i < size; i++)
		p[i] = (uint8_t)(val >> (8 * i));
	return true;
}
