// SPDX-License-Identifier: MIT
/*
 * The one place vtz-client includes our shared ABI header: the UUIDs
 * come straight from it, and every value vtz_abi.h mirrors is checked
 * against it at compile time, so a change to the TEE's ABI breaks this
 * build instead of the client silently talking to the wrong command.
 */
#include <vtz/attest_abi.h>
#include <vtz/optee_msg.h>

#include "vtz_abi.h"

const uint8_t vtz_ta_echo_uuid[VTZ_UUID_LEN] = VTZ_TA_ECHO_UUID;
const uint8_t vtz_ta_store_uuid[VTZ_UUID_LEN] = VTZ_TA_STORE_UUID;
const uint8_t vtz_ta_key_uuid[VTZ_UUID_LEN] = VTZ_TA_KEY_UUID;
const uint8_t vtz_ta_attest_uuid[VTZ_UUID_LEN] = VTZ_TA_ATTEST_UUID;

_Static_assert(VTZ_ECHO_ECHO == VTZ_TA_ECHO_CMD_ECHO, "echo ECHO");
_Static_assert(VTZ_ECHO_ADD == VTZ_TA_ECHO_CMD_ADD, "echo ADD");
_Static_assert(VTZ_ECHO_ECHO_MEM == VTZ_TA_ECHO_CMD_ECHO_MEM, "echo ECHO_MEM");
_Static_assert(VTZ_ECHO_YIELD == VTZ_TA_ECHO_CMD_YIELD, "echo YIELD");
_Static_assert(VTZ_ECHO_NOTIFY == VTZ_TA_ECHO_CMD_NOTIFY, "echo NOTIFY");
_Static_assert(VTZ_ECHO_MAX_YIELDS == VTZ_TA_ECHO_MAX_YIELDS, "echo max yields");
_Static_assert(VTZ_STORE_PUT == VTZ_TA_STORE_CMD_PUT, "store PUT");
_Static_assert(VTZ_STORE_GET == VTZ_TA_STORE_CMD_GET, "store GET");
_Static_assert(VTZ_STORE_DELETE == VTZ_TA_STORE_CMD_DELETE, "store DELETE");
_Static_assert(VTZ_STORE_KEY_MAX == VTZ_TA_STORE_KEY_MAX, "store key size");
_Static_assert(VTZ_STORE_VALUE_MAX == VTZ_TA_STORE_VALUE_MAX, "store value size");
_Static_assert(VTZ_KEY_MAC == VTZ_TA_KEY_CMD_MAC, "key MAC");
_Static_assert(VTZ_KEY_TAG_SIZE == VTZ_TA_KEY_TAG_SIZE, "key tag size");
_Static_assert(VTZ_ATTEST_ATTEST == VTZ_TA_ATTEST_CMD_ATTEST, "attest ATTEST");
_Static_assert(VTZ_NONCE_SIZE == VTZ_ATTEST_NONCE_LEN, "attest nonce size");
_Static_assert(VTZ_REPORT_SIZE == VTZ_ATTEST_REPORT_LEN, "attest report size");
_Static_assert(VTZ_BOUNCE_SIZE == VTZ_MSG_BOUNCE_SIZE, "bounce size");
