IMAGE_NAMES += tee
tee_SRCS := tee/entry.S tee/main.c lib/uart_printf.c lib/fmt.c lib/pl011.c lib/string.c
tee_LDS := tee/tee.lds

# tee-test: the same TEE with test hooks (VTZ_SMC_TEE_TEST_FAULT), for the
# tests of what a dispatcher does with a TEE that dies. Never shipped:
# flash-native.bin and the vTZ scenarios carry tee.bin.
$(OUT)/fs/tee-test/tee/%.o: tee/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (test hooks)"
	$(Q)$(CC) $(FS_CFLAGS) -DTEE_TEST_HOOKS -MMD -MP -c $< -o $@

IMAGE_NAMES += tee-test
tee-test_SRCS := $(filter-out tee/main.c,$(tee_SRCS))
tee-test_EXTRA_OBJS := $(OUT)/fs/tee-test/tee/main.o
tee-test_LDS := tee/tee.lds
