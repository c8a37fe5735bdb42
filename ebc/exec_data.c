/* SPDX-License-Identifier: MIT */
/*
 * EBC data instructions: the data-manipulation group and comparisons
 * (values computed by alu.c), the MOV family with natural indexing, MOVI,
 * MOVIn, MOVREL, PUSH/POP and the dedicated registers (LOADSP/STORESP).
 */
#include "alu.h"
#include "exec.h"
#include "vm_access.h"

/* ------------------------------------------- data manipulation and CMP */

/*
 * Operand 2 of the two-operand forms: R2 + Immed16 when direct, the
 * 32/64-bit value at [R2 + Index16] when indirect.
 */
static enum ebc_status operand2(struct ebc_vm *vm, uint8_t b0, uint8_t b1, bool is64, uint64_t *val,
				unsigned *len)
{
	uint64_t imm = 0;
	int64_t idx = 0;
	enum ebc_status st;

	*len = 2;
	if (b0 & 0x80) {
		st = OP2_IND(b1) ? fetch_index(vm, 2, 2, &idx) : fetch_imm(vm, 2, 2, &imm);
		if (st)
			return st;
		*len = 4;
	}
	if (OP2_IND(b1))
		return mem_read(vm, vm->r[OP2_REG(b1)] + (uint64_t)idx, is64 ? 8 : 4, val);
	*val = vm->r[OP2_REG(b1)] + imm;
	return EBC_OK;
}

enum ebc_status ebc_exec_alu(struct ebc_vm *vm, unsigned op, uint8_t b0, uint8_t b1)
{
	bool is64 = b0 & 0x40;
	unsigned len, size = is64 ? 8 : 4;
	uint64_t a, b, res;
	enum ebc_status st = operand2(vm, b0, b1, is64, &b, &len);

	if (st)
		return st;
	/* Operand 1 has no index: it is R1, or the value at [R1]. */
	if (OP1_IND(b1)) {
		st = mem_read(vm, vm->r[OP1_REG(b1)], size, &a);
		if (st)
			return st;
	} else {
		a = vm->r[OP1_REG(b1)];
	}
	st = ebc_alu(op, a, b, is64, &res);
	if (st)
		return fault(vm, st, 0);
	if (OP1_IND(b1)) {
		st = mem_write(vm, vm->r[OP1_REG(b1)], size, res);
		if (st)
			return st;
	} else {
		/* A 32-bit result clears the register's upper half. */
		vm->r[OP1_REG(b1)] = res;
	}
	vm->ip += len;
	return EBC_OK;
}

static void set_c(struct ebc_vm *vm, bool c)
{
	vm->flags = c ? vm->flags | EBC_FLAG_C : vm->flags & ~EBC_FLAG_C;
}

enum ebc_status ebc_exec_cmp(struct ebc_vm *vm, unsigned op, uint8_t b0, uint8_t b1)
{
	bool is64 = b0 & 0x40;
	unsigned len;
	uint64_t b;
	enum ebc_status st;

	/* Operand 1 is register direct only: bit 3 is reserved. */
	if (OP1_IND(b1))
		return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
	st = operand2(vm, b0, b1, is64, &b, &len);
	if (st)
		return st;
	set_c(vm, ebc_compare(op, vm->r[OP1_REG(b1)], b, is64));
	vm->ip += len;
	return EBC_OK;
}

enum ebc_status ebc_exec_cmpi(struct ebc_vm *vm, unsigned op, uint8_t b0, uint8_t b1)
{
	bool is64 = b0 & 0x40, has_idx = b1 & 0x10;
	unsigned len = 2, isize = b0 & 0x80 ? 4 : 2;
	uint64_t a, imm;
	int64_t idx = 0;
	enum ebc_status st;

