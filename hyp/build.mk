IMAGE_NAMES += hyp
hyp_SRCS := hyp/entry.S hyp/main.c hyp/vm.c hyp/vcpu.c hyp/vuart.c hyp/mem.c lib/exc_report.c \
	$(LIB_SRCS) policy/smc_class.c policy/fdt_info.c
hyp_EXTRA_OBJS := $(patsubst %.c,$(BUILD)/fs/libfdt/%.o,$(LIBFDT_SRCS))
hyp_LDS := hyp/hyp.lds
