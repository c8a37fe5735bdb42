fuzz_acpi_loader_SRCS := policy/acpi_loader.c policy/acpi.c policy/acpi_madt.c \
	policy/acpi_timer_uart.c policy/acpi_numa.c
