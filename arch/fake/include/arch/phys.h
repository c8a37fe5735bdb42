/* SPDX-License-Identifier: MIT */
/*
 * Fake physical memory for host tests of code that reaches RAM by its
 * physical address (the CIEE's SMM code). A 1 GiB host mapping stands in
 * for the platform's non-secure RAM at PLAT_NS_RAM_BASE; it is reserved,
 * not allocated, so only the pages a test touches cost memory.
 */
#ifndef ARCH_PHYS_H
#define ARCH_PHYS_H

#include <stdint.h>

/*
 * Host pointer for a physical address in the fake RAM. Anything else
 * aborts: in the images it would be a wild access, so a test must not
 * pass quietly over one.
 */
void *phys_to_virt(uint64_t pa);

/* Every byte of the fake RAM reads zero again (as after a cold boot). */
void fake_phys_reset(void);

#endif
