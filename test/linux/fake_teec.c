// SPDX-License-Identifier: MIT
/*
 * A stand-in for libteec, linked with a host build of vtz-client by
 * test_client_fake.py, so the client's argument handling, parameter
 * layouts, result checks, messages and exit codes are tested without a
 * TEE. It behaves like vTZ's three TAs (include/vtz/optee_msg.h) closely
 * enough for that, and checks what the client passes:
 *   FAKE_TEEC_NO_TEE=1   TEEC_InitializeContext fails as with no /dev/tee0
 *   FAKE_TEEC_WRONG=1    the echo TA's ADD and ECHO_MEM answer wrongly
 * The store starts with one item, "secret" = "kept". Like vTZ's TEE, it
 * holds at most 64 sessions at once.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <tee_client_api.h>

static const TEEC_UUID echo_uuid = { 0x7ee0ec40, 0, 0x4000, { 0x80, 0, 0, 0, 0, 0, 0, 1 } };
static const TEEC_UUID store_uuid = { 0x7ee0ec40, 0, 0x4000, { 0x80, 0, 0, 0, 0, 0, 0, 2 } };
static const TEEC_UUID key_uuid = { 0x7ee0ec40, 0, 0x4000, { 0x80, 0, 0, 0, 0, 0, 0, 3 } };

enum ta { TA_ECHO = 1, TA_STORE, TA_KEY };

#define FAKE_MAX_SESSIONS 64

static unsigned int open_sessions;
static char store_key[64] = "secret";
static char store_val[512] = "kept";

static int env(const char *name)
{
	const char *v = getenv(name);

	return v && !strcmp(v, "1");
}

TEEC_Result TEEC_InitializeContext(const char *name, TEEC_Context *ctx)
{
	(void)name;
	memset(ctx, 0, sizeof(*ctx));
	return env("FAKE_TEEC_NO_TEE") ? TEEC_ERROR_ITEM_NOT_FOUND : TEEC_SUCCESS;
}

void TEEC_FinalizeContext(TEEC_Context *ctx)
{
	(void)ctx;
}

TEEC_Result TEEC_OpenSession(TEEC_Context *ctx, TEEC_Session *s, const TEEC_UUID *uuid,
			     uint32_t login, const void *data, TEEC_Operation *op,
			     uint32_t *origin)
{
	(void)data;
	*origin = TEEC_ORIGIN_TEE;
	if (login != TEEC_LOGIN_PUBLIC || op)
		return TEEC_ERROR_BAD_PARAMETERS;
	s->ctx = ctx;
	if (!memcmp(uuid, &echo_uuid, sizeof(*uuid)))
		s->session_id = TA_ECHO;
	else if (!memcmp(uuid, &store_uuid, sizeof(*uuid)))
		s->session_id = TA_STORE;
	else if (!memcmp(uuid, &key_uuid, sizeof(*uuid)))
		s->session_id = TA_KEY;
	else
		return TEEC_ERROR_ITEM_NOT_FOUND;
	if (open_sessions == FAKE_MAX_SESSIONS) {
		s->session_id = 0;
		return TEEC_ERROR_OUT_OF_MEMORY;
	}
	open_sessions++;
	return TEEC_SUCCESS;
}

void TEEC_CloseSession(TEEC_Session *s)
{
	if (s->session_id)
		open_sessions--;
	s->session_id = 0;
}

TEEC_Result TEEC_RegisterSharedMemory(TEEC_Context *ctx, TEEC_SharedMemory *shm)
{
	(void)ctx;
	return shm->buffer && shm->flags ? TEEC_SUCCESS : TEEC_ERROR_BAD_PARAMETERS;
}

TEEC_Result TEEC_AllocateSharedMemory(TEEC_Context *ctx, TEEC_SharedMemory *shm)
{
	(void)ctx;
	shm->buffer = malloc(shm->size ? shm->size : 1);
	return shm->buffer ? TEEC_SUCCESS : TEEC_ERROR_OUT_OF_MEMORY;
}

void TEEC_ReleaseSharedMemory(TEEC_SharedMemory *shm)
{
	(void)shm;
}

static uint32_t ptype(const TEEC_Operation *op, int i)
{
	return (op->paramTypes >> (4 * i)) & 0xf;
}

/* A memref parameter's buffer and size, whichever kind it is. */
static uint8_t *mref(TEEC_Operation *op, int i, size_t *size)
{
	TEEC_Parameter *p = &op->params[i];

	switch (ptype(op, i)) {
	case TEEC_MEMREF_TEMP_INPUT:
	case TEEC_MEMREF_TEMP_OUTPUT:
	case TEEC_MEMREF_TEMP_INOUT:
		*size = p->tmpref.size;
		return p->tmpref.buffer;
	case TEEC_MEMREF_WHOLE:
		*size = p->memref.parent->size;
		return p->memref.parent->buffer;
	case TEEC_MEMREF_PARTIAL_INPUT:
	case TEEC_MEMREF_PARTIAL_OUTPUT:
	case TEEC_MEMREF_PARTIAL_INOUT:
		*size = p->memref.size;
		return (uint8_t *)p->memref.parent->buffer + p->memref.offset;
	default:
		fprintf(stderr, "fake_teec: param %d is not a memref\n", i);
		exit(99);
	}
}

