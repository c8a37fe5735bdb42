/* SPDX-License-Identifier: MIT */
/*
 * The EBC interpreter: decodes one instruction at IP and runs it.
 * Written from the UEFI specification's EBC chapter; where the text is
 * ambiguous the choice is stated at the point it is made (and collected
 * in ebc/README.md).
 *
 * Instruction layout: byte 0 is the opcode (bits 0..5) and two
 * modifier bits; byte 1, for most instructions, holds operand 1 (bits
 * 0..2 register, bit 3 indirect) and operand 2 (bits 4..6, bit 7
 * indirect); immediates and natural indexes follow, little-endian.
 *
 * Every fetch is checked against the image, every stack operation
 * against the VM stack, every data access goes to the host, which may
 * refuse it: the bytecode cannot make the VM touch anything the host did
 * not allow, and every loop is bounded by the instruction budget.
 *
 * This file: dispatch, one step, init and calls from native code; the
 * instructions are in exec_flow.c and exec_data.c, the checked accesses
 * in vm_access.h.
 */
#include <stddef.h>

#include "alu.h"
#include "exec.h"
#include "vm_access.h"

/* ------------------------------------------------------------- dispatch */

static enum ebc_status execute(struct ebc_vm *vm, uint8_t b0, uint8_t b1)
{
	unsigned op = b0 & 0x3f;

	/* The opcode groups that share one decoder. */
	if (op >= EBC_OP_CMPEQ && op <= EBC_OP_CMPUGTE)
		return ebc_exec_cmp(vm, op, b0, b1);
	if (op >= EBC_OP_NOT && op <= EBC_OP_EXTNDD)
		return ebc_exec_alu(vm, op, b0, b1);
	if (op >= EBC_OP_MOVBW && op <= EBC_OP_MOVQW)
		return ebc_exec_mov(vm, b0, b1, 1U << (op - EBC_OP_MOVBW), 2, false);
	if (op >= EBC_OP_MOVBD && op <= EBC_OP_MOVQD)
		return ebc_exec_mov(vm, b0, b1, 1U << (op - EBC_OP_MOVBD), 4, false);
	if (op >= EBC_OP_CMPIEQ && op <= EBC_OP_CMPIUGTE)
		return ebc_exec_cmpi(vm, op, b0, b1);
	switch (op) {
	case EBC_OP_BREAK:
		return ebc_exec_break(vm, b0, b1);
	case EBC_OP_JMP:
		return ebc_exec_jmp(vm, b0, b1);
	case EBC_OP_JMP8:
		return ebc_exec_jmp8(vm, b0, b1);
	case EBC_OP_CALL:
		return ebc_exec_call(vm, b0, b1);
	case EBC_OP_RET:
		return ebc_exec_ret(vm, b0, b1);
	case EBC_OP_MOVQQ:
		return ebc_exec_mov(vm, b0, b1, 8, 8, false);
	case EBC_OP_MOVNW:
		return ebc_exec_mov(vm, b0, b1, EBC_NATURAL, 2, false);
	case EBC_OP_MOVND:
		return ebc_exec_mov(vm, b0, b1, EBC_NATURAL, 4, false);
	case EBC_OP_MOVSNW:
		return ebc_exec_mov(vm, b0, b1, EBC_NATURAL, 2, true);
	case EBC_OP_MOVSND:
		return ebc_exec_mov(vm, b0, b1, EBC_NATURAL, 4, true);
	case EBC_OP_LOADSP:
		return ebc_exec_loadsp(vm, b0, b1);
	case EBC_OP_STORESP:
		return ebc_exec_storesp(vm, b0, b1);
	case EBC_OP_PUSH:
		return ebc_exec_push(vm, b0, b1, b0 & 0x40 ? 8 : 4);
	case EBC_OP_POP:
		return ebc_exec_pop(vm, b0, b1, b0 & 0x40 ? 8 : 4);
	case EBC_OP_PUSHN:
	case EBC_OP_POPN:
		if (b0 & 0x40) /* reserved: the size is natural */
			return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
		return op == EBC_OP_PUSHN ? ebc_exec_push(vm, b0, b1, EBC_NATURAL)
					  : ebc_exec_pop(vm, b0, b1, EBC_NATURAL);
	case EBC_OP_MOVI:
	case EBC_OP_MOVIN:
	case EBC_OP_MOVREL:
		return ebc_exec_movi_family(vm, op, b0, b1);
	default: /* 0x27, 0x34, 0x3a..0x3f */
		return fault(vm, EBC_ERR_BAD_OPCODE, op);
	}
}

enum ebc_status ebc_vm_step(struct ebc_vm *vm)
{
	uint64_t b0, b1;
	enum ebc_status st;

