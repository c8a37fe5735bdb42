# OP-TEE's own test suite (issue 10): xtest, the Linux program that drives
# it, its TAs and its tee-supplicant plugin, built from the unmodified
# optee_test release for the Linux guest (docs/xtest.md).
#
#   make xtest-files   build them and stage $(XTEST_ROOTFS): /usr/bin/xtest,
#                      /lib/optee_armtz/<uuid>.ta, the plugin
#   make linux-guest XTEST=1
#                      the Linux guest's initramfs with that tree in it
#                      (remembered like EXTRA_ROOTFS: XTEST=0 drops it)
# Options: OPTEE_TEST_SRC=dir (an optee_test source tree, used as it is)
#   or OPTEE_TEST_TARBALL=file (a release tarball, unpacked under
#   $(BUILD)/optee-test; default: the pristine 4.9.0 release in
#   ../shared/third_party).
# The TAs are built with OP-TEE OS's TA dev kit (mk/optee.mk, which it
# builds first), xtest and the plugin with the cross compiler against
# Debian's libteec (mk/linux.mk's unpacked packages). Without the
# optee_test source or OP-TEE OS's, the targets say so and do nothing.
# optee_test's code is never copied into this tree nor patched: what it
# cannot have here is turned off with its own make variables (below).

OPTEE_TEST_TARBALL ?= /work/shared/third_party/optee_test-4.9.0.tar.xz
XTEST_DIR := $(BUILD)/optee-test
ifneq ($(OPTEE_TEST_SRC),)
OPTEE_TEST_TREE := $(OPTEE_TEST_SRC)
OPTEE_TEST_STAMP := $(OPTEE_TEST_SRC)/Makefile
else ifneq ($(wildcard $(OPTEE_TEST_TARBALL)),)
OPTEE_TEST_TREE := $(XTEST_DIR)/src/optee_test
OPTEE_TEST_STAMP := $(OPTEE_TEST_TREE)/.vtz-unpacked
else
OPTEE_TEST_TREE :=
endif
# optee_test's makes run in its subdirectories: every path they get is absolute.
XTEST_OUT := $(abspath $(XTEST_DIR)/out)
XTEST_ROOTFS := $(XTEST_DIR)/rootfs
# Touched only when a file in $(XTEST_ROOTFS) changed (guests/linux/xtest-rootfs.sh).
XTEST_STAMP := $(XTEST_DIR)/rootfs.stamp
# Debian's tee_client_api.h with TEEC_Context's fields under imp
# (scripts/xtest_teec_header.py says why).
XTEST_TEEC_H := $(XTEST_DIR)/include/tee_client_api.h

ifeq ($(OPTEE_TEST_TREE),)
XTEST_SKIP := no optee_test source ($(OPTEE_TEST_TARBALL) missing, OPTEE_TEST_SRC unset)
else ifeq ($(OPTEE_OS_TREE),)
XTEST_SKIP := no OP-TEE OS source for the TA dev kit ($(OPTEE_OS_TARBALL) missing, OPTEE_OS_SRC unset)
else
XTEST_SKIP :=
endif

# The TAs: OP-TEE's TA dev kit and the cross compiler; PYTHON3 and the
# python3 first on PATH are $(PYTHON), for the dev kit's signing script
# (python3-cryptography), as in mk/optee.mk.
XTEST_TA_FLAGS := TA_DEV_KIT_DIR=$(OPTEE_TA_DEV_KIT) CROSS_COMPILE=$(CROSS) \
	PYTHON3=$(PYTHON) O=$(XTEST_OUT)

