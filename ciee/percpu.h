/* SPDX-License-Identifier: MIT */
/* Per-CPU CIEE state; the first fields are used by entry/vectors asm. */
#ifndef CIEE_PERCPU_H
#define CIEE_PERCPU_H

#define PERCPU_GUEST 0 /* struct vcpu_ctx * of the vCPU now running */
#define PERCPU_HOST 8  /* x19..x30, sp of the CIEE code that entered it */
#define PERCPU_SIZE 128

#ifndef __ASSEMBLY__
#include <stdint.h>
#include <vtz/vcpu_ctx.h>

struct ciee_percpu {
	struct vcpu_ctx *guest;
	uint64_t host[13];
	uint64_t cpu;
	uint64_t pad[1];
};
_Static_assert(sizeof(struct ciee_percpu) == PERCPU_SIZE, "percpu layout");
#endif
#endif
