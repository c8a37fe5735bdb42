/* SPDX-License-Identifier: MIT */
/*
 * Key TA: MACs a message with a key derived from this TEE's key, which
 * the TEE fetches from its dispatcher for the call and forgets after it
 * (tee/main.c: tee_get_key). Derivation and MAC are mbedTLS's (HKDF and
 * HMAC-SHA256, through the message-digest layer already built for the
 * TEE, mk/mbedtls.mk). Not hardware-free: host tests stub this TA out.
 */
#include <stdint.h>
#include <string.h>

#include <mbedtls/md.h>
#include <vtz/optee_msg.h>

#include <lib/crypto.h>
#include "msg.h"
#include "tee.h"

/*
 * HMAC-SHA256(k, message) over p's bytes, chunk by chunk: a message of
 * any size the client has, each chunk read from the normal world once
 * into our own memory and hashed from there.
 */
static int hmac_memref(const mbedtls_md_info_t *md, const uint8_t k[32],
		       const struct ta_param *p, uint8_t tag[VTZ_TA_KEY_TAG_SIZE])
{
	uint8_t chunk[TA_CHUNK_SIZE] __attribute__((aligned(16)));
	uint64_t size = p->u.memref.size, off;
	mbedtls_md_context_t ctx;
	size_t n;
	int ret;

	mbedtls_md_init(&ctx);
	ret = mbedtls_md_setup(&ctx, md, 1);
	if (!ret)
		ret = mbedtls_md_hmac_starts(&ctx, k, 32);
	for (off = 0; !ret && off < size; off += n) {
		n = size - off < sizeof(chunk) ? (size_t)(size - off) : sizeof(chunk);
		ret = ta_memref_read(p, off, chunk, n) == TEEC_SUCCESS ? 0 : -1;
		if (!ret)
			ret = mbedtls_md_hmac_update(&ctx, chunk, n);
	}
	if (!ret)
		ret = mbedtls_md_hmac_finish(&ctx, tag);
	/* Frees (and zeroes) the HMAC pads, which come from k. */
	mbedtls_md_free(&ctx);
	ta_wipe(chunk, sizeof(chunk));
	return ret;
}

static uint32_t key_mac(struct ta_param p[VTZ_TA_NUM_PARAMS])
{
	const size_t ilen = sizeof(VTZ_TA_KEY_INFO) - 1;
	uint8_t key[32], k[32], tag[VTZ_TA_KEY_TAG_SIZE], info[sizeof(VTZ_TA_KEY_INFO) - 1 + 8];
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	uint64_t index = p[0].u.value.a;
	uint32_t res = TEEC_SUCCESS;
	int ret;

	if (p[2].u.memref.size < VTZ_TA_KEY_TAG_SIZE) {
		p[2].u.memref.size = VTZ_TA_KEY_TAG_SIZE;
		return TEEC_ERROR_SHORT_BUFFER;
	}
	memcpy(info, VTZ_TA_KEY_INFO, ilen);
	memcpy(info + ilen, &index, 8); /* little-endian: AArch64 */
	ret = tee_get_key(key);
	if (!ret)
		ret = crypto_hkdf_expand_sha256(key, sizeof(key), info, sizeof(info), k,
						sizeof(k));
	if (!ret)
		ret = md ? hmac_memref(md, k, &p[1], tag) : -1;
	crypto_zeroize(key, sizeof(key));
	crypto_zeroize(k, sizeof(k));
	if (!ret)
		res = ta_memref_write(&p[2], 0, tag, sizeof(tag));
	else
		res = TEEC_ERROR_GENERIC;
	if (res == TEEC_SUCCESS)
		p[2].u.memref.size = VTZ_TA_KEY_TAG_SIZE;
	return res;
}

static uint32_t key_invoke(struct ta_session *s, uint32_t cmd,
			   struct ta_param p[VTZ_TA_NUM_PARAMS])
{
	(void)s;
	if (cmd != VTZ_TA_KEY_CMD_MAC)
		return TEEC_ERROR_NOT_SUPPORTED;
	if (p[0].type != TA_PARAM_VALUE_INPUT || p[1].type != TA_PARAM_MEMREF_INPUT ||
	    p[2].type != TA_PARAM_MEMREF_OUTPUT || p[3].type != TA_PARAM_NONE)
		return TEEC_ERROR_BAD_PARAMETERS;
	return key_mac(p);
}

const struct ta_ops ta_key_ops = {
	.name = "key",
	.uuid = VTZ_TA_KEY_UUID,
	.invoke = key_invoke,
};
