/* SPDX-License-Identifier: MIT */
/*
 * vTZ TEE kernel (walking skeleton): answers OP-TEE's general calls and
 * vTZ's PING fast call. It cannot tell whether a monitor (native) or the
 * CIEE (virtualized) dispatches it: it only sees the opteed protocol.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <lib/fmt.h>
#include <lib/pl011.h>
#include <lib/uart_printf.h>
#include <vtz/attest_abi.h>
#include <vtz/optee_abi.h>
#include <vtz/optee_msg.h>
#include <vtz/platform.h>

#include <lib/crypto.h> /* mbedTLS, as the monitor links it */
#include "tee.h"

/* The secure UART, as on the real machine. */
#define TEE_UART PLAT_UART1_BASE

#define VTZ_TEE_TAG 0x7ee00000UL

#ifdef TEE_TEST_HOOKS
/*
 * The test TEE reads the normal world's UART flag register before each
 * character of its log: an MMIO access the hypervisor serves (a guest
 * TEE's console is the trusted side's, which the hypervisor never sees),
 * so the attack suite has TEE MMIO stops to abuse in the middle of calls
 * and resets. The value is not used. Natively it reads the real UART0.
 */
static void tee_log(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n, i;

	va_start(ap, fmt);
	n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((unsigned int)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	for (i = 0; i < n; i++) {
		(void)*(volatile uint32_t *)(PLAT_UART0_BASE + 0x18);
		pl011_write(TEE_UART, &buf[i], 1);
	}
}
#else
#define tee_log(...) uart_printf(TEE_UART, __VA_ARGS__)
#endif

static uint64_t calls;

/*
 * Asynchronous notification (OP-TEE's, include/vtz/optee_abi.h): enabled
 * by the normal world's driver, raised by the echo TA's NOTIFY as OP-TEE
 * raises it, an ISPENDR write to a non-secure SPI (PLAT_TEE_NOTIF_INTID)
 * of the GIC as the secure world sees it: the real one natively, the
 * CIEE's view under vTZ, which hands it to this VM's vGIC. In .bss: a
 * system reset of the normal world disables them again.
 */
static bool notif_enabled;
static bool notif_bottom_half; /* DO_BOTTOM_HALF is pending for GET_ASYNC_NOTIF_VALUE */

int tee_notif_raise(void)
{
	volatile uint32_t *ispendr = (volatile uint32_t *)(PLAT_GICD_BASE + 0x200 +
							  4 * (PLAT_TEE_NOTIF_INTID / 32));

	if (!__atomic_load_n(&notif_enabled, __ATOMIC_ACQUIRE))
		return -1;
	__atomic_store_n(&notif_bottom_half, true, __ATOMIC_RELEASE);
	/* The value before the interrupt: the driver asks for it when it takes it. */
	__asm__ volatile("dsb sy" ::: "memory");
	*ispendr = 1U << (PLAT_TEE_NOTIF_INTID % 32);
	return 0;
}
static uint64_t store[VTZ_TEE_STORE_SLOTS];
struct spinlock tee_lock = SPINLOCK_INIT;

/*
 * The boot argument, kept outside .bss: a system reset zeroes .bss and
 * sets up again from it.
 */
static uint64_t boot_ns_size __attribute__((section(".data")));

/* First entry (boot CPU): x1 of the dispatcher = normal-world RAM we may use. */
void tee_init(uint64_t ns_size)
{
	pl011_init(TEE_UART);
	if (ns_size > TEE_NS_RAM_MAX)
		ns_size = TEE_NS_RAM_MAX;
	boot_ns_size = ns_size;
	tee_thread_init(ns_size);
	tee_console_in_init();
	tee_log("vTZ TEE kernel: initialised, registering vectors\n");
	tee_log("normal-world memory for messages: 0x%llx-0x%llx\n",
		    (unsigned long long)TEE_NS_RAM_BASE,
		    (unsigned long long)(TEE_NS_RAM_BASE + ns_size - 1));
}

/* Our normal world is reset: .bss is zero again (tee/entry.S); set up as at boot. */
void tee_system_reset(void)
{
	tee_thread_init(boot_ns_size);
	tee_log("vTZ TEE kernel: system reset: sessions, shared buffers and stored "
			      "items dropped\n");
}

/* Another CPU (vCPU) came up: nothing of ours is per CPU but its stack. */
void tee_cpu_on(void)
{
	tee_console_in_cpu();
	tee_log("vTZ TEE kernel: cpu%u on\n", tee_cpu());
}

#ifdef TEE_TEST_HOOKS
/*
 * VTZ_SMC_TEE_TEST_FP: qN = { s + N, ~(s + N) } for every N, FPSR and FPCR
 * from s. This image is built with -mgeneral-regs-only, so the compiler
 * never uses these registers: only the asm below does.
 */
#define TEE_FP_REGS                                                                      \
	"0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31"

static void tee_test_fp_fill(uint64_t s, uint64_t *fpsr, uint64_t *fpcr)
{
	uint64_t sr = (1UL << 27) | (s & 0x9f);      /* QC and the cumulative flags */
	uint64_t cr = (7UL << 24) | ((s & 3) << 22); /* AHP, DN, FZ and a rounding mode */
	uint64_t cpacr;

	/* CPACR_EL1.FPEN = 0b11: our own EL1 state; the CIEE traps the first use. */
	__asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
	cpacr |= 3UL << 20;
	__asm__ volatile("msr cpacr_el1, %0\n\tisb" : : "r"(cpacr) : "memory");
	__asm__ volatile(".irp n, " TEE_FP_REGS "\n"
			 "add	x9, %[s], #\\n\n"
			 "fmov	d\\n, x9\n"
			 "mvn	x9, x9\n"
			 "fmov	v\\n\\().d[1], x9\n"
			 ".endr\n"
			 "msr	fpsr, %[sr]\n"
			 "msr	fpcr, %[cr]\n"
			 /* What the CPU kept of them is what must survive. */
			 "mrs	%[sr], fpsr\n"
			 "mrs	%[cr], fpcr\n"
			 : [sr] "+r"(sr), [cr] "+r"(cr)
			 : [s] "r"(s)
			 : "x9", "memory");
	*fpsr = sr;
	*fpcr = cr;
}

/* How many of the 64 register halves, FPSR and FPCR no longer hold the secret. */
static uint64_t tee_test_fp_check(uint64_t s, uint64_t fpsr, uint64_t fpcr)
{
	uint64_t bad = 0;

	__asm__ volatile(".irp n, " TEE_FP_REGS "\n"
			 "add	x9, %[s], #\\n\n"
			 "fmov	x10, d\\n\n"
			 "cmp	x10, x9\n"
			 "cinc	%[bad], %[bad], ne\n"
			 "mvn	x9, x9\n"
			 "fmov	x10, v\\n\\().d[1]\n"
			 "cmp	x10, x9\n"
			 "cinc	%[bad], %[bad], ne\n"
			 ".endr\n"
			 "mrs	x10, fpsr\n"
			 "cmp	x10, %[sr]\n"
			 "cinc	%[bad], %[bad], ne\n"
			 "mrs	x10, fpcr\n"
			 "cmp	x10, %[cr]\n"
			 "cinc	%[bad], %[bad], ne\n"
			 : [bad] "+r"(bad)
			 : [s] "r"(s), [sr] "r"(fpsr), [cr] "r"(fpcr)
			 : "x9", "x10", "cc");
	return bad;
}
#endif

/*
 * Our key, from whichever dispatcher runs us: the SMC returns to the next
 * instruction with the key in x1..x4 (include/vtz/optee_abi.h). A TEE
 * never holds it longer than one call.
 */
int tee_get_key(uint8_t key[32])
{
	register uint64_t x0 __asm__("x0") = VTZ_SMC_TEE_GET_KEY;
	register uint64_t x1 __asm__("x1");
	register uint64_t x2 __asm__("x2");
	register uint64_t x3 __asm__("x3");
	register uint64_t x4 __asm__("x4");
	uint64_t w[4], status;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "=r"(x1), "=r"(x2), "=r"(x3), "=r"(x4)
			 :
			 : "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "cc", "memory");
	/* Register variables hold only across the asm: copy out before any call. */
	status = x0;
	w[0] = x1;
	w[1] = x2;
	w[2] = x3;
	w[3] = x4;
	memcpy(key, w, sizeof(w));
	crypto_zeroize(w, sizeof(w));
	return status == 0 ? 0 : -1;
}

/*
 * A signed attestation report of this TEE (include/vtz/attest_abi.h),
 * from whichever dispatcher runs us, written by it at dst: an address in
 * our own memory (the MMU is off: an IPA, or natively a physical address,
 * is a pointer), size bytes there. Returns the SMC's x0: 0, or a
 * VTZ_ATTEST_ERR_* code.
 */
int64_t tee_attest_to(uint64_t dst, uint64_t size, const uint8_t nonce[VTZ_ATTEST_NONCE_LEN])
{
	uint64_t n[4];

	memcpy(n, nonce, sizeof(n));
	register uint64_t x0 __asm__("x0") = VTZ_SMC_TEE_ATTEST;
	register uint64_t x1 __asm__("x1") = dst;
	register uint64_t x2 __asm__("x2") = size;
	register uint64_t x3 __asm__("x3") = n[0];
	register uint64_t x4 __asm__("x4") = n[1];
	register uint64_t x5 __asm__("x5") = n[2];
	register uint64_t x6 __asm__("x6") = n[3];

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6)
			 :
			 : "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", "x16",
			   "x17", "cc", "memory");
	return (int64_t)x0;
}

