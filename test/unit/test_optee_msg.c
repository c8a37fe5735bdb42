/* SPDX-License-Identifier: MIT */
/*
 * The TEE's OP-TEE message layer (tee/msg.c) with the echo and store TAs,
 * on the host: a fake normal-world RAM, well-formed messages and every
 * rejection path a hostile normal world can reach. The key TA needs the
 * TEE's key and is left to the system test (test/system/test_optee.py).
 * The fake RAM holds two 4 MiB buffers: the sizes real clients use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <vtz/optee_abi.h>
#include <vtz/optee_msg.h>

#include "msg.h"

#define RAM_BASE 0x40000000ULL
#define PG 4096ULL
/* Room for two 4 MiB buffers, their page lists and the small tests' pages. */
#define RAM_PAGES 2400ULL
#define RAM_SIZE (RAM_PAGES * PG)
#define ARG (RAM_BASE + 0 * PG)
#define LIST (RAM_BASE + 1 * PG)
#define DATA (RAM_BASE + 2 * PG)
#define COOKIE 0xc0ffee00ULL

static uint8_t *ram;
static struct msg_ctx *ctx;
/* Two threads' bounce areas: calls use the first unless a test says otherwise. */
static struct msg_bounce *bounce, *bounce2;
static unsigned int rpc_calls;
static int rpc_result;
/* Run once at the next RPC, while the TA waits: what another thread does meanwhile. */
static void (*rpc_hook)(void);

static const struct ta_ops *const tas[] = { &ta_echo_ops, &ta_store_ops };
static const uint8_t echo_uuid[16] = VTZ_TA_ECHO_UUID;
static const uint8_t store_uuid[16] = VTZ_TA_STORE_UUID;

static int fake_rpc(void *priv, uint32_t func)
{
	assert_ptr_equal(priv, &rpc_calls);
	assert_int_equal(func, OPTEE_SMC_RPC_FUNC_FOREIGN_INTR);
	rpc_calls++;
	if (rpc_hook) {
		void (*hook)(void) = rpc_hook;

		rpc_hook = NULL;
		hook();
	}
	return rpc_result;
}

static int setup(void **state)
{
	(void)state;
	ram = calloc(1, RAM_SIZE);
	ctx = calloc(1, sizeof(*ctx));
	bounce = calloc(1, sizeof(*bounce));
	bounce2 = calloc(1, sizeof(*bounce2));
	assert_non_null(ram);
	assert_non_null(ctx);
	assert_non_null(bounce);
	assert_non_null(bounce2);
	ctx->view.host_base = ram;
	ctx->view.pa_base = RAM_BASE;
	ctx->view.size = RAM_SIZE;
	ctx->tas = tas;
	ctx->num_tas = 2;
	ctx->rpc = fake_rpc;
	ctx->rpc_priv = &rpc_calls;
	msg_ctx_init(ctx);
	ta_store_reset();
	rpc_calls = 0;
	rpc_result = 0;
	rpc_hook = NULL;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(ram);
	free(ctx);
	free(bounce);
	free(bounce2);
	return 0;
}

static void *at(uint64_t pa)
{
	return ram + (pa - RAM_BASE);
}

static struct optee_msg_arg *arg(void)
{
	return at(ARG);
}

static struct optee_msg_arg *msg(uint32_t cmd, uint32_t session, uint32_t func, uint32_t n)
{
	struct optee_msg_arg *a = arg();

	memset(a, 0, OPTEE_MSG_GET_ARG_SIZE(VTZ_MSG_MAX_PARAMS));
	a->cmd = cmd;
	a->session = session;
	a->func = func;
	a->num_params = n;
	a->ret = 0xdeadbeef;
	return a;
}

static uint32_t call(void)
{
	return msg_call_with_arg(ctx, bounce, ARG);
}

/* Call, expect SMC OK and this ret/origin. */
static void expect(uint32_t ret, uint32_t origin)
{
	assert_int_equal(call(), OPTEE_SMC_RETURN_OK);
	assert_int_equal(arg()->ret, ret);
	assert_int_equal(arg()->ret_origin, origin);
}

static void set_open(struct optee_msg_arg *a, const uint8_t uuid[16], uint64_t login)
{
	a->params[0].attr = OPTEE_MSG_ATTR_META | OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	memcpy(&a->params[0].u.value, uuid, 16);
	a->params[1].attr = OPTEE_MSG_ATTR_META | OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	a->params[1].u.value.c = login;
}

static uint32_t open_ta(const uint8_t uuid[16])
{
	set_open(msg(OPTEE_MSG_CMD_OPEN_SESSION, 0, 0, 2), uuid, OPTEE_MSG_LOGIN_PUBLIC);
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TEE);
	assert_int_not_equal(arg()->session, 0);
	return arg()->session;
}

static void set_rmem(unsigned int i, uint64_t attr, uint64_t offs, uint64_t size)
{
	arg()->params[i].attr = attr;
	arg()->params[i].u.rmem.offs = offs;
	arg()->params[i].u.rmem.size = size;
	arg()->params[i].u.rmem.shm_ref = COOKIE;
}

static void set_tmem(unsigned int i, uint64_t attr, uint64_t pa, uint64_t size)
{
	arg()->params[i].attr = attr;
	arg()->params[i].u.tmem.buf_ptr = pa;
	arg()->params[i].u.tmem.size = size;
}

/* Register pages (page numbers in the fake RAM) as a noncontiguous buffer. */
static void reg(uint64_t cookie, const unsigned int *pages, unsigned int n, uint64_t offset,
		uint64_t size, uint32_t want)
{
	uint64_t *list = at(LIST);
	struct optee_msg_arg *a;
	unsigned int i;

	memset(list, 0, PG);
	for (i = 0; i < n; i++)
		list[i] = RAM_BASE + pages[i] * PG;
	a = msg(OPTEE_MSG_CMD_REGISTER_SHM, 0, 0, 1);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT | OPTEE_MSG_ATTR_NONCONTIG;
	a->params[0].u.tmem.buf_ptr = LIST | offset;
	a->params[0].u.tmem.size = size;
	a->params[0].u.tmem.shm_ref = cookie;
	expect(want, TEEC_ORIGIN_TEE);
}

static const unsigned int scattered[] = { 40, 7, 33, 12 };

/* ---------------------------------------------------------------- header */

