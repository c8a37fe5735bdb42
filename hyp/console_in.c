/* SPDX-License-Identifier: MIT */
/*
 * Console input: what is typed on the machine's UART0 goes to one Linux
 * VM at a time (its emulated PL011's receive FIFO). Ctrl-] followed by a
 * digit moves the input to VM n. UART0 is polled by CPU 0 from the
 * scheduler loop (its receive interrupt stays off: the tick wakes an idle
 * CPU 0 every millisecond anyway). Bytes wait in a ring per VM until the
 * guest's FIFO has room, so nothing typed is lost while a guest is busy.
 */
#include <arch/sysreg.h>
#include <lib/console.h>

#include "hyp.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTFR_RXFE (1U << 4)
#define ESCAPE 0x1d /* Ctrl-] */
#define RING 256

struct in_ring {
	struct vm *vm;
	char buf[RING];
	unsigned int head, count;
};

static struct in_ring rings[LINUX_MAX_VMS];
static unsigned int n_rings, focus;
static bool escaped;

/* A VM that takes console input (Linux VMs, in creation order: vm0 first). */
void console_in_add(struct vm *vm)
{
	if (n_rings < LINUX_MAX_VMS)
		rings[n_rings++].vm = vm;
	if (n_rings == 1)
		con_printf("console input goes to %s (Ctrl-] then a digit: to another VM)\n",
			   vm->name);
}

/* A VM that goes away (destroyed): its ring, and the focus if it had it. */
void console_in_remove(struct vm *vm)
{
	unsigned int i, j;

	for (i = 0, j = 0; i < n_rings; i++) {
		if (rings[i].vm == vm)
			continue;
		if (j != i)
			rings[j] = rings[i];
		j++;
	}
	n_rings = j;
	if (focus >= n_rings)
		focus = 0;
}

static bool put(struct in_ring *r, char c)
{
	if (r->count == RING)
		return false; /* the guest has not read for a while: drop, as a full UART would */
	r->buf[(r->head + r->count) % RING] = c;
	r->count++;
	return true;
}

static void take(char c)
{
	if (mgmt_active()) {
		mgmt_take(c);
		return;
	}
	if (escaped) {
		escaped = false;
		if (c == 'v') {
			mgmt_take(c); /* the management console (mgmt.c) */
			return;
		}
		if (c >= '0' && c <= '9' && (unsigned int)(c - '0') < n_rings) {
			focus = (unsigned int)(c - '0');
			con_printf("console input goes to %s\n", rings[focus].vm->name);
			return;
		}
		if (c != ESCAPE) {
			con_printf("console: Ctrl-] then v: the management console; then 0..9: "
				   "the VM for input\n");
			return;
		}
	} else if (c == ESCAPE) {
		escaped = true;
		return;
	}
	if (n_rings)
		put(&rings[focus], c);
}

/*
 * The hypervisor's own words to a VM's console, as if typed there (CPU 0
 * only, as the rings are): the attack suite tells the Linux guests' load
 * that the attacks are over. False if the VM takes no input or its ring
 * is full.
 */
bool console_in_type(struct vm *vm, const char *s)
{
	unsigned int i;

	if (this_cpu_index() != 0)
		return false;
	for (i = 0; i < n_rings; i++) {
		if (rings[i].vm != vm)
			continue;
		for (; *s; s++)
			if (!put(&rings[i], *s))
				return false;
		return true;
	}
	return false;
}

/* CPU 0, from the scheduler: read what was typed, hand what fits to the guests. */
void console_in_poll(void)
{
	volatile uint32_t *fr = (volatile uint32_t *)(PLAT_UART0_BASE + UARTFR);
	volatile uint32_t *dr = (volatile uint32_t *)(PLAT_UART0_BASE + UARTDR);
	unsigned int i, n;

	if (this_cpu_index() != 0)
		return;
	for (n = 0; n < 64 && !(*fr & UARTFR_RXFE); n++)
		take((char)(*dr & 0xff));
	for (i = 0; i < n_rings; i++) {
		struct in_ring *r = &rings[i];
		unsigned int done;

		if (!r->count || !r->vm->running)
			continue;
		done = linux_console_input(r->vm, r->buf, r->head, r->count, RING);
		r->head = (r->head + done) % RING;
		r->count -= done;
	}
}
