# Host unit tests (cmocka). Each test/unit/test_NAME.c has a sibling
# test/unit/test_NAME.mk that sets test_NAME_SRCS: the project sources it
# links (policy code, lib code, arch/fake). libfdt is always available;
# test_NAME_EXTRA_OBJS adds prebuilt objects (e.g. $(MBEDTLS_HOST_OBJS)).
HOSTCC ?= cc
HOST_CFLAGS := -std=c11 -Wall -Wextra -Werror -O1 -g -D_DEFAULT_SOURCE \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-Iinclude -Ilib/include -Ipolicy/include -Iarch/fake/include -I$(LIBFDT)
HOST_LIBFDT_CFLAGS := -std=gnu11 -O1 -g -fsanitize=address,undefined -I$(LIBFDT)
HOST_LDLIBS := -lcmocka

UNIT_TESTS := $(basename $(notdir $(wildcard test/unit/test_*.c)))
-include $(wildcard test/unit/test_*.mk)

$(BUILD)/host/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	$(Q)$(HOSTCC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/host/libfdt/%.o: $(LIBFDT)/%.c
	@mkdir -p $(dir $@)
	$(Q)$(HOSTCC) $(HOST_LIBFDT_CFLAGS) -c $< -o $@

HOST_LIBFDT_OBJS := $(patsubst %.c,$(BUILD)/host/libfdt/%.o,$(LIBFDT_SRCS))

define unit_test
$(1)_HOST_OBJS := $(BUILD)/host/test/unit/$(1).o $$(patsubst %.c,$(BUILD)/host/%.o,$$($(1)_SRCS))
$(BUILD)/host/$(1): $$($(1)_HOST_OBJS) $$($(1)_EXTRA_OBJS) $(HOST_LIBFDT_OBJS)
	@echo "  HOSTLD  $$@"
	$$(Q)$$(HOSTCC) $(HOST_CFLAGS) $$^ $(HOST_LDLIBS) -o $$@
-include $$($(1)_HOST_OBJS:.o=.d)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_test,$(t))))

# Real device trees for the FDT tests, dumped from the QEMU we run on.
TEST_DTBS := $(BUILD)/test-data/virt-smp1-1g.dtb $(BUILD)/test-data/virt-smp2-1g.dtb $(BUILD)/test-data/virt-smp4-2g.dtb \
	$(BUILD)/test-data/overlap.dtb $(BUILD)/test-data/no-memory.dtb
$(BUILD)/test-data/virt-smp1-1g.dtb:
	@mkdir -p $(dir $@)
	$(Q)qemu-system-aarch64 -M virt,secure=on,virtualization=on,gic-version=3,dumpdtb=$@ \
		-cpu cortex-a57 -smp 1 -m 1G -nographic -nic none >/dev/null 2>&1
$(BUILD)/test-data/virt-smp2-1g.dtb:
	@mkdir -p $(dir $@)
	$(Q)qemu-system-aarch64 -M virt,secure=on,virtualization=on,gic-version=3,dumpdtb=$@ \
		-cpu cortex-a57 -smp 2 -m 1G -nographic -nic none >/dev/null 2>&1
$(BUILD)/test-data/virt-smp4-2g.dtb:
	@mkdir -p $(dir $@)
	$(Q)qemu-system-aarch64 -M virt,secure=on,virtualization=on,gic-version=3,dumpdtb=$@ \
		-cpu cortex-a57 -smp 4 -m 2G -nographic -nic none >/dev/null 2>&1
$(BUILD)/test-data/%.dtb: test/data/%.dts
	@mkdir -p $(dir $@)
	$(Q)dtc -q -I dts -O dtb -o $@ $<

# The build's own scripts have pytest tests in test/scripts (no QEMU).
.PHONY: unit
# Test data the tests' own .mk files add (UNIT_TEST_DATA, e.g. compiled .dts files).
unit: $(addprefix $(BUILD)/host/,$(UNIT_TESTS)) $(TEST_DTBS) $(UNIT_TEST_DATA)
	@echo "[test] host unit tests (cmocka)"
	$(Q)fail=0; for t in $(UNIT_TESTS); do \
		VTZ_TEST_DATA=$(BUILD)/test-data VTZ_IMAGES=$(OUT) $(BUILD)/host/$$t || fail=1; \
	done; test $$fail -eq 0
	@echo "[test] script unit tests (pytest)"
	$(Q)$(PYTHON) -m pytest -q test/scripts
