# The EBC virtual machine (ebc/, see ebc/README.md), included by the top
# Makefile. Its unit tests (test/unit/test_ebc_vm.c, test_ebc_pe.c) and
# fuzz targets (test/fuzz/fuzz_ebc_*.c) are built with the others.
#
#   make ebc-run     the host runner, $(BUILD)/ebc/ebc-run IMAGE.efi
#   make ebc-corpus  the corpus images (ebc/corpus/*.s -> $(BUILD)/ebc/corpus/*.efi)
#   make ebc-test    every corpus image through the VM, output checked
#                    against ebc/corpus/*.expected, then the differential
#                    against Debian's OVMF (part of make test)

EBC_DIR := $(BUILD)/ebc
EBC_VM_SRCS := ebc/vm.c ebc/alu.c ebc/index.c ebc/status.c
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

ebc-test-run: $(EBC_DIR)/ebc-run $(EBC_CORPUS)
	@echo "[test] EBC corpus through the VM (ebc-run)"
	$(Q)$(PYTHON) ebc/tools/ebc_test.py --run $(EBC_DIR)/ebc-run --images $(EBC_DIR)/corpus \
		--corpus ebc/corpus
