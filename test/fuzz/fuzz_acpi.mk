fuzz_acpi_SRCS := policy/acpi.c policy/acpi_madt.c policy/acpi_timer_uart.c policy/acpi_numa.c
