// SPDX-License-Identifier: MIT
/*
 * vtz-client: a Linux program that talks to this VM's own TEE through
 * the stock optee driver and Debian's libteec (the GlobalPlatform TEE
 * Client API), exercising vTZ's built-in trusted applications.
 *
 * usage: vtz-client COMMAND [ARGS]
 *   ping                 echo TA ADD: 0x1234 + 0x5678 must be 0x68ac
 *   echo-mem [SIZE]      echo TA ECHO_MEM: SIZE bytes (default 12388, at most
 *                        16 MiB) from a registered buffer that starts
 *                        mid-page and spans several pages, into an
 *                        allocated shared buffer; checks the byte sum and
 *                        the copy
 *   alloc-mem SIZE       the same, both buffers from TEEC_AllocateSharedMemory
 *   sessions N           opens N sessions to the echo TA at once (N <= 1024),
 *                        calls each, then closes them; the TEE holds 64
 *   yield N              echo TA YIELD: the TA returns to Linux N times
 *                        (N <= 16) before finishing
 *   notify               echo TA NOTIFY: the TEE raises an asynchronous
 *                        notification (its interrupt to Linux's driver,
 *                        which then runs a bottom half in the TEE); prints
 *                        how many bottom halves had run before it
 *   put KEY VALUE        store TA PUT
 *   get KEY [MAX]        store TA GET into a MAX-byte buffer (default 512):
 *                        prints the value
 *   delete KEY           store TA DELETE
 *   mac INDEX MESSAGE    key TA MAC: prints the 32-byte tag in hex
 *   attest NONCE         attestation TA: the report this TEE's dispatcher
 *                        signed over NONCE (64 hex digits, 32 bytes), as one
 *                        line "vtz-client: attest report: HEX" (check it on
 *                        the host with scripts/vtz_attest.py)
 *   loop N               N echo TA ADD calls, each checked; prints a summary
 *   optee-loop N         the same with OP-TEE OS's test pseudo TA (a + b)
 *   uuid UUID [N]        opens (and closes) a session to any UUID, e.g. to
 *                        see the bad-UUID error; N times in a row if given
 *   fw-update FILE       hands a firmware bundle (make firmware-update) to
 *                        the monitor through the VM's firmware mailbox
 *                        (fw_update.c); needs root (/dev/mem)
 *
 * Every outcome is one line on stdout, "vtz-client: COMMAND ...: ok ..."
 * or, on stderr, "vtz-client: error: ...". Exit codes: see result.h
 * (0 ok, 1 key not found, 2 usage, 3 no TEE, 4 session, 5 invoke,
 * 6 short buffer, 7 wrong answer, 8 shared memory, 9 fw-update file or
 * mailbox, 10 update refused).
 */
#define _POSIX_C_SOURCE 200809L

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <tee_client_api.h>

#include "fw_update.h"
#include "result.h"
#include "vtz_abi.h"

#define PAGE_SIZE 4096u
/* echo-mem's registered buffer starts this far into its first page. */
#define ECHO_MEM_OFFSET 100u
#define ECHO_MEM_DEFAULT (3 * PAGE_SIZE + 100)
#define ECHO_MEM_MAX (16u * 1024u * 1024u)
#define SESSIONS_MAX 1024u

