/* SPDX-License-Identifier: MIT */
/*
 * Line-oriented, prefixed console. Every line an image prints starts with
 * its prefix, e.g. "[hyp] ", so one serial stream shows who said what.
 * Lines are formatted into a buffer and written whole under a lock, so
 * two CPUs of the same image never interleave inside a line.
 */
#ifndef LIB_CONSOLE_H
#define LIB_CONSOLE_H

#include <stddef.h>
#include <stdint.h>

#define CONSOLE_LINE_MAX 256

typedef void (*console_write_fn)(const char *s, size_t n);

/* prefix is the bare name ("hyp"); the console adds the brackets. */
void console_init(const char *prefix, console_write_fn write);

/* printf to the console; each '\n'-terminated line gets the prefix. */
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Images that share the UART with others (monitor, CIEE, hypervisor) also
 * take this word around every line; waits for it are bounded (console.c).
 */
void console_share_uart(volatile uint32_t *lock);

/* Write one line on behalf of someone else (e.g. a VM's console). */
void con_emit_line(const char *prefix, const char *text, size_t n);

#endif
