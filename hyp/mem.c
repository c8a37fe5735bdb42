/* SPDX-License-Identifier: MIT */
/*
 * Hands out RAM to VMs from the pool above the images, in 2 MiB chunks
 * (first fit, contiguous), and takes it back when a VM is destroyed. The
 * CIEE has zeroed and given back every page before mem_free() sees it.
 */
#include <stdbool.h>

#include <lib/console.h>
#include <lib/spinlock.h>

#include "hyp.h"

#define CHUNK 0x200000UL
/* Enough chunks for every byte of RAM the machine may have (2 GiB). */
#define MAX_CHUNKS 1024U

static struct spinlock mem_lock = SPINLOCK_INIT;
static uint64_t pool_base;
static unsigned int n_chunks, n_free;
static uint64_t used[MAX_CHUNKS / 64];

static bool chunk_used(unsigned int c)
{
	return used[c / 64] & (1UL << (c % 64));
}

static void chunk_set(unsigned int c, bool on)
{
	if (on)
		used[c / 64] |= 1UL << (c % 64);
	else
		used[c / 64] &= ~(1UL << (c % 64));
}

void mem_init(uint64_t base, uint64_t end)
{
	pool_base = (base + CHUNK - 1) & ~(CHUNK - 1);
	n_chunks = end > pool_base ? (unsigned int)((end - pool_base) / CHUNK) : 0;
	if (n_chunks > MAX_CHUNKS)
		n_chunks = MAX_CHUNKS;
	n_free = n_chunks;
}

/* Chunks in [from, to) of the pool that no one may have (staging areas, CIEE data). */
void mem_reserve(uint64_t from, uint64_t to)
{
	uint64_t pa;

	for (pa = from & ~(CHUNK - 1); pa < to; pa += CHUNK) {
		unsigned int c;

		if (pa < pool_base)
			continue;
		c = (unsigned int)((pa - pool_base) / CHUNK);
		if (c < n_chunks && !chunk_used(c)) {
			chunk_set(c, true);
			n_free--;
		}
	}
}

/* The pool's chunks [*lo, *hi) that lie wholly inside [from, to). */
static void chunk_span(uint64_t from, uint64_t to, unsigned int *lo, unsigned int *hi)
{
	uint64_t a = from > pool_base ? from - pool_base : 0;
	uint64_t b = to > pool_base ? to - pool_base : 0;

	a = (a + CHUNK - 1) / CHUNK;
	b /= CHUNK;
	*lo = a < n_chunks ? (unsigned int)a : n_chunks;
	*hi = b < n_chunks ? (unsigned int)b : n_chunks;
}

uint64_t mem_alloc(uint64_t size)
{
	return mem_alloc_in(size, 0, ~0ULL);
}

uint64_t mem_alloc_in(uint64_t size, uint64_t from, uint64_t to)
{
	unsigned int need, c, run = 0, lo, hi;
	uint64_t p = 0;

	size = (size + CHUNK - 1) & ~(CHUNK - 1);
	if (size == 0 || size / CHUNK > n_chunks)
		return 0;
	need = (unsigned int)(size / CHUNK);
	spin_lock(&mem_lock);
	chunk_span(from, to, &lo, &hi);
	for (c = lo; c < hi; c++) {
		run = chunk_used(c) ? 0 : run + 1;
		if (run == need) {
			unsigned int first = c + 1 - need, i;

			for (i = first; i <= c; i++)
				chunk_set(i, true);
			n_free -= need;
			p = pool_base + (uint64_t)first * CHUNK;
			break;
		}
	}
	spin_unlock(&mem_lock);
	return p;
}

void mem_free(uint64_t pa, uint64_t size)
{
	unsigned int c, first;

	size = (size + CHUNK - 1) & ~(CHUNK - 1);
	if (pa < pool_base || (pa - pool_base) % CHUNK) {
		con_printf("error: freeing 0x%llx, not a chunk of the VM pool\n",
			   (unsigned long long)pa);
		return;
	}
	first = (unsigned int)((pa - pool_base) / CHUNK);
	spin_lock(&mem_lock);
	for (c = first; c < first + size / CHUNK && c < n_chunks; c++) {
		if (chunk_used(c)) {
			chunk_set(c, false);
			n_free++;
		}
	}
	spin_unlock(&mem_lock);
}

uint64_t mem_free_bytes(void)
{
	return (uint64_t)n_free * CHUNK;
}

uint64_t mem_free_in(uint64_t from, uint64_t to)
{
	unsigned int c, lo, hi, n = 0;

	spin_lock(&mem_lock);
	chunk_span(from, to, &lo, &hi);
	for (c = lo; c < hi; c++)
		n += !chunk_used(c);
	spin_unlock(&mem_lock);
	return (uint64_t)n * CHUNK;
}
