/* SPDX-License-Identifier: MIT */
/*
 * The EBC interpreter (ebc/) running random bytecode. Input layout: the
 * first 64 bytes are R1..R7 and a data pattern seed (8 bytes each; R0 is
 * the VM stack pointer), the rest is the image's code, placed in a
 * sandbox next to a data page and the VM stack. Each input runs under a
 * step limit. Properties: no memory error in the VM (ASan, UBSan: no
 * undefined shift, overflow or out-of-bounds access, whatever the code);
 * the run ends with a defined status within the limit; a run that
 * returns leaves R0 where the caller's was; a fault names an IP inside
 * the image (or just past its end, for code that runs off it).
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "sandbox.h"
#include "vm.h"
#include "fuzz_util.h"

#define BASE 0x400000ULL
#define CODE_MAX 0x1000U
#define DATA (BASE + CODE_MAX)
#define STACK (BASE + 0x2000)
#define STACK_SIZE 0x1000ULL
#define MEM_SIZE 0x3000ULL
#define NATIVE_FN 0x1000ULL
#define MAX_STEPS 4096

static uint8_t mem[MEM_SIZE];
static struct ebc_sandbox sb = {mem, BASE, MEM_SIZE};

static bool native(void *ctx, uint64_t addr, const uint64_t *args, unsigned nargs, uint64_t *ret)
{
	(void)ctx;
	FUZZ_CHECK(nargs <= EBC_NATIVE_ARGS, "%u native arguments", nargs);
	if (addr != NATIVE_FN)
		return false;
	*ret = nargs ? args[0] + 1 : 0;
	return true;
}

static bool thunk(void *ctx, uint64_t entry, uint64_t *out)
{
	(void)ctx;
	FUZZ_CHECK(entry >= BASE && entry < DATA && !(entry & 1), "thunk for %#llx",
		   (unsigned long long)entry);
	*out = NATIVE_FN;
	return true;
}

static const struct ebc_host_ops ops = {
    .read = ebc_sandbox_read,
    .write = ebc_sandbox_write,
    .call_native = native,
    .make_thunk = thunk,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size, 0};
	struct ebc_vm vm;
	struct ebc_vm_config cfg;
	uint64_t regs[7], seed, args[2] = {DATA, 3}, ret = 0;
	size_t code_len;
	enum ebc_status st;

	for (int i = 0; i < 7; i++)
		regs[i] = fuzz_u64(&in);
	seed = fuzz_u64(&in);
	code_len = size > in.pos ? size - in.pos : 0;
	if (code_len < 2 || code_len > CODE_MAX)
		return 0;
	memset(mem, 0, sizeof(mem));
	memcpy(mem, data + in.pos, code_len);
	for (unsigned i = 0; i < 0x1000; i += 8)
		memcpy(mem + CODE_MAX + i, &seed, 8);
	/* Registers that point into the sandbox half the time, anywhere otherwise. */
	cfg = (struct ebc_vm_config){BASE, code_len, STACK, STACK_SIZE, MAX_STEPS};
	FUZZ_CHECK(ebc_vm_init(&vm, &ops, &sb, &cfg) == EBC_OK, "init");
	for (int i = 0; i < 7; i++)
		vm.r[i + 1] = regs[i] & 1 ? DATA + (regs[i] >> 1) % 0x1000 : regs[i];
	st = ebc_vm_call(&vm, BASE, args, 2, &ret);
	FUZZ_CHECK(st != EBC_RUNNING && st < EBC_STATUS_COUNT && st != EBC_ERR_BAD_CONFIG,
		   "status %d", st);
	FUZZ_CHECK(vm.steps <= MAX_STEPS, "%llu steps", (unsigned long long)vm.steps);
	if (st == EBC_OK) {
		FUZZ_CHECK(vm.r[0] == STACK + STACK_SIZE, "R0 %#llx after return",
			   (unsigned long long)vm.r[0]);
		FUZZ_CHECK(ret == vm.r[7], "returned value");
	} else {
		FUZZ_CHECK(vm.fault_ip >= BASE && vm.fault_ip <= BASE + code_len, "fault at %#llx",
			   (unsigned long long)vm.fault_ip);
		FUZZ_CHECK(ebc_status_str(st) != NULL, "no message");
	}
	return 0;
}
