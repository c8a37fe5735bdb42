/* SPDX-License-Identifier: MIT */
/*
 * A guest TEE's console, carried by the trusted side. A TrustZone OS for
 * QEMU's virt machine writes its log to the secure UART (the PL011 at
 * PLAT_UART1_BASE, which the normal world cannot reach). A guest TEE
 * writes the same address; the page is never in its stage 2, so each
 * access traps to EL2, and the CIEE answers it here without the
 * hypervisor: characters gather per TEE vCPU into a line, and whole lines
 * go to the monitor (VTZ_SMC_MON_TEE_CONSOLE, from the CIEE's call site
 * only), which prints them on the real secure UART with the TEE's name.
 * The hypervisor never sees a TEE's log, and cannot write into it.
 */
#include <string.h>

#include <arch/sysreg.h>
#include <vtz/monitor_abi.h>
#include <vtz/platform.h>

#include "ciee.h"
#include "monitor_call.h"

#define UARTDR 0x000
#define UARTFR 0x018
#define UARTFR_RXFE (1U << 4) /* nothing to read: no one types to a TEE */
#define UARTFR_TXFE (1U << 7) /* every character is taken at once */

/* Send the vCPU's line to the monitor, 16 bytes per call. */
static void tee_console_flush(const struct ciee_tee *t, struct ciee_tee_vcpu *tv)
{
	unsigned int off = 0;

	do {
		uint64_t r[CIEE_MONITOR_ARGS] __attribute__((aligned(8))) = { 0 };
		unsigned int n = tv->con_len - off;

		if (n > VTZ_MON_CONSOLE_CHUNK)
			n = VTZ_MON_CONSOLE_CHUNK;
		memcpy(&r[0], t->name, sizeof(r[0]));
		r[1] = n | (off + n == tv->con_len ? VTZ_MON_CONSOLE_END : 0);
		memcpy(&r[2], tv->con + off, n);
		/* A console line the monitor would not print is not worth a TEE. */
		(void)ciee_monitor_smc(VTZ_SMC_MON_TEE_CONSOLE, r);
		off += n;
	} while (off < tv->con_len);
	tv->con_len = 0;
}

bool tee_console_access(const struct ciee_tee *t, struct ciee_tee_vcpu *tv, uint64_t ipa)
{
	uint64_t esr = tv->ctx.esr;
	unsigned int srt = (esr >> ESR_DABT_SRT_SHIFT) & ESR_DABT_SRT_MASK;
	uint64_t off = ipa - PLAT_UART1_BASE;
	char c;

	if (ipa < PLAT_UART1_BASE || off >= PLAT_UART0_SIZE)
		return false;
	if (!(esr & ESR_DABT_WNR)) {
		if (srt != 31)
			tv->ctx.x[srt] = off == UARTFR ? (UARTFR_TXFE | UARTFR_RXFE) : 0;
	} else if (off == UARTDR) {
		c = srt == 31 ? 0 : (char)(tv->ctx.x[srt] & 0xff);
		if (c == '\n') {
			tee_console_flush(t, tv);
		} else if (c != '\r') {
			tv->con[tv->con_len++] = c;
			if (tv->con_len == sizeof(tv->con))
				tee_console_flush(t, tv);
		}
	}
	tv->ctx.pc += 4;
	return true;
}
