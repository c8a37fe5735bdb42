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

/* What the boot marker in secure RAM (kept across resets) said at cold boot. */
enum boot_kind {
	BOOT_FIRST,          /* all zero: first power-on, RAM is zero */
	BOOT_AFTER_RESET,    /* a valid marker: the machine ran before */
	BOOT_UNKNOWN_MARKER, /* neither: treated as a reset */
};

/*
 * CPU 0 at cold boot, before any non-secure code runs: read the boot
 * marker, advance the boot generation (which retires every pen state of
 * earlier boots) and return what the marker said.
 */
enum boot_kind psci_cold_boot(uint64_t *generation);

/* Scrubbing memory that TEEs may have owned (scrub.c). */
void scrub_cold_boot(enum boot_kind kind, uint64_t generation);
void scrub_before_reset(void);
/* Zero [base, end); both 64-byte aligned. Plain stores, MMU off (entry.S). */
void monitor_zero(uint64_t base, uint64_t end);

void power_off(void) __attribute__((noreturn));
void power_reset(void) __attribute__((noreturn));
void monitor_panic(const char *why) __attribute__((noreturn));

#endif
