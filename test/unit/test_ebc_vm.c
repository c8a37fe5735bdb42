/* SPDX-License-Identifier: MIT */
/*
 * The EBC interpreter (ebc/): natural indexing, the ALU and comparisons
 * on their own, then every opcode, operand form and flag case as small
 * hand-encoded programs run in a sandbox, and every way bad bytecode is
 * stopped, each with its own status.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "alu.h"
#include "sandbox.h"
#include "vm.h"

#define BASE 0x100000ULL
#define MEM_SIZE 0x10000ULL
#define CODE BASE
#define DATA (BASE + 0x1000)
#define STACK (BASE + 0x8000)
#define STACK_SIZE 0x8000ULL
#define NATIVE_FN 0xf00d0000ULL
#define NATIVE_REENTER 0xf00e0000ULL
#define THUNK_TAG 0xabc00000000ULL

static uint8_t mem[MEM_SIZE];
static struct ebc_sandbox sb = {mem, BASE, MEM_SIZE};
static struct ebc_vm vm;

/* What the fake native function saw. */
static uint64_t native_args[EBC_NATIVE_ARGS];
static unsigned native_nargs, native_calls, debug_breaks;
static uint64_t reenter_entry;

static bool fake_native(void *ctx, uint64_t addr, const uint64_t *args, unsigned nargs,
			uint64_t *ret)
{
	(void)ctx;
	if (addr == NATIVE_FN) {
		native_calls++;
		native_nargs = nargs;
		memcpy(native_args, args, nargs * sizeof(*args));
		*ret = 0x1234;
		return true;
	}
	if (addr == NATIVE_REENTER) {
		/* Native code calling back into EBC, as firmware calls a protocol. */
		uint64_t r = 0, a[2] = {args[0], 5};

		*ret = ebc_vm_call(&vm, reenter_entry, a, 2, &r) == EBC_OK ? r : ~0ULL;
		return true;
	}
	return false;
}

static bool fake_thunk(void *ctx, uint64_t entry, uint64_t *thunk)
{
	(void)ctx;
	*thunk = THUNK_TAG | entry;
	return true;
}

static void fake_debug(void *ctx, uint64_t ip)
{
	(void)ctx;
	(void)ip;
	debug_breaks++;
}

static const struct ebc_host_ops ops = {
    .read = ebc_sandbox_read,
    .write = ebc_sandbox_write,
    .call_native = fake_native,
    .make_thunk = fake_thunk,
    .debug_break = fake_debug,
};

/* ------------------------------------------------- a tiny encoder */
struct prog {
	uint8_t b[512];
	unsigned n;
};

static void emit(struct prog *p, unsigned n, const uint8_t *bytes)
{
	assert_true(p->n + n <= sizeof(p->b));
	memcpy(p->b + p->n, bytes, n);
	p->n += n;
}

#define E(p, ...) emit(p, sizeof((const uint8_t[]){__VA_ARGS__}), (const uint8_t[]){__VA_ARGS__})

static void le(struct prog *p, uint64_t v, unsigned size)
{
	for (unsigned i = 0; i < size; i++)
		E(p, (uint8_t)(v >> (8 * i)));
}

/* MOVIqq Rr, imm64 */
static void movi(struct prog *p, unsigned r, uint64_t v)
{
	E(p, 0xf7, 0x30 | r);
	le(p, v, 8);
}

static void ret(struct prog *p)
{
	E(p, 0x04, 0x00);
}

/* Two-operand ALU/CMP form: OP[32|64] {@}R1, {@}R2 [imm16/index16]. */
static void op2(struct prog *p, unsigned op, bool is64, unsigned r1, bool ind1, unsigned r2,
		bool ind2)
{
	E(p, op | (is64 ? 0x40 : 0), (ind2 ? 0x80 : 0) | r2 << 4 | (ind1 ? 8 : 0) | r1);
}

static void op2i(struct prog *p, unsigned op, bool is64, unsigned r1, bool ind1, unsigned r2,
		 bool ind2, uint16_t imm)
{
	E(p, 0x80 | op | (is64 ? 0x40 : 0), (ind2 ? 0x80 : 0) | r2 << 4 | (ind1 ? 8 : 0) | r1);
	le(p, imm, 2);
}

/* A 16-bit natural index (+n, +c), 2 bits per w unit. */
static uint16_t idx16(bool neg, unsigned n, unsigned c)
{
	unsigned w = 0, a;

	while ((1U << (w * 2)) <= n && w < 6)
		w++;
	a = w * 2;
	return (uint16_t)((neg ? 0x8000 : 0) | w << 12 | c << a | n);
}

static void reset_mem(void)
{
	memset(mem, 0, sizeof(mem));
	native_calls = native_nargs = debug_breaks = 0;
}

static enum ebc_status run_args(const struct prog *p, const uint64_t *args, unsigned nargs,
				uint64_t *r7)
{
	struct ebc_vm_config cfg = {CODE, p->n, STACK, STACK_SIZE, 10000};
	uint64_t res = 0;
	enum ebc_status st;

	memcpy(mem, p->b, p->n);
	assert_int_equal(ebc_vm_init(&vm, &ops, &sb, &cfg), EBC_OK);
	st = ebc_vm_call(&vm, CODE, args, nargs, &res);
	if (r7)
		*r7 = res;
	return st;
}

static enum ebc_status run(const struct prog *p)
{
	return run_args(p, NULL, 0, NULL);
}

static uint64_t rd(uint64_t addr, unsigned size)
{
	uint64_t v = 0;

	assert_true(ebc_sandbox_read(&sb, addr, size, &v));
	return v;
}

static void wr(uint64_t addr, unsigned size, uint64_t v)
{
	assert_true(ebc_sandbox_write(&sb, addr, size, v));
}

/* ------------------------------------------------ natural indexing */
static void test_index_decode(void **state)
{
	int64_t off;

	(void)state;
	/* The specification's own example: 0xA048 = -(4 + 8 * 8) on a 64-bit machine. */
	assert_true(ebc_index_decode(0xa048, 16, &off));
	assert_int_equal(off, -68);
	assert_true(ebc_index_decode(0x0000, 16, &off));
	assert_int_equal(off, 0);
	assert_true(ebc_index_decode(0x0fff, 16, &off)); /* w = 0: all constant */
	assert_int_equal(off, 4095);
	assert_true(ebc_index_decode(0x6fff, 16, &off)); /* w = 6: 12 natural bits, no constant */
	assert_int_equal(off, 4095 * 8);
	assert_false(ebc_index_decode(0x7000, 16, &off)); /* w = 7: 14 bits do not fit in 12 */
	/* 32-bit: w = 1 -> 4 natural bits; n = 3, c = 0x10 */
	assert_true(ebc_index_decode(0x10000103, 32, &off));
	assert_int_equal(off, 0x10 + 3 * 8);
	assert_true(ebc_index_decode(0x90000103, 32, &off));
	assert_int_equal(off, -(0x10 + 3 * 8));
	assert_true(ebc_index_decode(0x7fffffff, 32, &off)); /* w = 7: 28 natural bits */
	assert_int_equal(off, (int64_t)0x0fffffff * 8);
	/* 64-bit: w = 2 -> 16 natural bits; n = 1, c = 0x100 */
	assert_true(ebc_index_decode(0x2000000001000001ULL, 64, &off));
	assert_int_equal(off, 0x100 + 8);
	assert_true(ebc_index_decode(0xf000000000000000ULL, 64, &off));
	assert_int_equal(off, 0);
	assert_false(ebc_index_decode(0, 8, &off));
	/* Our encoder agrees with the decoder. */
	assert_true(ebc_index_decode(idx16(false, 2, 8), 16, &off));
	assert_int_equal(off, 24);
	assert_true(ebc_index_decode(idx16(true, 1, 16), 16, &off));
	assert_int_equal(off, -24);
}