static void test_bad_message_address(void **state)
{
	(void)state;
	assert_int_equal(msg_call_with_arg(ctx, bounce, 0), OPTEE_SMC_RETURN_EBADADDR);
	assert_int_equal(msg_call_with_arg(ctx, bounce, RAM_BASE - 32), OPTEE_SMC_RETURN_EBADADDR);
	assert_int_equal(msg_call_with_arg(ctx, bounce, RAM_BASE + RAM_SIZE),
			 OPTEE_SMC_RETURN_EBADADDR);
	/* Header straddling the end of RAM. */
	assert_int_equal(msg_call_with_arg(ctx, bounce, RAM_BASE + RAM_SIZE - 16),
			 OPTEE_SMC_RETURN_EBADADDR);
	/* Misaligned (Device memory in the TEE). */
	assert_int_equal(msg_call_with_arg(ctx, bounce, ARG + 4), OPTEE_SMC_RETURN_EBADADDR);
	/* An address whose sum with any size wraps. */
	assert_int_equal(msg_call_with_arg(ctx, bounce, UINT64_MAX - 7), OPTEE_SMC_RETURN_EBADADDR);
}

static void test_params_past_end_of_ram(void **state)
{
	uint64_t pa = RAM_BASE + RAM_SIZE - 64;
	struct optee_msg_arg *a = at(pa);

	(void)state;
	memset(a, 0, 64);
	a->cmd = OPTEE_MSG_CMD_INVOKE_COMMAND;
	a->num_params = 2; /* 32 + 64 bytes: 32 past the end */
	assert_int_equal(msg_call_with_arg(ctx, bounce, pa), OPTEE_SMC_RETURN_EBADADDR);
	a->num_params = 1; /* fits exactly */
	assert_int_equal(msg_call_with_arg(ctx, bounce, pa), OPTEE_SMC_RETURN_OK);
	assert_int_equal(a->ret, TEEC_ERROR_BAD_PARAMETERS); /* no session 0 */
}

static void test_too_many_params(void **state)
{
	static const uint32_t ns[] = { VTZ_MSG_MAX_PARAMS + 1, 0x8000000, 0xffffffffU };
	unsigned int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		msg(OPTEE_MSG_CMD_OPEN_SESSION, 0, 0, ns[i]);
		expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
		assert_int_equal(arg()->session, 0);
	}
}

static void test_unknown_command(void **state)
{
	(void)state;
	msg(0x77, 0, 0, 0);
	assert_int_equal(call(), OPTEE_SMC_RETURN_EBADCMD);
	assert_int_equal(arg()->ret, TEEC_ERROR_NOT_SUPPORTED);
	msg(OPTEE_MSG_CMD_CANCEL, 0, 0, 0);
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TEE);
}

/*
 * Found by fuzz_optee_msg: a command that is not for a TA (here CANCEL)
 * with more parameters than a TA takes succeeded, and writing back the
 * outputs read past the TA's 4-entry parameter array (UBSan aborts here).
 */
static void test_many_params_on_a_non_ta_command(void **state)
{
	(void)state;
	msg(OPTEE_MSG_CMD_CANCEL, 0, 0, VTZ_MSG_MAX_PARAMS);
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TEE);
}

/* --------------------------------------------------------------- sessions */

static void test_open_session_rejections(void **state)
{
	static const uint8_t nobody[16] = { 1, 2, 3 };
	struct optee_msg_arg *a;

	(void)state;
	/* Fewer than the two meta parameters. */
	set_open(msg(OPTEE_MSG_CMD_OPEN_SESSION, 0, 0, 1), echo_uuid, 0);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	/* Meta flag missing, wrong type, an extra flag. */
	a = msg(OPTEE_MSG_CMD_OPEN_SESSION, 0, 0, 2);
	set_open(a, echo_uuid, 0);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	set_open(a, echo_uuid, 0);
	a->params[1].attr = OPTEE_MSG_ATTR_META | OPTEE_MSG_ATTR_TYPE_VALUE_INOUT;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	set_open(a, echo_uuid, 0);
	a->params[0].attr |= OPTEE_MSG_ATTR_NONCONTIG;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	/* A login class that does not exist. */
	set_open(a, echo_uuid, 3);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	set_open(a, echo_uuid, 0x100000000ULL);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	/* Unknown TA. */
	set_open(a, nobody, 0);
	expect(TEEC_ERROR_ITEM_NOT_FOUND, TEEC_ORIGIN_TEE);
	assert_int_equal(a->session, 0);
	/* A meta parameter among the TA's. */
	a = msg(OPTEE_MSG_CMD_OPEN_SESSION, 0, 0, 3);
	set_open(a, echo_uuid, 0);
	a->params[2].attr = OPTEE_MSG_ATTR_META | OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	/* None of that left a session behind. */
	a = msg(OPTEE_MSG_CMD_INVOKE_COMMAND, 1, VTZ_TA_ECHO_CMD_ECHO, 0);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
}

static void test_sessions_bounded_and_closed(void **state)
{
	uint32_t ids[VTZ_MSG_MAX_SESSIONS];
	unsigned int i;

	(void)state;
	for (i = 0; i < VTZ_MSG_MAX_SESSIONS; i++)
		ids[i] = open_ta(i & 1 ? echo_uuid : store_uuid);
	set_open(msg(OPTEE_MSG_CMD_OPEN_SESSION, 0, 0, 2), echo_uuid, 0);
	expect(TEEC_ERROR_OUT_OF_MEMORY, TEEC_ORIGIN_TEE);
	/* Close takes no parameters and a live session. */
	msg(OPTEE_MSG_CMD_CLOSE_SESSION, ids[0], 0, 1);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	msg(OPTEE_MSG_CMD_CLOSE_SESSION, 0, 0, 0);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	msg(OPTEE_MSG_CMD_CLOSE_SESSION, ids[0], 0, 0);
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TEE);
	msg(OPTEE_MSG_CMD_CLOSE_SESSION, ids[0], 0, 0);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	/* The slot is free again, and ids are not reused. */
	assert_int_not_equal(open_ta(echo_uuid), ids[0]);
}

/* ------------------------------------------------------------ parameters */

