# vTZ top-level build. `make help` lists the targets.
#
#   make run     install missing Debian packages, build, boot the default scenario
#   make test    the same set-up, then every test (unit, fuzz smoke, system, attacks)
#   make firmware-update   rebuild, sign and deliver a firmware update; reboot into it
#
# Options: GATE=ciee|el3 (where the secure-memory-mapping policy runs: in
# the CIEE at EL2, or in the monitor at EL3 with every operation an SMC),
# SCENARIO=default|native|optee|optee-native|preempt|linux|attacks|attacks-linux|... (README),
# VMS=file.dts (make run: a VM configuration of yours; README),
# SMP=N, NUMA=N, FIRMWARE_TABLES=dt|acpi (make run: CPUs, NUMA nodes, where
# the hypervisor learns the machine; README "Platform discovery"),
# TEE_INPUT='AFTER::TEXT' (make run: type TEXT to the TEEs), BUILD=dir, V=1 (verbose).

BUILD ?= build
GATE ?= ciee
ifeq ($(filter $(GATE),ciee el3),)
$(error GATE must be ciee or el3, not '$(GATE)')
endif
# Images and their objects, per gate: both variants can be built side by side.
OUT := $(BUILD)/$(GATE)
SCENARIO ?= default
CROSS ?= aarch64-linux-gnu-
PYTHON ?= /usr/bin/python3

ifeq ($(V),1)
Q :=
else
Q := @
endif

.DEFAULT_GOAL := all
.SUFFIXES:
.DELETE_ON_ERROR:

LIBFDT := $(BUILD)/src/libfdt
# Builds use every CPU (images, unit tests, fuzz targets, OP-TEE, xtest);
# the system tests run one QEMU at a time.
JOBS := -j$(shell nproc 2>/dev/null || echo 1)

# ---------------------------------------------------------------- set-up
# Every user-facing goal first runs the set-up script (quick when nothing
# is missing), then re-enters make so rules see the fetched sources.
.PHONY: setup
setup:
	$(Q)sh scripts/setup.sh $(BUILD)

# --------------------------------------------------- freestanding images
CC := $(CROSS)gcc
LD := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
GCC_INC := $(shell $(CC) -print-file-name=include 2>/dev/null)

FS_INC := -Iinclude -Ilib/include -Ipolicy/include -Iarch/aarch64/include \
	-nostdinc -isystem $(GCC_INC) -Ilib/libc/include -I$(LIBFDT)
FS_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -ffreestanding \
	-mgeneral-regs-only -mstrict-align -fno-pie -fno-pic \
	-fno-stack-protector -fno-common -ffunction-sections -fdata-sections \
	-fno-omit-frame-pointer -mno-outline-atomics -DGATE_$(GATE) $(FS_INC)
FS_ASFLAGS := -D__ASSEMBLY__ -g $(FS_INC) -DGATE_$(GATE)
FS_LDFLAGS := -ffreestanding -nostdlib -static -no-pie -Wl,--build-id=none \
	-Wl,--gc-sections -Wl,--no-warn-rwx-segments
# libfdt is third-party code: build it as it is, without our warning set.
LIBFDT_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -mgeneral-regs-only \
	-mstrict-align -fno-pie -fno-pic -fno-stack-protector \
	-ffunction-sections -fdata-sections $(FS_INC)

LIB_SRCS := lib/string.c lib/fmt.c lib/console.c lib/pl011.c
LIBFDT_SRCS := fdt.c fdt_ro.c fdt_wip.c fdt_sw.c fdt_rw.c fdt_strerror.c fdt_addresses.c

$(OUT)/fs/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(FS_CFLAGS) -MMD -MP -c $< -o $@

$(OUT)/fs/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	$(Q)$(CC) $(FS_ASFLAGS) -MMD -MP -c $< -o $@

$(OUT)/fs/libfdt/%.o: $(LIBFDT)/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      libfdt/$(notdir $<)"
	$(Q)$(CC) $(LIBFDT_CFLAGS) -c $< -o $@

include mk/mbedtls.mk
include mk/keys.mk

