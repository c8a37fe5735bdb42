/* SPDX-License-Identifier: MIT */
/*
 * Unprefixed printf straight to a PL011, for guests and TEEs: the
 * hypervisor (or, natively, the serial port) says whose console it is.
 */
#ifndef LIB_UART_PRINTF_H
#define LIB_UART_PRINTF_H

#include <stdint.h>

void uart_printf(uintptr_t base, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