/* ----------------------------------------------------------- ALU */
struct alu_case {
	unsigned op;
	bool is64;
	uint64_t a, b, want;
};

static void test_alu(void **state)
{
	static const struct alu_case cases[] = {
	    {EBC_OP_NOT, true, 0, 0x00ff, 0xffffffffffffff00ULL},
	    {EBC_OP_NOT, false, 0, 0x00ff, 0xffffff00ULL},
	    {EBC_OP_NEG, true, 0, 5, (uint64_t)-5},
	    {EBC_OP_NEG, false, 0, 5, 0xfffffffbULL},
	    {EBC_OP_ADD, true, ~0ULL, 2, 1},
	    {EBC_OP_ADD, false, 0xffffffffULL, 2, 1},
	    {EBC_OP_ADD, false, 0x1234500000001ULL, 1, 2}, /* upper bits of a ignored */
	    {EBC_OP_SUB, true, 1, 2, ~0ULL},
	    {EBC_OP_SUB, false, 1, 2, 0xffffffffULL},
	    {EBC_OP_MUL, true, (uint64_t)-3, 7, (uint64_t)-21},
	    {EBC_OP_MUL, false, (uint64_t)-3, 7, 0xffffffebULL},
	    {EBC_OP_MULU, true, 0x100000000ULL, 0x10, 0x1000000000ULL},
	    {EBC_OP_MULU, false, 0x10000, 0x10000, 0},
	    {EBC_OP_DIV, true, (uint64_t)-21, 4, (uint64_t)-5},
	    {EBC_OP_DIV, false, 0xffffffebULL, 4, 0xfffffffbULL},
	    {EBC_OP_DIV, true, 0x8000000000000000ULL, ~0ULL, 0x8000000000000000ULL},
	    {EBC_OP_DIV, false, 0x80000000ULL, 0xffffffffULL, 0x80000000ULL},
	    {EBC_OP_DIVU, true, (uint64_t)-21, 4, 0x3ffffffffffffffaULL},
	    {EBC_OP_DIVU, false, 0xffffffebULL, 4, 0x3ffffffaULL},
	    {EBC_OP_MOD, true, (uint64_t)-21, 4, (uint64_t)-1},
	    {EBC_OP_MOD, false, 0xffffffebULL, 4, 0xffffffffULL},
	    {EBC_OP_MOD, true, 0x8000000000000000ULL, ~0ULL, 0},
	    {EBC_OP_MODU, true, 23, 5, 3},
	    {EBC_OP_MODU, false, 0xffffffffULL, 10, 5},
	    {EBC_OP_AND, true, 0xf0f0, 0xff00, 0xf000},
	    {EBC_OP_OR, true, 0xf0f0, 0x0f00, 0xfff0},
	    {EBC_OP_XOR, false, 0x1ffffffffULL, 0xf, 0xfffffff0ULL},
	    {EBC_OP_SHL, true, 1, 63, 0x8000000000000000ULL},
	    {EBC_OP_SHL, true, 1, 64, 1}, /* count taken modulo 64 */
	    {EBC_OP_SHL, false, 1, 31, 0x80000000ULL},
	    {EBC_OP_SHL, false, 1, 32, 1},
	    {EBC_OP_SHR, true, 0x8000000000000000ULL, 63, 1},
	    {EBC_OP_SHR, false, 0x80000000ULL, 31, 1},
	    {EBC_OP_ASHR, true, 0x8000000000000000ULL, 63, ~0ULL},
	    {EBC_OP_ASHR, true, 0x8000000000000000ULL, 0, 0x8000000000000000ULL},
	    {EBC_OP_ASHR, true, 0x4000000000000000ULL, 62, 1},
	    {EBC_OP_ASHR, false, 0x80000000ULL, 4, 0xf8000000ULL},
	    {EBC_OP_ASHR, false, 0x40000000ULL, 4, 0x04000000ULL},
	    {EBC_OP_EXTNDB, true, 0, 0x80, 0xffffffffffffff80ULL},
	    {EBC_OP_EXTNDB, false, 0, 0x7f80, 0xffffff80ULL},
	    {EBC_OP_EXTNDW, true, 0, 0x8000, 0xffffffffffff8000ULL},
	    {EBC_OP_EXTNDW, true, 0, 0x17fff, 0x7fff},
	    {EBC_OP_EXTNDD, true, 0, 0x80000000ULL, 0xffffffff80000000ULL},
	    {EBC_OP_EXTNDD, false, 0, 0x80000000ULL, 0x80000000ULL},
	};
	uint64_t res;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct alu_case *c = &cases[i];

		res = 0xdead;
		assert_int_equal(ebc_alu(c->op, c->a, c->b, c->is64, &res), EBC_OK);
		if (res != c->want)
			fail_msg("case %zu (op %#x, %s): got %#llx, want %#llx", i, c->op,
				 c->is64 ? "64" : "32", (unsigned long long)res,
				 (unsigned long long)c->want);
	}
	for (unsigned op = EBC_OP_DIV; op <= EBC_OP_MODU; op++) {
		assert_int_equal(ebc_alu(op, 1, 0, true, &res), EBC_ERR_DIVIDE_BY_ZERO);
		/* A 32-bit divide sees only the low half of the divisor. */
		assert_int_equal(ebc_alu(op, 1, 0x100000000ULL, false, &res),
				 EBC_ERR_DIVIDE_BY_ZERO);
	}
}

