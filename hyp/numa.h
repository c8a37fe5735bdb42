/* SPDX-License-Identifier: MIT */
/*
 * NUMA placement (numa.c): each VM, its TEE and its vCPUs on one node.
 */
#ifndef HYP_NUMA_H
#define HYP_NUMA_H

#include <stdint.h>

#include "platform.h"

/* The nodes' RAM, CPUs and distances, from the platform description. */
void numa_init(const struct platform *p);
/*
 * Choose VM @name's node: @want if >= 0 (numa-node in its configuration),
 * else the node with the most free RAM; print "placement: NAME node=K".
 * Until numa_place_end(), numa_alloc() places on that node.
 */
void numa_place_begin(const char *name, int want);
void numa_place_end(void);
/*
 * @size bytes for @what (a VM's or TEE's name) on the chosen node, or,
 * when it is full, on the nearest node by distance that has room (said on
 * the console). With no placement under way, anywhere. 0 if none fits.
 */
uint64_t numa_alloc(const char *what, uint64_t size);
/* CPUs (a mask of this_cpu_index() bits) of the node chosen, 0 = any. */
uint32_t numa_cpu_mask(void);
/*
 * With more than one node: what the CIEE says of a VM just created (which
 * SRAT nodes its and its TEE's pages are in), and at the end of the run
 * (on which CPUs their vCPUs ran): "placement-check: NAME: ..." lines.
 */
struct vm;
void numa_report_created(const char *name, const struct vm *vm);
void numa_report_ran(void);

#endif
