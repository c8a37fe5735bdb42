# The PE32+ loader for EBC images (ebc/pe.c).
test_ebc_pe_SRCS := ebc/pe.c
$(BUILD)/host/test/unit/test_ebc_pe.o: HOST_CFLAGS += -Iebc