static void test_compare(void **state)
{
	const uint64_t m1 = ~0ULL, m1_32 = 0xffffffffULL;

	(void)state;
	assert_true(ebc_compare(EBC_OP_CMPEQ, 5, 5, true));
	assert_false(ebc_compare(EBC_OP_CMPEQ, 5, 0x100000005ULL, true));
	assert_true(ebc_compare(EBC_OP_CMPEQ, 5, 0x100000005ULL, false));
	/* -1 <= 1 signed, not unsigned; both widths */
	assert_true(ebc_compare(EBC_OP_CMPLTE, m1, 1, true));
	assert_true(ebc_compare(EBC_OP_CMPLTE, m1_32, 1, false));
	assert_false(ebc_compare(EBC_OP_CMPULTE, m1, 1, true));
	assert_false(ebc_compare(EBC_OP_CMPULTE, m1_32, 1, false));
	assert_false(ebc_compare(EBC_OP_CMPGTE, m1, 1, true));
	assert_true(ebc_compare(EBC_OP_CMPUGTE, m1, 1, true));
	assert_true(ebc_compare(EBC_OP_CMPGTE, 3, 3, true));
	assert_true(ebc_compare(EBC_OP_CMPLTE, 3, 3, false));
	/* 0xffffffff as 64-bit is positive */
	assert_false(ebc_compare(EBC_OP_CMPLTE, m1_32, 1, true));
	/* the CMPI opcodes mean the same */
	assert_true(ebc_compare(EBC_OP_CMPIEQ, 7, 7, true));
	assert_true(ebc_compare(EBC_OP_CMPILTE, m1, 0, true));
	assert_true(ebc_compare(EBC_OP_CMPIGTE, 0, m1, true));
	assert_true(ebc_compare(EBC_OP_CMPIULTE, 0, m1, true));
	assert_true(ebc_compare(EBC_OP_CMPIUGTE, m1, 0, true));
}

/* ------------------------------------------- data manipulation forms */
static void test_alu_instructions(void **state)
{
	(void)state;
	/* Every data opcode, 64-bit direct, against ebc_alu (checked above). */
	for (unsigned op = EBC_OP_NOT; op <= EBC_OP_EXTNDD; op++) {
		struct prog p = {0};
		uint64_t a = 0xfedcba9876543210ULL, b = 0x0123456789abcdefULL, want;

		reset_mem();
		movi(&p, 1, a);
		movi(&p, 2, b);
		op2(&p, op, true, 1, false, 2, false);
		ret(&p);
		assert_int_equal(run(&p), EBC_OK);
		assert_int_equal(ebc_alu(op, a, b, true, &want), EBC_OK);
		assert_int_equal(vm.r[1], want);
	}
}

static void test_alu_operand_forms(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	/* ADD32 R1, R2: the upper half of R1 is cleared */
	movi(&p, 1, 0xffffffff00000001ULL);
	movi(&p, 2, 0x1000000002ULL);
	op2(&p, EBC_OP_ADD, false, 1, false, 2, false);
	/* ADD64 R3, R2 -2 (signed immediate) */
	movi(&p, 3, 0);
	op2i(&p, EBC_OP_ADD, true, 3, false, 2, false, (uint16_t)-2);
	/* ADD64 R4, @R5(+1,+8): the value 16 bytes above R5 */
	movi(&p, 5, DATA);
	movi(&p, 4, 100);
	op2i(&p, EBC_OP_ADD, true, 4, false, 5, true, idx16(false, 1, 8));
	/* SUB32 @R5, R2: memory operand 1, 32-bit */
	op2(&p, EBC_OP_SUB, false, 5, true, 2, false);
	/* ADD64 @R6, @R5 */
	movi(&p, 6, DATA + 8);
	op2(&p, EBC_OP_ADD, true, 6, true, 5, true);
	ret(&p);
	wr(DATA, 8, 0xaaaaaaaa00000010ULL);
	wr(DATA + 8, 8, 5);
	wr(DATA + 16, 8, 23);
	assert_int_equal(run(&p), EBC_OK);
	assert_int_equal(vm.r[1], 3);
	assert_int_equal(vm.r[3], 0x1000000000ULL);
	assert_int_equal(vm.r[4], 123);
	/* only the low 32 bits were written: 0x10 - 2 = 0xe */
	assert_int_equal(rd(DATA, 8), 0xaaaaaaaa0000000eULL);
	assert_int_equal(rd(DATA + 8, 8), 0xaaaaaaaa00000013ULL);
}

static void test_divide_by_zero(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	movi(&p, 1, 10);
	movi(&p, 2, 0);
	op2(&p, EBC_OP_DIVU, true, 1, false, 2, false);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_DIVIDE_BY_ZERO);
	assert_int_equal(vm.fault_ip, CODE + 20);
	assert_int_equal(vm.r[1], 10); /* operand 1 untouched */
}

/* ------------------------------------------------ compares and flags */
static void test_cmp_sets_flags(void **state)
{
	(void)state;
	for (unsigned op = EBC_OP_CMPEQ; op <= EBC_OP_CMPUGTE; op++) {
		for (int is64 = 0; is64 <= 1; is64++) {
			struct prog p = {0};
			uint64_t a = 0xffffffff00000000ULL | 0xfffffff0, b = 0x10;

			reset_mem();
			movi(&p, 1, a);
			movi(&p, 2, b);
			op2(&p, op, is64, 1, false, 2, false);
			ret(&p);
			assert_int_equal(run(&p), EBC_OK);
			assert_int_equal((vm.flags & EBC_FLAG_C) != 0, ebc_compare(op, a, b, is64));
		}
	}
}

static void test_cmp_forms(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	wr(DATA + 8, 8, 42);
	movi(&p, 1, 42);
	movi(&p, 2, DATA);
	/* CMP64eq R1, @R2(+1,0) -> C set */
	op2i(&p, EBC_OP_CMPEQ, true, 1, false, 2, true, idx16(false, 1, 0));
	/* STORESP R3, [Flags] */
	E(&p, 0x2a, 0x03);
	/* CMP64eq R1, R2 +2 -> clear (R2 + 2 != 42) */
	op2i(&p, EBC_OP_CMPEQ, true, 1, false, 2, false, 2);
	E(&p, 0x2a, 0x04);
	ret(&p);
	assert_int_equal(run(&p), EBC_OK);
	assert_int_equal(vm.r[3], EBC_FLAG_C);
	assert_int_equal(vm.r[4], 0);

	/* Operand 1 indirect is not a CMP form */
	memset(&p, 0, sizeof(p));
	op2(&p, EBC_OP_CMPEQ, true, 1, true, 2, false);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_BAD_ENCODING);
}