static void test_values_and_output_rules(void **state)
{
	uint32_t s;
	struct optee_msg_arg *a;

	(void)state;
	s = open_ta(echo_uuid);
	a = msg(OPTEE_MSG_CMD_INVOKE_COMMAND, s, VTZ_TA_ECHO_CMD_ADD, 2);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	a->params[0].u.value.a = 40;
	a->params[0].u.value.b = 2;
	a->params[1].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
	a->params[1].u.value.a = 0x5555;
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP);
	assert_int_equal(a->params[1].u.value.a, 42);
	/* The TA refuses other types: nothing is written back on an error. */
	a->params[1].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INOUT;
	a->params[1].u.value.a = 0x5555;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TRUSTED_APP);
	assert_int_equal(a->params[1].u.value.a, 0x5555);
	/* Unknown command. */
	a->func = 99;
	expect(TEEC_ERROR_NOT_SUPPORTED, TEEC_ORIGIN_TRUSTED_APP);
}

static void test_attribute_rejections(void **state)
{
	static const uint64_t bad[] = {
		4, 8, 0xc, 0xff,                                         /* not a type */
		OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | OPTEE_MSG_ATTR_META,    /* meta to a TA */
		OPTEE_MSG_ATTR_TYPE_TMEM_INPUT | OPTEE_MSG_ATTR_NONCONTIG, /* page list */
		OPTEE_MSG_ATTR_TYPE_TMEM_INPUT | (1ULL << OPTEE_MSG_ATTR_CACHE_SHIFT),
		OPTEE_MSG_ATTR_TYPE_VALUE_INPUT | (1ULL << 63),
	};
	struct optee_msg_arg *a;
	unsigned int i;
	uint32_t s;

	(void)state;
	s = open_ta(echo_uuid);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = msg(OPTEE_MSG_CMD_INVOKE_COMMAND, s, VTZ_TA_ECHO_CMD_ECHO, 1);
		a->params[0].attr = bad[i];
		a->params[0].u.tmem.buf_ptr = DATA;
		a->params[0].u.tmem.size = 8;
		expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	}
	/* Five parameters for a TA that takes four. */
	msg(OPTEE_MSG_CMD_INVOKE_COMMAND, s, VTZ_TA_ECHO_CMD_ECHO, 5);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	/* No such session. */
	msg(OPTEE_MSG_CMD_INVOKE_COMMAND, s + 1, VTZ_TA_ECHO_CMD_ECHO, 0);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
}

static void test_tmem_bounds(void **state)
{
	uint8_t *in = at(DATA), *out = at(DATA + PG);
	struct optee_msg_arg *a;
	uint32_t s;

	(void)state;
	s = open_ta(echo_uuid);
	memset(in, 0xab, 100);
	a = msg(OPTEE_MSG_CMD_INVOKE_COMMAND, s, VTZ_TA_ECHO_CMD_ECHO_MEM, 3);
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, DATA, 100);
	set_tmem(1, OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, DATA + PG, 200);
	a->params[2].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP);
	assert_memory_equal(in, out, 100);
	assert_int_equal(a->params[1].u.tmem.size, 100);
	assert_int_equal(a->params[2].u.value.a, 100 * 0xab);
	/* Outside RAM, straddling its end, wrapping, below it. */
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, RAM_BASE + RAM_SIZE, 1);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, RAM_BASE + RAM_SIZE - 8, 9);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, DATA, UINT64_MAX - DATA + 2);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, 0x0e100000, 16);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	/* Bigger than a copy: streamed, and short: the size needed, the sum. */
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, RAM_BASE, VTZ_MSG_BOUNCE_SIZE);
	set_tmem(1, OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, DATA, 16);
	expect(TEEC_ERROR_SHORT_BUFFER, TEEC_ORIGIN_TRUSTED_APP);
	assert_int_equal(a->params[1].u.tmem.size, VTZ_MSG_BOUNCE_SIZE);
	/* Empty input: no address needed. */
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, 0, 0);
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP);
	assert_int_equal(a->params[1].u.tmem.size, 0);
}

/* ------------------------------------------------------- shared memory */

static void test_register_and_use_noncontig(void **state)
{
	uint8_t src[9000], dst[9000];
	struct optee_msg_arg *a;
	unsigned int i;
	uint64_t pos;
	uint32_t s;

	(void)state;
	reg(COOKIE, scattered, 4, 0x80, 4 * PG - 0x80, TEEC_SUCCESS);
	s = open_ta(echo_uuid);
	/* Fill the buffer's bytes 0..9000 through its pages, as the client does. */
	for (i = 0; i < sizeof(src); i++) {
		src[i] = (uint8_t)(i * 13 + 1);
		pos = 0x80 + i;
		((uint8_t *)at(RAM_BASE + scattered[pos / PG] * PG))[pos % PG] = src[i];
	}
	a = msg(OPTEE_MSG_CMD_INVOKE_COMMAND, s, VTZ_TA_ECHO_CMD_ECHO_MEM, 3);
	set_rmem(0, OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, 0, sizeof(src));
	set_tmem(1, OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, DATA, sizeof(dst));
	a->params[2].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP);
	memcpy(dst, at(DATA), sizeof(dst));
	assert_memory_equal(src, dst, sizeof(src));
	/* Short output: the size needed, and nothing written. */
	memset(at(DATA), 0, sizeof(dst));
	set_tmem(1, OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, DATA, 10);
	expect(TEEC_ERROR_SHORT_BUFFER, TEEC_ORIGIN_TRUSTED_APP);
	assert_int_equal(a->params[1].u.tmem.size, sizeof(src));
	assert_int_equal(((uint8_t *)at(DATA))[0], 0);
	/* rmem out of bounds, overflowing, of an unknown buffer. */
	set_tmem(1, OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, DATA, sizeof(dst));
	set_rmem(0, OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, 4 * PG - 0x80 - 8, 9);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	set_rmem(0, OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, 4 * PG, 0);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	set_rmem(0, OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, 8, UINT64_MAX - 4);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	set_rmem(0, OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, 0, 8);
	a->params[0].u.rmem.shm_ref = COOKIE + 1;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	a->params[0].u.rmem.shm_ref = 0;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);

	/* Unregister: wrong attribute, unknown, right, twice; then unusable. */
	a = msg(OPTEE_MSG_CMD_UNREGISTER_SHM, 0, 0, 1);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_INPUT;
	a->params[0].u.rmem.shm_ref = COOKIE;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_RMEM_INPUT;
	a->params[0].u.rmem.shm_ref = 0x1234;
	expect(TEEC_ERROR_ITEM_NOT_FOUND, TEEC_ORIGIN_TEE);
	a->num_params = 2;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	a->num_params = 1;
	a->params[0].u.rmem.shm_ref = COOKIE;
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TEE);
	expect(TEEC_ERROR_ITEM_NOT_FOUND, TEEC_ORIGIN_TEE);
	a = msg(OPTEE_MSG_CMD_INVOKE_COMMAND, s, VTZ_TA_ECHO_CMD_ECHO_MEM, 3);
	set_rmem(0, OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, 0, 8);
	set_tmem(1, OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, DATA, 8);
	a->params[2].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
}

