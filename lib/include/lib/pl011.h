/* SPDX-License-Identifier: MIT */
/* Minimal polled PL011 UART driver (transmit only). */
#ifndef LIB_PL011_H
#define LIB_PL011_H

#include <stddef.h>
#include <stdint.h>

void pl011_init(uintptr_t base);
void pl011_putc(uintptr_t base, char c);
void pl011_write(uintptr_t base, const char *s, size_t n);

#endif
