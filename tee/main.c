/* SPDX-License-Identifier: MIT */
/*
 * vTZ TEE kernel (walking skeleton): answers OP-TEE's general calls and
 * vTZ's PING fast call. It cannot tell whether a monitor (native) or the
 * CIEE (virtualized) dispatches it: it only sees the opteed protocol.
 */
#include <stdint.h>

#include <lib/pl011.h>
#include <lib/uart_printf.h>
#include <vtz/optee_abi.h>
#include <vtz/platform.h>

/* The secure UART, as on the real machine. */
#define TEE_UART PLAT_UART1_BASE

/* OP-TEE's UID (optee_smc.h: OPTEE_MSG_UID_0..3). */
#define OPTEE_MSG_UID_0 0x384fb3e0
#define OPTEE_MSG_UID_1 0xe7f811e3
#define OPTEE_MSG_UID_2 0xaf630002
#define OPTEE_MSG_UID_3 0xa5d5c51b

#define VTZ_TEE_TAG 0x7ee00000UL

/* In: x0..x7 of the caller. Out: a[0..3] become the caller's x0..x3. */
struct tee_call_args {
	uint64_t a[8];
};

static uint64_t calls;
static uint64_t store[VTZ_TEE_STORE_SLOTS];

void tee_init(void)
{
	pl011_init(TEE_UART);
	uart_printf(TEE_UART, "vTZ TEE kernel: initialised, registering vectors\n");
}

void tee_handle_fast(struct tee_call_args *c)
{
	uint64_t fid = c->a[0] & 0xffffffffUL, x1 = c->a[1], x2 = c->a[2];

	if (fid == VTZ_SMC_TEE_NULL) {
		/* The benchmark's null call: as little work as a call can do. */
		c->a[0] = OPTEE_SMC_RETURN_OK;
		return;
	}
	calls++;
	switch (fid) {
	case VTZ_SMC_TEE_PING:
		uart_printf(TEE_UART, "ping #%llu: 0x%llx, 0x%llx\n", (unsigned long long)calls,
			    (unsigned long long)x1, (unsigned long long)x2);
		c->a[0] = OPTEE_SMC_RETURN_OK;
		c->a[1] = x1 + x2;
		c->a[2] = x1 ^ x2;
		c->a[3] = VTZ_TEE_TAG | (calls & 0xffff);
		break;
#ifdef TEE_TEST_HOOKS
	case VTZ_SMC_TEE_TEST_FAULT:
		/*
		 * An address beyond the physical address size: an address-size
		 * fault at EL1 in either home (MMU off), taken by our own vectors.
		 */
		uart_printf(TEE_UART, "test hook: faulting on purpose\n");
		c->a[0] = *(volatile uint64_t *)(1UL << 48);
		break;
#endif
	case VTZ_SMC_TEE_STORE:
	case VTZ_SMC_TEE_LOAD:
		/* Slots live in this TEE's memory, which no one else maps. */
		if (x1 >= VTZ_TEE_STORE_SLOTS) {
			c->a[0] = OPTEE_SMC_RETURN_EBADCMD;
			c->a[1] = c->a[2] = c->a[3] = 0;
			break;
		}
		if (fid == VTZ_SMC_TEE_STORE)
			store[x1] = x2;
		c->a[0] = OPTEE_SMC_RETURN_OK;
		c->a[1] = store[x1];
		c->a[2] = c->a[3] = 0;
		break;
	case OPTEE_SMC_CALLS_UID:
		c->a[0] = OPTEE_MSG_UID_0;
		c->a[1] = OPTEE_MSG_UID_1;
		c->a[2] = OPTEE_MSG_UID_2;
		c->a[3] = OPTEE_MSG_UID_3;
		break;
	default:
		c->a[0] = OPTEE_SMC_RETURN_UNKNOWN_FUNCTION;
		c->a[1] = c->a[2] = c->a[3] = 0;
		break;
	}
}

void tee_handle_yield(struct tee_call_args *c)
{
	c->a[0] = OPTEE_SMC_RETURN_UNKNOWN_FUNCTION;
	c->a[1] = c->a[2] = c->a[3] = 0;
}

void tee_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
	(void)kind;
	uart_printf(TEE_UART, "FATAL: unexpected exception in the TEE: ESR=0x%llx ELR=0x%llx "
			      "FAR=0x%llx\n",
		    (unsigned long long)esr, (unsigned long long)elr, (unsigned long long)far);
}