# xtest and the plugin, against Debian's optee-client 3.19 (headers,
# libteec.so, optee_client_config.mk: the plugin path is Debian's).
# Left out, with optee_test's own variables:
#   WITH_OPENSSL=n: the guest has no OpenSSL (Debian's libssl3 is not among
#     the packages we fetch). Only tests 1027 and 1028 use it (the client
#     UUID Linux derives for user and group logins); without it they log
#     "OpenSSL not available, skipping test" and pass.
#   CFG_PKCS11_TA=n: the PKCS#11 suite needs a newer libckteec than
#     Debian 12's (guests/linux/xtest-include/conf.h says why; that header
#     also drops the C macro, which OP-TEE's conf.h defines).
#   CFG_GCM_NIST_VECTORS=n: those AES-GCM vectors are downloaded from NIST
#     at build time; the build needs no network (optee_test's default,
#     pinned here against an OPTEE_OS_SRC that sets it).
# Off already in the pinned OP-TEE OS (mk/optee.mk), so optee_test leaves
# them out by itself: CFG_SECURE_DATA_PATH (the sdp tests and TA),
# CFG_SECURE_PARTITION/CFG_SPMC_TESTS (FF-A), CFG_TA_BTI (bti TA; ARMv8.0
# has no BTI). The GlobalPlatform suite (GP_PACKAGE) is not free software
# and not used.
XTEST_HOST_FLAGS := $(XTEST_TA_FLAGS) OPTEE_CLIENT_EXPORT=$(abspath $(LINUX_PKGS))/usr \
	WITH_OPENSSL=n CFG_PKCS11_TA=n CFG_GCM_NIST_VECTORS=n
# Passed in the environment, because optee_test's Makefile adds its own
# flags to CFLAGS and LDFLAGS with +=: our include directories come first
# (the TEEC header and conf.h above), libteec is found in Debian's library
# directory, and -rpath-link checks its needs against the guest's glibc
# as mk/linux.mk does for vtz-client. The prefix maps keep the build
# directory's name out of the binary (its debug info, so its build ID).
XTEST_HOST_CFLAGS := -I$(abspath $(dir $(XTEST_TEEC_H))) -I$(CURDIR)/guests/linux/xtest-include \
	-ffile-prefix-map=$(CURDIR)=. -ffile-prefix-map=$(abspath $(BUILD))=build \
	-ffile-prefix-map=$(abspath $(OPTEE_TEST_TREE))=optee_test
XTEST_HOST_LDFLAGS := $(addprefix -L,$(abspath $(LINUX_LIBDIRS))) \
	$(addprefix -Wl$(comma)-rpath-link$(comma),$(abspath $(LINUX_LIBDIRS)))

XTEST_MAKE_OPTS := --no-print-directory $(JOBS) $(if $(filter 1,$(V)),,-s)

.PHONY: xtest-files xtest-stage xtest-build
ifneq ($(XTEST_SKIP),)
xtest-files xtest-stage xtest-build:
	@echo "[xtest] $(XTEST_SKIP): skipped"
else
# Like linux-guest: the set-up first (cross compiler, Debian packages),
# then the rest.
xtest-files: setup
	$(Q)$(MAKE) --no-print-directory xtest-stage

xtest-stage: xtest-build
	$(Q)sh guests/linux/xtest-rootfs.sh $(XTEST_OUT) $(XTEST_ROOTFS) $(XTEST_STAMP) $(LINUX_PKGS)