static void test_cmpi(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	wr(DATA + 16, 4, 0xfffffffe);
	movi(&p, 1, (uint64_t)-2);
	/* CMPI64wlte R1, 0 (imm16) -> -2 <= 0 */
	E(&p, 0x2e | 0x40, 0x01, 0x00, 0x00);
	E(&p, 0x2a, 0x03);
	/* CMPI32dugte @R2(+2,0), 0x7fffffff (imm32) -> 0xfffffffe >= 0x7fffffff */
	movi(&p, 2, DATA);
	E(&p, 0x31 | 0x80, 0x10 | 0x08 | 2);
	le(&p, idx16(false, 2, 0), 2);
	le(&p, 0x7fffffff, 4);
	E(&p, 0x2a, 0x04);
	/* CMPI64weq R1, -2: the 16-bit immediate is sign-extended */
	E(&p, 0x2d | 0x40, 0x01);
	le(&p, 0xfffe, 2);
	E(&p, 0x2a, 0x05);
	ret(&p);
	assert_int_equal(run(&p), EBC_OK);
	assert_int_equal(vm.r[3], EBC_FLAG_C);
	assert_int_equal(vm.r[4], EBC_FLAG_C);
	assert_int_equal(vm.r[5], EBC_FLAG_C);

	/* An index with operand 1 direct, and reserved bits, are encoding errors. */
	memset(&p, 0, sizeof(p));
	E(&p, 0x2d, 0x10 | 1, 0, 0, 0, 0);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_BAD_ENCODING);
	memset(&p, 0, sizeof(p));
	E(&p, 0x2d, 0x20 | 1, 0, 0);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_BAD_ENCODING);
}

/* ----------------------------------------------------------- jumps */
static void test_jmp8(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	/* R1 counts down from 3: CMPI64weq R1, 0; JMP8cs out; SUB; JMP8 back */
	movi(&p, 1, 3);
	movi(&p, 2, 0);
	/* loop (offset 20): */
	E(&p, 0x2d | 0x40, 0x01, 0x00, 0x00);		   /* 20: CMPI64weq R1, 0 */
	E(&p, 0x02 | 0xc0, 0x04);			   /* 24: JMP8cs +4 words -> 34 */
	op2i(&p, EBC_OP_SUB, true, 1, false, 2, false, 1); /* 26: SUB64 R1, R2 + 1 */
	E(&p, 0x02, (uint8_t)-6);			   /* 30: JMP8 -6 words -> 20 */
	E(&p, 0x02 | 0x80, 0x01);			   /* 32: (skipped) */
	ret(&p);					   /* 34 */
	assert_int_equal(run(&p), EBC_OK);
	assert_int_equal(vm.r[1], 0);
	assert_int_equal(vm.steps, 2 + 4 * 3 + 2 + 1);
}

static void test_jmp32_64(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	/* 0: JMP32 relative R0 +4: skips the BREAK 0 */
	E(&p, 0x81, 0x10, 4, 0, 0, 0);
	E(&p, 0x00, 0x00, 0x00, 0x00);
	/* 10: JMP32 absolute through R1 + 0 where R1 = CODE + 32 */
	movi(&p, 1, CODE + 32);
	E(&p, 0x01, 0x01);
	E(&p, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
	/* 32: JMP32 absolute indirect: the target is a natural value at [R2 + 8] */
	movi(&p, 2, DATA);
	E(&p, 0x81, 0x08 | 2, 8, 0, 0, 0);
	E(&p, 0x00, 0x00);
	/* 50: JMP64 absolute */
	E(&p, 0xc1, 0x00);
	le(&p, CODE + 64, 8);
	E(&p, 0x00, 0x00, 0x00, 0x00);
	/* 64: conditional not taken (C clear, jump if set), then RET */
	E(&p, 0xc1, 0xc0);
	le(&p, CODE, 8);
	ret(&p);
	wr(DATA + 8, 8, CODE + 50);
	assert_int_equal(run(&p), EBC_OK);
	assert_int_equal(vm.ip, CODE + 74);
}

static void test_jump_errors(void **state)
{
	struct prog p = {0};

	(void)state;
	/* JMP64 without its immediate */
	reset_mem();
	E(&p, 0x41, 0x00);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_BAD_ENCODING);
	/* reserved bit 5 of byte 1 */
	memset(&p, 0, sizeof(p));
	E(&p, 0x01, 0x20);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_BAD_ENCODING);
	/* out of the image */
	memset(&p, 0, sizeof(p));
	E(&p, 0xc1, 0x00);
	le(&p, DATA, 8);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_JUMP_OUTSIDE);
	assert_int_equal(vm.fault_addr, DATA);
	assert_int_equal(vm.fault_ip, CODE);
	/* to an odd address */
	memset(&p, 0, sizeof(p));
	E(&p, 0x02, 0x00);
	E(&p, 0x81, 0x10, 1, 0, 0, 0);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_ALIGNMENT);
	/* JMP8 backwards out of the image */
	memset(&p, 0, sizeof(p));
	E(&p, 0x02, 0x80);
	assert_int_equal(run(&p), EBC_ERR_JUMP_OUTSIDE);
	/* falling off the end of the image */
	memset(&p, 0, sizeof(p));
	E(&p, 0x2a, 0x01);
	assert_int_equal(run(&p), EBC_ERR_FETCH);
	assert_int_equal(vm.fault_addr, CODE + 2);
	/* an instruction cut by the end of the image */
	memset(&p, 0, sizeof(p));
	E(&p, 0xf7, 0x31, 1, 2, 3);
	assert_int_equal(run(&p), EBC_ERR_FETCH);
}

/* --------------------------------------------------- calls and returns */
static void test_call_ret(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	E(&p, 0x83, 0x10, 18, 0, 0, 0);			   /* 0: CALL32 +18 -> 24 */
	op2i(&p, EBC_OP_ADD, true, 7, false, 2, false, 1); /* 6: R7 += 1 (R2 is 0) */
	movi(&p, 1, CODE + 24);				   /* 10 */
	E(&p, 0x03, 0x01);				   /* 20: CALL32 R1 (absolute) */
	ret(&p);					   /* 22 */
	op2(&p, EBC_OP_ADD, true, 7, false, 7, false);	   /* 24: R7 += R7 */
	op2i(&p, EBC_OP_ADD, true, 7, false, 2, false, 3); /* 26: R7 += 3 */
	ret(&p);
	assert_int_equal(run(&p), EBC_OK);
	/* 0 -> 3 -> 4 -> 11 */
	assert_int_equal(vm.r[7], 11);
	assert_int_equal(vm.r[0], STACK + STACK_SIZE);
}

static void test_call64_and_frame(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	/* CALL64 CODE + 16; RET */
	E(&p, 0xc3, 0x00);
	le(&p, CODE + 16, 8);
	ret(&p);
	E(&p, 0, 0, 0, 0);
	/* 16: the callee sees the return address at [R0] and R0 16 bytes lower */
	E(&p, 0x32, 0x80 | 0 << 4 | 7); /* MOVnw R7, @R0 (the return address) */
	ret(&p);
	assert_int_equal(run(&p), EBC_OK);
	assert_int_equal(vm.r[7], CODE + 10);
	/* CALL64 without an immediate, reserved bits */
	memset(&p, 0, sizeof(p));
	E(&p, 0x43, 0x00);
	assert_int_equal(run(&p), EBC_ERR_BAD_ENCODING);
	memset(&p, 0, sizeof(p));
	E(&p, 0x03, 0x40);
	assert_int_equal(run(&p), EBC_ERR_BAD_ENCODING);
	/* a call outside the image changes nothing */
	memset(&p, 0, sizeof(p));
	E(&p, 0xc3, 0x00);
	le(&p, DATA, 8);
	assert_int_equal(run(&p), EBC_ERR_JUMP_OUTSIDE);
	assert_int_equal(vm.r[0], STACK + STACK_SIZE - 16);
}