	if (vm->status != EBC_RUNNING)
		return vm->status;
	if (vm->steps >= vm->cfg.max_steps)
		return fault(vm, EBC_ERR_STEP_LIMIT, 0);
	vm->steps++;
	/* Every instruction is at least two bytes. */
	st = fetch(vm, 0, 1, &b0);
	if (!st)
		st = fetch(vm, 1, 1, &b1);
	if (st)
		return st;
	vm->fault_opcode = (uint8_t)b0;
	st = execute(vm, (uint8_t)b0, (uint8_t)b1);
	if (st)
		return st;
	return vm->status;
}

static bool region_ok(uint64_t base, uint64_t size)
{
	return size && base + size > base;
}

enum ebc_status ebc_vm_init(struct ebc_vm *vm, const struct ebc_host_ops *ops, void *ctx,
			    const struct ebc_vm_config *cfg)
{
	*vm = (struct ebc_vm){0};
	vm->status = EBC_ERR_BAD_CONFIG;
	if (!ops || !ops->read || !ops->write || !cfg)
		return EBC_ERR_BAD_CONFIG;
	if (!region_ok(cfg->code_base, cfg->code_size) ||
	    !region_ok(cfg->stack_base, cfg->stack_size) || (cfg->stack_base & 15) ||
	    (cfg->stack_size & 15) || cfg->stack_size < 64 || !cfg->max_steps)
		return EBC_ERR_BAD_CONFIG;
	vm->ops = ops;
	vm->ctx = ctx;
	vm->cfg = *cfg;
	vm->r[0] = stack_top(vm);
	vm->status = EBC_OK;
	return EBC_OK;
}

/* What a nested ebc_vm_call() (native code called by CALLEX calling EBC) must give back. */
struct vm_saved {
	uint64_t r[8];
	uint64_t ip;
	uint64_t flags;
	uint64_t frame_sp;
};

static enum ebc_status run_call(struct ebc_vm *vm, uint64_t entry, const uint64_t *args,
				unsigned nargs, uint64_t *ret)
{
	enum ebc_status st;
	unsigned i;

	vm->status = EBC_RUNNING;
	/* Keep the stack 16-byte aligned whatever was pushed before. */
	vm->r[0] &= ~15ULL;
	if (nargs & 1) {
		st = push(vm, 8, 0);
		if (st)
			return st;
	}
	for (i = nargs; i > 0; i--) {
		st = push(vm, 8, args[i - 1]);
		if (st)
			return st;
	}
	/* The return frame: a CALL's 16 bytes, the return address unused. */
	st = stack_reserve(vm, 16);
	if (!st)
		st = mem_write(vm, vm->r[0], 8, 0);
	if (st)
		return st;
	vm->frame_sp = vm->r[0];
	st = branch(vm, entry);
	if (st)
		return st;
	/* Bounded: every step counts against cfg.max_steps, which is never 0. */
	while ((st = ebc_vm_step(vm)) == EBC_RUNNING)
		;
	if (st == EBC_OK && ret)
		*ret = vm->r[7];
	return st;
}

enum ebc_status ebc_vm_call(struct ebc_vm *vm, uint64_t entry, const uint64_t *args, unsigned nargs,
			    uint64_t *ret)
{
	struct vm_saved saved;
	bool nested;
	enum ebc_status st;

	if (!vm->ops || vm->status == EBC_ERR_BAD_CONFIG || nargs > EBC_CALL_ARGS_MAX ||
	    (nargs && !args))
		return EBC_ERR_BAD_CONFIG;
	nested = vm->status == EBC_RUNNING;
	if (!nested) {
		/*
		 * A fresh call starts from the top of the stack, whatever a
		 * fault left in R0, with the whole instruction budget (a
		 * resident driver is called many times).
		 */
		vm->r[0] = stack_top(vm);
		vm->steps = 0;
	}
	saved.ip = vm->ip;
	saved.flags = vm->flags;
	saved.frame_sp = vm->frame_sp;
	for (unsigned i = 0; i < 8; i++)
		saved.r[i] = vm->r[i];
	st = run_call(vm, entry, args, nargs, ret);
	if (nested) {
		/*
		 * The caller's registers again: a native callee of the outer
		 * image called this function; after it returns (or faults: the
		 * native caller sees the error) the outer image runs on exactly
		 * where it was.
		 */
		for (unsigned i = 0; i < 8; i++)
			vm->r[i] = saved.r[i];
		vm->ip = saved.ip;
		vm->flags = saved.flags;
		vm->frame_sp = saved.frame_sp;
		vm->status = EBC_RUNNING;
	} else if (st == EBC_OK) {
		/* Drop the arguments: R0 as before the call; R7 holds the result. */
		vm->r[0] = saved.r[0];
	}
	return st;
}
