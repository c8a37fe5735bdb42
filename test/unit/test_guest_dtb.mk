# Guest device trees, built with libfdt (linked into every host test) and
# lib/fmt.c for the node names, as in hyp.bin.
test_guest_dtb_SRCS := hyp/guest_dtb.c lib/fmt.c
$(BUILD)/host/test/unit/test_guest_dtb.o: HOST_CFLAGS += -Ihyp
