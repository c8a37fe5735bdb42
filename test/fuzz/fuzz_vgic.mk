# The hypervisor's emulated GICv3: guest MMIO and LR state from a hostile guest.
fuzz_vgic_SRCS := hyp/vgic.c
$(FUZZ_DIR)/obj/test/fuzz/fuzz_vgic.o: FUZZ_CFLAGS += -Ihyp