static void test_call_forms(void **state)
{
	struct prog p = {0};
	struct ebc_host_ops no_thunks = ops;
	struct ebc_vm_config cfg;

	(void)state;
	reset_mem();
	wr(DATA + 8, 8, CODE + 40);
	movi(&p, 2, DATA);     /* 0 */
	E(&p, 0x83, 0x08 | 2); /* 10: CALL32a @R2(+1,+0): the target read from memory */
	le(&p, 0x10000001, 4);
	movi(&p, 1, CODE + 30);		/* 16 */
	E(&p, 0x83, 0x01, 10, 0, 0, 0); /* 26: CALL32a R1(+10): to 40 */
	ret(&p);			/* 32 */
	while (p.n < 40)
		E(&p, 0);
	op2i(&p, EBC_OP_ADD, true, 7, false, 3, false, 1); /* 40: R7 += 1 (R3 is 0) */
	ret(&p);
	assert_int_equal(run(&p), EBC_OK);
	assert_int_equal(vm.r[7], 2);
	/* an odd EBC target, the stack untouched */
	memset(&p, 0, sizeof(p));
	E(&p, 0x83, 0x10, 1, 0, 0, 0);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_ALIGNMENT);
	assert_int_equal(vm.r[0], STACK + STACK_SIZE - 16);
	/* a host that makes no thunks */
	memset(&p, 0, sizeof(p));
	movi(&p, 7, DATA);
	E(&p, 0x00, 0x05);
	ret(&p);
	wr(DATA, 8, (uint32_t)(CODE - (DATA + 4)));
	no_thunks.make_thunk = NULL;
	memcpy(mem, p.b, p.n);
	cfg = (struct ebc_vm_config){CODE, p.n, STACK, STACK_SIZE, 100};
	assert_int_equal(ebc_vm_init(&vm, &no_thunks, &sb, &cfg), EBC_OK);
	assert_int_equal(ebc_vm_call(&vm, CODE, NULL, 0, NULL), EBC_ERR_THUNK);
}

static void test_pop_errors(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	/* POP64 @R2 to an address the host refuses: R0 is as before the pop */
	movi(&p, 2, 0x10);
	E(&p, 0x6b, 0x01);
	E(&p, 0x6c, 0x08 | 2);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_MEM_WRITE);
	assert_int_equal(vm.r[0], STACK + STACK_SIZE - 16 - 8);
	/* reserved bits of POP */
	memset(&p, 0, sizeof(p));
	E(&p, 0x2c, 0x21);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_BAD_ENCODING);
}

static void test_entry_args(void **state)
{
	struct prog p = {0};
	uint64_t args[3] = {7, 8, 9}, r7 = 0;

	(void)state;
	reset_mem();
	/* MOVnw R1, @R0(+0,+16); MOVnw R2, @R0(+2,+16); R7 = R1 + R2 */
	E(&p, 0x72, 0x80 | 0 << 4 | 1);
	le(&p, idx16(false, 0, 16), 2);
	E(&p, 0x72, 0x80 | 0 << 4 | 2);
	le(&p, idx16(false, 2, 16), 2);
	E(&p, 0x20, 1 << 4 | 7); /* MOVqw R7, R1 */
	op2(&p, EBC_OP_ADD, true, 7, false, 2, false);
	ret(&p);
	assert_int_equal(run_args(&p, args, 3, &r7), EBC_OK);
	assert_int_equal(r7, 16);
	assert_int_equal(vm.r[0], STACK + STACK_SIZE);
	/* too many arguments is a caller error */
	assert_int_equal(ebc_vm_call(&vm, CODE, args, EBC_CALL_ARGS_MAX + 1, &r7),
			 EBC_ERR_BAD_CONFIG);
}

static void test_callex(void **state)
{
	struct prog p = {0};
	uint64_t r7 = 0;

	(void)state;
	reset_mem();
	/* PUSHn 3 args (pushed last first), CALLEX64 NATIVE_FN, pop them */
	movi(&p, 1, 0x33);
	E(&p, 0x35, 0x01); /* PUSHn R1 */
	movi(&p, 1, 0x22);
	E(&p, 0x35, 0x01);
	movi(&p, 1, 0x11);
	E(&p, 0x35, 0x01);
	E(&p, 0xc3, 0x20); /* CALL64EXa NATIVE_FN */
	le(&p, NATIVE_FN, 8);
	E(&p, 0xb6, 0x02, 0x18, 0x00); /* POPn R2 +0x18 ... (exercise POPn with imm) */
	E(&p, 0x36, 0x02);
	E(&p, 0x36, 0x02);
	ret(&p);
	assert_int_equal(run_args(&p, NULL, 0, &r7), EBC_OK);
	assert_int_equal(r7, 0x1234);
	assert_int_equal(native_calls, 1);
	assert_true(native_nargs >= 3);
	assert_int_equal(native_args[0], 0x11);
	assert_int_equal(native_args[1], 0x22);
	assert_int_equal(native_args[2], 0x33);
	assert_int_equal(vm.r[2], 0x33);
	assert_int_equal(vm.r[0], STACK + STACK_SIZE);

	/* CALLEX32 relative through R0-ignored immediate, and a refused target */
	memset(&p, 0, sizeof(p));
	movi(&p, 1, 0x5000);
	E(&p, 0x03, 0x20 | 1); /* CALL32EXa R1 */
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_NATIVE_CALL);
	assert_int_equal(vm.fault_addr, 0x5000);
}

static uint64_t reenter_prog(struct prog *p)
{
	/* Outer: R5 = 77; CALLEX NATIVE_REENTER(40); R7 holds what came back */
	movi(p, 5, 77);
	movi(p, 1, 40);
	E(p, 0x35, 0x01);
	E(p, 0xc3, 0x20);
	le(p, NATIVE_REENTER, 8);
	E(p, 0x36, 0x01);
	ret(p);
	/* Inner (at p->n): R7 = arg0 + arg1; R5 clobbered */
	uint64_t inner = CODE + p->n;

	E(p, 0x72, 0x80 | 0 << 4 | 7);
	le(p, idx16(false, 0, 16), 2);
	E(p, 0x72, 0x80 | 0 << 4 | 1);
	le(p, idx16(false, 1, 16), 2);
	op2(p, EBC_OP_ADD, true, 7, false, 1, false);
	movi(p, 5, 0);
	ret(p);
	return inner;
}