# image NAME: $(NAME_SRCS) (paths) [+ $(NAME_EXTRA_OBJS)] linked with NAME's
# linker script $(NAME_LDS) [and $(NAME_LDFLAGS)] into $(OUT)/NAME.elf and .bin.
# With $(NAME_SIGNED) set (the offset of the image's load size in its
# header), NAME.bin is signed with the owner's key (mk/keys.mk) and the
# plain bytes are NAME.unsigned.bin.
define image
$(1)_OBJS := $$(patsubst %,$(OUT)/fs/%.o,$$(basename $$($(1)_SRCS))) $$($(1)_EXTRA_OBJS)
$(OUT)/$(1).elf: $$($(1)_OBJS) $$($(1)_LDS)
	@echo "  LD      $$@"
	$$(Q)$$(LD) $$(FS_LDFLAGS) $$($(1)_LDFLAGS) -T $$($(1)_LDS) -Wl,-Map=$(OUT)/$(1).map $$($(1)_OBJS) -lgcc -o $$@
$(OUT)/$(1)$(if $($(1)_SIGNED),.unsigned).bin: $(OUT)/$(1).elf
	@echo "  OBJCOPY $$@"
	$$(Q)$$(OBJCOPY) -O binary $$< $$@
$(if $($(1)_SIGNED),$(call signed_image,$(1)))
IMAGES += $(OUT)/$(1).bin
-include $$($(1)_OBJS:.o=.d)
endef

include monitor/build.mk ciee/build.mk hyp/build.mk tee/build.mk guests/bare/build.mk guests/bench/build.mk
include guests/optee/build.mk

$(foreach img,$(IMAGE_NAMES),$(eval $(call image,$(img))))

.PHONY: images all
images: $(IMAGES)
all: setup
	$(Q)$(MAKE) --no-print-directory $(JOBS) images

# --------------------------------------------------------- host unit tests
include mk/host.mk
include mk/vmcfg.mk
include mk/fuzz.mk
include mk/linux.mk
include mk/optee.mk
include mk/xtest.mk
include ebc/build.mk

# ------------------------------------------------------------- QEMU runs
RUN := $(PYTHON) scripts/vtz_run.py --build $(OUT)

include mk/firmware.mk

.PHONY: run debug test unit system-test
# The linux scenarios (linux, linux-native), and a VMS= configuration
# with a Linux VM, need the Linux guest (Debian packages, fetched once).
# VM_SHELL=1: a shell on each VM's console, your keyboard on vm0's
# (linux-native: on the one Linux's). VMS=file.dts: your VMs instead of
# the scenario's (README.md, "VM configurations").
VMS ?=
# MEM=2G: a 2 GiB machine (vTZ uses the second GiB for more VMs).
MEM ?=
# SMP=N: N CPUs. NUMA=N: N NUMA nodes (2 GiB unless MEM says), for ACPI's SRAT/SLIT.
# FIRMWARE_TABLES=acpi: the hypervisor learns the machine from ACPI, not the DTB.
SMP ?=
NUMA ?=
FIRMWARE_TABLES ?=
# TEE_INPUT='AFTER::TEXT': type TEXT on the secure console (the TEEs') once a
# console line containing AFTER appeared (\n a newline, \x14 Ctrl-T: the next TEE).
TEE_INPUT ?=
RUN_VMS := $(if $(VMS),--vms $(VMS)) $(if $(MEM),--mem $(MEM)) $(if $(SMP),--smp $(SMP)) \
	$(if $(NUMA),--numa $(NUMA)) $(if $(FIRMWARE_TABLES),--firmware-tables $(FIRMWARE_TABLES)) \
	$(if $(TEE_INPUT),--tee-input '$(TEE_INPUT)')
VMS_LINUX := $(if $(VMS),$(if $(shell grep -ls '"linux"' $(VMS)),linux-guest))
run: all $(if $(filter linux linux-native,$(SCENARIO)),linux-guest) $(VMS_LINUX)
	$(Q)$(RUN) --scenario $(SCENARIO) $(RUN_VMS) $(if $(filter 1,$(VM_SHELL)),--shell) $(RUN_TEE)

# gdb: QEMU waits for `gdb-multiarch -ex 'target remote :1234'` (see README).
debug: all
	$(Q)$(RUN) --scenario $(SCENARIO) $(RUN_VMS) --gdb

# Unit tests and a short deterministic run of every fuzz target once;
# the Linux guest (fetched from Debian, built) checked on plain QEMU;
# system tests (Linux VMs included) and the attack suite for both gates.
test: all
	$(Q)$(MAKE) --no-print-directory $(JOBS) unit
	$(Q)$(MAKE) --no-print-directory $(JOBS) fuzz-smoke
	$(Q)$(MAKE) --no-print-directory ebc-test
	$(Q)$(MAKE) --no-print-directory linux-smoke XTEST=1
	$(Q)$(MAKE) --no-print-directory optee-os
	$(Q)$(MAKE) --no-print-directory GATE=ciee system-test
	$(Q)$(MAKE) --no-print-directory $(JOBS) GATE=el3 images
	$(Q)$(MAKE) --no-print-directory GATE=el3 system-test

