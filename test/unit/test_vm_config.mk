# The VM-configuration reader (policy/vm_config.c; lib/fmt.c for its
# messages), on the tree's configurations (vms/*.dts) and on
# test/data/vmcfg/*.dts, compiled with dtc into $(BUILD)/test-data at build
# time (mk/host.mk's rule for test/data), and on trees the test changes.
test_vm_config_SRCS := policy/vm_config.c lib/fmt.c

VMCFG_TEST_DTBS := $(patsubst vms/%.dts,$(BUILD)/test-data/vms/%.dtb,$(wildcard vms/*.dts)) \
	$(patsubst test/data/%.dts,$(BUILD)/test-data/%.dtb,$(wildcard test/data/vmcfg/*.dts))
UNIT_TEST_DATA += $(VMCFG_TEST_DTBS)

# vms/*.dts include one another (/include/ "default.dts").
$(BUILD)/test-data/vms/%.dtb: vms/%.dts $(wildcard vms/*.dts)
	@mkdir -p $(dir $@)
	$(Q)dtc -q -I dts -O dtb -o $@ $<
