/* SPDX-License-Identifier: MIT */
/*
 * A host for the EBC VM with no real memory behind it: one flat buffer
 * that EBC addresses [base, base + size) map onto, and nothing else. Used
 * by the unit tests, the fuzz target and the host runner (ebc-run), so
 * bytecode under test can never reach the process's own memory.
 */
#ifndef EBC_SANDBOX_H
#define EBC_SANDBOX_H

#include <stddef.h>
#include <stdint.h>

#include "vm.h"

struct ebc_sandbox {
	uint8_t *mem;
	uint64_t base;
	uint64_t size;
};

/* read/write callbacks for struct ebc_host_ops, with an ebc_sandbox as ctx. */
bool ebc_sandbox_read(void *ctx, uint64_t addr, unsigned size, uint64_t *val);
bool ebc_sandbox_write(void *ctx, uint64_t addr, unsigned size, uint64_t val);

/* A pointer to [addr, addr + len) inside the sandbox, or NULL. */
void *ebc_sandbox_ptr(struct ebc_sandbox *sb, uint64_t addr, uint64_t len);

#endif /* EBC_SANDBOX_H */
