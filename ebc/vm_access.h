/* SPDX-License-Identifier: MIT */
/*
 * The VM's checked access to its world, shared by the instruction files
 * (ebc/exec_*.c) and ebc/vm.c, internal to the VM: instruction fetches
 * inside the image, data through the host, the VM stack's bounds, branch
 * targets. Each failure records why and where (fault()) and returns the
 * status, so an instruction stops at its first problem.
 */
#ifndef EBC_VM_ACCESS_H
#define EBC_VM_ACCESS_H

#include "vm.h"

#define OP1_REG(b) ((b)&7U)
#define OP1_IND(b) (((b)&0x08U) != 0)
#define OP2_REG(b) (((b) >> 4) & 7U)
#define OP2_IND(b) (((b)&0x80U) != 0)

/* Stops the image: records why and where, returns @st for chaining. */
static inline enum ebc_status fault(struct ebc_vm *vm, enum ebc_status st, uint64_t addr)
{
	vm->status = st;
	vm->fault_ip = vm->ip;
	vm->fault_addr = addr;
	return st;
}

static inline bool in_code(const struct ebc_vm *vm, uint64_t addr, uint64_t len)
{
	uint64_t off = addr - vm->cfg.code_base;

	return addr >= vm->cfg.code_base && off <= vm->cfg.code_size &&
	       len <= vm->cfg.code_size - off;
}

/* Reads @size instruction bytes at IP + @off (unsigned, little-endian). */
static inline enum ebc_status fetch(struct ebc_vm *vm, unsigned off, unsigned size, uint64_t *val)
{
	if (!in_code(vm, vm->ip + off, size))
		return fault(vm, EBC_ERR_FETCH, vm->ip + off);
	if (!vm->ops->read(vm->ctx, vm->ip + off, size, val))
		return fault(vm, EBC_ERR_FETCH, vm->ip + off);
	return EBC_OK;
}

static inline uint64_t sext(uint64_t v, unsigned size)
{
	switch (size) {
	case 1:
		return (uint64_t)(int64_t)(int8_t)(uint8_t)v;
	case 2:
		return (uint64_t)(int64_t)(int16_t)(uint16_t)v;
	case 4:
		return (uint64_t)(int64_t)(int32_t)(uint32_t)v;
	default:
		return v;
	}
}

static inline uint64_t trunc_to(uint64_t v, unsigned size)
{
	return size >= 8 ? v : v & ((1ULL << (size * 8)) - 1);
}

/* A natural index of @size bytes at IP + @off, decoded to a byte offset. */
static inline enum ebc_status fetch_index(struct ebc_vm *vm, unsigned off, unsigned size,
					  int64_t *idx)
{
	uint64_t raw;
	enum ebc_status st = fetch(vm, off, size, &raw);

	if (st)
		return st;
	if (!ebc_index_decode(raw, size * 8, idx))
		return fault(vm, EBC_ERR_BAD_INDEX, vm->ip + off);
	return EBC_OK;
}

/* A signed immediate of @size bytes at IP + @off. */
static inline enum ebc_status fetch_imm(struct ebc_vm *vm, unsigned off, unsigned size,
					uint64_t *imm)
{
	enum ebc_status st = fetch(vm, off, size, imm);

	*imm = sext(*imm, size);
	return st;
}

static inline enum ebc_status mem_read(struct ebc_vm *vm, uint64_t addr, unsigned size,
				       uint64_t *val)
{
	*val = 0;
	if (!vm->ops->read(vm->ctx, addr, size, val))
		return fault(vm, EBC_ERR_MEM_READ, addr);
	*val = trunc_to(*val, size);
	return EBC_OK;
}

static inline enum ebc_status mem_write(struct ebc_vm *vm, uint64_t addr, unsigned size,
					uint64_t val)
{
	if (!vm->ops->write(vm->ctx, addr, size, trunc_to(val, size)))
		return fault(vm, EBC_ERR_MEM_WRITE, addr);
	return EBC_OK;
}

/* The VM stack: [stack_base, stack_top). */
static inline uint64_t stack_top(const struct ebc_vm *vm)
{
	return vm->cfg.stack_base + vm->cfg.stack_size;
}

/* R0 -= @size, checked; then the caller writes at the new R0. */
static inline enum ebc_status stack_reserve(struct ebc_vm *vm, unsigned size)
{
	uint64_t sp = vm->r[0];

	if (sp < vm->cfg.stack_base || sp > stack_top(vm))
		return fault(vm, EBC_ERR_BAD_SP, sp);
	if (sp - vm->cfg.stack_base < size)
		return fault(vm, EBC_ERR_STACK_OVERFLOW, sp - size);
	vm->r[0] = sp - size;
	return EBC_OK;
}

/* Checks that @size bytes can be taken from the stack at R0. */
static inline enum ebc_status stack_check_pop(struct ebc_vm *vm, unsigned size)
{
	uint64_t sp = vm->r[0];

	if (sp < vm->cfg.stack_base || sp > stack_top(vm))
		return fault(vm, EBC_ERR_BAD_SP, sp);
	if (stack_top(vm) - sp < size)
		return fault(vm, EBC_ERR_STACK_UNDERFLOW, sp);
	return EBC_OK;
}

static inline enum ebc_status push(struct ebc_vm *vm, unsigned size, uint64_t val)
{
	enum ebc_status st = stack_reserve(vm, size);

	return st ? st : mem_write(vm, vm->r[0], size, val);
}

/* Moves IP to a branch target, which must be even and inside the image. */
static inline enum ebc_status branch(struct ebc_vm *vm, uint64_t target)
{
	if (target & 1)
		return fault(vm, EBC_ERR_ALIGNMENT, target);
	if (!in_code(vm, target, 2))
		return fault(vm, EBC_ERR_JUMP_OUTSIDE, target);
	vm->ip = target;
	return EBC_OK;
}

#endif /* EBC_VM_ACCESS_H */
