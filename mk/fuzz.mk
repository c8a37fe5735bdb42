# libFuzzer targets for the parsers of untrusted input (test/fuzz/).
# Each test/fuzz/fuzz_NAME.c has a sibling test/fuzz/fuzz_NAME.mk that sets
# fuzz_NAME_SRCS: the project sources it links (libfdt is always linked).
# Everything is built with clang, -fsanitize=fuzzer,address,undefined, into
# $(BUILD)/fuzz/.
#
#   make fuzz-smoke            every target, deterministically: -seed=1,
#                              FUZZ_RUNS inputs each (a few seconds)
#   make fuzz [FUZZ_TIME=60]   every target for FUZZ_TIME seconds, keeping
#                              its corpus in $(BUILD)/fuzz/corpus/NAME
#
# A crash, sanitizer report, leak or timeout fails the goal and prints the
# reproducer ($(BUILD)/fuzz/crashes/NAME-crash-...); re-run one with
# `$(BUILD)/fuzz/fuzz_NAME FILE`.

FUZZ_CC ?= clang
FUZZ_TIME ?= 60
FUZZ_RUNS ?= 20000
FUZZ_DIR := $(BUILD)/fuzz
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS := -std=c11 -Wall -Wextra -Werror -O1 -g -D_DEFAULT_SOURCE \
	-fno-omit-frame-pointer -fsanitize=fuzzer-no-link $(FUZZ_SAN) \
	-Iinclude -Ilib/include -Ipolicy/include -Iarch/fake/include -I$(LIBFDT)
# libfdt is third-party code: built as it is, without our warning set.
FUZZ_LIBFDT_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer \
	-fsanitize=fuzzer-no-link $(FUZZ_SAN) -I$(LIBFDT)
FUZZ_LDFLAGS := -fsanitize=fuzzer $(FUZZ_SAN)

FUZZ_TARGETS := $(basename $(notdir $(wildcard test/fuzz/fuzz_*.c)))
-include $(wildcard test/fuzz/fuzz_*.mk)

$(FUZZ_DIR)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

$(FUZZ_DIR)/obj/libfdt/%.o: $(LIBFDT)/%.c
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_LIBFDT_CFLAGS) -c $< -o $@

FUZZ_LIBFDT_OBJS := $(patsubst %.c,$(FUZZ_DIR)/obj/libfdt/%.o,$(LIBFDT_SRCS))

# Seed corpora, made at build time (test/fuzz/seeds.py; the fdt_info seeds
# are the device trees mk/host.mk dumps from QEMU, repacked without padding).
$(FUZZ_DIR)/seeds/%/.done: test/fuzz/seeds.py
	@rm -rf $(dir $@) && mkdir -p $(dir $@)
	$(Q)$(PYTHON) test/fuzz/seeds.py $* $(dir $@)
	@touch $@

# The ACPI seeds are QEMU's fw_cfg files committed in test/data/acpi.
$(FUZZ_DIR)/seeds/fuzz_acpi/.done $(FUZZ_DIR)/seeds/fuzz_acpi_loader/.done: \
	$(wildcard test/data/acpi/*/*)

$(FUZZ_DIR)/seeds/fuzz_fdt_info/.done: $(TEST_DTBS)
	@rm -rf $(dir $@) && mkdir -p $(dir $@)
	$(Q)for f in $(TEST_DTBS); do \
		dtc -q -I dtb -O dtb -o $(dir $@)$$(basename $$f) $$f || exit 1; \
	done
	@touch $@

define fuzz_target
$(1)_FUZZ_OBJS := $(FUZZ_DIR)/obj/test/fuzz/$(1).o $$(patsubst %.c,$(FUZZ_DIR)/obj/%.o,$$($(1)_SRCS))
$(FUZZ_DIR)/$(1): $$($(1)_FUZZ_OBJS) $(FUZZ_LIBFDT_OBJS)
	@echo "  FUZZLD  $$@"
	$$(Q)$$(FUZZ_CC) $(FUZZ_LDFLAGS) $$^ -o $$@
-include $$($(1)_FUZZ_OBJS:.o=.d)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_target,$(t))))

FUZZ_BUILT := $(addprefix $(FUZZ_DIR)/,$(FUZZ_TARGETS)) \
	$(patsubst %,$(FUZZ_DIR)/seeds/%/.done,$(FUZZ_TARGETS))
FUZZ_RUN := sh test/fuzz/run.sh $(FUZZ_DIR)

# The set-up first (clang, libfdt's sources), then re-enter make so the
# rules see the fetched sources, as `all` does.
.PHONY: fuzz fuzz-smoke fuzz-build
fuzz-build: $(FUZZ_BUILT)

fuzz: setup
	$(Q)$(MAKE) --no-print-directory fuzz-build
	@echo "[fuzz] libFuzzer, $(FUZZ_TIME) s per target"
	$(Q)$(FUZZ_RUN) time $(FUZZ_TIME) $(FUZZ_TARGETS)

fuzz-smoke: setup
	$(Q)$(MAKE) --no-print-directory fuzz-build
	@echo "[test] libFuzzer smoke runs ($(FUZZ_RUNS) inputs each, -seed=1)"
	$(Q)$(FUZZ_RUN) runs $(FUZZ_RUNS) $(FUZZ_TARGETS)
