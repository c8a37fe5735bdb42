# The ACPI linker/loader and table readers (policy/acpi*.c) on QEMU's own
# fw_cfg files (test/data/acpi, scripts/acpi_dump.py), compared with QEMU's
# device trees of the same machines (policy/fdt_info.c; mk/host.mk dumps them).
test_acpi_SRCS := policy/acpi.c policy/acpi_madt.c policy/acpi_timer_uart.c policy/acpi_numa.c \
	policy/acpi_loader.c policy/fdt_info.c
