# The benchmark guest (make bench, scripts/vtz_bench.py): times guest SMCs
# with the generic counter under -icount. Built twice from the same
# objects: for a VM under the vTZ hypervisor (IPA 0x40000000), and for
# native TrustZone with no hypervisor (PA 0x48000000, above QEMU's DTB).
# It reuses the bare guest's entry code and linker script.
GUEST_BENCH_SRCS := guests/bench/main.c guests/bench/loop.S guests/bare/start.S \
	lib/uart_printf.c lib/fmt.c lib/pl011.c lib/string.c

IMAGE_NAMES += guest-bench
guest-bench_SRCS := $(GUEST_BENCH_SRCS)
guest-bench_LDS := guests/bare/guest.lds

IMAGE_NAMES += guest-bench-native
guest-bench-native_SRCS := $(GUEST_BENCH_SRCS)
guest-bench-native_LDS := guests/bare/guest.lds
guest-bench-native_LDFLAGS := -Wl,--defsym=GUEST_BASE=0x48000000
