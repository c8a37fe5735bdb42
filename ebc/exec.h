/* SPDX-License-Identifier: MIT */
/*
 * One function per instruction form, internal to the VM: @b0 is the
 * instruction's first byte (opcode and modifiers), @b1 its second. Each
 * runs the instruction at vm->ip and advances IP, or stops the image
 * (vm_access.h) and returns why.
 */
#ifndef EBC_EXEC_H
#define EBC_EXEC_H

#include <stdint.h>

#include "vm.h"

/* ebc/exec_flow.c: BREAK, JMP, JMP8, CALL (and CALLEX), RET */
enum ebc_status ebc_exec_break(struct ebc_vm *vm, uint8_t b0, uint8_t code);
enum ebc_status ebc_exec_jmp(struct ebc_vm *vm, uint8_t b0, uint8_t b1);
enum ebc_status ebc_exec_jmp8(struct ebc_vm *vm, uint8_t b0, uint8_t b1);
enum ebc_status ebc_exec_call(struct ebc_vm *vm, uint8_t b0, uint8_t b1);
enum ebc_status ebc_exec_ret(struct ebc_vm *vm, uint8_t b0, uint8_t b1);

/* ebc/exec_data.c: NOT..EXTNDD, CMP, CMPI, the MOV family, the stack, Flags */
enum ebc_status ebc_exec_alu(struct ebc_vm *vm, unsigned op, uint8_t b0, uint8_t b1);
enum ebc_status ebc_exec_cmp(struct ebc_vm *vm, unsigned op, uint8_t b0, uint8_t b1);
enum ebc_status ebc_exec_cmpi(struct ebc_vm *vm, unsigned op, uint8_t b0, uint8_t b1);
enum ebc_status ebc_exec_mov(struct ebc_vm *vm, uint8_t b0, uint8_t b1, unsigned size,
			     unsigned isize, bool movsn);
enum ebc_status ebc_exec_movi_family(struct ebc_vm *vm, unsigned op, uint8_t b0, uint8_t b1);
enum ebc_status ebc_exec_push(struct ebc_vm *vm, uint8_t b0, uint8_t b1, unsigned size);
enum ebc_status ebc_exec_pop(struct ebc_vm *vm, uint8_t b0, uint8_t b1, unsigned size);
enum ebc_status ebc_exec_loadsp(struct ebc_vm *vm, uint8_t b0, uint8_t b1);
enum ebc_status ebc_exec_storesp(struct ebc_vm *vm, uint8_t b0, uint8_t b1);

#endif /* EBC_EXEC_H */