/* HKDF-Expand(our key, info = x1 little-endian), 16 bytes, as two words. */
static int tee_key_tag(uint64_t x1, uint64_t tag[2])
{
	uint8_t key[32], out[16], info[8];
	int ret;

	memcpy(info, &x1, sizeof(info));
	ret = tee_get_key(key);
	if (!ret)
		ret = crypto_hkdf_expand_sha256(key, sizeof(key), info, sizeof(info), out,
						sizeof(out));
	if (!ret)
		memcpy(tag, out, sizeof(out));
	crypto_zeroize(key, sizeof(key));
	crypto_zeroize(out, sizeof(out));
	return ret;
}

static void tee_handle_fast_locked(struct tee_call_args *c, uint64_t fid, uint64_t x1,
				   uint64_t x2);

void tee_handle_fast(struct tee_call_args *c)
{
	uint64_t fid = c->a[0] & 0xffffffffUL, x1 = c->a[1], x2 = c->a[2];

	if (fid == VTZ_SMC_TEE_NULL) {
		/* The benchmark's null call: as little work as a call can do. */
		c->a[0] = OPTEE_SMC_RETURN_OK;
		return;
	}
	spin_lock(&tee_lock);
	tee_handle_fast_locked(c, fid, x1, x2);
	spin_unlock(&tee_lock);
}

