# The OP-TEE message layer as the TEE links it (tee/msg.c, hardware-free).
fuzz_optee_msg_SRCS := tee/msg.c tee/ta_echo.c tee/ta_store.c
$(FUZZ_DIR)/obj/test/fuzz/fuzz_optee_msg.o $(FUZZ_DIR)/obj/tee/msg.o \
$(FUZZ_DIR)/obj/tee/ta_echo.o $(FUZZ_DIR)/obj/tee/ta_store.o: FUZZ_CFLAGS += -Itee \
	-Wno-gnu-variable-sized-type-not-at-end
