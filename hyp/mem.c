/* SPDX-License-Identifier: MIT */
/* Hands out RAM to VMs from the pool above the images (bump allocator). */
#include <lib/console.h>

#include "hyp.h"

#define CHUNK 0x200000UL

static uint64_t next, limit;

void mem_init(uint64_t base, uint64_t end)
{
	next = (base + CHUNK - 1) & ~(CHUNK - 1);
	limit = end;
}

uint64_t mem_alloc(uint64_t size)
{
	uint64_t p;

	size = (size + CHUNK - 1) & ~(CHUNK - 1);
	if (size == 0 || next + size > limit || next + size < next)
		return 0;
	p = next;
	next += size;
	return p;
}
