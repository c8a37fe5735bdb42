# The emulated GICv3 of the (untrusted) hypervisor: pure C, no arch layer.
test_vgic_SRCS := hyp/vgic.c
$(BUILD)/host/test/unit/test_vgic.o: HOST_CFLAGS += -Ihyp