	if ((b1 & 0xe0) || (has_idx && !OP1_IND(b1)))
		return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
	if (has_idx) {
		st = fetch_index(vm, 2, 2, &idx);
		if (st)
			return st;
		len += 2;
	}
	st = fetch_imm(vm, len, isize, &imm);
	if (st)
		return st;
	len += isize;
	if (OP1_IND(b1)) {
		st = mem_read(vm, vm->r[OP1_REG(b1)] + (uint64_t)idx, is64 ? 8 : 4, &a);
		if (st)
			return st;
	} else {
		a = vm->r[OP1_REG(b1)];
	}
	set_c(vm, ebc_compare(op, a, imm, is64));
	vm->ip += len;
	return EBC_OK;
}

/* ----------------------------------------------------------- MOV family */

/* Stores @val (@size bytes) to operand 1: a register (upper bits cleared) or memory. */
static enum ebc_status store_op1(struct ebc_vm *vm, uint8_t b1, int64_t idx1, unsigned size,
				 uint64_t val)
{
	if (OP1_IND(b1))
		return mem_write(vm, vm->r[OP1_REG(b1)] + (uint64_t)idx1, size, val);
	vm->r[OP1_REG(b1)] = trunc_to(val, size);
	return EBC_OK;
}

/*
 * MOVbw..MOVqq, MOVnw/MOVnd and MOVsnw/MOVsnd: byte 0 bit 7 says operand
 * 1 has an index, bit 6 that operand 2 has one; @isize is the size of
 * each index. For MOVsn a direct operand 2's index is a plain signed
 * immediate; for the others it is a natural index in both forms.
 */
enum ebc_status ebc_exec_mov(struct ebc_vm *vm, uint8_t b0, uint8_t b1, unsigned size,
			     unsigned isize, bool movsn)
{
	bool idx1 = b0 & 0x80, idx2 = b0 & 0x40;
	unsigned len = 2;
	int64_t off1 = 0, off2 = 0;
	uint64_t val, imm;
	enum ebc_status st;

	if (idx1 && !OP1_IND(b1))
		return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
	if (idx1) {
		st = fetch_index(vm, len, isize, &off1);
		if (st)
			return st;
		len += isize;
	}
	if (idx2) {
		if (movsn && !OP2_IND(b1)) {
			st = fetch_imm(vm, len, isize, &imm);
			off2 = (int64_t)imm;
		} else {
			st = fetch_index(vm, len, isize, &off2);
		}
		if (st)
			return st;
		len += isize;
	}
	if (OP2_IND(b1)) {
		st = mem_read(vm, vm->r[OP2_REG(b1)] + (uint64_t)off2, size, &val);
		if (st)
			return st;
	} else {
		val = vm->r[OP2_REG(b1)] + (uint64_t)off2;
	}
	st = store_op1(vm, b1, off1, size, val);
	if (st)
		return st;
	vm->ip += len;
	return EBC_OK;
}

/* MOVI, MOVIn and MOVREL share a layout: byte 0 bits 6..7 give the data size. */
enum ebc_status ebc_exec_movi_family(struct ebc_vm *vm, unsigned op, uint8_t b0, uint8_t b1)
{
	static const unsigned data_sizes[4] = {0, 2, 4, 8};
	unsigned dsize = data_sizes[b0 >> 6], len = 2, size = EBC_NATURAL;
	int64_t off1 = 0, idx;
	uint64_t val;
	enum ebc_status st;

	/* A data size of 0 is reserved; so is byte 1 bit 7, and bits 4..5 but for MOVI. */
	if (!dsize || (b1 & 0x80) || (op != EBC_OP_MOVI && (b1 & 0x30)))
		return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
	if ((b1 & 0x40) && !OP1_IND(b1))
		return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
	if (b1 & 0x40) {
		st = fetch_index(vm, 2, 2, &off1);
		if (st)
			return st;
		len += 2;
	}
	if (op == EBC_OP_MOVIN) {
		st = fetch_index(vm, len, dsize, &idx);
		val = (uint64_t)idx;
	} else {
		st = fetch_imm(vm, len, dsize, &val);
	}
	if (st)
		return st;
	len += dsize;
	if (op == EBC_OP_MOVI)
		size = 1U << ((b1 >> 4) & 3); /* the move width, b/w/d/q */
	else if (op == EBC_OP_MOVREL)
		/*
		 * The address IP-relative to the next instruction. The
		 * specification's prose says the data there is fetched, its
		 * OPERATION line and every implementation we know of store the
		 * address: we store the address (what compiled code expects).
		 */
		val = vm->ip + len + val;
	st = store_op1(vm, b1, off1, size, val);
	if (st)
		return st;
	vm->ip += len;
	return EBC_OK;
}

