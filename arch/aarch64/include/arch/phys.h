/* SPDX-License-Identifier: MIT */
/*
 * Physical address to pointer, for code that reaches memory by its
 * physical address: the CIEE in CIEE mode and the monitor run with their
 * MMU off, so the pointer is the address itself. (arch/fake maps it into a
 * host buffer instead, so the same code runs in unit tests.)
 */
#ifndef ARCH_PHYS_H
#define ARCH_PHYS_H

#include <stdint.h>

/*
 * A macro, not an inline function: the cast is all there is, and it
 * leaves the compiler's inlining decisions (and so the images) exactly
 * as they were before this indirection existed.
 */
#define phys_to_virt(pa) ((void *)(uintptr_t)(uint64_t)(pa))

#endif
