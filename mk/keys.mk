# The owner's image-signing key and signed boot images (docs/security.md,
# "Signed images"; scripts/vtz_sign.py, python3-cryptography).
#
#   OWNER_KEY=file.pem   sign with your own ECDSA P-256 key (PKCS#8 or SEC1
#                        PEM, unencrypted); default $(BUILD)/owner-key.pem,
#                        made on the first build (never committed, gone with
#                        `make clean`), like the device root key
#   SECURITY_VERSION=N   the security counter the images carry (default 1)
#   make keys            makes the default key if it is absent and exports
#                        the public key to $(BUILD)/keys/owner-pub.pem; makes
#                        the device root key if it is absent and exports the
#                        device attestation public key derived from it to
#                        $(BUILD)/keys/attest-pub.pem (scripts/vtz_attest.py,
#                        docs/security.md "Attestation")
#
# The CIEE's and every hypervisor image are signed; the flash (flash-vtz.bin)
# carries the SHA-256 of the owner's public key, and the monitor runs only
# images signed by that key.
OWNER_KEY ?= $(BUILD)/owner-key.pem
SECURITY_VERSION ?= 1
# Offset of the load size in the CIEE's and the hypervisor's headers
# (CIEE_LOAD_SIZE_OFFSET, HYP_HDR_LOAD_SIZE_OFFSET): the trailer follows.
SIGN_SIZE_OFFSET := 0x28
VTZ_SIGN := $(PYTHON) scripts/vtz_sign.py

$(BUILD)/owner-key.pem:
	$(Q)$(VTZ_SIGN) keygen $@

# SHA-256 of the owner's public key, rewritten only when it changes, so a
# new OWNER_KEY re-signs every image and rebuilds the flash, and nothing
# else does.
OWNER_KEY_HASH := $(OUT)/owner-key-hash.bin
$(OWNER_KEY_HASH): $(OWNER_KEY) FORCE
	@mkdir -p $(dir $@)
	$(Q)$(VTZ_SIGN) keyhash --out $@ $(OWNER_KEY)

.PHONY: FORCE keys
FORCE:

# signed_image NAME: $(OUT)/NAME.bin from $(OUT)/NAME.unsigned.bin.
define signed_image
$(OUT)/$(1).bin: $(OUT)/$(1).unsigned.bin $(OWNER_KEY_HASH) scripts/vtz_sign.py
	@echo "  SIGN    $$@"
	$$(Q)$(VTZ_SIGN) sign --key $(OWNER_KEY) --size-offset $($(1)_SIGNED) \
		--security-counter $(SECURITY_VERSION) $$< $$@
endef

keys: setup
	$(Q)$(MAKE) --no-print-directory -s $(OWNER_KEY)
	@mkdir -p $(BUILD)/keys
	$(Q)$(VTZ_SIGN) export $(OWNER_KEY) $(BUILD)/keys/owner-pub.pem
	@echo "[keys] owner signing key: $(OWNER_KEY); public key: $(BUILD)/keys/owner-pub.pem" \
		"(sha256 $$($(VTZ_SIGN) keyhash $(OWNER_KEY)))"
	$(Q)$(MAKE) --no-print-directory -s $(ROOT_KEY)
	$(Q)$(PYTHON) scripts/vtz_attest.py export $(ROOT_KEY) $(BUILD)/keys/attest-pub.pem
	@echo "[keys] device attestation public key: $(BUILD)/keys/attest-pub.pem" \
		"(derived from $(ROOT_KEY); verify reports with scripts/vtz_attest.py)"
