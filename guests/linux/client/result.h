/* SPDX-License-Identifier: MIT */
/* TEE Client API results: names, and vtz-client's exit code per class. */
#ifndef VTZ_CLIENT_RESULT_H
#define VTZ_CLIENT_RESULT_H

#include <stdint.h>

/*
 * Exit codes, one per failure class, so a script (or a system test) can
 * tell them apart without parsing the message.
 */
enum vtz_exit {
	VTZ_EXIT_OK = 0,
	VTZ_EXIT_NOT_FOUND = 1,    /* get/delete: no such key */
	VTZ_EXIT_USAGE = 2,        /* bad command line */
	VTZ_EXIT_NO_TEE = 3,       /* TEEC_InitializeContext failed */
	VTZ_EXIT_SESSION = 4,      /* TEEC_OpenSession failed (bad UUID, ...) */
	VTZ_EXIT_INVOKE = 5,       /* TEEC_InvokeCommand failed otherwise */
	VTZ_EXIT_SHORT_BUFFER = 6, /* the output buffer was too small */
	VTZ_EXIT_MISMATCH = 7,     /* the TEE answered, but wrongly */
	VTZ_EXIT_SHM = 8,          /* shared memory could not be had */
	VTZ_EXIT_FW_IO = 9,        /* fw-update: the bundle or the mailbox unreachable */
	VTZ_EXIT_FW_REFUSED = 10,  /* fw-update: the monitor refused the update */
};

const char *teec_result_name(uint32_t res);
const char *teec_origin_name(uint32_t origin);

#endif