$(XTEST_DIR)/src/optee_test/.vtz-unpacked: $(OPTEE_TEST_TARBALL)
	@echo "  UNPACK  $<"
	$(Q)rm -rf $(XTEST_DIR)/src/optee_test $(XTEST_DIR)/src/.unpack
	$(Q)mkdir -p $(XTEST_DIR)/src/.unpack
	$(Q)tar -xf $< -C $(XTEST_DIR)/src/.unpack
	$(Q)mv $(XTEST_DIR)/src/.unpack/* $(XTEST_DIR)/src/optee_test
	$(Q)rmdir $(XTEST_DIR)/src/.unpack
	$(Q)touch $@

$(XTEST_TEEC_H): $(LINUX_DIR)/.fetched scripts/xtest_teec_header.py
	$(Q)$(PYTHON) scripts/xtest_teec_header.py $(LINUX_PKGS)/usr/include/tee_client_api.h $@

# As for OP-TEE OS, optee_test's own makes decide what to rebuild: they
# run whenever asked (quick when nothing changed), after OP-TEE OS's.
# They do not notice another source tree (its files may be older than our
# objects) or other flags, so a change of either starts from an empty
# output directory; $(XTEST_OUT)/vtz-config records what it was built with.
XTEST_CONFIG := $(abspath $(OPTEE_TEST_TREE)) | $(XTEST_TA_FLAGS) | $(XTEST_HOST_FLAGS) | \
	$(XTEST_HOST_CFLAGS) | $(XTEST_HOST_LDFLAGS)
xtest-build: optee-os $(OPTEE_TEST_STAMP) $(XTEST_TEEC_H) $(LINUX_DIR)/.fetched
	@echo "  XTEST   $(OPTEE_TEST_TREE) -> $(XTEST_OUT)"
	$(Q)[ "$$(cat $(XTEST_OUT)/vtz-config 2>/dev/null)" = "$(XTEST_CONFIG)" ] || rm -rf $(XTEST_OUT)
	$(Q)mkdir -p $(XTEST_OUT) $(XTEST_DIR)/bin
	$(Q)ln -sf $(PYTHON) $(XTEST_DIR)/bin/python3
	$(Q){ PATH=$(abspath $(XTEST_DIR)/bin):$$PATH \
		$(MAKE) $(XTEST_MAKE_OPTS) -C $(OPTEE_TEST_TREE) $(XTEST_TA_FLAGS) ta && \
	      CFLAGS="$(XTEST_HOST_CFLAGS)" LDFLAGS="$(XTEST_HOST_LDFLAGS)" \
		$(MAKE) $(XTEST_MAKE_OPTS) -C $(OPTEE_TEST_TREE) $(XTEST_HOST_FLAGS) xtest && \
	      $(MAKE) $(XTEST_MAKE_OPTS) -C $(OPTEE_TEST_TREE) $(XTEST_HOST_FLAGS) test_plugin; \
	    } >$(XTEST_OUT)/build.log 2>&1 || \
		{ tail -30 $(XTEST_OUT)/build.log; echo "[xtest] build failed, see $(XTEST_OUT)/build.log"; exit 1; }
	$(Q)echo "$(XTEST_CONFIG)" >$(XTEST_OUT)/vtz-config
endif

# XTEST=1: the Linux guest's initramfs gets $(XTEST_ROOTFS) (before the
# user's EXTRA_ROOTFS, which may replace its files). The choice is
# remembered as EXTRA_ROOTFS's is, in a stamp the initramfs depends on: a
# make that does not set XTEST (make run SCENARIO=linux) keeps it, XTEST=0
# drops it.
LINUX_XTEST_STAMP := $(LINUX_DIR)/xtest
ifeq ($(origin XTEST),undefined)
XTEST := $(shell cat $(LINUX_XTEST_STAMP) 2>/dev/null)
endif
XTEST_IN_LINUX := $(if $(filter 1,$(XTEST)),1,0)
$(shell mkdir -p $(LINUX_DIR); [ -f $(LINUX_XTEST_STAMP) ] && \
	[ "$$(cat $(LINUX_XTEST_STAMP))" = "$(XTEST_IN_LINUX)" ] || echo "$(XTEST_IN_LINUX)" >$(LINUX_XTEST_STAMP))
$(LINUX_INITRAMFS): $(LINUX_XTEST_STAMP)

ifeq ($(XTEST_IN_LINUX),1)
ifneq ($(XTEST_SKIP),)
# Nothing to add: say why once per linux-files.
linux-files: xtest-files
else
LINUX_ROOTFS_TREES += $(XTEST_ROOTFS)
# Only a new optee_test source, TA dev kit or Debian package set rebuilds
# xtest from here (make run SCENARIO=linux need not ask OP-TEE's make
# each time); make xtest-files always asks, for edits in a source tree.
$(XTEST_STAMP): $(OPTEE_TEST_STAMP) $(LINUX_DIR)/.fetched guests/linux/xtest-rootfs.sh \
		$(wildcard $(OPTEE_TA_DEV_KIT)/host_include/conf.mk $(OPTEE_TA_DEV_KIT)/lib/*.a)
	@echo "[xtest] XTEST=1: xtest for the initramfs (kept until XTEST=0 is given)"
	$(Q)$(MAKE) --no-print-directory xtest-stage
	$(Q)touch $@
$(LINUX_INITRAMFS): $(XTEST_STAMP)
endif
endif
