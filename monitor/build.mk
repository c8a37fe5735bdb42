IMAGE_NAMES += monitor
# keys.c and crypto.c (over mbedTLS, mk/mbedtls.mk): boot integrity, in
# both monitors; attest.c: the attestation key and signed reports.
MONITOR_KEYS_SRCS := monitor/keys.c lib/crypto/crypto.c monitor/attest.c policy/attest.c
monitor_SRCS := monitor/entry.S monitor/vectors.S monitor/main.c monitor/ram.c monitor/psci.c \
	monitor/power.c monitor/scrub.c monitor/park.c monitor/gic.c monitor/tee_console.c monitor/tee_input.c lib/exc_report.c policy/insn_scan.c \
	$(LIB_SRCS) $(MONITOR_KEYS_SRCS)
# The signed CIEE and hypervisor images (verify.c, over the TLV parser).
monitor_SRCS += monitor/verify.c policy/signed_image.c
# Measured boot (measured_boot.c): the TCG event log, and the ownership
# check of the buffer the hypervisor reads it into.
monitor_SRCS += monitor/measured_boot.c policy/event_log.c policy/ownership.c
# Firmware in flash0 and its signed update: slots, metadata, the CFI driver.
monitor_SRCS += monitor/fw_update.c monitor/cfi_flash.c policy/fw_update.c
# policy/fdt_info.c over libfdt: the RAM size from QEMU's device tree (ram.c).
monitor_SRCS += policy/fdt_info.c
# The platform firmware's ACPI tables from fw_cfg (acpi.c): the linker/loader
# and the table readers, checked before the RSDP is handed on.
monitor_SRCS += monitor/acpi.c monitor/fw_cfg.c policy/acpi_loader.c policy/acpi.c \
	policy/acpi_madt.c policy/acpi_timer_uart.c policy/acpi_numa.c
monitor_EXTRA_OBJS := $(MBEDTLS_FS_OBJS) $(patsubst %.c,$(OUT)/fs/libfdt/%.o,$(LIBFDT_SRCS))
monitor_LDS := monitor/monitor.lds

# GATE=el3: the monitor also serves secure memory mapping (the CIEE's SMM
# code, see monitor/smm_el3.c); the CIEE keeps world switching.
ifeq ($(GATE),el3)
monitor_SRCS += monitor/smm_el3.c policy/pgtable.c
monitor_EXTRA_OBJS += $(OUT)/fs/el3/smm/mmu.o $(OUT)/fs/el3/smm/vm.o
endif

# The SMM code (smm/) in the monitor: the same sources as the CIEE's, built
# with SMM_AT_EL3 (no CIEE-mode check after a register write: EL3 has no
# untrusted code to jump into it).
$(OUT)/fs/el3/smm/%.o: smm/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (EL3)"
	$(Q)$(CC) $(FS_CFLAGS) -DSMM_AT_EL3 -MMD -MP -c $< -o $@

# Native TrustZone (issue 4): monitor-native runs the TEE at S-EL1 as its
# opteed dispatcher, with no CIEE and no hypervisor. native.c takes the
# place of main.c and scrub.c; vectors.S, psci.c and gic.c are shared, built with
# -DVTZ_NATIVE into their own objects (the shorter stem wins over the
# generic $(OUT)/fs/%.o rule).
$(OUT)/fs/native/monitor/%.o: monitor/%.c
	@mkdir -p $(dir $@)
	@echo "  CC      $< (native)"
	$(Q)$(CC) $(FS_CFLAGS) -DVTZ_NATIVE -MMD -MP -c $< -o $@

$(OUT)/fs/native/monitor/%.o: monitor/%.S
	@mkdir -p $(dir $@)
	@echo "  AS      $< (native)"
	$(Q)$(CC) $(FS_ASFLAGS) -DVTZ_NATIVE -MMD -MP -c $< -o $@

IMAGE_NAMES += monitor-native
monitor-native_SRCS := monitor/entry.S monitor/native.c monitor/tee_dispatch.c \
	monitor/tee_switch.S monitor/power.c lib/exc_report.c policy/smc_class.c policy/smccc_arch.c \
	$(LIB_SRCS) \
	$(MONITOR_KEYS_SRCS)
monitor-native_EXTRA_OBJS := $(OUT)/fs/native/monitor/vectors.o $(OUT)/fs/native/monitor/psci.o \
	$(OUT)/fs/native/monitor/gic.o $(MBEDTLS_FS_OBJS)
monitor-native_LDS := monitor/monitor.lds

# The flash images (-bios), each with this build's device root key at
# 0xfe000 (ROOT_KEY, mk/mbedtls.mk). flash-vtz.bin: the vTZ monitor, the
# key and the hash of the owner's public key (mk/keys.mk) at 0xfe040. flash-native.bin: the native monitor, the key, then the TEE at
# 1 MiB (QEMU can only preload non-secure RAM, so the TEE travels in
# secure flash). flash-native-tee-fault.bin carries tee-test.bin, the TEE
# with test hooks.
$(OUT)/flash-vtz.bin: $(OUT)/monitor.bin $(ROOT_KEY) $(OWNER_KEY_HASH) monitor/mkflash.py
	@echo "  FLASH   $@"
	$(Q)$(PYTHON) monitor/mkflash.py --key $(ROOT_KEY) --owner-key-hash $(OWNER_KEY_HASH) $@ \
		$(OUT)/monitor.bin

$(OUT)/flash-native.bin: $(OUT)/monitor-native.bin $(OUT)/tee.bin $(ROOT_KEY) monitor/mkflash.py
	@echo "  FLASH   $@"
	$(Q)$(PYTHON) monitor/mkflash.py --key $(ROOT_KEY) $@ $(OUT)/monitor-native.bin \
		$(OUT)/tee.bin

$(OUT)/flash-native-tee-fault.bin: $(OUT)/monitor-native.bin $(OUT)/tee-test.bin \
		$(ROOT_KEY) monitor/mkflash.py
	@echo "  FLASH   $@"
	$(Q)$(PYTHON) monitor/mkflash.py --key $(ROOT_KEY) $@ $(OUT)/monitor-native.bin \
		$(OUT)/tee-test.bin

IMAGES += $(OUT)/flash-vtz.bin $(OUT)/flash-native.bin $(OUT)/flash-native-tee-fault.bin