static void test_native_reenters_ebc(void **state)
{
	struct prog p = {0};
	uint64_t r7 = 0;

	(void)state;
	reset_mem();
	reenter_entry = reenter_prog(&p);
	assert_int_equal(run_args(&p, NULL, 0, &r7), EBC_OK);
	assert_int_equal(r7, 45);
	assert_int_equal(vm.r[5], 77); /* the outer image's registers were given back */
	assert_int_equal(vm.r[0], STACK + STACK_SIZE);
}

static void test_ret_errors(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	/* RET with reserved bits */
	E(&p, 0x04, 0x01);
	assert_int_equal(run(&p), EBC_ERR_BAD_ENCODING);
	/* RET to an address outside the image: push one, then RET */
	memset(&p, 0, sizeof(p));
	movi(&p, 1, DATA);
	E(&p, 0x6b, 0x01); /* PUSH64 R1 */
	E(&p, 0x6b, 0x01);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_JUMP_OUTSIDE);
	/* RET above the top of the stack (R0 moved up by hand) */
	memset(&p, 0, sizeof(p));
	op2i(&p, EBC_OP_ADD, true, 0, false, 1, false, 8);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_STACK_UNDERFLOW);
}

/* -------------------------------------------------------------- stack */
static void test_push_pop(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	wr(DATA + 4, 4, 0x80000001);
	movi(&p, 1, 0x1122334455667788ULL);
	movi(&p, 2, DATA);
	E(&p, 0x6b, 0x01);	       /* PUSH64 R1 */
	E(&p, 0x2b, 0x01);	       /* PUSH32 R1 */
	E(&p, 0xab, 0x08 | 2, 4, 0);   /* PUSH32 @R2(+0,+4) */
	E(&p, 0x2c, 0x03);	       /* POP32 R3: sign-extended */
	E(&p, 0xac, 0x04, 0x10, 0x00); /* POP32 R4 +16 */
	E(&p, 0xec, 0x08 | 2, 8, 0);   /* POP64 @R2(+0,+8) */
	E(&p, 0xab, 0x01, 0xff, 0xff); /* PUSH32 R1 -1 */
	E(&p, 0x2c, 0x05);	       /* POP32 R5 */
	ret(&p);
	assert_int_equal(run(&p), EBC_OK);
	assert_int_equal(vm.r[3], 0xffffffff80000001ULL);
	assert_int_equal(vm.r[4], 0x55667788 + 16);
	assert_int_equal(rd(DATA + 8, 8), 0x1122334455667788ULL);
	assert_int_equal(vm.r[5], 0x55667787);
	assert_int_equal(vm.r[0], STACK + STACK_SIZE);
	/* reserved bits */
	memset(&p, 0, sizeof(p));
	E(&p, 0x2b, 0x11);
	assert_int_equal(run(&p), EBC_ERR_BAD_ENCODING);
	memset(&p, 0, sizeof(p));
	E(&p, 0x75, 0x01);
	assert_int_equal(run(&p), EBC_ERR_BAD_ENCODING);
}

static void test_stack_errors(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	/* an endless PUSH64 loop overflows the VM stack */
	E(&p, 0x6b, 0x01);
	E(&p, 0x02, (uint8_t)-2);
	assert_int_equal(run(&p), EBC_ERR_STACK_OVERFLOW);
	assert_int_equal(vm.r[0], STACK);
	/* POP at the top of the stack */
	memset(&p, 0, sizeof(p));
	op2i(&p, EBC_OP_ADD, true, 0, false, 1, false, 16);
	E(&p, 0x6c, 0x01);
	assert_int_equal(run(&p), EBC_ERR_STACK_UNDERFLOW);
	/* R0 pointing anywhere else */
	memset(&p, 0, sizeof(p));
	movi(&p, 0, DATA);
	E(&p, 0x6b, 0x01);
	assert_int_equal(run(&p), EBC_ERR_BAD_SP);
	assert_int_equal(vm.fault_addr, DATA);
	memset(&p, 0, sizeof(p));
	movi(&p, 0, 0);
	E(&p, 0x83, 0x10, 0, 0, 0, 0);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_BAD_SP);
}

static void test_fresh_call_after_fault(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	movi(&p, 0, DATA); /* 0: R0 moved out of the stack, then RET: faults */
	ret(&p);	   /* 10 */
	ret(&p);	   /* 12: a function that just returns */
	assert_int_equal(run(&p), EBC_ERR_BAD_SP);
	/* The next call from native code starts again from the top of the stack. */
	assert_int_equal(ebc_vm_call(&vm, CODE + 12, NULL, 0, NULL), EBC_OK);
	assert_int_equal(vm.r[0], STACK + STACK_SIZE);
}

static void test_loadsp_storesp(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	movi(&p, 1, ~0ULL);
	E(&p, 0x29, 0x10); /* LOADSP [Flags], R1: only defined bits stick */
	E(&p, 0x2a, 0x02); /* STORESP R2, [Flags] */
	E(&p, 0x2a, 0x13); /* STORESP R3, [IP] */
	ret(&p);
	assert_int_equal(run(&p), EBC_OK);
	assert_int_equal(vm.r[2], EBC_FLAGS_DEFINED);
	assert_int_equal(vm.r[3], CODE + 16); /* the instruction after the STORESP */
	/* no dedicated register 2; IP cannot be loaded; reserved bits */
	static const uint8_t bad[][2] = {
	    {0x2a, 0x22}, {0x29, 0x11}, {0x29, 0x18}, {0x2a, 0x82}, {0x6a, 0x02}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&p, 0, sizeof(p));
		E(&p, bad[i][0], bad[i][1]);
		ret(&p);
		assert_int_equal(run(&p), EBC_ERR_BAD_ENCODING);
	}
}

/* -------------------------------------------------------- MOV family */
static void test_mov_sizes(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	wr(DATA, 8, 0x8899aabbccddeeffULL);
	movi(&p, 2, DATA);
	movi(&p, 1, ~0ULL);
	movi(&p, 3, ~0ULL);
	movi(&p, 4, ~0ULL);
	movi(&p, 5, ~0ULL);
	E(&p, 0x1d, 0x80 | 2 << 4 | 1); /* MOVbw R1, @R2: bits beyond the move cleared */
	E(&p, 0x1e, 0x80 | 2 << 4 | 3); /* MOVww R3, @R2 */
	E(&p, 0x1f, 0x80 | 2 << 4 | 4); /* MOVdw R4, @R2 */
	E(&p, 0x20, 0x80 | 2 << 4 | 5); /* MOVqw R5, @R2 */
	/* MOVbd @R2(+1,+0) <- R1 : 32-bit indexes */
	E(&p, 0xa1, 2 << 0 | 0x08 | 1 << 4);
	le(&p, 0x10000001, 4); /* w=1 -> 4 bits: n = 1 */
	/* MOVwd R6, @R2(+1,+0) */
	E(&p, 0x62, 0x80 | 2 << 4 | 6);
	le(&p, 0x10000001, 4);
	/* MOVdd @R2(+0,+16), R4 ; MOVqd R7, @R2(+0,+16) */
	E(&p, 0xa3, 0x08 | 2 | 4 << 4);
	le(&p, 16, 4);
	E(&p, 0x64, 0x80 | 2 << 4 | 7);
	le(&p, 16, 4);
	ret(&p);
	assert_int_equal(run(&p), EBC_OK);
	assert_int_equal(vm.r[1], 0xff);
	assert_int_equal(vm.r[3], 0xeeff);
	assert_int_equal(vm.r[4], 0xccddeeff);
	assert_int_equal(vm.r[5], 0x8899aabbccddeeffULL);
	assert_int_equal(rd(DATA + 8, 1), 0xff);
	assert_int_equal(vm.r[6], 0xff);
	assert_int_equal(vm.r[7], 0xccddeeff);
}

