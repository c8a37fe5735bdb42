/* SPDX-License-Identifier: MIT */
/* Fake RAM for host tests; see arch/phys.h. */
#include <arch/phys.h>

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

#include <vtz/platform.h>

static uint8_t *fake_ram;

static uint8_t *ram(void)
{
	void *p;

	if (fake_ram)
		return fake_ram;
	/* Lazily backed: tests touch a few MiB of the 1 GiB. */
	p = mmap(NULL, PLAT_NS_RAM_MAX, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		perror("fake RAM: mmap");
		abort();
	}
	fake_ram = p;
	return fake_ram;
}

void *phys_to_virt(uint64_t pa)
{
	if (pa < PLAT_NS_RAM_BASE || pa >= PLAT_NS_RAM_BASE + PLAT_NS_RAM_MAX) {
		fprintf(stderr, "fake RAM: physical address 0x%llx is not RAM\n",
			(unsigned long long)pa);
		abort();
	}
	return ram() + (pa - PLAT_NS_RAM_BASE);
}

void fake_phys_reset(void)
{
	/* Anonymous private pages read as zero again after MADV_DONTNEED. */
	if (fake_ram && madvise(fake_ram, PLAT_NS_RAM_MAX, MADV_DONTNEED)) {
		perror("fake RAM: madvise");
		abort();
	}
}
