# The bare-metal OP-TEE client guest (guests/optee/main.c): drives its TEE
# the way Linux's optee driver does. Start-up code and library from
# guests/bare; one build for vTZ, one linked for the native home.
$(OUT)/fs/guests/optee/%.o: FS_CFLAGS += -Iguests/bare

IMAGE_NAMES += guest-optee
guest-optee_SRCS = guests/optee/main.c $(GUEST_COMMON_SRCS)
guest-optee_LDS := guests/bare/guest.lds

$(OUT)/fs/native/guests/optee/%.o: guests/optee/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (native)"
	$(Q)$(CC) $(FS_CFLAGS) -Iguests/bare -DVTZ_NATIVE -DGUEST_PREFIX='"[ns] "' -MMD -MP \
		-c $< -o $@

IMAGE_NAMES += guest-native-optee
guest-native-optee_SRCS = $(GUEST_COMMON_SRCS)
guest-native-optee_EXTRA_OBJS := $(OUT)/fs/native/guests/optee/main.o
guest-native-optee_LDS := guests/bare/guest.lds
guest-native-optee_LDFLAGS = $(GUEST_NATIVE_LDFLAGS)
