# Builds of the test guest: the default one, one that faults on purpose
# (the system test checks that the fault is reported), one that hangs.
GUEST_COMMON_SRCS := guests/bare/start.S lib/uart_printf.c lib/fmt.c lib/pl011.c lib/string.c

IMAGE_NAMES += guest
guest_SRCS := guests/bare/main.c $(GUEST_COMMON_SRCS)
guest_LDS := guests/bare/guest.lds

IMAGE_NAMES += guest-fault
guest-fault_SRCS := guests/bare/fault.c $(GUEST_COMMON_SRCS)
guest-fault_LDS := guests/bare/guest.lds

# The lifecycle test's guest: VM 0 checks that nothing of an earlier VM is
# left, marks everything and powers off (restarted over and over); the
# others call their TEEs until destroyed (vms/lifecycle.dts).
IMAGE_NAMES += guest-lifecycle
guest-lifecycle_SRCS := guests/bare/lifecycle.c $(GUEST_COMMON_SRCS)
guest-lifecycle_LDS := guests/bare/guest.lds

IMAGE_NAMES += guest-hang
guest-hang_SRCS := guests/bare/hang.c $(GUEST_COMMON_SRCS)
guest-hang_LDS := guests/bare/guest.lds

# With tee-test.bin, the TEE with test hooks: makes its TEE fault, checks
# the next call fails (scenario tee-fault; natively, native-tee-fault).
IMAGE_NAMES += guest-tee-fault
guest-tee-fault_SRCS := guests/bare/tee_fault.c $(GUEST_COMMON_SRCS)
guest-tee-fault_LDS := guests/bare/guest.lds

# Native TrustZone (no hypervisor): linked at a physical address above
# QEMU's DTB, and printing its own "[ns] " prefix (guest.h), since no UART
# emulation stands between it and UART0. Its C files get their own objects.
GUEST_NATIVE_LDFLAGS := -Wl,--defsym=GUEST_BASE=0x48000000

$(OUT)/fs/native/guests/bare/%.o: guests/bare/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (native)"
	$(Q)$(CC) $(FS_CFLAGS) -DVTZ_NATIVE -DGUEST_PREFIX='"[ns] "' -MMD -MP -c $< -o $@

IMAGE_NAMES += guest-native
guest-native_SRCS := $(GUEST_COMMON_SRCS)
guest-native_EXTRA_OBJS := $(OUT)/fs/native/guests/bare/main.o
guest-native_LDS := guests/bare/guest.lds
guest-native_LDFLAGS := $(GUEST_NATIVE_LDFLAGS)

# With flash-native-tee-fault.bin (the TEE with test hooks).
IMAGE_NAMES += guest-native-tee-fault
guest-native-tee-fault_SRCS := $(GUEST_COMMON_SRCS)
guest-native-tee-fault_EXTRA_OBJS := $(OUT)/fs/native/guests/bare/tee_fault.o
guest-native-tee-fault_LDS := guests/bare/guest.lds
guest-native-tee-fault_LDFLAGS := $(GUEST_NATIVE_LDFLAGS)