system-test: images
	@echo "[test] system tests and the attack suite, GATE=$(GATE) (pytest, boots QEMU)"
	$(Q)VTZ_BUILD=$(OUT) VTZ_OWNER_KEY=$(OWNER_KEY) $(PYTHON) -m pytest -q test/system

.PHONY: print-layout clean help
clean:
	rm -rf $(BUILD)

help:
	@sed -n '1,14p' Makefile

# ------------------------------------------------------ trusted base size
# The TCB is the monitor plus the CIEE, and the shared code linked into
# them. Counted in non-blank, non-comment-only lines (see docs/security.md).
# (include/vtz/optee_msg.h is the TEE's and the guests': not in the TCB.
# gicv3_regs.h is: the CIEE answers a guest TEE's GIC, policy/tee_gic.c.
# include/vtz/fw_mailbox.h is the hypervisor's, the guests' and the runner's.)
TCB_FILES = $(filter-out %.lds include/vtz/optee_msg.h include/vtz/fw_mailbox.h,$(sort $(monitor_SRCS) $(ciee_SRCS) \
	$(wildcard monitor/*.h ciee/*.h smm/*.h include/vtz/*.h lib/include/lib/*.h lib/crypto/*.h)))
.PHONY: tcb
tcb:
	@$(PYTHON) scripts/count_lines.py $(TCB_FILES)

# ------------------------------------------------------- OP-TEE's xtest
# OP-TEE's own test suite against unmodified OP-TEE OS in every home: both
# Linux VMs at once under vTZ, and native Linux (scripts/vtz_xtest.py,
# docs/xtest.md). XTEST_ARGS: xtest's arguments (default: the whole
# suite; make test runs a subset, test/system/test_xtest.py).
XTEST_ARGS ?=
.PHONY: xtest
xtest: all
	$(Q)$(MAKE) --no-print-directory linux-guest XTEST=1
	$(Q)if [ -f $(OPTEE_OS_BIN) ] && [ -f $(XTEST_ROOTFS)/usr/bin/xtest ]; then \
		$(PYTHON) scripts/vtz_xtest.py --build $(OUT) --tee $(OPTEE_OS_BIN) -- $(XTEST_ARGS); \
	else echo "[xtest] skipped: no OP-TEE OS or optee_test source (see make optee-os, make xtest-files)"; fi

# ------------------------------------------------------------ attack suite
# Every attack of docs/security.md, from a compromised hypervisor; fails if
# one succeeds or could not run. Then the same attacks while two Linux VMs
# run a libteec workload on a CPU of their own (scenario attacks-linux):
# they must finish it correctly; and with OP-TEE as their TEEs if it is built.
.PHONY: attacks
attacks: all linux-guest
	@echo "[attacks] attack suite (GATE=$(GATE))"
	$(Q)$(PYTHON) scripts/vtz_attacks.py --build $(OUT)
	@echo "[attacks] attack suite with Linux guests running (GATE=$(GATE))"
	$(Q)$(PYTHON) scripts/vtz_attacks.py --build $(OUT) --with-linux
	$(Q)if [ -f $(OPTEE_OS_BIN) ]; then \
		echo "[attacks] attack suite with Linux guests running on OP-TEE (GATE=$(GATE))"; \
		$(PYTHON) scripts/vtz_attacks.py --build $(OUT) --with-linux --tee $(OPTEE_OS_BIN); \
	else echo "[attacks] with OP-TEE: skipped (no $(OPTEE_OS_BIN): make optee-os)"; fi

# -------------------------------------------------------------- benchmarks
# Instructions per operation under -icount, both gates and native
# TrustZone side by side (docs/performance.md, which it rewrites).
.PHONY: bench
bench: setup
	$(Q)$(MAKE) --no-print-directory GATE=ciee images
	$(Q)$(MAKE) --no-print-directory GATE=el3 images
	@echo "[bench] instructions per operation (QEMU -icount shift=0)"
	$(Q)$(PYTHON) scripts/vtz_bench.py --build-root $(BUILD)
