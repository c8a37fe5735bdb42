# The hypervisor's emulated PL011: guest MMIO and console input.
fuzz_vpl011_SRCS := hyp/vpl011.c
$(FUZZ_DIR)/obj/test/fuzz/fuzz_vpl011.o: FUZZ_CFLAGS += -Ihyp