static void test_mov_qq_n_sn(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	wr(DATA + 0x100 + 24, 8, 0x0102030405060708ULL);
	movi(&p, 2, DATA + 0x100);
	/* MOVqq R1, @R2(+2,+8) with a 64-bit index (w=1 -> 8 natural bits) */
	E(&p, 0x68, 0x80 | 2 << 4 | 1);
	le(&p, 0x1000000000000802ULL, 8);
	/* MOVqq R3, R2(+1, 0): a direct operand 2 plus its decoded index */
	E(&p, 0x68, 2 << 4 | 3);
	le(&p, 0x1000000000000001ULL, 8);
	/* MOVnw @R2(-1,+0), R1 : writes 8 bytes at DATA + 0x100 - 8 */
	E(&p, 0xb2, 0x08 | 2 | 1 << 4);
	le(&p, idx16(true, 1, 0), 2);
	/* MOVnd R4, R2(+1,+1) */
	E(&p, 0x73, 2 << 4 | 4);
	le(&p, 0x10000011, 4);
	/* MOVsnw R5, R2 -16: the direct index is a plain signed immediate */
	E(&p, 0x65, 2 << 4 | 5);
	le(&p, (uint16_t)-16, 2);
	/* MOVsnd R6, @R2(+3,+0) */
	E(&p, 0x66, 0x80 | 2 << 4 | 6);
	le(&p, 0x20000003, 4);
	ret(&p);
	assert_int_equal(run(&p), EBC_OK);
	assert_int_equal(vm.r[1], 0x0102030405060708ULL);
	assert_int_equal(vm.r[3], DATA + 0x100 + 8);
	assert_int_equal(rd(DATA + 0x100 - 8, 8), 0x0102030405060708ULL);
	assert_int_equal(vm.r[4], DATA + 0x100 + 9);
	assert_int_equal(vm.r[5], DATA + 0x100 - 16);
	assert_int_equal(vm.r[6], 0x0102030405060708ULL);
}

static void test_mov_errors(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	/* an operand 1 index with operand 1 direct */
	E(&p, 0x9d, 0x21, 0, 0);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_BAD_ENCODING);
	/* a 16-bit index with w = 7 */
	memset(&p, 0, sizeof(p));
	E(&p, 0x5d, 0x21, 0x00, 0x70);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_BAD_INDEX);
	/* reading and writing outside the sandbox */
	memset(&p, 0, sizeof(p));
	movi(&p, 2, 0x10);
	E(&p, 0x20, 0x80 | 2 << 4 | 1);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_MEM_READ);
	assert_int_equal(vm.fault_addr, 0x10);
	memset(&p, 0, sizeof(p));
	movi(&p, 2, BASE + MEM_SIZE - 4);
	E(&p, 0x20, 0x08 | 2 | 1 << 4);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_MEM_WRITE);
}

static void test_movi_movin_movrel(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	movi(&p, 1, 0x5555555555555555ULL);
	E(&p, 0x77, 0x00 | 1, 0xff, 0xff);	 /* MOVIbw R1, -1: 0xff, upper cleared */
	E(&p, 0xb7, 0x10 | 3, 0x00, 0x80, 0, 0); /* MOVIwd R3, 0x8000 */
	E(&p, 0x77, 0x30 | 4, 0xfe, 0xff);	 /* MOVIqw R4, -2: sign-extended */
	movi(&p, 2, DATA);
	E(&p, 0x77, 0x40 | 0x20 | 0x08 | 2); /* MOVIdw @R2(+1,+0), -3 */
	le(&p, idx16(false, 1, 0), 2);
	le(&p, (uint16_t)-3, 2);
	E(&p, 0x78, 0x05); /* MOVInw R5, (+2,+8) */
	le(&p, idx16(false, 2, 8), 2);
	E(&p, 0xb8, 0x06); /* MOVInd R6, -(+1,+4) */
	le(&p, 0x90000041, 4);
	E(&p, 0x79, 0x07, 0x10, 0x00); /* MOVRELw R7, +0x10 */
	E(&p, 0xf8, 0x08 | 2);	       /* MOVInq @R2, (+0,+0x20) */
	le(&p, 0x20, 8);
	ret(&p);
	assert_int_equal(run(&p), EBC_OK);
	assert_int_equal(vm.r[1], 0xff);
	assert_int_equal(vm.r[3], 0x8000);
	assert_int_equal(vm.r[4], (uint64_t)-2);
	assert_int_equal(rd(DATA + 8, 8), 0xfffffffdULL);
	assert_int_equal(vm.r[5], 24);
	assert_int_equal(vm.r[6], (uint64_t) - (4 + 8));
	/* MOVRELw is at offset 50 in this program, 4 bytes long */
	assert_int_equal(vm.r[7], CODE + 54 + 0x10);
	assert_int_equal(rd(DATA, 8), 0x20);
	/* reserved forms: data size 0, operand 1 index with a direct operand, reserved bits */
	static const uint8_t bad[][4] = {{0x37, 0x01, 0, 0}, {0x77, 0x41, 0, 0},
					 {0x77, 0x81, 0, 0}, {0x78, 0x11, 0, 0},
					 {0x79, 0x21, 0, 0}, {0x38, 0x01, 0, 0}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&p, 0, sizeof(p));
		emit(&p, 4, bad[i]);
		E(&p, 0, 0, 0, 0);
		ret(&p);
		assert_int_equal(run(&p), EBC_ERR_BAD_ENCODING);
	}
}

