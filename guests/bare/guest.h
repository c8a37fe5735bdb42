/* SPDX-License-Identifier: MIT */
/* Bare-metal test guest helpers. */
#ifndef GUEST_H
#define GUEST_H

#include <stdint.h>
#include <lib/uart_printf.h>
#include <vtz/platform.h>

#define gprintf(...) uart_printf(PLAT_UART0_BASE, __VA_ARGS__)

struct smc_regs {
	uint64_t x[8];
};

void guest_smc(struct smc_regs *r);
void guest_power_off(void) __attribute__((noreturn));

#endif