/* Writes a memref's output size, as libteec copies it back. */
static void mref_set_size(TEEC_Operation *op, int i, size_t size)
{
	if (ptype(op, i) >= TEEC_MEMREF_WHOLE)
		op->params[i].memref.size = size;
	else
		op->params[i].tmpref.size = size;
}

/* Copies n bytes out, or asks for a bigger buffer. */
static TEEC_Result out(TEEC_Operation *op, int i, const void *src, size_t n)
{
	size_t cap;
	uint8_t *dst = mref(op, i, &cap);

	mref_set_size(op, i, n);
	if (cap < n)
		return TEEC_ERROR_SHORT_BUFFER;
	memcpy(dst, src, n);
	return TEEC_SUCCESS;
}

static TEEC_Result echo(uint32_t cmd, TEEC_Operation *op)
{
	int wrong = env("FAKE_TEEC_WRONG");
	size_t n, cap;
	uint8_t *in;
	uint32_t sum = 0;

	switch (cmd) {
	case 1: /* ADD */
		op->params[1].value.a = op->params[0].value.a + op->params[0].value.b + wrong;
		return TEEC_SUCCESS;
	case 2: /* ECHO_MEM */
		in = mref(op, 0, &n);
		(void)mref(op, 1, &cap);
		for (size_t i = 0; i < n; i++)
			sum += in[i];
		op->params[2].value.a = sum + wrong;
		return out(op, 1, in, n);
	case 3: /* YIELD */
		op->params[0].value.b = op->params[0].value.a;
		return TEEC_SUCCESS;
	default:
		return TEEC_ERROR_BAD_PARAMETERS;
	}
}

static TEEC_Result store(uint32_t cmd, TEEC_Operation *op)
{
	size_t kn, vn;
	uint8_t *k = mref(op, 0, &kn), *v;
	int hit = store_key[0] && strlen(store_key) == kn && !memcmp(k, store_key, kn);

	switch (cmd) {
	case 0: /* PUT */
		v = mref(op, 1, &vn);
		if (kn >= sizeof(store_key) || vn >= sizeof(store_val))
			return TEEC_ERROR_BAD_PARAMETERS;
		memcpy(store_key, k, kn);
		store_key[kn] = 0;
		memcpy(store_val, v, vn);
		store_val[vn] = 0;
		return TEEC_SUCCESS;
	case 1: /* GET */
		return hit ? out(op, 1, store_val, strlen(store_val)) : TEEC_ERROR_ITEM_NOT_FOUND;
	case 2: /* DELETE */
		if (!hit)
			return TEEC_ERROR_ITEM_NOT_FOUND;
		store_key[0] = 0;
		return TEEC_SUCCESS;
	default:
		return TEEC_ERROR_BAD_PARAMETERS;
	}
}

static TEEC_Result key(uint32_t cmd, TEEC_Operation *op)
{
	uint8_t tag[32];
	size_t n;
	uint8_t *msg = mref(op, 1, &n);

	if (cmd != 0)
		return TEEC_ERROR_BAD_PARAMETERS;
	for (size_t i = 0; i < sizeof(tag); i++)
		tag[i] = (uint8_t)(i ^ op->params[0].value.a ^ (n ? msg[i % n] : 0));
	return out(op, 2, tag, sizeof(tag));
}

TEEC_Result TEEC_InvokeCommand(TEEC_Session *s, uint32_t cmd, TEEC_Operation *op,
			       uint32_t *origin)
{
	*origin = TEEC_ORIGIN_TRUSTED_APP;
	switch (s->session_id) {
	case TA_ECHO: return echo(cmd, op);
	case TA_STORE: return store(cmd, op);
	case TA_KEY: return key(cmd, op);
	default:
		*origin = TEEC_ORIGIN_API;
		return TEEC_ERROR_BAD_STATE;
	}
}
