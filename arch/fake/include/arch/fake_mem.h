/* SPDX-License-Identifier: MIT */
/*
 * Fake physical memory for host tests: a pool of 4 KiB table pages in a
 * host buffer that pretends to live at a physical base address. Provides
 * the pt_mem_ops the page-table code walks through.
 */
#ifndef ARCH_FAKE_MEM_H
#define ARCH_FAKE_MEM_H

#include <stdint.h>

#include <policy/pgtable.h>

#define FAKE_MEM_NO_LIMIT (~0U)

struct fake_mem {
	uint8_t *buf;        /* n_pages * PAGE_SIZE, PAGE_SIZE aligned */
	uint64_t base_pa;    /* fake physical address of buf[0] */
	unsigned n_pages;
	unsigned next_free;  /* pages are handed out in order, never freed */
	unsigned alloc_limit; /* further allocations allowed; FAKE_MEM_NO_LIMIT */
	struct pt_mem_ops ops;
};

/* 0 on success, -1 if base_pa is unaligned or the host allocation fails. */
int fake_mem_init(struct fake_mem *m, uint64_t base_pa, unsigned n_pages);
void fake_mem_destroy(struct fake_mem *m);

/* Allow only @n more successful alloc_table calls (to test NOMEM). */
void fake_mem_set_alloc_limit(struct fake_mem *m, unsigned n);

/* Allocate a zeroed page directly (e.g. a root table); 0 on success. */
int fake_mem_alloc(struct fake_mem *m, uint64_t *pa_out);

/* Host pointer for a fake pa of an allocated page, NULL otherwise. */
uint64_t *fake_mem_ptr(struct fake_mem *m, uint64_t pa);

/* Pages handed out so far. */
unsigned fake_mem_used(const struct fake_mem *m);

#endif
