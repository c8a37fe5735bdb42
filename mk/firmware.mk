# Signed firmware update (docs/security.md, "Firmware update"; README).
#
#   make firmware-update   build the CIEE and the hypervisor from source,
#                          sign them with the owner's key (OWNER_KEY) at a
#                          higher security version, pack them in a bundle,
#                          put it in a Linux guest's initramfs, boot the
#                          flash-backed machine, where the guest runs
#                          `vtz-client fw-update` (the hypervisor carries
#                          the bundle, the monitor verifies and commits
#                          it), then boot it again: the new version runs
#   FW_FLASH=file          the machine's flash0 (default $(OUT)/fw-flash.img;
#                          made on first use with this build's images in slot
#                          A; keeps updates and the anti-rollback counter)
#   FW_VERSION=N           the update's security version (default: one above
#                          the flash's counter); below the counter, the
#                          monitor refuses it
FW_FLASH ?= $(OUT)/fw-flash.img
FW_VERSION ?=
FW_DIR := $(OUT)/fw-update
FW_BUNDLE := $(PYTHON) scripts/vtz_fwbundle.py

# The bundle travels in a variant of the Linux guest's initramfs: ours with
# a second archive appended that holds /fw/bundle.bin (Linux unpacks every
# archive of a concatenated initramfs), so the guest's own stays as it is.
.PHONY: firmware-update
firmware-update: all linux-guest
	@mkdir -p $(FW_DIR)
	$(Q)v=$(or $(FW_VERSION),$$($(FW_BUNDLE) next-version $(FW_FLASH) $(OUT)/hyp.bin)) && \
	for i in ciee hyp; do \
		$(VTZ_SIGN) sign --key $(OWNER_KEY) --size-offset $(SIGN_SIZE_OFFSET) \
			--security-counter $$v $(OUT)/$$i.unsigned.bin $(FW_DIR)/$$i-v$$v.bin || exit 1; \
	done && \
	$(FW_BUNDLE) bundle $(FW_DIR)/ciee-v$$v.bin $(FW_DIR)/hyp-v$$v.bin $(FW_DIR)/bundle-v$$v.bin && \
	echo "[fw] $(FW_DIR)/bundle-v$$v.bin: CIEE and hypervisor signed by $(OWNER_KEY)," \
		"security version $$v" && \
	rm -rf $(FW_DIR)/root && mkdir -p $(FW_DIR)/root/fw && \
	cp $(FW_DIR)/bundle-v$$v.bin $(FW_DIR)/root/fw/bundle.bin && \
	$(PYTHON) scripts/mkinitramfs.py --root $(FW_DIR)/root -o $(FW_DIR)/fw.cpio.gz && \
	cat $(LINUX_INITRAMFS) $(FW_DIR)/fw.cpio.gz >$(FW_DIR)/initramfs-fw.cpio.gz && \
	$(RUN) --scenario firmware-linux --flash-file $(FW_FLASH) --timeout 180 \
		--file ../linux/initramfs.cpio.gz=$(abspath $(FW_DIR))/initramfs-fw.cpio.gz \
		--vm-run vtz-client:fw-update:/fw/bundle.bin && \
	{ [ "$$($(FW_BUNDLE) next-version $(FW_FLASH) $(OUT)/hyp.bin)" -eq "$$((v + 1))" ] || \
		{ echo "[fw] error: the monitor did not commit version $$v (its reason is above)"; \
		  exit 1; }; } && \
	echo "[fw] restarting the machine on $(FW_FLASH)" && \
	$(RUN) --scenario firmware --flash-file $(FW_FLASH)