/* ------------------------------------------------------- stack and flags */

/*
 * PUSH and POP's one operand: reserved bits clear, then its optional
 * 16-bit index (indirect) or immediate (direct); *len is the length.
 */
static enum ebc_status stack_operand(struct ebc_vm *vm, uint8_t b0, uint8_t b1, unsigned *len,
				     int64_t *idx, uint64_t *imm)
{
	enum ebc_status st;

	*len = 2;
	*idx = 0;
	*imm = 0;
	if (b1 & 0xf0)
		return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
	if (!(b0 & 0x80))
		return EBC_OK;
	st = OP1_IND(b1) ? fetch_index(vm, 2, 2, idx) : fetch_imm(vm, 2, 2, imm);
	if (!st)
		*len = 4;
	return st;
}

enum ebc_status ebc_exec_push(struct ebc_vm *vm, uint8_t b0, uint8_t b1, unsigned size)
{
	unsigned len;
	uint64_t val, imm;
	int64_t idx;
	enum ebc_status st = stack_operand(vm, b0, b1, &len, &idx, &imm);

	if (st)
		return st;
	if (OP1_IND(b1)) {
		st = mem_read(vm, vm->r[OP1_REG(b1)] + (uint64_t)idx, size, &val);
		if (st)
			return st;
	} else {
		val = vm->r[OP1_REG(b1)] + imm;
	}
	st = push(vm, size, val);
	if (st)
		return st;
	vm->ip += len;
	return EBC_OK;
}

enum ebc_status ebc_exec_pop(struct ebc_vm *vm, uint8_t b0, uint8_t b1, unsigned size)
{
	unsigned len;
	uint64_t val, imm;
	int64_t idx;
	enum ebc_status st = stack_operand(vm, b0, b1, &len, &idx, &imm);

	if (st)
		return st;
	st = stack_check_pop(vm, size);
	if (st)
		return st;
	st = mem_read(vm, vm->r[0], size, &val);
	if (st)
		return st;
	if (OP1_IND(b1)) {
		/* The address uses R1 as it is after the pop (R1 may be R0). */
		vm->r[0] += size;
		st = mem_write(vm, vm->r[OP1_REG(b1)] + (uint64_t)idx, size, val);
		if (st) {
			vm->r[0] -= size;
			return st;
		}
	} else {
		vm->r[0] += size;
		/* POP32 into a register sign-extends. */
		vm->r[OP1_REG(b1)] = sext(val, size) + imm;
	}
	vm->ip += len;
	return EBC_OK;
}

enum ebc_status ebc_exec_loadsp(struct ebc_vm *vm, uint8_t b0, uint8_t b1)
{
	/* Only the Flags register (dedicated register 0) can be loaded. */
	if ((b0 & 0xc0) || (b1 & 0x88) || (b1 & 7))
		return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
	vm->flags = vm->r[OP2_REG(b1)] & EBC_FLAGS_DEFINED;
	vm->ip += 2;
	return EBC_OK;
}

enum ebc_status ebc_exec_storesp(struct ebc_vm *vm, uint8_t b0, uint8_t b1)
{
	unsigned ded = OP2_REG(b1);

	/* Dedicated registers: 0 = Flags, 1 = IP; the others do not exist. */
	if ((b0 & 0xc0) || (b1 & 0x88) || ded > 1)
		return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
	/* IP reads as the address of the next instruction. */
	vm->r[OP1_REG(b1)] = ded ? vm->ip + 2 : vm->flags;
	vm->ip += 2;
	return EBC_OK;
}