struct tee {
	TEEC_Context ctx;
	TEEC_Session sess;
	bool have_ctx;
	bool have_sess;
};

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void fail(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("vtz-client: error: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void uuid_from_octets(const uint8_t o[VTZ_UUID_LEN], TEEC_UUID *u)
{
	u->timeLow = (uint32_t)o[0] << 24 | (uint32_t)o[1] << 16 | (uint32_t)o[2] << 8 | o[3];
	u->timeMid = (uint16_t)(o[4] << 8 | o[5]);
	u->timeHiAndVersion = (uint16_t)(o[6] << 8 | o[7]);
	memcpy(u->clockSeqAndNode, &o[8], 8);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (RFC 4122 text) to octets. */
static bool uuid_parse(const char *s, uint8_t o[VTZ_UUID_LEN])
{
	unsigned int n = 0;

	if (strlen(s) != 36)
		return false;
	for (unsigned int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
			continue;
		}
		int hi = hexval(s[i]), lo = hexval(s[i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		o[n++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	return n == VTZ_UUID_LEN;
}

static bool parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	unsigned long v = strtoul(s, &end, 0);

	if (errno || end == s || *end || s[0] == '-' || v > max)
		return false;
	*out = v;
	return true;
}

static int tee_open(struct tee *t, const TEEC_UUID *uuid, const char *what)
{
	uint32_t origin = 0;
	TEEC_Result res = TEEC_InitializeContext(NULL, &t->ctx);

	if (res != TEEC_SUCCESS) {
		fail("no TEE (TEEC_InitializeContext: 0x%08" PRIx32 " %s): is the optee driver loaded?",
		     res, teec_result_name(res));
		return VTZ_EXIT_NO_TEE;
	}
	t->have_ctx = true;
	res = TEEC_OpenSession(&t->ctx, &t->sess, uuid, TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);
	if (res != TEEC_SUCCESS) {
		fail("%s: %s (TEEC_OpenSession: 0x%08" PRIx32 " %s, origin %s)", what,
		     res == TEEC_ERROR_ITEM_NOT_FOUND ? "bad UUID" : "cannot open a session", res,
		     teec_result_name(res), teec_origin_name(origin));
		return VTZ_EXIT_SESSION;
	}
	t->have_sess = true;
	return VTZ_EXIT_OK;
}

static int tee_open_ta(struct tee *t, const uint8_t octets[VTZ_UUID_LEN], const char *what)
{
	TEEC_UUID uuid;

	uuid_from_octets(octets, &uuid);
	return tee_open(t, &uuid, what);
}

static void tee_close(struct tee *t)
{
	if (t->have_sess)
		TEEC_CloseSession(&t->sess);
	if (t->have_ctx)
		TEEC_FinalizeContext(&t->ctx);
	t->have_sess = t->have_ctx = false;
}

/*
 * uuid UUID N: N sessions opened and closed in turn, each through the
 * TEE's own session code: a workload for any TEE, OP-TEE's pseudo TAs
 * included (the attack suite's Linux guests with OP-TEE).
 */
static int cmd_uuid_loop(const uint8_t octets[VTZ_UUID_LEN], const char *what, unsigned long n)
{
	struct timespec t0, t1;
	unsigned long i;
	uint64_t us;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < n; i++) {
		struct tee t = { 0 };
		int ret = tee_open_ta(&t, octets, what);

		tee_close(&t);
		if (ret)
			return ret;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000u +
	     (uint64_t)((t1.tv_nsec - t0.tv_nsec) / 1000);
	printf("vtz-client: %s %lu: ok (%lu sessions opened and closed in %" PRIu64 " us)\n",
	       what, n, n, us);
	return 0;
}

/*
 * Reports a failed TEEC_InvokeCommand. needed: the size the TEE asked for
 * with TEEC_ERROR_SHORT_BUFFER (libteec writes it back into the memref).
 */
static int invoke_failed(const char *what, TEEC_Result res, uint32_t origin, size_t needed)
{
	if (res == TEEC_ERROR_SHORT_BUFFER) {
		fail("%s: buffer too small (TEEC_ERROR_SHORT_BUFFER, needs %zu bytes)", what, needed);
		return VTZ_EXIT_SHORT_BUFFER;
	}
	if (res == TEEC_ERROR_ITEM_NOT_FOUND && origin == TEEC_ORIGIN_TRUSTED_APP) {
		fail("%s: not found (TEEC_ERROR_ITEM_NOT_FOUND)", what);
		return VTZ_EXIT_NOT_FOUND;
	}
	fail("%s: failed (TEEC_InvokeCommand: 0x%08" PRIx32 " %s, origin %s)", what, res,
	     teec_result_name(res), teec_origin_name(origin));
	return VTZ_EXIT_INVOKE;
}

static TEEC_Result invoke(struct tee *t, uint32_t cmd, TEEC_Operation *op, uint32_t *origin)
{
	*origin = 0;
	return TEEC_InvokeCommand(&t->sess, cmd, op, origin);
}

static TEEC_Result echo_add(struct tee *t, uint32_t a, uint32_t b, uint32_t *sum,
			    uint32_t *origin)
{
	TEEC_Operation op;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = a;
	op.params[0].value.b = b;
	res = invoke(t, VTZ_ECHO_ADD, &op, origin);
	*sum = op.params[1].value.a;
	return res;
}

static int cmd_ping(struct tee *t)
{
	uint32_t sum, origin;
	TEEC_Result res = echo_add(t, 0x1234, 0x5678, &sum, &origin);

	if (res != TEEC_SUCCESS)
		return invoke_failed("ping", res, origin, 0);
	if (sum != 0x68ac) {
		fail("ping: wrong answer: 0x1234 + 0x5678 = 0x%" PRIx32, sum);
		return VTZ_EXIT_MISMATCH;
	}
	printf("vtz-client: ping: ok (0x1234 + 0x5678 = 0x%" PRIx32 ")\n", sum);
	return VTZ_EXIT_OK;
}

static int cmd_loop(struct tee *t, unsigned long n)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned long i = 0; i < n; i++) {
		uint32_t a = (uint32_t)i, b = (uint32_t)(2 * i + 1), sum, origin;
		TEEC_Result res = echo_add(t, a, b, &sum, &origin);

		if (res != TEEC_SUCCESS) {
			char what[48];

			snprintf(what, sizeof(what), "loop: call %lu", i);
			return invoke_failed(what, res, origin, 0);
		}
		if (sum != a + b) {
			fail("loop: call %lu: wrong answer: %" PRIu32 " + %" PRIu32 " = %" PRIu32, i,
			     a, b, sum);
			return VTZ_EXIT_MISMATCH;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	uint64_t us = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000u +
		      (uint64_t)((t1.tv_nsec - t0.tv_nsec) / 1000);
	printf("vtz-client: loop %lu: ok (%lu calls in %" PRIu64 " us, %" PRIu64 " us/call)\n", n,
	       n, us, n ? us / n : 0);
	return VTZ_EXIT_OK;
}

/*
 * optee-loop N: the same timed loop against OP-TEE OS's own test pseudo TA
 * (PTA_INVOKE_TESTS, command PARAMS with one VALUE_INOUT: a + b into a),
 * so the same figure exists for OP-TEE as for our echo TA (make bench).
 */
#define OPTEE_PTA_INVOKE_TESTS "d96a5b40-c3e5-21e3-8794-1002a5d5c61b"
#define OPTEE_PTA_INVOKE_TESTS_CMD_PARAMS 1

static int cmd_optee_loop(struct tee *t, unsigned long n)
{
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (unsigned long i = 0; i < n; i++) {
		uint32_t a = (uint32_t)i, b = (uint32_t)(2 * i + 1), origin;
		TEEC_Operation op;
		TEEC_Result res;

		memset(&op, 0, sizeof(op));
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
		op.params[0].value.a = a;
		op.params[0].value.b = b;
		res = invoke(t, OPTEE_PTA_INVOKE_TESTS_CMD_PARAMS, &op, &origin);
		if (res != TEEC_SUCCESS) {
			char what[48];

			snprintf(what, sizeof(what), "optee-loop: call %lu", i);
			return invoke_failed(what, res, origin, 0);
		}
		if (op.params[0].value.a != a + b) {
			fail("optee-loop: call %lu: wrong answer: %" PRIu32 " + %" PRIu32 " = %" PRIu32,
			     i, a, b, op.params[0].value.a);
			return VTZ_EXIT_MISMATCH;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	uint64_t us = (uint64_t)(t1.tv_sec - t0.tv_sec) * 1000000u +
		      (uint64_t)((t1.tv_nsec - t0.tv_nsec) / 1000);
	printf("vtz-client: optee-loop %lu: ok (%lu calls in %" PRIu64 " us, %" PRIu64
	       " us/call)\n", n, n, us, n ? us / n : 0);
	return VTZ_EXIT_OK;
}

static int cmd_yield(struct tee *t, unsigned long n)
{
	TEEC_Operation op;
	uint32_t origin;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = (uint32_t)n;
	res = invoke(t, VTZ_ECHO_YIELD, &op, &origin);
	if (res != TEEC_SUCCESS)
		return invoke_failed("yield", res, origin, 0);
	printf("vtz-client: yield %lu: ok (%" PRIu32 " resumes)\n", n, op.params[0].value.b);
	return VTZ_EXIT_OK;
}

static int cmd_notify(struct tee *t)
{
	TEEC_Operation op;
	uint32_t origin;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	res = invoke(t, VTZ_ECHO_NOTIFY, &op, &origin);
	if (res != TEEC_SUCCESS)
		return invoke_failed("notify", res, origin, 0);
	printf("vtz-client: notify: ok (%" PRIu32 " bottom halves before)\n",
	       op.params[0].value.a);
	return VTZ_EXIT_OK;
}

/*
 * ECHO_MEM through both kinds of shared memory. registered: the input is
 * our own buffer registered with TEEC_RegisterSharedMemory (deliberately
 * not page aligned, so the driver passes a page list with an offset);
 * else one libteec allocates, like the output always is. Sizes beyond the
 * TEE's per-call copy (8 KiB) are streamed by the TA: this checks every
 * byte and the sum end to end.
 */
static int cmd_echo_mem(struct tee *t, size_t size, bool registered)
{
	const char *name = registered ? "echo-mem" : "alloc-mem";
	TEEC_SharedMemory in = { 0 }, out = { 0 };
	TEEC_Operation op;
	uint32_t origin, sum = 0;
	void *raw = NULL;
	uint8_t *buf;
	TEEC_Result res;
	int ret;

	if (registered) {
		if (posix_memalign(&raw, PAGE_SIZE, ECHO_MEM_OFFSET + size + PAGE_SIZE)) {
			fail("%s: out of memory for %zu bytes", name, size);
			return VTZ_EXIT_SHM;
		}
		in.buffer = (uint8_t *)raw + ECHO_MEM_OFFSET;
		in.size = size;
		in.flags = TEEC_MEM_INPUT;
		res = TEEC_RegisterSharedMemory(&t->ctx, &in);
	} else {
		in.size = size;
		in.flags = TEEC_MEM_INPUT;
		res = TEEC_AllocateSharedMemory(&t->ctx, &in);
	}
	if (res != TEEC_SUCCESS) {
		fail("%s: cannot %s %zu bytes (%s: 0x%08" PRIx32 " %s)", name,
		     registered ? "register" : "allocate", size,
		     registered ? "TEEC_RegisterSharedMemory" : "TEEC_AllocateSharedMemory", res,
		     teec_result_name(res));
		free(raw);
		return VTZ_EXIT_SHM;
	}
	buf = in.buffer;
	for (size_t i = 0; i < size; i++) {
		buf[i] = (uint8_t)(i * 7 + 3 + (i >> 12));
		sum += buf[i];
	}
	out.size = size;
	out.flags = TEEC_MEM_OUTPUT;
	res = TEEC_AllocateSharedMemory(&t->ctx, &out);
	if (res != TEEC_SUCCESS) {
		fail("%s: cannot allocate %zu bytes (TEEC_AllocateSharedMemory: 0x%08" PRIx32
		     " %s)",
		     name, size, res, teec_result_name(res));
		TEEC_ReleaseSharedMemory(&in);
		free(raw);
		return VTZ_EXIT_SHM;
	}
	memset(out.buffer, 0, size);

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_MEMREF_PARTIAL_OUTPUT,
					 TEEC_VALUE_OUTPUT, TEEC_NONE);
	op.params[0].memref.parent = &in;
	op.params[1].memref.parent = &out;
	op.params[1].memref.offset = 0;
	op.params[1].memref.size = size;
	res = invoke(t, VTZ_ECHO_ECHO_MEM, &op, &origin);

	size_t pages = ((registered ? ECHO_MEM_OFFSET : 0) + size + PAGE_SIZE - 1) / PAGE_SIZE;

	if (res != TEEC_SUCCESS) {
		ret = invoke_failed(name, res, origin, op.params[1].memref.size);
	} else if (op.params[2].value.a != sum) {
		fail("%s %zu: wrong byte sum: TEE 0x%" PRIx32 ", expected 0x%" PRIx32, name, size,
		     op.params[2].value.a, sum);
		ret = VTZ_EXIT_MISMATCH;
	} else if (op.params[1].memref.size != size || memcmp(out.buffer, buf, size)) {
		fail("%s %zu: the copy differs (%zu bytes returned)", name, size,
		     op.params[1].memref.size);
		ret = VTZ_EXIT_MISMATCH;
	} else {
		printf("vtz-client: %s %zu: ok (sum 0x%" PRIx32
		       ", copy matches, input spans %zu pages)\n",
		       name, size, sum, pages);
		ret = VTZ_EXIT_OK;
	}
	TEEC_ReleaseSharedMemory(&out);
	TEEC_ReleaseSharedMemory(&in);
	free(raw);
	return ret;
}

/*
 * N sessions open at once in one context, each called (echo TA ADD) while
 * all are open, then all closed. The TEE keeps 64: the 65th open is
 * refused with TEEC_ERROR_OUT_OF_MEMORY, which we report as such.
 */
static int cmd_sessions(struct tee *t, unsigned long n)
{
	TEEC_Session *sess = calloc(n ? n : 1, sizeof(*sess));
	TEEC_UUID uuid;
	unsigned long opened = 0, i;
	int ret = VTZ_EXIT_OK;

	if (!sess) {
		fail("sessions %lu: out of memory", n);
		return VTZ_EXIT_SHM;
	}
	uuid_from_octets(vtz_ta_echo_uuid, &uuid);
	for (; opened < n; opened++) {
		uint32_t origin = 0;
		TEEC_Result res = TEEC_OpenSession(&t->ctx, &sess[opened], &uuid,
						   TEEC_LOGIN_PUBLIC, NULL, NULL, &origin);

		if (res != TEEC_SUCCESS) {
			/* One console line (160 columns) even for 4-digit counts. */
			fail("sessions %lu: session %lu refused, %lu open (TEEC_OpenSession: "
			     "0x%08" PRIx32 " %s, origin %s)%s",
			     n, opened + 1, opened, res, teec_result_name(res),
			     teec_origin_name(origin),
			     res == TEEC_ERROR_OUT_OF_MEMORY ? ": TEE session table full"
							     : "");
			ret = VTZ_EXIT_SESSION;
			break;
		}
	}
	for (i = 0; i < opened && ret == VTZ_EXIT_OK; i++) {
		TEEC_Operation op;
		uint32_t origin = 0;
		TEEC_Result res;

		memset(&op, 0, sizeof(op));
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE,
						 TEEC_NONE);
		op.params[0].value.a = (uint32_t)i;
		op.params[0].value.b = 1000;
		res = TEEC_InvokeCommand(&sess[i], VTZ_ECHO_ADD, &op, &origin);
		if (res != TEEC_SUCCESS) {
			char what[64];

			snprintf(what, sizeof(what), "sessions %lu: session %lu", n, i + 1);
			ret = invoke_failed(what, res, origin, 0);
		} else if (op.params[1].value.a != i + 1000) {
			fail("sessions %lu: session %lu: wrong answer %" PRIu32, n, i + 1,
			     op.params[1].value.a);
			ret = VTZ_EXIT_MISMATCH;
		}
	}
	for (i = 0; i < opened; i++)
		TEEC_CloseSession(&sess[i]);
	free(sess);
	if (ret == VTZ_EXIT_OK)
		printf("vtz-client: sessions %lu: ok (%lu open at once, each answered)\n", n, n);
	return ret;
}

static void set_tmpref(TEEC_Parameter *p, const void *buf, size_t size)
{
	p->tmpref.buffer = (void *)buf;
	p->tmpref.size = size;
}

static int cmd_put(struct tee *t, const char *key, const char *value)
{
	TEEC_Operation op;
	uint32_t origin;
	TEEC_Result res;
	char what[96];

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE,
					 TEEC_NONE);
	set_tmpref(&op.params[0], key, strlen(key));
	set_tmpref(&op.params[1], value, strlen(value));
	res = invoke(t, VTZ_STORE_PUT, &op, &origin);
	snprintf(what, sizeof(what), "put %s", key);
	if (res != TEEC_SUCCESS)
		return invoke_failed(what, res, origin, 0);
	printf("vtz-client: %s: ok\n", what);
	return VTZ_EXIT_OK;
}

/* Prints bytes as text, escaping what a terminal or grep would choke on. */
static void print_bytes(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (b[i] >= 0x20 && b[i] < 0x7f && b[i] != '\\')
			putchar(b[i]);
		else
			printf("\\x%02x", b[i]);
	}
}

static int cmd_get(struct tee *t, const char *key, size_t max)
{
	uint8_t *value = malloc(max ? max : 1);
	TEEC_Operation op;
	uint32_t origin;
	TEEC_Result res;
	char what[96];
	int ret;

	if (!value) {
		fail("get: out of memory");
		return VTZ_EXIT_SHM;
	}
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	set_tmpref(&op.params[0], key, strlen(key));
	/* libteec turns a NULL buffer of size 0 into a "how big?" query. */
	set_tmpref(&op.params[1], max ? value : NULL, max);
	res = invoke(t, VTZ_STORE_GET, &op, &origin);
	snprintf(what, sizeof(what), "get %s", key);
	if (res != TEEC_SUCCESS) {
		ret = invoke_failed(what, res, origin, op.params[1].tmpref.size);
	} else {
		printf("vtz-client: %s: ", what);
		print_bytes(value, op.params[1].tmpref.size);
		putchar('\n');
		ret = VTZ_EXIT_OK;
	}
	free(value);
	return ret;
}

static int cmd_delete(struct tee *t, const char *key)
{
	TEEC_Operation op;
	uint32_t origin;
	TEEC_Result res;
	char what[96];

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	set_tmpref(&op.params[0], key, strlen(key));
	res = invoke(t, VTZ_STORE_DELETE, &op, &origin);
	snprintf(what, sizeof(what), "delete %s", key);
	if (res != TEEC_SUCCESS)
		return invoke_failed(what, res, origin, 0);
	printf("vtz-client: %s: ok\n", what);
	return VTZ_EXIT_OK;
}

static int cmd_mac(struct tee *t, unsigned long index, const char *msg)
{
	uint8_t tag[VTZ_KEY_TAG_SIZE];
	TEEC_Operation op;
	uint32_t origin;
	TEEC_Result res;
	char what[48];

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE);
	op.params[0].value.a = (uint32_t)index;
	set_tmpref(&op.params[1], msg, strlen(msg));
	set_tmpref(&op.params[2], tag, sizeof(tag));
	res = invoke(t, VTZ_KEY_MAC, &op, &origin);
	snprintf(what, sizeof(what), "mac %lu", index);
	if (res != TEEC_SUCCESS)
		return invoke_failed(what, res, origin, op.params[2].tmpref.size);
	if (op.params[2].tmpref.size != sizeof(tag)) {
		fail("%s: tag of %zu bytes, expected %zu", what, op.params[2].tmpref.size,
		     sizeof(tag));
		return VTZ_EXIT_MISMATCH;
	}
	printf("vtz-client: %s: ", what);
	for (size_t i = 0; i < sizeof(tag); i++)
		printf("%02x", tag[i]);
	putchar('\n');
	return VTZ_EXIT_OK;
}

/* 64 hex digits -> 32 bytes; false on anything else. */
static bool parse_nonce(const char *s, uint8_t nonce[VTZ_NONCE_SIZE])
{
	size_t i;

	if (strlen(s) != 2 * VTZ_NONCE_SIZE)
		return false;
	for (i = 0; i < VTZ_NONCE_SIZE; i++) {
		unsigned int v;

		if (!isxdigit((unsigned char)s[2 * i]) || !isxdigit((unsigned char)s[2 * i + 1]) ||
		    sscanf(s + 2 * i, "%2x", &v) != 1)
			return false;
		nonce[i] = (uint8_t)v;
	}
	return true;
}

static int cmd_attest(struct tee *t, const uint8_t nonce[VTZ_NONCE_SIZE])
{
	uint8_t report[VTZ_REPORT_SIZE];
	TEEC_Operation op;
	uint32_t origin;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_OUTPUT,
					 TEEC_NONE, TEEC_NONE);
	set_tmpref(&op.params[0], nonce, VTZ_NONCE_SIZE);
	set_tmpref(&op.params[1], report, sizeof(report));
	res = invoke(t, VTZ_ATTEST_ATTEST, &op, &origin);
	if (res != TEEC_SUCCESS)
		return invoke_failed("attest", res, origin, op.params[1].tmpref.size);
	if (op.params[1].tmpref.size != sizeof(report)) {
		fail("attest: report of %zu bytes, expected %zu", op.params[1].tmpref.size,
		     sizeof(report));
		return VTZ_EXIT_MISMATCH;
	}
	printf("vtz-client: attest report: ");
	for (size_t i = 0; i < sizeof(report); i++)
		printf("%02x", report[i]);
	putchar('\n');
	return VTZ_EXIT_OK;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: vtz-client COMMAND [ARGS]\n"
		"  ping | echo-mem [SIZE] | alloc-mem SIZE | sessions N | yield N | loop N | notify\n"
		"  put KEY VALUE | get KEY [MAX] | delete KEY\n"
		"  mac INDEX MESSAGE | attest NONCE (64 hex digits) | uuid UUID\n"
		"  fw-update FILE\n");
	return VTZ_EXIT_USAGE;
}

