# The TEE's OP-TEE message layer and its hardware-free TAs (tee/msg.c,
# tee/ta_echo.c, tee/ta_store.c), on the host. The same sources can feed
# a fuzzer: they need only a struct msg_ctx with a view of fake RAM.
test_optee_msg_SRCS := tee/msg.c tee/ta_echo.c tee/ta_store.c
$(BUILD)/host/test/unit/test_optee_msg.o: HOST_CFLAGS += -Itee
