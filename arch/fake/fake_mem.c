/* SPDX-License-Identifier: MIT */
/* Fake physical table memory for host tests; see arch/fake_mem.h. */
#include <arch/fake_mem.h>

#include <stdlib.h>
#include <string.h>

static uint64_t *fake_table_ptr(void *ctx, uint64_t pa)
{
	return fake_mem_ptr(ctx, pa);
}

static int fake_alloc_table(void *ctx, uint64_t *pa_out)
{
	return fake_mem_alloc(ctx, pa_out);
}

int fake_mem_init(struct fake_mem *m, uint64_t base_pa, unsigned n_pages)
{
	memset(m, 0, sizeof(*m));
	if ((base_pa & (PAGE_SIZE - 1)) || n_pages == 0)
		return -1;
	m->buf = aligned_alloc(PAGE_SIZE, (size_t)n_pages * PAGE_SIZE);
	if (!m->buf)
		return -1;
	/* Garbage, not zero: allocation must be what zeroes a table. */
	memset(m->buf, 0xa5, (size_t)n_pages * PAGE_SIZE);
	m->base_pa = base_pa;
	m->n_pages = n_pages;
	m->alloc_limit = FAKE_MEM_NO_LIMIT;
	m->ops.table_ptr = fake_table_ptr;
	m->ops.alloc_table = fake_alloc_table;
	m->ops.ctx = m;
	return 0;
}

void fake_mem_destroy(struct fake_mem *m)
{
	free(m->buf);
	m->buf = NULL;
	m->n_pages = 0;
}

void fake_mem_set_alloc_limit(struct fake_mem *m, unsigned n)
{
	m->alloc_limit = n;
}

int fake_mem_alloc(struct fake_mem *m, uint64_t *pa_out)
{
	uint8_t *page;

	if (m->next_free >= m->n_pages || m->alloc_limit == 0)
		return -1;
	if (m->alloc_limit != FAKE_MEM_NO_LIMIT)
		m->alloc_limit--;
	page = m->buf + (size_t)m->next_free * PAGE_SIZE;
	memset(page, 0, PAGE_SIZE);
	*pa_out = m->base_pa + (uint64_t)m->next_free * PAGE_SIZE;
	m->next_free++;
	return 0;
}

uint64_t *fake_mem_ptr(struct fake_mem *m, uint64_t pa)
{
	uint64_t off;

	if (pa < m->base_pa || (pa & (PAGE_SIZE - 1)))
		return NULL;
	off = pa - m->base_pa;
	/* Only pages handed out are table memory, as in the CIEE's pool. */
	if (off >= (uint64_t)m->next_free * PAGE_SIZE)
		return NULL;
	return (uint64_t *)(void *)(m->buf + off);
}

unsigned fake_mem_used(const struct fake_mem *m)
{
	return m->next_free;
}
