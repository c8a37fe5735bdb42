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

#include "crypto.h"
#include "msg.h"
#include "tee.h"

static uint32_t key_mac(struct ta_param p[VTZ_TA_NUM_PARAMS])
{
	const size_t ilen = sizeof(VTZ_TA_KEY_INFO) - 1;
	uint8_t key[32], k[32], info[sizeof(VTZ_TA_KEY_INFO) - 1 + 8];
	const mbedtls_md_info_t *md = mbedtls_md_info_from_type(MBEDTLS_MD_SHA256);
	uint64_t index = p[0].u.value.a;
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
		ret = md ? mbedtls_md_hmac(md, k, sizeof(k), p[1].u.memref.buf,
					   p[1].u.memref.size, p[2].u.memref.buf)
			 : -1;
	crypto_zeroize(key, sizeof(key));
	crypto_zeroize(k, sizeof(k));
	if (ret)
		return TEEC_ERROR_GENERIC;
	p[2].u.memref.size = VTZ_TA_KEY_TAG_SIZE;
	return TEEC_SUCCESS;
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