static void test_register_rejections(void **state)
{
	const unsigned int outside[] = { 3, RAM_PAGES }; /* past the fake RAM */
	struct optee_msg_arg *a;
	uint64_t *list = at(LIST);
	unsigned int i;

	(void)state;
	/* Zero cookie, zero size, too big, too many pages once offset. */
	reg(0, scattered, 4, 0, PG, TEEC_ERROR_BAD_PARAMETERS);
	reg(COOKIE, scattered, 4, 0, 0, TEEC_ERROR_BAD_PARAMETERS);
	reg(COOKIE, scattered, 4, 0, UINT64_MAX, TEEC_ERROR_BAD_PARAMETERS);
	reg(COOKIE, scattered, 4, 0, VTZ_MSG_MAX_SHM_SIZE + 1, TEEC_ERROR_BAD_PARAMETERS);
	/* Fewer pages in the list than the size needs: the zero entry after them. */
	reg(COOKIE, scattered, 4, 8, 4 * PG, TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(ctx->pool_used, 0);
	reg(COOKIE, scattered, 4, 0, 4 * PG, TEEC_SUCCESS);
	/* The same cookie twice. */
	reg(COOKIE, scattered, 1, 0, PG, TEEC_ERROR_BAD_PARAMETERS);
	/* A page outside RAM, a page not page-aligned, a page at 0. */
	reg(COOKIE + 1, outside, 2, 0, 2 * PG, TEEC_ERROR_BAD_PARAMETERS);
	reg(COOKIE + 1, scattered, 2, 0, 2 * PG, TEEC_SUCCESS);
	list[1] += 8;
	a = arg();
	a->params[0].u.tmem.shm_ref = COOKIE + 2;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	list[1] = 0;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	/* The page list itself outside RAM. */
	a->params[0].u.tmem.buf_ptr = RAM_BASE + RAM_SIZE;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	a->params[0].u.tmem.buf_ptr = 0x0e100000;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	/* Wrong types and flags, wrong parameter count. */
	reg(COOKIE + 2, scattered, 1, 0, PG, TEEC_SUCCESS);
	a->params[0].u.tmem.shm_ref = COOKIE + 3;
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_RMEM_INPUT | OPTEE_MSG_ATTR_NONCONTIG;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INPUT;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_INPUT | OPTEE_MSG_ATTR_NONCONTIG |
			    OPTEE_MSG_ATTR_META;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_INPUT | OPTEE_MSG_ATTR_NONCONTIG;
	a->num_params = 0;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	a->num_params = 2;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	/* Contiguous registration: a range that must lie in RAM. */
	a->num_params = 1;
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_INOUT;
	a->params[0].u.tmem.buf_ptr = RAM_BASE + RAM_SIZE - PG + 16;
	a->params[0].u.tmem.size = PG;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	a->params[0].u.tmem.buf_ptr = DATA + 16;
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TEE);
	/* The table is bounded: 4 registered now, the rest fit. */
	for (i = 0; i < VTZ_MSG_MAX_SHM - 4; i++)
		reg(COOKIE + 10 + i, scattered, 1, 0, PG, TEEC_SUCCESS);
	reg(COOKIE + 9999, scattered, 1, 0, PG, TEEC_ERROR_OUT_OF_MEMORY);
}

/* ---------------------------------------------------------------- TAs */

static void store_call(uint32_t s, uint32_t cmd, const char *key, const char *val,
		       uint64_t out_size, uint32_t want)
{
	struct optee_msg_arg *a = msg(OPTEE_MSG_CMD_INVOKE_COMMAND, s, cmd, 2);

	memcpy(at(DATA), key, strlen(key));
	set_tmem(0, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, DATA, strlen(key));
	if (val) {
		memcpy(at(DATA + PG), val, strlen(val));
		set_tmem(1, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, DATA + PG, strlen(val));
	} else if (out_size) {
		memset(at(DATA + PG), 0, 1024);
		set_tmem(1, OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, DATA + PG, out_size);
	}
	assert_int_equal(call(), OPTEE_SMC_RETURN_OK);
	assert_int_equal(a->ret, want);
}

static void test_store_ta(void **state)
{
	char key[80];
	unsigned int i;
	uint32_t s;

	(void)state;
	s = open_ta(store_uuid);
	store_call(s, VTZ_TA_STORE_CMD_GET, "k", NULL, 64, TEEC_ERROR_ITEM_NOT_FOUND);
	assert_int_equal(arg()->ret_origin, TEEC_ORIGIN_TRUSTED_APP);
	store_call(s, VTZ_TA_STORE_CMD_PUT, "k", "hello", 0, TEEC_SUCCESS);
	store_call(s, VTZ_TA_STORE_CMD_GET, "k", NULL, 2, TEEC_ERROR_SHORT_BUFFER);
	assert_int_equal(arg()->params[1].u.tmem.size, 5);
	store_call(s, VTZ_TA_STORE_CMD_GET, "k", NULL, 64, TEEC_SUCCESS);
	assert_int_equal(arg()->params[1].u.tmem.size, 5);
	assert_memory_equal(at(DATA + PG), "hello", 5);
	store_call(s, VTZ_TA_STORE_CMD_PUT, "k", "bye", 0, TEEC_SUCCESS);
	store_call(s, VTZ_TA_STORE_CMD_GET, "k", NULL, 64, TEEC_SUCCESS);
	assert_memory_equal(at(DATA + PG), "bye", 3);
	store_call(s, VTZ_TA_STORE_CMD_DELETE, "k", NULL, 0, TEEC_SUCCESS);
	store_call(s, VTZ_TA_STORE_CMD_DELETE, "k", NULL, 0, TEEC_ERROR_ITEM_NOT_FOUND);
	/* Bounds: empty and long keys, long values, wrong types. */
	store_call(s, VTZ_TA_STORE_CMD_DELETE, "", NULL, 0, TEEC_ERROR_BAD_PARAMETERS);
	memset(key, 'x', sizeof(key));
	key[VTZ_TA_STORE_KEY_MAX + 1] = 0;
	store_call(s, VTZ_TA_STORE_CMD_PUT, key, "v", 0, TEEC_ERROR_BAD_PARAMETERS);
	key[VTZ_TA_STORE_KEY_MAX] = 0;
	store_call(s, VTZ_TA_STORE_CMD_PUT, key, "v", 0, TEEC_SUCCESS);
	store_call(s, VTZ_TA_STORE_CMD_PUT, "k", NULL, 1024, TEEC_ERROR_BAD_PARAMETERS);
	store_call(s, VTZ_TA_STORE_CMD_GET, "k", "in", 0, TEEC_ERROR_BAD_PARAMETERS);
	{
		static char big[VTZ_TA_STORE_VALUE_MAX + 2];

		memset(big, 'v', VTZ_TA_STORE_VALUE_MAX + 1);
		store_call(s, VTZ_TA_STORE_CMD_PUT, "k", big, 0, TEEC_ERROR_BAD_PARAMETERS);
	}
	/* A full store says so; one of the 16 was the long key. */
	for (i = 1; i < VTZ_TA_STORE_ITEMS; i++) {
		snprintf(key, sizeof(key), "key%u", i);
		store_call(s, VTZ_TA_STORE_CMD_PUT, key, "v", 0, TEEC_SUCCESS);
	}
	store_call(s, VTZ_TA_STORE_CMD_PUT, "one more", "v", 0, TEEC_ERROR_STORAGE_NO_SPACE);
	store_call(s, VTZ_TA_STORE_CMD_PUT, "key3", "replaced", 0, TEEC_SUCCESS);
}

