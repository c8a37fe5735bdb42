/* SPDX-License-Identifier: MIT */
/*
 * What is typed on the secure console, for the guest TEEs. The monitor
 * takes the secure UART's receive interrupts and appends the bytes to a
 * ring in CIEE memory (include/vtz/tee_input.h, monitor/tee_input.c);
 * here they are handed to one TEE at a time, on its own view of the UART
 * (tee_console.c), whose receive interrupt then becomes due in its GIC
 * view and is delivered by tee_virq.c. Ctrl-T hands what follows to the
 * next TEE (by id, among the booted ones that are alive), and the secure
 * console says which: "[ciee] secure console input: to tee1 (Ctrl-T:
 * the next TEE)". The hypervisor takes no part in it: it never sees the
 * bytes, nor which TEE they go to.
 */
#include <string.h>

#include <lib/spinlock.h>
#include <vtz/monitor_abi.h>
#include <vtz/tee_input.h>

#include "ciee.h"
#include "monitor_call.h"

static struct spinlock input_lock = SPINLOCK_INIT;
/* The TEE (its id) typed input goes to; CIEE_MAX_VMS until there is one. */
static unsigned int focus = CIEE_MAX_VMS;
/* The monitor's count of bytes it dropped (ring full), as last reported. */
static uint32_t ring_dropped_said;

static volatile struct tee_input_ring *ring(void)
{
	return (volatile struct tee_input_ring *)phys_to_virt(PLAT_TEE_INPUT_BASE);
}

static bool tee_takes_input(unsigned int id)
{
	const struct ciee_vm *vm = &smm->vms[id];
	const struct ciee_tee *t = &ciee_tees[id];

	return vm->live && !vm->dying && vm->kind == CIEE_VM_KIND_TEE &&
	       __atomic_load_n(&t->booted, __ATOMIC_ACQUIRE) && !__atomic_load_n(&t->dead,
										   __ATOMIC_ACQUIRE);
}

/* A line on the secure console, as the CIEE's. */
static void say(const char *a, const char *b, const char *c)
{
	char line[VTZ_MON_CONSOLE_LINE];
	unsigned int n = 0, off = 0;
	const char *parts[3] = { a, b, c };
	unsigned int i;

	for (i = 0; i < 3; i++)
		while (*parts[i] && n < sizeof(line))
			line[n++] = *parts[i]++;
	do {
		uint64_t r[CIEE_MONITOR_ARGS] __attribute__((aligned(8))) = { 0 };
		unsigned int k = n - off > VTZ_MON_CONSOLE_CHUNK ? VTZ_MON_CONSOLE_CHUNK : n - off;

		memcpy(&r[0], "ciee", 4);
		r[1] = k | (off + k == n ? VTZ_MON_CONSOLE_END : 0);
		memcpy(&r[2], line + off, k);
		(void)ciee_monitor_smc(VTZ_SMC_MON_TEE_CONSOLE, r);
		off += k;
	} while (off < n);
}

/* The next TEE after focus that takes input (the first one if focus is none). */
static void focus_next(void)
{
	unsigned int i, id;
	char name[9] = { 0 };

	for (i = 1; i <= CIEE_MAX_VMS; i++) {
		id = (focus + i) % (CIEE_MAX_VMS + 1);
		if (id < CIEE_MAX_VMS && tee_takes_input(id)) {
			focus = id;
			memcpy(name, ciee_tees[id].name, 8);
			say("secure console input: to ", name, " (Ctrl-T: the next TEE)");
			return;
		}
	}
	focus = CIEE_MAX_VMS;
	say("secure console input: no TEE takes it", "", "");
}

/* One byte to the TEE in focus, with its pair held: VM_DESTROY waits, and wipes it after. */
static void give(char c)
{
	char name[9] = { 0 };
	uint32_t dropped;
	bool full;
	long pair;

	if (focus >= CIEE_MAX_VMS || !tee_takes_input(focus))
		focus_next();
	if (focus >= CIEE_MAX_VMS)
		return;
	pair = ciee_pair_enter(focus);
	if (pair < 0)
		return;
	spin_lock(&ciee_tees[focus].gic_lock);
	full = !tee_uart_rx_put(&ciee_tees[focus], c);
	dropped = ciee_tees[focus].uart.rx_dropped;
	memcpy(name, ciee_tees[focus].name, 8);
	spin_unlock(&ciee_tees[focus].gic_lock);
	ciee_pair_exit(pair);
	/* Said at the first byte lost, and every 256th after: nothing vanishes unsaid. */
	if (full && dropped % 256 == 1)
		say("input for ", name, ": it reads none of it, its 64-byte buffer is full: "
		    "bytes dropped");
}

void tee_input_pull(void)
{
	volatile struct tee_input_ring *r = ring();
	uint32_t head, tail;

	spin_lock(&input_lock);
	head = __atomic_load_n(&r->head, __ATOMIC_ACQUIRE);
	tail = r->tail;
	/* At most one ring's worth: the monitor's counter is trusted, but bounded anyway. */
	if (head - tail > TEE_INPUT_RING_SIZE)
		tail = head - TEE_INPUT_RING_SIZE;
	while (tail != head) {
		char c = (char)r->buf[tail % TEE_INPUT_RING_SIZE];

		tail++;
		if (c == TEE_INPUT_NEXT_TEE)
			focus_next();
		else
			give(c);
	}
	__atomic_store_n(&r->tail, tail, __ATOMIC_RELEASE);
	if (r->dropped != ring_dropped_said) {
		ring_dropped_said = r->dropped;
		say("the secure console's input came faster than the TEEs were run: bytes "
		    "dropped by the monitor", "", "");
	}
	spin_unlock(&input_lock);
}
