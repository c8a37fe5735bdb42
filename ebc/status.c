/* SPDX-License-Identifier: MIT */
/* Names of the VM's stop reasons, for the messages users see. */
#include "vm.h"

static const char *const status_names[EBC_STATUS_COUNT] = {
    [EBC_OK] = "returned",
    [EBC_RUNNING] = "running",
    [EBC_ERR_BAD_OPCODE] = "undefined opcode",
    [EBC_ERR_BAD_ENCODING] = "bad instruction encoding (reserved bits or forbidden operand form)",
    [EBC_ERR_BAD_INDEX] = "malformed natural index",
    [EBC_ERR_BAD_BREAK] = "bad BREAK code (0: runaway program, or undefined)",
    [EBC_ERR_DIVIDE_BY_ZERO] = "divide by zero",
    [EBC_ERR_ALIGNMENT] = "jump, call or return to an odd address",
    [EBC_ERR_FETCH] = "instruction outside the image",
    [EBC_ERR_JUMP_OUTSIDE] = "jump, call or return outside the image",
    [EBC_ERR_STACK_OVERFLOW] = "VM stack overflow",
    [EBC_ERR_STACK_UNDERFLOW] = "VM stack underflow",
    [EBC_ERR_BAD_SP] = "stack pointer R0 outside the VM stack",
    [EBC_ERR_MEM_READ] = "read from an inaccessible address",
    [EBC_ERR_MEM_WRITE] = "write to an inaccessible address",
    [EBC_ERR_NATIVE_CALL] = "CALLEX to an address that is not callable",
    [EBC_ERR_THUNK] = "BREAK 5 (create thunk) for an entry point outside the image",
    [EBC_ERR_STEP_LIMIT] = "instruction limit reached",
    [EBC_ERR_BAD_CONFIG] = "bad VM configuration",
};

const char *ebc_status_str(enum ebc_status status)
{
	if ((unsigned)status >= EBC_STATUS_COUNT || !status_names[status])
		return "unknown status";
	return status_names[status];
}