static void test_rpc_from_a_ta(void **state)
{
	struct optee_msg_arg *a;
	uint32_t s;

	(void)state;
	s = open_ta(echo_uuid);
	a = msg(OPTEE_MSG_CMD_INVOKE_COMMAND, s, VTZ_TA_ECHO_CMD_YIELD, 1);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INOUT;
	a->params[0].u.value.a = 3;
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP);
	assert_int_equal(rpc_calls, 3);
	assert_int_equal(a->params[0].u.value.b, 3);
	a->params[0].u.value.a = VTZ_TA_ECHO_MAX_YIELDS + 1;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TRUSTED_APP);
	assert_int_equal(rpc_calls, 3);
	/* An RPC that fails ends the call with an error. */
	rpc_result = -1;
	a->params[0].u.value.a = 2;
	expect(TEEC_ERROR_COMMUNICATION, TEEC_ORIGIN_TRUSTED_APP);
	ctx->rpc = NULL;
	expect(TEEC_ERROR_COMMUNICATION, TEEC_ORIGIN_TRUSTED_APP);
}

/* ---------------------------------------------- asynchronous notification */

static int notify_result;
static unsigned int notify_calls;

static int fake_notify(void)
{
	notify_calls++;
	return notify_result;
}

/* The echo TA's NOTIFY raises one; the driver's bottom halves are counted. */
static void test_notify_and_bottom_half(void **state)
{
	struct optee_msg_arg *a;
	uint32_t s;

	(void)state;
	ctx->notify = fake_notify;
	notify_calls = 0;
	notify_result = 0;
	s = open_ta(echo_uuid);
	a = msg(OPTEE_MSG_CMD_INVOKE_COMMAND, s, VTZ_TA_ECHO_CMD_NOTIFY, 1);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP);
	assert_int_equal(notify_calls, 1);
	assert_int_equal(a->params[0].u.value.a, 0);
	/* The driver's bottom half: no parameters. */
	msg(OPTEE_MSG_CMD_DO_BOTTOM_HALF, 0, 0, 0);
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TEE);
	msg(OPTEE_MSG_CMD_DO_BOTTOM_HALF, 0, 0, 1);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	a = msg(OPTEE_MSG_CMD_INVOKE_COMMAND, s, VTZ_TA_ECHO_CMD_NOTIFY, 1);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP);
	assert_int_equal(a->params[0].u.value.a, 1);
	/* Not enabled by the normal world, or no way to raise: BAD_STATE. */
	notify_result = -1;
	expect(TEEC_ERROR_BAD_STATE, TEEC_ORIGIN_TRUSTED_APP);
	ctx->notify = NULL;
	expect(TEEC_ERROR_BAD_STATE, TEEC_ORIGIN_TRUSTED_APP);
	assert_int_equal(notify_calls, 3);
	/* Other parameter types are refused before anything is raised. */
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INOUT;
	ctx->notify = fake_notify;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TRUSTED_APP);
	assert_int_equal(notify_calls, 3);
	/* The driver stops them when it goes away: no parameters either. */
	msg(OPTEE_MSG_CMD_STOP_ASYNC_NOTIF, 0, 0, 0);
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TEE);
	msg(OPTEE_MSG_CMD_STOP_ASYNC_NOTIF, 0, 0, 2);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
}

/* ------------------------------------------------------ threads' copies */

/* A second thread's message and memrefs, apart from everything above. */
#define ARG2 (RAM_BASE + 50 * PG)
#define IN2 (RAM_BASE + 51 * PG)
#define OUT2 (RAM_BASE + 52 * PG)
#define COPY_SIZE 3000

static size_t snap_used;
static uint8_t snap[VTZ_MSG_BOUNCE_SIZE];

/*
 * While the first call is out for an RPC: an ECHO_MEM call on another
 * thread (its own bounce area), with other data. It must work, and leave
 * the first call's copies exactly as they were.
 */
static void other_thread_call(void)
{
	struct optee_msg_arg *a2 = at(ARG2);

	assert_true(bounce->used >= 2 * COPY_SIZE);
	snap_used = bounce->used;
	memcpy(snap, bounce->buf, sizeof(snap));

	memset(a2, 0, OPTEE_MSG_GET_ARG_SIZE(3));
	a2->cmd = OPTEE_MSG_CMD_INVOKE_COMMAND;
	a2->session = arg()->session;
	a2->func = VTZ_TA_ECHO_CMD_ECHO_MEM;
	a2->num_params = 3;
	a2->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_INPUT;
	a2->params[0].u.tmem.buf_ptr = IN2;
	a2->params[0].u.tmem.size = COPY_SIZE;
	a2->params[1].attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT;
	a2->params[1].u.tmem.buf_ptr = OUT2;
	a2->params[1].u.tmem.size = COPY_SIZE;
	a2->params[2].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
	memset(at(IN2), 0xee, COPY_SIZE);
	memset(at(OUT2), 0, COPY_SIZE);
	assert_int_equal(msg_call_with_arg(ctx, bounce2, ARG2), OPTEE_SMC_RETURN_OK);
	assert_int_equal(a2->ret, TEEC_SUCCESS);
	assert_memory_equal(at(IN2), at(OUT2), COPY_SIZE);

	/* Mine untouched; the other call's wiped behind it. */
	assert_int_equal(bounce->used, snap_used);
	assert_memory_equal(bounce->buf, snap, sizeof(snap));
	assert_int_equal(bounce2->used, 0);
	for (size_t i = 0; i < sizeof(bounce2->buf); i++)
		assert_int_equal(bounce2->buf[i], 0);
}

