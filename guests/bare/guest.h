/* SPDX-License-Identifier: MIT */
/* Bare-metal test guest helpers. */
#ifndef GUEST_H
#define GUEST_H

#include <stdint.h>
#include <lib/uart_printf.h>
#include <vtz/platform.h>

/*
 * Under the hypervisor, its UART emulation prefixes our lines ("[vm0] ").
 * Natively nothing sits between us and UART0, so the native builds say
 * who they are themselves (-DGUEST_PREFIX='"[ns] "', guests/bare/build.mk).
 */
#ifndef GUEST_PREFIX
#define GUEST_PREFIX ""
#endif
#define gprintf(fmt, ...) uart_printf(PLAT_UART0_BASE, GUEST_PREFIX fmt, ##__VA_ARGS__)

struct smc_regs {
	uint64_t x[8];
};

void guest_smc(struct smc_regs *r);
int guest_probe_read(uint64_t addr, uint64_t *val, uint64_t *esr);
void guest_power_off(void) __attribute__((noreturn));

#endif
