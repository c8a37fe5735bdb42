/* SPDX-License-Identifier: MIT */
/*
 * EBC control flow: BREAK, JMP, JMP8, CALL (EBC-relative and absolute,
 * CALLEX to native code) and RET, with the calling convention's 16-byte
 * return frame. Every target is checked (vm_access.h: branch()) before
 * IP or the stack changes.
 */
#include "exec.h"
#include "vm_access.h"

/* ---------------------------------------------------------------- BREAK */
enum ebc_status ebc_exec_break(struct ebc_vm *vm, uint8_t b0, uint8_t code)
{
	uint64_t addr, off, thunk, entry;
	enum ebc_status st;

	if (b0 & 0xc0)
		return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
	switch (code) {
	case 1: /* get the VM version */
		vm->r[7] = EBC_VM_VERSION;
		break;
	case 3: /* debug breakpoint: no debugger, so only tell the host */
		if (vm->ops->debug_break)
			vm->ops->debug_break(vm->ctx, vm->ip);
		break;
	case 4: /* system call: none are defined, the VM ignores it */
		break;
	case 5:
		/*
		 * Create a thunk: R7 points at a 32-bit offset, relative to the
		 * end of that offset, to an EBC entry point; the 64 bits there
		 * are replaced by a native-callable address for it.
		 */
		addr = vm->r[7];
		st = mem_read(vm, addr, 4, &off);
		if (st)
			return st;
		entry = addr + 4 + sext(off, 4);
		if ((entry & 1) || !in_code(vm, entry, 2))
			return fault(vm, EBC_ERR_THUNK, entry);
		if (!vm->ops->make_thunk || !vm->ops->make_thunk(vm->ctx, entry, &thunk))
			return fault(vm, EBC_ERR_THUNK, entry);
		st = mem_write(vm, addr, 8, thunk);
		if (st)
			return st;
		break;
	case 6: /* the compiler's version, for compatibility checks we do not make */
		vm->compiler_version = vm->r[7];
		break;
	default: /* 0: runaway program (executing zeroed memory); 2, 7..255: undefined */
		return fault(vm, EBC_ERR_BAD_BREAK, code);
	}
	vm->ip += 2;
	return EBC_OK;
}

/* ------------------------------------------------------------ JMP, JMP8 */
static bool condition_met(const struct ebc_vm *vm, bool conditional, bool cs)
{
	return !conditional || ((vm->flags & EBC_FLAG_C) != 0) == cs;
}

enum ebc_status ebc_exec_jmp(struct ebc_vm *vm, uint8_t b0, uint8_t b1)
{
	bool has_imm = b0 & 0x80, is64 = b0 & 0x40, rel = b1 & 0x10;
	unsigned len = 2;
	uint64_t target, imm = 0;
	int64_t idx = 0;
	enum ebc_status st;

	if (b1 & 0x20)
		return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
	if (is64) {
		/* JMP64: the immediate is the whole operand; operand 1 fields are ignored. */
		if (!has_imm)
			return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
		st = fetch(vm, 2, 8, &imm);
		if (st)
			return st;
		len = 10;
		target = imm;
	} else {
		/* JMP32: R0 reads as 0 here, so R0 + Immed32 is a plain constant. */
		uint64_t base = OP1_REG(b1) ? vm->r[OP1_REG(b1)] : 0;

		if (has_imm) {
			st = OP1_IND(b1) ? fetch_index(vm, 2, 4, &idx) : fetch_imm(vm, 2, 4, &imm);
			if (st)
				return st;
			len = 6;
		}
		if (OP1_IND(b1)) {
			/* The operand is a natural-sized value in memory. */
			st = mem_read(vm, base + (uint64_t)idx, EBC_NATURAL, &target);
			if (st)
				return st;
		} else {
			target = base + imm;
		}
	}
	if (!condition_met(vm, b1 & 0x80, b1 & 0x40)) {
		vm->ip += len;
		return EBC_OK;
	}
	return branch(vm, rel ? vm->ip + len + target : target);
}

