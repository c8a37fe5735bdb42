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
 */
#include <stddef.h>

#include "alu.h"
#include "vm.h"

#define OP1_REG(b) ((b)&7U)
#define OP1_IND(b) (((b)&0x08U) != 0)
#define OP2_REG(b) (((b) >> 4) & 7U)
#define OP2_IND(b) (((b)&0x80U) != 0)

/* Stops the image: records why and where, returns @st for chaining. */
static enum ebc_status fault(struct ebc_vm *vm, enum ebc_status st, uint64_t addr)
{
	vm->status = st;
	vm->fault_ip = vm->ip;
	vm->fault_addr = addr;
	return st;
}

static bool in_code(const struct ebc_vm *vm, uint64_t addr, uint64_t len)
{
	uint64_t off = addr - vm->cfg.code_base;

	return addr >= vm->cfg.code_base && off <= vm->cfg.code_size &&
	       len <= vm->cfg.code_size - off;
}

/* Reads @size instruction bytes at IP + @off (unsigned, little-endian). */
static enum ebc_status fetch(struct ebc_vm *vm, unsigned off, unsigned size, uint64_t *val)
{
	if (!in_code(vm, vm->ip + off, size))
		return fault(vm, EBC_ERR_FETCH, vm->ip + off);
	if (!vm->ops->read(vm->ctx, vm->ip + off, size, val))
		return fault(vm, EBC_ERR_FETCH, vm->ip + off);
	return EBC_OK;
}

static uint64_t sext(uint64_t v, unsigned size)
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

static uint64_t trunc_to(uint64_t v, unsigned size)
{
	return size >= 8 ? v : v & ((1ULL << (size * 8)) - 1);
}

/* A natural index of @size bytes at IP + @off, decoded to a byte offset. */
static enum ebc_status fetch_index(struct ebc_vm *vm, unsigned off, unsigned size, int64_t *idx)
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
static enum ebc_status fetch_imm(struct ebc_vm *vm, unsigned off, unsigned size, uint64_t *imm)
{
	enum ebc_status st = fetch(vm, off, size, imm);

	*imm = sext(*imm, size);
	return st;
}

static enum ebc_status mem_read(struct ebc_vm *vm, uint64_t addr, unsigned size, uint64_t *val)
{
	*val = 0;
	if (!vm->ops->read(vm->ctx, addr, size, val))
		return fault(vm, EBC_ERR_MEM_READ, addr);
	*val = trunc_to(*val, size);
	return EBC_OK;
}

static enum ebc_status mem_write(struct ebc_vm *vm, uint64_t addr, unsigned size, uint64_t val)
{
	if (!vm->ops->write(vm->ctx, addr, size, trunc_to(val, size)))
		return fault(vm, EBC_ERR_MEM_WRITE, addr);
	return EBC_OK;
}

/* The VM stack: [stack_base, stack_top). */
static uint64_t stack_top(const struct ebc_vm *vm)
{
	return vm->cfg.stack_base + vm->cfg.stack_size;
}

/* R0 -= @size, checked; then the caller writes at the new R0. */
static enum ebc_status stack_reserve(struct ebc_vm *vm, unsigned size)
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
static enum ebc_status stack_check_pop(struct ebc_vm *vm, unsigned size)
{
	uint64_t sp = vm->r[0];

	if (sp < vm->cfg.stack_base || sp > stack_top(vm))
		return fault(vm, EBC_ERR_BAD_SP, sp);
	if (stack_top(vm) - sp < size)
		return fault(vm, EBC_ERR_STACK_UNDERFLOW, sp);
	return EBC_OK;
}

static enum ebc_status push(struct ebc_vm *vm, unsigned size, uint64_t val)
{
	enum ebc_status st = stack_reserve(vm, size);

	return st ? st : mem_write(vm, vm->r[0], size, val);
}

/* Moves IP to a branch target, which must be even and inside the image. */
static enum ebc_status branch(struct ebc_vm *vm, uint64_t target)
{
	if (target & 1)
		return fault(vm, EBC_ERR_ALIGNMENT, target);
	if (!in_code(vm, target, 2))
		return fault(vm, EBC_ERR_JUMP_OUTSIDE, target);
	vm->ip = target;
	return EBC_OK;
}

/* ---------------------------------------------------------------- BREAK */
static enum ebc_status do_break(struct ebc_vm *vm, uint8_t b0, uint8_t code)
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

static enum ebc_status do_jmp(struct ebc_vm *vm, uint8_t b0, uint8_t b1)
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

static enum ebc_status do_jmp8(struct ebc_vm *vm, uint8_t b0, uint8_t b1)
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

static enum ebc_status do_call(struct ebc_vm *vm, uint8_t b0, uint8_t b1)
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

static enum ebc_status do_ret(struct ebc_vm *vm, uint8_t b0, uint8_t b1)
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

static enum ebc_status do_alu(struct ebc_vm *vm, unsigned op, uint8_t b0, uint8_t b1)
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

static enum ebc_status do_cmp(struct ebc_vm *vm, unsigned op, uint8_t b0, uint8_t b1)
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