static void test_copies_survive_another_threads_call(void **state)
{
	uint8_t *in = at(DATA), *out = at(DATA + PG);
	struct optee_msg_arg *a;
	unsigned int i;
	uint32_t s;

	(void)state;
	s = open_ta(echo_uuid);
	for (i = 0; i < COPY_SIZE; i++)
		in[i] = (uint8_t)(i * 31 + 5);
	memset(out, 0, COPY_SIZE);
	a = msg(OPTEE_MSG_CMD_INVOKE_COMMAND, s, VTZ_TA_ECHO_CMD_YIELD_MEM, 3);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INOUT;
	a->params[0].u.value.a = 2;
	set_tmem(1, OPTEE_MSG_ATTR_TYPE_TMEM_INPUT, DATA, COPY_SIZE);
	set_tmem(2, OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, DATA + PG, COPY_SIZE);
	rpc_hook = other_thread_call;
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP);
	assert_null(rpc_hook); /* the other call did run */
	assert_int_equal(rpc_calls, 2);
	assert_int_equal(a->params[0].u.value.b, 2);
	assert_int_equal(a->params[2].u.tmem.size, COPY_SIZE);
	assert_memory_equal(in, out, COPY_SIZE);
	/* And this call wiped its own copies. */
	assert_int_equal(bounce->used, 0);
	for (i = 0; i < sizeof(bounce->buf); i++)
		assert_int_equal(bounce->buf[i], 0);

	/* YIELD_MEM's own rules: too small an output, wrong types. */
	set_tmem(2, OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, DATA + PG, 10);
	expect(TEEC_ERROR_SHORT_BUFFER, TEEC_ORIGIN_TRUSTED_APP);
	assert_int_equal(a->params[2].u.tmem.size, COPY_SIZE);
	set_tmem(2, OPTEE_MSG_ATTR_TYPE_TMEM_INOUT, DATA + PG, COPY_SIZE);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TRUSTED_APP);
}


/*
 * While a call is out for an RPC, another thread closes its session: the
 * close must be refused (TEEC_ERROR_BUSY), not pull the session from under
 * the TA, which would use it again at its next RPC. Closed afterwards.
 */
static uint32_t close_result;

static void other_thread_closes(void)
{
	struct optee_msg_arg *a2 = at(ARG2);

	memset(a2, 0, OPTEE_MSG_GET_ARG_SIZE(0));
	a2->cmd = OPTEE_MSG_CMD_CLOSE_SESSION;
	a2->session = arg()->session;
	assert_int_equal(msg_call_with_arg(ctx, bounce2, ARG2), OPTEE_SMC_RETURN_OK);
	close_result = a2->ret;
}

static void test_close_waits_for_calls_out_for_rpc(void **state)
{
	struct optee_msg_arg *a;
	uint32_t s;

	(void)state;
	s = open_ta(echo_uuid);
	a = msg(OPTEE_MSG_CMD_INVOKE_COMMAND, s, VTZ_TA_ECHO_CMD_YIELD, 1);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INOUT;
	a->params[0].u.value.a = 2;
	rpc_hook = other_thread_closes;
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TRUSTED_APP);
	assert_null(rpc_hook);
	assert_int_equal(close_result, TEEC_ERROR_BUSY);
	assert_int_equal(a->params[0].u.value.b, 2);
	/* Now nothing is in flight: it closes, and is gone. */
	msg(OPTEE_MSG_CMD_CLOSE_SESSION, s, 0, 0);
	expect(TEEC_SUCCESS, TEEC_ORIGIN_TEE);
	msg(OPTEE_MSG_CMD_CLOSE_SESSION, s, 0, 0);
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
}

/* ------------------------------------------------- client-sized buffers */

/* Page lists for the big buffers: up to BIGLIST_PAGES list pages from here. */
#define BIGLIST (RAM_BASE + 100 * PG)
#define BIGLIST2 (RAM_BASE + 140 * PG)
#define BIGLIST_PAGES 36
#define MIB (1024 * 1024ULL)

static unsigned int big_pages[VTZ_MSG_SHM_POOL_PAGES / 2];

/*
 * Register pages[0..n) as a buffer starting offset into its first page,
 * the page list chained over as many list pages from lpa as it needs
 * (511 addresses and a link each), as Linux's driver builds it.
 */
static void reg_list(uint64_t cookie, uint64_t lpa, const unsigned int *pages, size_t n,
		     uint64_t offset, uint64_t size, uint32_t want)
{
	uint64_t start = lpa, *l = at(lpa);
	struct optee_msg_arg *a;
	size_t i, slot = 0;

	assert_true(n <= BIGLIST_PAGES * OPTEE_MSG_PAGELIST_ENTRIES);
	for (i = 0; i < n; i++) {
		if (slot == OPTEE_MSG_PAGELIST_ENTRIES) {
			l[slot] = lpa + PG;
			lpa += PG;
			l = at(lpa);
			slot = 0;
		}
		l[slot++] = RAM_BASE + pages[i] * PG;
	}
	a = msg(OPTEE_MSG_CMD_REGISTER_SHM, 0, 0, 1);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT | OPTEE_MSG_ATTR_NONCONTIG;
	a->params[0].u.tmem.buf_ptr = start | offset;
	a->params[0].u.tmem.size = size;
	a->params[0].u.tmem.shm_ref = cookie;
	expect(want, TEEC_ORIGIN_TEE);
}

/* Byte pos of a buffer registered as pages[] from offset, in the fake RAM. */
static uint8_t *buf_byte(const unsigned int *pages, uint64_t offset, uint64_t pos)
{
	pos += offset;
	return at(RAM_BASE + pages[pos / PG] * PG + pos % PG);
}

static void unreg(uint64_t cookie, uint32_t want)
{
	struct optee_msg_arg *a = msg(OPTEE_MSG_CMD_UNREGISTER_SHM, 0, 0, 1);

	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_RMEM_INPUT;
	a->params[0].u.rmem.shm_ref = cookie;
	expect(want, TEEC_ORIGIN_TEE);
}