enum ebc_status ebc_exec_jmp8(struct ebc_vm *vm, uint8_t b0, uint8_t b1)
{
	/* The offset counts 16-bit words from the next instruction. */
	if (!condition_met(vm, b0 & 0x80, b0 & 0x40)) {
		vm->ip += 2;
		return EBC_OK;
	}
	return branch(vm, vm->ip + 2 + sext(b1, 1) * 2);
}

/* --------------------------------------------------------- CALL and RET */

/*
 * CALLEX: native code receives the arguments the EBC caller pushed, which
 * sit above the 16 bytes of return frame. Only what lies inside the VM
 * stack is read; arguments past its top are passed as zero (the callee
 * cannot have been given them).
 */
static enum ebc_status call_native(struct ebc_vm *vm, uint64_t addr, uint64_t ret_ip)
{
	uint64_t args[EBC_NATIVE_ARGS] = {0};
	uint64_t ret = 0, a = vm->r[0] + 16;
	unsigned i;
	enum ebc_status st;

	for (i = 0; i < EBC_NATIVE_ARGS && a <= stack_top(vm) - 8; i++, a += 8) {
		st = mem_read(vm, a, 8, &args[i]);
		if (st)
			return st;
	}
	if (!vm->ops->call_native || !vm->ops->call_native(vm->ctx, addr, args, i, &ret))
		return fault(vm, EBC_ERR_NATIVE_CALL, addr);
	vm->r[7] = ret;
	/* The native callee returned: take the frame off as RET would. */
	vm->r[0] += 16;
	vm->ip = ret_ip;
	return EBC_OK;
}

enum ebc_status ebc_exec_call(struct ebc_vm *vm, uint8_t b0, uint8_t b1)
{
	bool has_imm = b0 & 0x80, is64 = b0 & 0x40, native = b1 & 0x20, rel = b1 & 0x10;
	unsigned len = 2;
	uint64_t addr, imm = 0;
	int64_t idx = 0;
	enum ebc_status st;

	if (b1 & 0xc0)
		return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
	if (is64) {
		/* CALL64: the immediate is an absolute address; operand 1 is ignored. */
		if (!has_imm)
			return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
		st = fetch(vm, 2, 8, &addr);
		if (st)
			return st;
		len = 10;
		rel = false;
	} else {
		if (has_imm) {
			st = OP1_IND(b1) && OP1_REG(b1) ? fetch_index(vm, 2, 4, &idx)
							: fetch_imm(vm, 2, 4, &imm);
			if (st)
				return st;
			len = 6;
		}
		if (!OP1_REG(b1)) {
			/* Operand 1 = R0: the register is ignored, only the immediate counts. */
			addr = imm;
		} else if (OP1_IND(b1)) {
			st = mem_read(vm, vm->r[OP1_REG(b1)] + (uint64_t)idx, EBC_NATURAL, &addr);
			if (st)
				return st;
		} else {
			addr = vm->r[OP1_REG(b1)] + imm;
		}
	}
	if (rel)
		addr += vm->ip + len;
	/* Check an EBC target before touching the stack: a bad call changes nothing. */
	if (!native && (addr & 1))
		return fault(vm, EBC_ERR_ALIGNMENT, addr);
	if (!native && !in_code(vm, addr, 2))
		return fault(vm, EBC_ERR_JUMP_OUTSIDE, addr);
	st = stack_reserve(vm, 16);
	if (st)
		return st;
	st = mem_write(vm, vm->r[0], 8, vm->ip + len);
	if (st)
		return st;
	if (native)
		return call_native(vm, addr, vm->ip + len);
	vm->ip = addr;
	return EBC_OK;
}

enum ebc_status ebc_exec_ret(struct ebc_vm *vm, uint8_t b0, uint8_t b1)
{
	uint64_t target;
	enum ebc_status st;

	if ((b0 & 0xc0) || b1)
		return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
	if (vm->r[0] == vm->frame_sp) {
		/* The final return, to the native caller of ebc_vm_call(). */
		vm->r[0] += 16;
		vm->status = EBC_OK;
		return EBC_OK;
	}
	st = stack_check_pop(vm, 16);
	if (st)
		return st;
	st = mem_read(vm, vm->r[0], 8, &target);
	if (st)
		return st;
	st = branch(vm, target);
	if (st)
		return st;
	vm->r[0] += 16;
	return EBC_OK;
}
