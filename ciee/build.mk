IMAGE_NAMES += ciee
ciee_SRCS := ciee/entry.S ciee/vectors.S ciee/monitor_call.S ciee/main.c ciee/hyp_args.c \
	smm/mmu.c smm/vm.c ciee/tee.c ciee/tee_console.c ciee/tee_gic.c ciee/tee_input.c ciee/tee_virq.c ciee/lifecycle.c ciee/switch.c ciee/fpsimd.S lib/exc_report.c $(LIB_SRCS) \
	policy/pgtable.c policy/ownership.c policy/smccc_arch.c policy/tee_gic.c policy/attest.c
# VM_PLACEMENT (placement.c): the SRAT, read with the monitor's readers.
ciee_SRCS += ciee/placement.c policy/acpi.c policy/acpi_madt.c policy/acpi_timer_uart.c \
	policy/acpi_numa.c
ciee_LDS := ciee/ciee.lds
# Signed with the owner's key (mk/keys.mk); the monitor verifies it.
ciee_SIGNED := $(SIGN_SIZE_OFFSET)
