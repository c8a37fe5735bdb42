/* SPDX-License-Identifier: MIT */
/*
 * The monitor's measured-boot event log, read at the end of a run (just
 * before its closing "vms:" line) and printed in hex for whoever collects
 * the console (scripts/vtz_run.py --event-log FILE saves it;
 * scripts/vtz_evlog.py prints and replays it).
 * The hypervisor only carries the log: it cannot write the monitor's copy
 * or its PCRs, and what it prints is checked against the PCRs the monitor
 * prints itself at power-off.
 */
#include <lib/console.h>
#include <lib/fmt.h>
#include <vtz/monitor_abi.h>

#include "hyp.h"

#define CHUNK 4096
#define LINE 32 /* bytes per printed line */

/* Its own writable data page: the only kind of buffer the monitor writes. */
static uint8_t evlog_buf[CHUNK] __attribute__((aligned(4096)));

struct evlog_read hyp_evlog_read(uint64_t buf, uint64_t size, uint64_t off)
{
	register uint64_t x0 __asm__("x0") = VTZ_SMC_MON_EVENT_LOG;
	register uint64_t x1 __asm__("x1") = buf;
	register uint64_t x2 __asm__("x2") = size;
	register uint64_t x3 __asm__("x3") = off;
	register uint64_t x4 __asm__("x4") = 0;
	struct evlog_read r;

	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4) : : "memory");
	r.ret = (int64_t)x0;
	r.copied = x1;
	r.len = x2;
	r.events = x3;
	r.dropped = x4;
	return r;
}

void hyp_evlog_dump(void)
{
	char hex[2 * LINE + 1];
	struct evlog_read r;
	uint64_t off = 0, i, j;

	do {
		r = hyp_evlog_read((uint64_t)evlog_buf /* identity-mapped */, CHUNK, off);
		if (r.ret) {
			con_printf("event log: the monitor refused to copy it (%ld, %ld)\n",
				   (long)r.ret, (long)r.copied);
			return;
		}
		for (i = 0; i < r.copied; i += LINE) {
			j = r.copied - i < LINE ? r.copied - i : LINE;
			fmt_hex(&evlog_buf[i], j, hex);
			con_printf("event log %05lx: %s\n", (unsigned long)(off + i), hex);
		}
		off += r.copied;
	} while (r.copied);
	con_printf("event log: %lu bytes, %lu events, %lu dropped (TCG crypto-agile, from the "
		   "monitor)\n", (unsigned long)r.len, (unsigned long)r.events,
		   (unsigned long)r.dropped);
}
