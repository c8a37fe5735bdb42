# The EBC virtual machine (ebc/): hardware-free, run in a sandbox.
test_ebc_vm_SRCS := ebc/vm.c ebc/exec_flow.c ebc/exec_data.c ebc/alu.c ebc/index.c ebc/status.c ebc/sandbox.c
$(BUILD)/host/test/unit/test_ebc_vm.o: HOST_CFLAGS += -Iebc