static enum ebc_status do_cmpi(struct ebc_vm *vm, unsigned op, uint8_t b0, uint8_t b1)
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
static enum ebc_status do_mov(struct ebc_vm *vm, uint8_t b0, uint8_t b1, unsigned size,
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
static enum ebc_status do_movi_family(struct ebc_vm *vm, unsigned op, uint8_t b0, uint8_t b1)
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

static enum ebc_status do_push(struct ebc_vm *vm, uint8_t b0, uint8_t b1, unsigned size)
{
	unsigned len = 2;
	uint64_t val, imm = 0;
	int64_t idx = 0;
	enum ebc_status st;

	if (b1 & 0xf0)
		return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
	if (b0 & 0x80) {
		st = OP1_IND(b1) ? fetch_index(vm, 2, 2, &idx) : fetch_imm(vm, 2, 2, &imm);
		if (st)
			return st;
		len = 4;
	}
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

static enum ebc_status do_pop(struct ebc_vm *vm, uint8_t b0, uint8_t b1, unsigned size)
{
	unsigned len = 2;
	uint64_t val, imm = 0;
	int64_t idx = 0;
	enum ebc_status st;

	if (b1 & 0xf0)
		return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
	if (b0 & 0x80) {
		st = OP1_IND(b1) ? fetch_index(vm, 2, 2, &idx) : fetch_imm(vm, 2, 2, &imm);
		if (st)
			return st;
		len = 4;
	}
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

static enum ebc_status do_loadsp(struct ebc_vm *vm, uint8_t b0, uint8_t b1)
{
	/* Only the Flags register (dedicated register 0) can be loaded. */
	if ((b0 & 0xc0) || (b1 & 0x88) || (b1 & 7))
		return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
	vm->flags = vm->r[OP2_REG(b1)] & EBC_FLAGS_DEFINED;
	vm->ip += 2;
	return EBC_OK;
}

static enum ebc_status do_storesp(struct ebc_vm *vm, uint8_t b0, uint8_t b1)
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

/* ------------------------------------------------------------- dispatch */

static enum ebc_status execute(struct ebc_vm *vm, uint8_t b0, uint8_t b1)
{
	unsigned op = b0 & 0x3f;

	/* The opcode groups that share one decoder. */
	if (op >= EBC_OP_CMPEQ && op <= EBC_OP_CMPUGTE)
		return do_cmp(vm, op, b0, b1);
	if (op >= EBC_OP_NOT && op <= EBC_OP_EXTNDD)
		return do_alu(vm, op, b0, b1);
	if (op >= EBC_OP_MOVBW && op <= EBC_OP_MOVQW)
		return do_mov(vm, b0, b1, 1U << (op - EBC_OP_MOVBW), 2, false);
	if (op >= EBC_OP_MOVBD && op <= EBC_OP_MOVQD)
		return do_mov(vm, b0, b1, 1U << (op - EBC_OP_MOVBD), 4, false);
	if (op >= EBC_OP_CMPIEQ && op <= EBC_OP_CMPIUGTE)
		return do_cmpi(vm, op, b0, b1);
	switch (op) {
	case EBC_OP_BREAK:
		return do_break(vm, b0, b1);
	case EBC_OP_JMP:
		return do_jmp(vm, b0, b1);
	case EBC_OP_JMP8:
		return do_jmp8(vm, b0, b1);
	case EBC_OP_CALL:
		return do_call(vm, b0, b1);
	case EBC_OP_RET:
		return do_ret(vm, b0, b1);
	case EBC_OP_MOVQQ:
		return do_mov(vm, b0, b1, 8, 8, false);
	case EBC_OP_MOVNW:
		return do_mov(vm, b0, b1, EBC_NATURAL, 2, false);
	case EBC_OP_MOVND:
		return do_mov(vm, b0, b1, EBC_NATURAL, 4, false);
	case EBC_OP_MOVSNW:
		return do_mov(vm, b0, b1, EBC_NATURAL, 2, true);
	case EBC_OP_MOVSND:
		return do_mov(vm, b0, b1, EBC_NATURAL, 4, true);
	case EBC_OP_LOADSP:
		return do_loadsp(vm, b0, b1);
	case EBC_OP_STORESP:
		return do_storesp(vm, b0, b1);
	case EBC_OP_PUSH:
		return do_push(vm, b0, b1, b0 & 0x40 ? 8 : 4);
	case EBC_OP_POP:
		return do_pop(vm, b0, b1, b0 & 0x40 ? 8 : 4);
	case EBC_OP_PUSHN:
	case EBC_OP_POPN:
		if (b0 & 0x40) /* reserved: the size is natural */
			return fault(vm, EBC_ERR_BAD_ENCODING, vm->ip);
		return op == EBC_OP_PUSHN ? do_push(vm, b0, b1, EBC_NATURAL)
					  : do_pop(vm, b0, b1, EBC_NATURAL);
	case EBC_OP_MOVI:
	case EBC_OP_MOVIN:
	case EBC_OP_MOVREL:
		return do_movi_family(vm, op, b0, b1);
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
	if (!nested)
		/* A fresh call starts from the top of the stack, whatever a fault left in R0. */
		vm->r[0] = stack_top(vm);
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
