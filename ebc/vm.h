/* SPDX-License-Identifier: MIT */
/*
 * The EFI Byte Code (EBC) virtual machine: an interpreter for the
 * instruction set of the UEFI specification's chapter "EFI Byte Code
 * Virtual Machine", for a 64-bit host (one natural unit = 8 bytes).
 *
 * Hardware-free: every memory access, every call to native code and every
 * thunk goes through struct ebc_host_ops, so the same core runs inside
 * the UEFI driver (direct memory) and in host tests (a sandbox).
 *
 * The VM never trusts the bytecode: an undefined opcode, a bad operand
 * form, a jump or call outside the image, a stack pointer outside the VM
 * stack, a memory access the host refuses, a divide by zero or running
 * out of steps stops the image with a distinct status (enum ebc_status),
 * the faulting IP in vm->fault_ip and, for memory faults, the address in
 * vm->fault_addr. ebc_status_str() names each status for the user.
 */
#ifndef EBC_VM_H
#define EBC_VM_H

#include <stdbool.h>
#include <stdint.h>

/* BREAK 1 answers this (major 1, minor 0), as the specification asks. */
#define EBC_VM_VERSION 0x00010000ULL

/* The size of one natural unit (sizeof(void *)) on the machines we run on. */
#define EBC_NATURAL 8U

/* Flags register bits; the others are reserved and read as zero. */
#define EBC_FLAG_C 0x1ULL  /* condition code, set by CMP/CMPI */
#define EBC_FLAG_SS 0x2ULL /* single step (no debugger: recorded only) */
#define EBC_FLAGS_DEFINED (EBC_FLAG_C | EBC_FLAG_SS)

/* Arguments a CALLEX hands to native code (read from the VM stack). */
#define EBC_NATIVE_ARGS 16U
/* Arguments ebc_vm_call() accepts from a native caller. */
#define EBC_CALL_ARGS_MAX 16U

enum ebc_status {
	EBC_OK = 0,		 /* the entry point returned (value in R7) */
	EBC_RUNNING,		 /* ebc_vm_step(): more instructions to run */
	EBC_ERR_BAD_OPCODE,	 /* an undefined opcode */
	EBC_ERR_BAD_ENCODING,	 /* reserved bits set, or an operand form the ISA forbids */
	EBC_ERR_BAD_INDEX,	 /* a natural index whose fields do not fit its size */
	EBC_ERR_BAD_BREAK,	 /* BREAK 0 (runaway program) or an undefined break code */
	EBC_ERR_DIVIDE_BY_ZERO,	 /* DIV, DIVU, MOD or MODU by zero */
	EBC_ERR_ALIGNMENT,	 /* a jump, call or return to an odd address */
	EBC_ERR_FETCH,		 /* an instruction outside (or running past) the image */
	EBC_ERR_JUMP_OUTSIDE,	 /* a jump, call or return target outside the image */
	EBC_ERR_STACK_OVERFLOW,	 /* a push or call below the bottom of the VM stack */
	EBC_ERR_STACK_UNDERFLOW, /* a pop or return above the top of the VM stack */
	EBC_ERR_BAD_SP,		 /* R0 is not inside the VM stack at a stack operation */
	EBC_ERR_MEM_READ,	 /* the host refused a read (unmapped, out of bounds) */
	EBC_ERR_MEM_WRITE,	 /* the host refused a write */
	EBC_ERR_NATIVE_CALL,	 /* CALLEX to an address the host will not call */
	EBC_ERR_THUNK,		 /* BREAK 5 for an entry point outside the image, or no thunk */
	EBC_ERR_STEP_LIMIT,	 /* the configured instruction budget ran out */
	EBC_ERR_BAD_CONFIG,	 /* ebc_vm_init()/ebc_vm_call() misuse (a caller bug) */
	EBC_STATUS_COUNT
};

/*
 * What the VM asks of its host. read/write move @size (1, 2, 4 or 8)
 * bytes, little-endian, and return false when the address is not
 * accessible (the VM then stops with EBC_ERR_MEM_READ/WRITE).
 * call_native calls native code at @addr with @nargs arguments and
 * returns false if @addr is not callable. make_thunk returns in *thunk a
 * native-callable address that runs the EBC function at @entry.
 * debug_break (optional) is told of BREAK 3; execution continues.
 */
struct ebc_host_ops {
	bool (*read)(void *ctx, uint64_t addr, unsigned size, uint64_t *val);
	bool (*write)(void *ctx, uint64_t addr, unsigned size, uint64_t val);
	bool (*call_native)(void *ctx, uint64_t addr, const uint64_t *args, unsigned nargs,
			    uint64_t *ret);
	bool (*make_thunk)(void *ctx, uint64_t entry, uint64_t *thunk);
	void (*debug_break)(void *ctx, uint64_t ip);
};

/*
 * Where the image's code and the VM stack are, and how many instructions
 * one call from native code may run, nested calls included (never 0:
 * every run is bounded).
 */
struct ebc_vm_config {
	uint64_t code_base;
	uint64_t code_size;
	uint64_t stack_base; /* lowest address of the VM stack */
	uint64_t stack_size;
	uint64_t max_steps;
};

struct ebc_vm {
	uint64_t r[8]; /* R0 is the stack pointer, R7 the return value */
	uint64_t ip;
	uint64_t flags;
	uint64_t compiler_version; /* set by BREAK 6 */

	const struct ebc_host_ops *ops;
	void *ctx;
	struct ebc_vm_config cfg;

	uint64_t frame_sp; /* R0 at entry: a RET here returns to the native caller */
	uint64_t steps;
	enum ebc_status status;
	uint64_t fault_ip;   /* the instruction that stopped the image */
	uint64_t fault_addr; /* the memory address of a memory or stack fault */
	uint8_t fault_opcode;
};

/*
 * Prepares @vm to run code in [code_base, code_base + code_size) with the
 * stack [stack_base, stack_base + stack_size). Returns EBC_ERR_BAD_CONFIG
 * for a missing callback, an empty or wrapping region, a stack that is
 * not 16-byte aligned or smaller than 64 bytes, or max_steps 0.
 */
enum ebc_status ebc_vm_init(struct ebc_vm *vm, const struct ebc_host_ops *ops, void *ctx,
			    const struct ebc_vm_config *cfg);

/*
 * Calls the EBC function at @entry as native code would: the @nargs
 * arguments go on the VM stack as 64-bit values, the first lowest, with
 * a return address below them (the EBC calling convention), and the VM
 * runs until that function returns. On EBC_OK, *ret is R7. Any other
 * status stops the image; see vm->fault_ip.
 */
enum ebc_status ebc_vm_call(struct ebc_vm *vm, uint64_t entry, const uint64_t *args, unsigned nargs,
			    uint64_t *ret);

/* Runs one instruction: EBC_RUNNING, EBC_OK (final return) or an error. */
enum ebc_status ebc_vm_step(struct ebc_vm *vm);

/* A short English description of @status, for error messages. */
const char *ebc_status_str(enum ebc_status status);

/* The natural index of @bits (16, 32 or 64) bits in @raw, as a byte offset. */
bool ebc_index_decode(uint64_t raw, unsigned bits, int64_t *offset);

#endif /* EBC_VM_H */
