// SPDX-License-Identifier: MIT
/* Names for the GlobalPlatform TEE Client API result and origin codes. */
#include <tee_client_api.h>

#include "result.h"

const char *teec_result_name(uint32_t res)
{
	switch (res) {
	case TEEC_SUCCESS: return "TEEC_SUCCESS";
	case TEEC_ERROR_STORAGE_NOT_AVAILABLE: return "TEEC_ERROR_STORAGE_NOT_AVAILABLE";
	case TEEC_ERROR_GENERIC: return "TEEC_ERROR_GENERIC";
	case TEEC_ERROR_ACCESS_DENIED: return "TEEC_ERROR_ACCESS_DENIED";
	case TEEC_ERROR_CANCEL: return "TEEC_ERROR_CANCEL";
	case TEEC_ERROR_ACCESS_CONFLICT: return "TEEC_ERROR_ACCESS_CONFLICT";
	case TEEC_ERROR_EXCESS_DATA: return "TEEC_ERROR_EXCESS_DATA";
	case TEEC_ERROR_BAD_FORMAT: return "TEEC_ERROR_BAD_FORMAT";
	case TEEC_ERROR_BAD_PARAMETERS: return "TEEC_ERROR_BAD_PARAMETERS";
	case TEEC_ERROR_BAD_STATE: return "TEEC_ERROR_BAD_STATE";
	case TEEC_ERROR_ITEM_NOT_FOUND: return "TEEC_ERROR_ITEM_NOT_FOUND";
	case TEEC_ERROR_NOT_IMPLEMENTED: return "TEEC_ERROR_NOT_IMPLEMENTED";
	case TEEC_ERROR_NOT_SUPPORTED: return "TEEC_ERROR_NOT_SUPPORTED";
	case TEEC_ERROR_NO_DATA: return "TEEC_ERROR_NO_DATA";
	case TEEC_ERROR_OUT_OF_MEMORY: return "TEEC_ERROR_OUT_OF_MEMORY";
	case TEEC_ERROR_BUSY: return "TEEC_ERROR_BUSY";
	case TEEC_ERROR_COMMUNICATION: return "TEEC_ERROR_COMMUNICATION";
	case TEEC_ERROR_SECURITY: return "TEEC_ERROR_SECURITY";
	case TEEC_ERROR_SHORT_BUFFER: return "TEEC_ERROR_SHORT_BUFFER";
	case TEEC_ERROR_EXTERNAL_CANCEL: return "TEEC_ERROR_EXTERNAL_CANCEL";
	case TEEC_ERROR_TARGET_DEAD: return "TEEC_ERROR_TARGET_DEAD";
	case TEEC_ERROR_STORAGE_NO_SPACE: return "TEEC_ERROR_STORAGE_NO_SPACE";
	default: return "unknown result";
	}
}

const char *teec_origin_name(uint32_t origin)
{
	switch (origin) {
	case TEEC_ORIGIN_API: return "API";
	case TEEC_ORIGIN_COMMS: return "COMMS";
	case TEEC_ORIGIN_TEE: return "TEE";
	case TEEC_ORIGIN_TRUSTED_APP: return "TA";
	default: return "?";
	}
}
