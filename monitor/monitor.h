/* SPDX-License-Identifier: MIT */
/* Internal interfaces of the EL3 monitor. */
#ifndef MONITOR_H
#define MONITOR_H

#include <stdint.h>

/* Saved caller registers of an SMC (x0..x30), as built by vectors.S. */
struct smc_frame {
	uint64_t x[31];
	uint64_t pad;
};

void monitor_el3_init(void);
void monitor_main(void);
void monitor_enter_el2(uint64_t entry, uint64_t a0, uint64_t a1, uint64_t a2)
	__attribute__((noreturn));

/* PSCI, served to the non-secure world. */
int64_t psci_handle(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3, int *handled);
void psci_secondary_wait(uint64_t cpu);

void power_off(void) __attribute__((noreturn));
void power_reset(void) __attribute__((noreturn));
void monitor_panic(const char *why) __attribute__((noreturn));

#endif