/* -------------------------------------------------------------- BREAK */
static void test_break(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	E(&p, 0x00, 0x01);	 /* version */
	E(&p, 0x20, 7 << 4 | 1); /* MOVqw R1, R7 */
	E(&p, 0x00, 0x03);	 /* debug: the host is told, execution goes on */
	E(&p, 0x00, 0x04);	 /* system call: ignored */
	movi(&p, 7, 0x0102);
	E(&p, 0x00, 0x06); /* compiler version */
	ret(&p);
	assert_int_equal(run(&p), EBC_OK);
	assert_int_equal(vm.r[1], EBC_VM_VERSION);
	assert_int_equal(debug_breaks, 1);
	assert_int_equal(vm.compiler_version, 0x0102);
	for (unsigned code = 0; code < 256; code++) {
		if (code == 1 || (code >= 3 && code <= 6))
			continue;
		memset(&p, 0, sizeof(p));
		E(&p, 0x00, (uint8_t)code);
		ret(&p);
		assert_int_equal(run(&p), EBC_ERR_BAD_BREAK);
	}
	memset(&p, 0, sizeof(p));
	E(&p, 0x40, 0x01);
	ret(&p);
	assert_int_equal(run(&p), EBC_ERR_BAD_ENCODING);
}

static void test_break5_thunk(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	/* R7 = DATA, where a 32-bit offset relative to DATA + 4 points at CODE + 16 */
	movi(&p, 7, DATA);
	E(&p, 0x00, 0x05);
	ret(&p);
	wr(DATA, 4, (uint32_t)(CODE + 16 - (DATA + 4)));
	while (p.n < 18)
		E(&p, 0);
	assert_int_equal(run(&p), EBC_OK);
	assert_int_equal(rd(DATA, 8), THUNK_TAG | (CODE + 16));
	/* an entry point outside the image gets no thunk */
	wr(DATA, 8, 0x100);
	assert_int_equal(run(&p), EBC_ERR_THUNK);
	wr(DATA, 8, (uint32_t)(CODE + 17 - (DATA + 4)));
	assert_int_equal(run(&p), EBC_ERR_THUNK);
}

/* ------------------------------------------------------ other failures */
static void test_undefined_opcodes(void **state)
{
	static const uint8_t undefined[] = {0x27, 0x34, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f};

	(void)state;
	for (size_t i = 0; i < sizeof(undefined); i++) {
		for (unsigned mod = 0; mod < 4; mod++) {
			struct prog p = {0};

			reset_mem();
			E(&p, (uint8_t)(undefined[i] | mod << 6), 0x00);
			ret(&p);
			assert_int_equal(run(&p), EBC_ERR_BAD_OPCODE);
			assert_int_equal(vm.fault_ip, CODE);
			assert_int_equal(vm.fault_opcode, undefined[i] | mod << 6);
		}
	}
}

static void test_step_limit(void **state)
{
	struct prog p = {0};

	(void)state;
	reset_mem();
	E(&p, 0x02, 0xff); /* JMP8 -1 word: itself */
	assert_int_equal(run(&p), EBC_ERR_STEP_LIMIT);
	assert_int_equal(vm.steps, 10000);
	/* The budget is per call from native code: the next call has it all again. */
	memset(&p, 0, sizeof(p));
	ret(&p);
	memcpy(mem, p.b, p.n);
	assert_int_equal(ebc_vm_call(&vm, CODE, NULL, 0, NULL), EBC_OK);
	assert_int_equal(vm.steps, 1);
}

static void test_bad_config(void **state)
{
	struct ebc_vm_config cfg = {CODE, 16, STACK, STACK_SIZE, 100};
	struct ebc_host_ops no_read = ops;

	(void)state;
	no_read.read = NULL;
	assert_int_equal(ebc_vm_init(&vm, &no_read, &sb, &cfg), EBC_ERR_BAD_CONFIG);
	assert_int_equal(ebc_vm_call(&vm, CODE, NULL, 0, NULL), EBC_ERR_BAD_CONFIG);
	cfg.stack_base = STACK + 8;
	assert_int_equal(ebc_vm_init(&vm, &ops, &sb, &cfg), EBC_ERR_BAD_CONFIG);
	cfg.stack_base = STACK;
	cfg.max_steps = 0;
	assert_int_equal(ebc_vm_init(&vm, &ops, &sb, &cfg), EBC_ERR_BAD_CONFIG);
	cfg.max_steps = 1;
	cfg.code_size = 0;
	assert_int_equal(ebc_vm_init(&vm, &ops, &sb, &cfg), EBC_ERR_BAD_CONFIG);
	cfg.code_size = 16;
	cfg.code_base = ~0ULL - 4;
	assert_int_equal(ebc_vm_init(&vm, &ops, &sb, &cfg), EBC_ERR_BAD_CONFIG);
	/* an entry point outside the image */
	cfg.code_base = CODE;
	assert_int_equal(ebc_vm_init(&vm, &ops, &sb, &cfg), EBC_OK);
	assert_int_equal(ebc_vm_call(&vm, DATA, NULL, 0, NULL), EBC_ERR_JUMP_OUTSIDE);
}

static void test_status_strings(void **state)
{
	(void)state;
	for (int s = 0; s < EBC_STATUS_COUNT; s++) {
		assert_non_null(ebc_status_str(s));
		assert_string_not_equal(ebc_status_str(s), "unknown status");
		for (int t = 0; t < s; t++)
			assert_string_not_equal(ebc_status_str(s), ebc_status_str(t));
	}
	assert_string_equal(ebc_status_str(EBC_STATUS_COUNT), "unknown status");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_index_decode),
	    cmocka_unit_test(test_alu),
	    cmocka_unit_test(test_compare),
	    cmocka_unit_test(test_alu_instructions),
	    cmocka_unit_test(test_alu_operand_forms),
	    cmocka_unit_test(test_divide_by_zero),
	    cmocka_unit_test(test_cmp_sets_flags),
	    cmocka_unit_test(test_cmp_forms),
	    cmocka_unit_test(test_cmpi),
	    cmocka_unit_test(test_jmp8),
	    cmocka_unit_test(test_jmp32_64),
	    cmocka_unit_test(test_jump_errors),
	    cmocka_unit_test(test_call_ret),
	    cmocka_unit_test(test_call64_and_frame),
	    cmocka_unit_test(test_call_forms),
	    cmocka_unit_test(test_pop_errors),
	    cmocka_unit_test(test_entry_args),
	    cmocka_unit_test(test_callex),
	    cmocka_unit_test(test_native_reenters_ebc),
	    cmocka_unit_test(test_ret_errors),
	    cmocka_unit_test(test_push_pop),
	    cmocka_unit_test(test_stack_errors),
	    cmocka_unit_test(test_fresh_call_after_fault),
	    cmocka_unit_test(test_loadsp_storesp),
	    cmocka_unit_test(test_mov_sizes),
	    cmocka_unit_test(test_mov_qq_n_sn),
	    cmocka_unit_test(test_mov_errors),
	    cmocka_unit_test(test_movi_movin_movrel),
	    cmocka_unit_test(test_break),
	    cmocka_unit_test(test_break5_thunk),
	    cmocka_unit_test(test_undefined_opcodes),
	    cmocka_unit_test(test_step_limit),
	    cmocka_unit_test(test_bad_config),
	    cmocka_unit_test(test_status_strings),
	};

	return cmocka_run_group_tests_name("ebc_vm", tests, NULL, NULL);
}
