# The EBC interpreter running random bytecode in a sandbox (ebc/).
fuzz_ebc_vm_SRCS := ebc/vm.c ebc/exec_flow.c ebc/exec_data.c ebc/alu.c ebc/index.c ebc/status.c ebc/sandbox.c
$(FUZZ_DIR)/obj/test/fuzz/fuzz_ebc_vm.o: FUZZ_CFLAGS += -Iebc
