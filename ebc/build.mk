# The EBC virtual machine (ebc/, see ebc/README.md), included by the top
# Makefile. Its unit tests (test/unit/test_ebc_vm.c, test_ebc_pe.c) and
# fuzz targets (test/fuzz/fuzz_ebc_*.c) are built with the others.
#
#   make ebc-run     the host runner, $(BUILD)/ebc/ebc-run IMAGE.efi
#   make ebc-corpus  the corpus images (ebc/corpus/*.s -> $(BUILD)/ebc/corpus/*.efi)
#   make ebc-test    every corpus image through the VM, output checked
#                    against ebc/corpus/*.expected, then the differential:
#                    OVMF (EDK2's interpreter) against AAVMF with our
#                    driver (part of make test)
#   make ebc-driver  the UEFI driver for AArch64, $(BUILD)/ebc/ebcvm.efi
#   make ebc-aavmf EBC=image.efi   your image under AAVMF with our driver

EBC_DIR := $(BUILD)/ebc
EBC_VM_SRCS := ebc/vm.c ebc/exec_flow.c ebc/exec_data.c ebc/alu.c ebc/index.c ebc/status.c
EBC_RUN_SRCS := $(EBC_VM_SRCS) ebc/sandbox.c ebc/pe.c ebc/host/ebc_run.c
EBC_RUN_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -g -D_DEFAULT_SOURCE \
	-fsanitize=address,undefined -fno-sanitize-recover=all -Iebc
EBC_AS := $(PYTHON) ebc/tools/ebcas.py
EBC_CORPUS_SRCS := $(wildcard ebc/corpus/*.s)
EBC_CORPUS := $(patsubst ebc/corpus/%.s,$(EBC_DIR)/corpus/%.efi,$(EBC_CORPUS_SRCS))

$(EBC_DIR)/ebc-run: $(EBC_RUN_SRCS) $(wildcard ebc/*.h)
	@mkdir -p $(dir $@)
	@echo "  HOSTLD  $@"
	$(Q)$(HOSTCC) $(EBC_RUN_CFLAGS) $(EBC_RUN_SRCS) -o $@

$(EBC_DIR)/corpus/%.efi: ebc/corpus/%.s ebc/tools/ebcas.py $(wildcard ebc/corpus/lib/*.s)
	@mkdir -p $(dir $@)
	@echo "  EBCAS   $<"
	$(Q)$(EBC_AS) $< -o $@

.PHONY: ebc-run ebc-corpus ebc-test ebc-test-run
ebc-run: $(EBC_DIR)/ebc-run
ebc-corpus: $(EBC_CORPUS)

# The set-up first (OVMF, QEMU for x86-64), as fuzz-smoke does.
ebc-test: setup
	$(Q)$(MAKE) --no-print-directory ebc-test-run

ebc-test-run: $(EBC_DIR)/ebc-run $(EBC_CORPUS) $(EBC_DIR)/ebcvm.efi
	@echo "[test] EBC corpus through the VM (ebc-run)"
	$(Q)$(PYTHON) ebc/tools/ebc_test.py --run $(EBC_DIR)/ebc-run --images $(EBC_DIR)/corpus \
		--corpus ebc/corpus --driver $(EBC_DIR)/ebcvm.efi

# ------------------------------------------------ the UEFI driver (AArch64)
# ebcvm.efi: the VM as a boot-service driver for Debian's AAVMF, built with
# Debian's gnu-efi for arm64 (scripts/fetch_gnu_efi.sh fetches it into
# $(BUILD)/gnu-efi; never committed). `make ebc-driver`.
GNUEFI := $(BUILD)/gnu-efi/root/usr
EBC_EFI_DIR := $(EBC_DIR)/efi
EBC_EFI_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -O2 -fpic -fshort-wchar -ffreestanding \
	-fno-stack-protector -fno-strict-aliasing -mgeneral-regs-only -mstrict-align \
	-I$(GNUEFI)/include/efi -I$(GNUEFI)/include/efi/aarch64 -Iebc -Iebc/efi
EBC_EFI_SRCS := $(EBC_VM_SRCS) ebc/efi/driver.c ebc/efi/thunk.S
EBC_EFI_OBJS := $(patsubst %,$(EBC_EFI_DIR)/%.o,$(basename $(EBC_EFI_SRCS)))

$(GNUEFI)/lib/libefi.a:
	$(Q)sh scripts/fetch_gnu_efi.sh $(BUILD)

$(EBC_EFI_DIR)/%.o: %.c $(GNUEFI)/lib/libefi.a $(wildcard ebc/*.h ebc/efi/*.h)
	@mkdir -p $(dir $@)
	@echo "  EFICC   $<"
	$(Q)$(CC) $(EBC_EFI_CFLAGS) -c $< -o $@

$(EBC_EFI_DIR)/%.o: %.S ebc/efi/thunk.h
	@mkdir -p $(dir $@)
	@echo "  EFIAS   $<"
	$(Q)$(CC) -Iebc/efi -c $< -o $@

# A boot-service driver (subsystem 11): it stays resident after `load`.
$(EBC_EFI_DIR)/ebcvm.so: $(EBC_EFI_OBJS)
	@echo "  EFILD   $@"
	$(Q)$(CROSS)ld -nostdlib --no-undefined -shared -Bsymbolic --defsym=EFI_SUBSYSTEM=0xb \
		-T $(GNUEFI)/lib/elf_aarch64_efi.lds $(GNUEFI)/lib/crt0-efi-aarch64.o \
		$(EBC_EFI_OBJS) $(GNUEFI)/lib/libefi.a $(GNUEFI)/lib/libgnuefi.a \
		$$($(CC) -print-libgcc-file-name) -o $@

$(EBC_DIR)/ebcvm.efi: $(EBC_EFI_DIR)/ebcvm.so
	@echo "  OBJCOPY $@"
	$(Q)$(CROSS)objcopy -j .text -j .sdata -j .data -j .dynamic -j .rodata -j .rel \
		-j .rela -j .rel.* -j .rela.* -j .reloc -O binary $< $@.tmp
	@# crt0's header gives .data raw bytes up to a 512-byte boundary (_edata):
	@# the file must have them, or the firmware's loader refuses it.
	$(Q)truncate -s %512 $@.tmp && mv $@.tmp $@

.PHONY: ebc-driver ebc-aavmf
ebc-driver: $(EBC_DIR)/ebcvm.efi

# make ebc-aavmf EBC=image.efi: boots Debian's AAVMF with our driver loaded
# and runs your EBC image from the UEFI Shell; prints its console and status.
EBC ?=
ebc-aavmf: $(EBC_DIR)/ebcvm.efi
	$(Q)test -n "$(EBC)" || { echo "usage: make ebc-aavmf EBC=image.efi" >&2; exit 1; }
	$(Q)$(PYTHON) ebc/tools/ebc_fw.py aavmf --driver $(EBC_DIR)/ebcvm.efi $(EBC)
