/* SPDX-License-Identifier: MIT */
/*
 * Guest TEEs' consoles on the secure UART (VTZ_SMC_MON_TEE_CONSOLE, from
 * the CIEE's call site only; ciee/tee_console.c gathers the lines). The
 * secure UART is reachable by the secure world alone, so what a TEE logs
 * never passes through the hypervisor. Pieces of a line arrive in a row
 * on one CPU (the CIEE sends a whole line with interrupts masked), so
 * each CPU has its own line; the whole line is printed at once, under a
 * lock, as "[name] text".
 */
#include <string.h>

#include <arch/sysreg.h>
#include <lib/pl011.h>
#include <lib/spinlock.h>
#include <vtz/monitor_abi.h>
#include <vtz/platform.h>
#include <vtz/smccc.h>

#include "monitor.h"

struct tee_line {
	unsigned int len;
	char buf[VTZ_MON_CONSOLE_LINE];
};

static struct tee_line lines[PLAT_MAX_CPUS];
static struct spinlock uart1_lock;

/* Printable ASCII, or '?': nothing a TEE logs can move the terminal. */
static char printable(char c)
{
	return (c >= 0x20 && c <= 0x7e) ? c : '?';
}

static void print_line(uint64_t name_word, const struct tee_line *l)
{
	char name[8], head[12];
	unsigned int i, n = 0;

	memcpy(name, &name_word, sizeof(name));
	head[n++] = '[';
	for (i = 0; i < sizeof(name) && name[i]; i++)
		head[n++] = printable(name[i]);
	head[n++] = ']';
	head[n++] = ' ';
	spin_lock(&uart1_lock);
	pl011_write(PLAT_UART1_BASE, head, n);
	pl011_write(PLAT_UART1_BASE, l->buf, l->len);
	pl011_write(PLAT_UART1_BASE, "\n", 1);
	spin_unlock(&uart1_lock);
}

void tee_console_smc(struct smc_frame *f)
{
	struct tee_line *l = &lines[this_cpu_index()];
	uint64_t n = f->x[2] & 0xff, i;
	char text[2 * sizeof(uint64_t)];

	if (n > VTZ_MON_CONSOLE_CHUNK || (f->x[2] & ~(0xffULL | VTZ_MON_CONSOLE_END))) {
		f->x[0] = (uint64_t)(int64_t)SMCCC_INVALID_PARAMETER;
		return;
	}
	memcpy(text, &f->x[3], sizeof(text));
	for (i = 0; i < n && l->len < sizeof(l->buf); i++)
		l->buf[l->len++] = printable(text[i]);
	if (f->x[2] & VTZ_MON_CONSOLE_END) {
		print_line(f->x[1], l);
		l->len = 0;
	}
	f->x[0] = 0;
}