static int bad_arg(const char *cmd, const char *arg)
{
	fail("%s: bad argument '%s'", cmd, arg);
	return usage();
}

/* Checks argc, opens a session to the command's TA and runs it. */
int main(int argc, char **argv)
{
	struct tee t = { 0 };
	unsigned long n = 0;
	const char *cmd;
	int ret;

	if (argc < 2)
		return usage();
	cmd = argv[1];
	argc -= 2;
	argv += 2;

	/* No TEE involved: the bundle goes to the monitor (fw_update.c). */
	if (!strcmp(cmd, "fw-update") && argc == 1)
		return cmd_fw_update(argv[0]);
	if (!strcmp(cmd, "ping") && argc == 0) {
		ret = tee_open_ta(&t, vtz_ta_echo_uuid, "echo TA");
		if (!ret)
			ret = cmd_ping(&t);
	} else if (!strcmp(cmd, "loop") && argc == 1) {
		if (!parse_ulong(argv[0], 100000000ul, &n))
			return bad_arg(cmd, argv[0]);
		ret = tee_open_ta(&t, vtz_ta_echo_uuid, "echo TA");
		if (!ret)
			ret = cmd_loop(&t, n);
	} else if (!strcmp(cmd, "optee-loop") && argc == 1) {
		uint8_t octets[VTZ_UUID_LEN];

		if (!parse_ulong(argv[0], 100000000ul, &n))
			return bad_arg(cmd, argv[0]);
		if (!uuid_parse(OPTEE_PTA_INVOKE_TESTS, octets))
			return VTZ_EXIT_USAGE;
		ret = tee_open_ta(&t, octets, "OP-TEE's test pseudo TA");
		if (!ret)
			ret = cmd_optee_loop(&t, n);
	} else if (!strcmp(cmd, "yield") && argc == 1) {
		if (!parse_ulong(argv[0], VTZ_ECHO_MAX_YIELDS, &n))
			return bad_arg(cmd, argv[0]);
		ret = tee_open_ta(&t, vtz_ta_echo_uuid, "echo TA");
		if (!ret)
			ret = cmd_yield(&t, n);
	} else if (!strcmp(cmd, "notify") && argc == 0) {
		ret = tee_open_ta(&t, vtz_ta_echo_uuid, "echo TA");
		if (!ret)
			ret = cmd_notify(&t);
	} else if (!strcmp(cmd, "echo-mem") && argc <= 1) {
		n = ECHO_MEM_DEFAULT;
		if (argc == 1 && (!parse_ulong(argv[0], ECHO_MEM_MAX, &n) || n == 0))
			return bad_arg(cmd, argv[0]);
		ret = tee_open_ta(&t, vtz_ta_echo_uuid, "echo TA");
		if (!ret)
			ret = cmd_echo_mem(&t, n, true);
	} else if (!strcmp(cmd, "alloc-mem") && argc == 1) {
		if (!parse_ulong(argv[0], ECHO_MEM_MAX, &n) || n == 0)
			return bad_arg(cmd, argv[0]);
		ret = tee_open_ta(&t, vtz_ta_echo_uuid, "echo TA");
		if (!ret)
			ret = cmd_echo_mem(&t, n, false);
	} else if (!strcmp(cmd, "sessions") && argc == 1) {
		if (!parse_ulong(argv[0], SESSIONS_MAX, &n) || n == 0)
			return bad_arg(cmd, argv[0]);
		/* A context only: the sessions are the command's own. */
		if (TEEC_InitializeContext(NULL, &t.ctx) != TEEC_SUCCESS) {
			fail("no TEE (TEEC_InitializeContext failed): is the optee driver loaded?");
			return VTZ_EXIT_NO_TEE;
		}
		t.have_ctx = true;
		ret = cmd_sessions(&t, n);
	} else if (!strcmp(cmd, "put") && argc == 2) {
		ret = tee_open_ta(&t, vtz_ta_store_uuid, "store TA");
		if (!ret)
			ret = cmd_put(&t, argv[0], argv[1]);
	} else if (!strcmp(cmd, "get") && (argc == 1 || argc == 2)) {
		n = VTZ_STORE_VALUE_MAX;
		if (argc == 2 && !parse_ulong(argv[1], ECHO_MEM_MAX, &n))
			return bad_arg(cmd, argv[1]);
		ret = tee_open_ta(&t, vtz_ta_store_uuid, "store TA");
		if (!ret)
			ret = cmd_get(&t, argv[0], n);
	} else if (!strcmp(cmd, "delete") && argc == 1) {
		ret = tee_open_ta(&t, vtz_ta_store_uuid, "store TA");
		if (!ret)
			ret = cmd_delete(&t, argv[0]);
	} else if (!strcmp(cmd, "mac") && argc == 2) {
		if (!parse_ulong(argv[0], UINT32_MAX, &n))
			return bad_arg(cmd, argv[0]);
		ret = tee_open_ta(&t, vtz_ta_key_uuid, "key TA");
		if (!ret)
			ret = cmd_mac(&t, n, argv[1]);
	} else if (!strcmp(cmd, "attest") && argc == 1) {
		uint8_t nonce[VTZ_NONCE_SIZE];

		if (!parse_nonce(argv[0], nonce))
			return bad_arg(cmd, argv[0]);
		ret = tee_open_ta(&t, vtz_ta_attest_uuid, "attestation TA");
		if (!ret)
			ret = cmd_attest(&t, nonce);
	} else if (!strcmp(cmd, "uuid") && (argc == 1 || argc == 2)) {
		uint8_t octets[VTZ_UUID_LEN];
		char what[64];

		n = 1;
		if (!uuid_parse(argv[0], octets))
			return bad_arg(cmd, argv[0]);
		if (argc == 2 && (!parse_ulong(argv[1], 1000000, &n) || !n))
			return bad_arg(cmd, argv[1]);
		snprintf(what, sizeof(what), "uuid %s", argv[0]);
		ret = argc == 1 ? tee_open_ta(&t, octets, what) : cmd_uuid_loop(octets, what, n);
		if (!ret && argc == 1)
			printf("vtz-client: %s: ok (session opened)\n", what);
	} else {
		return usage();
	}
	tee_close(&t);
	return ret;
}
