IMAGE_NAMES += tee
tee_SRCS := tee/entry.S tee/main.c tee/thread.c tee/console_in.c tee/msg.c tee/ta_echo.c tee/ta_store.c \
	tee/ta_key.c tee/ta_attest.c lib/uart_printf.c lib/fmt.c lib/pl011.c lib/string.c \
	lib/crypto/crypto.c
# mbedTLS for the TEE's own key derivations (mk/mbedtls.mk), through the
# wrappers the monitor links too (lib/crypto/).
tee_EXTRA_OBJS := $(MBEDTLS_FS_OBJS)
tee_LDS := tee/tee.lds
# The key TA calls mbedTLS's HMAC (md.c, already in MBEDTLS_SRCS) directly.
$(OUT)/fs/tee/ta_key.o: FS_CFLAGS += $(MBEDTLS_INC)

# tee-test: the same TEE with test hooks (VTZ_SMC_TEE_TEST_FAULT), for the
# tests of what a dispatcher does with a TEE that dies. Never shipped:
# flash-native.bin and the vTZ scenarios carry tee.bin.
$(OUT)/fs/tee-test/tee/%.o: tee/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (test hooks)"
	$(Q)$(CC) $(FS_CFLAGS) -DTEE_TEST_HOOKS -MMD -MP -c $< -o $@

IMAGE_NAMES += tee-test
tee-test_SRCS := $(filter-out tee/main.c,$(tee_SRCS))
tee-test_EXTRA_OBJS := $(OUT)/fs/tee-test/tee/main.o $(MBEDTLS_FS_OBJS)
tee-test_LDS := tee/tee.lds

# Key-tag test guests (test/system/test_keys.py): test/guests/key_tag.c
# with guests/bare's start-up code, for vTZ and natively (see
# guests/bare/build.mk for the native link address and prefix; it is
# included after this file, hence the recursive '=').
$(OUT)/fs/test/guests/%.o: FS_CFLAGS += -Iguests/bare
$(OUT)/fs/native/test/guests/%.o: test/guests/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (native)"
	$(Q)$(CC) $(FS_CFLAGS) -Iguests/bare -DVTZ_NATIVE -DGUEST_PREFIX='"[ns] "' -MMD -MP \
		-c $< -o $@

IMAGE_NAMES += guest-keys
guest-keys_SRCS = test/guests/key_tag.c $(GUEST_COMMON_SRCS)
guest-keys_LDS := guests/bare/guest.lds

IMAGE_NAMES += guest-native-keys
guest-native-keys_SRCS = $(GUEST_COMMON_SRCS)
guest-native-keys_EXTRA_OBJS := $(OUT)/fs/native/test/guests/key_tag.o
guest-native-keys_LDS := guests/bare/guest.lds
guest-native-keys_LDFLAGS = $(GUEST_NATIVE_LDFLAGS)
