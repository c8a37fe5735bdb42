# vmcfg-check: the hypervisor's VM-configuration reader (policy/vm_config.c)
# built for the host, so scripts/vtz_run.py refuses a bad configuration
# before QEMU starts, with the message the hypervisor would print. It goes
# with the images ($(OUT)/vmcfg-check), where the runner looks for it.
VMCFG_TOOL := $(OUT)/vmcfg-check
VMCFG_TOOL_SRCS := scripts/vmcfg_check.c policy/vm_config.c lib/fmt.c
VMCFG_TOOL_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -D_DEFAULT_SOURCE \
	-Iinclude -Ilib/include -Ipolicy/include -I$(LIBFDT)
VMCFG_TOOL_OBJS := $(patsubst %.c,$(OUT)/tool/%.o,$(VMCFG_TOOL_SRCS)) \
	$(patsubst %.c,$(OUT)/tool/libfdt/%.o,$(LIBFDT_SRCS))

$(OUT)/tool/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(VMCFG_TOOL_CFLAGS) -MMD -MP -c $< -o $@

# libfdt is third-party code: built as it is, without our warning set.
$(OUT)/tool/libfdt/%.o: $(LIBFDT)/%.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) -std=gnu11 -O2 -g -I$(LIBFDT) -c $< -o $@

$(VMCFG_TOOL): $(VMCFG_TOOL_OBJS)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $^ -o $@

images: $(VMCFG_TOOL)
-include $(patsubst %.c,$(OUT)/tool/%.d,$(VMCFG_TOOL_SRCS))
