# The VM-configuration reader and resolver (policy/vm_config.c, with
# lib/fmt.c for its messages) on blobs. Seeds: the tree's configurations
# and the unit tests' (test/unit/test_vm_config.mk compiles them), repacked
# by dtc without padding.
fuzz_vm_config_SRCS := policy/vm_config.c lib/fmt.c

$(FUZZ_DIR)/seeds/fuzz_vm_config/.done: $(VMCFG_TEST_DTBS)
	@rm -rf $(dir $@) && mkdir -p $(dir $@)
	$(Q)for f in $(VMCFG_TEST_DTBS); do \
		dtc -q -I dtb -O dtb -o $(dir $@)$$(basename $$(dirname $$f))-$$(basename $$f) $$f || exit 1; \
	done
	@touch $@
