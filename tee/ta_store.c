/* SPDX-License-Identifier: MIT */
/*
 * Secure store TA: key -> value items kept in this TEE's own memory,
 * which nothing outside the TEE maps (each VM's TEE has its own), so one
 * VM's items are invisible to every other VM. Fixed-size table: no heap,
 * bounded by VTZ_TA_STORE_* (include/vtz/optee_msg.h). Hardware-free.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <vtz/optee_msg.h>

#include "msg.h"

struct store_item {
	size_t klen; /* 0: free */
	size_t vlen;
	uint8_t key[VTZ_TA_STORE_KEY_MAX];
	uint8_t value[VTZ_TA_STORE_VALUE_MAX];
};

static struct store_item items[VTZ_TA_STORE_ITEMS];

void ta_store_reset(void)
{
	memset(items, 0, sizeof(items));
}

static struct store_item *find(const uint8_t *key, size_t klen)
{
	size_t i;

	for (i = 0; i < VTZ_TA_STORE_ITEMS; i++)
		if (items[i].klen == klen && !memcmp(items[i].key, key, klen))
			return &items[i];
	return NULL;
}

static uint32_t store_invoke(struct ta_session *s, uint32_t cmd,
			     struct ta_param p[VTZ_TA_NUM_PARAMS])
{
	uint8_t key[VTZ_TA_STORE_KEY_MAX];
	size_t klen = p[0].u.memref.size, i;
	struct store_item *it;
	uint32_t res;

	(void)s;
	if (p[0].type != TA_PARAM_MEMREF_INPUT || !klen || klen > VTZ_TA_STORE_KEY_MAX ||
	    p[2].type != TA_PARAM_NONE || p[3].type != TA_PARAM_NONE)
		return TEEC_ERROR_BAD_PARAMETERS;
	/* Our own copy of the key: looked up and stored from this one read. */
	res = ta_memref_read(&p[0], 0, key, klen);
	if (res != TEEC_SUCCESS)
		return res;
	it = find(key, klen);
	switch (cmd) {
	case VTZ_TA_STORE_CMD_PUT:
		if (p[1].type != TA_PARAM_MEMREF_INPUT ||
		    p[1].u.memref.size > VTZ_TA_STORE_VALUE_MAX)
			return TEEC_ERROR_BAD_PARAMETERS;
		for (i = 0; i < VTZ_TA_STORE_ITEMS && !it; i++)
			if (!items[i].klen)
				it = &items[i];
		if (!it)
			return TEEC_ERROR_STORAGE_NO_SPACE;
		memset(it, 0, sizeof(*it));
		res = ta_memref_read(&p[1], 0, it->value, p[1].u.memref.size);
		if (res != TEEC_SUCCESS) {
			memset(it, 0, sizeof(*it));
			return res;
		}
		memcpy(it->key, key, klen);
		it->klen = klen;
		it->vlen = p[1].u.memref.size;
		return TEEC_SUCCESS;
	case VTZ_TA_STORE_CMD_GET:
		if (p[1].type != TA_PARAM_MEMREF_OUTPUT)
			return TEEC_ERROR_BAD_PARAMETERS;
		if (!it)
			return TEEC_ERROR_ITEM_NOT_FOUND;
		if (p[1].u.memref.size < it->vlen) {
			p[1].u.memref.size = it->vlen;
			return TEEC_ERROR_SHORT_BUFFER;
		}
		/* A big output buffer is streamed: this writes the normal world's. */
		res = ta_memref_write(&p[1], 0, it->value, it->vlen);
		if (res == TEEC_SUCCESS)
			p[1].u.memref.size = it->vlen;
		return res;
	case VTZ_TA_STORE_CMD_DELETE:
		if (p[1].type != TA_PARAM_NONE)
			return TEEC_ERROR_BAD_PARAMETERS;
		if (!it)
			return TEEC_ERROR_ITEM_NOT_FOUND;
		memset(it, 0, sizeof(*it));
		return TEEC_SUCCESS;
	default:
		return TEEC_ERROR_NOT_SUPPORTED;
	}
}

const struct ta_ops ta_store_ops = {
	.name = "store",
	.uuid = VTZ_TA_STORE_UUID,
	.invoke = store_invoke,
};