static void echo_rmem(uint32_t s, uint64_t in_cookie, uint64_t in_offs, uint64_t size,
		      uint64_t out_cookie, uint64_t out_size, uint32_t want)
{
	struct optee_msg_arg *a = msg(OPTEE_MSG_CMD_INVOKE_COMMAND, s, VTZ_TA_ECHO_CMD_ECHO_MEM, 3);

	set_rmem(0, OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, in_offs, size);
	a->params[0].u.rmem.shm_ref = in_cookie;
	set_rmem(1, OPTEE_MSG_ATTR_TYPE_RMEM_OUTPUT, 0, out_size);
	a->params[1].u.rmem.shm_ref = out_cookie;
	a->params[2].attr = OPTEE_MSG_ATTR_TYPE_VALUE_OUTPUT;
	expect(want, TEEC_ORIGIN_TRUSTED_APP);
}

/*
 * A 4 MiB registered buffer, mid-page and scattered backwards over 1025
 * pages (a page list of three chained list pages), echoed into another
 * 4 MiB registered buffer: every byte arrives, and the sum is right.
 */
static void test_four_mib_registered_buffers(void **state)
{
	static unsigned int in_pages[1025], out_pages[1024];
	const uint64_t size = 4 * MIB, off = 100;
	uint64_t i, sum = 0;
	struct optee_msg_arg *a;
	uint32_t s;

	(void)state;
	for (i = 0; i < 1025; i++)
		in_pages[i] = (unsigned int)(1224 - i);
	for (i = 0; i < 1024; i++)
		out_pages[i] = (unsigned int)(1300 + i);
	for (i = 0; i < size; i++) {
		uint8_t v = (uint8_t)(i * 7 + 3 + (i >> 12));

		*buf_byte(in_pages, off, i) = v;
		sum += v;
	}
	reg_list(COOKIE, BIGLIST, in_pages, 1025, off, size, TEEC_SUCCESS);
	reg_list(COOKIE + 1, BIGLIST2, out_pages, 1024, 0, size, TEEC_SUCCESS);
	assert_int_equal(ctx->pool_used, 2049);
	s = open_ta(echo_uuid);
	echo_rmem(s, COOKIE, 0, size, COOKIE + 1, size, TEEC_SUCCESS);
	a = arg();
	assert_int_equal(a->params[1].u.rmem.size, size);
	assert_int_equal(a->params[2].u.value.a, sum);
	for (i = 0; i < size; i++)
		if (*buf_byte(out_pages, 0, i) != *buf_byte(in_pages, off, i))
			fail_msg("byte %llu differs", (unsigned long long)i);
	/* A part of it, from an odd offset; nothing was left in the bounce area. */
	memset(at(RAM_BASE + 1300 * PG), 0, PG);
	echo_rmem(s, COOKIE, 4095, 3 * MIB, COOKIE + 1, size, TEEC_SUCCESS);
	assert_int_equal(arg()->params[1].u.rmem.size, 3 * MIB);
	for (i = 0; i < PG; i++)
		assert_int_equal(*buf_byte(out_pages, 0, i), *buf_byte(in_pages, off, 4095 + i));
	assert_int_equal(bounce->used, 0);
	/* Short output: the size needed, nothing of the data written. */
	memset(at(RAM_BASE + 1300 * PG), 0, PG);
	echo_rmem(s, COOKIE, 0, size, COOKIE + 1, size - 1, TEEC_ERROR_SHORT_BUFFER);
	assert_int_equal(arg()->params[1].u.rmem.size, size);
	assert_int_equal(arg()->params[2].u.value.a, sum);
	assert_int_equal(*buf_byte(out_pages, 0, 0), 0);
	/* A page more than the list names (its next slot is 0): refused, nothing kept. */
	reg_list(COOKIE + 2, BIGLIST, in_pages, 1025, off, size + PG, TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(ctx->pool_used, 2049);
	/* A broken link between list pages. */
	((uint64_t *)at(BIGLIST))[OPTEE_MSG_PAGELIST_ENTRIES] += 8;
	a = msg(OPTEE_MSG_CMD_REGISTER_SHM, 0, 0, 1);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT | OPTEE_MSG_ATTR_NONCONTIG;
	a->params[0].u.tmem.buf_ptr = BIGLIST;
	a->params[0].u.tmem.size = size;
	a->params[0].u.tmem.shm_ref = COOKIE + 3;
	expect(TEEC_ERROR_BAD_PARAMETERS, TEEC_ORIGIN_TEE);
	assert_int_equal(ctx->pool_used, 2049);
}

/*
 * The page pool: full is OUT_OF_MEMORY, and an unregistration anywhere
 * frees its pages for any later registration (the pool stays dense), the
 * buffers registered after it still reading their own pages.
 */
static void test_shm_pool_bounded_and_compacted(void **state)
{
	static const unsigned int pa[] = { 200, 201, 202 }, pb[] = { 203, 204 },
				  pc[] = { 205, 206, 207, 208 };
	const size_t half = VTZ_MSG_SHM_POOL_PAGES / 2;
	uint64_t i;
	uint32_t s;

	(void)state;
	for (i = 0; i < 9 * PG; i++)
		((uint8_t *)at(RAM_BASE + 200 * PG))[i] = (uint8_t)(i / PG + 1);
	reg_list(COOKIE, BIGLIST, pa, 3, 0, 3 * PG, TEEC_SUCCESS);
	reg_list(COOKIE + 1, BIGLIST, pb, 2, 0, 2 * PG, TEEC_SUCCESS);
	reg_list(COOKIE + 2, BIGLIST, pc, 4, 0, 4 * PG, TEEC_SUCCESS);
	unreg(COOKIE + 1, TEEC_SUCCESS);
	assert_int_equal(ctx->pool_used, 7);
	s = open_ta(echo_uuid);
	/* C's pages hold 6, 7, 8, 9: its third page, through the moved extent. */
	echo_rmem(s, COOKIE + 2, 2 * PG, 100, COOKIE, 100, TEEC_SUCCESS);
	assert_int_equal(arg()->params[2].u.value.a, 100 * 8);
	assert_int_equal(*(uint8_t *)at(RAM_BASE + 200 * PG), 8);
	unreg(COOKIE, TEEC_SUCCESS);
	unreg(COOKIE + 2, TEEC_SUCCESS);
	assert_int_equal(ctx->pool_used, 0);

	/* Two buffers of half the pool each (one page named 16384 times). */
	for (i = 0; i < half; i++)
		big_pages[i] = 210;
	reg_list(COOKIE, BIGLIST, big_pages, half, 0, half * PG, TEEC_SUCCESS);
	reg_list(COOKIE + 1, BIGLIST, big_pages, half, 0, half * PG, TEEC_SUCCESS);
	reg_list(COOKIE + 2, BIGLIST, pa, 1, 0, PG, TEEC_ERROR_OUT_OF_MEMORY);
	unreg(COOKIE, TEEC_SUCCESS);
	reg_list(COOKIE + 2, BIGLIST, pa, 1, 0, PG, TEEC_SUCCESS);
	assert_int_equal(ctx->pool_used, half + 1);
	/* The second big one moved down and still reads page 210's bytes. */
	memset(at(RAM_BASE + 210 * PG), 0x11, PG);
	echo_rmem(s, COOKIE + 1, half * PG - 64, 64, COOKIE + 2, 64, TEEC_SUCCESS);
	assert_int_equal(arg()->params[2].u.value.a, 64 * 0x11);
	/* The one registration bound: 64 MiB. */
	reg_list(COOKIE + 3, BIGLIST, big_pages, 1, 0, VTZ_MSG_MAX_SHM_SIZE + 1,
		 TEEC_ERROR_BAD_PARAMETERS);
}

/* The other thread, while the streaming call waits: unregister its input. */
static void other_thread_unregisters(void)
{
	struct optee_msg_arg *a2 = at(ARG2);

	memset(a2, 0, OPTEE_MSG_GET_ARG_SIZE(1));
	a2->cmd = OPTEE_MSG_CMD_UNREGISTER_SHM;
	a2->num_params = 1;
	a2->params[0].attr = OPTEE_MSG_ATTR_TYPE_RMEM_INPUT;
	a2->params[0].u.rmem.shm_ref = COOKIE;
	assert_int_equal(msg_call_with_arg(ctx, bounce2, ARG2), OPTEE_SMC_RETURN_OK);
	assert_int_equal(a2->ret, TEEC_SUCCESS);
}

/*
 * A streamed memref reads the normal world when the TA asks: a buffer
 * unregistered meanwhile (by another thread, during an RPC) is an error
 * for the TA, never a read of pages the TEE no longer knows as this one.
 */
static void test_streamed_buffer_unregistered_during_rpc(void **state)
{
	static const unsigned int pages[] = { 200, 201, 202 };
	struct optee_msg_arg *a;
	uint32_t s;

	(void)state;
	reg_list(COOKIE, BIGLIST, pages, 3, 0, 3 * PG, TEEC_SUCCESS);
	s = open_ta(echo_uuid);
	a = msg(OPTEE_MSG_CMD_INVOKE_COMMAND, s, VTZ_TA_ECHO_CMD_YIELD_MEM, 3);
	a->params[0].attr = OPTEE_MSG_ATTR_TYPE_VALUE_INOUT;
	a->params[0].u.value.a = 1;
	set_rmem(1, OPTEE_MSG_ATTR_TYPE_RMEM_INPUT, 0, 3 * PG);
	set_tmem(2, OPTEE_MSG_ATTR_TYPE_TMEM_OUTPUT, DATA, 3 * PG);
	memset(at(DATA), 0, 3 * PG);
	rpc_hook = other_thread_unregisters;
	expect(TEEC_ERROR_COMMUNICATION, TEEC_ORIGIN_TRUSTED_APP);
	assert_null(rpc_hook);
	assert_int_equal(*(uint8_t *)at(DATA), 0);
	assert_int_equal(ctx->pool_used, 0);
}

/* ta_memref_read/_write: the type's direction and the normal world's size. */
static void test_memref_access_rules(void **state)
{
	struct msg_ref r = { .ctx = NULL, .pa = DATA, .size = 2 * VTZ_MSG_COPY_MAX };
	struct ta_param p = { .type = TA_PARAM_MEMREF_INPUT };
	uint8_t b[16];

	(void)state;
	r.ctx = ctx;
	p.u.memref.ref = &r;
	p.u.memref.size = r.size;
	memset(at(DATA), 0x5a, r.size);
	assert_int_equal(ta_memref_read(&p, r.size - 16, b, 16), TEEC_SUCCESS);
	assert_int_equal(b[15], 0x5a);
	assert_int_equal(ta_memref_read(&p, r.size - 15, b, 16), TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(ta_memref_read(&p, UINT64_MAX, b, 16), TEEC_ERROR_BAD_PARAMETERS);
	/* A TA raising its size does not raise the bound. */
	p.u.memref.size = r.size + PG;
	assert_int_equal(ta_memref_read(&p, r.size, b, 1), TEEC_ERROR_BAD_PARAMETERS);
	/* No writing an input, no reading an output, no memref in a value. */
	assert_int_equal(ta_memref_write(&p, 0, b, 1), TEEC_ERROR_BAD_PARAMETERS);
	p.type = TA_PARAM_MEMREF_OUTPUT;
	assert_int_equal(ta_memref_read(&p, 0, b, 1), TEEC_ERROR_BAD_PARAMETERS);
	assert_int_equal(ta_memref_write(&p, 0, "x", 1), TEEC_SUCCESS);
	assert_int_equal(*(uint8_t *)at(DATA), 'x');
	p.type = TA_PARAM_VALUE_INOUT;
	assert_int_equal(ta_memref_read(&p, 0, b, 1), TEEC_ERROR_BAD_PARAMETERS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_message_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_params_past_end_of_ram, setup, teardown),
		cmocka_unit_test_setup_teardown(test_too_many_params, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_command, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_params_on_a_non_ta_command, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_open_session_rejections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sessions_bounded_and_closed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_values_and_output_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_attribute_rejections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tmem_bounds, setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_and_use_noncontig, setup, teardown),
		cmocka_unit_test_setup_teardown(test_register_rejections, setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_ta, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rpc_from_a_ta, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notify_and_bottom_half, setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_waits_for_calls_out_for_rpc, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_copies_survive_another_threads_call, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_four_mib_registered_buffers, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shm_pool_bounded_and_compacted, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_streamed_buffer_unregistered_during_rpc, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_memref_access_rules, setup, teardown),
	};

	return cmocka_run_group_tests_name("optee_msg", tests, NULL, NULL);
}
