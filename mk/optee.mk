# OP-TEE OS, unmodified, as a TEE for vTZ (issue 10).
#
#   make optee-os      unpack OP-TEE OS and build it: $(OPTEE_OS_BIN)
# Options: OPTEE_OS_SRC=dir (an OP-TEE OS source tree, used as it is) or
#   OPTEE_OS_TARBALL=file (a release tarball, unpacked under $(BUILD)/optee;
#   default: the pristine 4.9.0 release in ../shared/third_party).
# Without either, the target says so and does nothing (the OP-TEE tests
# skip). OP-TEE's code is never copied into this tree nor patched: what
# an ARMv8.0 guest TEE at NS-EL1 cannot have is turned off with OP-TEE's
# own configuration options (docs/architecture.md, "A TrustZone OS in a
# guest TEE").

OPTEE_OS_TARBALL ?= /work/shared/third_party/optee_os-4.9.0.tar.xz
OPTEE_DIR := $(BUILD)/optee
ifneq ($(OPTEE_OS_SRC),)
OPTEE_OS_TREE := $(OPTEE_OS_SRC)
OPTEE_OS_STAMP := $(OPTEE_OS_SRC)/Makefile
else ifneq ($(wildcard $(OPTEE_OS_TARBALL)),)
OPTEE_OS_TREE := $(OPTEE_DIR)/src/optee_os
OPTEE_OS_STAMP := $(OPTEE_OS_TREE)/.vtz-unpacked
else
OPTEE_OS_TREE :=
endif
OPTEE_OS_OUT := $(abspath $(OPTEE_DIR)/out)
# The raw image (header-less, linked at its load address) and the TA dev kit.
OPTEE_OS_BIN := $(OPTEE_OS_OUT)/core/tee-raw.bin
OPTEE_TA_DEV_KIT := $(OPTEE_OS_OUT)/export-ta_arm64

# OP-TEE runs some of its scripts through `#!/usr/bin/env python3`: the
# python3 first on its PATH is $(PYTHON), which has Debian's
# python3-cryptography and python3-pyelftools (another python3 on the
# user's PATH may lack them).
#
# Pinned flags. The platform is QEMU's virt machine with a Cortex-A57
# (vexpress-qemu_armv8a), 64-bit core, GICv3, 64-bit TAs only.
# CFG_CORE_ASYNC_NOTIF=y (OP-TEE's default for this platform): its
# asynchronous notification, SPI 219 raised with a GICD_ISPENDR write, which
# the CIEE hands to the VM's vGIC (natively the real GIC delivers it), and
# which Linux's driver takes from the optee node (with CFG_CALLOUT=n OP-TEE
# raises it only from its console's receive interrupt, which neither home
# delivers to it yet: docs/architecture.md). CFG_CALLOUT=n: OP-TEE's
# callout service, which async notification would turn on by default,
# programs the secure physical timer (CNTPS_*_EL1), UNDEFINED at NS-EL1
# and not trappable to EL2 on ARMv8.0, so a guest TEE cannot have it. The
# native build uses the same flags, so both homes run the same image
# (docs/architecture.md, "What a TrustZone OS may rely on").
OPTEE_OS_FLAGS := PLATFORM=vexpress-qemu_armv8a CFG_ARM64_core=y CFG_ARM_GICV3=y \
	CFG_USER_TA_TARGETS=ta_arm64 CFG_CORE_ASYNC_NOTIF=y CFG_CALLOUT=n \
	CROSS_COMPILE=$(CROSS) CROSS_COMPILE_core=$(CROSS) CROSS_COMPILE_ta_arm64=$(CROSS) \
	PYTHON3=$(PYTHON) O=$(OPTEE_OS_OUT)

.PHONY: optee-os
ifeq ($(OPTEE_OS_TREE),)
optee-os:
	@echo "[optee] no OP-TEE OS source ($(OPTEE_OS_TARBALL) missing, OPTEE_OS_SRC unset): skipped"
else
optee-os: $(OPTEE_OS_BIN)

$(OPTEE_DIR)/src/optee_os/.vtz-unpacked: $(OPTEE_OS_TARBALL)
	@echo "  UNPACK  $<"
	$(Q)rm -rf $(OPTEE_DIR)/src/optee_os $(OPTEE_DIR)/src/.unpack
	$(Q)mkdir -p $(OPTEE_DIR)/src/.unpack
	$(Q)tar -xf $< -C $(OPTEE_DIR)/src/.unpack
	$(Q)mv $(OPTEE_DIR)/src/.unpack/* $(OPTEE_DIR)/src/optee_os
	$(Q)rmdir $(OPTEE_DIR)/src/.unpack
	$(Q)touch $@

# OP-TEE names its version from `git describe` when its tree is a git
# checkout, else from its release numbers: the ceiling keeps git from
# taking our repository (the tarball is unpacked inside it) for OP-TEE's.
# OP-TEE's own make decides what to rebuild; we run it whenever asked
# (quick when nothing changed) and record the flags it was built with.
$(OPTEE_OS_BIN): $(OPTEE_OS_STAMP) FORCE_OPTEE
	@echo "  OPTEE   $(OPTEE_OS_TREE) -> $(OPTEE_OS_OUT)"
	$(Q)mkdir -p $(OPTEE_OS_OUT) $(OPTEE_DIR)/bin
	$(Q)ln -sf $(PYTHON) $(OPTEE_DIR)/bin/python3
	$(Q)PATH=$(abspath $(OPTEE_DIR)/bin):$$PATH \
		GIT_CEILING_DIRECTORIES=$(abspath $(dir $(OPTEE_OS_TREE))) \
		$(MAKE) --no-print-directory $(JOBS) -C $(OPTEE_OS_TREE) $(OPTEE_OS_FLAGS) \
		$(if $(filter 1,$(V)),,-s) >$(OPTEE_OS_OUT)/build.log 2>&1 || \
		{ tail -30 $(OPTEE_OS_OUT)/build.log; echo "[optee] build failed, see $(OPTEE_OS_OUT)/build.log"; exit 1; }
	$(Q)echo "$(OPTEE_OS_FLAGS)" >$(OPTEE_OS_OUT)/vtz-flags
endif

.PHONY: FORCE_OPTEE
FORCE_OPTEE:

# TEE=optee: the images come with OP-TEE OS built (the TEE the OP-TEE
# scenarios load); the default TEE is ours (tee/).
TEE ?= vtz
ifeq ($(TEE),optee)
images: optee-os
RUN_TEE = --tee $(OPTEE_OS_BIN)
endif
