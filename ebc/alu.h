/* SPDX-License-Identifier: MIT */
/* EBC arithmetic, logic and comparisons on plain values (ebc/alu.c). */
#ifndef EBC_ALU_H
#define EBC_ALU_H

#include <stdbool.h>
#include <stdint.h>

#include "vm.h"

/* Opcodes (low 6 bits of an instruction's first byte). */
enum ebc_opcode {
	EBC_OP_BREAK = 0x00,
	EBC_OP_JMP = 0x01,
	EBC_OP_JMP8 = 0x02,
	EBC_OP_CALL = 0x03,
	EBC_OP_RET = 0x04,
	EBC_OP_CMPEQ = 0x05,
	EBC_OP_CMPLTE = 0x06,
	EBC_OP_CMPGTE = 0x07,
	EBC_OP_CMPULTE = 0x08,
	EBC_OP_CMPUGTE = 0x09,
	EBC_OP_NOT = 0x0a,
	EBC_OP_NEG = 0x0b,
	EBC_OP_ADD = 0x0c,
	EBC_OP_SUB = 0x0d,
	EBC_OP_MUL = 0x0e,
	EBC_OP_MULU = 0x0f,
	EBC_OP_DIV = 0x10,
	EBC_OP_DIVU = 0x11,
	EBC_OP_MOD = 0x12,
	EBC_OP_MODU = 0x13,
	EBC_OP_AND = 0x14,
	EBC_OP_OR = 0x15,
	EBC_OP_XOR = 0x16,
	EBC_OP_SHL = 0x17,
	EBC_OP_SHR = 0x18,
	EBC_OP_ASHR = 0x19,
	EBC_OP_EXTNDB = 0x1a,
	EBC_OP_EXTNDW = 0x1b,
	EBC_OP_EXTNDD = 0x1c,
	EBC_OP_MOVBW = 0x1d,
	EBC_OP_MOVWW = 0x1e,
	EBC_OP_MOVDW = 0x1f,
	EBC_OP_MOVQW = 0x20,
	EBC_OP_MOVBD = 0x21,
	EBC_OP_MOVWD = 0x22,
	EBC_OP_MOVDD = 0x23,
	EBC_OP_MOVQD = 0x24,
	EBC_OP_MOVSNW = 0x25,
	EBC_OP_MOVSND = 0x26,
	EBC_OP_MOVQQ = 0x28,
	EBC_OP_LOADSP = 0x29,
	EBC_OP_STORESP = 0x2a,
	EBC_OP_PUSH = 0x2b,
	EBC_OP_POP = 0x2c,
	EBC_OP_CMPIEQ = 0x2d,
	EBC_OP_CMPILTE = 0x2e,
	EBC_OP_CMPIGTE = 0x2f,
	EBC_OP_CMPIULTE = 0x30,
	EBC_OP_CMPIUGTE = 0x31,
	EBC_OP_MOVNW = 0x32,
	EBC_OP_MOVND = 0x33,
	EBC_OP_PUSHN = 0x35,
	EBC_OP_POPN = 0x36,
	EBC_OP_MOVI = 0x37,
	EBC_OP_MOVIN = 0x38,
	EBC_OP_MOVREL = 0x39,
};

/*
 * @a op @b for the data-manipulation opcodes NOT..EXTNDD, in 64-bit or
 * (!@is64) 32-bit arithmetic; a 32-bit result is zero-extended. Returns
 * EBC_ERR_DIVIDE_BY_ZERO for DIV/DIVU/MOD/MODU by 0, EBC_OK otherwise.
 * Shift counts use their low 6 (64-bit) or 5 (32-bit) bits; the most
 * negative number divided by -1 wraps to itself (remainder 0).
 */
enum ebc_status ebc_alu(unsigned op, uint64_t a, uint64_t b, bool is64, uint64_t *res);

/* The condition CMP/CMPI @op computes for @a and @b (32 or 64 bits). */
bool ebc_compare(unsigned op, uint64_t a, uint64_t b, bool is64);

#endif /* EBC_ALU_H */
