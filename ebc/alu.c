/* SPDX-License-Identifier: MIT */
/*
 * The EBC data-manipulation and comparison operations on plain values.
 * Kept apart from instruction decoding so each can be tested alone, and
 * written without C undefined behaviour: shifts are masked, signed
 * overflow is done in unsigned arithmetic, INT_MIN / -1 is defined.
 */
#include "alu.h"

static uint64_t sdiv64(uint64_t a, uint64_t b, bool mod)
{
	int64_t sa = (int64_t)a, sb = (int64_t)b;

	if (sb == -1) /* avoids INT64_MIN / -1, which C leaves undefined */
		return mod ? 0 : 0 - a;
	return mod ? (uint64_t)(sa % sb) : (uint64_t)(sa / sb);
}

static uint32_t sdiv32(uint32_t a, uint32_t b, bool mod)
{
	int32_t sa = (int32_t)a, sb = (int32_t)b;

	if (sb == -1)
		return mod ? 0 : 0 - a;
	return mod ? (uint32_t)(sa % sb) : (uint32_t)(sa / sb);
}

static uint64_t alu64(unsigned op, uint64_t a, uint64_t b)
{
	switch (op) {
	case EBC_OP_NOT:
		return ~b;
	case EBC_OP_NEG:
		return 0 - b;
	case EBC_OP_ADD:
		return a + b;
	case EBC_OP_SUB:
		return a - b;
	case EBC_OP_MUL:
	case EBC_OP_MULU:
		return a * b; /* the low 64 bits are the same signed or not */
	case EBC_OP_DIV:
		return sdiv64(a, b, false);
	case EBC_OP_DIVU:
		return a / b;
	case EBC_OP_MOD:
		return sdiv64(a, b, true);
	case EBC_OP_MODU:
		return a % b;
	case EBC_OP_AND:
		return a & b;
	case EBC_OP_OR:
		return a | b;
	case EBC_OP_XOR:
		return a ^ b;
	case EBC_OP_SHL:
		return a << (b & 63);
	case EBC_OP_SHR:
		return a >> (b & 63);
	case EBC_OP_ASHR:
		/* Arithmetic shift written out: >> of a negative value is implementation-defined.
		 */
		return (a >> (b & 63)) | ((a >> 63) && (b & 63) ? ~(~0ULL >> (b & 63)) : 0);
	case EBC_OP_EXTNDB:
		return (uint64_t)(int64_t)(int8_t)(uint8_t)b;
	case EBC_OP_EXTNDW:
		return (uint64_t)(int64_t)(int16_t)(uint16_t)b;
	default: /* EBC_OP_EXTNDD */
		return (uint64_t)(int64_t)(int32_t)(uint32_t)b;
	}
}

static uint32_t alu32(unsigned op, uint32_t a, uint32_t b)
{
	switch (op) {
	case EBC_OP_DIV:
		return sdiv32(a, b, false);
	case EBC_OP_DIVU:
		return a / b;
	case EBC_OP_MOD:
		return sdiv32(a, b, true);
	case EBC_OP_MODU:
		return a % b;
	case EBC_OP_SHL:
		return a << (b & 31);
	case EBC_OP_SHR:
		return a >> (b & 31);
	case EBC_OP_ASHR:
		return (a >> (b & 31)) | ((a >> 31) && (b & 31) ? ~(~0U >> (b & 31)) : 0);
	default:
		/* Every other operation's low 32 bits equal the 64-bit result's. */
		return (uint32_t)alu64(op, a, b);
	}
}

enum ebc_status ebc_alu(unsigned op, uint64_t a, uint64_t b, bool is64, uint64_t *res)
{
	bool div = op == EBC_OP_DIV || op == EBC_OP_DIVU || op == EBC_OP_MOD || op == EBC_OP_MODU;

	if (!is64) {
		a = (uint32_t)a;
		b = (uint32_t)b;
	}
	if (div && b == 0)
		return EBC_ERR_DIVIDE_BY_ZERO;
	*res = is64 ? alu64(op, a, b) : alu32(op, (uint32_t)a, (uint32_t)b);
	return EBC_OK;
}

bool ebc_compare(unsigned op, uint64_t a, uint64_t b, bool is64)
{
	int64_t sa, sb;

	if (!is64) {
		a = (uint32_t)a;
		b = (uint32_t)b;
		sa = (int32_t)(uint32_t)a;
		sb = (int32_t)(uint32_t)b;
	} else {
		sa = (int64_t)a;
		sb = (int64_t)b;
	}
	switch (op) {
	case EBC_OP_CMPEQ:
	case EBC_OP_CMPIEQ:
		return a == b;
	case EBC_OP_CMPLTE:
	case EBC_OP_CMPILTE:
		return sa <= sb;
	case EBC_OP_CMPGTE:
	case EBC_OP_CMPIGTE:
		return sa >= sb;
	case EBC_OP_CMPULTE:
	case EBC_OP_CMPIULTE:
		return a <= b;
	default: /* CMPUGTE, CMPIUGTE */
		return a >= b;
	}
}