/* Every fast call but the null call: under tee_lock (calls, store). */
static void tee_handle_fast_locked(struct tee_call_args *c, uint64_t fid, uint64_t x1, uint64_t x2)
{
	calls++;
	switch (fid) {
	case VTZ_SMC_TEE_PING:
		tee_log("ping #%llu on cpu%u: 0x%llx, 0x%llx\n",
			    (unsigned long long)calls, tee_cpu(), (unsigned long long)x1,
			    (unsigned long long)x2);
		c->a[0] = OPTEE_SMC_RETURN_OK;
		c->a[1] = x1 + x2;
		c->a[2] = x1 ^ x2;
		/* Which of our CPUs answered, in bits 19:16: a VM vCPU's own. */
		c->a[3] = VTZ_TEE_TAG | ((uint64_t)(tee_cpu() & 0xf) << 16) | (calls & 0xffff);
		break;
	case VTZ_SMC_TEE_KEY_TAG: {
		uint64_t tag[2];

		if (tee_key_tag(x1, tag)) {
			c->a[0] = OPTEE_SMC_RETURN_UNKNOWN_FUNCTION;
			c->a[1] = c->a[2] = c->a[3] = 0;
			break;
		}
		c->a[0] = OPTEE_SMC_RETURN_OK;
		c->a[1] = tag[0];
		c->a[2] = tag[1];
		c->a[3] = 0;
		break;
	}
#ifdef TEE_TEST_HOOKS
	case VTZ_SMC_TEE_TEST_FAULT:
		/*
		 * An address beyond the physical address size: an address-size
		 * fault at EL1 in either home (MMU off), taken by our own vectors.
		 */
		tee_log("test hook: faulting on purpose\n");
		c->a[0] = *(volatile uint64_t *)(1UL << 48);
		break;
	case VTZ_SMC_TEE_TEST_FP: {
		uint64_t sr, cr;

		tee_test_fp_fill(x1, &sr, &cr);
		/* Stops for MMIO (the UART) with the secret live in the registers. */
		tee_log("test hook: FP/SIMD secret loaded\n");
		c->a[0] = OPTEE_SMC_RETURN_OK;
		c->a[1] = tee_test_fp_check(x1, sr, cr);
		c->a[2] = c->a[3] = 0;
		break;
	}
	case VTZ_SMC_TEE_TEST_SPIN: {
		uint64_t i, n = x1 < VTZ_TEE_TEST_SPIN_MAX ? x1 : VTZ_TEE_TEST_SPIN_MAX;

		for (i = 0; i < n; i++)
			__asm__ volatile("" ::: "memory");
		c->a[0] = OPTEE_SMC_RETURN_OK;
		c->a[1] = i;
		c->a[2] = x2 + 1;
		c->a[3] = 0;
		break;
	}
	case VTZ_SMC_TEE_TEST_RAISE: {
		volatile uint32_t *gicd = (volatile uint32_t *)PLAT_GICD_BASE;
		uint32_t bit = 1U << (x1 % 32);
		unsigned int w = (unsigned int)(x1 / 32);

		c->a[1] = c->a[2] = c->a[3] = 0;
		if (x1 < 32 || x1 > 287) {
			c->a[0] = OPTEE_SMC_RETURN_EBADCMD;
			break;
		}
		/* IGROUPR, IGRPMODR, then ISPENDR: as a secure OS configures and raises. */
		gicd[0x80 / 4 + w] = x2 ? gicd[0x80 / 4 + w] & ~bit : gicd[0x80 / 4 + w] | bit;
		gicd[0xd00 / 4 + w] &= ~bit;
		gicd[0x200 / 4 + w] = bit;
		c->a[0] = OPTEE_SMC_RETURN_OK;
		break;
	}
	case VTZ_SMC_TEE_TEST_ATTEST: {
		/* A report to any address the caller names: the dispatcher must refuse. */
		static const uint8_t nonce[VTZ_ATTEST_NONCE_LEN];

		c->a[0] = OPTEE_SMC_RETURN_OK;
		c->a[1] = (uint64_t)tee_attest_to(x1, VTZ_ATTEST_REPORT_LEN, nonce);
		c->a[2] = c->a[3] = 0;
		break;
	}
	case VTZ_SMC_TEE_TEST_ACK: {
		uint64_t intid;

		__asm__ volatile("mrs %0, S3_0_C12_C12_0" : "=r"(intid)); /* ICC_IAR1_EL1 */
		intid &= 0xffffff;
		if (intid < 1020)
			__asm__ volatile("msr S3_0_C12_C12_1, %0\n\tisb" ::"r"(intid)); /* EOIR1 */
		c->a[0] = OPTEE_SMC_RETURN_OK;
		c->a[1] = intid;
		c->a[2] = c->a[3] = 0;
		break;
	}
	case VTZ_SMC_TEE_TEST_PEEK:
		/* Its own window only (the MMU is off: an IPA is a pointer). */
		if ((x1 & 7) || x1 < VTZ_TEE_TEST_PEEK_BASE ||
		    x1 >= VTZ_TEE_TEST_PEEK_BASE + VTZ_TEE_TEST_PEEK_SPAN) {
			c->a[0] = OPTEE_SMC_RETURN_EBADADDR;
			c->a[1] = 0;
		} else {
			c->a[0] = OPTEE_SMC_RETURN_OK;
			c->a[1] = *(volatile uint64_t *)x1;
		}
		c->a[2] = c->a[3] = 0;
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
	/* What Linux's optee driver asks while it probes (optee_smc.h). */
	case OPTEE_SMC_CALLS_COUNT:
		/* The OP-TEE calls we serve: 12 fast (UID and those below), 2 yielding. */
		c->a[0] = 14;
		c->a[1] = c->a[2] = c->a[3] = 0;
		break;
	case OPTEE_SMC_CALLS_REVISION:
		c->a[0] = OPTEE_MSG_REVISION_MAJOR;
		c->a[1] = OPTEE_MSG_REVISION_MINOR;
		c->a[2] = c->a[3] = 0;
		break;
	case OPTEE_SMC_CALL_GET_OS_UUID:
		/* We implement OP-TEE's ABI, so clients that check for OP-TEE find it. */
		c->a[0] = OPTEE_MSG_OS_OPTEE_UUID_0;
		c->a[1] = OPTEE_MSG_OS_OPTEE_UUID_1;
		c->a[2] = OPTEE_MSG_OS_OPTEE_UUID_2;
		c->a[3] = OPTEE_MSG_OS_OPTEE_UUID_3;
		break;
	case OPTEE_SMC_CALL_GET_OS_REVISION:
		c->a[0] = VTZ_TEE_OS_REVISION_MAJOR;
		c->a[1] = VTZ_TEE_OS_REVISION_MINOR;
		c->a[2] = c->a[3] = 0; /* no build id */
		break;
	case OPTEE_SMC_EXCHANGE_CAPABILITIES:
		/*
		 * Dynamic shared memory: no reserved pool (the driver then
		 * registers its buffers page by page); asynchronous
		 * notification (a2: the largest value); no RPC argument
		 * struct (so it sends plain CALL_WITH_ARG).
		 */
		c->a[0] = OPTEE_SMC_RETURN_OK;
		c->a[1] = OPTEE_SMC_SEC_CAP_DYNAMIC_SHM | OPTEE_SMC_SEC_CAP_ASYNC_NOTIF;
		c->a[2] = VTZ_TEE_NOTIF_VALUE_MAX;
		c->a[3] = 0;
		break;
	case OPTEE_SMC_ENABLE_ASYNC_NOTIF:
		__atomic_store_n(&notif_enabled, true, __ATOMIC_RELEASE);
		c->a[0] = OPTEE_SMC_RETURN_OK;
		c->a[1] = c->a[2] = c->a[3] = 0;
		break;
	case OPTEE_SMC_GET_ASYNC_NOTIF_VALUE:
		/* One value only: DO_BOTTOM_HALF, once per raise, never another pending. */
		c->a[0] = OPTEE_SMC_RETURN_OK;
		c->a[1] = OPTEE_SMC_ASYNC_NOTIF_VALUE_DO_BOTTOM_HALF;
		c->a[2] = __atomic_exchange_n(&notif_bottom_half, false, __ATOMIC_ACQ_REL)
				  ? OPTEE_SMC_ASYNC_NOTIF_VALID
				  : 0;
		c->a[3] = 0;
		break;
	case OPTEE_SMC_DISABLE_SHM_CACHE:
		/* We cache no shared memory: "empty", which ends the driver's loop. */
		c->a[0] = OPTEE_SMC_RETURN_ENOTAVAIL;
		c->a[1] = c->a[2] = c->a[3] = 0;
		break;
	case OPTEE_SMC_ENABLE_SHM_CACHE:
		/* Nothing to cache, but the driver waits until this says OK. */
		c->a[0] = OPTEE_SMC_RETURN_OK;
		c->a[1] = c->a[2] = c->a[3] = 0;
		break;
	case OPTEE_SMC_GET_SHM_CONFIG:
		c->a[0] = OPTEE_SMC_RETURN_ENOTAVAIL; /* no reserved shared memory */
		c->a[1] = c->a[2] = c->a[3] = 0;
		break;
	case OPTEE_SMC_GET_THREAD_COUNT:
		c->a[0] = OPTEE_SMC_RETURN_OK;
		c->a[1] = VTZ_TEE_THREAD_COUNT;
		c->a[2] = c->a[3] = 0;
		break;
	default:
		c->a[0] = OPTEE_SMC_RETURN_UNKNOWN_FUNCTION;
		c->a[1] = c->a[2] = c->a[3] = 0;
		break;
	}
}

void tee_exception(uint64_t kind, uint64_t esr, uint64_t elr, uint64_t far)
{
	(void)kind;
	tee_log("FATAL: unexpected exception in the TEE: ESR=0x%llx ELR=0x%llx "
			      "FAR=0x%llx\n",
		    (unsigned long long)esr, (unsigned long long)elr, (unsigned long long)far);
}
