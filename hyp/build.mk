IMAGE_NAMES += hyp
hyp_SRCS := hyp/entry.S hyp/main.c hyp/fw_deliver.c hyp/vm.c hyp/vcpu.c hyp/vuart.c hyp/mem.c hyp/fault.c \
	hyp/inject.c hyp/sched.c hyp/irq.c hyp/vgic.c hyp/vpl011.c hyp/guest_dtb.c hyp/gicv.c hyp/linux.c hyp/fpsimd.S \
	hyp/console_in.c hyp/lifecycle.c hyp/mgmt.c hyp/evlog.c \
	lib/exc_report.c \
	hyp/config.c hyp/entropy.c lib/crypto/crypto.c \
	$(LIB_SRCS) policy/smc_class.c policy/fdt_info.c policy/tee_gic.c policy/vm_config.c \
	hyp/platform.c hyp/numa.c policy/acpi.c policy/acpi_madt.c policy/acpi_timer_uart.c policy/acpi_numa.c
# mbedTLS (mk/mbedtls.mk) for the VMs' boot seeds (hyp/entropy.c).
hyp_EXTRA_OBJS := $(patsubst %.c,$(OUT)/fs/libfdt/%.o,$(LIBFDT_SRCS)) $(MBEDTLS_FS_OBJS)
$(OUT)/fs/hyp/entropy.o: FS_CFLAGS += $(MBEDTLS_INC)
hyp_LDS := hyp/hyp.lds
# Every hypervisor image is signed with the owner's key (mk/keys.mk): the
# monitor verifies the signature before anything else of it.
hyp_SIGNED := $(SIGN_SIZE_OFFSET)

# Attack suite: hypervisor images that each contain one instruction only
# the CIEE may execute (hyp/attack/forbidden.S); the monitor must refuse to
# boot every one (test/system/test_scanner.py). Same sources, linker
# script and header as hyp.bin, plus the payload.
HYP_BAD := ttbr0 tcr sctlr mair vbar hcr vttbr vtcr mdcr dcisw

# The shorter stem makes this win over the generic $(OUT)/fs/%.o rule.
$(OUT)/fs/hyp/attack/forbidden-%.o: hyp/attack/forbidden.S
	@mkdir -p $(dir $@)
	@echo "  AS      $< ($*)"
	$(Q)$(CC) $(FS_ASFLAGS) -DFORBIDDEN_$(shell echo $* | tr a-z A-Z) -MMD -MP -c $< -o $@

define hyp_bad_image
IMAGE_NAMES += hyp-bad-$(1)
hyp-bad-$(1)_SRCS := $$(hyp_SRCS)
hyp-bad-$(1)_EXTRA_OBJS := $$(hyp_EXTRA_OBJS) $(OUT)/fs/hyp/attack/forbidden-$(1).o
hyp-bad-$(1)_LDS := $$(hyp_LDS)
hyp-bad-$(1)_SIGNED := $(SIGN_SIZE_OFFSET)
endef
$(foreach b,$(HYP_BAD),$(eval $(call hyp_bad_image,$(b))))

# The hypervisor with attack hooks (make attacks): the normal sources plus
# hyp/attack/, which defines the weak hooks hyp/main.c calls.
IMAGE_NAMES += hyp-attack
hyp-attack_SRCS := $(hyp_SRCS) hyp/attack/attacks.c hyp/attack/lifecycle.c hyp/attack/jump.S \
	hyp/attack/untrusted_mem.c hyp/attack/untrusted_mem_asm.S \
	hyp/attack/races.c
hyp-attack_EXTRA_OBJS := $(hyp_EXTRA_OBJS)
hyp-attack_LDS := hyp/hyp.lds
hyp-attack_SIGNED := $(SIGN_SIZE_OFFSET)

# The hypervisor with a fast tick (scenario preempt): the normal sources
# plus hyp/preempt/, which overrides the weak tick period of hyp/irq.c.
IMAGE_NAMES += hyp-preempt
hyp-preempt_SRCS := $(hyp_SRCS) hyp/preempt/tick.c
hyp-preempt_EXTRA_OBJS := $(hyp_EXTRA_OBJS)
hyp-preempt_LDS := hyp/hyp.lds
hyp-preempt_SIGNED := $(SIGN_SIZE_OFFSET)

# The hypervisor with the stage-2 mapping benchmark (make bench): the
# normal sources plus hyp/bench/, which defines the weak hook hyp/main.c
# calls after the guest powers off, and the page-table code it uses for
# its unchecked baseline.
IMAGE_NAMES += hyp-bench
hyp-bench_SRCS := $(hyp_SRCS) hyp/bench/bench.c policy/pgtable.c
hyp-bench_EXTRA_OBJS := $(hyp_EXTRA_OBJS)
hyp-bench_LDS := hyp/hyp.lds
hyp-bench_SIGNED := $(SIGN_SIZE_OFFSET)
