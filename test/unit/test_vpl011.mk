# The emulated PL011 of the (untrusted) hypervisor: pure C, no arch layer.
test_vpl011_SRCS := hyp/vpl011.c
$(BUILD)/host/test/unit/test_vpl011.o: HOST_CFLAGS += -Ihyp
