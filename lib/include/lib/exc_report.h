/* SPDX-License-Identifier: MIT */
/* Decoded reports of unexpected exceptions, the same at every level. */
#ifndef LIB_EXC_REPORT_H
#define LIB_EXC_REPORT_H

#include <stdint.h>

const char *esr_ec_name(unsigned int ec);

/*
 * Print "FATAL: unexpected exception ..." with the level, exception class,
 * ESR, ELR and FAR. The run scripts treat any FATAL line as a failure.
 */
void report_exception(const char *where, uint64_t esr, uint64_t elr, uint64_t far,
		      uint64_t spsr);

#endif
