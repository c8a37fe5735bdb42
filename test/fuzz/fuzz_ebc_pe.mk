# The PE32+ loader for EBC images (ebc/pe.c) on arbitrary files.
fuzz_ebc_pe_SRCS := ebc/pe.c
$(FUZZ_DIR)/obj/test/fuzz/fuzz_ebc_pe.o: FUZZ_CFLAGS += -Iebc
$(FUZZ_DIR)/seeds/fuzz_ebc_pe/.done: ebc/tools/ebcas.py
